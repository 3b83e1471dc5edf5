"""Pages of meetings (DOMAIN §5): the list, planning, the office's meeting page with every control, the
chair's screen, the hall screen, the deputy's phone page, the QR check-in landing, documents and the Word
exports. Views parse, call one selector or service, and render; the rules live there. The hall, chair and
phone pages render `selectors.live_state` and mark its numbers with data-live attributes for live.js."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny, office_regions
from apps.common.downloads import docx_response
from apps.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from apps.common.pages import flash_error, paginate_page
from apps.common.params import ID, Int, ints, read
from apps.common.qr import qr_svg_response
from apps.workflow.uploads import file_response

from . import selectors, services
from .extras import screen_blocks
from .models import AgendaItem, Choice, MeetingKind, MeetingState, Session, VoteState
from .selectors_deliberation import checklist
from .word import minutes_docx, notice_docx, resolutions_docx

TERM = Int(1, 99, label=gettext_lazy("届次"))
SITTING = Int(1, 99, label=gettext_lazy("次数"))
SECONDS = Int(1, 10**6, label=gettext_lazy("限时（秒）"))
PAPER_COUNT = Int(0, 100_000, label=gettext_lazy("票数"))


def _dt(value) -> datetime | None:
    value = str(value or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _office_towns(user):
    towns = []
    for r in office_regions(user):
        if r.level == "town":
            towns.append(r)
        elif r.level == "county":
            towns += list(r.children.filter(level="town").order_by("code"))
    return towns


def _kinds(towns):
    """The kinds offered: a single town's (a street holds no congress sittings), else every kind."""
    return services.kinds_for(towns[0]) if len(towns) == 1 else MeetingKind.choices


@login_required
def meeting_list(request):
    qs = selectors.meetings(
        request.user, state=request.GET.get("state", ""), q=request.GET.get("q", "").strip()
    )
    page, query = paginate_page(request, qs, per_page=20)
    return render(
        request,
        "meetings/list.html",
        {
            "page": page,
            "query": query,
            "can_plan": perms.holds(request.user, perms.MEETING_MANAGE) and bool(_office_towns(request.user)),
            "states": MeetingState.choices,
            "f": request.GET,
        },
    )


@login_required
def new(request):
    perms.require(request.user, perms.MEETING_MANAGE)
    towns = _office_towns(request.user)
    if not towns:
        deny(request.user, perms.MEETING_MANAGE, object_type="meetings.meeting")
    error = None
    if request.method == "POST":
        p = request.POST
        town = next((t for t in towns if str(t.pk) == p.get("town")), towns[0] if len(towns) == 1 else None)
        try:
            if town is None:
                raise ValidationFailed(_("请选择镇"), fields={"town": [_("请选择镇")]})
            session = None
            if p.get("kind") in (MeetingKind.PREPARATORY, MeetingKind.PLENARY):
                term, number = read(p, "term", TERM), read(p, "number", SITTING)
                if not term or not number:
                    msg = _("代表大会的会议须填写届次和次数")
                    raise ValidationFailed(msg, fields={"session": [msg]})
                session = Session.objects.filter(region=town, term=term, number=number).first()
                if session is None:
                    session = services.plan_session(
                        actor=request.user,
                        region=town,
                        term=term,
                        number=number,
                        starts_on=(_dt(p.get("starts_at")) or timezone.now()).date(),
                    )
            meeting = services.plan_meeting(
                actor=request.user,
                region=town,
                kind=p.get("kind", ""),
                title=p.get("title", ""),
                starts_at=_dt(p.get("starts_at")),
                place=p.get("place", ""),
                chair=p.get("chair", ""),
                session=session,
                allow_vote_change=p.get("allow_vote_change") == "1",
                non_voting=p.get("non_voting", "").splitlines(),
                agenda=p.get("agenda", "").splitlines(),
            )
        except (PermissionDenied, NotFound):
            raise
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("会议已创建，应到代表已按本届在任代表列出"))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {"towns": towns, "kinds": _kinds(towns), "error": error, "f": request.POST},
        status=error.status if error else 200,
    )


