"""The one cell writer of every export (common/excel.py `text_cell`)."""

import io
from datetime import date

from openpyxl import load_workbook

from apps.common.excel import sheet_title, workbook_for


def _saved(wb):
    out = io.BytesIO()
    wb.save(out)
    return load_workbook(io.BytesIO(out.getvalue())).worksheets[0]


def test_text_that_starts_like_a_formula_is_written_as_text_and_kept_whole():
    values = [
        '=HYPERLINK("http://evil","点此")',
        "+1",
        "-1+2",
        "@SUM(A1)",
        "\t=1",
        "路灯坏了",
        3,
        date(2026, 1, 2),
    ]
    ws = _saved(workbook_for(sheet="台账", columns=[("内容", lambda v: v)], rows=values))
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells[:5]] == values[:5]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells[:5])
    assert cells[5].value == "路灯坏了" and not cells[5].quotePrefix
    assert cells[6].value == 3 and cells[7].value.date() == date(2026, 1, 2)


def test_a_control_character_in_stored_text_is_shown_escaped_not_a_broken_file():
    ws = _saved(workbook_for(sheet="审计", columns=[("摘要", lambda v: v)], rows=["改了\x01名称\x00"]))
    assert ws["A2"].value == "改了\\x01名称\\x00"


def test_a_sheet_is_named_from_any_text():
    assert sheet_title('=HYPERLINK("http://evil")') == '=HYPERLINK("httpevil")'
    assert sheet_title("城关镇[一]/二:三*?") == "城关镇一二三"
    assert sheet_title("'") == "Sheet"
    assert len(sheet_title("长" * 40)) == 31
