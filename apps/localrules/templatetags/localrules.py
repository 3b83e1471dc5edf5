from django import template
from django.utils.translation import gettext as _

from apps.common import conf

register = template.Library()


@register.filter
def rule_display(value, setting: conf.Setting) -> str:
    """A rule's value as people read it: 是/否, the choice's label, or the number with its unit."""
    if value is None:
        return ""
    if setting.kind == conf.BOOL:
        return _("是") if value else _("否")
    if setting.kind == conf.CHOICE:
        return str(dict(setting.choices).get(value, value))
    return f"{value}{setting.unit}" if setting.unit else str(value)


@register.filter
def rule_bounds(setting: conf.Setting) -> str:
    if setting.kind == conf.INT and setting.min is not None and setting.max is not None:
        return _("%(min)s–%(max)s%(unit)s") % {"min": setting.min, "max": setting.max, "unit": setting.unit}
    if setting.placeholders:
        return _("须含 %(names)s") % {"names": "、".join("{" + p + "}" for p in setting.placeholders)}
    return ""