@login_required
def detail(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    if not perms.holds(request.user, perms.MEETING_MANAGE, meeting):
        return redirect("meetings:my", pk=meeting.pk)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "agenda": list(selectors.agenda(meeting)),
            "attendees": list(selectors.attendees(meeting)),
            "documents": list(selectors.documents(meeting)),
            "votes": list(selectors.votes(meeting)),
            "live": services.live_state(meeting, "chair"),
            "checkin_open": selectors.checkin_open(meeting),
            "agenda_kinds": AgendaItem.Kind.choices,
            "tellers": set(meeting.tellers.values_list("pk", flat=True)),
            "teller_choices": services.teller_choices(meeting),
            "paper": selectors.paper_desk(meeting, request.user),
            "choices": Choice.choices,
            "checklist": checklist(meeting),
        },
    )


def _run(request, pk: int, work, ok: str, *, to="detail"):
    try:
        work()
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, ok)
    return redirect(f"meetings:{to}", pk=pk)


@login_required
@require_POST
def act(request, pk: int, action: str):
    """One control of the office's meeting page or the chair's screen."""
    u, p = request.user, request.POST
    to = "chair" if p.get("back") == "chair" else "detail"
    handlers = {
        "open": (lambda: services.open_meeting(actor=u, meeting_id=pk), _("已宣布开会")),
        "close": (
            lambda: services.close_meeting(actor=u, meeting_id=pk),
            _("已散会，出席情况已记入代表履职"),
        ),
        "checkin_open": (lambda: services.open_checkin(actor=u, meeting_id=pk), _("签到已开始")),
        "checkin_close": (lambda: services.close_checkin(actor=u, meeting_id=pk), _("签到已截止")),
        "agenda": (
            lambda: services.add_agenda_item(
                actor=u,
                meeting_id=pk,
                title=p.get("title", ""),
                kind=p.get("kind", ""),
                description=p.get("description", ""),
            ),
            _("议程已增加"),
        ),
        "agenda_remove": (
            lambda: services.remove_agenda_item(actor=u, item_id=read(p, "item", ID, default=0)),
            _("议程已删除"),
        ),
        "document": (
            lambda: _upload(request, pk),
            _("文件已上传"),
        ),
        "document_remove": (
            lambda: services.remove_document(
                actor=u, meeting_id=pk, attachment_id=read(p, "attachment", ID, default=0)
            ),
            _("文件已删除"),
        ),
        "staff_checkin": (
            lambda: services.staff_check_in(
                actor=u, meeting_id=pk, attendee_id=read(p, "attendee", ID, default=0)
            ),
            _("已代为签到"),
        ),
        "leave": (
            lambda: services.decide_leave(
                actor=u,
                meeting_id=pk,
                attendee_id=read(p, "attendee", ID, default=0),
                approve=p.get("approve") == "1",
                reason=p.get("reason", ""),
            ),
            _("请假已处理"),
        ),
        "tellers": (
            lambda: services.name_tellers(
                actor=u,
                meeting_id=pk,
                user_ids=ints(p.getlist("user"), name="user"),
            ),
            _("监票人已指定"),
        ),
        "vote_create": (
            lambda: services.create_vote(
                actor=u,
                meeting_id=pk,
                agenda_item_id=read(p, "agenda_item", ID, default=0),
                secret=p.get("secret") == "1",
                allow_change=p.get("allow_change") == "1",
                duration_seconds=read(p, "duration_seconds", SECONDS),
                title=p.get("title", ""),
            ),
            _("表决已设立"),
        ),
        "vote_open": (
            lambda: services.open_vote(actor=u, vote_id=read(p, "vote", ID, default=0)),
            _("表决已开始"),
        ),
        "vote_close": (
            lambda: services.close_vote(actor=u, vote_id=read(p, "vote", ID, default=0)),
            _("表决已结束，结果已保存"),
        ),
        **_paper_handlers(request, pk),
    }
    if action not in handlers:
        raise Http404
    selectors.meeting_for(u, pk, perms.MEETING_MANAGE)
    work, ok = handlers[action]
    return _run(request, pk, work, ok, to=to)


