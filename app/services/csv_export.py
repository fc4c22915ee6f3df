"""CSV files for spreadsheets: UTF-8 with a BOM (Excel reads the Chinese as such only with
it), and no cell a spreadsheet would take for a formula (it gets an apostrophe). Written a
row or a batch of rows at a time, so that a year's records never sit in memory at once."""

import csv
import io

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(cell):
    """A text that a spreadsheet would run as a formula, made plain text; numbers as they are."""
    if isinstance(cell, str) and cell[:1] in _FORMULA_STARTS:
        return "'" + cell
    return cell


class Lines:
    """Rows in, CSV text out: ``add`` rows, then ``take`` what they made."""

    def __init__(self):
        self._out = io.StringIO()
        self._writer = csv.writer(self._out)

    def add(self, cells) -> "Lines":
        self._writer.writerow([safe(cell) for cell in cells])
        return self

    def take(self) -> str:
        text = self._out.getvalue()
        self._out.seek(0)
        self._out.truncate()
        return text
