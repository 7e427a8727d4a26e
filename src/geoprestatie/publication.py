"""The publication policy ("openbaar, tenzij"): what a public output may show, applied once.

:func:`publish_frames` takes the full frames of a run and returns the public ones; every
public output (maps, PNGs, report, GeoPackage, CSV/XLSX in ``publiek/``) is rendered from
those and nothing else. The rules:

* **No single dwelling**: no ``vhe_id``, address or dwelling point (the dwelling and sales
  frames and the offending records are internal only).
* **Primary suppression**: every count of dwellings below ``min_woningen`` (default 5,
  ``[uitvoer] min_woningen``) and above zero is not shown: per buurt and per corporation
  (stock, rent classes, planned sales), per DIA, per buurt × corporation × year in the
  prognosis (stands and mutations), and the municipal totals of the prognosis summary.
* **Secondary suppression**: further cells are hidden so that no hidden count can be
  derived from totals, subtotals, per-corporation breakdowns, DIA sums or year-to-year
  differences (``eindstand(y) = beginstand(y+1)``); the method is in
  :mod:`geoprestatie._suppression` (singleton rule plus an LP audit).
* **Derived figures follow their counts**: a share, median or SIA figure of a buurt whose
  corporation stock is hidden is hidden too (a share with its published denominator would
  give the count back); a share of energy labels E/F/G is hidden when it would reveal a
  group of 1 to ``min_woningen - 1`` dwellings with or without such a label; DIA averages
  are hidden when one of their buurten is. The reason a buurt is not eligible for the SIA
  (``sia_reden``) quotes the failing figure: hidden where that figure or the score is.
* **Monitor figures**: the measured figure of a monitor row or group that is a count of 1
  to ``min_woningen - 1`` (a group per corporation or dwelling type) is hidden with its
  explanation, the status stays; beside a single hidden group that is not a buurt, one more
  group of the same agreement. So are: a group per buurt where the buurt table hides a
  figure of that buurt, a row whose agreement selects or measures by ``buurtcode``, and a
  net-growth agreement whose figure the prognosis summary hides.

The input-file accounting (``koppeling``), the monitor's figures and the prognosis summary
are figures for the municipality as a whole (the accountability figures of the
agreements); the suppression treats them, and the municipal stock per corporation, as
known to an attacker, but may hide them as a last resort: a municipal total that would pin
hidden buurt counts (one dwelling in each of five buurten, total 5: every hidden count is
1) or is itself a count of 1 to ``min_woningen - 1``. Such a total is then hidden wherever
``publiek/`` would show it: the stock file's read/joined counts in the accounting, the
municipal stock per year of the prognosis, the scenarios' stands, the monitor's measured
figures (:attr:`PublicFrames.hidden_totals`; :attr:`PublicFrames.notes` says so). A total that
the parties publish elsewhere (annual reports) is beyond this policy.

Hidden cells are NA in the public frame and ``True`` in ``frame.attrs["onderdrukt"]`` (a
boolean frame aligned with it). Every output shows them as :data:`SUPPRESSED_LABEL`, one
label for small and for derivable cells alike, so the label tells nothing about the value.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from geoprestatie._suppression import CELL_TOLERANCE, PRIMARY, PUBLISHED, CellSystem, protect
from geoprestatie.agreements import (
    COMPARISONS,
    MEASURED_DATASETS,
    NET_GROWTH_TARGETS,
    PER_BUURT,
    PER_CORPORATION,
    STATUS_RULES,
    MonitorResult,
)
from geoprestatie.errors import ConfigError
from geoprestatie.huur import RENT_CLASSES
from geoprestatie.join import JoinResult
from geoprestatie.prognosis import MUTATION_TYPES, MUTATIONS, SUMMARY_ROWS, TEMP_COLUMNS
from geoprestatie.programme import ProgrammeResult
from geoprestatie.result import RunResult

__all__ = [
    "ALL_CORPORATIONS",
    "DEFAULT_MIN_DWELLINGS",
    "SUPPRESSED_ATTR",
    "SUPPRESSED_LABEL",
    "SUPPRESSED_NOTE",
    "YEAR_TOTALS_ATTR",
    "PublicFrames",
    "PublicationPolicy",
    "coarse_prognosis",
    "public_programme",
    "publish",
    "publish_frames",
    "publish_joined",
    "publish_monitor",
    "suppressed_mask",
    "suppressed_note",
]

DEFAULT_MIN_DWELLINGS = 5
#: The ``corporatie`` of the public prognosis rows (all corporations together).
ALL_CORPORATIONS = "alle corporaties"
#: What every output shows in place of a hidden figure.
SUPPRESSED_LABEL = "×"
#: The attrs key of the boolean frame marking hidden cells.
SUPPRESSED_ATTR = "onderdrukt"
#: The legend/footnote text for :data:`SUPPRESSED_LABEL` (``{n}``: the minimum).
SUPPRESSED_NOTE = (
    "× = niet getoond (privacy): minder dan {n} woningen, of af te leiden uit andere cijfers"
)

#: The attrs key of a public frame holding the minimum it was published with.
MIN_ATTR = "min_woningen"
#: The attrs key of the public prognosis holding the municipal stock per year
#: (``beginstand``, ``eindstand`` by ``jaar``: public, and not a sum of its shown cells).
YEAR_TOTALS_ATTR = "jaartotalen"

#: Columns of the buurt table and SIA frame that describe the corporation dwellings.
_DWELLING_FIGURES = ("aandeel_efg", "bouwjaar_mediaan", "aandeel_corporatie", "verkoop_aandeel")
#: SIA figures hidden with the buurt's stock (they are computed from the shares above).
_SIA_FIGURES = (
    "sia_score",
    "sia_rang",
    "kans_top_k",
    "rang_p05",
    "rang_p95",
    "robuust",
    "betrouwbaarheid",
    "wat_nodig_l1",
    "wat_nodig_tekst",
)
#: Families of SIA figures (contributions, rank acceptabilities, central weights).
_SIA_PREFIXES = ("bijdrage_", "kans_rang_", "centraal_gewicht_")
#: attrs of the SIA frame that compare buurten one by one (pairwise winning indices):
#: internal only, they would tell the rank of a buurt whose SIA figures are hidden.
_INTERNAL_ATTRS = ("paarsgewijs",)
#: DIA averages hidden when a member buurt's figures are hidden.
_DIA_AVERAGES = ("aandeel_efg", "sia_score_gemiddeld", "kans_top_k_gemiddeld", "n_robuust")
#: Summary rows of :func:`geoprestatie.prognosis.summary_table` -> the columns they add up.
_SUMMARY_PARTS: dict[str, tuple[str, ...]] = {
    SUMMARY_ROWS[0]: ("nieuwbouw", "transformatie", "aankoop"),
    SUMMARY_ROWS[1]: ("tijdelijk_toevoeging",),
    SUMMARY_ROWS[2]: ("tijdelijk_onttrekking",),
    SUMMARY_ROWS[3]: ("deliberalisatie", "liberalisatie"),
    SUMMARY_ROWS[4]: ("splitsing", "samenvoeging"),
    SUMMARY_ROWS[5]: ("sloop",),
    SUMMARY_ROWS[6]: ("verkoop",),
    SUMMARY_ROWS[7]: ("saldo",),
    SUMMARY_ROWS[8]: tuple(MUTATION_TYPES),
    SUMMARY_ROWS[9]: tuple(m for m in MUTATION_TYPES if m != "sloop"),
}
_EFG = ("E", "F", "G")

# weights: which cells secondary suppression hides first (parts before totals)
_W_PART, _W_AREA, _W_BUURT_TOTAL = 1.0, 20.0, 50.0
#: what an attacker knows of each prognosis quantity's sign
_SIGNS: dict[str, int] = {**MUTATIONS, "tijdelijk_toevoeging": 1, "tijdelijk_onttrekking": -1}


class SuppressedCells(pd.DataFrame):
    """The boolean frame in ``attrs["onderdrukt"]``: compares as one bool, so pandas can
    compare the ``attrs`` of frames it concatenates; operations give plain frames.

    Read-only by convention, so a copy is the same object: pandas deep-copies ``attrs`` on
    every column access and every derived frame (``frame[col]``, ``frame.copy()``), which
    for a national table (14,000 buurten x 300 columns) made each access copy 4 M cells."""

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    def __eq__(self, other: object) -> bool:  # type: ignore[override]
        return isinstance(other, pd.DataFrame) and self.equals(other)

    def __ne__(self, other: object) -> bool:  # type: ignore[override]
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __deepcopy__(self, memo: dict[int, object] | None = None) -> SuppressedCells:
        return self

    def __copy__(self) -> SuppressedCells:
        return self


@dataclass(frozen=True)
class PublicationPolicy:
    """``[uitvoer]`` settings that decide what public outputs show.

    Examples
    --------
    >>> PublicationPolicy.from_dict({"min_woningen": 10}).min_woningen
    10
    """

    min_woningen: int = DEFAULT_MIN_DWELLINGS

    def __post_init__(self) -> None:
        m = self.min_woningen
        if isinstance(m, bool) or not isinstance(m, int) or m < 0:
            raise ConfigError(
                f"[uitvoer] min_woningen is {m!r} maar moet een geheel getal >= 0 zijn"
            )

    @classmethod
    def from_dict(cls, section: Mapping[str, Any]) -> PublicationPolicy:
        """From the ``[uitvoer]`` table (other keys are ignored here)."""
        return cls(min_woningen=section.get("min_woningen", DEFAULT_MIN_DWELLINGS))


@dataclass
class PublicFrames:
    """The public versions of a run's frames (``None`` where the run has none)."""

    table: pd.DataFrame
    scored: pd.DataFrame
    areas: pd.DataFrame
    prognosis: pd.DataFrame | None = None
    prognosis_summary: pd.DataFrame | None = None
    n_primary: int = 0
    n_secondary: int = 0
    notes: list[str] = field(default_factory=list)
    #: municipal totals hidden because they would reveal hidden buurt counts: stock columns
    #: (``woningen_corporaties``, ``woningen_<corporatie>``) and ``"beginstand <jaar>"``
    hidden_totals: frozenset[str] = frozenset()


