"""Helpers for duty tests: a points table for the test county and records in each review state."""

import datetime

from apps.duty import rules
from apps.duty.models import DutyRecord, PointsRule, PointsTable, ReviewState, Source

YEAR = 2026
DAY = datetime.date(2026, 3, 3)


def default_table(county, year=YEAR, **fields) -> PointsTable:
    table = PointsTable.objects.create(county=county, year=year, **fields)
    PointsRule.objects.bulk_create(
        PointsRule(table=table, kind=k, first_points=f, further_points=fu, cap=c)
        for k, (f, fu, c) in rules.DEFAULT_ROWS.items()
    )
    return table


def entered(deputy, *, kind="study", state=ReviewState.PENDING, date=DAY, title="学习代表法", units=1):
    return DutyRecord.objects.create(
        deputy=deputy, kind=kind, date=date, title=title, source=Source.SELF, review_state=state, units=units
    )
