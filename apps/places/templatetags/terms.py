"""`{{ label|termed:region }}`: a township label in the words of the region's town or street
(places/terms.py)."""

from django import template

from ..terms import Terms, terms_for

register = template.Library()


@register.filter
def termed(label, place):
    """`place` is a region (a deputy's town, a meeting's region) or the page's `terms`."""
    if isinstance(place, Terms) or hasattr(place, "relabel"):  # the terms, or the context's lazy ones
        return place.relabel(label)
    return terms_for(place).relabel(label)


@register.filter
def terms_of(region):
    """`{% with tt=town|terms_of %}{{ tt.own_deputies }}{% endwith %}`."""
    return terms_for(region)


@register.filter
def named(region):
    """城关镇人大 / 城关街道人大工委."""
    return terms_for(region).named(region) if region else ""
