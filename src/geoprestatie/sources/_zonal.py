"""Coverage-weighted zonal statistics of a raster per polygon (private).

Each raster cell counts with the share of its area that lies inside the polygon, computed
exactly (not by sampling sub-cells): the polygon's edges are cut at every grid line, and by
Green's theorem the area of the polygon inside a cell is a sum over the edge pieces of
that cell plus the full height of the pieces *below* it in the same column. This is the
idea of exactextract (Baston 2022, "exactextract: fast and accurate raster zonal
statistics"); here it is vectorised with numpy over all polygons at once, so it needs no
compiled extension. Only the cells in each polygon's bounding box are visited.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from geoprestatie.errors import InputError

__all__ = ["Coverage", "coverage_fractions", "zonal_statistics"]

Array = npt.NDArray[Any]


class Runs(NamedTuple):
    """Cells wholly inside (or outside) a polygon: rows ``row0 <= row < row1`` of a column."""

    polygon: Array
    col: Array
    row0: Array
    row1: Array
    share: Array


class Coverage(NamedTuple):
    """Cells covered by polygons: one entry per (polygon, cell) with a positive share."""

    #: polygon position (0-based)
    polygon: Array
    #: raster row and column of the cell (may lie outside the raster)
    row: Array
    col: Array
    #: share of the cell's area inside the polygon, 0 < fraction <= 1
    fraction: Array


def _grid_coords(geoms: Array, t: Any) -> tuple[Array, Array, Array, Array]:
    """Ring coordinates in grid units (u = column, v = row), ring -> polygon, ring sign."""
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    n_int = shapely.get_num_interior_rings(parts)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    first = np.concatenate(([0], np.cumsum(n_int + 1)[:-1]))
    exterior = np.zeros(len(rings), dtype=bool)
    exterior[first] = True
    xy, ring_of = shapely.get_coordinates(rings, return_index=True)
    u = (xy[:, 0] - t.c) / t.a
    v = (xy[:, 1] - t.f) / t.e
    # signed area per ring with the same formula as the coverage (-sum of v du)
    same = ring_of[1:] == ring_of[:-1]
    du = np.where(same, u[1:] - u[:-1], 0.0)
    vm = np.where(same, (v[1:] + v[:-1]) / 2, 0.0)
    signed = -np.bincount(ring_of[:-1], weights=du * vm, minlength=len(rings))
    sign = np.where(exterior, np.sign(signed), -np.sign(signed))
    return u, v, ring_of, np.stack([part_of[ring_part], sign])


def _pieces(u: Array, v: Array, ring_of: Array) -> tuple[Array, Array, Array, Array, Array]:
    """Cut every edge at every grid line; return piece start/end (u, v) and edge index."""
    same = ring_of[1:] == ring_of[:-1]
    e = np.flatnonzero(same)
    u0, u1, v0, v1 = u[e], u[e + 1], v[e], v[e + 1]
    ts = [np.zeros(len(e)), np.ones(len(e))]
    ids = [np.arange(len(e)), np.arange(len(e))]
    for a0, a1 in ((u0, u1), (v0, v1)):
        lo, hi = np.minimum(a0, a1), np.maximum(a0, a1)
        first = np.floor(lo) + 1
        count = np.maximum(np.ceil(hi) - first, 0).astype(np.int64)
        which = np.repeat(np.arange(len(e)), count)
        if len(which):
            start = np.repeat(np.cumsum(count) - count, count)
            m = first[which] + (np.arange(len(which)) - start)
            ts.append((m - a0[which]) / (a1[which] - a0[which]))
            ids.append(which)
    t_all = np.concatenate(ts)
    id_all = np.concatenate(ids)
    order = np.lexsort((t_all, id_all))
    t_s, id_s = t_all[order], id_all[order]
    keep = (id_s[1:] == id_s[:-1]) & (t_s[1:] > t_s[:-1])
    k = id_s[:-1][keep]
    ta, tb = t_s[:-1][keep], t_s[1:][keep]
    du, dv = (u1 - u0)[k], (v1 - v0)[k]
    return u0[k] + ta * du, v0[k] + ta * dv, u0[k] + tb * du, v0[k] + tb * dv, e[k]


def _cells(geoms: Array, t: Any) -> tuple[Coverage, Runs]:
    """Shares of every cell touched by the polygons (exact).

    Cells a boundary passes through get the edge pieces in them plus the full height of the
    pieces below them in their column; the cells between two such cells of a column all
    share the same value (the full height of the pieces below the gap), 1 inside, 0
    outside, so they are emitted without being visited one by one.
    """
    u, v, ring_of, ring_info = _grid_coords(geoms, t)
    ua, va, ub, vb, edge = _pieces(u, v, ring_of)
    ring = ring_of[edge]
    poly = ring_info[0][ring].astype(np.int64)
    du = (ub - ua) * ring_info[1][ring]
    um, vm = (ua + ub) / 2, (va + vb) / 2
    col = np.floor(um).astype(np.int64)
    row = np.floor(vm).astype(np.int64)
    # one key per (polygon, column, row), sorted so that a column of a polygon is contiguous
    c_off, r_off = col.min(), row.min()
    ncol = int(col.max() - c_off + 1)
    nrow = int(row.max() - r_off + 1)
    keys, inv = np.unique((poly * ncol + (col - c_off)) * nrow + (row - r_off), return_inverse=True)
    local = np.bincount(inv, weights=-du * (vm - row), minlength=len(keys))
    full = np.bincount(inv, weights=-du, minlength=len(keys))
    group = keys // nrow  # (polygon, column)
    krow = keys % nrow + r_off
    # full height of the pieces strictly below each key in its group
    after = np.concatenate((np.cumsum(full[::-1])[::-1], [0.0]))
    group_end = np.searchsorted(group, group, side="right")
    below = after[1:] - after[group_end]
    kpoly, kcol = group // ncol, group % ncol + c_off
    # the gap of rows above each key (below the previous key of its group): a run of cells
    first = np.concatenate(([True], group[1:] != group[:-1]))
    gap = np.where(first, 0, krow - np.concatenate(([0], krow[:-1])) - 1)
    gap_share = np.clip(below + full, 0.0, 1.0)
    fill = (gap > 0) & (gap_share > 1e-12)
    boundary = Coverage(kpoly, krow, kcol, np.clip(local + below, 0.0, 1.0))
    runs = Runs(kpoly[fill], kcol[fill], krow[fill] - gap[fill], krow[fill], gap_share[fill])
    return boundary, runs


def _materialise(runs: Runs) -> Coverage:
    """One entry per cell of the runs."""
    n = runs.row1 - runs.row0
    offset = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    return Coverage(
        np.repeat(runs.polygon, n),
        np.repeat(runs.row0, n) + offset,
        np.repeat(runs.col, n),
        np.repeat(runs.share, n),
    )


def _affine(transform: object) -> Any:
    from affine import Affine

    t = Affine(*tuple(cast(Sequence[float], transform))[:6])
    if t.b != 0 or t.d != 0:
        raise InputError(
            "het raster is gedraaid; het gewogen gemiddelde per buurt vraagt een raster met "
            "het noorden boven (zonder rotatie). Oplossing: "
            "`gdalwarp -t_srs EPSG:28992 oud.tif nieuw.tif`"
        )
    return t


def coverage_fractions(geoms: Sequence[Any] | Array, transform: Any) -> Coverage:
    """Exact share of each raster cell covered by each polygon.

    Cells a boundary passes through get their share from the edge pieces (see the module
    docstring); the cells between them in a column are wholly inside (share 1) or outside.
    Each polygon is done on its own, so overlapping polygons are fine.

    Parameters
    ----------
    geoms
        Polygons or MultiPolygons (holes allowed), in the raster's CRS.
    transform
        The raster's affine transform (north-up, not rotated).

    Examples
    --------
    >>> from affine import Affine
    >>> from shapely.geometry import box
    >>> c = coverage_fractions([box(0.5, 0, 2, 1)], Affine(1, 0, 0, 0, -1, 1))
    >>> c.col.tolist(), c.fraction.tolist()
    ([0, 1], [0.5, 1.0])
    """
    t = _affine(transform)
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 0 or shapely.get_num_coordinates(geoms).sum() == 0:
        return Coverage(*(np.empty(0, dtype=d) for d in ("int64", "int64", "int64", "float64")))
    boundary, runs = _cells(geoms, t)
    c = Coverage(
        *(np.concatenate([a, b]) for a, b in zip(boundary, _materialise(runs), strict=True))
    )
    keep = c.fraction > 1e-12
    return Coverage(*(a[keep] for a in c))


def _valid(values: Array, nodata: float | None) -> Array:
    """Cells with data: finite and not ``nodata``."""
    valid: Array = np.isfinite(values)
    if nodata is not None and not np.isnan(nodata):
        valid &= values != nodata
    return valid


def zonal_statistics(
    buurten: Any,
    values: Array,
    transform: object,
    *,
    nodata: float | None = None,
    with_median: bool = True,
) -> pd.DataFrame:
    """Coverage-weighted mean, median, cell counts and coverage of a raster per buurt.

    Each cell counts with the share of its area inside the buurt (:func:`coverage_fractions`),
    as exactextract's ``mean``: ``sum(f * v) / sum(f)`` over cells with data, so small and
    irregular buurten get a value from every cell they touch.

    Parameters
    ----------
    buurten
        GeoDataFrame of polygons in the raster's CRS, with ``buurtcode``.
    values
        2-D array.
    transform
        The raster's affine transform (north-up).
    nodata
        Value meaning "no data" (NaN always means no data).
    with_median
        Also compute the coverage-weighted median.

    Returns
    -------
    pandas.DataFrame
        One row per buurt, in order: ``buurtcode``, ``gemiddelde``, ``mediaan``,
        ``n_cellen`` (cells with data touching the buurt), ``n_cellen_totaal`` (cells
        touching it), ``n_cellen_toegewezen`` (cells with data whose largest share lies in
        this buurt: each cell counted once, for the accounting), ``dekking`` (share of the
        buurt's **area** covered by cells with data; 0 when none). ``attrs`` holds
        ``cellen_in_meer_buurten``: cells with data wholly inside two or more buurten
        (which then overlap; not in ``n_cellen_toegewezen``).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from affine import Affine
    >>> from shapely.geometry import box
    >>> b = gpd.GeoDataFrame({"buurtcode": ["A", "B"]},
    ...                      geometry=[box(0, 0, 2, 2), box(1.5, 0, 4, 2)])
    >>> arr = np.array([[1, 2, 5, -1], [3, 4, 7, 9]], dtype="float32")
    >>> z = zonal_statistics(b, arr, Affine(1, 0, 0, 0, -1, 2), nodata=-1)
    >>> z[["gemiddelde", "dekking"]].round(4).values.tolist()
    [[2.5, 1.0], [6.0, 0.8]]
    """
    arr = np.asarray(values)
    if arr.ndim != 2:
        raise ValueError(f"`values` moet tweedimensionaal zijn, maar heeft de vorm {arr.shape}")
    n = len(buurten)
    t = _affine(transform)
    geoms = buurten.geometry.to_numpy()
    if n == 0 or shapely.get_num_coordinates(geoms).sum() == 0:
        empty = np.empty(0, dtype="int64")
        bnd = Coverage(empty, empty, empty, np.empty(0))
        runs = Runs(empty, empty, empty, empty, np.empty(0))
    else:
        bnd, runs = _cells(geoms, t)
        keep = bnd.fraction > 1e-12
        bnd = Coverage(*(x[keep] for x in bnd))
    h, w = arr.shape
    valid = _valid(arr, nodata)
    # boundary cells: one by one
    inside = (bnd.row >= 0) & (bnd.row < h) & (bnd.col >= 0) & (bnd.col < w)
    val = np.full(len(bnd.fraction), np.nan)
    val[inside] = arr[bnd.row[inside], bnd.col[inside]]
    ok = inside & _valid(val, nodata)
    wb = np.where(ok, bnd.fraction, 0.0)
    # runs of whole cells (inside the raster)
    r0, r1 = np.clip(runs.row0, 0, h), np.clip(runs.row1, 0, h)
    on = (runs.col >= 0) & (runs.col < w) & (r1 > r0)
    inner = Runs(runs.polygon[on], runs.col[on], r0[on], r1[on], runs.share[on])
    rp, rs = inner.polygon, inner.share
    run_sum, run_cnt, run_once, in_run_at, multi = _run_sums(inner, arr, valid, bnd)
    wsum = np.bincount(bnd.polygon, weights=wb, minlength=n) + np.bincount(
        rp, weights=rs * run_cnt, minlength=n
    )
    vsum = np.bincount(bnd.polygon, weights=wb * np.where(ok, val, 0.0), minlength=n)
    vsum += np.bincount(rp, weights=rs * run_sum, minlength=n)
    area = shapely.area(geoms) / abs(t.a * t.e)  # in cells, also outside the raster
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = vsum / wsum
        cover = np.clip(np.where(area > 0, wsum / np.where(area > 0, area, 1), 0.0), 0, 1)
    shared = ok & ~in_run_at
    assigned = _assign_cells(
        bnd.polygon[shared], bnd.row[shared] * w + bnd.col[shared], bnd.fraction[shared], n
    ) + np.bincount(rp, weights=run_once, minlength=n).astype("int64")
    median = np.full(n, np.nan)
    if with_median and (ok.any() or len(rp)):
        cells = _materialise(inner)
        cv = arr[cells.row, cells.col]
        cok = valid[cells.row, cells.col]
        median = _weighted_median(
            np.concatenate([bnd.polygon[ok], cells.polygon[cok]]),
            np.concatenate([val[ok], cv[cok].astype("float64")]),
            np.concatenate([bnd.fraction[ok], cells.fraction[cok]]),
            n,
        )
    n_runs = np.bincount(runs.polygon, weights=runs.row1 - runs.row0, minlength=n)
    out = pd.DataFrame(
        {
            "buurtcode": buurten["buurtcode"].to_numpy(),
            "gemiddelde": np.where(wsum > 0, mean, np.nan),
            "mediaan": median,
            "n_cellen": (np.bincount(bnd.polygon[ok], minlength=n)
                         + np.bincount(rp, weights=run_cnt, minlength=n)).astype("int64"),
            "n_cellen_totaal": (np.bincount(bnd.polygon, minlength=n) + n_runs).astype("int64"),
            "n_cellen_toegewezen": assigned,
            "dekking": cover,
        }
    )  # fmt: skip
    out.attrs["cellen_in_meer_buurten"] = multi
    return out


def _run_sums(
    runs: Runs, arr: Array, valid: Array, bnd: Coverage
) -> tuple[Array, Array, Array, Array, int]:
    """Per run: sum of values and count of cells with data, the count of those cells that
    lie in no other run; per boundary entry whether its cell lies in a run; and the number
    of cells with data in two or more runs (overlapping polygons).

    Few run cells are visited one by one; many (a national set) are summed from per-column
    cumulative sums of the raster, each run in O(1).
    """
    h, w = arr.shape
    n_cells = int((runs.row1 - runs.row0).sum())
    bid = bnd.row * w + bnd.col
    if n_cells * 4 < h * w:
        cells = _materialise(runs)
        cid = cells.row * w + cells.col
        ids, inv, counts = np.unique(cid, return_inverse=True, return_counts=True)
        cv = np.where(valid[cells.row, cells.col], arr[cells.row, cells.col], 0).astype("float64")
        cok = valid[cells.row, cells.col]
        which = np.repeat(np.arange(len(runs.col)), runs.row1 - runs.row0)
        k = len(runs.col)
        run_sum = np.bincount(which, weights=cv, minlength=k)
        run_cnt = np.bincount(which, weights=cok, minlength=k)
        run_once = np.bincount(which, weights=cok & (counts[inv] == 1), minlength=k)
        multi = int(np.count_nonzero(valid.ravel()[ids[counts > 1]]))
        return run_sum, run_cnt, run_once, np.isin(bid, ids), multi
    diff = np.zeros((h + 1, w), dtype="int32")
    np.add.at(diff, (runs.row0, runs.col), 1)
    np.add.at(diff, (runs.row1, runs.col), -1)
    in_run = np.cumsum(diff, axis=0)[:h]
    zero = np.zeros((1, w))
    csum = np.vstack([zero, np.cumsum(np.where(valid, arr, 0).astype("float64"), axis=0)])
    ccnt = np.vstack([zero, np.cumsum(valid, axis=0, dtype="float64")])
    conce = np.vstack([zero, np.cumsum(valid & (in_run == 1), axis=0, dtype="float64")])
    r0, r1, c = runs.row0, runs.row1, runs.col
    inside = (bnd.row >= 0) & (bnd.row < h) & (bnd.col >= 0) & (bnd.col < w)
    at = np.zeros(len(bid), dtype=bool)
    at[inside] = in_run[bnd.row[inside], bnd.col[inside]] > 0
    return (
        csum[r1, c] - csum[r0, c],
        ccnt[r1, c] - ccnt[r0, c],
        conce[r1, c] - conce[r0, c],
        at,
        int(np.count_nonzero(valid & (in_run > 1))),
    )


def _assign_cells(poly: Array, cell: Array, frac: Array, n: int) -> Array:
    """Per polygon the number of cells whose largest share lies in it (ties: first)."""
    if len(cell) == 0:
        return np.zeros(n, dtype="int64")
    order = np.lexsort((-frac, cell))
    first = np.concatenate(([True], cell[order][1:] != cell[order][:-1]))
    return np.bincount(poly[order][first], minlength=n).astype("int64")


def _weighted_median(poly: Array, val: Array, w: Array, n: int) -> Array:
    """Per polygon the smallest value whose cumulative weight reaches half the total."""
    order = np.lexsort((val, poly))
    p, v, cw = poly[order], val[order], np.cumsum(w[order])
    total = np.bincount(p, weights=w[order], minlength=n)
    start = np.searchsorted(p, np.arange(n))
    before = np.where(start > 0, cw[np.maximum(start - 1, 0)], 0.0)
    target = before + total / 2
    idx = np.searchsorted(cw, target - 1e-12 * np.maximum(total, 1))
    out = np.full(n, np.nan)
    has = total > 0
    out[has] = v[np.minimum(idx[has], len(v) - 1)]
    return out
