"""Dutch number formatting for labels users read (private): ``1.234,5`` and ``12,5 %``."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["is_missing", "nl_int", "nl_num", "nl_pct"]

NA_TEXT = "–"


def is_missing(value: Any) -> bool:
    """True for None, NA, NaN (and NaT); never raises on arrays of one element.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(pd.NA), is_missing(0)
    (True, True, True, False)
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def nl_num(value: Any, decimals: int = 1, *, na: str = NA_TEXT) -> str:
    """Format a number the Dutch way: ``.`` groups thousands, ``,`` is the decimal sign.

    Examples
    --------
    >>> nl_num(1234.5)
    '1.234,5'
    >>> nl_num(-1234567.891, 2)
    '-1.234.567,89'
    >>> nl_num(3, 0), nl_num(None), nl_num(float("nan"))
    ('3', '–', '–')
    """
    if is_missing(value):
        return na
    x = float(value)
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    text = f"{abs(x):,.{decimals}f}"
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    # "-0,0" reads as an error: only negative if it shows a non-zero digit
    negative = x < 0 and any(ch not in "0,." for ch in text)
    return f"-{text}" if negative else text


def nl_int(value: Any, *, na: str = NA_TEXT) -> str:
    """Format a count: ``12.345``.

    Examples
    --------
    >>> nl_int(12345), nl_int(pd.NA)
    ('12.345', '–')
    """
    return nl_num(value, 0, na=na)


def nl_pct(share: Any, decimals: int = 1, *, na: str = NA_TEXT) -> str:
    """Format a share in 0..1 as a Dutch percentage: ``0.125`` -> ``12,5 %``.

    Examples
    --------
    >>> nl_pct(0.125), nl_pct(1), nl_pct(None)
    ('12,5 %', '100,0 %', '–')
    """
    if is_missing(share):
        return na
    return f"{nl_num(float(share) * 100, decimals)} %"