def suppressed_mask(frame: pd.DataFrame) -> pd.DataFrame:
    """The boolean frame of hidden cells of a public frame (all False when none).

    Examples
    --------
    >>> suppressed_mask(pd.DataFrame({"a": [1]}))["a"].tolist()
    [False]
    """
    mask = frame.attrs.get(SUPPRESSED_ATTR)
    if isinstance(mask, pd.DataFrame):
        return mask.reindex(index=frame.index, columns=frame.columns, fill_value=False)
    return pd.DataFrame(False, index=frame.index, columns=frame.columns)


def suppressed_note(frame: pd.DataFrame) -> str | None:
    """The legend text for :data:`SUPPRESSED_LABEL` when ``frame`` hides a cell, else None.

    Examples
    --------
    >>> f = pd.DataFrame({"a": [1]})
    >>> suppressed_note(f) is None
    True
    >>> f.attrs = {SUPPRESSED_ATTR: pd.DataFrame({"a": [True]}), MIN_ATTR: 10}
    >>> suppressed_note(f)
    '× = niet getoond (privacy): minder dan 10 woningen, of af te leiden uit andere cijfers'
    """
    if not suppressed_mask(frame).to_numpy().any():
        return None
    return SUPPRESSED_NOTE.format(n=frame.attrs.get(MIN_ATTR, DEFAULT_MIN_DWELLINGS))


# ----------------------------------------------------------------------------- cells


def _num(value: object) -> float | None:
    """A finite number, or None for NA."""
    if value is None or value is pd.NA:
        return None
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if np.isfinite(out) else None


def _corp_columns(frame: pd.DataFrame) -> list[str]:
    return [
        str(c)
        for c in frame.columns
        if str(c).startswith("woningen_") and c != "woningen_corporaties"
    ]


#: Marks a stock cell that is zero: the attacker knows it (``n_corporaties``), so it is never
#: hidden and adds nothing to a sum; it is left out of the cell system (a national table
#: has millions of them).
_ZERO: Hashable = ("0",)


def _figure_columns(frame: pd.DataFrame) -> list[tuple[str, str, float, bool]]:
    """``(column, cell kind, weight factor, nonzero_known)`` of the counts in ``frame``."""
    rent = [f"huur_{k}" for k in RENT_CLASSES if f"huur_{k}" in frame] + (
        ["huur_onbekend"] if "huur_onbekend" in frame else []
    )
    # the number of corporations per buurt tells which stock cells are non-zero
    out = [(c, "S", 1.0, True) for c in _corp_columns(frame)]
    out += [("woningen_corporaties", "S*", _W_BUURT_TOTAL, True)]
    out += [(c, "H", 1.0, False) for c in rent] + [("verkoop_gepland", "V", 1.0, False)]
    return [t for t in out if t[0] in frame.columns]


def _area_cells(
    cs: CellSystem, frame: pd.DataFrame, where: Sequence[Hashable], weight: float
) -> list[dict[str, Hashable]]:
    """The stock, rent-class and sales cells of each buurt or DIA row (column -> key;
    :data:`_ZERO` for a zero stock cell), with the row's sums (the corporations' stock and
    the rent classes each add up to the row's corporation stock). Cells and sums are added
    row by row, in the columns' order, all in one step."""
    figures = _figure_columns(frame)
    values = (
        np.column_stack(
            [
                pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                for c, *_ in figures
            ]
        )
        if figures
        else np.zeros((len(frame), 0))
    )
    values[~np.isfinite(values)] = np.nan
    nz = np.array([t[3] for t in figures], dtype=bool)
    zero = nz & (values == 0)
    rows, cols = np.nonzero(~np.isnan(values) & ~zero)  # row by row: the order of the cells
    kinds = [kind for _, kind, *_ in figures]
    names = [c for c, *_ in figures]
    keys: list[Hashable] = [
        _area_key(kinds[c], names[c], w)
        for c, w in zip(cols.tolist(), [where[r] for r in rows.tolist()], strict=True)
    ]
    factor = np.array([t[2] for t in figures], dtype=float)
    pos = np.full(values.shape, -1, dtype=np.int64)
    pos[rows, cols] = cs.cells(
        keys, values[rows, cols], signs=np.ones(len(keys)), nonzero_known=nz[cols],
        weights=weight * factor[cols],
    )  # fmt: skip
    _area_sums(cs, pos, kinds)
    return [
        {
            names[c]: (_ZERO if z else cs.keys[p])
            for c, (p, z) in enumerate(zip(prow, zrow, strict=True))
            if p >= 0 or z
        }
        for prow, zrow in zip(pos.tolist(), zero.tolist(), strict=True)
    ]


def _area_key(kind: str, column: str, where: Hashable) -> tuple[Hashable, ...]:
    """The key of a buurt's or DIA's stock (``S``), rent-class (``H``) or sales (``V``) cell."""
    if kind == "S":
        return ("S", column.removeprefix("woningen_"), where)
    if kind == "S*":
        return ("S", "*", where)
    return ("H", column, where) if kind == "H" else ("V", where)


def _area_sums(cs: CellSystem, pos: np.ndarray, kinds: Sequence[str]) -> None:
    """Per row with a corporation stock cell (``S*``): it is the sum of the corporations'
    cells (``S``), then of the rent classes (``H``); ``pos`` holds the cells (-1: none)."""
    if "S*" not in kinds:
        return
    total = pos[:, kinds.index("S*")]
    blocks = []
    for kind in ("S", "H"):
        block = np.column_stack([total, pos[:, [k == kind for k in kinds]]])
        block[total < 0] = -1
        block[(block[:, 1:] < 0).all(axis=1)] = -1  # no parts: no relation
        blocks.append(block)
    members = np.column_stack(blocks)
    lengths = np.column_stack([(b >= 0).sum(axis=1) for b in blocks]).ravel()
    cs.sums(members[members >= 0], lengths[lengths > 0])


def _stock_cells(
    cs: CellSystem, table: pd.DataFrame, areas: pd.DataFrame, members: Mapping[str, list[str]]
) -> tuple[dict[str, dict[str, Hashable]], dict[str, dict[str, Hashable]]]:
    """Cells of the buurt table and the DIA table, with the buurt, DIA and municipal sums."""
    codes = table["buurtcode"].astype(str).tolist() if "buurtcode" in table else []
    per_buurt = dict(zip(codes, _area_cells(cs, table, codes, _W_PART), strict=True))
    per_dia: dict[str, dict[str, Hashable]] = {}
    ids = areas["dia_id"].astype(str).tolist() if "dia_id" in areas else []
    dia_keys = _area_cells(cs, areas, [("DIA", d) for d in ids], _W_AREA) if ids else []
    for d, keys in zip(ids, dia_keys, strict=True):
        per_dia[d] = keys
        for col, key in keys.items():
            if key is _ZERO:
                continue
            parts = [per_buurt.get(b, {}).get(col) for b in members.get(d, [])]
            if parts and all(p is not None for p in parts):
                cs.sum(key, [p for p in parts if p is not None and p is not _ZERO])
    # municipal totals of the stock (per corporation and in all) are public through the
    # accounting and the monitor; rent classes and sales are not published municipality-wide
    columns: dict[str, list[Hashable]] = {}
    for keys in per_buurt.values():
        for col, key in keys.items():
            if col.startswith("woningen_") and key is not _ZERO:
                columns.setdefault(col, []).append(key)
    for col in sorted(columns):
        parts = columns[col]
        total = sum(cs.values[cs.index(p)] for p in parts)
        cs.sum(cs.cell(("municipal", col), total, forced=True, sign=1), parts)
    return per_buurt, per_dia


def coarse_prognosis(prognosis: pd.DataFrame) -> pd.DataFrame:
    """The prognosis per buurt and year over all corporations (what public outputs show).

    Per buurt *and* corporation the figures are too fine to publish: a corporation's lone
    mutation in the municipality (published in the agreements' summary) could be traced to
    its buurt. Per corporation the prognosis is public for the municipality as a whole
    (:func:`geoprestatie.prognosis.summary_table`); per buurt for all corporations together.

    Examples
    --------
    >>> p = pd.DataFrame({"corporatie": ["A", "B"], "buurtcode": ["B1", "B1"], "jaar": [2022] * 2,
    ...     "beginstand": [3, 40], "eindstand": [3, 42], "nieuwbouw": [0, 2]})
    >>> out = coarse_prognosis(p)
    >>> out["corporatie"].tolist(), out[["beginstand", "nieuwbouw", "eindstand"]].iloc[0].tolist()
    (['alle corporaties'], [43, 2, 45])
    """
    keys = ["buurtcode", "jaar"] if "buurtcode" in prognosis.columns else ["jaar"]
    numeric = [
        c
        for c in prognosis.columns
        if c not in (*keys, "corporatie") and pd.api.types.is_numeric_dtype(prognosis[c])
    ]
    out = prognosis.groupby(keys, dropna=False, sort=True)[numeric].sum().reset_index()
    out.insert(0, "corporatie", ALL_CORPORATIONS)
    return out[[c for c in prognosis.columns if c in out.columns]]


