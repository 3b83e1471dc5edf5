"""API pieces every tracked item shares: state and deadline, timeline, the steps open to a caller."""

from datetime import date, datetime

from ninja import Schema

from .services import available, steps_of


class TrackedOut(Schema):
    state: str
    state_label: str
    due_date: date | None
    due_provisional: bool
    is_overdue: bool

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.state_label)

    @staticmethod
    def resolve_is_overdue(obj) -> bool:
        return obj.is_overdue()


class StepOut(Schema):
    transition: str
    transition_label: str
    from_state: str
    to_state: str
    to_state_label: str
    actor_label: str
    at: datetime
    reason: str
    on_time: bool | None


class TransitionOut(Schema):
    key: str
    label: str
    reason_required: bool
    danger: bool
    # Why the step cannot be taken now (a co-signer has not answered, the send-back period is over); None
    # when it can.
    blocked_reason: str | None


def steps_out(item) -> list[dict]:
    """The item's timeline with the labels of its own workflow."""
    wf = item.workflow
    out = []
    for s in steps_of(item):
        t = wf.transition(s.transition)
        out.append(
            {
                "transition": s.transition,
                "transition_label": str(t.label) if t else str(wf.state(s.to_state).label),
                "from_state": s.from_state,
                "to_state": s.to_state,
                "to_state_label": str(wf.state(s.to_state).label),
                "actor_label": s.actor_label,
                "at": s.at,
                "reason": s.reason,
                "on_time": s.on_time,
            }
        )
    return out


def transitions_out(user, item) -> list[dict]:
    return [
        {
            "key": t.key,
            "label": str(t.label),
            "reason_required": t.reason_required,
            "danger": t.danger,
            "blocked_reason": str(objection) if objection else None,
        }
        for t, objection in available(user, item)
    ]
