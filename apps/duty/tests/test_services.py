"""Records, review, scores, publication and the plate scheme through the services."""

import datetime
from decimal import Decimal

import pytest

from apps.audit.models import AuditEvent
from apps.common.errors import NotFound, PermissionDenied, ValidationFailed
from apps.duty import selectors, services
from apps.duty.models import DutyRecord, PlateAction, PublishedScore, Score
from apps.notifications.models import Notification

from .factories import DAY, YEAR, default_table, entered

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)
DENIED = (NotFound, PermissionDenied)
ENTRY = {"kind": "study", "date": DAY, "title": "学习代表法", "place": "镇政府"}


def total_of(deputy, year=YEAR):
    return Score.objects.get(deputy=deputy, year=year).total


def test_deputy_enters_a_pending_record_that_does_not_count(world, django_capture_on_commit_callbacks):
    default_table(world.county)
    with django_capture_on_commit_callbacks(execute=True):
        rec = services.create_record(
            actor=world.deputy_user, deputy_id=world.deputy_a.pk, data=ENTRY, today=TODAY
        )
    assert rec.review_state == "pending" and rec.source == "self"
    services.recompute(year=YEAR, county_ids=[world.county.pk])
    assert total_of(world.deputy_a) == 0
    assert AuditEvent.objects.filter(action="duty.record.created", object_id=str(rec.pk)).exists()