def _prognosis_cells(
    cs: CellSystem, coarse: pd.DataFrame, stock: Mapping[str, dict[str, Hashable]]
) -> tuple[dict[str, np.ndarray], list[int]]:
    """Cells of the coarse prognosis: column -> the cell of each row (-1: none), and the
    years of the prognosis cells. Stands are chained by ``eindstand = beginstand +
    mutations`` and ``eindstand(y) = beginstand(y+1)`` (one cell where the two agree),
    summed over the buurten per year (municipal totals), and the first stand is linked to
    the buurt's corporation stock. ``coarse`` is :func:`coarse_prognosis` output (one row per
    buurt and year, sorted); cells and relations are added a whole column at a time."""
    n = len(coarse)
    years = coarse["jaar"].to_numpy(dtype=np.int64)
    codes = coarse["buurtcode"].tolist() if "buurtcode" in coarse else [None] * n
    b = np.asarray(["?" if c is None or pd.isna(c) else str(c) for c in codes], dtype=object)
    new_buurt = np.ones(n, dtype=bool)
    new_buurt[1:] = b[1:] != b[:-1]
    if (
        int(new_buurt.sum()) != len(set(b.tolist()))
        or (years[1:] <= years[:-1])[~new_buurt[1:]].any()
    ):
        raise ValueError("coarse prognosis: not one row per buurt and year, sorted")
    follows = np.zeros(n, dtype=bool)  # the row before is the same buurt, the year before
    follows[1:] = ~new_buurt[1:] & (years[1:] == years[:-1] + 1)
    muts = [m for m in MUTATIONS if m in coarse.columns]
    temp = ("tstand", TEMP_COLUMNS[0], TEMP_COLUMNS[3], list(TEMP_COLUMNS[1:3]))
    chains = [c for c in (("stand", "beginstand", "eindstand", muts), temp) if c[1] in coarse]
    slots: list[tuple[str, str, str]] = []  # (quantity, column, begin/end/part)
    for q, begin, end, parts in chains:
        slots += [(q, begin, "b"), (q, end, "e"), *((m, m, "p") for m in parts)]
    if not slots:
        return {}, []
    value = np.column_stack([coarse[col].to_numpy(dtype=float) for _, col, _ in slots])
    first = years == years.min()
    new = np.ones(value.shape, dtype=bool)
    for j, (_, _, kind) in enumerate(slots):
        if kind == "b":  # the end stand of the row before, where it has the same value
            same = np.zeros(n, dtype=bool)
            same[1:] = np.abs(value[:-1, j + 1] - value[1:, j]) < CELL_TOLERANCE
            new[:, j] = ~(follows & same)
    at = np.flatnonzero(new.ravel())
    row, col = np.divmod(at, len(slots))
    kinds = np.array([k for _, _, k in slots])[col]
    names = np.array([q for q, _, _ in slots], dtype=object)[col]
    year = years[row] + (kinds == "e")
    keys: list[Hashable] = [
        ("P", q, bb, y)
        for q, bb, y in zip(names.tolist(), b[row].tolist(), year.tolist(), strict=True)
    ]
    broken = np.flatnonzero((kinds == "b") & follows[row])  # a new begin after a year: "#"
    for i in broken.tolist():
        keys[i] = (keys[i], "#", 1)
    signs = np.array([1 if k != "p" else _SIGNS[q] for q, _, k in slots])[col]
    cell = np.full(value.shape, -1, dtype=np.int64)
    added = cs.cells(
        keys, value.ravel()[at], signs=signs, nonzero_known=(kinds == "b") & first[row]
    )
    cell.ravel()[at] = added
    for j, (_, _, kind) in enumerate(slots):
        if kind == "b":
            reused = cell[:, j] < 0
            cell[1:, j][reused[1:]] = cell[:-1, j + 1][reused[1:]]
    out = {column: cell[:, j] for j, (_, column, _) in enumerate(slots)}
    _prognosis_relations(cs, coarse, out, chains, b, first, stock)
    groups = _prognosis_margins(cs, added, names, year)
    return out, sorted({y for _, y in groups})


def _prognosis_relations(
    cs: CellSystem,
    coarse: pd.DataFrame,
    out: Mapping[str, np.ndarray],
    chains: Sequence[tuple[str, str, str, list[str]]],
    b: np.ndarray,
    first: np.ndarray,
    stock: Mapping[str, dict[str, Hashable]],
) -> None:
    """Per row: ``eindstand = beginstand + mutations`` per chain, then the first stand's
    link to the buurt's corporation stock (counted from the same dwellings)."""
    n = len(coarse)
    blocks = [
        np.column_stack([out[end], out[begin], *(out[m] for m in parts)])
        for _, begin, end, parts in chains
    ]
    link = np.full((n, 2), -1, dtype=np.int64)
    if "beginstand" in out:
        start = out["beginstand"]
        for r in np.flatnonzero(first).tolist():
            linked = stock.get(str(b[r]), {}).get("woningen_corporaties")
            if linked is None or linked is _ZERO:
                continue
            other = cs.index(linked)
            if abs(cs.values[other] - cs.values[int(start[r])]) < 1e-9:
                link[r] = (start[r], other)
    members = np.column_stack([*blocks, link]).ravel()
    lengths = np.column_stack(
        [*(np.full(n, x.shape[1]) for x in blocks), np.where(link[:, 0] >= 0, 2, 0)]
    ).ravel()
    cs.sums(members[members >= 0], lengths[lengths > 0])


def _prognosis_margins(
    cs: CellSystem, cells: np.ndarray, names: np.ndarray, years: np.ndarray
) -> list[tuple[str, int]]:
    """Municipal sums over the buurten, per quantity and year (published as they are), of
    the prognosis cells (positions ``cells`` in the order they were added); the groups."""
    code = pd.factorize(names)[0] * (int(years.max()) + 2) + years
    uniq, first, group = np.unique(code, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # groups in order of their first cell
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(uniq))
    by_group = np.argsort(rank[group], kind="stable")
    members = cells[by_group]
    counts = np.bincount(rank[group], minlength=len(uniq))
    values = cs.array("values")[members].tolist()
    bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
    totals = [sum(values[lo:hi]) for lo, hi in itertools.pairwise(bounds)]
    groups = [(str(names[first[g]]), int(years[first[g]])) for g in order.tolist()]
    signs = [1 if q in ("stand", "tstand") else _SIGNS[q] for q, _ in groups]
    margin = cs.cells(
        [("P", q, "*", y) for q, y in groups],
        np.array(totals),
        signs=np.array(signs),
        forced=True,
    )
    cs.sums(np.insert(members, bounds[:-1], margin), counts + 1)  # each total, its parts
    return groups


def _summary_cells(
    cs: CellSystem, summary: pd.DataFrame, years: list[int]
) -> dict[tuple[str, str], Hashable]:
    """Cells of the prognosis summary (row x corporation/Totaal), each the sum of the
    municipal mutation totals it adds up over the ``years`` of the prognosis cells."""
    out: dict[tuple[str, str], Hashable] = {}
    corps = [str(c) for c in summary.columns]
    total_col = corps[-1] if corps else ""
    for row in summary.index:
        parts_of = _SUMMARY_PARTS.get(str(row), ())
        for c in corps:
            v = _num(summary.at[row, c])
            if v is None:
                continue
            key = out[(str(row), c)] = cs.cell(("Q", str(row), c), v, forced=True, sign=0)
            if c != total_col:
                continue  # per corporation: published for the municipality only
            parts = [("P", m, "*", y) for m in parts_of for y in years]
            parts = [p for p in parts if cs.has(p)]
            if parts and abs(sum(cs.values[cs.index(p)] for p in parts) - v) < 1e-9:
                cs.sum(key, parts)
    _summary_relations(cs, out, [str(r) for r in summary.index], corps)
    return out


def _summary_relations(
    cs: CellSystem, keys: Mapping[tuple[str, str], Hashable], rows: list[str], columns: list[str]
) -> None:
    """The sums a reader of the summary table can write down: per row, the total column is
    the sum of the corporations; per column, a row that adds up mutations (the net growth
    with and without demolition) is the sum of the rows of those mutations. Each only where
    the figures add up."""

    def add(total: Hashable | None, parts: list[Hashable | None]) -> None:
        if total is None or not parts or any(p is None for p in parts):
            return
        value = sum(cs.values[cs.index(p)] for p in parts if p is not None)
        if abs(value - cs.values[cs.index(total)]) < 1e-9:
            cs.sum(total, [p for p in parts if p is not None])

    if len(columns) > 1:
        for row in rows:
            add(keys.get((row, columns[-1])), [keys.get((row, c)) for c in columns[:-1]])
    parts = {r: set(_SUMMARY_PARTS.get(r, ())) for r in rows}
    # rows of their own mutations (not a sum of other rows): disjoint, the terms of a sum
    leaves = [
        r for r in rows if parts[r] and not any(parts[o] and parts[o] < parts[r] for o in rows)
    ]
    for row in rows:
        members = [r for r in leaves if parts[r] < parts[row]]
        if row in leaves or not members:
            continue
        for c in columns:
            add(keys.get((row, c)), [keys.get((r, c)) for r in members])


# ----------------------------------------------------------------------------- masks


def _masked(series: pd.Series, hidden: pd.Series) -> pd.Series:
    """``series`` in a nullable dtype with the ``hidden`` cells NA."""
    if pd.api.types.is_bool_dtype(series):
        series = series.astype("boolean")
    elif pd.api.types.is_integer_dtype(series):
        series = series.astype("Int64")
    elif pd.api.types.is_float_dtype(series):
        series = series.astype("Float64")
    else:
        series = series.astype(object)
    return series.mask(hidden, pd.NA)


