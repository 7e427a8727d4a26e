"""Spreadsheet cells that stay what they are: text never becomes a formula (private rules).

A spreadsheet reads a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab, carriage return, line feed or NUL before one) as a formula, for example
``=HYPERLINK("https://…", "klik")``. Every text cell that geoprestatie writes to a CSV or
XLSX file passes through this module (OWASP "CSV Injection"; OWASP ASVS 5.0 V1.2.10):

* CSV: :func:`safe_text` puts a single quote ``'`` before such text, so Excel and LibreOffice
  show it as text (the quote is visible in a text editor, and in the cell it tells the reader
  that the value was neutralised).
* XLSX: text is always written as a string cell, never through a formula-detecting call;
  :func:`is_formula_like` picks the cells that also get Excel's "quote prefix" style, so that
  editing the cell keeps it text. The text itself is not changed.

Full-width look-alikes (``＝ ＋ － ＠``) count too: some spreadsheet programs normalise them.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["FORMULA_START", "is_formula_like", "safe_arrow", "safe_column", "safe_text"]

#: First characters (after leading spaces) that make a spreadsheet read text as a formula.
FORMULA_START = frozenset("=+-@\t\r\n\0＝＋－＠")

_PATTERN = re.compile(r"^[ \u00a0]*[=+\-@\t\r\n\0＝＋－＠]")
#: The same pattern for Arrow's RE2 engine (:func:`safe_arrow`).
_RE2_PATTERN = "^[ \u00a0]*[=+\\-@\t\r\n\x00＝＋－＠]"
_PREFIX = "'"


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula.

    Examples
    --------
    >>> [is_formula_like(t) for t in ["=1+1", "+31 6", " -1", "@SUM(A1)", "\\tx", "Oost"]]
    [True, True, True, True, True, False]
    >>> is_formula_like(""), is_formula_like("a=b")
    (False, False)
    """
    return bool(_PATTERN.match(text))


def safe_text(value: Any) -> Any:
    """Text for a CSV cell that no spreadsheet runs: ``'`` before formula-like text.

    Anything that is not text (numbers, missing values) is returned unchanged.

    Examples
    --------
    >>> safe_text('=HYPERLINK("http://x","klik")')
    '\\'=HYPERLINK("http://x","klik")'
    >>> safe_text("-1+1"), safe_text("Vathorst"), safe_text(3)
    ("'-1+1", 'Vathorst', 3)
    """
    if isinstance(value, str) and _PATTERN.match(value):
        return _PREFIX + value
    return value


def safe_column(values: pd.Series) -> pd.Series:
    """:func:`safe_text` on every text cell of a column (vectorised; a new Series).

    Examples
    --------
    >>> safe_column(pd.Series(["=1", "a", None, "@x"], dtype="string")).tolist()
    ["'=1", 'a', <NA>, "'@x"]
    """
    if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
        return values
    objects = values.astype(object).to_numpy()
    hit = np.fromiter(
        (isinstance(v, str) and _PATTERN.match(v) is not None for v in objects),
        dtype=bool,
        count=len(objects),
    )
    if not hit.any():
        return values
    out = values.astype(object)
    out.iloc[np.flatnonzero(hit)] = [_PREFIX + str(v) for v in objects[hit]]
    return out


def safe_arrow(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """:func:`safe_text` on every cell of an Arrow string array, in Arrow's compute kernels
    (no Python per cell; used by the CSV writer for large tables). Returns ``large_string``.

    Examples
    --------
    >>> safe_arrow(pa.array(["=1", "a", None, " @x"])).to_pylist()
    ["'=1", 'a', None, "' @x"]
    """
    values = pc.cast(values, pa.large_string())
    hit = pc.match_substring_regex(values, _RE2_PATTERN)
    if not pc.any(hit).as_py():
        return values
    empty = pa.scalar("", pa.large_string())
    prefixed = pc.binary_join_element_wise(pa.scalar(_PREFIX, pa.large_string()), values, empty)
    return pc.if_else(hit, prefixed, values)
