"""Commitments (1-3 a year, rated once at year end) and the report-back rating (one secret rating per
voter phone per meeting, nothing linking a phone to a choice)."""

from datetime import date

import pytest
from django.db import connection

from apps.archive import rules, selectors, services
from apps.archive.models import (
    Commitment,
    CommitmentState,
    RatingParticipation,
    ReportBackSpeaker,
)
from apps.audit.models import AuditEvent
from apps.ballotbox.models import Sealed
from apps.common.errors import NotFound, PermissionDenied, ValidationFailed
from apps.duty.models import ActivityKind, DutyRecord

from .factories import (
    ballot,
    close,
    close_unrated,
    commitment,
    make_keys,
    meeting,
    open_meeting,
    prepare,
    tally,
    voters,
)

pytestmark = pytest.mark.django_db


# --- commitments ----------


def test_a_deputy_commits_to_one_to_three_things_and_a_fourth_is_refused(world):
    for i in range(3):
        commitment(world, title=f"承诺{i}", actor=world.deputy_user)
    with pytest.raises(ValidationFailed) as exc:
        commitment(world, title="第四件", actor=world.deputy_user)
    assert "1 至 3" in str(exc.value.fields["title"][0])
    assert Commitment.objects.filter(deputy=world.deputy_a).count() == 3


def test_a_withdrawn_commitment_frees_its_place(world):
    items = [commitment(world, title=f"承诺{i}") for i in range(3)]
    services.withdraw_commitment(actor=world.deputy_user, commitment_id=items[0].pk, reason="村里已另行安排")
    commitment(world, title="新承诺")
    assert Commitment.objects.filter(deputy=world.deputy_a).exclude(state="withdrawn").count() == 3


def test_the_limit_is_a_local_setting(world, settings):
    settings.RENDA = {**settings.RENDA, "COMMITMENTS_MAX": 1}
    commitment(world)
    with pytest.raises(ValidationFailed):
        commitment(world, title="第二件")


def test_a_deputy_cannot_commit_for_another_deputy_nor_another_towns_office(world):
    # Neither sees that deputy: refused like a missing one (issue #13).
    with pytest.raises(NotFound):
        commitment(world, deputy=world.deputy_a2, actor=world.deputy_user)
    with pytest.raises(NotFound):
        commitment(world, actor=world.town_b_user)


def test_target_date_outside_the_year_is_refused(world):
    with pytest.raises(ValidationFailed) as exc:
        services.create_commitment(
            actor=world.town_user,
            deputy_id=world.deputy_a.pk,
            data={"title": "x", "target_date": "2027-02-01", "year": 2026},
        )
    assert "target_date" in exc.value.fields


def test_progress_is_recorded_and_audited(world):
    item = commitment(world)
    services.add_progress(actor=world.deputy_user, commitment_id=item.pk, data={"note": "已完成设计"})
    assert item.progress.count() == 1
    assert AuditEvent.objects.filter(action="archive.commitment.progress").exists()


def test_year_end_rating_appends_exactly_one_duty_record_even_when_run_twice(world):
    item = commitment(world)
    for _ in range(2):
        services.rate_commitment(
            actor=world.town_user, commitment_id=item.pk, rating="fulfilled", today=date(2026, 12, 20)
        )
    item.refresh_from_db()
    assert item.state == CommitmentState.FULFILLED
    assert DutyRecord.objects.filter(deputy=world.deputy_a, kind=ActivityKind.COMMITMENT).count() == 1
    assert AuditEvent.objects.filter(action="archive.commitment.rated").count() == 1


def test_an_unfulfilled_commitment_past_its_target_is_recorded_overdue(world):
    item = commitment(world, target=date(2026, 6, 30))
    services.rate_commitment(
        actor=world.town_user,
        commitment_id=item.pk,
        rating="unfulfilled",
        reason="资金未到位",
        today=date(2026, 12, 20),
    )
    rec = DutyRecord.objects.get(deputy=world.deputy_a)
    assert rec.kind == ActivityKind.COMMITMENT_OVERDUE


