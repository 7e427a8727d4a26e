"""Realisation uncertainty: a seeded Monte Carlo of the plans into per-year bands.

Every plan row of the scenario is, in each simulation, realised with the probability of its
status (:class:`geoprestatie.planstatus.PlanStatus`) and, when realised, delayed by 0, 1,
2, ... years with the status's delay probabilities; a row delayed past the last year falls
outside the horizon. Removals (sloop, verkoop, ...) and net figures (``saldo``) are drawn the
same way. Per group (``by``: segment, buurt, wijk, corporation, ...) and year the simulations
give the stock at the end of the year and the change in the year; the bands are their
percentiles (default p10 / p50 / p90, ``method="inverted_cdf"``: each band value is the
outcome of one simulation, a whole number).

Properties (tested): p10 <= p50 <= p90; with every probability 1 and no delay each band
equals the deterministic projection; every simulation draws each plan row once, so per
simulation (and in the mean) the areas add up to the gemeente. Percentiles themselves do
not add up: the p90 of the gemeente is not the sum of the buurten's p90.

Everything is vectorised with numpy: the draws are one ``(simulations, plan rows)`` array;
per block of groups one ``numpy.bincount`` sums the realised changes.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geoprestatie._validate import RD_X_LAND, RD_Y_LAND
from geoprestatie.errors import ConfigError, DataWarning, InputError, format_rows
from geoprestatie.join import assign_buurten
from geoprestatie.planstatus import PlanStatus, UncertaintyConfig
from geoprestatie.prognosis import PrognosisConfig, selected_plans, signed_counts, startjaar
from geoprestatie.sources._tabular import ATTR_SOURCE, parse_number

__all__ = ["Bands", "band_columns", "draw", "locate_plans", "simulate", "simulated_totals"]

#: cells (simulations x groups x years) summed in one block; bounds the memory use
_BLOCK_CELLS = 4_000_000
_UNKNOWN = "onbekend"


@dataclass(frozen=True)
class Bands:
    """Result of :func:`simulate`.

    Attributes
    ----------
    table
        One row per group and year: the ``by`` columns, ``jaar``, ``beginstand`` (start of
        the first year), ``eindstand`` (deterministic: every plan realised on time),
        ``eindstand_gemiddeld``, ``eindstand_p10/p50/p90``, ``mutatie`` (deterministic change
        in the year), ``mutatie_p10/p50/p90``, ``groei`` (deterministic change since the
        start), ``groei_p10/p50/p90`` (the names follow ``percentielen``).
    simulaties, seed, seconden
        Number of simulations, the seed, and the run time of the simulation (s).
    """

    table: pd.DataFrame
    simulaties: int
    seed: int
    seconden: float


def band_columns(name: str, percentielen: Sequence[int] = (10, 50, 90)) -> list[str]:
    """``[name_p10, name_p50, name_p90]`` for the given percentiles.

    Examples
    --------
    >>> band_columns("eindstand")
    ['eindstand_p10', 'eindstand_p50', 'eindstand_p90']
    """
    return [f"{name}_p{p}" for p in percentielen]


def draw(
    statuses: Sequence[PlanStatus], status_index: np.ndarray, *, simulaties: int, seed: int
) -> np.ndarray:
    """Delay (years) of each plan row in each simulation; -1 = not realised.

    One uniform number per plan row and simulation decides both: ``u < kans`` is realised,
    and then ``u / kans`` (uniform again) picks the delay from the status's distribution.
    Returns an ``int16`` array of shape ``(simulaties, len(status_index))``; the draws depend
    only on the seed and the rows' statuses in order, never on how the rows are grouped
    later (so buurten, wijken and the gemeente see the same simulations).

    Examples
    --------
    >>> s = [PlanStatus("hard", scenario="hard"), PlanStatus("x", kans=0.0)]
    >>> draw(s, np.array([0, 1, 0]), simulaties=2, seed=1).tolist()
    [[0, -1, 0], [0, -1, 0]]
    """
    rng = np.random.default_rng(seed)
    out = np.full((simulaties, len(status_index)), -1, dtype=np.int16)
    for k, status in enumerate(statuses):
        cols = np.flatnonzero(status_index == k)
        if not len(cols) or status.kans == 0.0:
            continue
        if status.certain:
            out[:, cols] = 0
            continue
        u = rng.random((simulaties, len(cols)), dtype=np.float32)
        cdf = np.cumsum(np.asarray(status.vertraging, dtype="float64"))[:-1].astype(np.float32)
        real = u < status.kans
        delay = real.astype(np.int16) - np.int16(1)
        for threshold in cdf * np.float32(status.kans):  # a few: comparisons beat a search
            delay += real & (u >= threshold)
        out[:, cols] = delay
    return out


def _group_codes(frame: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer group code per row and the table of groups (NA kept as its own group)."""
    if not by:
        return np.zeros(len(frame), dtype="int64"), pd.DataFrame(index=[0])
    keys = frame[list(by)].astype("string").fillna("\x00")
    codes = keys.groupby(list(by), sort=False).ngroup().to_numpy(dtype="int64")
    first = pd.Series(np.arange(len(keys))).groupby(codes).first().to_numpy()
    groups = keys.iloc[first].reset_index(drop=True).replace("\x00", pd.NA)
    return codes, groups


