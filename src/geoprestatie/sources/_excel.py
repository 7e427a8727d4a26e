"""Excel workbooks as the parties export them (private): every cell as text.

What exports do and how it is read:

- **merged cells** in the data (a corporation or complex name merged over its rows): the
  value of the first cell is filled into every cell of the range, and a
  :class:`~geoprestatie.errors.DataWarning` names the ranges;
- **date cells** become ISO text (``2024-01-01``), so a date column reads as dates;
- **numeric cells** become text that cannot be misread: ``612.3`` stays ``612.3``, and a
  number like ``123.456`` is written ``123.4560`` so that it is never taken for the
  thousands-separated 123456 (see :func:`geoprestatie.sources._tabular.parse_number_column`);
- **formulas without a cached value** (a workbook written by a script and never opened in
  Excel: openpyxl's ``data_only`` gives ``None``) are an error naming the cells, instead of
  silently empty values.

Examples
--------
>>> cell_text(612.3), cell_text(123.456), cell_text(7.0), cell_text(None)
('612.3', '123.4560', '7', <NA>)
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geoprestatie.errors import DataWarning, InputError

__all__ = ["cell_text", "header_position", "read_workbook", "say_title_rows", "sheet_headers"]

_AMBIGUOUS_FLOAT = re.compile(r"^-?[1-9]\d{0,2}\.\d{3}$")
_LIST = 8  # cells / ranges named in a message
_HEADER_SEARCH = 30  # rows looked at for title rows above the header
# a number or a date: what a data row holds and a row of column names does not
_VALUE = re.compile(r"^(?:[-+]?[\d.,\s]*\d|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})$")


def header_position(rows: list[list[str]]) -> int:
    """The header among the first rows (each given as the text of its filled cells).

    Exports put a title, a date or a grouping row above the header (``Overzicht bezit per
    1-1-2024``, ``Peildatum: …``). Such a row fills at most half as many cells as the
    fullest of the first 30 rows; the header is the first row that fills more and holds
    names, not numbers or dates (``Peildatum;01-01-2024`` is a title; a data row wider than
    a short header is no header). Without such a row, or with it first, row 1 is the
    header, as always.

    Examples
    --------
    >>> header_position([["Bezit 2024"], [], ["vhe_id", "x", "y"], ["A1", "155000", "463000"]])
    2
    >>> header_position([["vhe_id", "x"], ["A1", "155000", "463000", "B", "C"]])
    0
    >>> header_position([["Rapport"], ["Peildatum", "1-1-2024"], ["vhe_id", "jaar", "status"]])
    2
    """
    window = rows[:_HEADER_SEARCH]
    widest = max(map(len, window), default=0)
    names = (
        i
        for i, row in enumerate(window)
        if 2 * len(row) > widest and not any(_VALUE.match(cell) for cell in row)
    )
    return next(names, 0)


def say_title_rows(name: str, header_row: int, first: str) -> None:
    """Warn that the rows above the header (row ``header_row``) were left out."""
    rows = "rij 1" if header_row == 2 else f"rijen 1-{header_row - 1}"
    warnings.warn(
        f"{name}: de kopregel staat op rij {header_row}; {rows} erboven (titel of "
        f"toelichting, bv. {first[:60]!r}) overgeslagen. Controleer of rij {header_row} de "
        "kolomnamen bevat",
        DataWarning,
        stacklevel=5,
    )


def cell_text(value: Any) -> Any:
    """The text of one cell value (``NA`` for an empty cell)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return pd.NA
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = repr(value)
        return text + "0" if _AMBIGUOUS_FLOAT.match(text) else text
    text = str(value).strip()
    return text if text else pd.NA


def _open(path: Path, *, data_only: bool, read_only: bool) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(path, data_only=data_only, read_only=read_only)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InputError(
            f"kan niet als Excel-werkmap worden gelezen ({type(exc).__name__}: {exc}); "
            "verwacht een .xlsx zoals Excel die opslaat. Oplossing: open het in Excel en "
            "sla het opnieuw op als .xlsx",
            source=path,
        ) from None


def sheet_headers(path: Path) -> dict[str, list[str]]:
    """The header row (row 1) of every sheet, by sheet name, in workbook order."""
    book = _open(path, data_only=True, read_only=True)
    try:
        out: dict[str, list[str]] = {}
        for ws in book.worksheets:
            first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
            out[str(ws.title)] = [str(v).strip() for v in first if v is not None]
        return out
    finally:
        book.close()


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula (a cheap scan of the XML)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as part:
                    while chunk := part.read(1 << 20):
                        if b"<f>" in chunk or b"<f " in chunk or b"<x:f" in chunk:
                            return True
    return False


