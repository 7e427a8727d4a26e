"""CSV files and workbooks that open right in Dutch Excel (private; used by ``tables``).

* CSV (:mod:`geoprestatie.output._csvfile`, column-wise in Arrow): the Dutch dialect by
  default (``;`` between fields, decimal comma, UTF-8 with a byte order mark so Excel reads
  "–" and "ë", ``ja``/``nee``), or the international one (``,``, decimal point, plain
  UTF-8). Headers stay the canonical column names (the contract that a
  re-read needs); the workbook and its Toelichting give the Dutch words.
* XLSX (xlsxwriter, written row by row in constant memory): one sheet per table or theme
  with Dutch headers (:mod:`geoprestatie.output.kolommen`), bold frozen header row and key
  columns, an autofilter, column widths and number formats (percent, thousands, years), and
  a first sheet "Toelichting" that explains every column of every sheet.

Every text cell passes :mod:`geoprestatie.output.cells`: CSV text gets the OWASP quote
prefix, XLSX text is written as a string (never a formula) with Excel's quote-prefix style
when it looks like a formula. Suppressed cells (``frame.attrs["onderdrukt"]``, a boolean
frame aligned with the data) show the caller's label instead of a number.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geoprestatie.output._csvfile import DIALECTS, CsvDialect, dialect, write_csv
from geoprestatie.output._csvfile import suppressed_mask as _suppressed
from geoprestatie.output.cells import is_formula_like
from geoprestatie.output.kolommen import FORMATS, Kolom, describe

__all__ = ["DIALECTS", "CsvDialect", "Sheet", "dialect", "write_csv", "write_xlsx"]

#: How each kind of value reads in the Toelichting.
_NOTATION: dict[str, str] = {
    "text": "tekst",
    "code": "code (tekst)",
    "bool": "ja/nee (WAAR/ONWAAR)",
    "count": "aantal",
    "int": "geheel getal",
    "year": "jaartal",
    "num1": "getal, 1 decimaal",
    "num2": "getal, 2 decimalen",
    "num3": "getal, 3 decimalen",
    "share": "percentage (in CSV en GeoPackage als fractie 0–1)",
    "percent": "percentage (0–100)",
    "euro": "euro",
    "keuro": "duizenden euro's",
}


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook.

    Attributes
    ----------
    name
        Sheet name (at most 31 characters, no ``[]:*?/\\``).
    frame
        The data with canonical column names (no geometry).
    table
        Glossary table name (:func:`geoprestatie.output.kolommen.describe`).
    about
        One line on what the sheet holds (shown in the Toelichting).
    keys
        Number of leading columns that stay in view when scrolling right.
    """

    name: str
    frame: pd.DataFrame
    table: str
    about: str = ""
    keys: int = 0
    labels: Mapping[str, str] = field(default_factory=dict)

    def columns(self) -> list[tuple[str, Kolom]]:
        """The canonical name and glossary entry of every column."""
        frame = _bare(self.frame)
        return [
            (str(c), describe(str(c), table=self.table, values=frame[c], labels=self.labels))
            for c in frame.columns
        ]


