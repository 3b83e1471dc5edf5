"""The figure providers of the apps on main (DOMAIN §10: "the counts the seeds quote"): voters received and
opinions (§3), suggestions (§4), supervision (§7, the supervision app's own figures), deputies' activity (§8).

Every count is a SQL aggregate grouped by town; what counts is the same as on each app's own statistics page:
- opinions of the year by reception date (`received_on`): collected, assigned (given a unit), replied,
  replied on time, resolved (closed as solved), visited (rated), satisfied (满意 or 基本满意);
  voters received: the sum over the year's reception days;
- suggestions of the year (entered in it), not drafts, declined or merged: replied (at least one round),
  on time, solved (A, or B later solved), and every signer's rating of a result that said something
  (satisfied or basically satisfied over those rated);
- supervision: `supervision.figures.counts` (its compiled statements);
- deputies: approved duty records dated in the year, the deputies with at least one, the serving deputies.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from apps.common.choices import Satisfaction
from apps.duty.models import DutyRecord, ReviewState
from apps.opinions.models import Opinion, ReceptionDay
from apps.people.models import Deputy, MandateStatus
from apps.suggestions.models import Category, Feedback, Suggestion

from .providers import RATE, Chart, Figure, Provider, register

HAPPY = (Satisfaction.SATISFIED, Satisfaction.BASIC)


def where(region, prefix: str = "") -> dict:
    """The WHERE of a county or a town on a model's copied county/town columns."""
    return {f"{prefix}county_id" if region.level == "county" else f"{prefix}town_id": region.pk}


def grouped(qs, key: str = "town_id") -> dict:
    """{town id: {count: n}} from a values(key).annotate(...) queryset."""
    return {row.pop(key): row for row in qs}


def merge(*parts: dict) -> dict:
    out: dict = {}
    for part in parts:
        for town, numbers in part.items():
            out.setdefault(town, {}).update(numbers)
    return out


def _opinion_counts(region, year: int) -> dict:
    opinions = (
        Opinion.objects.filter(**where(region), received_on__year=year)
        .order_by()
        .values("town_id")
        .annotate(
            opinions_collected=Count("pk"),
            opinions_assigned=Count("pk", filter=Q(assigned_on__isnull=False)),
            opinions_replied=Count("pk", filter=Q(replied_on__isnull=False)),
            opinions_on_time=Count("pk", filter=Q(reply_on_time=True)),
            opinions_resolved=Count("pk", filter=Q(state="closed", solved=True)),
            opinions_visited=Count("pk", filter=~Q(satisfaction="")),
            opinions_satisfied=Count("pk", filter=Q(satisfaction__in=HAPPY)),
        )
    )
    days = (
        ReceptionDay.objects.filter(**where(region), date__year=year)
        .order_by()
        .values("town_id")
        .annotate(voters_received=Sum("voters_received"), reception_days=Count("pk"))
    )
    return merge(grouped(opinions), grouped(days))


OPINIONS = Provider(
    "opinions",
    _("选民接待和社情民意"),
    (
        Figure("voters_received", _("接待选民（人次）")),
        Figure("reception_days", _("接待日（次）")),
        Figure("opinions_collected", _("收集社情民意")),
        Figure("opinions_assigned", _("社情民意已交办")),
        Figure("opinions_replied", _("已答复")),
        Figure("opinions_on_time", _("按时答复")),
        Figure("opinions_resolved", _("社情民意已解决")),
        Figure("opinions_visited", _("已回访")),
        Figure("opinions_satisfied", _("满意和基本满意")),
        Figure("opinions_on_time_rate", _("按时答复率（%）"), RATE, ("opinions_on_time", "opinions_replied")),
        Figure("opinions_resolved_rate", _("解决率（%）"), RATE, ("opinions_resolved", "opinions_collected")),
        Figure(
            "opinions_satisfaction_rate", _("满意率（%）"), RATE, ("opinions_satisfied", "opinions_visited")
        ),
    ),
    _opinion_counts,
    charts=(
        Chart("voters", _("接待选民和收集社情民意"), ("voters_received", "opinions_collected")),
        Chart(
            "opinions", _("社情民意办理"), ("opinions_collected", "opinions_assigned", "opinions_resolved")
        ),
    ),
    live=("voters_received", "opinions_collected", "opinions_assigned", "opinions_resolved"),
)

# as the suggestions' own figures (suggestions.selectors.figures)
_COUNTED = Q(state__in=["draft", "declined", "merged"])


