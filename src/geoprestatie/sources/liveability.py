"""Reader for liveability (Leefbaarometer): a per-buurt table or a raster reduced per buurt."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from geoprestatie._validate import require_columns
from geoprestatie.errors import InputError
from geoprestatie.sources._tabular import (
    Rejects,
    attach,
    canonical_columns,
    parse_buurtcode,
    parse_number,
    read_table,
    with_source_rows,
)
from geoprestatie.sources.aliases import LIVEABILITY_ALIASES
from geoprestatie.sources.stock import warn_rejected

__all__ = ["LIVEABILITY_DIMENSIONS", "read_liveability", "zonal_statistics"]

#: Leefbaarometer 3.0 dimension codes accepted as columns, and their canonical names.
LIVEABILITY_DIMENSIONS: dict[str, str] = {
    "won": "leefbaarometer_woningvoorraad",
    "fys": "leefbaarometer_fysieke_omgeving",
    "vrz": "leefbaarometer_voorzieningen",
    "soc": "leefbaarometer_sociale_samenhang",
    "onv": "leefbaarometer_overlast_onveiligheid",
}

_RASTER_SUFFIXES = (".tif", ".tiff", ".vrt", ".asc")


def _valid(values: np.ndarray, nodata: float | None) -> np.ndarray:
    """Cells with data: finite and not ``nodata``."""
    valid: np.ndarray = np.isfinite(values)
    if nodata is not None and not np.isnan(nodata):
        valid &= values != nodata
    return valid


def _window(geoms: np.ndarray, t: Any, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """Rows r0:r1 and columns c0:c1 of the grid covering ``geoms`` (whole grid if rotated)."""
    if not (t.b == 0 and t.d == 0 and t.a > 0 and t.e < 0) or len(geoms) == 0:
        return 0, shape[0], 0, shape[1]
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    c0 = int(np.clip(np.floor((minx - t.c) / t.a), 0, shape[1]))
    c1 = int(np.clip(np.ceil((maxx - t.c) / t.a), 0, shape[1]))
    r0 = int(np.clip(np.floor((maxy - t.f) / t.e), 0, shape[0]))
    r1 = int(np.clip(np.ceil((miny - t.f) / t.e), 0, shape[0]))
    return r0, r1, c0, c1


def zonal_statistics(
    buurten: gpd.GeoDataFrame,
    values: npt.NDArray[np.floating] | npt.NDArray[np.integer],
    transform: object,
    *,
    nodata: float | None = None,
    with_median: bool = True,
) -> pd.DataFrame:
    """Mean, median, cell counts and coverage of a raster per buurt (vectorised).

    The buurten are rasterised once onto the raster grid (a cell belongs to the buurt that
    contains its centre, as in ``rasterstats`` with ``all_touched=False``) and the values are
    aggregated with :func:`numpy.bincount`; the median from one sort by (buurt, value).
    Buurten with a ``gemeentecode`` are rasterised per municipality, each in the window of
    the grid it covers, so a municipality on the national grid costs only its own cells.

    Parameters
    ----------
    buurten
        Polygons in the raster's CRS, with ``buurtcode``.
    values
        2-D array.
    transform
        The raster's affine transform.
    nodata
        Value meaning "no data" (NaN always means no data).
    with_median
        Also compute the median (one sort of the values in the buurten' window).

    Returns
    -------
    pandas.DataFrame
        One row per buurt, in order: ``buurtcode``, ``gemiddelde``, ``mediaan``,
        ``n_cellen`` (cells with data), ``n_cellen_totaal`` and ``dekking`` (share of the
        buurt's cells with data; NaN when no cell centre falls in the buurt).

    Examples
    --------
    >>> from affine import Affine
    >>> from shapely.geometry import box
    >>> b = gpd.GeoDataFrame({"buurtcode": ["A", "B"]},
    ...                      geometry=[box(0, 0, 2, 2), box(2, 0, 4, 2)])
    >>> arr = np.array([[1, 2, 5, -1], [3, 4, 7, 9]], dtype="float32")
    >>> z = zonal_statistics(b, arr, Affine(1, 0, 0, 0, -1, 2), nodata=-1)
    >>> z[["gemiddelde", "mediaan", "dekking"]].values.tolist()
    [[2.5, 2.5, 1.0], [7.0, 7.0, 0.75]]
    """
    from affine import Affine
    from rasterio import features

    arr = np.asarray(values)
    if arr.ndim != 2:
        raise ValueError(f"`values` must be 2-D, got shape {arr.shape}")
    n = len(buurten)
    t = Affine(*tuple(cast(Sequence[float], transform))[:6])
    # rasterise per municipality window (a few municipalities on a national grid stay cheap);
    # each cell centre lies in at most one buurt, so the windows never count a cell twice
    groups = (
        [np.flatnonzero((buurten["gemeentecode"] == g).to_numpy()) for g in
         pd.unique(buurten["gemeentecode"])]
        if "gemeentecode" in buurten and buurten["gemeentecode"].notna().all()
        else [np.arange(n)]
    )  # fmt: skip
    total = np.zeros(n + 1, dtype="int64")
    count = np.zeros(n + 1, dtype="int64")
    sums = np.zeros(n + 1)
    sorted_parts: list[tuple[np.ndarray, np.ndarray]] = []
    geoms = buurten.geometry.to_numpy()
    for members in groups:
        r0, r1, c0, c1 = _window(geoms[members], t, arr.shape)
        if r1 <= r0 or c1 <= c0:
            continue
        window_t = Affine(t.a, t.b, t.c + c0 * t.a, t.d, t.e, t.f + r0 * t.e)
        zones = features.rasterize(
            zip(geoms[members], (members + 1).tolist(), strict=True),
            out_shape=(r1 - r0, c1 - c0),
            transform=window_t,
            fill=0,
            all_touched=False,
            dtype="int32",
        ).ravel()
        values_w = arr[r0:r1, c0:c1].ravel()
        valid_w = _valid(values_w, nodata)
        # cells without data go to bin 0, which is never reported (no boolean gathers)
        zv = np.where(valid_w, zones, 0)
        total += np.bincount(zones, minlength=n + 1)
        count += np.bincount(zv, minlength=n + 1)
        with np.errstate(invalid="ignore"):
            sums += np.bincount(zv, weights=np.where(valid_w, values_w, 0), minlength=n + 1)
        if with_median:
            keep = zv > 0
            sorted_parts.append((zv[keep], values_w[keep].astype("float64")))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sums / count
        cover = count / total
    c = count[1:]
    median = np.full(n, np.nan)
    has = c > 0
    if with_median and has.any():
        # one sort by value, then a stable (radix) sort by buurt
        vz = np.concatenate([p[0] for p in sorted_parts])
        vv = np.concatenate([p[1] for p in sorted_parts])
        by_value = np.argsort(vv)
        order = by_value[np.argsort(vz[by_value], kind="stable")]
        sorted_v = vv[order]
        starts = np.concatenate(([0], np.cumsum(c)[:-1]))
        lo = starts + np.maximum(c - 1, 0) // 2
        hi = starts + c // 2
        median[has] = (sorted_v[lo[has]] + sorted_v[hi[has]]) / 2
    out = pd.DataFrame(
        {
            "buurtcode": buurten["buurtcode"].to_numpy(),
            "gemiddelde": mean[1:],
            "mediaan": median,
            "n_cellen": count[1:].astype("int64"),
            "n_cellen_totaal": total[1:].astype("int64"),
            "dekking": cover[1:],
        }
    )
    return out


def _read_raster(
    path: Path, buurten: gpd.GeoDataFrame | None, *, crs: str | None, band: int
) -> pd.DataFrame:
    import rasterio

    if buurten is None:
        raise InputError(
            "a raster needs the buurten to reduce it to per-buurt values: "
            "read_liveability(path, buurten=...)",
            source=path,
        )
    try:
        src = rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        raise InputError(f"cannot be opened as a raster: {exc}", source=path) from None
    with src:
        raster_crs = src.crs if src.crs is not None else crs
        if raster_crs is None:
            raise InputError(
                "the raster has no coordinate reference system (CRS); expected EPSG:28992 "
                "(the Leefbaarometer grid is RD New). Fix: set it with "
                "`gdal_edit.py -a_srs EPSG:28992 file.tif` or pass crs='EPSG:28992'",
                source=path,
            )
        arr = src.read(band, masked=False)
        transform = src.transform
        nodata = src.nodata
    zones = buurten[["buurtcode", "geometry"]].to_crs(raster_crs)
    z = zonal_statistics(zones, arr, transform, nodata=nodata)
    n_valid = int(np.count_nonzero(_valid(arr, nodata)))
    outside = n_valid - int(z["n_cellen"].sum())
    out = pd.DataFrame(
        {
            "buurtcode": z["buurtcode"].astype("string"),
            "leefbaarometer_score": z["gemiddelde"],
            "leefbaarometer_mediaan": z["mediaan"],
            "leefbaarometer_dekking": z["dekking"],
            "n_cellen": z["n_cellen"],
            "bron_rij": pd.array([pd.NA] * len(z), dtype="Int64"),
        }
    )
    rejects = Rejects(path.name)
    if outside:
        rejects.records.append(
            {
                "bestand": path.name,
                "bron_rij": None,
                "reden": "buiten_buurten",
                "kolom": None,
                "waarde": "rastercellen / raster cells",
                "aantal": outside,
            }
        )
    attach(out, source=path.name, n_read=n_valid, rejects=rejects)
    return out


def read_liveability(
    path: str | Path,
    *,
    buurten: gpd.GeoDataFrame | None = None,
    crs: str | None = None,
    band: int = 1,
) -> pd.DataFrame:
    """Read Leefbaarometer scores per buurt from a table or a raster.

    Parameters
    ----------
    path
        A CSV/XLSX table with ``buurtcode`` and ``leefbaarometer_score``, optionally
        ``leefbaarometer_klasse`` (1-9) and dimension scores (``leefbaarometer_*`` columns or
        the codes of :data:`LIVEABILITY_DIMENSIONS`), or a GeoTIFF (e.g. the Leefbaarometer
        100 m grid), reduced per buurt by :func:`zonal_statistics`.
    buurten
        Needed for a raster: the buurten to reduce it to.
    crs
        CRS to assume for a raster without one.
    band
        Raster band.

    Returns
    -------
    pandas.DataFrame
        One row per buurt: ``buurtcode``, ``leefbaarometer_score`` and what the source has
        (``leefbaarometer_klasse``, dimensions; for a raster ``leefbaarometer_mediaan``,
        ``leefbaarometer_dekking``, ``n_cellen``), ``bron_rij``. Accounting in ``attrs``
        (:mod:`geoprestatie.sources._tabular`); for a raster the records are cells with data.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "lbm.csv"
    >>> _ = p.write_text("bu_code;score;klasse\\nBU03070100;4,22;7\\n")
    >>> read_liveability(p)[["buurtcode", "leefbaarometer_score"]].values.tolist()
    [['BU03070100', 4.22]]
    """
    path = Path(path)
    if path.suffix.lower() in _RASTER_SUFFIXES:
        return _read_raster(path, buurten, crs=crs, band=band)
    raw = canonical_columns(read_table(path), LIVEABILITY_ALIASES)
    raw = raw.rename(columns={k: v for k, v in LIVEABILITY_DIMENSIONS.items() if k in raw})
    require_columns(
        raw,
        ["buurtcode", "leefbaarometer_score"],
        source=path,
        aliases="geoprestatie.sources.aliases.LIVEABILITY_ALIASES",
        accepted=LIVEABILITY_ALIASES,
    )
    source = path.name
    rejects = Rejects(source)
    df = with_source_rows(raw)
    n_read = len(df)
    code, bad = parse_buurtcode(df["buurtcode"])
    df["buurtcode"] = code
    bad = bad | code.isna()
    df = rejects.add_mask(df, bad, "ongeldige_waarde", column="buurtcode")
    df = rejects.add_mask(df, df["buurtcode"].duplicated(), "dubbele_code", column="buurtcode")
    numeric = [c for c in df.columns if c.startswith("leefbaarometer_")]
    for col in numeric:
        num, bad = parse_number(df[col])
        if col == "leefbaarometer_klasse":
            bad = bad | (num.notna() & ~num.isin(range(1, 10)))
        df = rejects.add_mask(df, bad, "ongeldige_waarde", column=col)
        df[col] = num.loc[df.index]
    if "leefbaarometer_klasse" in df:
        df["leefbaarometer_klasse"] = df["leefbaarometer_klasse"].astype("Int64")
    out = df.reset_index(drop=True)
    out["bron_rij"] = out["bron_rij"].astype("int64")
    attach(out, source=source, n_read=n_read, rejects=rejects)
    warn_rejected(source, rejects)
    return out
