import factory

from apps.accounts.models import RoleGrant, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "renda-test-pw")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with(role, username=None, **scope):
    user = UserFactory(username=username) if username else UserFactory()
    RoleGrant.objects.create(user=user, role=role, **scope)
    return user