def _paper_handlers(request, pk: int) -> dict:
    """Deputies without phones (issue 16): bulk check-in and the paper-ballot desk's controls."""
    u, p = request.user, request.POST
    vote = lambda: read(p, "vote", ID, default=0)  # noqa: E731
    return {
        "checkin_bulk": (
            lambda: _bulk_done(
                request,
                services.staff_check_in_many(
                    actor=u,
                    meeting_id=pk,
                    attendee_ids=ints(p.getlist("attendee"), name="attendee"),
                    scanned=p.get("scanned", ""),
                ),
            ),
            _("签到已完成"),
        ),
        "paper_record": (
            lambda: services.record_paper_ballot(
                actor=u,
                vote_id=vote(),
                deputy_id=read(p, "deputy", ID, default=0),
                choice=p.get("choice", ""),
            ),
            _("纸质票已录入，请另一名工作人员复核"),
        ),
        "paper_confirm": (
            lambda: services.confirm_paper_ballot(
                actor=u,
                vote_id=vote(),
                deputy_id=read(p, "deputy", ID, default=0),
                accept=p.get("accept") == "1",
            ),
            _("复核已完成"),
        ),
        "paper_issue": (
            lambda: services.issue_paper_ballots(
                actor=u, vote_id=vote(), deputy_ids=ints(p.getlist("deputy"), name="deputy")
            ),
            _("纸质票已发放"),
        ),
        "paper_totals": (
            lambda: services.enter_paper_totals(
                actor=u,
                vote_id=vote(),
                totals={k: read(p, k, PAPER_COUNT) for k in services.PAPER_FIELDS},
            ),
            _("清点结果已录入，请另一名监票人复核"),
        ),
        "paper_totals_confirm": (
            lambda: services.confirm_paper_totals(actor=u, vote_id=vote()),
            _("清点结果已复核"),
        ),
    }


def _bulk_done(request, out: dict) -> None:
    if out["already"]:
        messages.info(request, _("已签到，未改动：%(names)s") % {"names": "、".join(out["already"])})
    if out["unknown"]:
        messages.warning(request, _("%(n)s个二维码不是本次会议应到代表的代表码") % {"n": len(out["unknown"])})


def _upload(request, pk):
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationFailed(_("请选择文件"), fields={"file": [_("请选择文件")]})
    services.add_document(
        actor=request.user, meeting_id=pk, upload=upload, agenda_item_id=read(request.POST, "agenda_item", ID)
    )


def _screen(request, pk: int, view: str, template: str, **extra):
    meeting = selectors.meeting_for(request.user, pk)
    if view == "chair" and not perms.holds(request.user, perms.MEETING_MANAGE, meeting):
        deny(request.user, perms.MEETING_MANAGE, meeting)
    live = services.live_state(meeting, view)
    extra["blocks"] = screen_blocks(request, meeting)  # other apps' results (extras.py)
    return render(request, template, {"meeting": meeting, "live": live, "view": view, **extra})


@login_required
def chair(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk, perms.MEETING_MANAGE)
    return _screen(request, pk, "chair", "meetings/chair.html", votes=list(selectors.votes(meeting)))


@login_required
def hall(request, pk: int):
    show_names = request.GET.get("names") == "1"
    meeting = selectors.meeting_for(request.user, pk)
    qr = selectors.checkin_open(meeting)
    return _screen(request, pk, "hall", "meetings/hall.html", show_names=show_names, show_qr=qr)


