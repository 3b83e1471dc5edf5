"""Pages of the procedure book (issue 21): every procedure's flowchart, one procedure with its steps and
downloads (Word, PDF, A4 print), the rules book (Word, print) and a township's own rule documents. Each
view parses, calls one selector or service, and renders."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.common.downloads import docx_response, file_response
from apps.common.pages import run_then_redirect
from apps.common.params import ID, Day, Text, read
from apps.workflow.uploads import file_response as attachment_response

from . import chart, papers, services
from . import selectors as sel
from .catalogue import procedure, procedures

TITLE = Text(200, label=gettext_lazy("名称"))
NUMBER = Text(60, label=gettext_lazy("文号"))
ADOPTED = Day(label=gettext_lazy("通过日期"))


def _proc(key: str):
    proc = procedure(key)
    if proc is None:
        raise Http404
    return proc


def _svg(proc, uid: str):
    # Built from escaped labels only (chart.render_svg escapes every text and attribute).
    return mark_safe(chart.render_svg(chart.layout(proc), uid=uid))


@login_required
def index(request):
    """流程图: every procedure, the tracked items' first, then the congress session's own."""
    perms.require(request.user, perms.PROCEDURE_BROWSE)
    procs = procedures()
    return render(
        request,
        "procedures/index.html",
        {
            "items": [p for p in procs if p.group == "item"],
            "congress": [p for p in procs if p.group == "congress"],
        },
    )


@login_required
def detail(request, procedure_key: str):
    perms.require(request.user, perms.PROCEDURE_BROWSE)
    proc = _proc(procedure_key)
    return render(
        request,
        "procedures/detail.html",
        {
            "proc": proc,
            "svg": _svg(proc, proc.key.replace(".", "-")),
            "rows": papers.step_rows(proc),
            "title": papers.procedure_title(proc),
        },
    )


@login_required
def detail_docx(request, procedure_key: str):
    perms.require(request.user, perms.PROCEDURE_BROWSE)
    proc = _proc(procedure_key)
    return docx_response(papers.procedure_docx(proc), f"{papers.procedure_title(proc)}.docx")


@login_required
def detail_pdf(request, procedure_key: str):
    perms.require(request.user, perms.PROCEDURE_BROWSE)
    proc = _proc(procedure_key)
    return file_response(papers.procedure_pdf(proc), f"{papers.procedure_title(proc)}.pdf", "application/pdf")


def _book(user) -> dict:
    towns = sel.towns_for(user)
    return {
        "laws": sel.law_rows(),
        "locals": sel.local_rows(towns),
        "towns": towns,
        "documents": list(sel.documents(user)[:200]),
    }


@login_required
def rules(request):
    """规则汇编: every [law] and [local] rule with its source and values, and the township's own rules."""
    perms.require(request.user, perms.PROCEDURE_BROWSE)
    ctx = _book(request.user)
    ctx["upload_towns"] = sel.document_towns(request.user)
    return render(request, "procedures/rules.html", ctx)


@login_required
def rules_docx(request):
    perms.require(request.user, perms.PROCEDURE_BROWSE)
    b = _book(request.user)
    data = papers.rules_docx(b["laws"], b["locals"], b["towns"], b["documents"])
    return docx_response(data, f"{_('规则汇编')}.docx")


@login_required
@require_POST
def document_add(request):
    def work():
        services.add_document(
            actor=request.user,
            town_id=read(request.POST, "town", ID),
            title=read(request.POST, "title", TITLE) or "",
            number=read(request.POST, "number", NUMBER) or "",
            adopted_on=read(request.POST, "adopted_on", ADOPTED),
            upload=request.FILES.get("file"),
        )

    return run_then_redirect(request, work, _("已上传"), reverse("procedures:rules"))


@login_required
def document(request, rule_document_id: int):
    doc = sel.document(request.user, rule_document_id)
    att = sel.document_file(doc)
    if att is None:
        raise Http404
    return attachment_response(att)


@login_required
@require_POST
def document_remove(request, rule_document_id: int):
    def work():
        services.remove_document(actor=request.user, document_id=rule_document_id)

    return run_then_redirect(request, work, _("已删除"), reverse("procedures:rules"))
