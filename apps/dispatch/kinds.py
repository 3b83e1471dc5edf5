"""What may be sent (报送) and which Word document each gives, generated at the moment it is sent:
a department evaluation its result announcement (评议结果公告), a supervision activity its report
(监督活动情况的报告), a rectification item its notice (整改通知书)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str  # in the API body and the page's URL
    model: str  # app label.Model
    label: object
    document: Callable[[object, date], tuple[str, bytes]]  # (obj, on) -> (title, .docx bytes)

    @property
    def model_class(self):
        return apps.get_model(self.model)


def _evaluation(item, on) -> tuple[str, bytes]:
    from apps.common import word
    from apps.evaluations.word import announcement_docx

    return word.about(f"{item.title}结果", "公告"), announcement_docx(item, on=on)


def _activity(item, on) -> tuple[str, bytes]:
    from apps.supervision.word_report import activity_report_docx, activity_report_title

    return activity_report_title(item), activity_report_docx(item, on=on)


def _rectification(item, on) -> tuple[str, bytes]:
    from apps.rectification.selectors import reviewers_of
    from apps.rectification.word import notice_docx, notice_title

    return notice_title(item), notice_docx(item, reviewers_of(item), on=on)


KINDS = {
    k.key: k
    for k in (
        Kind("evaluation", "evaluations.DepartmentEvaluation", _("工作评议结果"), _evaluation),
        Kind("activity", "supervision.Activity", _("监督活动情况"), _activity),
        Kind("rectification", "rectification.RectificationItem", _("整改通知"), _rectification),
    )
}


def kind_of(obj) -> Kind | None:
    label = obj._meta.label
    return next((k for k in KINDS.values() if k.model == label), None)
