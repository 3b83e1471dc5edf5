"""Proposals from every source and their screening (issue 19 parts 1-2), adopted projects with milestones,
progress, overdue flags and inspections (parts 4-5), scoping, and the papers."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.common.errors import DomainError, NotFound
from apps.duty.models import DutyRecord
from apps.notifications.models import Notification
from apps.projects import progress, selectors, services
from apps.projects.models import Candidate, Project, Source
from apps.workflow.services import create_tracked, transition

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
YEAR = timezone.localdate().year + 1


def _png():
    return SimpleUploadedFile("p.png", PNG, content_type="image/png")


@pytest.fixture
def draft(world):
    return services.create_list(actor=world.town_user, town_id=world.town_a.pk, year=YEAR, places=1)


def test_the_public_proposes_and_reads_the_screening_reason_by_code(world, draft):
    item = services.propose_public(
        town_code=world.town_a.code,
        data={"title": "月河村修建便民桥", "detail": "雨季无法通行", "proposer_phone": "13800000000"},
    )
    assert item.source == Source.PUBLIC and item.year == YEAR and item.state == "submitted"
    transition(item, "not_list", actor=world.town_user, data={"reason": "已列入县交通局计划"})
    found = selectors.by_tracking_code(item.tracking_code.lower())
    assert found.state == "not_listed" and found.screening_reason == "已列入县交通局计划"


def test_the_public_form_needs_a_phone_and_refuses_control_characters(world):
    with pytest.raises(DomainError) as exc:
        services.propose_public(town_code=world.town_a.code, data={"title": "便民桥"})
    assert "proposer_phone" in exc.value.fields
    with pytest.raises(DomainError) as exc:
        services.propose_public(
            town_code=world.town_a.code, data={"title": "便民\x00桥", "proposer_phone": "138"}
        )
    assert "title" in exc.value.fields


def test_deputies_and_units_propose_for_their_own_town_only(world):
    mine = services.propose(actor=world.deputy_user, town_id=world.town_a.pk, data={"title": "村道硬化"})
    assert mine.source == Source.DEPUTY and mine.deputy == world.deputy_a
    unit = services.propose(actor=world.unit_user, town_id=world.town_a.pk, data={"title": "卫生室改造"})
    assert unit.source == Source.UNIT and unit.unit == world.unit_a
    with pytest.raises(NotFound):
        services.propose(actor=world.deputy_user, town_id=world.town_b.pk, data={"title": "村道硬化"})


def test_an_opinion_becomes_a_proposal_once(world):
    from apps.opinions.tests.factories import opinion as make_opinion

    opinion = make_opinion(world)
    item = services.propose_from_opinion(actor=world.town_user, opinion_id=opinion.pk, year=YEAR)
    assert item.source == Source.OPINION and item.opinion == opinion and item.town_id == world.town_a.pk
    with pytest.raises(DomainError):
        services.propose_from_opinion(actor=world.town_user, opinion_id=opinion.pk, year=YEAR)


def test_similar_proposals_are_shown_and_merged(world, draft):
    data = {"year": YEAR, "proposer_phone": "13800000000"}
    a = services.propose_public(town_code=world.town_a.code, data={**data, "title": "月河村安装太阳能路灯"})
    b = services.propose_public(town_code=world.town_a.code, data={**data, "title": "月河村太阳能路灯安装"})
    services.propose_public(town_code=world.town_a.code, data={**data, "title": "中学食堂改造"})
    assert [p.pk for p, _s in services_similar(b)][:1] == [a.pk]
    merged = transition(b, "merge", actor=world.town_user, data={"into": a.pk})
    assert merged.state == "merged" and merged.merged_into == a and a.title in merged.screening_reason


def services_similar(item):
    from apps.projects.choices import similar

    return similar(item)


def test_listing_a_proposal_puts_it_on_the_draft_list_with_its_budget(world, draft):
    item = services.propose(actor=world.deputy_user, town_id=world.town_a.pk, data={"title": "村道硬化"})
    transition(item, "list", actor=world.town_user, data={"budget": "120.5", "schedule": "3月至10月"})
    c = Candidate.objects.get(proposal=item)
    assert (c.candidate_list, str(c.budget), c.schedule) == (draft, "120.50", "3月至10月")


def test_listing_needs_the_towns_draft_list(world):
    item = services.propose(actor=world.deputy_user, town_id=world.town_a.pk, data={"title": "村道硬化"})
    with pytest.raises(DomainError, match="清单"):
        transition(item, "list", actor=world.town_user, data={"budget": "10"})


def test_a_deputy_cannot_screen(world, draft):
    item = services.propose(actor=world.deputy_user, town_id=world.town_a.pk, data={"title": "村道硬化"})
    with pytest.raises(DomainError) as exc:
        transition(item, "not_list", actor=world.deputy_user, data={"reason": "不行"})
    assert exc.value.status in (403, 404)


@pytest.fixture
def project(world, draft):
    cand = services.add_candidate(
        actor=world.town_user, list_id=draft.pk, data={"title": "月河村路灯", "budget": "80"}
    )
    fields = {
        "region": world.town_a,
        "candidate": cand,
        "year": YEAR,
        "title": cand.title,
        "budget": cand.budget,
        "votes": 30,
        "adopted_on": timezone.localdate(),
    }
    made = create_tracked(Project, actor=world.town_user, fields=fields)
    return transition(
        made,
        "assign",
        actor=world.town_user,
        data={"leader": world.deputy_a2.pk, "unit": world.unit_a.pk, "monitors": [world.deputy_a.pk]},
    )


def test_assigning_sets_the_member_in_charge_the_unit_and_the_monitors(project, world):
    assert project.state == "under_way"
    assert (project.leader, project.unit) == (world.deputy_a2, world.unit_a)
    assert list(project.monitors.all()) == [world.deputy_a]


def test_the_unit_reports_progress_with_photos_and_the_milestone_takes_its_figures(project, world):
    m = progress.add_milestone(
        actor=world.town_user, project_id=project.pk, title="安装", due_on="2030-06-30", budget="50"
    )
    report = progress.report_progress(
        actor=world.unit_user,
        milestone_id=m.pk,
        percent_done=100,
        spent="48.5",
        note="已安装40盏",
        photos=[_png()],
    )
    m.refresh_from_db()
    assert (m.percent_done, str(m.spent), m.done_on) == (100, "48.50", timezone.localdate())
    from apps.workflow.uploads import attachments_of

    assert attachments_of(report).count() == 1
    with pytest.raises(DomainError):
        progress.report_progress(actor=world.unit_user, milestone_id=m.pk, percent_done=101, spent="1")


def test_a_unit_sees_only_its_own_projects_and_another_town_none(project, world):
    from apps.accounts.tests.factories import user_with
    from apps.places.tests.factories import HandlingUnitFactory

    assert list(selectors.projects(world.unit_user)) == [project]
    other = user_with("unit_staff", "unit2", unit=HandlingUnitFactory(name="涧池镇政府", region=world.town_b))
    assert list(selectors.projects(other)) == []
    assert list(selectors.projects(world.town_b_user)) == []
    with pytest.raises(NotFound):
        selectors.project_for(world.town_b_user, project.pk)


def test_an_overdue_milestone_flags_once_and_notifies_unit_leader_and_office(project, world):
    from apps.accounts.tests.factories import user_with

    user_with("deputy", "leader", deputy=world.deputy_a2)
    progress.add_milestone(
        actor=world.town_user, project_id=project.pk, title="招标", due_on="2020-01-31", budget="5"
    )
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert progress.flag_overdue(datetime.date(2026, 3, 1)) == 1
    assert progress.flag_overdue(datetime.date(2026, 3, 2)) == 0
    told = set(
        Notification.objects.filter(kind="project.milestone_overdue").values_list(
            "recipient__username", flat=True
        )
    )
    assert {world.unit_user.username, world.town_user.username, "leader"} <= told


def test_an_inspection_is_on_the_project_and_in_each_deputys_duty_record(project, world):
    made = progress.inspect(
        actor=world.deputy_user,
        project_id=project.pk,
        on=timezone.localdate(),
        deputies=[world.deputy_a2.pk],
        findings="路灯亮度不足",
        photos=[_png()],
    )
    assert set(made.deputies.all()) == {world.deputy_a, world.deputy_a2}
    assert (
        DutyRecord.objects.filter(deputy__in=[world.deputy_a, world.deputy_a2], kind="inspection").count()
        == 2
    )


def test_the_adopted_list_is_a_word_file_and_the_ledger_an_excel_file(project, world):
    from docx import Document
    from openpyxl import load_workbook

    from apps.projects.word import adopted_docx, ledger_response

    doc = Document(io.BytesIO(adopted_docx(world.town_a, YEAR, [project])))
    assert any("月河村路灯" in p.text for p in doc.paragraphs)
    response = ledger_response(selectors.projects(world.town_user))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[2]][2] == "月河村路灯"


def test_the_county_figures_add_up_per_town_in_sql(project, world, django_assert_max_num_queries):
    progress.add_milestone(
        actor=world.town_user, project_id=project.pk, title="安装", due_on="2030-06-30", budget="50"
    )
    m = project.milestones.get()
    progress.report_progress(actor=world.unit_user, milestone_id=m.pk, percent_done=50, spent="20")
    services.propose(actor=world.deputy_user, town_id=world.town_a.pk, data={"title": "村道", "year": YEAR})
    with django_assert_max_num_queries(6):
        rows = selectors.figures(world.county_user, year=YEAR)
    assert len(rows) == 1
    row = rows[0]
    assert (row["proposed"], row["adopted"], row["completed"], row["budget"], row["spent"]) == (
        1,
        1,
        0,
        Decimal(80),
        Decimal(20),
    )


def test_the_figures_page_adds_a_county_line(world, client):
    from apps.demo.bench_projects import seed_bench_projects

    seed_bench_projects()
    year = timezone.localdate().year - 1  # the bench data: built and rated
    rows = selectors.figures(world.county_user, year=year)
    total = selectors.figures_total(rows)
    assert total["adopted"] == sum(r["adopted"] for r in rows) and total["budget"] == sum(
        r["budget"] for r in rows
    )
    whole = total["satisfied"] + total["basic"] + total["dissatisfied"]
    assert whole and total["satisfaction"] == round((total["satisfied"] + total["basic"]) * 100 / whole, 1)
    client.force_login(world.county_user)
    html = client.get(f"/projects/figures/?year={year}").content.decode()
    assert "<tfoot><tr><th>合计</th>" in html and f"<th>{total['adopted']}</th>" in html
    xlsx = client.get(f"/projects/figures/?year={year}&export=xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    last = [c.value for c in book.active[book.active.max_row]]
    assert last[0] == "合计" and last[2] == total["adopted"]
