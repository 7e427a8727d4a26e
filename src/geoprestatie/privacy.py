"""Privacy for published outputs ("openbaar, tenzij"): suppress figures of small groups.

Every published output (HTML maps, PNGs, the report) passes its per-buurt figures through
:func:`suppress_small` first: a figure based on fewer than ``min_count`` dwellings (default
5) is replaced by NA and the row is flagged, so no individual dwelling can be read off a map.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import pandas as pd

from geoprestatie.errors import InputError

__all__ = ["DEFAULT_MIN_DWELLINGS", "FLAG_COLUMN", "suppress_small", "suppressed_text"]

DEFAULT_MIN_DWELLINGS = 5
FLAG_COLUMN = "onderdrukt"

FrameT = TypeVar("FrameT", bound=pd.DataFrame)


def suppress_small(
    frame: FrameT,
    *,
    count_col: str,
    min_count: int = DEFAULT_MIN_DWELLINGS,
    columns: Sequence[str] | None = None,
    flag_col: str = FLAG_COLUMN,
) -> FrameT:
    """Return a copy with the figures of rows based on fewer than ``min_count`` records as NA.

    Parameters
    ----------
    frame
        One row per group (buurt, buurt-year, ...); not modified.
    count_col
        The number of dwellings each row's figures are based on. A missing count is
        treated as unknown, hence suppressed.
    min_count
        Rows with ``count < min_count`` are suppressed; ``0`` switches suppression off.
    columns
        The figures to suppress; default: every numeric and boolean column (identifiers
        and names are text, so they stay). ``count_col`` itself is always suppressed.
    flag_col
        Name of the boolean column added that marks suppressed rows.

    Returns
    -------
    A copy of ``frame`` with the figures of small rows set to NA (numeric columns become
    nullable ``Float64``/``Int64``/``boolean`` where needed) and ``flag_col`` added.

    Examples
    --------
    >>> df = pd.DataFrame({"buurtnaam": ["A", "B"], "woningen": [3, 40], "aandeel": [0.5, 0.2]})
    >>> out = suppress_small(df, count_col="woningen")
    >>> out["aandeel"].tolist(), out["woningen"].tolist(), out["onderdrukt"].tolist()
    ([<NA>, 0.2], [<NA>, 40], [True, False])
    >>> out["buurtnaam"].tolist()
    ['A', 'B']
    """
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 0:
        raise ValueError(f"`min_count` was {min_count!r} but is expected to be an integer >= 0")
    if count_col not in frame.columns:
        raise InputError(
            f"the count column {count_col!r} needed to suppress small figures is missing; "
            f"found {list(map(str, frame.columns))}",
            column=count_col,
        )
    out = frame.copy()
    counts = pd.to_numeric(out[count_col], errors="coerce")
    small = (counts.isna() | (counts < min_count)).to_numpy(dtype=bool) if min_count else None
    if columns is None:
        columns = [
            str(c)
            for c in out.columns
            if c != "geometry"
            and c != flag_col
            and (pd.api.types.is_numeric_dtype(out[c]) or pd.api.types.is_bool_dtype(out[c]))
        ]
    missing = [c for c in columns if c not in out.columns]
    if missing:
        raise InputError(f"columns to suppress {missing} are not in the frame", column=missing[0])
    targets = list(dict.fromkeys([*columns, count_col]))
    if small is None or not small.any():
        out[flag_col] = pd.array([False] * len(out), dtype="boolean")
        return out
    for col in targets:
        series = out[col]
        if pd.api.types.is_bool_dtype(series):
            series = series.astype("boolean")
        elif pd.api.types.is_integer_dtype(series):
            series = series.astype("Int64")
        elif pd.api.types.is_float_dtype(series):
            series = series.astype("Float64")
        else:
            series = series.astype(object)
        out[col] = series.mask(pd.Series(small, index=series.index), pd.NA)
    out[flag_col] = pd.array(small, dtype="boolean")
    return out


def suppressed_text(min_count: int) -> str:
    """The Dutch note shown where figures are suppressed.

    Examples
    --------
    >>> suppressed_text(5)
    'minder dan 5 woningen: cijfers niet getoond (privacy)'
    """
    return f"minder dan {min_count} woningen: cijfers niet getoond (privacy)"
