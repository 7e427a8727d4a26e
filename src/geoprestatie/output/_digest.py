"""Workbook sheets for large runs: summaries instead of millions of cells (private; used by
``tables``).

A spreadsheet is the place for the figures a board paper or P&C cycle quotes, not for a
national table: 14,000 buurten × 70 columns, or a prognosis per corporation, buurt and year
(~10⁷ cells), make a workbook that takes minutes to write and to open. Above
:data:`MAX_SHEET_ROWS` rows a table goes into the workbook summarised (per gemeente, per
corporation, per corporation and year), or as its first rows; the full table is always in
its CSV file and the GeoPackage, and the sheet's description says so.

Sums respect suppression (``attrs["onderdrukt"]``): a group with a suppressed member shows
the suppression label, never a total without it (a sum of published cells reveals nothing
that the published cells do not).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geoprestatie.output._csvfile import suppressed_mask

__all__ = [
    "MAX_SHEET_ROWS",
    "TOP_BUURTEN",
    "best_ranked",
    "grouped_sum",
    "head",
    "take",
    "with_column",
]

#: Tables longer than this are summarised in the workbook (in full in CSV and GeoPackage).
MAX_SHEET_ROWS = 5_000

#: Buurten shown on the themed buurt sheets of a large run (best SIA rank first).
TOP_BUURTEN = 1_000


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def grouped_sum(
    frame: pd.DataFrame, keys: Sequence[str], columns: Sequence[str], *, count: str | None = None
) -> pd.DataFrame:
    """Sum ``columns`` per group of ``keys``; a group with a suppressed member is suppressed.

    ``count`` names an extra column with the number of rows per group.

    Examples
    --------
    >>> f = pd.DataFrame({"g": ["a", "a", "b"], "n": [3.0, None, 4.0]})
    >>> f.attrs["onderdrukt"] = pd.DataFrame({"n": [False, True, False]})
    >>> out = grouped_sum(f, ["g"], ["n"], count="n_buurten")
    >>> out[["g", "n_buurten"]].to_dict("list"), out["n"].tolist()
    ({'g': ['a', 'b'], 'n_buurten': [2, 1]}, [nan, 4.0])
    >>> out.attrs["onderdrukt"]["n"].tolist()
    [True, False]
    """
    keys, columns = list(keys), list(columns)
    values = frame[columns].apply(pd.to_numeric, errors="coerce").astype("float64")
    mask = suppressed_mask(frame)
    hidden = (
        mask[columns].astype(bool)
        if mask is not None
        else pd.DataFrame(False, index=frame.index, columns=columns)
    )
    group = [frame[k] for k in keys]
    sums = values.groupby(group, dropna=False, sort=True).sum(min_count=1)
    flags = hidden.groupby(group, dropna=False, sort=True).any()
    out: pd.DataFrame = sums.where(~flags).reset_index()
    if count is not None:
        sizes = values.groupby(group, dropna=False, sort=True).size()
        out.insert(len(keys), count, sizes.to_numpy().astype("int64"))
    onderdrukt = pd.DataFrame(False, index=out.index, columns=out.columns)
    onderdrukt[columns] = flags.to_numpy()
    out.attrs["onderdrukt"] = onderdrukt
    return out


def best_ranked(rank: pd.Series | None, rows: int, n: int | None = None) -> np.ndarray:
    """Positions of the ``n`` rows with the best (lowest) ``rank``; without a rank (or for
    rows without one: suppressed or not eligible) in table order after the ranked ones.

    Examples
    --------
    >>> best_ranked(pd.Series([3, None, 1, 2]), 4, n=3).tolist()
    [2, 3, 0]
    """
    n = TOP_BUURTEN if n is None else n
    if rank is None:
        return np.arange(min(n, rows))
    ranks = pd.to_numeric(rank, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    order = np.argsort(np.where(np.isnan(ranks), np.inf, ranks), kind="stable")
    return order[:n]


def take(frame: pd.DataFrame, positions: np.ndarray | None = None) -> pd.DataFrame:
    """Rows of ``frame`` by position (all with ``None``), with their suppression mask."""
    if positions is None:
        positions = np.arange(len(frame))
    out = frame.iloc[positions]
    out.attrs = {}
    mask = suppressed_mask(frame)
    if mask is not None:
        out.attrs["onderdrukt"] = mask.iloc[positions]
    return out


def with_column(frame: pd.DataFrame, name: str, source: pd.DataFrame, column: str) -> pd.DataFrame:
    """``frame`` with ``source[column]`` (same rows, by position) as a number column
    ``name``, its suppression mask included."""
    values = pd.to_numeric(source[column].astype("Float64"), errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    out = frame.assign(**{name: values})
    out.attrs = {}
    mask = suppressed_mask(frame)
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns) if mask is None else mask
    source_mask = suppressed_mask(source)
    hidden = (
        source_mask[column].to_numpy()
        if source_mask is not None
        else np.zeros(len(frame), dtype=bool)
    )
    out.attrs["onderdrukt"] = mask.assign(**{name: hidden})
    return out


def head(frame: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """The first ``n`` (default :data:`MAX_SHEET_ROWS`) rows, with their suppression mask."""
    n = MAX_SHEET_ROWS if n is None else n
    return take(frame, np.arange(min(n, len(frame))))


def about_top(n_shown: int, n_all: int) -> str:
    """The description added to a themed buurt sheet of a large run."""
    return (
        f" Alleen de {_n(n_shown)} buurten met de beste SIA-rang (van {_n(n_all)}); alle "
        "buurten staan in buurttabel.csv, sia.csv en geoprestatie.gpkg."
    )


def about_head(name: str, n_shown: int, n_all: int) -> str:
    """The description of a sheet that holds only the first rows of a table."""
    return (
        f" Alleen de eerste {_n(n_shown)} van {_n(n_all)} rijen; de hele tabel staat in {name}.csv."
    )
