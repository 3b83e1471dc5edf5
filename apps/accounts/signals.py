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
