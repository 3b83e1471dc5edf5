"""Issue 16 items 9-11: co-signature invitations end somewhere, drafts stay private, replies go public once
rated, numbers say where they are from."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.services import issue_token
from apps.audit.models import AuditEvent
from apps.localrules.services import set_value
from apps.notifications.models import Notification
from apps.suggestions import selectors, services
from apps.suggestions.models import Motion, Suggestion
from apps.suggestions.publishing import publish_due
from apps.workflow.errors import IllegalTransition

from .factories import deputy_a2_user, draft
from .test_lifecycle import replied, submitted
from .test_motion_signers import _deputy

pytestmark = pytest.mark.django_db


def _api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


# --- 9. invitations ---------------------------------------------------------------------------------------


def test_the_invited_deputy_is_told_answers_on_one_page_and_the_lead_sees_the_answer(
    world, client, django_capture_on_commit_callbacks
):
    zhao = deputy_a2_user(world)
    with django_capture_on_commit_callbacks(execute=True):
        item = draft(world)
    # told, in the inbox, with a link to the 联名邀请 page
    note = Notification.objects.get(recipient=zhao, kind="suggestion.invite")
    assert note.url == reverse("suggestions:invitations") and "张三" in note.title
    # the submit step says why not, before anyone tries
    client.force_login(world.deputy_user)
    blocked = {a["key"]: a["blocked"] for a in client.get(item.get_absolute_url()).context["actions"]}
    assert "联名代表未确认" in str(blocked["submit"])
    with pytest.raises(IllegalTransition):
        services.act(actor=world.deputy_user, item=item, key="submit")
    # the page lists it with agree and decline; agreeing comes back to the page
    client.force_login(zhao)
    page = client.get(reverse("suggestions:invitations"))
    assert (
        page.status_code == 200
        and item.title in page.content.decode()
        and "同意联名" in page.content.decode()
    )
    resp = client.post(reverse("suggestions:sign", args=[item.pk]), {"accept": "1", "back": "invitations"})
    assert resp.status_code == 302 and resp["Location"] == reverse("suggestions:invitations")
    assert "同意联名" not in client.get(reverse("suggestions:invitations")).content.decode()
    # the lead's page shows the answer, and submitting is open now
    client.force_login(world.deputy_user)
    body = client.get(item.get_absolute_url()).content.decode()
    assert "赵六" in body and "已确认" in body
    assert services.act(actor=world.deputy_user, item=item, key="submit").state == "submitted"


def test_the_invitations_api_lists_the_callers_own_only(world):
    item = draft(world)
    zhao = deputy_a2_user(world)
    body = _api(zhao).get("/api/v1/invitations", {"pending_only": "true"}).json()
    assert body["count"] == 1
    row = body["items"][0]
    assert row["kind"] == "suggestion" and row["item_id"] == item.pk and row["pending"] is True
    assert row["lead"] == {"id": world.deputy_a.pk, "name": "张三"} and row["status"] == "invited"
    r = _api(zhao).post(
        f"/api/v1/suggestions/{item.pk}/signature", {"accept": False}, content_type="application/json"
    )
    assert r.status_code == 200
    assert _api(zhao).get("/api/v1/invitations", {"pending_only": "true"}).json()["count"] == 0
    assert _api(zhao).get("/api/v1/invitations").json()["items"][0]["status"] == "declined"
    assert _api(world.deputy_user).get("/api/v1/invitations").json()["count"] == 0  # the lead's own: none
    assert _api(world.town_user).get("/api/v1/invitations").status_code == 403


def test_a_motions_invited_deputies_are_told_too(world, django_capture_on_commit_callbacks):
    co = [_deputy(world, f"镇代表{i}") for i in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        motion = services.create_motion(
            actor=world.deputy_user,
            data={"title": "关于月河保护的议案", "content": "……", "co_signers": [d.pk for d in co]},
        )
    assert Notification.objects.filter(kind="motion.invite", object_id=str(motion.pk)).count() == 4
    assert selectors.invitations(co[0].user).get().motion_id == motion.pk


# --- 10. drafts stay private; replies public once rated -----------------------------------------------------


def test_a_deputys_draft_is_in_no_office_list_count_or_page(world):
    item = draft(world, co_signers=[])
    for office in (world.town_user, world.county_user):
        assert not selectors.suggestions(office).filter(pk=item.pk).exists()
        assert _api(office).get(f"/api/v1/suggestions/{item.pk}").status_code == 404
        assert _api(office).post(f"/api/v1/suggestions/{item.pk}/actions/submit").status_code == 404
        rows = selectors.figures(office, by="town")
        assert sum(r["total"] for r in rows) == 0
    assert selectors.suggestions(world.deputy_user).filter(pk=item.pk).exists()
    submitted_item = services.act(actor=world.deputy_user, item=item, key="submit")
    assert selectors.suggestions(world.town_user).filter(pk=submitted_item.pk).exists()


def test_a_draft_the_office_entered_for_a_deputy_stays_the_offices_to_submit(world):
    item = draft(world, actor=world.town_user, lead=world.deputy_a.pk, co_signers=[])
    assert selectors.suggestions(world.town_user).filter(pk=item.pk).exists()
    assert not selectors.suggestions(world.county_user).filter(pk=item.pk).exists()
    assert services.act(actor=world.town_user, item=item, key="submit").state == "submitted"


def test_a_deputies_draft_motion_is_private_a_presidium_one_is_not(world):
    co = [_deputy(world, f"镇代表{i}") for i in range(4)]
    mine = services.create_motion(
        actor=world.deputy_user, data={"title": "代表议案", "content": "……", "co_signers": [d.pk for d in co]}
    )
    presidium = services.create_motion(
        actor=world.town_user,
        data={"title": "主席团议案", "content": "……", "by_presidium": True, "region": world.town_a.code},
    )
    seen = set(selectors.motions(world.town_user).values_list("pk", flat=True))
    assert presidium.pk in seen and mine.pk not in seen
    assert mine.pk in set(selectors.motions(co[0].user).values_list("pk", flat=True))


def test_a_reply_is_public_only_after_the_rating_window_passed_unrated(world):
    item = replied(world)
    assert not selectors.published().filter(pk=item.pk).exists()
    assert publish_due(today=item.due_date) == 0  # the last day of the window: still theirs to rate
    assert publish_due(today=item.due_date + timedelta(days=1)) == 1
    assert selectors.published().filter(pk=item.pk).exists()
    assert AuditEvent.objects.filter(action="suggestion.reply_published", object_id=str(item.pk)).exists()
    assert publish_due(today=item.due_date + timedelta(days=1)) == 0  # once
    services.set_publish(actor=world.town_user, item=item, publish=False)
    assert not selectors.published().filter(pk=item.pk).exists()  # marked not for publication


# --- 11. numbers --------------------------------------------------------------------------------------------


def test_numbers_carry_the_towns_short_name_in_its_own_format_and_are_never_reused(world):
    year = timezone.localdate().year
    first = services.act(actor=world.town_user, item=submitted(world), key="register")
    assert first.number == f"城关建〔{year}〕1号"
    world.town_a.short_name = "城"
    world.town_a.save()
    set_value(
        actor=world.county_user,
        region=world.town_a,
        key="SUGGESTION_NUMBER_FORMAT",
        value="{short}人建〔{year}〕{n}号",
    )
    second = services.act(actor=world.town_user, item=submitted(world), key="register")
    assert second.number == f"城人建〔{year}〕2号"  # the running number goes on under the new format


def test_a_submitted_motion_gets_its_number(world):
    co = [_deputy(world, f"镇代表{i}") for i in range(4)]
    motion = services.create_motion(
        actor=world.deputy_user,
        data={"title": "关于月河保护的议案", "content": "……", "co_signers": [d.pk for d in co]},
    )
    assert motion.number == ""
    for d in co:
        services.respond(actor=d.user, item=motion, accept=True)
    motion = services.act_motion(actor=world.deputy_user, motion=motion, key="submit")
    assert motion.number == f"城关案〔{timezone.localdate().year}〕1号"
    assert _api(world.town_user).get(f"/api/v1/motions/{motion.pk}").json()["number"] == motion.number
    assert Motion.objects.filter(number=motion.number).count() == 1


def test_the_suggestion_list_and_api_show_the_township_and_tracking_code(world, client):
    item = submitted(world)
    client.force_login(world.town_user)
    body = client.get(reverse("suggestions:list")).content.decode()
    assert item.tracking_code in body and "城关镇" in body
    row = _api(world.town_user).get("/api/v1/suggestions").json()["items"][0]
    assert row["tracking_code"] == item.tracking_code and row["region"]["name"] == "城关镇"
    assert Suggestion.objects.filter(tracking_code=item.tracking_code).count() == 1
