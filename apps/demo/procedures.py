"""Demo data for the procedure book (issue 21 part 2): the county seat's own rules, as the Tongxiang office
hangs its 17 beside the flowcharts; each a short Word paper in the official format, stored as an upload
would store it (no audit events: the chain records what people did)."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from apps.common import word
from apps.places.models import Region
from apps.procedures.models import RuleDocument
from apps.workflow.models import Attachment

from .county import CountyBuilder

RULES = [
    (
        "人大主席团议事规则",
        "主席团会议由主席召集，议题于会前三日书面通知成员；决定事项须经全体成员过半数同意。",
    ),
    ("人大代表联系选民制度", "每名代表固定联系选民户，每季度至少走访一次，收集的意见建议及时录入平台交办。"),
    (
        "代表建议办理工作制度",
        "建议交办后三个月内答复；答复前承办单位须与领衔代表面商，代表不满意的重新办理。",
    ),
    ("代表联络站接待选民制度", "每月第一个星期二为接待选民日，由联络站安排代表轮流接待，接待情况当日登记。"),
]


def _paper(title: str, text: str) -> bytes:
    doc = word.new_document(title_text=title)
    word.title(doc, title)
    word.para(doc, text)
    return word.to_bytes(doc)


def seed_demo_procedures(builder: CountyBuilder) -> dict:
    town = Region.objects.get(pk=builder.towns[0].node.id)
    year = timezone.localdate().year - 1
    ctype = ContentType.objects.get_for_model(RuleDocument)
    for i, (name, text) in enumerate(RULES, start=1):
        title = f"{town.name}{name}"
        doc = RuleDocument.objects.create(
            region=town,
            title=title,
            number=f"{town.short}人〔{year}〕{i}号",
            adopted_on=date(year, 3, i),
        )
        data = _paper(title, text)
        att = Attachment(
            content_type=ctype, object_id=doc.pk, name=f"{name}.docx", kind="docx", size=len(data)
        )
        att.file.save(att.name, ContentFile(data), save=False)
        att.save()
    return {"rule_documents": len(RULES)}
