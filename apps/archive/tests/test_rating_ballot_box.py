"""The report-back rating through the ballot box (issue 15): the office and a second staff member it names are
the tellers; a rating is a participation and a sealed ballot in one transaction, no counter moves; only the
two tellers together decrypt the combined totals, and the result is filed once after the last share.

The attacker holds every row of every table, the audit log and the box's public data (on PostgreSQL also
the system columns xmin and ctid), everything but the tellers' codes."""

import random

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from apps.accounts.services import issue_token
from apps.archive import ballots, services
from apps.archive.models import RatingParticipation, ReportBackMeeting, ReportBackSpeaker
from apps.audit.models import AuditEvent
from apps.ballotbox import crypto, selectors
from apps.ballotbox.models import Box, Sealed, Tally
from apps.ballotbox.signals import tallied
from apps.common.choices import Satisfaction
from apps.common.errors import ValidationFailed
from apps.duty.models import ActivityKind, DutyRecord
from apps.workflow.errors import IllegalTransition
from apps.workflow.services import steps_of

from .factories import CODES, ballot, make_keys, meeting, open_meeting, prepare, tally, voters

pytestmark = pytest.mark.django_db
VALUES = Satisfaction.rated_values()
WORDS = set(VALUES) | {str(label) for _v, label in Satisfaction.rated()}


def _anyone(settings):
    """Any mobile number may rate (no voter register needed), and the hall's address is not throttled."""
    settings.RENDA = {
        **settings.RENDA,
        "REPORT_BACK_VOTERS_ONLY": False,
        "REPORT_BACK_ATTEMPTS_PER_IP_HOUR": 10**6,
    }


def _phone(n: int) -> str:
    return f"139{n:08d}"


def _dump() -> dict[str, list[str]]:
    """Every row of every table, as the attacker's copy of the database holds it."""
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            out[table] = sorted("|".join(map(str, row)) for row in cursor.fetchall())
    return out


def _rate_many(world, m, n, seed=15):
    """n voters, each rating both speakers at random; returns [(voter_key, receipt, [index, index])]."""
    rng = random.Random(seed)
    from apps.archive import rules

    out = []
    for i in range(n):
        picked = [rng.randrange(3), rng.randrange(3)]
        receipt = services.cast_rating(
            token=m.rating_token, phone=_phone(i), choices=ballot(world, *(VALUES[c] for c in picked))
        )
        out.append((rules.voter_key(m.pk, _phone(i)), receipt, picked))
    return out


# --- the second teller ------------------------------------------------------------------------------------


def test_the_box_is_made_at_preparation_with_the_office_and_the_named_staff_as_its_tellers(world):
    m = meeting(world)
    m = prepare(world, m)
    assert m.state == "prepared"
    box = ballots.rating_box(m)
    assert box.state == "setup" and box.target == m
    assert box.questions == ["张三", "赵六"] and box.labels == ["满意", "基本满意", "不满意"]
    assert [t.user for t in box.trustees.order_by("id")] == [world.town_user, world.county_user]
    event = AuditEvent.objects.get(action="archive.report_back.rating_prepared")
    assert event.summary["effects"]["box"] == {
        "box": box.pk,
        "tellers": [world.town_user.pk, world.county_user.pk],
    }


@pytest.mark.parametrize("who", ["actor", "other_town", "deputy", "inactive", "unknown", "huge"])
def test_a_second_teller_who_is_the_actor_out_of_region_or_not_staff_is_refused(world, who):
    m = meeting(world)
    users = {
        "actor": world.town_user.pk,
        "other_town": world.town_b_user.pk,
        "deputy": world.deputy_user.pk,
        "unknown": 10**6,
        "huge": 2**40,
    }
    if who == "inactive":
        get_user_model().objects.filter(pk=world.county_user.pk).update(is_active=False)
        users["inactive"] = world.county_user.pk
    with pytest.raises(ValidationFailed) as caught:
        services.prepare_rating(actor=world.town_user, meeting_id=m.pk, second_teller=users[who])
    assert list(caught.value.fields) == ["second_teller"]
    if who == "actor":
        assert "不能是您本人" in caught.value.fields["second_teller"][0]
    m.refresh_from_db()
    assert m.state == "planned" and ballots.rating_box(m) is None and not Box.objects.exists()
    refused = AuditEvent.objects.get(action="archive.report_back.teller_refused", object_id=str(m.pk))
    assert refused.summary["second_teller"] == (None if who == "huge" else users[who])
    assert refused.summary["fields"] == ["second_teller"]


