"""`{% procedure_chart item %}`: the flowchart of a tracked item's procedure with its current state and
path highlighted, for any detail page (issue 21 part 1). The item's own table is found through the
engine's registry, so a page needs this one line and no view change."""

from django import template
from django.utils.safestring import mark_safe

from apps.procedures import chart
from apps.procedures.catalogue import for_model
from apps.procedures.selectors import path_of

register = template.Library()


@register.inclusion_tag("procedures/_item_chart.html")
def procedure_chart(item):
    place = item.rules_place() if hasattr(item, "rules_place") else item
    proc = for_model(item._meta.label, place)
    if proc is None:
        return {"proc": None}
    path = path_of(item)
    uid = f"{proc.key.replace('.', '-')}-{item.pk}"
    svg = chart.render_svg(chart.layout(proc), uid=uid, **path)
    # The SVG is built from escaped labels only (chart.render_svg escapes every text and attribute).
    labels = {n.key: n.label for n in proc.nodes}
    return {"proc": proc, "svg": mark_safe(svg), "state": labels.get(path["current"], path["current"])}
