from django import template
from django.utils import timezone

from apps.archive import selectors

register = template.Library()


@register.filter
def register_cells(row, reg):
    """The cells of one duty record in a register's columns."""
    return [c.get(row) for c in reg.columns]


@register.simple_tag
def public_card_archive(deputy):
    """What the public card adds: this year's commitments (title, target, state), nothing private; the card
    already shows the activity counts."""
    year = timezone.localdate().year
    return {
        "year": year,
        "commitments": selectors.public_commitments(deputy, year),
    }


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