def test_the_page_refuses_a_second_teller_that_is_not_a_number_with_its_message(world, client):
    m = meeting(world)
    client.force_login(world.town_user)
    page = f"/archive/report-back/{m.pk}/"
    for raw in ("abc", "１２", "-3", ""):
        r = client.post(page, {"action": "prepare", "second_teller": raw})
        assert r.status_code == 302
    assert ReportBackMeeting.objects.get(pk=m.pk).state == "planned"
    summaries = AuditEvent.objects.filter(action="archive.report_back.teller_refused").values_list(
        "summary", flat=True
    )
    assert [s["second_teller"] for s in summaries] == [None, None, None, None]


def test_the_api_refuses_a_bad_second_teller_with_a_field_error(world):
    m = meeting(world)
    office = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=world.town_user)}")
    url = f"/api/v1/archive/report-backs/{m.pk}/prepare"
    for body in (
        {"second_teller": world.deputy_user.pk},
        {"second_teller": 2**40},
        {"second_teller": "x"},
        {},
    ):
        r = office.post(url, body, content_type="application/json")
        assert r.status_code in (400, 422), (body, r.content)
        assert "second_teller" in r.json()["fields"], body
    assert ReportBackMeeting.objects.get(pk=m.pk).state == "planned"


def test_the_rating_opens_only_once_both_tellers_made_their_keys(world):
    m = prepare(world, meeting(world))
    with pytest.raises(IllegalTransition) as caught:
        services.open_rating(actor=world.town_user, meeting_id=m.pk)
    assert "尚有监票人未生成密钥份额" in str(caught.value.message)
    make_keys(world, m, [world.town_user])
    with pytest.raises(IllegalTransition) as caught:
        services.open_rating(actor=world.town_user, meeting_id=m.pk)
    assert "county" in str(caught.value.message) or world.county_user.get_username() in str(
        caught.value.message
    )
    assert [t["owes"] for t in ballots.tellers(m)] == ["", "key"]
    make_keys(world, m, [world.county_user])
    m = services.open_rating(actor=world.town_user, meeting_id=m.pk)
    assert m.state == "rating" and ballots.rating_box(m).state == "open"


# --- a rating: one transaction, no counter ----------------------------------------------------------------


def test_a_rating_inserts_a_participation_and_a_sealed_ballot_and_changes_nothing_else(world, settings):
    _anyone(settings)
    m = open_meeting(world)
    before = _dump()
    audit = AuditEvent.objects.count()
    receipt = services.cast_rating(
        token=m.rating_token, phone=_phone(1), choices=ballot(world, "dissatisfied")
    )
    after = _dump()
    changed = {t for t in after if after[t] != before.get(t)}
    assert changed == {RatingParticipation._meta.db_table, Sealed._meta.db_table}
    for table in changed:
        assert len(after[table]) == len(before[table]) + 1  # one insert each, no update
    assert AuditEvent.objects.count() == audit  # no event per rating
    assert Sealed.objects.get().receipt == receipt
    assert not ReportBackSpeaker.objects.filter(meeting=m, satisfied__isnull=False).exists()


def test_exactly_once_per_phone_and_a_failed_seal_leaves_no_participation(world, settings, monkeypatch):
    _anyone(settings)
    m = open_meeting(world)
    services.cast_rating(token=m.rating_token, phone=_phone(1), choices=ballot(world))
    with pytest.raises(services.AlreadyRated):
        services.cast_rating(token=m.rating_token, phone=_phone(1), choices=ballot(world, "dissatisfied"))
    with pytest.raises(services.AlreadyRated):  # the same number written otherwise
        services.cast_rating(token=m.rating_token, phone="139 0000 0001", choices=ballot(world))

    def broken(**kw):
        raise RuntimeError("crash while sealing")

    monkeypatch.setattr(services.ballotbox, "seal", broken)
    with pytest.raises(RuntimeError):
        services.cast_rating(token=m.rating_token, phone=_phone(2), choices=ballot(world))
    monkeypatch.undo()
    assert RatingParticipation.objects.filter(meeting=m).count() == Sealed.objects.count() == 1
    services.cast_rating(token=m.rating_token, phone=_phone(2), choices=ballot(world))  # the retry counts
    assert RatingParticipation.objects.filter(meeting=m).count() == Sealed.objects.count() == 2
    services.close_rating(actor=world.town_user, meeting_id=m.pk)
    m = tally(world, m)
    assert m.participants == 2
    for s in ReportBackSpeaker.objects.filter(meeting=m):
        assert s.total == 2


