from datetime import date

from apps.yearplan import rules
from apps.yearplan.choices import ItemKind

HOLIDAYS = {date(2031, 6, 16), date(2031, 10, 1), date(2031, 10, 2), date(2031, 10, 3)}


def workday(d: date) -> bool:
    return d.weekday() < 5 and d not in HOLIDAYS


def test_the_cangxi_template_holds_every_duty_of_the_year():
    counts = {}
    for line in rules.cangxi():
        counts[line.kind] = counts.get(line.kind, 0) + 1
    assert counts == {
        ItemKind.RECEPTION: 12, ItemKind.STUDY: 4, ItemKind.BRIEFING: 2, ItemKind.RESEARCH: 2,
        ItemKind.INSPECTION: 1, ItemKind.REPORT_BACK: 1, ItemKind.SESSION: 2, ItemKind.PRESIDIUM: 4,
    }  # fmt: skip
    assert [line.months[0] for line in rules.cangxi() if line.kind == ItemKind.REPORT_BACK] == [12]


def test_a_line_on_a_sunday_before_a_holiday_moves_past_both():
    line = rules.TemplateLine(ItemKind.RECEPTION, (6,), 15, 6)
    assert rules.line_date(2031, line, workday) == date(2031, 6, 17)


def test_a_line_with_no_working_day_left_in_its_month_moves_back_within_it():
    line = rules.TemplateLine(ItemKind.STUDY, (5,), 31, 1)  # 2031-05-31 is a Saturday, the month's last day
    assert rules.line_date(2031, line, workday) == date(2031, 5, 30)


def test_windows_follow_the_kind():
    assert rules.window(ItemKind.RECEPTION, date(2031, 2, 14)) == (date(2031, 2, 1), date(2031, 2, 28))
    assert rules.window(ItemKind.STUDY, date(2031, 8, 1)) == (date(2031, 7, 1), date(2031, 9, 30))
    assert rules.window(ItemKind.SESSION, date(2031, 12, 1)) == (date(2031, 7, 1), date(2031, 12, 31))
    assert rules.window(ItemKind.INSPECTION, date(2031, 10, 16)) == (date(2031, 1, 1), date(2031, 12, 31))


def test_the_reminder_is_three_working_days_ahead_skipping_weekends_and_holidays():
    assert rules.remind_from(date(2031, 3, 13), workday) == date(2031, 3, 10)  # Thu -> Mon
    assert rules.remind_from(date(2031, 3, 11), workday) == date(2031, 3, 6)  # Tue -> the Thursday before
    assert rules.remind_from(date(2031, 10, 6), workday) == date(2031, 9, 26)  # over the National Day


def test_a_county_line_expands_by_its_rule_and_numbers_each_kind_through_the_year():
    from apps.yearplan.choices import LineRule

    specs = [
        rules.LineSpec(ItemKind.STUDY, LineRule.QUARTERLY, 5, 10),  # the 2nd month of each quarter
        rules.LineSpec(ItemKind.BRIEFING, LineRule.HALF, 3, 20),
        rules.LineSpec(ItemKind.RESEARCH, LineRule.ONCE, 9, 18),
        rules.LineSpec(ItemKind.RESEARCH, LineRule.ONCE, 4, 18),
    ]
    lines = rules.expand(specs)
    by_kind = {}
    for line in lines:
        by_kind.setdefault(line.kind, []).append((line.months[0], line.number))
    assert by_kind[ItemKind.STUDY] == [(2, 1), (5, 2), (8, 3), (11, 4)]
    assert by_kind[ItemKind.BRIEFING] == [(3, 1), (9, 2)]
    assert by_kind[ItemKind.RESEARCH] == [(4, 1), (9, 2)]  # numbered by month, not by the order written
    assert len(rules.expand([rules.LineSpec(ItemKind.RECEPTION, LineRule.MONTHLY)])) == 12


def test_a_week_rule_finds_the_nth_weekday_and_the_last_one_past_the_month():
    second_tuesday = rules.TemplateLine(ItemKind.RECEPTION, (3,), 0, 1, nth=2, weekday=1)
    assert rules.line_date(2031, second_tuesday, workday) == date(2031, 3, 11)
    fifth_friday = rules.TemplateLine(ItemKind.RECEPTION, (2,), 0, 1, nth=5, weekday=4)
    assert rules.line_date(2031, fifth_friday, workday) == date(2031, 2, 28)  # February has four
