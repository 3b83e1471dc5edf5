"""`{% opinion_proposal_button opinion %}`: on the opinion page, the office's "转为项目建议" (issue 19 part
1), or the proposal it already became; shown only to those who screen the opinion's town's proposals."""

from django import template

from apps.accounts import permissions as perms
from apps.places.models import Region

from ..models import Proposal

register = template.Library()


@register.inclusion_tag("projects/_from_opinion.html", takes_context=True)
def opinion_proposal_button(context, opinion):
    user = context["request"].user
    town = Region.objects.filter(pk=opinion.town_id).first() if opinion.town_id else None
    if town is None or not perms.holds_in(user, perms.PROJECT_SCREEN, town):
        return {"shown": False}
    return {
        "shown": True,
        "opinion": opinion,
        "csrf_token": context.get("csrf_token"),
        "proposal": Proposal.objects.filter(opinion=opinion).only("pk", "tracking_code").first(),
    }