# --- the tally ----------------------------------------------------------------------------------------------


def test_results_are_filed_once_after_the_last_share(world):
    v = voters(world, 3)
    m = open_meeting(world)
    for voter, choice in zip(v, ["satisfied", "basic", "satisfied"], strict=True):
        services.cast_rating(
            token=m.rating_token, phone=voter.phone, choices=ballot(world, choice, "dissatisfied")
        )
    services.close_rating(actor=world.town_user, meeting_id=m.pk)
    m = tally(world, m, [world.county_user])
    assert m.state == "counting" and [t["owes"] for t in ballots.tellers(m)] == ["share", ""]
    assert not ReportBackSpeaker.objects.filter(meeting=m, satisfied__isnull=False).exists()
    assert not DutyRecord.objects.filter(kind=ActivityKind.REPORT_BACK).exists()
    m = tally(world, m, [world.town_user])
    assert m.state == "closed"
    a = ReportBackSpeaker.objects.get(meeting=m, deputy=world.deputy_a)
    a2 = ReportBackSpeaker.objects.get(meeting=m, deputy=world.deputy_a2)
    assert (a.satisfied, a.basic, a.dissatisfied) == (2, 1, 0)
    assert (a2.satisfied, a2.basic, a2.dissatisfied) == (0, 0, 3)
    step = steps_of(m).get(transition="file_results")
    assert step.actor is None
    event = AuditEvent.objects.get(action="archive.report_back.results_filed")
    assert event.summary["effects"]["results"]["results"] == {
        str(world.deputy_a.pk): [2, 1, 0],
        str(world.deputy_a2.pk): [0, 0, 3],
    }
    # The signal again (a retry, a second receiver): nothing is filed twice.
    tallied.send(sender=Box, box=ballots.rating_box(m))
    assert steps_of(m).filter(transition="file_results").count() == 1
    assert DutyRecord.objects.filter(kind=ActivityKind.REPORT_BACK).count() == 2
    with pytest.raises(IllegalTransition):
        from apps.workflow.services import transition

        transition(m, "file_results", actor=None, system=True)


def test_the_tellers_decrypt_the_combined_totals_only_and_anyone_can_verify_them(world, settings):
    _anyone(settings)
    m = open_meeting(world)
    rated = _rate_many(world, m, 12)
    services.close_rating(actor=world.town_user, meeting_id=m.pk)
    codes = dict(CODES[m.pk])
    m = tally(world, m)
    box = ballots.rating_box(m)
    positions = box.positions
    assert positions == 2 * (3 - 1) and len(box.combined) == positions
    combined = [(crypto.point(a), crypto.point(b)) for a, b in box.combined]
    singles = {a for s in Sealed.objects.filter(box=box) for a, _b in crypto.ciphertexts(s.as_ballot())}
    for tally_row in Tally.objects.filter(trustee__box=box).select_related("trustee__user"):
        assert len(tally_row.partial) == positions  # one share per combined total, none per ballot
        private = crypto.teller_private(codes[tally_row.trustee.user], box.context)
        expected = [crypto.mul(private, a).hex() for a, _b in combined]
        assert [p["d"] for p in tally_row.partial] == expected
        assert not {crypto.mul(private, a).hex() for a in singles} & {p["d"] for p in tally_row.partial}
    # The published totals are the decryption of the combined ballots: crypto.verify holds on the public data.
    public = selectors.public_data(box)
    assert crypto.verify(public) == []
    assert selectors.verification(box, fresh=True)["ok"]
    truth = [0] * (2 * 3)  # the published totals: every option of every row
    for _key, _receipt, picked in rated:
        for row, c in enumerate(picked):
            truth[row * 3 + c] += 1
    assert box.totals == truth
    speakers = list(ReportBackSpeaker.objects.filter(meeting=m).order_by("id"))
    assert [[s.satisfied, s.basic, s.dissatisfied] for s in speakers] == [truth[:3], truth[3:]]
    # Each voter finds their receipt among those counted.
    assert all(selectors.find_receipt(receipt)["counted"] for _k, receipt, _p in rated)


# --- the attacker -------------------------------------------------------------------------------------------


