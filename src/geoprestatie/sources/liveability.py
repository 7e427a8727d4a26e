"""Reader for liveability (Leefbaarometer): a per-buurt table or a raster reduced per buurt."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geoprestatie._validate import check_crs_matches_coordinates, require_columns
from geoprestatie.errors import DataWarning, InputError
from geoprestatie.sources._tabular import (
    Rejects,
    attach,
    canonical_columns,
    parse_buurtcode,
    parse_number,
    read_table,
    read_vector,
    with_source_rows,
)
from geoprestatie.sources._zonal import _assign_cells, _valid, zonal_statistics
from geoprestatie.sources.aliases import LIVEABILITY_ALIASES
from geoprestatie.sources.indicators import (
    LIVEABILITY_INDICATORS,
    indicator_aliases,
    match_columns,
)
from geoprestatie.sources.stock import warn_rejected

__all__ = ["read_liveability", "zonal_statistics"]

_RASTER_SUFFIXES = (".tif", ".tiff", ".vrt", ".asc")
_VECTOR_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".fgb")


def _check_plausible(values: np.ndarray, nodata: float | None, path: Path) -> None:
    """One clear error when cells hold values a Leefbaarometer score cannot have: an
    undeclared fill value (-9999), ``inf`` or ``1e308``."""
    low, high = LIVEABILITY_INDICATORS["leefbaarometer_score"].plausible
    data = values[~np.isnan(values)] if values.dtype.kind == "f" else values.ravel()
    if nodata is not None and not np.isnan(nodata):
        data = data[data != nodata]
    with np.errstate(invalid="ignore"):
        wrong = data[~((data >= low) & (data <= high))]
    if wrong.size == 0:
        return
    uniq, counts = np.unique(wrong, return_counts=True)
    top = uniq[np.argmax(counts)]
    declared = "geen" if nodata is None else f"{nodata:g}"
    raise InputError(
        f"{wrong.size} rastercel(len) hebben een waarde die geen Leefbaarometer-score kan zijn "
        f"(verwacht {low:g} tot {high:g}); meest voorkomend: {top:g} ({int(counts.max())}x), "
        f"nodata-waarde in het bestand: {declared}. Is {top:g} de opvulwaarde? Leg hem vast als "
        f"nodata (`gdal_edit.py -a_nodata {top:g} {path.name}`) en lees opnieuw; anders is "
        "dit niet het Leefbaarometer-scoreraster",
        source=path,
    )


def _warn_coarse(zones: gpd.GeoDataFrame, z: pd.DataFrame, cell_area: float, path: Path) -> None:
    """Buurten without any cell with data, and buurten smaller than one cell, by name."""
    names = zones["buurtnaam"] if "buurtnaam" in zones else zones["buurtcode"]
    label = names.astype("string").fillna(zones["buurtcode"].astype("string"))
    none = (z["n_cellen"] == 0).to_numpy()
    small = (zones.geometry.area.to_numpy() < cell_area) & ~none
    side = f"{np.sqrt(cell_area):g} m"
    if none.any():
        warnings.warn(
            f"{path.name}: {int(none.sum())} van {len(z)} buurten zonder rastercel met "
            f"gegevens (geen leefbaarometer_score): {', '.join(label[none].head(10))}"
            + (" …" if none.sum() > 10 else ""),
            DataWarning,
            stacklevel=3,
        )
    if small.sum() > len(z) / 4:
        warnings.warn(
            f"{path.name}: raster te grof voor de buurten: {int(small.sum())} van {len(z)} "
            f"buurten zijn kleiner dan één rastercel ({side}); hun score is (een deel van) "
            f"die van de omliggende cel(len): {', '.join(label[small].head(10))}"
            + (" …" if small.sum() > 10 else "")
            + ". Gebruik het 100 m-grid of de buurttabel van de Leefbaarometer",
            DataWarning,
            stacklevel=3,
        )


def _grid_result(
    z: pd.DataFrame, n_valid: int, outside: int, rejects: Rejects, path: Path
) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "buurtcode": z["buurtcode"].astype("string"),
            "leefbaarometer_score": z["gemiddelde"],
            "leefbaarometer_mediaan": z["mediaan"],
            "leefbaarometer_dekking": z["dekking"],
            # each cell with data counted once (in the buurt holding most of it): accounting
            "n_cellen": z["n_cellen_toegewezen"],
            "bron_rij": pd.array([pd.NA] * len(z), dtype="Int64"),
        }
    )
    if outside:
        rejects.records.append(
            {
                "bestand": path.name,
                "bron_rij": None,
                "reden": "buiten_buurten",
                "kolom": None,
                "waarde": "rastercellen",
                "aantal": outside,
            }
        )
    attach(out, source=path.name, n_read=n_valid, rejects=rejects)
    return out


def _read_raster(
    path: Path, buurten: gpd.GeoDataFrame | None, *, crs: str | None, band: int
) -> pd.DataFrame:
    import rasterio

    if buurten is None:
        raise InputError(
            "een raster heeft de buurten nodig om er waarden per buurt van te maken. "
            "Oplossing: read_liveability(pad, buurten=...)",
            source=path,
        )
    try:
        src = rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        raise InputError(f"kan niet als raster geopend worden: {exc}", source=path) from None
    with src:
        raster_crs = src.crs if src.crs is not None else crs
        if raster_crs is None:
            raise InputError(
                "het raster heeft geen coördinatenstelsel (CRS); verwacht EPSG:28992 "
                "(het Leefbaarometer-grid is RD New). Oplossing: stel het in met "
                "`gdal_edit.py -a_srs EPSG:28992 bestand.tif` of geef crs='EPSG:28992' mee",
                source=path,
            )
        arr = src.read(band, masked=False)
        transform = src.transform
        nodata = src.nodata
        bounds = src.bounds
    extent = gpd.GeoDataFrame(geometry=[shapely.box(*bounds)], crs=raster_crs)
    check_crs_matches_coordinates(extent, source=path)
    _check_plausible(arr, nodata, path)
    cols = ["buurtcode", "geometry"] + (["buurtnaam"] if "buurtnaam" in buurten else [])
    zones = buurten[cols].to_crs(raster_crs)
    try:
        z = zonal_statistics(zones, arr, transform, nodata=nodata)
    except InputError as exc:
        raise InputError(str(exc), source=path) from None
    if z.attrs["cellen_in_meer_buurten"]:
        raise InputError(
            f"{z.attrs['cellen_in_meer_buurten']} rastercel(len) met gegevens liggen geheel "
            "in twee of meer buurten: de buurten overlappen elkaar. Controleer het "
            "buurtenbestand (elke plek hoort bij één buurt)",
            source=path,
        )
    _warn_coarse(zones, z, abs(transform.a * transform.e), path)
    valid = _valid(arr, nodata)
    n_valid = int(np.count_nonzero(valid))
    outside = n_valid - int(z["n_cellen_toegewezen"].sum())
    return _grid_result(z, n_valid, outside, Rejects(path.name), path)


def _read_cells(path: Path, buurten: gpd.GeoDataFrame | None) -> pd.DataFrame:
    """The Leefbaarometer grid as polygon cells: a mean per buurt, each cell weighted by the
    share of its area inside the buurt (as for a raster)."""
    if buurten is None:
        raise InputError(
            "rastercellen (vlakken) hebben de buurten nodig. Oplossing: "
            "read_liveability(pad, buurten=...)",
            source=path,
        )
    cells = read_vector(path)
    found = match_columns(
        [str(c) for c in cells.columns if c != cells.geometry.name],
        {"leefbaarometer_score": LIVEABILITY_INDICATORS["leefbaarometer_score"].aliases},
    )
    if not found:
        raise InputError(
            "geen kolom met de Leefbaarometer-score (lbm) in de rastercellen; gevonden: "
            f"{[c for c in cells.columns if c != cells.geometry.name][:15]}",
            source=path,
        )
    (col,) = found
    rejects = Rejects(path.name)
    df = pd.DataFrame({"bron_rij": np.arange(1, len(cells) + 1), "waarde": cells[col]})
    df.index = df["bron_rij"]
    num, bad = parse_number(df["waarde"].astype("string"), plausible=(1.0, 7.0))
    low, high = LIVEABILITY_INDICATORS["leefbaarometer_score"].plausible
    bad = bad | (num.notna() & ~num.between(low, high))
    ok = rejects.add_mask(df.assign(**{col: df["waarde"]}), bad, "ongeldige_waarde", column=col)
    keep = ok.index.to_numpy() - 1
    keep = keep[num.to_numpy()[keep] == num.to_numpy()[keep]]  # drop empty cells
    geoms = cells.geometry.to_numpy()[keep]
    values = num.to_numpy()[keep]
    zones = buurten.to_crs(cells.crs)
    tree = shapely.STRtree(geoms)
    bi, ci = tree.query(zones.geometry.to_numpy(), predicate="intersects")
    inter = shapely.area(shapely.intersection(zones.geometry.to_numpy()[bi], geoms[ci]))
    frac = inter / shapely.area(geoms[ci])
    pos = inter > 0
    n = len(zones)
    wsum = np.bincount(bi, weights=frac, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(bi, weights=frac * values[ci], minlength=n) / wsum
    area = zones.geometry.area.to_numpy()
    z = pd.DataFrame(
        {
            "buurtcode": zones["buurtcode"].to_numpy(),
            "gemiddelde": np.where(wsum > 0, mean, np.nan),
            "mediaan": np.nan,
            "n_cellen": np.bincount(bi[inter > 0], minlength=n),
            "n_cellen_toegewezen": _assign_cells(bi[pos], ci[pos], inter[pos], n),
            "dekking": np.where(area > 0, np.bincount(bi, weights=inter, minlength=n) / area, 0),
        }
    )
    outside = int(len(keep) - z["n_cellen_toegewezen"].sum())
    _warn_coarse(zones, z, float(np.median(shapely.area(geoms))) if len(geoms) else 0.0, path)
    n_read = int((num.notna() | bad).sum())  # cells with a value (as for a raster)
    out = _grid_result(z, n_read, 0, rejects, path)
    if outside:
        out.attrs["afgewezen"].append(
            {
                "bestand": path.name,
                "bron_rij": None,
                "reden": "buiten_buurten",
                "kolom": None,
                "waarde": "rastercellen (vlakken)",
                "aantal": outside,
            }
        )
    warn_rejected(path.name, rejects)
    return out


def read_liveability(
    path: str | Path,
    *,
    buurten: gpd.GeoDataFrame | None = None,
    crs: str | None = None,
    band: int = 1,
    jaar: int | None = None,
) -> pd.DataFrame:
    """Read Leefbaarometer scores per buurt from a table, a raster or grid cells.

    Parameters
    ----------
    path
        A CSV/XLSX table per buurt as published with Leefbaarometer 3.0 (``bu_code``,
        ``jaar``, ``lbm`` total score, ``afw`` its deviation from the national mean, and
        the five dimensions ``fys``, ``onv``, ``soc``, ``vrz``, ``won``; see
        :data:`~geoprestatie.sources.indicators.LIVEABILITY_INDICATORS`), optionally
        ``kl``/``klasse`` (1-9); or the 100 m grid as a GeoTIFF or as polygon cells
        (GPKG/SHP/GeoJSON), reduced per buurt by :func:`zonal_statistics` (coverage
        weighted).
    buurten
        Needed for a raster or grid cells: the buurten to reduce it to.
    crs
        CRS to assume for a raster without one.
    band
        Raster band.
    jaar
        For a table with several years (a ``jaar`` column): the year to use; by default
        the latest. Rows of other years are reported as ``ander_jaar``.

    Returns
    -------
    pandas.DataFrame
        One row per buurt: ``buurtcode``, ``leefbaarometer_score`` and what the source has
        (``leefbaarometer_klasse``, ``leefbaarometer_afwijking``, the dimensions; for a
        grid ``leefbaarometer_mediaan``, ``leefbaarometer_dekking``, ``n_cellen``),
        ``bron_rij``. Accounting in ``attrs`` (:mod:`geoprestatie.sources._tabular`); for a
        grid the records are cells with data.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "lbm.csv"
    >>> _ = p.write_text("bu_code;jaar;lbm;afw;fys\\nBU03070100;2022;4.123;0.051;-0.012\\n")
    >>> read_liveability(p)[["buurtcode", "leefbaarometer_score"]].values.tolist()
    [['BU03070100', 4.123]]
    """
    path = Path(path)
    if path.suffix.lower() in _RASTER_SUFFIXES:
        return _read_raster(path, buurten, crs=crs, band=band)
    if path.suffix.lower() in _VECTOR_SUFFIXES:
        return _read_cells(path, buurten)
    raw = canonical_columns(read_table(path), LIVEABILITY_ALIASES)
    lbm = match_columns([str(c) for c in raw.columns], indicator_aliases(LIVEABILITY_INDICATORS))
    raw = raw.rename(columns={k: v for k, v in lbm.items() if v not in raw.columns})
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
    df = rejects.add_mask(df, bad | code.isna(), "ongeldige_waarde", column="buurtcode")
    df = _one_year(df, rejects, jaar, source)
    df = rejects.add_mask(df, df["buurtcode"].duplicated(), "dubbele_code", column="buurtcode")
    df = _parse_scores(df, rejects)
    out = df.reset_index(drop=True)
    out["bron_rij"] = out["bron_rij"].astype("int64")
    attach(out, source=source, n_read=n_read, rejects=rejects)
    warn_rejected(source, rejects)
    return out


def _one_year(df: pd.DataFrame, rejects: Rejects, jaar: int | None, source: str) -> pd.DataFrame:
    """Keep the rows of one year (``jaar`` or the latest) of a multi-year table."""
    if "jaar" not in df:
        return df
    years, bad = parse_number(df["jaar"])
    df = rejects.add_mask(df, bad, "ongeldige_waarde", column="jaar")
    years = years.loc[df.index]
    present = sorted({int(y) for y in years.dropna()})
    if len(present) <= 1 and jaar is None:
        return df
    use = jaar if jaar is not None else present[-1]
    if use not in present:
        raise InputError(
            f"jaar {use} komt niet voor in de kolom 'jaar'; wel: {present}", source=source
        )
    return rejects.add_mask(df, years != use, "ander_jaar", column="jaar")


def _parse_scores(df: pd.DataFrame, rejects: Rejects) -> pd.DataFrame:
    """Parse the score columns with their plausible range; a row with a value outside it
    (a fill value, ``inf``, ``1e308``) or that is not a number is set aside and reported."""
    numeric = [c for c in df.columns if str(c).startswith("leefbaarometer_")]
    for col in numeric:
        ind = LIVEABILITY_INDICATORS.get(col)
        plausible = ind.plausible if ind is not None else None
        num, bad = parse_number(df[col], plausible=plausible)
        if col == "leefbaarometer_klasse":
            bad = bad | (num.notna() & ~num.isin(range(1, 10)))
        else:
            with np.errstate(invalid="ignore"):
                finite = np.isfinite(num) | num.isna()
            bad = bad | ~finite
            if plausible is not None:
                bad = bad | (num.notna() & ~num.between(*plausible))
        df = rejects.add_mask(df, bad, "ongeldige_waarde", column=col)
        df[col] = num.loc[df.index]
    if "leefbaarometer_klasse" in df:
        df["leefbaarometer_klasse"] = df["leefbaarometer_klasse"].astype("Int64")
    return df
