"""Opinions at benchmark scale (`BenchOpinions`, called by seed_bench): ~1,667 opinions per town (2,000,000 on
the 1,200-town province), the same source, topic, unit and state mix computed directly from day indexes,
with due dates from the calendar, loaded with COPY; no Step or duty rows (they would more than double the
load time).
"""

from __future__ import annotations

import random
import time as time_
from collections import Counter
from datetime import date, timedelta

from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from apps.calendar.services import deadline, is_workday
from apps.common import conf
from apps.opinions.models import CODE_ALPHABET, Opinion, ReceptionDay
from apps.opinions.rules import reception_dates
from apps.opinions.similarity import topic_key
from apps.people.models import DeputyLevel

from .. import names
from ..bulk import BulkWriter
from ..county import CountyBuilder, Town
from ..opinion_texts import TOPICS, opinion_text, reply_text, visit_note
from .shape import (
    _COMPANY,
    CONVERTED_SHARE,
    DAYS,
    LATE_REPLY_SHARE,
    MERGED_SHARE,
    NOT_ACCEPTED_REASONS,
    NOT_ACCEPTED_SHARE,
    ON_SPOT_SHARE,
    RECEPTION_DAYS,
    WF,
    _aware,
    _source_pool,
)

# Opinion columns in the order the bench rows are built; a column added to the model later is filled with
# its default (see BenchOpinions._columns).
BENCH_COLUMNS = (
    "id", "county_id", "town_id", "state", "version", "state_since", "due_date", "due_provisional",
    "escalated_at", "tracking_code", "source", "topic", "title", "content", "region_id", "received_on",
    "station_id", "deputy_id", "reception_day_id", "submitter_name", "submitter_phone", "submitter_user_id",
    "enterprise_name", "registered_by_id", "created_at", "unit_id", "responsible_person", "assigned_on",
    "reply", "replied_on", "reply_on_time", "on_spot", "visit_method", "satisfaction", "solved",
    "visit_note", "visited_on", "closed_on", "merged_into_id", "outcome_note", "topic_key",
)  # fmt: skip
BENCH_STUCK_SHARE = 0.085  # of items whose reply deadline passed in the last 150 days: ~3% of assigned


def bench_code(n: int) -> str:
    """Tracking code of a bench row: 'MB' + the id in base 32 over the code alphabet, ten digits."""
    out = []
    for _ in range(10):
        n, r = divmod(n, 32)
        out.append(CODE_ALPHABET[r])
    return "MB" + "".join(reversed(out))