def _hide(frame: pd.DataFrame, hidden: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the ``hidden`` cells as NA (nullable dtypes) and the mask in attrs."""
    attrs = dict(frame.attrs)  # set aside: pandas deep-copies attrs into every masked column
    out = frame.copy()
    out.attrs = {}
    hidden = hidden.reindex(index=out.index, columns=out.columns, fill_value=False)
    previous = attrs.get(SUPPRESSED_ATTR)
    if isinstance(previous, pd.DataFrame):
        hidden = hidden | previous.reindex_like(hidden).fillna(False).astype(bool)
    masked = {
        col: _masked(out[col], hidden[col]) for col in hidden.columns[hidden.any().to_numpy()]
    }
    if masked and all(isinstance(c, str) for c in masked):
        out = out.assign(**{str(c): v for c, v in masked.items()})  # at once: no fragments
    else:
        for col, values in masked.items():
            out[col] = values
    out.attrs = {**attrs, SUPPRESSED_ATTR: SuppressedCells(hidden)}
    return out


def _mask_from(
    frame: pd.DataFrame,
    keys: Mapping[str, Mapping[str, Hashable]],
    row_key: pd.Series,
    hidden: set[Hashable],
) -> pd.DataFrame:
    """Boolean frame: True where the cell's key (per row ``row_key``, per column) is hidden."""
    mask = np.zeros(frame.shape, dtype=bool)
    cols = {str(c): j for j, c in enumerate(frame.columns)}
    rows: dict[str, list[int]] = {}
    for pos, r in enumerate(row_key.astype(str).tolist()):
        rows.setdefault(r, []).append(pos)
    for r, row_keys in keys.items():
        for col, key in row_keys.items():
            if key in hidden and col in cols and r in rows:
                mask[rows[r], cols[col]] = True
    return pd.DataFrame(mask, index=frame.index, columns=frame.columns)


def _derived(
    frame: pd.DataFrame, mask: pd.DataFrame, efg_hidden: pd.Series, *, sia: bool
) -> pd.DataFrame:
    """Hide the figures computed from a hidden count (shares, medians, SIA figures)."""
    mask = mask.copy()
    stock = mask.get("woningen_corporaties")
    if stock is None:
        return mask
    for col in _DWELLING_FIGURES:
        if col in mask:
            mask[col] |= stock
    if "verkoop_aandeel" in mask and "verkoop_gepland" in mask:
        mask["verkoop_aandeel"] |= mask["verkoop_gepland"]
    if "aandeel_efg" in mask:
        mask["aandeel_efg"] |= efg_hidden.reindex(mask.index, fill_value=False).to_numpy()
    if sia:
        family = [str(c) for c in mask if str(c).startswith(_SIA_PREFIXES)]
        for col in [*_SIA_FIGURES, *family]:
            if col in mask:
                mask[col] |= stock
    return mask


def _efg_counts(stock: pd.DataFrame | None) -> pd.DataFrame | None:
    """Per buurt: dwellings with a known energy label (``count``), of which E/F/G (``sum``)."""
    if stock is None or "energielabel" not in stock or "buurtcode" not in stock:
        return None
    label = stock["energielabel"].astype("string")
    known = label.notna()
    frame = pd.DataFrame({"buurt": stock["buurtcode"].astype("string"), "efg": label.isin(_EFG)})
    frame = frame[known.to_numpy()]
    return frame.groupby("buurt")["efg"].agg(["sum", "count"])


def _efg_small(per_buurt: pd.DataFrame | None, groups: pd.Series, min_count: int) -> pd.Series:
    """Per group: True where E/F/G-labelled or other labelled dwellings number 1..min-1
    (``per_buurt`` from :func:`_efg_counts`)."""
    if per_buurt is None or not min_count:
        return pd.Series(False, index=groups.index.unique(), dtype=bool)
    per_group = per_buurt.reindex(groups.to_numpy()).fillna(0).groupby(groups.index).sum()
    efg, rest = per_group["sum"], per_group["count"] - per_group["sum"]
    return ((efg >= 1) & (efg < min_count)) | ((rest >= 1) & (rest < min_count))


# ----------------------------------------------------------------------------- publish


def publish_frames(
    *,
    table: pd.DataFrame,
    scored: pd.DataFrame,
    areas: pd.DataFrame,
    policy: PublicationPolicy,
    stock: pd.DataFrame | None = None,
    prognosis: pd.DataFrame | None = None,
    summary: pd.DataFrame | None = None,
    criteria: Mapping[str, str] | None = None,
    eligibility: Sequence[str] = (),
) -> PublicFrames:
    """The public versions of a run's frames (see the module docstring for the rules).

    Parameters
    ----------
    table, scored, areas
        The buurt table, the SIA frame (one row per buurt, with DIA columns) and the DIA
        areas (with ``dia_id`` and ``buurtcodes``).
    stock
        The joined dwellings (for the E/F/G group rule); never published.
    prognosis, summary
        :func:`geoprestatie.prognosis.project` and ``summary_table`` output.
    criteria
        SIA criterion name -> its column of the buurt table: a criterion whose value the
        public table hides for a buurt (a share that would give a hidden count back) hides
        its contribution there, and the buurt's SIA figures (the score minus the other,
        public contributions would give it back).
    eligibility
        The columns of the SIA eligibility filters (``[[sia.eligibility]] column``): a
        buurt's ``sia_reden`` quotes their values, so it is hidden where the public table
        hides one of them for the buurt.

    Examples
    --------
    >>> t = pd.DataFrame({"buurtcode": ["B1", "B2", "B3"], "woningen_a": [3, 40, 50],
    ...     "woningen_b": [60, 10, 70], "woningen_corporaties": [63, 50, 120]})
    >>> pub = publish_frames(table=t, scored=t, areas=t.iloc[0:0].assign(dia_id=[]),
    ...                      policy=PublicationPolicy())
    >>> pub.table[["woningen_a", "woningen_b"]].to_numpy().tolist()
    [[<NA>, <NA>], [<NA>, <NA>], [50, 70]]
    """
    m = policy.min_woningen
    cs = CellSystem()
    members: dict[str, list[str]] = {}
    if "buurtcodes" in areas and "dia_id" in areas:
        members = {
            str(d): _codes(v) for d, v in zip(areas["dia_id"], areas["buurtcodes"], strict=True)
        }
    per_buurt, per_dia = _stock_cells(cs, table, areas, members)
    prog_cells: dict[str, np.ndarray] = {}
    years: list[int] = []
    coarse = coarse_prognosis(prognosis) if prognosis is not None else None
    if coarse is not None and len(coarse):
        prog_cells, years = _prognosis_cells(cs, coarse, per_buurt)
    summ_keys = _summary_cells(cs, summary, years) if summary is not None and prog_cells else {}
    status = protect(cs, min_count=m)
    hidden = {cs.keys[i] for i in np.flatnonzero(status != PUBLISHED).tolist()}
    efg = _efg_counts(stock)  # once: a national stock has millions of dwellings
    pub = PublicFrames(
        table=_public_buurten(table, per_buurt, hidden, efg, m, sia=False),
        scored=scored,
        areas=areas,
        n_primary=int((status == 1).sum()),
        n_secondary=int((status == 2).sum()),
    )
    pub.scored = _public_buurten(scored, per_buurt, hidden, efg, m, sia=True)
    pub.scored = _hide_criteria(pub.scored, pub.table, criteria or {})
    pub.scored = _hide_reasons(pub.scored, pub.table, eligibility)
    pub.hidden_totals = _hidden_totals(cs, status)
    pub.notes += _total_notes(cs, status, m)
    pub.scored.attrs = {k: v for k, v in pub.scored.attrs.items() if k not in _INTERNAL_ATTRS}
    pub.areas = _public_areas(areas, per_dia, members, hidden, pub.scored, efg, m)
    if coarse is not None:
        pub.prognosis = _hide(coarse, _positional_mask(coarse, prog_cells, status))
        pub.prognosis.attrs[YEAR_TOTALS_ATTR] = _year_totals(coarse, pub.hidden_totals)
    if summary is not None:
        rows = {str(r): i for i, r in enumerate(summary.index)}
        cols = {str(c): j for j, c in enumerate(summary.columns)}
        flags = np.zeros(summary.shape, dtype=bool)
        for (row, col), key in summ_keys.items():
            flags[rows[row], cols[col]] = key in hidden
        mask = pd.DataFrame(flags, index=summary.index, columns=summary.columns)
        pub.prognosis_summary = _hide(summary, mask)
    for frame in (pub.table, pub.scored, pub.areas, pub.prognosis, pub.prognosis_summary):
        if frame is not None:
            frame.attrs[MIN_ATTR] = m  # for the legends: "minder dan m woningen"
    return pub


def _hidden_cells(cs: CellSystem, status: np.ndarray) -> list[tuple[Hashable, int]]:
    """The key and status of every cell not published, in order."""
    return [(cs.keys[i], int(status[i])) for i in np.flatnonzero(status != PUBLISHED).tolist()]


def _hidden_totals(cs: CellSystem, status: np.ndarray) -> frozenset[str]:
    """The public municipal totals that protection hid: stock columns and start stands."""
    out: set[str] = set()
    for key, _ in _hidden_cells(cs, status):
        if not isinstance(key, tuple):
            continue
        if key[0] == "municipal":
            out.add(str(key[1]))
        elif key[:3] in (("P", "stand", "*"), ("P", "tstand", "*")):
            out.add(f"{'tijdelijk_' if key[1] == 'tstand' else ''}beginstand {key[3]}")
    return frozenset(out)


def _total_notes(cs: CellSystem, status: np.ndarray, m: int) -> list[str]:
    """One note per hidden municipal stock total (run notes; no figure of a hidden cell)."""
    notes = []
    for key, st in _hidden_cells(cs, status):
        if not (isinstance(key, tuple) and key[0] == "municipal"):
            continue
        col = str(key[1])
        name = (
            ALL_CORPORATIONS
            if col == "woningen_corporaties"
            else col.removeprefix("woningen_").replace("_", " ")
        )
        why = (
            f"minder dan {m} woningen in de hele gemeente"
            if st == PRIMARY
            else "het totaal zou de verborgen aantallen per buurt vastleggen"
        )
        notes.append(
            f"{name}: het gemeentetotaal wordt in publiek/ niet getoond ({why}); ook de "
            "koppelverantwoording, voorraad per jaar en scenario's niet waar die het zouden "
            "geven. Let op: wie dat totaal elders publiceert, geeft de aantallen per buurt prijs"
        )
    return notes


def _year_totals(coarse: pd.DataFrame, hidden_totals: frozenset[str]) -> pd.DataFrame:
    """Municipal ``beginstand``/``eindstand`` per year, the hidden ones NA and marked."""
    totals = coarse.groupby("jaar", sort=True)[["beginstand", "eindstand"]].sum()
    years = [int(y) for y in totals.index]
    mask = pd.DataFrame(
        {
            "beginstand": [f"beginstand {y}" in hidden_totals for y in years],
            "eindstand": [f"beginstand {y + 1}" in hidden_totals for y in years],
        },
        index=totals.index,
    )
    return _hide(totals, mask)


def _hide_criteria(
    scored: pd.DataFrame, table: pd.DataFrame, criteria: Mapping[str, str]
) -> pd.DataFrame:
    """Hide ``bijdrage_<name>`` where the public ``table`` hides the criterion's column,
    and with it the buurt's SIA figures.

    A contribution is the criterion's value scaled (e.g. min-max over the buurten, whose
    ends are public): it gives the value back, and a share times the public number of
    dwellings gives the hidden count back.

    Examples
    --------
    >>> t = pd.DataFrame({"buurtcode": ["B1", "B2"], "aandeel_efg": [pd.NA, 0.5]})
    >>> t.attrs[SUPPRESSED_ATTR] = pd.DataFrame({"buurtcode": [False] * 2,
    ...                                          "aandeel_efg": [True, False]})
    >>> s = pd.DataFrame({"buurtcode": ["B1", "B2"], "sia_score": [40.0, 55.0],
    ...                   "bijdrage_efg": [10.0, 20.0], "bijdrage_oud": [30.0, 35.0]})
    >>> out = _hide_criteria(s, t, {"efg": "aandeel_efg", "oud": "bouwjaar_mediaan"})
    >>> out[["sia_score", "bijdrage_efg", "bijdrage_oud"]].to_numpy().tolist()
    [[<NA>, <NA>, <NA>], [55.0, 20.0, 35.0]]
    """
    if not criteria or "buurtcode" not in scored or "buurtcode" not in table:
        return scored
    tmask = suppressed_mask(table)
    tmask.index = table["buurtcode"].astype(str).to_numpy()
    tmask = tmask[~tmask.index.duplicated()]
    codes = scored["buurtcode"].astype(str).to_numpy()
    mask = pd.DataFrame(False, index=scored.index, columns=scored.columns)
    any_hidden = np.zeros(len(scored), dtype=bool)
    for name, column in criteria.items():
        col = f"bijdrage_{name}"
        if column not in tmask or col not in mask:
            continue
        flags = tmask[column].reindex(codes, fill_value=False).to_numpy(dtype=bool)
        mask[col] = flags
        any_hidden |= flags
    if not any_hidden.any():
        return scored
    family = [str(c) for c in mask if str(c).startswith(_SIA_PREFIXES)]
    for col in [*_SIA_FIGURES, *family]:
        if col in mask:
            mask[col] |= any_hidden
    return _hide(scored, mask)


def _hide_reasons(
    scored: pd.DataFrame, table: pd.DataFrame, eligibility: Sequence[str]
) -> pd.DataFrame:
    """Hide the reason a buurt is not eligible (``sia_reden``) where it could quote a hidden
    figure ("Woningen corporaties 1 (minimaal 25)"): where the buurt's SIA score is hidden
    (its stock or a criterion is), or where the public ``table`` hides a column of an
    eligibility filter for the buurt. An empty reason (eligible) stays empty.

    Examples
    --------
    >>> t = pd.DataFrame({"buurtcode": ["B1", "B2"], "verkoop_gepland": [pd.NA, 9]})
    >>> t.attrs[SUPPRESSED_ATTR] = pd.DataFrame({"buurtcode": [False] * 2,
    ...                                          "verkoop_gepland": [True, False]})
    >>> s = pd.DataFrame({"buurtcode": ["B1", "B2"],
    ...                   "sia_reden": ["Verkoop gepland 2 (minimaal 5)", "Te klein"]})
    >>> out = _hide_reasons(s, t, ["verkoop_gepland"])
    >>> out["sia_reden"].tolist(), suppressed_mask(out)["sia_reden"].tolist()
    ([<NA>, 'Te klein'], [True, False])
    """
    if "sia_reden" not in scored or "buurtcode" not in scored or "buurtcode" not in table:
        return scored
    reason = scored["sia_reden"].astype("string")
    flags = (
        suppressed_mask(scored)
        .get("sia_score", pd.Series(False, index=scored.index))
        .to_numpy(dtype=bool)
    )
    tmask = suppressed_mask(table)
    tmask.index = table["buurtcode"].astype(str).to_numpy()
    tmask = tmask[~tmask.index.duplicated()]
    columns = [c for c in dict.fromkeys(eligibility) if c in tmask]
    if columns:
        codes = scored["buurtcode"].astype(str).to_numpy()
        in_table = tmask[columns].any(axis=1).reindex(codes, fill_value=False)
        flags = flags | in_table.to_numpy(dtype=bool)
    flags = flags & reason.fillna("").str.strip().ne("").to_numpy(dtype=bool)
    if not flags.any():
        return scored
    mask = pd.DataFrame(False, index=scored.index, columns=scored.columns)
    mask["sia_reden"] = flags
    return _hide(scored, mask)


def _codes(value: object) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return []


def _public_buurten(
    frame: pd.DataFrame,
    keys: Mapping[str, Mapping[str, Hashable]],
    hidden: set[Hashable],
    efg: pd.DataFrame | None,
    m: int,
    *,
    sia: bool,
) -> pd.DataFrame:
    codes = frame["buurtcode"].astype(str)
    small = _efg_small(efg, pd.Series(codes.unique(), index=codes.unique()), m)
    efg_rows = pd.Series(codes.map(small).fillna(False).astype(bool).to_numpy(), index=frame.index)
    mask = _mask_from(frame, keys, codes, hidden)
    return _hide(frame, _derived(frame, mask, efg_rows, sia=sia))


def _public_areas(
    areas: pd.DataFrame,
    keys: Mapping[str, Mapping[str, Hashable]],
    members: Mapping[str, list[str]],
    hidden: set[Hashable],
    scored: pd.DataFrame,
    efg: pd.DataFrame | None,
    m: int,
) -> pd.DataFrame:
    if not len(areas) or "dia_id" not in areas:
        return _hide(areas, pd.DataFrame(False, index=areas.index, columns=areas.columns))
    ids = areas["dia_id"].astype(str)
    mask = _mask_from(areas, keys, ids, hidden)
    smask = suppressed_mask(scored)
    smask.index = scored["buurtcode"].astype(str).to_numpy()
    sia_hidden = smask["sia_score"] if "sia_score" in smask else smask.any(axis=1) & False
    efg_hidden = smask.get("aandeel_efg", sia_hidden)
    groups = pd.Series(
        [b for d in ids for b in members.get(d, [])],
        index=[d for d in ids for _ in members.get(d, [])],
        dtype=object,
    )
    efg_small = _efg_small(efg, groups, m)
    for pos, d in enumerate(ids):
        codes = [c for c in members.get(d, []) if c in sia_hidden.index]
        any_sia = bool(sia_hidden.reindex(codes).fillna(False).any())
        any_efg = bool(efg_hidden.reindex(codes).fillna(False).any()) or bool(
            efg_small.get(d, False)
        )
        for col in _DIA_AVERAGES:
            if col in mask and (any_efg if col == "aandeel_efg" else any_sia):
                mask.loc[mask.index[pos], col] = True
    return _hide(areas, mask)


def _positional_mask(
    frame: pd.DataFrame, cells: Mapping[str, np.ndarray], status: np.ndarray
) -> pd.DataFrame:
    """Boolean frame: True where a column's cell (``cells``: column -> cell per row, -1 for
    none) is not published."""
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    hidden = {
        col: (idx >= 0) & (status[np.maximum(idx, 0)] != PUBLISHED)
        for col, idx in cells.items()
        if col in mask
    }
    return mask.assign(**hidden) if hidden else mask


#: The measured figures of a monitor group (a rule judged per buurt, corporation ...).
_GROUP_FIGURES = ("gemeten", "gemeten_laag", "gemeten_hoog")


def _small_count(values: pd.Series, m: int) -> np.ndarray:
    """True where a measured figure (a number, or Dutch-formatted text "1.850") is a whole
    count of 1 to ``m - 1``, or of -1 to ``-(m - 1)`` (removals).

    Examples
    --------
    >>> _small_count(pd.Series(["3", "1.850", None, "0", "2,5", "-4"]), 5).tolist()
    [True, False, False, False, False, True]
    """
    if pd.api.types.is_numeric_dtype(values):
        v = pd.to_numeric(values, errors="coerce")
    else:
        v = pd.to_numeric(
            values.astype("string")
            .str.replace(".", "", regex=False)
            .str.replace(",", ".", regex=False),
            errors="coerce",
        )
    size = v.abs()  # a removal (sloop -4) is a count too
    return ((size >= 1) & (size < m) & (v == v.round())).fillna(False).to_numpy(dtype=bool)


def _public_groups(groepen: pd.DataFrame, table: pd.DataFrame, m: int) -> pd.DataFrame:
    """The monitor's per-group results as published: the measured value of a group per
    buurt is hidden where the public buurt table hides any figure of the buurt (a count or
    share of its dwellings or sales would give it back); the measured value of any group (per buurt,
    corporation, woningtype ...) where it is itself a count of 1 to ``m - 1``, and then
    one more group of the same afspraak (the groups add up to a figure that is public
    elsewhere, so a single hidden group would follow by subtraction).

    Examples
    --------
    >>> g = pd.DataFrame({"afspraak_id": ["A"] * 4, "buurtcode": ["B1", "B2", None, None],
    ...                   "status": "groen", "gemeten": ["3", "30", "2", "40"]})
    >>> t = pd.DataFrame({"buurtcode": ["B1", "B2"], "woningen_corporaties": [40, 50]})
    >>> _public_groups(g, t, 5)["gemeten"].tolist()
    [<NA>, '30', <NA>, <NA>]
    """
    if groepen is None or not len(groepen):
        return groepen
    hide = np.zeros(len(groepen), dtype=bool)
    if "buurtcode" in groepen:
        codes = groepen["buurtcode"].astype("string")
        # a buurt with any hidden figure: a group may count what that figure counts (planned
        # sales per buurt = verkoop_gepland), and beside a DIA or buurt total give it back
        hidden_any: set[str] = set()
        if "buurtcode" in table:
            row_mask = suppressed_mask(table).any(axis=1).to_numpy(dtype=bool)
            hidden_any = set(table["buurtcode"].astype(str)[row_mask])
        per_buurt = codes.notna().to_numpy(dtype=bool)
        hide |= per_buurt & codes.isin(hidden_any).fillna(False).to_numpy(dtype=bool)
    else:
        per_buurt = np.zeros(len(groepen), dtype=bool)
    small = np.zeros(len(groepen), dtype=bool)
    for col in _GROUP_FIGURES:
        if col in groepen:
            small |= _small_count(groepen[col], m)
    hide |= small
    # groups per buurt follow the buurt table's suppression; the others add up to a
    # figure public elsewhere (a municipal count), so one hidden alone would follow
    hide |= _second_group(groepen, hide & ~per_buurt, ~per_buurt)
    mask = pd.DataFrame(False, index=groepen.index, columns=groepen.columns)
    for col in _GROUP_FIGURES:
        if col in mask:
            mask[col] = hide
    out = _hide(groepen, mask)
    out.attrs[MIN_ATTR] = m
    return out


def _second_group(groepen: pd.DataFrame, hidden: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Per afspraak with exactly one ``hidden`` group, the group with the smallest measured
    value among the others of ``among``."""
    out = np.zeros(len(groepen), dtype=bool)
    if not hidden.any() or "gemeten" not in groepen:
        return out
    ids = (
        groepen["afspraak_id"].astype(str).to_numpy()
        if "afspraak_id" in groepen
        else np.zeros(len(groepen), dtype=object)
    )
    value = pd.to_numeric(
        groepen["gemeten"]
        .astype("string")
        .str.replace(".", "", regex=False)
        .str.replace(",", ".", regex=False),
        errors="coerce",
    ).to_numpy(dtype=float, na_value=np.nan)
    for ident in dict.fromkeys(ids[hidden]):
        rows = np.flatnonzero(ids == ident)
        if int(hidden[rows].sum()) != 1:
            continue
        others = [r for r in rows if among[r] and not hidden[r] and value[r] == value[r]]
        if others:
            out[min(others, key=lambda r: value[r])] = True
    return out


#: Record counts in a monitor row's explanation: "51 van 55 records", "13 record(s)",
#: "waarvan 2 gerealiseerd", "(+3 onzeker)".
_RECORD_COUNTS = re.compile(
    r"(\d+)(?: van (\d+))? record|waarvan (\d+)|(\d+) onzeker|\+(\d+) onzeker"
)


def _small_records(table: pd.DataFrame, m: int) -> np.ndarray:
    """Rows of agreements on dwellings or households whose explanation counts 1 to ``m -
    1`` records, directly or as the rest of a whole ("51 van 55 records": 4 without), or
    whose share (``aandeel``) fails for 1 to ``m - 1`` records (``n_overtredingen``):
    Portaal's 4 sales with label E-G and Omnia Wonen's 2 realised ones ("waarvan 2
    gerealiseerd") were published so.

    Examples
    --------
    >>> t = pd.DataFrame({"afspraak_id": ["A", "B", "C"], "soort": ["aandeel", "regel",
    ...     "verbod"], "n_overtredingen": [4, 1, 13], "toelichting": ["51 van 55 records",
    ...     "per jaar: 1 groen, 1 rood", "13 record(s), waarvan 2 gerealiseerd"]})
    >>> t.attrs[MEASURED_DATASETS] = {"A": "verkoop", "B": "toewijzingen", "C": "verkoop"}
    >>> _small_records(t, 5).tolist()
    [True, False, True]
    """
    datasets = table.attrs.get(MEASURED_DATASETS) or {}
    out = np.zeros(len(table), dtype=bool)
    texts = table["toelichting"] if "toelichting" in table else pd.Series(None, index=table.index)
    shares = (
        table["soort"].astype(str).eq("aandeel").to_numpy()
        if "soort" in table
        else np.zeros(len(table), dtype=bool)
    )
    failing = (
        _small_count(table["n_overtredingen"], m)
        if "n_overtredingen" in table
        else np.zeros(len(table), dtype=bool)
    )
    for pos, (ident, text) in enumerate(zip(table["afspraak_id"].astype(str), texts, strict=True)):
        if datasets.get(ident, "") in _NOT_COUNTS:
            continue
        counts: list[int] = []
        for found in _RECORD_COUNTS.findall(text if isinstance(text, str) else ""):
            n, of, *rest = (int(g) if g else None for g in found)
            counts += [c for c in (n, *rest) if c is not None]
            if n is not None and of is not None:
                counts.append(of - n)
        out[pos] = any(0 < c < m for c in counts) or bool(shares[pos] and failing[pos])
    return out


def _hide_small_measures(table: pd.DataFrame, m: int) -> pd.DataFrame:
    """The monitor table with the measured figures and explanation of every row whose
    measured value is a count of 1 to ``m - 1`` (a selection narrowed to one corporation
    or dwelling type counts its few dwellings), or whose agreement selects or measures by
    ``buurtcode`` (a buurt's figure, which the buurt table may hide), hidden; the status
    stays.

    Examples
    --------
    >>> t = pd.DataFrame({"afspraak_id": ["A", "B"], "status": ["groen", "rood"],
    ...                   "gemeten": [1.0, 47.0], "toelichting": ["1 records", "47 records"]})
    >>> _hide_small_measures(t, 5)[["gemeten", "toelichting"]].to_numpy().tolist()
    [[<NA>, <NA>], [47.0, '47 records']]
    """
    if table is None or not len(table):
        return table
    small = np.zeros(len(table), dtype=bool)
    for col in _GROUP_FIGURES:
        if col in table:
            small |= _small_count(table[col], m)
    if "afspraak_id" in table:  # a selection on buurtcode: a buurt's figure (or many)
        small |= table["afspraak_id"].astype(str).isin(table.attrs.get(PER_BUURT, ())).to_numpy()
        small |= _small_records(table, m)
    if not small.any():
        return table
    mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    for col in _MEASURES:
        if col in mask:
            mask[col] = small
    return _hide(table, mask)


def _public_monitor(monitor: MonitorResult, table: pd.DataFrame, m: int) -> MonitorResult:
    """The monitor as published: no offending records (dwellings), no measured count of 1
    to ``m - 1`` (:func:`_hide_small_measures`), groups hidden where they would show a
    small count (:func:`_public_groups`), no status that brackets such a count
    (:func:`_hide_telling_statuses`)."""
    groepen = _public_groups(monitor.groepen, table, m)
    public = dataclasses.replace(
        monitor,
        table=_hide_small_measures(monitor.table, m),
        overtredingen={},
        groepen=groepen,
    )
    return _hide_telling_statuses(public, monitor, m)


#: Datasets whose figures are not counts of dwellings or households, or are published by
#: the parties themselves (actions and meetings, money, plans, reported key figures): a
#: status may bracket their small figures.
_NOT_COUNTS = ("acties", "geld", "plannen", "kengetallen")


def _status_tells(
    how: str,
    marge: float,
    low: float,
    high: float,
    m: int,
    *,
    negative: bool = False,
    counts: range | None = None,
) -> bool:
    """Whether the status against the norm ``[low, high]`` (comparison ``how``, orange band
    ``marge``) differs between the counts 1 to ``m - 1`` (-1 to ``-(m - 1)`` for a
    ``negative`` one, a removal): then it brackets a hidden count (two norms or an orange
    band of one pin it); or between ``counts`` where given. An unknown norm or
    comparison: True.

    Examples
    --------
    >>> _status_tells("<=", 0.0, 40, 40, 5), _status_tells(">=", 0.0, 1, 1, 5)
    (False, False)
    >>> _status_tells("<=", 0.0, 2, 2, 5), _status_tells("<=", 1.0, 0, 0, 5)
    (True, True)
    """
    compare = COMPARISONS.get(how)
    if compare is None or not (np.isfinite(low) and np.isfinite(high)):
        return True

    def status(v: int, n: float, band: bool) -> str:
        if compare(v, n):
            return "groen"
        return "oranje" if band and abs(v - n) <= marge + 1e-12 else "rood"

    # the shorthands' band (``abs(d) <= marge``, also at 0) and the rules' (only ``marge > 0``)
    seen = {
        tuple(status(v, n, band) for n in (low, high) for band in (True, marge > 0))
        for v in (counts or (range(-m + 1, 0) if negative else range(1, m)))
    }
    return len(seen) > 1


def _per_buurt_statuses(full: MonitorResult, rules: Mapping[str, Any]) -> np.ndarray:
    """Rows for the municipality whose agreement selects one buurt (``buurtcode`` in a
    selection; no groups) and counts dwellings or households: their figure is hidden as a
    buurt's figure (which the buurt table may hide without it being small), so is their
    status where it differs between counts (">= 0" is groen for every count: it stays):
    "<= 8" rood beside "<= 9" groen gave De Horsten's 9 planned sales back, and with the
    DIA's sum Hoefkwartier's 3."""
    table = full.table
    if "afspraak_id" not in table:
        return np.zeros(len(table), dtype=bool)
    ids = table["afspraak_id"].astype(str)
    grouped = (
        set(full.groepen["afspraak_id"].astype(str))
        if full.groepen is not None and "afspraak_id" in full.groepen
        else set()
    )
    counting = {i for i, rule in rules.items() if rule[0] not in _NOT_COUNTS}
    chosen = ids.isin(set(table.attrs.get(PER_BUURT, ())) & counting - grouped).to_numpy(copy=True)
    norms = pd.to_numeric(table.get("norm", pd.Series(np.nan, index=table.index)))
    for pos in np.flatnonzero(chosen).tolist():  # a status the same for every count stays
        how, marge = rules[ids.iloc[pos]][1:]
        norm = float(norms.iloc[pos])
        top = int(abs(norm) + marge) + 3 if np.isfinite(norm) else 3
        chosen[pos] = _status_tells(how, marge, norm, norm, 0, counts=range(0, top))
    return np.asarray(chosen, dtype=bool)


def _hide_telling_statuses(public: MonitorResult, full: MonitorResult, m: int) -> MonitorResult:
    """Hide the status of a row or group whose measured figure is a count of 1 to ``m - 1``
    where the status against its published norm differs between such counts
    (:func:`_status_tells`): "<= 2" rood beside "<= 3" groen, or "<= 2" oranje within a band
    of 1, gave 3 back. A row beside a group whose status is hidden loses its status and
    explanation too ("per corporatie: 2 oranje"); its status is the worst of the groups and
    stays only where a shown group of it is rood (then it says nothing of the hidden ones).

    Examples
    --------
    >>> from geoprestatie.agreements import MonitorResult, STATUS_RULES
    >>> t = pd.DataFrame({"afspraak_id": ["A", "B"], "status": ["rood", "rood"],
    ...                   "gemeten": [3.0, 47.0], "norm": [2.0, 40.0]})
    >>> t.attrs[STATUS_RULES] = {"A": ("verkoop", "<=", 0.0), "B": ("verkoop", "<=", 0.0)}
    >>> out = _hide_telling_statuses(MonitorResult(table=t), MonitorResult(table=t), 5)
    >>> out.table["status"].tolist()
    [<NA>, 'rood']
    """
    rules = full.table.attrs.get(STATUS_RULES) or {}
    if not rules or m < 3:
        return public

    def telling(frame: pd.DataFrame, low: str, high: str) -> np.ndarray:
        out = np.zeros(len(frame), dtype=bool)
        if frame is None or not len(frame) or "afspraak_id" not in frame:
            return out
        small = np.zeros(len(frame), dtype=bool)
        for col in _GROUP_FIGURES:
            if col in frame:
                small |= _small_count(frame[col], m)
        nan = pd.Series(np.nan, index=frame.index)
        lows = pd.to_numeric(frame.get(low, nan), errors="coerce")
        highs = pd.to_numeric(frame.get(high, nan), errors="coerce")
        measured = (
            pd.to_numeric(
                frame["gemeten"]
                .astype("string")
                .str.replace(".", "", regex=False)
                .str.replace(",", ".", regex=False),
                errors="coerce",
            ).fillna(0)
            if "gemeten" in frame
            else None
        )
        for pos in np.flatnonzero(small).tolist():
            rule = rules.get(str(frame["afspraak_id"].iloc[pos]))
            if rule is None or rule[0] in _NOT_COUNTS:
                continue
            lo, hi = float(lows.iloc[pos]), float(highs.iloc[pos])
            below = bool(measured.iloc[pos] < 0) if measured is not None else False
            out[pos] = _status_tells(rule[1], rule[2], lo, hi, m, negative=below)
        return out

    table, groepen = public.table, public.groepen
    rows = telling(full.table, "norm", "norm") | _per_buurt_statuses(full, rules)
    explained = np.zeros(len(table), dtype=bool)
    if groepen is not None and len(groepen):
        groups = telling(full.groepen, "norm_laag", "norm_hoog")
        if groups.any():
            gmask = pd.DataFrame(False, index=groepen.index, columns=groepen.columns)
            gmask["status"] = groups
            groepen = _hide(groepen, gmask)
            ids = full.groepen["afspraak_id"].astype(str)
            told = set(ids[groups])
            red = set(ids[~groups & full.groepen["status"].astype(str).eq("rood").to_numpy()])
            by_group = table["afspraak_id"].astype(str).isin(told).to_numpy(dtype=bool)
            explained |= by_group
            rows |= by_group & ~table["afspraak_id"].astype(str).isin(red).to_numpy(dtype=bool)
    if not (rows | explained).any():
        return dataclasses.replace(public, groepen=groepen)
    mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    for col in ("status", "trend"):  # the trend compares the status
        if col in mask:
            mask[col] = rows
    for col in _MEASURES:
        if col in mask:
            mask[col] = rows | explained
    return dataclasses.replace(public, table=_hide(table, mask), groepen=groepen)


def _hide_net_growth(
    monitor: MonitorResult, summary: pd.DataFrame | None, prognosis: pd.DataFrame | None
) -> MonitorResult:
    """Hide the measured figures of a net-growth agreement whose figure is a cell the public
    prognosis summary hides (a corporation's net growth over the whole prognosis, with or
    without demolition): with the other figure of that column it gives the hidden
    demolition back (114 with demolition, 118 without: 4 demolished).

    Examples
    --------
    >>> from geoprestatie.agreements import MonitorResult
    >>> t = pd.DataFrame({"afspraak_id": ["P"], "status": ["groen"], "gemeten": [114.0]})
    >>> t.attrs[NET_GROWTH_TARGETS] = {"P": ("Portaal", 2022, 2023, True)}
    >>> s = pd.DataFrame({"Portaal": [pd.NA], "Totaal": [213]}, index=[SUMMARY_ROWS[8]])
    >>> s.attrs[SUPPRESSED_ATTR] = pd.DataFrame({"Portaal": [True], "Totaal": [False]},
    ...                                         index=s.index)
    >>> p = pd.DataFrame({"jaar": [2022, 2023]})
    >>> _hide_net_growth(MonitorResult(table=t), s, p).table["gemeten"].tolist()
    [<NA>]
    """
    targets = monitor.table.attrs.get(NET_GROWTH_TARGETS) or {}
    if not targets or summary is None or prognosis is None or not len(prognosis):
        return monitor
    years = pd.to_numeric(prognosis["jaar"])
    period = (int(years.min()), int(years.max()))
    mask = suppressed_mask(summary)
    total = str(summary.columns[-1])
    hide = np.zeros(len(monitor.table), dtype=bool)
    for pos, ident in enumerate(monitor.table["afspraak_id"].astype(str)):
        if ident not in targets:
            continue
        corporatie, van, tot, with_demolition = targets[ident]
        row = SUMMARY_ROWS[8] if with_demolition else SUMMARY_ROWS[9]
        col = total if corporatie is None else str(corporatie)
        if (van, tot) == period and row in mask.index and col in mask.columns:
            hide[pos] = bool(mask.at[row, col])
    if not hide.any():
        return monitor
    table = monitor.table
    hidden = pd.DataFrame(False, index=table.index, columns=table.columns)
    for col in _MEASURES:
        if col in hidden:
            hidden[col] = hide
    return dataclasses.replace(monitor, table=_hide(table, hidden))


def _hide_prognosis_rules(monitor: MonitorResult, *frames: pd.DataFrame | None) -> MonitorResult:
    """Hide the figures and statuses of the rules (``soort = "regel"``) on the ``prognose``
    dataset, per corporation, buurt and year, and on the ``plannen`` it is made of where
    they name ``corporatie``, where a public prognosis frame (``frames``: per buurt, the
    summary; none given: always) hides a cell. A rule may measure any sum of it
    ("som(sloop)" of one corporation, per corporation or year), which no relation of the
    suppression knows: Portaal's hidden demolition of 4 was published as a rule's -4, and
    beside Omnia Wonen's 0 and the summary's -148 and -144 by subtraction.

    Examples
    --------
    >>> from geoprestatie.agreements import MonitorResult
    >>> t = pd.DataFrame({"afspraak_id": ["R"], "soort": ["regel"], "status": ["groen"],
    ...                   "gemeten": [0.0]})
    >>> t.attrs[MEASURED_DATASETS] = {"R": "prognose"}
    >>> _hide_prognosis_rules(MonitorResult(table=t)).table[["status", "gemeten"]].to_numpy()
    array([[<NA>, <NA>]], dtype=object)
    """
    table = monitor.table
    if table is None or not len(table) or "afspraak_id" not in table:
        return monitor
    shown = [f for f in frames if f is not None]
    if frames and not any(suppressed_mask(f).to_numpy().any() for f in shown):
        return monitor
    datasets = table.attrs.get(MEASURED_DATASETS) or {}
    kinds = table["soort"].astype(str) if "soort" in table else pd.Series("", index=table.index)
    ids = table["afspraak_id"].astype(str)
    source = ids.map(datasets)
    by_corporation = source.eq("plannen") & ids.isin(table.attrs.get(PER_CORPORATION, ()))
    rows = ((source.eq("prognose") | by_corporation) & kinds.eq("regel")).to_numpy(dtype=bool)
    if not rows.any():
        return monitor
    mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    for col in ("status", "trend", *_MEASURES):
        if col in mask:
            mask[col] = rows
    groepen = monitor.groepen
    if groepen is not None and len(groepen) and "afspraak_id" in groepen:
        chosen = groepen["afspraak_id"].astype(str).isin(set(ids[rows])).to_numpy(dtype=bool)
        gmask = pd.DataFrame(False, index=groepen.index, columns=groepen.columns)
        for col in ("status", *_GROUP_FIGURES):
            if col in gmask:
                gmask[col] = chosen
        groepen = _hide(groepen, gmask)
    return dataclasses.replace(monitor, table=_hide(table, mask), groepen=groepen)


#: What a monitor row or group measures: counts over the municipality's records.
_MEASURES = ("gemeten", "gemeten_laag", "gemeten_hoog", "n_overtredingen", "toelichting")


def _without_measures(monitor: MonitorResult) -> MonitorResult:
    """The monitor with its measured figures hidden (the status stays): when the municipal
    corporation stock is hidden, a count over the stock or a record total in the
    explanation ("5 van 5 records") would show it. Groups per buurt keep their own rule."""
    table = monitor.table
    mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    for col in _MEASURES:
        if col in mask:
            mask[col] = True
    groepen = monitor.groepen
    if len(groepen):
        rows = (
            groepen["buurtcode"].isna().to_numpy(dtype=bool)
            if "buurtcode" in groepen
            else np.ones(len(groepen), dtype=bool)
        )
        gmask = pd.DataFrame(False, index=groepen.index, columns=groepen.columns)
        for col in _MEASURES:
            if col in gmask:
                gmask[col] = rows
        groepen = _hide(groepen, gmask)
    return dataclasses.replace(monitor, table=_hide(table, mask), groepen=groepen)


def publish_monitor(
    monitor: MonitorResult,
    policy: PublicationPolicy,
    *,
    table: pd.DataFrame | None = None,
    stock: pd.DataFrame | None = None,
) -> MonitorResult:
    """The public monitor of the ``monitor`` command, by the same rules as :func:`publish`.

    ``table`` is the buurt table of the joined stock (when the command joins one): its
    suppression decides which per-buurt results would give a hidden count back.

    Examples
    --------
    >>> from geoprestatie.agreements import MonitorResult
    >>> g = pd.DataFrame({"afspraak_id": ["A", "A"], "buurtcode": ["B1", "B2"],
    ...                   "status": ["rood", "groen"], "gemeten": ["3", "30"]})
    >>> t = pd.DataFrame({"afspraak_id": ["A"], "status": ["rood"]})
    >>> recs = {"A": pd.DataFrame({"vhe_id": ["V1"]})}
    >>> pub = publish_monitor(MonitorResult(table=t, overtredingen=recs, groepen=g),
    ...                       PublicationPolicy())
    >>> pub.groepen["gemeten"].tolist(), pub.overtredingen
    ([<NA>, '30'], {})
    """
    public_table = pd.DataFrame({"buurtcode": pd.Series([], dtype=str)})
    hidden_totals: frozenset[str] = frozenset()
    if table is not None and len(table) and "buurtcode" in table:
        empty = pd.DataFrame({"dia_id": [], "buurtcodes": []})
        frames = publish_frames(table=table, scored=table, areas=empty, policy=policy, stock=stock)
        public_table, hidden_totals = frames.table, frames.hidden_totals
    public = _hide_prognosis_rules(_public_monitor(monitor, public_table, policy.min_woningen))
    return _without_measures(public) if _stock_hidden(hidden_totals) else public


def publish(result: RunResult, policy: PublicationPolicy | None = None) -> RunResult:
    """The public version of a run: what ``publiek/`` and published notebooks may show.

    No dwelling-level frames (stock, sales, records not joined, offending records); every
    count frame suppressed by :func:`publish_frames`; the prognosis per buurt over all
    corporations. ``policy`` defaults to the run's ``[uitvoer]`` table.
    """
    if policy is None:
        policy = PublicationPolicy.from_dict(result.config.section("uitvoer"))
    prognosis = result.prognosis
    if prognosis is not None:  # simulated bands per corporation and buurt stay internal
        prognosis = prognosis.drop(columns=_band_columns(prognosis))
    pub = publish_frames(
        table=result.table,
        scored=result.dia_result.buurten,
        areas=result.dia_result.areas,
        policy=policy,
        stock=result.joined.stock,
        prognosis=prognosis,
        summary=result.prognosis_summary,
        criteria={c.name: c.column for c in result.sia_config.criteria},
        eligibility=[f.column for f in result.sia_config.eligibility],
    )
    report = dataclasses.replace(
        result.joined.report,
        not_joined=result.joined.report.not_joined.iloc[0:0],
        hidden=_hidden_accounting(result.joined.report.sources, pub.hidden_totals),
    )
    joined = dataclasses.replace(
        result.joined, table=pub.table, stock=None, sales=None, report=report
    )
    scored = pub.scored
    prioritised = scored[[c for c in result.prioritised.columns if c in scored.columns]]
    prioritised.attrs = {
        k: v
        for k, v in {**result.prioritised.attrs, **scored.attrs}.items()
        if k not in _INTERNAL_ATTRS
    }
    monitor = result.monitor
    if monitor is not None:
        monitor = _public_monitor(monitor, pub.table, policy.min_woningen)
        monitor = _hide_net_growth(monitor, pub.prognosis_summary, result.prognosis)
        monitor = _hide_prognosis_rules(
            monitor,
            pub.prognosis_summary,
            pub.prognosis if pub.prognosis is not None else pd.DataFrame(),
        )
        if _stock_hidden(pub.hidden_totals):
            monitor = _without_measures(monitor)
    return dataclasses.replace(
        result,
        joined=joined,
        prioritised=prioritised,
        dia_result=dataclasses.replace(result.dia_result, buurten=scored, areas=pub.areas),
        prognosis=pub.prognosis,
        prognosis_summary=pub.prognosis_summary,
        programme=(
            None
            if result.programme is None
            else public_programme(
                result.programme, pub.prognosis, hide_stands=_stock_hidden(pub.hidden_totals)
            )
        ),
        monitor=monitor,
        notes=[*result.notes, *pub.notes],
    )


def publish_joined(joined: JoinResult, policy: PublicationPolicy) -> JoinResult:
    """The public version of a join (``geoprestatie join``), as :func:`publish` makes it.

    The buurt table through :func:`publish_frames` (small and derivable counts hidden),
    no dwellings or sales, no records not joined, and the accounting's municipal totals
    hidden when the buurt table hides that total.
    """
    no_areas = pd.DataFrame({"dia_id": [], "buurtcodes": []})
    pub = publish_frames(
        table=joined.table,
        scored=joined.table[["buurtcode"]],
        areas=no_areas,
        policy=policy,
        stock=joined.stock,
    )
    report = dataclasses.replace(
        joined.report,
        not_joined=joined.report.not_joined.iloc[0:0],
        hidden=_hidden_accounting(joined.report.sources, pub.hidden_totals),
    )
    return dataclasses.replace(joined, table=pub.table, stock=None, sales=None, report=report)


def _stock_hidden(hidden_totals: frozenset[str]) -> bool:
    """Whether the municipal corporation stock (or a stand of it) is hidden."""
    return "woningen_corporaties" in hidden_totals or any(
        t.startswith("beginstand") for t in hidden_totals
    )


#: The accounting columns that give a source's total (read = joined + not joined).
_ACCOUNTING_TOTALS = ("gelezen", "gekoppeld")


def _hidden_accounting(
    sources: Iterable[Any], hidden_totals: frozenset[str]
) -> tuple[tuple[str, str], ...]:
    """The accounting cells to hide: the stock file's read and joined dwellings are the
    municipal corporation stock, hidden when that total is."""
    if "woningen_corporaties" not in hidden_totals:
        return ()
    return tuple(
        (str(s.bron), col) for s in sources if s.bron == "voorraad" for col in _ACCOUNTING_TOTALS
    )


# ----------------------------------------------------------------------------- programme


def _band_columns(frame: pd.DataFrame) -> list[str]:
    """Simulated band columns (``eindstand_p10``, ``eindstand_gemiddeld`` ...)."""
    return [
        str(c) for c in frame.columns if str(c).startswith("eindstand_") and str(c) != "eindstand"
    ]


def public_programme(
    programme: ProgrammeResult,
    public_prognosis: pd.DataFrame | None,
    *,
    hide_stands: bool = False,
) -> ProgrammeResult:
    """The public version of the adaptive-programming results.

    Plans, need and their bands per segment and area are planning figures of every party
    (a municipality's housing programme), not figures of tenants' dwellings, and are
    published; so are the municipal figures per party (scenarios, realisation rates), like
    the prognosis summary. Not published: the corporation prognosis per corporation and
    buurt (the public one is ``public_prognosis``, from :func:`publish_frames`), the plan
    rows with their location, party and project (only their totals per year, mutation,
    segment and status remain, for the charts) and the rows not placed. Where a
    corporation's plan lies in a buurt whose public prognosis hides a figure, the buurt's
    and its wijk's whole-stock figures of that segment are hidden too (they would show the
    corporation's plan in that buurt). ``hide_stands``: the municipal stock is hidden (it
    would reveal hidden buurt counts), so are the scenarios' stands (their growth stays).

    Examples
    --------
    >>> seg = pd.DataFrame({"niveau": ["gemeente", "wijk", "buurt", "buurt"],
    ...     "gebied": ["gemeente", "W1", "B1", "B2"], "segment": "sociale_huur",
    ...     "jaar": 2025, "groei": [7, 7, 3, 4]})
    >>> plans = pd.DataFrame({"corporatie": ["A", "Ontwikkelaar"], "jaar": 2025,
    ...     "mutatie": "nieuwbouw", "aantal": [3, 4], "buurtcode": ["B1", "B2"],
    ...     "wijkcode": "W1", "segment": "sociale_huur", "zekerheid": "hard",
    ...     "partijtype": ["corporatie", "ontwikkelaar"]})
    >>> prog = pd.DataFrame({"buurtcode": ["B1"], "jaar": [2025], "sloop": [pd.NA]})
    >>> prog.attrs["onderdrukt"] = pd.DataFrame({"buurtcode": [False], "jaar": [False],
    ...                                          "sloop": [True]})
    >>> out = public_programme(ProgrammeResult(prognosis=prog, plans=plans, segments=seg), prog)
    >>> out.segments["groei"].tolist()
    [7, <NA>, <NA>, 4]
    >>> out.plans.to_dict("records")
    [{'jaar': 2025, 'mutatie': 'nieuwbouw', 'segment': 'sociale_huur', 'zekerheid': 'hard', \
'aantal': 7}]
    """
    prognosis = public_prognosis if public_prognosis is not None else programme.prognosis.iloc[0:0]
    plans, segments = programme.plans, programme.segments
    if plans is not None and segments is not None:
        segments = _hide(segments, _programme_mask(segments, plans, prognosis))
    if plans is not None:
        keys = [c for c in ("jaar", "mutatie", "segment", "zekerheid") if c in plans.columns]
        plans = plans.groupby(keys, as_index=False, sort=True, observed=True).agg(
            aantal=("aantal", "sum")
        )
    scenarios = programme.scenarios
    if hide_stands and scenarios is not None:
        stands = [c for c in scenarios.columns if str(c).startswith(("beginstand", "eindstand"))]
        mask = pd.DataFrame(False, index=scenarios.index, columns=scenarios.columns)
        mask[stands] = True
        scenarios = _hide(scenarios, mask)
    return dataclasses.replace(
        programme,
        prognosis=prognosis,
        plans=plans,
        segments=segments,
        scenarios=scenarios,
        rejected=programme.rejected.iloc[0:0],
    )


def _programme_mask(
    segments: pd.DataFrame, plans: pd.DataFrame, prognosis: pd.DataFrame
) -> pd.DataFrame:
    """True for every figure of a (buurt or wijk, segment) holding a corporation's plan in a
    buurt whose public prognosis hides a cell."""
    mask = pd.DataFrame(False, index=segments.index, columns=segments.columns)
    hidden_rows = suppressed_mask(prognosis).any(axis=1)
    if "buurtcode" not in prognosis or not hidden_rows.any() or "buurtcode" not in plans:
        return mask
    hidden_buurten = set(prognosis.loc[hidden_rows, "buurtcode"].dropna().astype(str))
    if "partijtype" in plans:
        corp = plans["partijtype"].astype("string").str.lower().eq("corporatie").fillna(False)
    else:
        names = set(prognosis.get("corporatie", pd.Series(dtype=str)).astype(str))
        corp = plans["corporatie"].astype(str).isin(names)
    codes = plans["buurtcode"].astype("string")
    touched = plans[corp.to_numpy(dtype=bool) & codes.isin(hidden_buurten).fillna(False)]
    areas: set[tuple[str, str, str]] = set()
    for rec in touched.to_dict("records"):
        segment = str(rec.get("segment"))
        areas.add(("buurt", str(rec["buurtcode"]), segment))
        wijk = rec.get("wijkcode")
        if isinstance(wijk, str) and wijk:
            areas.add(("wijk", str(rec["wijkcode"]), segment))
    rows = [
        (str(n), str(g), str(s)) in areas
        for n, g, s in zip(segments["niveau"], segments["gebied"], segments["segment"], strict=True)
    ]
    figures = [
        c
        for c in segments.columns
        if c not in ("niveau", "gebied", "segment", "jaar")
        and pd.api.types.is_numeric_dtype(segments[c])
    ]
    mask.loc[np.asarray(rows, dtype=bool), figures] = True
    return mask
