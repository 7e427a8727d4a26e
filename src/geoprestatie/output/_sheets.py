"""CSV files and workbooks that open right in Dutch Excel (private; used by ``tables``).

* CSV: the Dutch dialect by default (``;`` between fields, decimal comma, UTF-8 with a byte
  order mark so Excel reads "–" and "ë", ``ja``/``nee``), or the international one (``,``,
  decimal point, plain UTF-8). Headers stay the canonical column names (the contract that a
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

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geoprestatie.output.cells import is_formula_like, safe_column, safe_text
from geoprestatie.output.kolommen import FORMATS, Kolom, describe

__all__ = ["DIALECTS", "CsvDialect", "Sheet", "write_csv", "write_xlsx"]

#: Attribute of a frame with the suppressed cells (boolean frame, True = suppressed).
ATTR_SUPPRESSED = "onderdrukt"


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written."""

    sep: str
    decimal: str
    encoding: str
    true: str
    false: str


#: CSV dialects by name: ``nl`` (default, Dutch Excel) and ``internationaal``.
DIALECTS: dict[str, CsvDialect] = {
    "nl": CsvDialect(sep=";", decimal=",", encoding="utf-8-sig", true="ja", false="nee"),
    "internationaal": CsvDialect(
        sep=",", decimal=".", encoding="utf-8", true="true", false="false"
    ),
}

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


def dialect(name: str) -> CsvDialect:
    """The CSV dialect called ``name``.

    Examples
    --------
    >>> dialect("nl").sep, dialect("internationaal").decimal
    (';', '.')
    >>> dialect("excel")
    Traceback (most recent call last):
    ...
    ValueError: csv is 'excel' maar moet een van ['nl', 'internationaal'] zijn
    """
    if name not in DIALECTS:
        raise ValueError(f"csv is {name!r} maar moet een van {list(DIALECTS)} zijn")
    return DIALECTS[name]


def _suppressed(frame: pd.DataFrame) -> pd.DataFrame | None:
    mask = frame.attrs.get(ATTR_SUPPRESSED)
    if not isinstance(mask, pd.DataFrame) or not len(mask):
        return None
    aligned = mask.reindex(index=frame.index, columns=frame.columns, fill_value=False)
    return aligned.astype("boolean").fillna(False).astype(bool)


def _decimal(value: Any, decimal: str) -> Any:
    """A float in a text column written with the dialect's decimal sign (pandas only
    converts float columns)."""
    if isinstance(value, float | np.floating) and math.isfinite(value):
        return repr(float(value)).replace(".", decimal)
    return value


def csv_frame(frame: pd.DataFrame, *, csv: CsvDialect, suppressed_label: str = "×") -> pd.DataFrame:
    """The frame as it goes into a CSV file: safe text, ``ja``/``nee``, suppression labels."""
    mask = _suppressed(frame)
    columns: list[pd.Series] = []
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_bool_dtype(values):
            values = values.astype(object).map({True: csv.true, False: csv.false})
        elif isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype("string")
        values = safe_column(values)
        if mask is not None and mask[col].any():
            values = values.astype(object)
            values[mask[col].to_numpy()] = suppressed_label
        if values.dtype == object and csv.decimal != ".":
            values = values.map(lambda v: _decimal(v, csv.decimal))
        column = values.rename(col)
        column.attrs = {}  # concat compares attrs; the mask is a frame
        columns.append(column)
    if not columns:
        return pd.DataFrame(index=frame.index)
    out = pd.concat(columns, axis=1)  # at once: hundreds of columns stay one frame
    # a column named after user data (a corporation, a column of the user's own file) is a
    # header cell like any other
    out.columns = [safe_text(str(c)) for c in out.columns]
    return out


def write_csv(
    frame: pd.DataFrame,
    path: Path,
    *,
    csv: str = "nl",
    suppressed_label: str = "×",
) -> Path:
    """Write ``frame`` (without geometry) as CSV in the dialect ``csv``; return ``path``.

    Examples
    --------
    >>> import tempfile
    >>> f = pd.DataFrame({"buurt": ["=Oost", "Zuid"], "aandeel": [0.25, None], "ok": [True, False]})
    >>> p = write_csv(f, Path(tempfile.mkdtemp()) / "t.csv")
    >>> p.read_bytes().decode("utf-8-sig").splitlines()
    ['buurt;aandeel;ok', "'=Oost;0,25;ja", 'Zuid;;nee']
    """
    csv_dialect = dialect(csv)
    data = frame.drop(columns=[c for c in frame.columns if c == "geometry"])
    data.attrs = dict(frame.attrs)
    plain = csv_frame(data, csv=csv_dialect, suppressed_label=suppressed_label)
    plain.to_csv(
        path,
        sep=csv_dialect.sep,
        decimal=csv_dialect.decimal,
        encoding=csv_dialect.encoding,
        index=False,
        lineterminator="\r\n" if csv == "nl" else "\n",
    )
    return path


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
        return [
            (
                str(c),
                describe(str(c), table=self.table, values=self.frame[c], labels=self.labels),
            )
            for c in self.frame.columns
        ]


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
    frame = sheet.frame
    kinds = []
    columns: list[list[Any]] = []
    mask = _suppressed(frame)
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
    ws.freeze_panes(first + 1, 0)


def write_xlsx(
    path: Path,
    sheets: Sequence[Sheet],
    *,
    notes: Sequence[str] = (),
    suppressed_label: str = "×",
) -> Path:
    """Write a workbook: "Toelichting" first, then one sheet per :class:`Sheet`.

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
    formats = _Formats(workbook)
    _write_toelichting(workbook, sheets, notes, formats)
    for sheet in sheets:
        _write_sheet(workbook, sheet, formats, suppressed_label)
    workbook.close()
    return path