def _uncached_formulas(path: Path, title: str, values: list[list[Any]]) -> list[str]:
    """Cells of sheet ``title`` that hold a formula whose cached value is missing."""
    from openpyxl.utils import get_column_letter

    book = _open(path, data_only=False, read_only=True)
    try:
        cells = []
        for r, row in enumerate(book[title].iter_rows(min_row=1, min_col=1, values_only=True)):
            for c, value in enumerate(row):
                if isinstance(value, str) and value.startswith("="):
                    cached = values[r][c] if r < len(values) and c < len(values[r]) else None
                    if cached is None:
                        cells.append(f"{get_column_letter(c + 1)}{r + 1}")
        return cells
    finally:
        book.close()


def _fill_merged(ws: Any, values: list[list[Any]]) -> list[str]:
    """Fill merged ranges below the header with their first value; return the ranges."""
    filled = []
    for rng in list(ws.merged_cells.ranges):
        if rng.max_row <= 1:
            continue  # a merged header is left as it is (the header check names it)
        top = values[rng.min_row - 1][rng.min_col - 1]
        for r in range(max(rng.min_row, 2), rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if r - 1 < len(values) and c - 1 < len(values[r - 1]):
                    values[r - 1][c - 1] = top
        filled.append(str(rng.coord))
    return filled


def read_workbook(path: Path, *, sheet: str | int = 0) -> tuple[list[str], pd.DataFrame]:
    """Read one sheet: its header (row 1, as text) and its rows as text cells.

    The frame's columns are positions ``0..n-1`` (the caller names them after checking the
    header) and its index the Excel row number (header = 1).
    """
    book = _open(path, data_only=True, read_only=False)
    names = [str(n) for n in book.sheetnames]
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise InputError(f"de werkmap heeft geen tabblad {sheet + 1}: {names}", source=path)
        title = names[sheet]
    elif sheet in names:
        title = sheet
    else:
        raise InputError(
            f"de werkmap heeft geen tabblad {sheet!r}; tabbladen: {names}", source=path
        )
    ws = book[title]
    values = [
        list(row)
        for row in ws.iter_rows(
            min_row=1, max_row=ws.max_row, min_col=1, max_col=ws.max_column, values_only=True
        )
    ]
    # counted before merged ranges are filled: a merged group row above the header is title
    cells = [[str(t) for t in map(cell_text, r) if not pd.isna(t)] for r in values[:_HEADER_SEARCH]]
    filled = _fill_merged(ws, values)
    book.close()
    if _has_formulas(path):
        bad = _uncached_formulas(path, title, values)
        if bad:
            shown = ", ".join(bad[:_LIST]) + (f" (+{len(bad) - _LIST})" if len(bad) > _LIST else "")
            raise InputError(
                f"tabblad {title!r}: {len(bad)} cel(len) met een formule zonder opgeslagen "
                f"waarde ({shown}); verwacht waarden. De werkmap is niet in Excel opgeslagen "
                "(bijvoorbeeld door een script gemaakt) en geoprestatie rekent geen "
                "formules uit. Oplossing: open het bestand in Excel en sla het op, of "
                "plak de formules als waarden",
                source=path,
            )
    if filled:
        shown = ", ".join(filled[:_LIST]) + (" …" if len(filled) > _LIST else "")
        warnings.warn(
            f"{path.name}: tabblad {title!r}: {len(filled)} samengevoegd(e) celbereik(en) "
            f"({shown}) ingevuld met de waarde van de eerste cel; controleer of dat klopt",
            DataWarning,
            stacklevel=4,
        )
    if not values:
        return [], pd.DataFrame(index=pd.RangeIndex(2, 2))
    top = header_position(cells)
    if top:
        first = next(
            str(cell_text(v)) for r in values[:top] for v in r if not pd.isna(cell_text(v))
        )
        say_title_rows(path.name, top + 1, first)
    width = max(len(r) for r in values)
    header = [cell_text(v) for v in values[top]] + [pd.NA] * (width - len(values[top]))
    body = [list(r) + [None] * (width - len(r)) for r in values[top + 1 :]]
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    frame = frame.map(cell_text).astype("string")
    frame.index = pd.RangeIndex(top + 2, len(body) + top + 2)
    return ["" if pd.isna(h) else str(h) for h in header], frame
