"""`{% dispatch_panel item %}`: the records of what was sent (报送) of an evaluation, an activity or a
rectification item, and the form to record one; shown only to those who may read or send them."""

from django import template
from django.urls import reverse
from django.utils import timezone

from apps.accounts import permissions as perms

from ..kinds import kind_of
from ..models import Recipient
from ..selectors import dispatches

register = template.Library()
SEND_URLS = {
    "evaluation": "dispatch:send_evaluation",
    "activity": "dispatch:send_activity",
    "rectification": "dispatch:send_rectification",
}


@register.inclusion_tag("dispatch/_panel.html", takes_context=True)
def dispatch_panel(context, item):
    user = context["request"].user
    spec = kind_of(item)
    if spec is None or not perms.holds(user, perms.DISPATCH_BROWSE, item):
        return {"shown": False}
    return {
        "shown": True,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "rows": list(dispatches(user, obj=item)[:50]),
        "can_send": perms.holds(user, perms.DISPATCH_SEND, item),
        "action": reverse(SEND_URLS[spec.key], args=[item.pk]),
        "label": spec.label,
        "recipients": Recipient.choices,
        "today": timezone.localdate(),
    }
