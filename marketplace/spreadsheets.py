"""Exports that are safe to open in a spreadsheet: text never becomes a live formula.

A buyer's name ``=HYPERLINK(...)``, an address ``=cmd|' /C calc'!A0`` or a product title starting with
``+``, ``-`` or ``@`` is evaluated by Excel and LibreOffice when a CSV is opened, and openpyxl stores any
string starting with ``=`` as a formula. Following OWASP's advice on CSV injection, text cells that start
with one of those characters get a leading apostrophe in CSV; in XLSX they are stored as text cells, so
the value reads exactly as typed and is never evaluated. Numbers stay numbers.
"""
import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def is_formula_like(value):
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value):
    """The value as CSV should carry it: formula-like text behind an apostrophe."""
    return "'" + value if is_formula_like(value) else value


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(fileobj, **options):
    """``csv.writer`` whose rows are neutralised cell by cell."""
    return _SafeWriter(csv.writer(fileobj, **options))


def xlsx_text_cell(cell):
    """Store a cell openpyxl took for a formula as the text it is."""
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def xlsx_neutralise(workbook):
    """Every formula-like cell of a (normal, not write-only) workbook as text; the exports write no formulas."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                xlsx_text_cell(cell)
    return workbook
