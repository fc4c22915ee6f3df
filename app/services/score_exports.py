"""A period's score card on paper and in a terminal: the official sheet as an XLSX file
(《沙县区零工市场运营绩效考核评分表》: 内容, 项目, 评分标准, 标准分值, 考核得分, 备注), and the
same figures as a text table for ``flask score show``.

Both read ``Card.content`` (live or locked alike, see ``app.services.scoring``), so the file,
the table, the page and the JSON cannot disagree.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.clock import format_local, local_now

from .score_page import Row, sheet_rows
from .scoring import Card

HEADERS = ("内容", "项目", "评分标准", "标准分值", "考核得分", "备注")
WIDTHS = (10, 13, 58, 8, 8, 26)  # characters; A4 portrait, fitted to the page width
FIRST_ITEM_ROW = 4  # title, the period line, the header, then one row per item
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FONT = "宋体"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")


def remark(row: Row) -> str:
    """备注 of an item as the print page words it: what was measured (2,400 人), the lines
    beside it (E1's progress, outcomes and satisfaction; the records listed but not counted),
    the warnings beside it (提示：C4's late and expired postings, G3's suggestions), a warning
    (尚未记录 …), a manual item's suggestion (B9: 建议分 …), the assessor's note, then A1's
    checklist with its live figures; 待考核人员评分 for a manual item not scored yet."""
    found = row.remark
    parts = [text for text in (found.measured, *found.figures, *(text for text, _counter in found.related),
                               *(f"提示：{text}" for text, _counter in found.warnings),
                               found.warning, found.suggestion) if text]
    if found.manual is not None:
        manual = found.manual
        parts.append(manual.note or ("" if manual.points is not None else "待考核人员评分"))
    parts += [f"{label}：{text}" for label, text, _counter in found.checklist]
    return "；".join(part for part in parts if part)


def status_text(card: Card) -> str:
    if card.locked:
        return f"已锁定（{format_local(card.snapshot.locked_at, '%Y-%m-%d')}）"
    return f"进行中（截至 {local_now():%Y-%m-%d}，未锁定）"


def period_text(card: Card) -> str:
    period = card.content["period"]
    return f"第{period['index']}年（{period['start']} 至 {period['end']}）"


def grade_text(content: dict, card: Card) -> str:
    grade = next((g for g in card.rubric.grades if g.name == content["grade"]), None)
    consequence = f"（{grade.consequence}）" if grade and grade.consequence else ""
    return f"{content['grade']}{consequence}"


# -- XLSX --------------------------------------------------------------------------------

def xlsx(card: Card) -> bytes:
    """The official sheet with the period's figures, ready to print on A4 and sign."""
    book = Workbook()
    sheet = book.active
    sheet.title = "考核评分表"
    content = card.content
    _title(sheet, card)
    last = _items(sheet, sheet_rows(card))
    row = _total(sheet, last + 1, content)
    row = _facts(sheet, row + 1, card)
    _signatures(sheet, row + 1)
    _page_setup(sheet)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet: Worksheet, row: int, column: int, value, *, bold=False, size=11,
          align=WRAP, border=True):
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text as typed (an assessor's note), never a formula
    cell.font = Font(name=FONT, bold=bold, size=size)
    cell.alignment = align
    if border:
        cell.border = BOX
    return cell


def _merge(sheet: Worksheet, row: int, first: int, last: int, value, **style) -> None:
    """One value across columns ``first``–``last`` of a row (each cell keeps the border)."""
    for column in range(first, last + 1):
        _cell(sheet, row, column, value if column == first else None, **style)
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _title(sheet: Worksheet, card: Card) -> None:
    _merge(sheet, 1, 1, 6, card.rubric.title, bold=True, size=16, align=CENTRE, border=False)
    sheet.row_dimensions[1].height = 30
    line = f"考核年度：{period_text(card)}　评分细则：{card.rubric.version}　状态：{status_text(card)}"
    _merge(sheet, 2, 1, 6, line, size=10, align=Alignment(horizontal="left", vertical="center"),
           border=False)
    for column, header in enumerate(HEADERS, 1):
        _cell(sheet, 3, column, header, bold=True, align=CENTRE)


def _items(sheet: Worksheet, rows: list[Row]) -> int:
    """One row per item; 内容 merged over its group, 项目 over its project. The last row."""
    row = FIRST_ITEM_ROW
    for item in rows:
        data, text = item.data, remark(item)
        _cell(sheet, row, 1, data["group"], align=CENTRE)
        _cell(sheet, row, 2, data["project"], align=CENTRE)
        _cell(sheet, row, 3, data["wording"])
        _cell(sheet, row, 4, Decimal(data["max"]), align=CENTRE)
        _cell(sheet, row, 5, Decimal(data["points"]), align=CENTRE)
        _cell(sheet, row, 6, text)
        sheet.row_dimensions[row].height = max(_height(data["wording"], WIDTHS[2]), _height(text, WIDTHS[5]))
        row += 1
    first = FIRST_ITEM_ROW
    for item in rows:  # the page's spans: the first row of each run says how many rows it covers
        for column, span in ((1, item.group_span), (2, item.project_span)):
            if span > 1:
                sheet.merge_cells(start_row=first, start_column=column, end_row=first + span - 1,
                                  end_column=column)
        first += 1
    return row - 1


def _height(text: str, width: int) -> float:
    """A row tall enough for wrapped text (a CJK character is about two widths of "0")."""
    lines = max(1, -(-_width(text) // (width - 2)))
    return max(20, 15 * lines + 6)


def _total(sheet: Worksheet, row: int, content: dict) -> int:
    _merge(sheet, row, 1, 3, "合计", bold=True, align=CENTRE)
    _cell(sheet, row, 4, "100+5", bold=True, align=CENTRE)
    _cell(sheet, row, 5, Decimal(content["total"]), bold=True, align=CENTRE)
    _cell(sheet, row, 6, f"基础分 {content['base_total']}，加分 {content['bonus_total']}")
    sheet.row_dimensions[row].height = 22
    return row


def _facts(sheet: Worksheet, row: int, card: Card) -> int:
    content = card.content
    facts = [("考核等次", grade_text(content, card)),
             ("拨付比例", f"{content['payment_percent']}%（中标价扣除网络建设费部分）"),
             ("评分细则", f"{card.rubric.version}（{card.rubric.source}）"),
             ("考核期间", period_text(card))]
    if card.locked:
        facts.append(("快照 SHA-256", card.snapshot.sha256))
    for label, value in facts:
        _merge(sheet, row, 1, 2, label, bold=True, align=CENTRE)
        _merge(sheet, row, 3, 6, value)
        sheet.row_dimensions[row].height = 20
        row += 1
    return row - 1


def _signatures(sheet: Worksheet, row: int) -> None:
    row += 1
    signatures = (("运营方（盖章）：", 1, 3), ("考核人员（签字）：", 4, 6))
    for label, first, last in signatures:
        _merge(sheet, row, first, last, label + "＿" * 10, border=False,
               align=Alignment(vertical="bottom"))
    sheet.row_dimensions[row].height = 36
    _merge(sheet, row + 1, 4, 6, "日期：　　　　年　　月　　日", border=False,
           align=Alignment(vertical="bottom"))
    sheet.row_dimensions[row + 1].height = 30


def _page_setup(sheet: Worksheet) -> None:
    for column, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages as it takes, one page wide
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "3:3"  # the header on every printed page
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


# -- the terminal ------------------------------------------------------------------------

def text_table(card: Card) -> str:
    """The card as ``flask score show`` prints it."""
    content = card.content
    lines = [card.rubric.title,
             f"考核年度：{period_text(card)}  评分细则：{card.rubric.version}  {status_text(card)}", ""]
    columns = (("", 3), ("项目", 14), ("得分", 6), ("满分", 5), ("来源", 9), ("备注", 0))
    lines.append(_row([name for name, _ in columns], columns))
    for row in sheet_rows(card):
        data = row.data
        source = "考核人员" if data["source"] == "assessor" else "系统"
        lines.append(_row([data["key"], data["project"], data["points"], data["max"], source, remark(row)],
                          columns))
    lines += ["", f"合计：{content['total']}（基础分 {content['base_total']} / 100，"
                  f"加分 {content['bonus_total']} / 5）",
              f"等次：{grade_text(content, card)}",
              f"拨付比例：{content['payment_percent']}%"]
    if card.locked:
        lines.append(f"快照 SHA-256：{card.snapshot.sha256}")
    return "\n".join(lines)


def _row(values, columns) -> str:
    cells = (_pad(str(value), width) for value, (_, width) in zip(values, columns, strict=True))
    return "  ".join(cells).rstrip()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)
