"""The fixed choices of supervision (DOMAIN §7, issue 18 part 1 and 5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    """The ten forms of supervision a plan item may take (issue 18 part 1)."""

    WORK_REPORT = "work_report", _("听取和审议专项工作报告")
    LAW_INSPECTION = "law_inspection", _("执法检查")
    INSPECTION = "inspection", _("视察")
    RESEARCH = "research", _("调研")
    INQUIRY = "inquiry", _("专题询问")
    APPOINTMENT = "appointment", _("约见")
    DEPARTMENT_EVALUATION = "department_evaluation", _("部门评议")
    VICE_MAYOR_EVALUATION = "vice_mayor_evaluation", _("副镇长述职评议")
    BUDGET_REVIEW = "budget_review", _("预算决算审查")
    FILING_REVIEW = "filing_review", _("规范性文件备案审查")


class MemberRole(models.TextChoices):
    LEAD = "lead", _("牵头代表")
    MEMBER = "member", _("参加代表")


class MeetingKind(models.TextChoices):
    """An appointment (约见) or a special inquiry (专题询问)."""

    APPOINTMENT = "appointment", _("约见")
    INQUIRY = "inquiry", _("专题询问")


class AnswerMode(models.TextChoices):
    AT_MEETING = "at_meeting", _("当面答复")
    WRITTEN = "written", _("书面答复")