def _suggestion_counts(region, year: int) -> dict:
    items = Suggestion.objects.filter(**where(region), created_at__year=year).exclude(_COUNTED)
    counts = (
        items.order_by()
        .values("town_id")
        .annotate(
            suggestions=Count("pk"),
            suggestions_replied=Count("pk", filter=Q(rounds__gt=0)),
            suggestions_on_time=Count("pk", filter=Q(reply_on_time=True)),
            suggestions_solved=Count(
                "pk", filter=Q(category=Category.A) | Q(category=Category.B, solved_on__isnull=False)
            ),
        )
    )
    ratings = (
        Feedback.objects.filter(suggestion__in=items.values("pk"))
        .order_by()
        .values("suggestion__town_id")
        .annotate(
            suggestions_rated=Count("pk", filter=~Q(result=Satisfaction.NO_OPINION)),
            suggestions_satisfied=Count("pk", filter=Q(result__in=HAPPY)),
        )
    )
    return merge(grouped(counts), grouped(ratings, "suggestion__town_id"))


SUGGESTIONS = Provider(
    "suggestions",
    _("代表建议"),
    (
        Figure("suggestions", _("代表建议")),
        Figure("suggestions_replied", _("建议已答复")),
        Figure("suggestions_on_time", _("按时答复")),
        Figure("suggestions_solved", _("已解决")),
        Figure("suggestions_rated", _("代表评价（人次）")),
        Figure("suggestions_satisfied", _("满意和基本满意（人次）")),
        Figure(
            "suggestions_on_time_rate",
            _("按时办复率（%）"),
            RATE,
            ("suggestions_on_time", "suggestions_replied"),
        ),
        Figure(
            "suggestions_solved_rate", _("解决率（%）"), RATE, ("suggestions_solved", "suggestions_replied")
        ),
        Figure(
            "suggestions_satisfaction_rate",
            _("满意率（%）"),
            RATE,
            ("suggestions_satisfied", "suggestions_rated"),
        ),
    ),
    _suggestion_counts,
    charts=(
        Chart(
            "suggestion_rates",
            _("建议按时办复率、解决率和满意率"),
            ("suggestions_on_time_rate", "suggestions_solved_rate", "suggestions_satisfaction_rate"),
            "line",
        ),
    ),
    live=("suggestions", "suggestions_replied"),
)


def _supervision_counts(region, year: int) -> dict:
    from apps.supervision.figures import counts

    keep = {
        "activities_done",
        "findings",
        "rectifications_opened",
        "rectifications_accepted",
        "appointments_held",
    }
    out: dict = {}
    for part in counts(region, year).values():
        for town, numbers in part.items():
            out.setdefault(town, {}).update({k: v for k, v in numbers.items() if k in keep})
    return out


SUPERVISION = Provider(
    "supervision",
    _("监督工作"),
    (
        Figure("activities_done", _("完成监督活动")),
        Figure("findings", _("发现问题")),
        Figure("rectifications_opened", _("交办整改")),
        Figure("rectifications_accepted", _("整改验收通过")),
        Figure("appointments_held", _("约见")),
    ),
    _supervision_counts,
    charts=(
        Chart(
            "supervision",
            _("监督工作"),
            ("activities_done", "findings", "rectifications_opened", "rectifications_accepted"),
        ),
    ),
    live=("findings", "rectifications_accepted"),
)


def _deputy_counts(region, year: int) -> dict:
    records = (
        DutyRecord.objects.filter(**where(region), date__year=year, review_state=ReviewState.APPROVED)
        .order_by()
        .values("town_id")
        .annotate(duty_records=Count("pk"), deputies_active=Count("deputy_id", distinct=True))
    )
    deputies = (
        Deputy.objects.filter(**where(region), status=MandateStatus.IN_OFFICE)
        .order_by()
        .values("town_id")
        .annotate(deputies=Count("pk"))
    )
    return merge(grouped(records), grouped(deputies))


DEPUTIES = Provider(
    "deputies",
    _("代表履职"),
    (
        Figure("deputies", _("在任代表")),
        Figure("deputies_active", _("有履职记录的代表")),
        Figure("duty_records", _("履职记录（已审核）")),
        Figure("deputies_active_rate", _("履职代表占比（%）"), RATE, ("deputies_active", "deputies")),
        Figure("records_per_deputy", _("人均履职记录"), RATE, ("duty_records", "deputies"), scale=1),
    ),
    _deputy_counts,
    charts=(Chart("deputies", _("代表履职"), ("deputies", "deputies_active", "duty_records")),),
    live=("duty_records",),
)


def register_builtins() -> None:
    for provider in (OPINIONS, SUGGESTIONS, SUPERVISION, DEPUTIES):
        register(provider)