def _bare(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without attrs (a shallow view): pandas deep-copies attrs (such as a
    suppression mask) on every column access."""
    out = frame.copy(deep=False)
    out.attrs = {}
    return out


def _cells(values: pd.Series, kind: str) -> list[Any]:
    """A column as Python values for xlsxwriter, ``None`` for missing."""
    if kind == "bool" or pd.api.types.is_bool_dtype(values):
        return [None if v is None or v is pd.NA else bool(v) for v in values.astype(object)]
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        arr = values.to_numpy(dtype="float64", na_value=np.nan)
        cells = arr.astype(object)
        cells[~np.isfinite(arr)] = None
        return list(cells)
    objects = values.astype(object).to_numpy()
    return [
        None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v
        for v in objects
    ]


def _width(header: str, cells: list[Any], kind: str) -> float:
    """Column width in characters: the longest of a sample of values and the header words."""
    longest_word = max((len(w) for w in header.split()), default=4)
    if kind in ("text", "code"):
        sample = [len(str(v)) for v in cells[:2000] if v is not None]
        values = max(sample, default=4)
    else:
        values = 9 if kind in ("year", "bool") else 12
    return float(min(60, max(8, longest_word + 2, min(values, 60) + 1)))


#: The text styles of a workbook; each also exists with Excel's quote prefix.
_TEXT_STYLES: dict[str, dict[str, Any]] = {
    "plain": {},
    "header": {
        "bold": True,
        "text_wrap": True,
        "valign": "top",
        "bottom": 1,
        "bg_color": "#e8e8e8",
    },
    "title": {"bold": True, "font_size": 14},
    "wrap": {"text_wrap": True, "valign": "top"},
    "suppressed": {"align": "right", "font_color": "#595959"},
}


class _Formats:
    """xlsxwriter formats made once per workbook; :meth:`text` writes every text cell."""

    def __init__(self, workbook: Any) -> None:
        self._styles = {
            name: (workbook.add_format(props), workbook.add_format({**props, "quote_prefix": True}))
            for name, props in _TEXT_STYLES.items()
        }
        self.header = self._styles["header"][0]
        self.wrap = self._styles["wrap"][0]
        self.number: dict[str, Any] = {
            kind: workbook.add_format({"num_format": fmt})
            for kind, fmt in FORMATS.items()
            if fmt is not None
        }

    def text(self, ws: Any, row: int, col: int, value: Any, style: str = "plain") -> Any:
        """Write ``value`` as a string cell (never a formula); text that a spreadsheet could
        read as a formula (:func:`~geoprestatie.output.cells.is_formula_like`) gets Excel's
        quote prefix, so editing the cell keeps it text."""
        text = str(value)
        plain, quoted = self._styles[style]
        fmt = quoted if is_formula_like(text) else (None if style == "plain" else plain)
        return ws.write_string(row, col, text, fmt)


def _writers(ws: Any, kinds: list[str], formats: _Formats) -> list[Callable[[int, int, Any], Any]]:
    """One cell writer per column: numbers with their format, text always as a string."""

    def text(r: int, c: int, v: Any) -> Any:
        return formats.text(ws, r, c, v)

    def boolean(r: int, c: int, v: Any) -> Any:
        return ws.write_boolean(r, c, v)

    def number_writer(fmt: Any) -> Callable[[int, int, Any], Any]:
        def number(r: int, c: int, v: Any) -> Any:
            if isinstance(v, str):  # a suppression label in a number column
                return formats.text(ws, r, c, v, "suppressed")
            return ws.write_number(r, c, v, fmt)

        return number

    out: list[Callable[[int, int, Any], Any]] = []
    for kind in kinds:
        if kind == "bool":
            out.append(boolean)
        elif kind in formats.number:
            out.append(number_writer(formats.number[kind]))
        else:
            out.append(text)
    return out


def _write_sheet(workbook: Any, sheet: Sheet, formats: _Formats, suppressed_label: str) -> None:
    """One data sheet, row by row (xlsxwriter's constant-memory mode needs row order)."""
    ws = workbook.add_worksheet(sheet.name)
    described = sheet.columns()
    mask = _suppressed(sheet.frame)
    frame = _bare(sheet.frame)
    kinds = []
    columns: list[list[Any]] = []
    for (col, kolom), values in zip(described, (frame[c] for c in frame.columns), strict=True):
        kind = kolom.soort
        if kind in FORMATS and FORMATS[kind] is not None:
            if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
                kind = "bool" if pd.api.types.is_bool_dtype(values) else "text"
        elif kind == "bool" and not pd.api.types.is_bool_dtype(values):
            kind = "text"
        cells = _cells(values, kind)
        if mask is not None and mask[col].any():
            for i in np.flatnonzero(mask[col].to_numpy()):
                cells[i] = suppressed_label
        kinds.append(kind)
        columns.append(cells)
    for c, ((_, kolom), cells, kind) in enumerate(zip(described, columns, kinds, strict=True)):
        ws.set_column(c, c, _width(kolom.kop, cells, kind))
    ws.set_row(0, None, formats.header)
    for c, (_, kolom) in enumerate(described):
        formats.text(ws, 0, c, kolom.kop, "header")
    writers = _writers(ws, kinds, formats)
    for r, row in enumerate(zip(*columns, strict=True), start=1):
        for c, v in enumerate(row):
            if v is not None:
                writers[c](r, c, v)
    ws.freeze_panes(1, sheet.keys)
    if described:
        ws.autofilter(0, 0, max(len(frame), 1), len(described) - 1)


#: The glossary's header row is frozen only within this many rows from the top: a frozen
#: block taller than Excel's window on a laptop (some 20 rows at 1366 x 768) leaves nothing
#: that scrolls (the demo's glossary header is row 31).
FREEZE_MAX_ROWS = 12


def _write_toelichting(
    workbook: Any, sheets: Sequence[Sheet], notes: Sequence[str], formats: _Formats
) -> None:
    """The first sheet: notes, the sheets and every column of every sheet explained."""
    ws = workbook.add_worksheet("Toelichting")
    formats.text(ws, 0, 0, "Toelichting bij de tabellen", "title")
    row = 1
    for note in notes:
        formats.text(ws, row, 0, note)
        row += 1
    row += 1
    for sheet in sheets:
        formats.text(ws, row, 0, sheet.name, "header")
        formats.text(ws, row, 1, sheet.about or "")
        row += 1
    row += 1
    headers = ("Blad", "Kolom", "Veldnaam (CSV, GeoPackage)", "Uitleg", "Notatie")
    first = row
    for c, text in enumerate(headers):
        formats.text(ws, row, c, text, "header")
    for sheet in sheets:
        for col, kolom in sheet.columns():
            row += 1
            for c, text in enumerate(
                (sheet.name, kolom.kop, col, kolom.uitleg, _NOTATION.get(kolom.soort, ""))
            ):
                formats.text(ws, row, c, text)
    for c, width in enumerate((22, 34, 34, 90, 26)):
        ws.set_column(c, c, width, formats.wrap if c == 3 else None)
    ws.autofilter(first, 0, max(row, first + 1), len(headers) - 1)
    if first < FREEZE_MAX_ROWS:
        ws.freeze_panes(first + 1, 0)


def write_xlsx(
    path: Path,
    sheets: Sequence[Sheet],
    *,
    notes: Sequence[str] = (),
    suppressed_label: str = "×",
    created: dt.date | None = None,
) -> Path:
    """Write a workbook: "Toelichting" first, then one sheet per :class:`Sheet`.

    ``created`` is the workbook's creation date (midnight UTC; default 1 January 2000):
    never the moment of writing, so the same tables give the same file.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> f = pd.DataFrame({"buurtcode": ["BU1"], "aandeel_efg": [0.25]})
    >>> p = write_xlsx(Path(tempfile.mkdtemp()) / "t.xlsx", [Sheet("Buurten", f, "buurttabel")])
    >>> ws = openpyxl.load_workbook(p)["Buurten"]
    >>> ws["A1"].value, ws["B1"].value, ws["B2"].number_format, ws.freeze_panes
    ('Buurtcode', 'Aandeel label E/F/G', '0.0%', 'A2')
    """
    import xlsxwriter

    names = [s.name for s in sheets]
    if len(set(names)) != len(names) or "Toelichting" in names:
        raise ValueError(f"bladnamen moeten uniek zijn en niet 'Toelichting'; gekregen: {names}")
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    workbook = xlsxwriter.Workbook(str(path), options)
    day = created or dt.date(2000, 1, 1)
    workbook.set_properties({"created": dt.datetime(day.year, day.month, day.day)})
    formats = _Formats(workbook)
    _write_toelichting(workbook, sheets, notes, formats)
    for sheet in sheets:
        _write_sheet(workbook, sheet, formats, suppressed_label)
    workbook.close()
    return path