def test_a_rating_cannot_be_changed_nor_given_by_the_deputy(world):
    item = commitment(world)
    with pytest.raises((PermissionDenied, NotFound)):
        services.rate_commitment(actor=world.deputy_user, commitment_id=item.pk, rating="fulfilled")
    services.rate_commitment(actor=world.town_user, commitment_id=item.pk, rating="fulfilled")
    with pytest.raises(ValidationFailed):
        services.rate_commitment(
            actor=world.town_user, commitment_id=item.pk, rating="unfulfilled", reason="x"
        )
    with pytest.raises(ValidationFailed) as exc:
        services.rate_commitment(
            actor=world.town_user, commitment_id=commitment(world, title="b").pk, rating="partial"
        )
    assert "reason" in exc.value.fields


def test_another_towns_office_cannot_rate(world):
    item = commitment(world)
    with pytest.raises(NotFound):  # out of sight: like a missing one (issue #13)
        services.rate_commitment(actor=world.town_b_user, commitment_id=item.pk, rating="fulfilled")


# --- report-back rating ----------


def test_one_rating_per_voter_phone_per_meeting(world):
    v = voters(world, 2)
    m = open_meeting(world)
    services.cast_rating(token=m.rating_token, phone=v[0].phone, choices=ballot(world))
    with pytest.raises(services.AlreadyRated):
        services.cast_rating(token=m.rating_token, phone=v[0].phone, choices=ballot(world, "dissatisfied"))
    # The same phone may rate at another meeting.
    other = open_meeting(world, on=date(2026, 12, 11))
    services.cast_rating(token=other.rating_token, phone=v[0].phone, choices=ballot(world))
    assert RatingParticipation.objects.filter(meeting=m).count() == 1
    # one sealed ballot in this meeting's box, none for the refused second try
    assert Sealed.objects.filter(box__object_id=m.pk, box__title=m.title).count() == 1


def test_rating_before_opening_or_after_close_is_refused(world):
    v = voters(world, 2)
    m = meeting(world)
    with pytest.raises(services.RatingClosed):
        services.cast_rating(token=m.rating_token, phone=v[0].phone, choices=ballot(world))
    prepare(world, m)
    with pytest.raises(services.RatingClosed):  # the box is made, the tellers' keys are not
        services.cast_rating(token=m.rating_token, phone=v[0].phone, choices=ballot(world))
    make_keys(world, m)
    services.open_rating(actor=world.town_user, meeting_id=m.pk)
    services.close_rating_anyway(actor=world.town_user, meeting_id=m.pk, reason="测试")
    with pytest.raises(services.RatingClosed):  # counting
        services.cast_rating(token=m.rating_token, phone=v[1].phone, choices=ballot(world))
    tally(world, m)
    with pytest.raises(services.RatingClosed):
        services.cast_rating(token=m.rating_token, phone=v[1].phone, choices=ballot(world))


def test_only_registered_voters_of_the_town_rate_unless_the_setting_allows_anyone(world, settings):
    m = open_meeting(world)
    with pytest.raises(ValidationFailed) as exc:
        services.cast_rating(token=m.rating_token, phone="13912345678", choices=ballot(world))
    assert "phone" in exc.value.fields
    with pytest.raises(ValidationFailed):
        services.cast_rating(token=m.rating_token, phone="12345", choices=ballot(world))
    settings.RENDA = {**settings.RENDA, "REPORT_BACK_VOTERS_ONLY": False}
    services.cast_rating(token=m.rating_token, phone="13912345678", choices=ballot(world))


def test_every_reporting_deputy_must_be_rated(world):
    v = voters(world, 1)
    m = open_meeting(world)
    with pytest.raises(ValidationFailed):
        services.cast_rating(token=m.rating_token, phone=v[0].phone, choices={world.deputy_a.pk: "satisfied"})
    assert not RatingParticipation.objects.exists()


def test_the_secret_rating_stores_nothing_linking_a_phone_to_a_choice(world):
    v = voters(world, 3)
    m = open_meeting(world)
    before = AuditEvent.objects.count()
    services.cast_rating(token=m.rating_token, phone=v[0].phone, choices=ballot(world, "dissatisfied"))
    # No audit event per ballot.
    assert AuditEvent.objects.count() == before
    # The participation holds only the meeting and a keyed hash: no phone, no choice, no time.
    fields = {f.name for f in RatingParticipation._meta.get_fields()}
    assert fields == {"id", "meeting", "voter_key"}
    part = RatingParticipation.objects.get()
    assert v[0].phone not in part.voter_key
    assert part.voter_key == rules.voter_key(m.pk, v[0].phone)
    # No counter moved: the speakers hold no result until the tellers decrypt the totals.
    assert not ReportBackSpeaker.objects.filter(meeting=m, satisfied__isnull=False).exists()
    # No table anywhere holds the phone hash beside a choice.
    with connection.cursor() as cur:
        for table in connection.introspection.table_names():
            cur.execute(f'SELECT * FROM "{table}"')
            for row in cur.fetchall():
                text = "|".join(str(c) for c in row)
                if part.voter_key in text:
                    assert table == RatingParticipation._meta.db_table