class BenchOpinions:
    """Opinions of a year for every town of a benchmark set, written with COPY (executemany on SQLite).

    The same sources, topics, units and state mix as the demo, computed from day indexes: intake, assignment,
    reply, return visit and close-out lags in working days, deadlines from the calendar (tables built once),
    so items received long ago are closed, recent ones open, and ~3% of assigned items are overdue. Texts
    come from a pool generated once. Reception days: the last twelve of every town station and the next one,
    with rota, deputies present and voters received. Not written at this scale: Step rows (about five per
    item: ten million rows would more than double the load) and duty records."""

    # From this many rows on (PostgreSQL), the table's secondary indexes and foreign keys are dropped for the
    # load and made again after it: PostgreSQL's own advice for bulk loads ("Populating a Database").
    # Measured on the 2,000,000-row province load: 245 s with them in place, most of it index upkeep per row
    # and two million deferred foreign-key checks at commit.
    BULK_ROWS = 200_000

    def __init__(
        self,
        w: BulkWriter,
        rng: random.Random,
        *,
        per_town: float,
        today: date | None = None,
        expected_rows: int = 0,
    ):
        """Make it at the start of the load's transaction: dropping foreign keys is refused once rows of the
        tables they point to wait for their deferred checks."""
        self.w, self.rng, self.per_town = w, rng, per_town
        self.today = today or timezone.localdate()
        self.towns_done = 0
        self.written = 0
        self.rows: list[tuple] = []
        self.next_id = (Opinion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        self.first_id = self.next_id
        self._calendar()
        self._pools()
        self._columns()
        self.dropped: tuple[list, list] | None = None
        self.seconds: Counter = Counter()  # generate, copy, reindex: where the load's time goes
        if connection.vendor == "postgresql" and expected_rows >= self.BULK_ROWS:
            self._drop_constraints()

    def _drop_constraints(self):
        table = Opinion._meta.db_table
        quote = connection.ops.quote_name
        with connection.cursor() as cur:
            cur.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [table],
            )
            fks = cur.fetchall()
            # Indexes that back no constraint (the primary key and unique codes stay: they check the rows).
            cur.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname",
                [table],
            )
            indexes = cur.fetchall()
            for name, _definition in fks:
                cur.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            for name, _definition in indexes:
                cur.execute(f"DROP INDEX {quote(name)}")
        self.dropped = (fks, indexes)

    def _restore_constraints(self):
        fks, indexes = self.dropped
        table = connection.ops.quote_name(Opinion._meta.db_table)
        with connection.cursor() as cur:
            # Run the deferred checks of the rows written so far now (they would run at commit anyway):
            # PostgreSQL refuses to add a foreign key to a table with checks pending.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cur.execute(definition)
            for name, definition in fks:
                cur.execute(
                    f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
                )
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
        self.dropped = None

    # --- tables built once --------------------------------------------------------------------------------
    def _calendar(self):
        base = self.today - timedelta(days=DAYS + 40)
        span = DAYS + 40 + 200
        self.D = [base + timedelta(days=i) for i in range(span)]
        self.T = DAYS + 40
        work = [is_workday(d) for d in self.D]
        nxt = [0] * span
        following = span - 1
        for i in range(span - 1, -1, -1):
            nxt[i] = following
            if work[i]:
                following = i
        # W[k][i]: index of the k-th working day after day i (W[0]: i itself if a working day, else the next).
        self.W = [[i if work[i] else nxt[i] for i in range(span)]]
        first = nxt
        self.W.append(first)
        for _k in range(2, max(26, *(_due_days(s) + 1 for s in WF.timed_states()))):
            self.W.append([first[j] for j in self.W[-1]])
        self.P = {
            k: [
                deadline(d, working_days=k).provisional if i <= self.T + 60 else False
                for i, d in enumerate(self.D)
            ]
            for k in {_due_days(s) for s in ("registered", "accepted", "assigned", "replied")}
        }
        self.DT = [_aware(d, 10 * 60) for d in self.D]
        nth, weekday = int(conf.get("RECEPTION_DAY_NTH")), int(conf.get("RECEPTION_DAY_WEEKDAY"))
        dates = [
            d
            for y in (self.today.year - 1, self.today.year, self.today.year + 1)
            for d in reception_dates(y, nth, weekday, is_workday)
        ]
        past = [d for d in dates if d <= self.today][-RECEPTION_DAYS:]
        self.held = [(d - base).days for d in past]
        self.held_in_year = [i for i in self.held if self.T - i <= DAYS]
        self.upcoming = (next(d for d in dates if d > self.today) - base).days
        self.workdays_in_year = [i for i in range(self.T - DAYS, self.T + 1) if work[i]]

    def _pools(self):
        rng = self.rng
        self.sources = _source_pool()
        self.topics = [t.key for t in TOPICS if t.key != "enterprise" for _ in range(t.weight)]
        # Texts name a village; a bench row's village is elsewhere, so any plausible name does.
        villages = [f"{a}{b}村" for a in "东西南北上下大新老黄" for b in "河坪坝沟湾岭"] + [
            "东风社区",
            "新街社区",
        ]
        self.texts = {}
        for topic in TOPICS:
            out = []
            for _ in range(200):
                title, content = opinion_text(rng, topic.key, rng.choice(villages))
                company = ""
                if topic.key == "enterprise":
                    found = _COMPANY.search(title) or _COMPANY.search(content)
                    company = found.group(0) if found else "汉阴秦巴农业开发有限公司"
                # the key as intake gives it (Opinion.save; COPY bypasses save)
                out.append((title[:100], content[:2000], company, topic_key(topic.key, title[:100])))
            self.texts[topic.key] = out
        self.replies = {t.key: [reply_text(rng, t.key) for _ in range(30)] for t in TOPICS}
        self.notes = {ok: [visit_note(rng, ok) for _ in range(20)] for ok in (True, False)}
        people = names.People(rng, pool_size=500)
        self.names = [people.name(rng, "M" if i % 3 else "F") for i in range(1000)]
        self.phones = [names.phone(rng) for _ in range(1000)]

    def _columns(self):
        fields = {f.attname: f for f in Opinion._meta.concrete_fields}
        unknown = [c for c in BENCH_COLUMNS if c not in fields]
        if unknown:
            raise RuntimeError(f"BENCH_COLUMNS names columns Opinion no longer has: {unknown}")
        extra = [f for name, f in fields.items() if name not in BENCH_COLUMNS]
        self.extra_columns = [f.attname for f in extra]
        self.extra_values = tuple(f.get_default() for f in extra)
        self.columns = [*BENCH_COLUMNS, *self.extra_columns]

    # --- per county ---------------------------------------------------------------------------------------
    def add_county(self, b: CountyBuilder):
        county_units = dict(zip(b.spec.county_units, b.county_unit_ids, strict=False))
        started = time_.monotonic()
        for town in b.towns:
            start = round(self.towns_done * self.per_town)
            self.towns_done += 1
            n = round(self.towns_done * self.per_town) - start
            self._town(b, town, n, county_units)
        self.seconds["generate"] += time_.monotonic() - started
        if len(self.rows) >= 100_000:
            self.flush()

    def _units(self, town: Town, county_units: dict) -> dict[str, list[int]]:
        from ..occupations import TOWN_UNITS

        own = {town.spec.name + suffix: uid for suffix, uid in zip(TOWN_UNITS, town.unit_ids, strict=False)}
        out = {}
        for topic in TOPICS:
            ids = [own.get(u.format(town=town.spec.name)) or county_units.get(u) for u in topic.units]
            out[topic.key] = [i for i in ids if i] or [town.unit_ids[0]]
        return out

    def _town(self, b: CountyBuilder, town: Town, n: int, county_units: dict):
        rng, w = self.rng, self.w
        rand, randint = rng.random, rng.randint
        D, DT, W, T, P = self.D, self.DT, self.W, self.T, self.P
        # Deadlines of the timed states, in working days ([local] settings: 3, 3, 15, 5).
        k_reg, k_acc, k_rep, k_vis = (_due_days(s) for s in ("registered", "accepted", "assigned", "replied"))
        W1, Wg, Wa, Wr, Wv = W[1], W[k_reg], W[k_acc], W[k_rep], W[k_vis]
        Pg, Pa, Pr, Pv = P[k_reg], P[k_acc], P[k_rep], P[k_vis]
        names_, phones = self.names, self.phones
        sources, topics, texts, replies, notes = (
            self.sources,
            self.topics,
            self.texts,
            self.replies,
            self.notes,
        )
        units = self._units(town, county_units)
        deputies = town.deputies
        takers = [d for d in deputies if d.level == DeputyLevel.COUNTY] or deputies
        villages = [v.node.id for v in town.villages]
        station = town.station_id
        county_id, town_id = town.node.county_id, town.node.id
        # Reception days: the held ones (with their rota, all present) and the next one.
        days = []
        for idx in self.held:
            rota = rng.sample(deputies, min(len(deputies), randint(3, 4)))
            days.append([w.reserve(ReceptionDay), idx, rota, 0])
        open_days = [d for d in days if T - d[1] <= DAYS]
        meetings = [rng.choice(self.workdays_in_year) for _ in range(2)]
        wd_year = self.workdays_in_year
        extra = self.extra_values
        rows = self.rows
        prev = None
        for _ in range(n):
            oid = self.next_id
            self.next_id += 1
            src = sources[int(rand() * 100)]
            topic = "enterprise" if src == "enterprise" else topics[int(rand() * len(topics))]
            title, content, company, key = texts[topic][int(rand() * 200)]
            region = villages[int(rand() * len(villages))]
            station_id = deputy_id = day_id = None
            if src == "reception" and open_days:
                day = open_days[int(rand() * len(open_days))]
                day[3] += 1
                day_id, r, station_id = day[0], day[1], station
                deputy_id = day[2][int(rand() * len(day[2]))].id
            elif src == "visit":
                r = T - int(rand() * (DAYS + 1))
                d = deputies[int(rand() * len(deputies))]
                deputy_id, station_id = d.id, d.station_id
                region = (d.grid or d.village.node).id
            elif src == "deliberation":
                r, station_id = meetings[int(rand() * 2)], station
            elif src == "online":
                r, station_id = T - int(rand() * (DAYS + 1)), station
            else:
                r = wd_year[int(rand() * len(wd_year))]
            if src == "enterprise":
                deputy_id = takers[int(rand() * len(takers))].id
            # Defaults: registered, nothing done yet.
            state, version, since, due, prov = "registered", 0, r, Wg[r], Pg[r]
            unit = assigned = replied = on_time = visited = closed = solved = merged = None
            reply = method = satisfaction = note = outcome = responsible = ""
            on_spot = False
            u = rand()
            a = W[(0, 1, 1, 2, 3)[int(rand() * 5)]][r]  # intake
            if u < NOT_ACCEPTED_SHARE:
                if a <= T:
                    state, version, since, due, prov = "not_accepted", 1, a, None, False
                    outcome = NOT_ACCEPTED_REASONS[int(rand() * len(NOT_ACCEPTED_REASONS))]
            elif u < NOT_ACCEPTED_SHARE + MERGED_SHARE and prev is not None:
                m = W1[r]
                if m <= T:
                    state, version, since, due, prov, merged = "merged", 1, m, None, False, prev
                    outcome = f"与 {bench_code(prev)} 合并办理"
            elif u < NOT_ACCEPTED_SHARE + MERGED_SHARE + CONVERTED_SHARE:
                if a <= T:
                    state, version, since, due, prov = "accepted", 1, a, Wa[a], Pa[a]
                    c = W[int(rand() * 4)][a]
                    if c <= T:
                        state, version, since, due, prov = "converted", 2, c, None, False
                        outcome = "转为代表建议"
            else:
                if rand() < ON_SPOT_SHARE.get(src, 0.0):
                    p, version, on_spot, on_time = r, 1, True, True
                    state, since, due, prov = "replied", r, Wv[r], Pv[r]
                    replied, reply = r, replies[topic][int(rand() * 30)]
                elif a > T:
                    p = None
                else:
                    state, version, since, due, prov = "accepted", 1, a, Wa[a], Pa[a]
                    s = W[(0, 0, 1, 1, 2)[int(rand() * 5)]][a]
                    p = None
                    if s <= T:
                        ids = units[topic]
                        unit = (
                            ids[0]
                            if rand() < 0.85 or len(ids) == 1
                            else ids[1 + int(rand() * (len(ids) - 1))]
                        )
                        responsible = names_[int(rand() * 1000)]
                        assigned = s
                        state, version, since, due, prov = "assigned", 2, s, Wr[s], Pr[s]
                        late = rand() < LATE_REPLY_SHARE
                        p = W[randint(16, 24) if late else randint(2, 13)][s]
                        stuck = Wr[s] < T and T - s < 150 and rand() < BENCH_STUCK_SHARE
                        if stuck or p > T:
                            p = None
                        else:
                            state, version, since, due, prov = "replied", 3, p, Wv[p], Pv[p]
                            replied, on_time, reply = p, p <= Wr[s], replies[topic][int(rand() * 30)]
                if p is not None:
                    v = W[randint(1, 5)][p]
                    if v <= T:
                        x = rand()
                        satisfaction = "dissatisfied" if x < 0.02 else "satisfied" if x < 0.8 else "basic"
                        solved = satisfaction != "dissatisfied" and rand() < 0.97
                        method = ("in_person", "phone", "written")[int(rand() * 3)]
                        note = notes[satisfaction != "dissatisfied"][int(rand() * 20)]
                        visited = v
                        state, version, since, due, prov = "visited", version + 1, v, None, False
                        c = W[randint(0, 3)][v]
                        if c <= T:
                            closed = c
                            state, version, since = "closed", version + 1, c
            rows.append(
                (
                    oid, county_id, town_id, state, version, DT[since], None if due is None else D[due], prov,
                    None, bench_code(oid), src, topic, title, content, region, D[r], station_id, deputy_id,
                    day_id, names_[int(rand() * 1000)], phones[int(rand() * 1000)], None,
                    company if src == "enterprise" else "", None, DT[r], unit, responsible,
                    None if assigned is None else D[assigned], reply, None if replied is None else D[replied],
                    on_time, on_spot, method, satisfaction, solved, note,
                    None if visited is None else D[visited], None if closed is None else D[closed], merged,
                    outcome, key, *extra,
                )
            )  # fmt: skip
            prev = oid
        for day_id, idx, rota, count in days:
            self._day(town, day_id, idx, rota, count + randint(5, 20))
        self._day(
            town, w.reserve(ReceptionDay), self.upcoming, rng.sample(deputies, min(3, len(deputies))), None
        )

    def _day(self, town: Town, day_id: int, idx: int, rota, voters):
        w, date_ = self.w, self.D[idx]
        recorded = voters is not None
        w.add(
            ReceptionDay,
            id=day_id,
            station_id=town.station_id,
            region_id=town.node.id,
            county_id=town.node.county_id,
            town_id=town.node.id,
            date=date_,
            hours="9:00-12:00",
            rota_published_at=self.DT[idx - 7],
            voters_received=voters or 0,
            notes=f"接待选民{voters}人。" if recorded else "",
            recorded_at=self.DT[idx] + timedelta(hours=6) if recorded else None,
            recorded_by_id=None,
        )
        for d in rota:
            w.add(ReceptionDay.rota.through, receptionday_id=day_id, deputy_id=d.id)
            if recorded:
                w.add(ReceptionDay.present.through, receptionday_id=day_id, deputy_id=d.id)

    # --- writing ------------------------------------------------------------------------------------------
    def flush(self):
        if not self.rows:
            return
        started = time_.monotonic()
        table = connection.ops.quote_name(Opinion._meta.db_table)
        columns = ", ".join(
            connection.ops.quote_name(Opinion._meta.get_field(c).column) for c in self.columns
        )
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                fields = [Opinion._meta.get_field(c) for c in self.columns]
                prep = [
                    (i, f)
                    for i, f in enumerate(fields)
                    if f.get_internal_type() in ("DateField", "DateTimeField")
                ]
                rows = []
                for row in self.rows:
                    row = list(row)
                    for i, f in prep:
                        if row[i] is not None:
                            row[i] = f.get_db_prep_save(row[i], connection)
                    rows.append(row)
                marks = ", ".join(["%s"] * len(fields))
                cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        self.written += len(self.rows)
        self.rows = []
        self.seconds["copy"] += time_.monotonic() - started

    def finish(self) -> dict[str, int]:
        self.flush()
        if self.dropped is not None:
            started = time_.monotonic()
            self._restore_constraints()
            self.seconds["reindex"] += time_.monotonic() - started
        if connection.vendor == "postgresql" and self.written:
            with connection.cursor() as cur:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Opinion]):
                    cur.execute(sql)
        return {Opinion._meta.label: self.written}


def _due_days(state: str) -> int:
    return WF.state(state).due.days()
