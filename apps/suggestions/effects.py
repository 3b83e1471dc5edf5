"""What the steps of a suggestion or motion do besides their own fields (named in workflow.py's rows):
who may submit, the co-handling parts, declining into an opinion, a motion turned into a suggestion, and the
choices the step forms offer."""

from __future__ import annotations


def create_parts(ctx):
    from apps.workflow.services import create_tracked

    from .models import CoHandling

    made = []
    for unit_id in sorted(set(ctx.data.get("co_units") or []) - {ctx.item.unit_id}):
        made.append(
            create_tracked(
                CoHandling, actor=ctx.actor, fields={"suggestion": ctx.item, "unit_id": unit_id}
            ).pk
        )
    return made


def cancel_parts(ctx):
    open_parts = ctx.item.cohandlings.filter(state="requested")
    units = list(open_parts.values_list("unit_id", flat=True))
    open_parts.delete()
    return units


def decline_to_opinion(ctx):
    from apps.opinions.services import register

    item = ctx.item
    op = register(
        actor=ctx.actor,
        data={
            "source": "letter",
            "title": item.title,
            "content": item.content[:2000],
            "topic": item.topic,
            "region": item.region.code,
            "deputy": item.lead_id,
            "submitter_name": item.lead.name,
        },
    )
    item.opinions.add(op)
    return op.pk


def suggestion_from_motion(ctx):
    from .services import motion_to_suggestion

    return motion_to_suggestion(ctx.actor, ctx.item).pk


def unit_choices(item, actor):
    from .selectors import assignable_units

    return [(u.pk, u.name) for u in assignable_units(item).order_by("level", "name")[:300]]


def similar_choices(item, actor):
    from .selectors import similar_submitted

    out = []
    for x, score in similar_submitted(item, user=actor):
        if x.is_final or x.state == "returned":
            continue
        label = f"{x.number + ' ' if x.number else ''}{x.title}（{x.lead.name} · {round(score * 100)}%）"
        out.append((x.pk, label))
    return out


def category_choices(item, actor):
    from .models import Category

    return Category.choices
