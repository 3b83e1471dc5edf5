from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User


class PhoneOrUsernameBackend(ModelBackend):
    """Log in with a username or a mobile phone number, and a password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        username = username.strip()
        user = User.objects.filter(Q(username=username) | Q(phone=username)).order_by("id").first()
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not tell who exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
