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

__all__ = ["Coverage", "coverage_fractions", "zonal_statistics"]

Array = npt.NDArray[Any]


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


def coverage_fractions(geoms: Sequence[Any] | Array, transform: Any) -> Coverage:
    """Exact share of each raster cell covered by each polygon.

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
    from affine import Affine

    t = Affine(*tuple(cast(Sequence[float], transform))[:6])
    if t.b != 0 or t.d != 0:
        raise ValueError("coverage_fractions needs a north-up raster (no rotation)")
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    empty = Coverage(*(np.empty(0, dtype=d) for d in ("int64", "int64", "int64", "float64")))
    if n == 0:
        return empty
    u, v, ring_of, ring_info = _grid_coords(geoms, t)
    if len(u) == 0:
        return empty
    ua, va, ub, vb, edge = _pieces(u, v, ring_of)
    ring = ring_of[edge]
    poly = ring_info[0][ring].astype(np.int64)
    sign = ring_info[1][ring]
    um, vm = (ua + ub) / 2, (va + vb) / 2
    col = np.floor(um).astype(np.int64)
    row = np.floor(vm).astype(np.int64)
    du = (ub - ua) * sign
    # window per polygon: the rows and columns its pieces touch
    c0 = np.full(n, np.iinfo(np.int64).max)
    r0 = np.full(n, np.iinfo(np.int64).max)
    c1 = np.full(n, np.iinfo(np.int64).min)
    r1 = np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(c0, poly, col)
    np.minimum.at(r0, poly, row)
    np.maximum.at(c1, poly, col)
    np.maximum.at(r1, poly, row)
    has = c1 >= c0
    nr = np.where(has, r1 - r0 + 1, 0)
    nc = np.where(has, c1 - c0 + 1, 0)
    size = nr * nc
    offset = np.concatenate(([0], np.cumsum(size)[:-1]))
    # cells stored column-major per polygon: a column of a window is contiguous
    at = offset[poly] + (col - c0[poly]) * nr[poly] + (row - r0[poly])
    total = int(size.sum())
    local = np.bincount(at, weights=-du * (vm - row), minlength=total)
    above = row > r0[poly]
    acc = np.bincount(at[above] - 1, weights=-du[above], minlength=total)
    # every cell gets the pieces of its column below it: a reversed cumulative sum per column
    g = np.concatenate((np.cumsum(acc[::-1])[::-1], [0.0]))
    cell_poly = np.repeat(np.arange(n), size)
    pos = np.arange(total) - offset[cell_poly]
    cell_col = pos // np.maximum(nr[cell_poly], 1)
    cell_row = pos - cell_col * nr[cell_poly]
    column_end = offset[cell_poly] + (cell_col + 1) * nr[cell_poly]
    frac = np.clip(local + g[:-1] - g[column_end], 0.0, 1.0)
    keep = frac > 1e-12
    return Coverage(
        cell_poly[keep],
        (cell_row + r0[cell_poly])[keep],
        (cell_col + c0[cell_poly])[keep],
        frac[keep],
    )


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
        buurt's **area** covered by cells with data; 0 when none).

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
        raise ValueError(f"`values` must be 2-D, got shape {arr.shape}")
    n = len(buurten)
    cov = coverage_fractions(buurten.geometry.to_numpy(), transform)
    inside = (cov.row >= 0) & (cov.row < arr.shape[0]) & (cov.col >= 0) & (cov.col < arr.shape[1])
    val = np.full(len(cov.fraction), np.nan)
    val[inside] = arr[cov.row[inside], cov.col[inside]]
    ok = inside & _valid(val, nodata)
    w = np.where(ok, cov.fraction, 0.0)
    wsum = np.bincount(cov.polygon, weights=w, minlength=n)
    area = np.bincount(cov.polygon, weights=cov.fraction, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(cov.polygon, weights=w * np.where(ok, val, 0.0), minlength=n) / wsum
        cover = np.where(area > 0, wsum / np.where(area > 0, area, 1), 0.0)
    assigned = _assign_cells(cov.polygon[ok], cov.row[ok] * arr.shape[1] + cov.col[ok],
                             cov.fraction[ok], n)  # fmt: skip
    median = np.full(n, np.nan)
    if with_median and ok.any():
        median = _weighted_median(cov.polygon[ok], val[ok], cov.fraction[ok], n)
    return pd.DataFrame(
        {
            "buurtcode": buurten["buurtcode"].to_numpy(),
            "gemiddelde": np.where(wsum > 0, mean, np.nan),
            "mediaan": median,
            "n_cellen": np.bincount(cov.polygon[ok], minlength=n).astype("int64"),
            "n_cellen_totaal": np.bincount(cov.polygon, minlength=n).astype("int64"),
            "n_cellen_toegewezen": assigned,
            "dekking": cover,
        }
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