@login_required
def checkin_qr(request, pk: int):
    # Served while the meeting is not closed, so the hall screen can show it the moment check-in opens; the
    # token alone checks no one in: the deputy must be logged in and check-in open (services.check_in).
    meeting = selectors.meeting_for(request.user, pk)
    if meeting.state == MeetingState.CLOSED or not meeting.checkin_token:
        raise Http404
    url = request.build_absolute_uri(
        reverse("meetings:checkin", args=[meeting.pk]) + f"?t={meeting.checkin_token}"
    )
    response = qr_svg_response(url, cache_seconds=0)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my(request, pk: int):
    """The deputy's phone page: documents, check-in, leave, and the current vote with three big buttons."""
    meeting = selectors.meeting_for(request.user, pk)
    seat = selectors.my_seat(request.user, meeting)
    live = services.live_state(meeting, "phone")
    vote = None
    voted, my_choice = False, ""
    if live["vote"]:
        vote = selectors.vote_for(request.user, live["vote"]["id"])
        if seat and seat.deputy_id:
            voted, my_choice = selectors.has_voted(vote, seat.deputy_id)
    return render(
        request,
        "meetings/my.html",
        {
            "meeting": meeting,
            "seat": seat,
            "live": live,
            "view": "phone",
            "vote": vote,
            "voted": voted,
            "my_choice": my_choice,
            "can_vote": bool(
                seat
                and seat.voting
                and seat.checked_in_at
                and vote
                and vote.state == VoteState.OPEN
                and (not voted or (vote.allow_change and not vote.secret))
            ),
            "choices": Choice.choices,
            "checkin_open": selectors.checkin_open(meeting),
            "agenda": list(selectors.agenda(meeting)),
            "documents": list(selectors.documents(meeting)),
            "receipt": _receipt(request.GET.get("receipt", "")),
        },
    )


def _receipt(raw: str) -> str:
    """A receipt passed back to the phone page after a secret ballot: shown only if it looks like one."""
    code = (raw or "").strip().lower()
    return code if len(code) == 64 and all(ch in "0123456789abcdef" for ch in code) else ""


@login_required
@require_POST
def my_checkin(request, pk: int):
    return _run(
        request, pk, lambda: services.check_in(actor=request.user, meeting_id=pk), _("签到成功"), to="my"
    )


@login_required
@require_POST
def my_leave(request, pk: int):
    return _run(
        request,
        pk,
        lambda: services.request_leave(
            actor=request.user, meeting_id=pk, reason=request.POST.get("reason", "")
        ),
        _("请假申请已提交，等待人大办审批"),
        to="my",
    )


@login_required
@require_POST
def my_ballot(request, pk: int, vote_id: int):
    receipt = []
    response = _run(
        request,
        pk,
        lambda: receipt.append(
            services.cast(actor=request.user, vote_id=vote_id, choice=request.POST.get("choice", ""))
        ),
        _("您已投票"),
        to="my",
    )
    if receipt and receipt[0]:  # a secret ballot: its receipt, shown once on the phone page
        return redirect(f"{reverse('meetings:my', args=[pk])}?receipt={receipt[0]}")
    return response


@login_required
def checkin_landing(request, pk: int):
    """Where the door's QR code leads: a deputy logged in on the phone is checked in at once (method qr)."""
    token = request.GET.get("t", "")
    return _run(
        request,
        pk,
        lambda: services.check_in(actor=request.user, meeting_id=pk, token=token or "-"),
        _("扫码签到成功"),
        to="my",
    )


@login_required
def document(request, pk: int, att_id: int):
    meeting = selectors.meeting_for(request.user, pk)
    att = selectors.documents(meeting).filter(pk=att_id).first()
    if att is None:
        raise Http404
    return file_response(att)


@login_required
def minutes(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk, perms.MEETING_MANAGE)
    return docx_response(minutes_docx(meeting), f"{meeting.title}会议记录.docx")


@login_required
def notice(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk, perms.MEETING_MANAGE)
    return docx_response(notice_docx(meeting), f"{meeting.title}通知.docx")


@login_required
def resolutions(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk, perms.MEETING_MANAGE)
    return docx_response(resolutions_docx(meeting), f"{meeting.title}决议.docx")
