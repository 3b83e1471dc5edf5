from django.utils.functional import SimpleLazyObject

from . import selectors


def unread(request):
    """The unread count for the bell in base.html; the COUNT runs only if a template renders it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user))}