def test_the_attacker_with_every_row_the_audit_log_and_public_data_cannot_tell_a_choice(world, settings):
    """120 voters rate two deputies. The attacker holds every row of every table after the tally, the audit
    log and the published data, and is even told which sealed ballot is whose (as a transaction id may tell)
    and the choices of half the voters; from the stored ballot they guess the others' choice of the first
    deputy no better than chance."""
    _anyone(settings)
    m = open_meeting(world)
    rated = _rate_many(world, m, 120)
    services.close_rating(actor=world.town_user, meeting_id=m.pk)
    m = tally(world, m)
    dump = _dump()
    keys = {key for key, _r, _p in rated}
    # 1. No row holds a voter's key beside anything but its meeting: only the participations hold it.
    for table, rows in dump.items():
        for row in rows:
            if any(key in row for key in keys):
                assert table == RatingParticipation._meta.db_table, table
                assert not WORDS & set(row.split("|")), row
    assert {f.name for f in RatingParticipation._meta.concrete_fields} == {"id", "meeting", "voter_key"}
    # 2. The audit log names no voter and holds no choice of one.
    for event in AuditEvent.objects.all():
        text = repr(event.summary) + (event.reason or "")
        assert not any(key in text for key in keys)
        assert not any(receipt in text for _k, receipt, _p in rated)
    # 3. The public data holds sealed ballots and totals, no voter.
    public = selectors.public_data(ballots.rating_box(m))
    assert not any(key in repr(public) for key in keys) and _phone(1) not in repr(public)
    # 4. Told who cast which sealed ballot and half the choices, the best bit guesses the rest at chance.
    stored = {s.receipt: s for s in Sealed.objects.all()}

    def features(sealed):
        raw = b"".join(bytes.fromhex(p) for ct in sealed.ciphertexts for p in ct)
        raw += bytes.fromhex(sealed.receipt) + str(sealed.id).encode()
        return [(byte >> bit) & 1 for byte in raw for bit in range(8)]

    rows = [(features(stored[receipt]), int(picked[0] == 0)) for _k, receipt, picked in rated]
    train, test = rows[:60], rows[60:]
    best, best_score, flip = 0, -1.0, False
    for i in range(len(rows[0][0])):
        agree = sum(f[i] == ch for f, ch in train) / len(train)
        if max(agree, 1 - agree) > best_score:
            best, best_score, flip = i, max(agree, 1 - agree), agree < 0.5
    hits = sum((f[best] ^ flip) == ch for f, ch in test) / len(test)
    base = max(sum(ch for _f, ch in test), len(test) - sum(ch for _f, ch in test)) / len(test)
    assert hits < base + 0.2  # chance is the larger class; 0.2 is about three standard deviations above
    points = [p for s in stored.values() for ct in s.ciphertexts for p in ct]
    assert len(points) == len(set(points))  # no ciphertext repeats: nothing deterministic to match


@pytest.mark.django_db(transaction=True)
def test_no_rating_transaction_writes_anything_but_a_participation_and_a_sealed_ballot(world, settings):
    """On PostgreSQL: xmin of every row of every table after the tally. The transactions that wrote the
    participations wrote the sealed ballots too (a voter may be joined to a ciphertext, never to a choice)
    and nothing else: no counter, no speaker, no box row, no audit event."""
    if connection.vendor != "postgresql":
        pytest.skip("system columns are PostgreSQL's")
    _anyone(settings)
    m = open_meeting(world)
    _rate_many(world, m, 6)
    services.close_rating(actor=world.town_user, meeting_id=m.pk)
    tally(world, m)
    part, sealed = RatingParticipation._meta.db_table, Sealed._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT xmin::text FROM "{part}"')
        rating_tx = {row[0] for row in cursor.fetchall()}
        assert len(rating_tx) == 6
        for table in connection.introspection.table_names():
            if table in (part, sealed):
                continue
            cursor.execute(f'SELECT xmin::text, xmax::text, ctid::text FROM "{table}"')
            for xmin, xmax, _ctid in cursor.fetchall():
                assert xmin not in rating_tx, table
                assert xmax not in rating_tx or table == ReportBackMeeting._meta.db_table, table
        cursor.execute(f'SELECT xmin::text FROM "{sealed}"')
        assert {row[0] for row in cursor.fetchall()} == rating_tx
        # The speakers' results were written once, together, by the tally: no version per rating.
        cursor.execute(
            f'SELECT DISTINCT xmin::text FROM "{ReportBackSpeaker._meta.db_table}" WHERE meeting_id = %s',
            [m.pk],
        )
        assert len(cursor.fetchall()) == 1
    # ctid orders the sealed rows as the participations (insertion order), like xmin: it joins a voter to a
    # ciphertext at most, which the attacker test above is given outright and learns no choice from.