def test_approval_counts_at_once_and_ranks_the_town(world, django_capture_on_commit_callbacks):
    default_table(world.county)
    services.recompute(year=YEAR, county_ids=[world.county.pk])
    rec = entered(world.deputy_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_record(actor=world.town_user, pk=rec.pk, approve=True)
    assert total_of(world.deputy_a) == 4
    assert Score.objects.get(deputy=world.deputy_a).rank_in_town == 1
    assert Score.objects.get(deputy=world.deputy_a2).rank_in_town == 2
    assert AuditEvent.objects.filter(action="duty.record.approved").exists()


def test_rejection_needs_a_reason_scores_nothing_and_tells_the_deputy(
    world, django_capture_on_commit_callbacks
):
    default_table(world.county)
    rec = entered(world.deputy_a)
    with pytest.raises(ValidationFailed) as exc:
        services.review_record(actor=world.town_user, pk=rec.pk, approve=False, reason=" ")
    assert "reason" in exc.value.fields
    with django_capture_on_commit_callbacks(execute=True):
        services.review_record(actor=world.town_user, pk=rec.pk, approve=False, reason="缺少照片")
    services.recompute(year=YEAR, county_ids=[world.county.pk])
    assert total_of(world.deputy_a) == 0
    note = Notification.objects.get(recipient=world.deputy_user, kind="duty.rejected")
    assert "缺少照片" in note.body


def test_other_town_office_cannot_review_and_a_deputy_cannot_review(world):
    rec = entered(world.deputy_a)
    with pytest.raises(DENIED):
        services.review_record(actor=world.town_b_user, pk=rec.pk, approve=True)
    with pytest.raises(PermissionDenied):
        services.review_record(actor=world.deputy_user, pk=rec.pk, approve=True)
    assert DutyRecord.objects.get(pk=rec.pk).review_state == "pending"


def test_editing_an_approved_record_sends_it_back_to_pending_and_it_stops_counting(
    world, django_capture_on_commit_callbacks
):
    default_table(world.county)
    rec = entered(world.deputy_a, state="approved")
    services.recompute(year=YEAR, county_ids=[world.county.pk])
    assert total_of(world.deputy_a) == 4
    with pytest.raises(ValidationFailed):  # the deputy cannot change a counted record
        services.update_record(actor=world.deputy_user, pk=rec.pk, data={"title": "改"}, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_record(
            actor=world.town_user, pk=rec.pk, data={"title": "学习代表法（修改）"}, today=TODAY
        )
    assert DutyRecord.objects.get(pk=rec.pk).review_state == "pending"
    assert total_of(world.deputy_a) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.review_record(actor=world.town_user, pk=rec.pk, approve=True)
    assert total_of(world.deputy_a) == 4  # counted once again, not twice


def test_platform_record_appended_twice_counts_once_and_cannot_be_edited(
    world, django_capture_on_commit_callbacks
):
    default_table(world.county)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            rec = services.append_platform_record(
                deputy=world.deputy_a,
                kind="reception",
                date=DAY,
                title="接待选民",
                source_object=world.station_a,
            )
    assert total_of(world.deputy_a) == 4
    with pytest.raises(ValidationFailed):
        services.update_record(actor=world.town_user, pk=rec.pk, data={"title": "x"}, today=TODAY)
    with pytest.raises(ValidationFailed):
        services.review_record(actor=world.town_user, pk=rec.pk, approve=False, reason="不对")


def test_deputy_may_withdraw_own_pending_record_but_not_anothers(world):
    rec = entered(world.deputy_a)
    other = entered(world.deputy_a2)
    with pytest.raises(NotFound):
        services.withdraw_record(actor=world.deputy_user, pk=other.pk)
    services.withdraw_record(actor=world.deputy_user, pk=rec.pk)
    assert not DutyRecord.objects.filter(pk=rec.pk).exists()
    assert AuditEvent.objects.filter(action="duty.record.withdrawn").exists()


def test_entry_validation_in_chinese(world):
    bad = {"kind": "suggestion", "date": "2027-01-01", "title": "", "household_id": world.household_b.pk}
    with pytest.raises(ValidationFailed) as exc:
        services.create_record(actor=world.deputy_user, deputy_id=world.deputy_a.pk, data=bad, today=TODAY)
    assert set(exc.value.fields) >= {"kind", "date", "title"}
    visit = {**ENTRY, "kind": "household_visit", "household_id": world.household_b.pk}
    with pytest.raises(ValidationFailed) as exc:
        services.create_record(actor=world.deputy_user, deputy_id=world.deputy_a.pk, data=visit, today=TODAY)
    assert "household" in exc.value.fields
    visit["household_id"] = world.household_a.pk
    rec = services.create_record(
        actor=world.deputy_user, deputy_id=world.deputy_a.pk, data=visit, today=TODAY
    )
    assert rec.household_id == world.household_a.pk


def test_deputy_cannot_enter_for_another_deputy_and_office_only_for_its_town(world):
    with pytest.raises(NotFound):  # another deputy is out of a deputy's sight: like a missing one
        services.create_record(actor=world.deputy_user, deputy_id=world.deputy_a2.pk, data=ENTRY, today=TODAY)
    with pytest.raises(DENIED):
        services.create_record(actor=world.town_b_user, deputy_id=world.deputy_a.pk, data=ENTRY, today=TODAY)
    rec = services.create_record(actor=world.town_user, deputy_id=world.deputy_a.pk, data=ENTRY, today=TODAY)
    assert rec.source == "staff"


def test_absence_units_are_deducted_per_half_day(world):
    default_table(world.county)
    entered(world.deputy_a, kind="absence", state="approved", units=3)
    entered(world.deputy_a, kind="session_attendance", state="approved")
    services.recompute(year=YEAR, county_ids=[world.county.pk])
    assert total_of(world.deputy_a) == Decimal(15 - 3)


def test_only_the_county_office_sets_the_table_and_changes_are_audited(world):
    rows = {"suggestion": (6, 2, 10)}
    with pytest.raises(PermissionDenied):
        services.save_table(
            actor=world.town_user,
            county=world.county,
            year=YEAR,
            base_score=0,
            five_good_min_score=90,
            five_good_min_suggestions=1,
            rows=rows,
        )
    services.save_table(
        actor=world.county_user,
        county=world.county,
        year=YEAR,
        base_score=0,
        five_good_min_score=90,
        five_good_min_suggestions=1,
        rows=rows,
    )
    services.save_table(
        actor=world.county_user,
        county=world.county,
        year=YEAR,
        base_score=60,
        five_good_min_score=90,
        five_good_min_suggestions=1,
        rows={"suggestion": (5, 2, 10)},
    )
    ev = AuditEvent.objects.filter(action="duty.table.changed").get()
    assert ev.summary["changes"]["suggestion"] == [["6.0", "2.0", "10.0"], ["5.0", "2.0", "10.0"]]
    with pytest.raises(ValidationFailed):
        services.save_table(
            actor=world.county_user,
            county=world.county,
            year=YEAR,
            base_score="x",
            five_good_min_score=90,
            five_good_min_suggestions=1,
            rows={"nope": (1, 1, 1)},
        )
    copy = services.copy_table(actor=world.county_user, county=world.county, from_year=YEAR, to_year=YEAR + 1)
    assert copy.base_score == 60 and copy.rules.get().first_points == 5


def test_publication_snapshots_scores_for_deputies_and_the_public(world):
    default_table(world.county)
    entered(world.deputy_a, kind="suggestion", state="approved")
    entered(world.deputy_a, state="pending")
    with pytest.raises(PermissionDenied):
        services.publish_quarter(actor=world.town_user, county=world.county, year=YEAR, quarter=1)
    services.publish_quarter(actor=world.county_user, county=world.county, year=YEAR, quarter=1)
    ps = PublishedScore.objects.get(deputy=world.deputy_a)
    assert ps.total == 6 and ps.rank_in_town == 1
    entered(world.deputy_a, kind="study", state="approved")
    services.recompute(year=YEAR, county_ids=[world.county.pk])
    counts = selectors.public_counts(world.deputy_a)
    assert counts["counts"] == {"suggestion": 1} and counts["quarter"] == 1  # the published figure, not live
    services.publish_quarter(actor=world.county_user, county=world.county, year=YEAR, quarter=1)
    assert selectors.public_counts(world.deputy_a)["counts"] == {"suggestion": 1, "study": 1}


def test_plate_actions_by_office_with_reason_audited_and_removal_takes_off_the_plate(world):
    with pytest.raises(PermissionDenied):
        services.plate_action(
            actor=world.deputy_user, deputy_id=world.deputy_a.pk, kind="warning", reason="差", year=YEAR
        )
    with pytest.raises(DENIED):
        services.plate_action(
            actor=world.town_b_user, deputy_id=world.deputy_a.pk, kind="warning", reason="差", year=YEAR
        )
    with pytest.raises(ValidationFailed) as exc:
        services.plate_action(
            actor=world.town_user, deputy_id=world.deputy_a.pk, kind="talk", reason="", year=YEAR
        )
    assert {"reason", "notes"} <= set(exc.value.fields)
    services.plate_action(
        actor=world.town_user, deputy_id=world.deputy_a.pk, kind="warning", reason="年度评价为差", year=YEAR
    )
    services.plate_action(
        actor=world.county_user,
        deputy_id=world.deputy_a.pk,
        kind="removal",
        reason="连续两年评价为差",
        year=YEAR,
    )
    world.deputy_a.refresh_from_db()
    assert not world.deputy_a.on_plate
    assert PlateAction.objects.count() == 2
    assert AuditEvent.objects.filter(action="duty.plate.removal", reason="连续两年评价为差").exists()
    with pytest.raises(ValidationFailed):
        services.plate_action(
            actor=world.county_user, deputy_id=world.deputy_a.pk, kind="removal", reason="again", year=YEAR
        )


def test_second_poor_year_is_proposed_for_removal_and_five_good_candidates(world):
    default_table(world.county)
    default_table(world.county, year=YEAR - 1)
    services.recompute(year=YEAR - 1, county_ids=[world.county.pk])
    for _ in range(1):
        entered(world.deputy_a2, kind="session_attendance", state="approved")
    services.recompute(year=YEAR, county_ids=[world.county.pk])
    proposed = {s.deputy_id for s in selectors.removal_proposals(world.town_user, year=YEAR)}
    assert proposed == {world.deputy_a.pk, world.deputy_a2.pk}
    assert selectors.removal_proposals(world.town_b_user, year=YEAR - 0) == [] or all(
        s.town_id == world.town_b.pk for s in selectors.removal_proposals(world.town_b_user, year=YEAR)
    )
    assert selectors.five_good_candidates(world.town_user, year=YEAR) == []


def test_first_day_of_a_quarter_publishes_the_quarter_just_ended(world):
    default_table(world.county)
    entered(world.deputy_a, kind="suggestion", state="approved")
    assert services.publish_due(today=datetime.date(2026, 7, 1)) == 1
    counts = selectors.public_counts(world.deputy_a)
    assert (counts["year"], counts["quarter"], counts["counts"]) == (2026, 2, {"suggestion": 1})
    assert AuditEvent.objects.filter(action="duty.scores.published", actor=None).exists()


def test_recompute_scores_command(world):
    from django.core.management import call_command

    default_table(world.county)
    entered(world.deputy_a, kind="suggestion", state="approved")
    call_command("recompute_scores", "--year", str(YEAR), "--county", world.county.code)
    assert total_of(world.deputy_a) == 6
