"""Drop cached token users when anything that decides what they may do changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ApiToken, RoleGrant, User
from .services import _token_cache_key, forget_tokens_of


@receiver([post_save, post_delete], sender=RoleGrant)
def grant_changed(sender, instance, **kwargs):
    forget_tokens_of(instance.user_id)


@receiver([post_save, post_delete], sender=User)
def user_changed(sender, instance, **kwargs):
    forget_tokens_of(instance.pk)


@receiver(post_delete, sender=ApiToken)
def token_revoked(sender, instance, **kwargs):
    from django.core.cache import cache

    cache.delete(_token_cache_key(instance.key_hash))


_LIVE = ("in_office", "suspended")


def _deputy_saved(sender, instance, **kwargs):
    from .managing import end_deputy_login

    if instance.status not in _LIVE:  # a live deputy's save costs no query here
        end_deputy_login(instance)


def _mandate_saved(sender, instance, **kwargs):
    from .managing import end_deputy_login

    if instance.status not in _LIVE:
        end_deputy_login(instance.deputy)


def connect_mandate_hooks():
    """A deputy's login ends with the mandate (issue 17): whenever a deputy or a mandate is saved with an
    ended or recalled status, whichever service or import saved it."""
    from django.apps import apps

    post_save.connect(
        _deputy_saved, sender=apps.get_model("people", "Deputy"), dispatch_uid="deputy-login-end"
    )
    post_save.connect(
        _mandate_saved, sender=apps.get_model("people", "Mandate"), dispatch_uid="mandate-login-end"
    )