def test_closing_files_the_result_and_appends_report_back_records(world):
    v = voters(world, 4)
    m = open_meeting(world)
    for i, choice in enumerate(["satisfied", "satisfied", "basic", "dissatisfied"]):
        services.cast_rating(
            token=m.rating_token, phone=v[i].phone, choices=ballot(world, choice, "satisfied")
        )
    close(world, m)
    s = ReportBackSpeaker.objects.get(meeting=m, deputy=world.deputy_a)
    assert (s.satisfied, s.basic, s.dissatisfied, s.satisfaction_rate) == (2, 1, 1, 75.0)
    m.refresh_from_db()
    assert m.participants == 4
    kinds = DutyRecord.objects.filter(kind=ActivityKind.REPORT_BACK).values_list("deputy_id", flat=True)
    assert sorted(kinds) == sorted([world.deputy_a.pk, world.deputy_a2.pk])
    with pytest.raises(services.RatingClosed):
        services.close_rating(actor=world.town_user, meeting_id=m.pk)


def test_another_towns_office_cannot_plan_open_or_close(world):
    # Another town (and its meetings) is out of sight: refused like a missing one (issue #13).
    with pytest.raises(NotFound):
        meeting(world, actor=world.town_b_user)
    m = meeting(world)
    with pytest.raises(NotFound):
        services.open_rating(actor=world.town_b_user, meeting_id=m.pk)
    with pytest.raises((NotFound, PermissionDenied)):
        services.open_rating(actor=world.deputy_user, meeting_id=m.pk)


def test_speakers_must_be_deputies_of_the_town(world):
    with pytest.raises(ValidationFailed):
        meeting(world, deputies=[world.deputy_a, world.deputy_b])


def test_the_draft_report_holds_the_deputys_counts_and_the_deputy_submits_it(world):
    from apps.duty.services import append_platform_record

    item = commitment(world, title="修通便民桥")
    for i, v in enumerate(voters(world, 3)):
        append_platform_record(
            deputy=world.deputy_a, kind="reception", date=date(2026, 3, i + 1), title="接待", source_object=v
        )
    text = selectors.draft_report(world.deputy_a, 2026)
    assert "接待选民3次" in text
    assert "修通便民桥" in text and item.get_state_display() in text
    m = meeting(world)
    speaker = m.speakers.get(deputy=world.deputy_a)
    services.save_report(actor=world.deputy_user, speaker_id=speaker.pk, text=text, submit=True)
    speaker.refresh_from_db()
    assert speaker.report_state == "submitted"
    other = m.speakers.get(deputy=world.deputy_a2)
    with pytest.raises((PermissionDenied, NotFound)):
        services.save_report(actor=world.deputy_user, speaker_id=other.pk, text="x")


def test_deputies_not_yet_reported_back_this_term(world):
    today = date(2026, 11, 23)
    rows = selectors.not_reported_back(world.town_user, today=today)
    assert {r["deputy"].pk for r in rows} == {world.deputy_a.pk, world.deputy_a2.pk}
    m = open_meeting(world, deputies=[world.deputy_a], on=date(2026, 11, 1))
    close_unrated(world, m)
    rows = selectors.not_reported_back(world.town_user, today=today)
    assert {r["deputy"].pk for r in rows} == {world.deputy_a2.pk}


def test_trying_numbers_in_bulk_is_throttled(world, settings):
    from apps.common.errors import Throttled

    settings.RENDA = {**settings.RENDA, "REPORT_BACK_ATTEMPTS_PER_IP_HOUR": 2}
    m = open_meeting(world)
    for _ in range(2):
        with pytest.raises(ValidationFailed):
            services.cast_rating(token=m.rating_token, phone="13912345678", choices=ballot(world))
    with pytest.raises(Throttled):
        services.cast_rating(token=m.rating_token, phone="13912345679", choices=ballot(world))