def _year_range(plans: pd.DataFrame, config: PrognosisConfig, first: int | None) -> tuple[int, int]:
    lo = int(plans["jaar"].min()) if first is None and len(plans) else first
    if lo is None:
        raise ConfigError("geen plannen en geen eerste jaar: er valt niets te simuleren")
    hi = (
        config.eindjaar
        if config.eindjaar is not None
        else int(plans["jaar"].max())
        if len(plans)
        else lo
    )
    if hi < lo:
        raise ConfigError(
            f"`eindjaar` ({hi}) ligt vóór het eerste prognosejaar ({lo}); kies een later eindjaar"
        )
    return lo, hi


def _block_sums(
    shift: np.ndarray,
    netto: np.ndarray,
    year0: np.ndarray,
    group: np.ndarray,
    n_groups: int,
    n_years: int,
) -> np.ndarray:
    """Realised change per (simulation, group, year) of the given plan rows.

    Works through the simulations in chunks of about two million draws, so the temporary
    arrays stay small; rows not realised or realised after the last year go to a spill bin.
    """
    sims, n_rows = shift.shape
    cells = n_groups * n_years
    out = np.empty((sims, cells), dtype="float64")
    if n_rows == 0:
        out[:] = 0.0
        return out.reshape(sims, n_groups, n_years)
    base = (group * n_years + year0).astype(np.int32)
    chunk = max(1, 2_000_000 // n_rows)
    for lo in range(0, sims, chunk):
        part = shift[lo : lo + chunk]
        n = part.shape[0]
        year = year0[None, :] + part
        cell = np.where((part >= 0) & (year < n_years), base[None, :] + part, cells)
        flat = cell + (np.arange(n, dtype=np.int32) * (cells + 1))[:, None]
        weights = np.broadcast_to(netto, part.shape).ravel()
        sums = np.bincount(flat.ravel(), weights=weights, minlength=n * (cells + 1))
        out[lo : lo + n] = sums.reshape(n, cells + 1)[:, :cells]
    return out.reshape(sims, n_groups, n_years)


@dataclass(frozen=True)
class _Prepared:
    """Plan rows of the scenario as arrays, with their groups and the start per group."""

    groups: pd.DataFrame
    group: np.ndarray  # group code per plan row
    netto: np.ndarray  # signed change per plan row
    year0: np.ndarray  # planned year as offset from the first year
    status: np.ndarray  # index into statuses per plan row
    statuses: tuple[PlanStatus, ...]
    start: np.ndarray  # start stock per group
    years: list[int]


def _prepare(
    plans: pd.DataFrame,
    config: PrognosisConfig,
    by: Sequence[str],
    start: pd.DataFrame | None,
    first_year: int | None,
) -> _Prepared:
    by = list(by)
    missing = [c for c in by if c not in plans.columns]
    if missing:
        raise ValueError(
            f"`by` noemt kolom(men) {missing} die niet in de plannen staan {list(plans.columns)}"
        )
    sel = selected_plans(plans, config)
    sel = sel[~sel["tijdelijk"].fillna(False).astype(bool)]
    if first_year is None and start is not None and "peildatum" in start.columns and len(start):
        first_year = startjaar(start["peildatum"].iloc[0])
    lo, hi = _year_range(sel, config, first_year)
    early = sel["jaar"] < lo
    if early.any():
        raise InputError(
            f"planjaar/-jaren {sorted(set(sel.loc[early, 'jaar'].astype(int)))} liggen vóór het "
            f"eerste prognosejaar {lo}; corrigeer het jaar of neem ze op in de beginstand",
            source=str(plans.attrs.get(ATTR_SOURCE, "plannen")),
            column="jaar",
            rows=[int(r) for r in sel.loc[early, "bron_rij"]],
        )
    sel = sel[sel["jaar"] <= hi]
    start_keys = pd.DataFrame(columns=by)
    if start is not None:
        absent = [c for c in [*by, "aantal"] if c not in start.columns]
        if absent:
            raise ValueError(f"de beginstand mist kolom(men) {absent}")
        start_keys = start[by]
    both = pd.concat([sel[by], start_keys], ignore_index=True) if by else sel[by]
    codes, groups = _group_codes(both, by)
    n_plans = len(sel)
    start_vec = np.zeros(len(groups), dtype="int64")
    if start is not None and len(start):
        start_codes = codes[n_plans:] if by else np.zeros(len(start), dtype="int64")
        np.add.at(start_vec, start_codes, start["aantal"].astype("int64").to_numpy())
    statuses = tuple(config.statussen.values())
    names = [s.naam for s in statuses]
    return _Prepared(
        groups=groups,
        group=codes[:n_plans] if by else np.zeros(n_plans, dtype="int64"),
        netto=signed_counts(sel).to_numpy(dtype="float64"),
        year0=(sel["jaar"].astype("int64").to_numpy() - lo),
        status=np.asarray([names.index(z) for z in sel["zekerheid"].astype(str)], dtype="int64"),
        statuses=statuses,
        start=start_vec,
        years=list(range(lo, hi + 1)),
    )


def _uncertainty(config: PrognosisConfig) -> UncertaintyConfig:
    if config.onzekerheid is not None:
        return config.onzekerheid
    return UncertaintyConfig(statussen=config.statussen)


def simulated_totals(
    plans: pd.DataFrame,
    *,
    config: PrognosisConfig,
    by: Sequence[str] = (),
    start: pd.DataFrame | None = None,
    first_year: int | None = None,
) -> tuple[pd.DataFrame, list[int], np.ndarray]:
    """Every simulation's stock per group and year: ``(groups, years, array)``.

    The array has shape ``(simulaties, groups, years)``: the start stock plus the realised
    change up to the end of each year. Meant for small cases (tests, one segment); the
    bands of many groups come from :func:`simulate`, which works in blocks.

    Examples
    --------
    >>> from geoprestatie.prognosis import plans_from_frame
    >>> plans = plans_from_frame(pd.DataFrame({"corporatie": ["A"], "jaar": [2030],
    ...     "mutatie": ["nieuwbouw"], "aantal": [10], "zekerheid": ["hard"]}))
    >>> groups, years, arr = simulated_totals(plans, config=PrognosisConfig())
    >>> years, arr.shape, int(arr.min()), int(arr.max())
    ([2030], (10000, 1, 1), 10, 10)
    """
    prep = _prepare(plans, config, by, start, first_year)
    unc = _uncertainty(config)
    shift = draw(prep.statuses, prep.status, simulaties=unc.simulaties, seed=unc.seed)
    sums = _block_sums(shift, prep.netto, prep.year0, prep.group, len(prep.groups), len(prep.years))
    totals = np.cumsum(sums, axis=2) + prep.start[None, :, None]
    return prep.groups, prep.years, totals.astype("int64")


def simulate(
    plans: pd.DataFrame,
    *,
    config: PrognosisConfig,
    by: Sequence[str] = (),
    start: pd.DataFrame | None = None,
    first_year: int | None = None,
) -> Bands:
    """Per group (``by``) and year: the deterministic stock and its simulated bands.

    Parameters
    ----------
    plans
        Canonical plans (:func:`geoprestatie.prognosis.plans_from_frame`); the rows of the
        config's scenario are simulated, temporary units left out (as in ``project``).
    config
        Scenario, last year, statuses and ``onzekerheid`` (simulations, seed, percentiles;
        default 10,000 simulations).
    by
        Group columns of the plans, e.g. ``("segment", "buurtcode")``; ``()`` = gemeente.
    start
        Start stock per group (the ``by`` columns and ``aantal``); default 0 (change only).
    first_year
        First projected year (default: the start stock's first year when it has a
        ``peildatum``, else the first plan year).

    Examples
    --------
    >>> from geoprestatie.prognosis import plans_from_frame
    >>> plans = plans_from_frame(pd.DataFrame({"corporatie": ["A", "A"], "jaar": [2030, 2030],
    ...     "mutatie": ["nieuwbouw", "nieuwbouw"], "aantal": [10, 20],
    ...     "zekerheid": ["hard", "zacht"]}))
    >>> b = simulate(plans, config=PrognosisConfig(scenario="zacht"))
    >>> b.table[["jaar", "eindstand", "eindstand_p10", "eindstand_p90"]]
       jaar  eindstand  eindstand_p10  eindstand_p90
    0  2030         30             10             30
    """
    prep = _prepare(plans, config, by, start, first_year)
    unc = _uncertainty(config)
    began = time.perf_counter()
    shift = draw(prep.statuses, prep.status, simulaties=unc.simulaties, seed=unc.seed)
    n_groups, n_years = len(prep.groups), len(prep.years)
    pct = list(unc.percentielen)
    stock = np.repeat(prep.start[:, None], n_years, axis=1).astype("float64")
    stock_b = np.repeat(stock[None], len(pct), axis=0)
    change_b = np.zeros((len(pct), n_groups, n_years))
    mean = stock.copy()
    order = np.argsort(prep.group, kind="stable")
    bounds = np.searchsorted(prep.group[order], np.arange(n_groups + 1))
    planned = np.flatnonzero(np.diff(bounds) > 0)
    step = max(1, _BLOCK_CELLS // max(1, unc.simulaties * n_years))
    for i in range(0, len(planned), step):
        block = planned[i : i + step]
        cols = np.concatenate([order[bounds[g] : bounds[g + 1]] for g in block])
        local = np.searchsorted(block, prep.group[cols])
        sums = _block_sums(
            shift[:, cols], prep.netto[cols], prep.year0[cols], local, len(block), n_years
        )
        # simulations on the last axis: contiguous partitions for the percentiles
        change = np.ascontiguousarray(sums.transpose(1, 2, 0))
        totals = np.cumsum(change, axis=1) + prep.start[block][:, None, None]
        stock_b[:, block] = inverted_cdf(totals, pct)
        change_b[:, block] = inverted_cdf(change, pct)
        mean[block] = totals.mean(axis=-1)
    seconds = time.perf_counter() - began
    det = _deterministic(prep)
    table = _band_table(prep, det, stock_b, change_b, mean, pct)
    return Bands(table=table, simulaties=unc.simulaties, seed=unc.seed, seconden=seconds)


def inverted_cdf(values: np.ndarray, pct: Sequence[float]) -> np.ndarray:
    """``numpy.percentile(values, pct, axis=-1, method="inverted_cdf")``: the order
    statistics it picks, from one sort of the last axis (the simulated outcomes are whole
    numbers with many ties: numpy's sort is 5-7x faster on them than ``percentile``'s
    partitions; 0.47 of the demo's 1.8 s of stage 5). The same positions as numpy:
    ``n * q - 1`` rounded up unless whole, clipped to the array.

    Examples
    --------
    >>> a = np.random.default_rng(0).integers(0, 9, size=(3, 1001)).astype(float)
    >>> q = [1, 7, 10, 33, 50, 90, 97.5, 100]
    >>> bool((inverted_cdf(a, q) == np.percentile(a, q, axis=-1, method="inverted_cdf")).all())
    True
    """
    n = values.shape[-1]
    index = n * (np.asarray(pct, dtype="float64") / 100) - 1
    below = np.floor(index)
    at = np.clip(np.where(index == below, below, below + 1), 0, n - 1).astype(np.intp)
    ordered = np.sort(values, axis=-1)
    return np.stack([ordered[..., k] for k in at.tolist()])


def _deterministic(prep: _Prepared) -> np.ndarray:
    """Change per group and year when every plan row is realised on time."""
    n_years = len(prep.years)
    flat = prep.group * n_years + prep.year0
    sums = np.bincount(flat, weights=prep.netto, minlength=len(prep.groups) * n_years)
    return sums.reshape(len(prep.groups), n_years)


def _band_table(
    prep: _Prepared,
    det: np.ndarray,
    stock_b: np.ndarray,
    change_b: np.ndarray,
    mean: np.ndarray,
    pct: list[int],
) -> pd.DataFrame:
    n_groups, n_years = det.shape
    cols = {c: np.repeat(prep.groups[c].to_numpy(), n_years) for c in prep.groups.columns}
    out = pd.DataFrame(cols)
    out["jaar"] = np.tile(np.asarray(prep.years, dtype="int64"), n_groups)
    end = prep.start[:, None] + np.cumsum(det, axis=1)
    out["beginstand"] = np.repeat(prep.start, n_years)
    out["eindstand"] = end.ravel()
    out["eindstand_gemiddeld"] = mean.ravel().round(1)
    for k, name in enumerate(band_columns("eindstand", pct)):
        out[name] = stock_b[k].ravel()
    out["mutatie"] = det.ravel()
    for k, name in enumerate(band_columns("mutatie", pct)):
        out[name] = change_b[k].ravel()
    out["groei"] = (end - prep.start[:, None]).ravel()
    for k, name in enumerate(band_columns("groei", pct)):
        out[name] = (stock_b[k] - prep.start[:, None]).ravel()
    whole = [c for c in out.columns if c not in (*prep.groups.columns, "eindstand_gemiddeld")]
    for c in whole:
        out[c] = np.rint(out[c].to_numpy(dtype="float64")).astype("int64")
    return (
        out.reset_index(drop=True)
        if len(prep.groups.columns)
        else out.drop(columns=[], errors="ignore")
    )


def locate_plans(
    plans: pd.DataFrame, buurten: gpd.GeoDataFrame, *, tolerance_m: float = 50.0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give each plan row its buurt, wijk and gemeente; report the rows that cannot be placed.

    A row is placed by its ``buurtcode`` or, without one, by its point (``x``, ``y`` in RD
    New metres): inside a buurt, or the nearest buurt within ``tolerance_m`` (generalised
    CBS boundaries). A row without any location stays in the totals as buurt ``<NA>``
    (buurt onbekend, with a warning); a buurtcode not in ``buurten`` or a point outside every
    buurt is left out and reported.

    Returns
    -------
    (plans, rejected)
        ``plans`` with ``buurtcode``, ``wijkcode``, ``gemeentecode`` and ``locatie``
        (``buurtcode`` / ``punt`` / ``punt_dichtstbij`` / ``onbekend``); ``rejected`` with
        ``bron_rij``, ``reden``, ``kolom``, ``waarde``, one row per plan row left out.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> from geoprestatie.prognosis import plans_from_frame
    >>> b = gpd.GeoDataFrame({"buurtcode": ["BU00010001"], "wijkcode": ["WK000100"],
    ...     "gemeentecode": ["GM0001"]}, geometry=[box(0, 0, 100, 100)], crs=28992)
    >>> p = plans_from_frame(pd.DataFrame({"partij": ["A", "B", "C"], "jaar": [2030] * 3,
    ...     "mutatie": ["nieuwbouw"] * 3, "aantal": [1] * 3, "x": ["50", "500", None],
    ...     "y": ["50", "50", None]}))
    >>> placed, rejected = locate_plans(p, b)  # doctest: +SKIP
    >>> placed["locatie"].tolist(), rejected["reden"].tolist()  # doctest: +SKIP
    (['punt', 'onbekend'], ['buiten_alle_buurten'])
    """
    out = plans.copy()
    source = str(plans.attrs.get(ATTR_SOURCE, "plannen"))
    codes = out["buurtcode"].astype("string")
    locatie = pd.Series("buurtcode", index=out.index, dtype="string").where(codes.notna(), _UNKNOWN)
    rejected: list[pd.DataFrame] = []
    unknown = codes.notna() & ~codes.isin(set(buurten["buurtcode"].astype(str)))
    rejected.append(_rejected(out, unknown, "onbekende_buurtcode", "buurtcode", codes))
    if {"x", "y"} <= set(out.columns):
        x, bad_x = parse_number(out["x"], plausible=RD_X_LAND)
        y, bad_y = parse_number(out["y"], plausible=RD_Y_LAND)
        bad = (bad_x | bad_y) & codes.isna()
        if bad.any():
            raise InputError(
                f"`x`/`y` moeten RD New-coördinaten in meters zijn (EPSG:28992, bijv. x = 155000, "
                "y = 463000); gevonden "
                f"{out.loc[bad, ['x', 'y']].astype(str).to_numpy().tolist()[:5]}",
                source=source,
                column="x",
                rows=[int(r) for r in out.loc[bad, "bron_rij"]],
            )
        use = codes.isna() & x.notna() & y.notna()
        if use.any():
            points = gpd.points_from_xy(x[use], y[use], crs=28992)
            pos, how = assign_buurten(points, buurten, tolerance_m=tolerance_m)
            found = pd.Series(pos, index=out.index[use])
            names = buurten["buurtcode"].astype(str).to_numpy()
            placed = pd.Series(
                np.where(pos >= 0, names[np.maximum(pos, 0)], None),
                index=out.index[use],
                dtype="string",
            )
            codes = codes.where(~use, placed)
            locatie.loc[use] = pd.Series(
                np.where(how == 0, "punt", np.where(how == 1, "punt_dichtstbij", _UNKNOWN)),
                index=out.index[use],
                dtype="string",
            )
            outside = pd.Series(False, index=out.index)
            outside.loc[use] = found.to_numpy() < 0
            shown = out["x"].astype(str) + ", " + out["y"].astype(str)
            rejected.append(_rejected(out, outside, "buiten_alle_buurten", "x, y", shown))
            unknown = unknown | outside
    out["buurtcode"] = codes
    out["locatie"] = locatie
    lookup = buurten.drop_duplicates("buurtcode").set_index(buurten["buurtcode"].astype(str))
    for level in ("wijkcode", "gemeentecode"):
        if level in lookup.columns:
            out[level] = codes.map(lookup[level].astype(str).to_dict()).astype("string")
        else:
            out[level] = pd.Series(pd.NA, index=out.index, dtype="string")
    kept = out.loc[~unknown].copy()
    kept.attrs = dict(plans.attrs)
    nowhere = kept["buurtcode"].isna()
    if nowhere.any():
        warnings.warn(
            f"{source}: {int(nowhere.sum())} planregel(s) zonder buurtcode of punt "
            f"({format_rows([int(r) for r in kept.loc[nowhere, 'bron_rij']])}) tellen mee in "
            "de gemeentetotalen als 'buurt onbekend'; geef een buurtcode of x/y om ze op de "
            "kaart te krijgen",
            DataWarning,
            stacklevel=2,
        )
    return kept, pd.concat(rejected, ignore_index=True)


def _rejected(
    plans: pd.DataFrame, mask: pd.Series, reason: str, column: str, values: pd.Series
) -> pd.DataFrame:
    mask = mask.fillna(False).astype(bool)
    return pd.DataFrame(
        {
            "bron_rij": plans.loc[mask, "bron_rij"].astype("Int64").to_numpy(),
            "reden": reason,
            "kolom": column,
            "waarde": values[mask].astype("string").to_numpy(),
        },
        columns=["bron_rij", "reden", "kolom", "waarde"],
    )
