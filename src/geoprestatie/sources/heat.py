"""Reader for heat-transition plans (Transitievisie Warmte, wijkuitvoeringsplannen, PBL)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geoprestatie._validate import BUURTCODE_PATTERN, WIJKCODE_PATTERN, require_columns
from geoprestatie.errors import DataWarning, InputError
from geoprestatie.sources._tabular import (
    Rejects,
    _cell_text,
    attach,
    canonical_columns,
    clean_code,
    parse_number,
    read_table,
    read_vector,
    restore_code,
    with_source_rows,
)
from geoprestatie.sources.aliases import HEAT_ALIASES
from geoprestatie.sources.startanalyse import is_startanalyse, read_startanalyse
from geoprestatie.sources.stock import warn_rejected

__all__ = ["HEAT_STRATEGIES", "normalise_strategy", "read_heat_plans"]

#: Canonical strategies and the keywords that identify them, tried in this order
#: (case-insensitive substring match on the source text).
HEAT_STRATEGIES: dict[str, tuple[str, ...]] = {
    "hybride": ("hybride", "hybrid"),
    "warmtenet": (
        "warmtenet",
        "warmte net",
        "warmtenetten",
        "wko",
        "stadsverwarming",
        "restwarmte",
        "collectie",
        "district heating",
    ),
    "all-electric": (
        "all-electric",
        "all electric",
        "allelectric",
        "volledig elektrisch",
        "elektrische warmtepomp",
        "lucht-water",
        "bodem",
        "individuele",
    ),
    "groen gas": ("groen gas", "groengas", "duurzaam gas", "waterstof"),
    "nog onbekend": ("onbekend", "nog niet", "nader te bepalen", "ntb", "n.t.b."),
}

_VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".fgb", ".gml")
_YEAR = re.compile(r"(19|20)\d{2}")
#: a buurt is reported as split when its second-largest plan polygon covers at least this share
SPLIT_SHARE = 0.05


def normalise_strategy(values: pd.Series) -> pd.Series:
    """Map free-text strategies onto :data:`HEAT_STRATEGIES` (NA where none matches).

    Examples
    --------
    >>> normalise_strategy(pd.Series(["Warmtenet met restwarmte", "Hybride warmtepomp",
    ...                               "Individuele lucht-water warmtepomp", "iets"])).tolist()
    ['warmtenet', 'hybride', 'all-electric', <NA>]
    """
    low = values.astype("string").str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    for name, keys in reversed(HEAT_STRATEGIES.items()):
        pattern = "|".join(re.escape(k) for k in keys)
        out = out.mask(low.str.contains(pattern, regex=True).fillna(False), name)
    return out


def _start_year(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First year in a value such as ``2030``, ``2025-2030`` or ``2030,0``; (Int64, invalid)."""
    text = values.astype("string")
    num, _ = parse_number(values)
    first = text.str.extract(r"((?:19|20)\d{2})", expand=False)
    year = num.where(num.between(1900, 2100) & (num % 1 == 0))
    year = year.fillna(pd.to_numeric(first, errors="coerce").astype("float64"))
    invalid = values.notna() & year.isna()
    return year.astype("Int64"), invalid.astype(bool)


def read_heat_plans(
    path: str | Path,
    *,
    buurten: gpd.GeoDataFrame | None = None,
    layer: str | None = None,
) -> pd.DataFrame:
    """Read heat-transition plans per buurt, per wijk, or as polygons.

    Parameters
    ----------
    path
        A CSV/XLSX table with ``code`` (a ``BU`` buurtcode or ``WK`` wijkcode), ``startjaar``
        (a year or a period such as ``2025-2030``; the first year is used) and/or
        ``strategie`` (free text, normalised by :data:`HEAT_STRATEGIES`; the original is kept
        as ``strategie_bron``); or a polygon vector file with those attributes, assigned to
        the buurten by largest overlap (needs ``buurten``). Aliases:
        :data:`geoprestatie.sources.aliases.HEAT_ALIASES`. The PBL Startanalyse (column
        ``pbl_laagste_strategie`` per ``wijkcode``) reads as it is, and so does PBL's own
        per-buurt ``<gemeente>_strategie.csv`` (:func:`~geoprestatie.sources.startanalyse.
        read_startanalyse`: cheapest strategy and its national costs as ``pbl_*`` columns).
    buurten
        Needed for polygons.
    layer
        Layer of a multi-layer vector file.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``niveau`` (``buurt`` | ``wijk``), ``startjaar`` (Int64), ``strategie``,
        ``strategie_bron``, extra columns, ``bron_rij``; polygons add ``overlap_aandeel``
        and ``gesplitst``. Accounting in ``attrs`` (:mod:`geoprestatie.sources._tabular`).

    Examples
    --------
    >>> from geoprestatie.datasets import STARTANALYSE_CSV, data_path
    >>> h = read_heat_plans(data_path(STARTANALYSE_CSV))
    >>> len(h), h["niveau"].iloc[0], h["strategie"].value_counts().to_dict()
    (30, 'wijk', {'hybride': 23, 'warmtenet': 5, 'all-electric': 2})
    """
    path = Path(path)
    if path.suffix.lower() in _VECTOR_SUFFIXES:
        return _read_polygons(path, buurten, layer=layer)
    table = read_table(path)
    if is_startanalyse([str(c) for c in table.columns]):
        return read_startanalyse(path)  # PBL Startanalyse per buurt, as downloaded
    raw = canonical_columns(table, HEAT_ALIASES)
    require_columns(
        raw,
        ["code"],
        source=path,
        one_of={"startjaar": ("startjaar",), "strategie": ("strategie",)},
        one_of_what="een plan",
        aliases="geoprestatie.sources.aliases.HEAT_ALIASES; code is een buurtcode of wijkcode",
        accepted=HEAT_ALIASES,
    )
    source = path.name
    rejects = Rejects(source)
    df = with_source_rows(raw)
    n_read = len(df)
    code = _restored(clean_code(df["code"]), raw.attrs.get("kolom_herkomst", {}).get("code"))
    is_bu = code.str.fullmatch(BUURTCODE_PATTERN).fillna(False)
    is_wk = code.str.fullmatch(WIJKCODE_PATTERN).fillna(False)
    df["code"] = code
    df["niveau"] = np.where(is_bu, "buurt", "wijk")
    df = rejects.add_mask(df, ~(is_bu | is_wk), "ongeldige_waarde", column="code")
    df = rejects.add_mask(df, df["code"].duplicated(), "dubbele_code", column="code")
    df = _parse_plan_values(df, rejects)
    out = _finish(df)
    attach(out, source=source, n_read=n_read, rejects=rejects)
    warn_rejected(source, rejects)
    return out


def _restored(code: pd.Series, header: str | None) -> pd.Series:
    """Codes written as numbers (leading zeros lost): a wijkcode in a column named after
    wijken, else a buurtcode when the digits fit one (:func:`restore_code`)."""
    name = (header or "").casefold()
    if "wijk" in name or name.startswith("wk"):
        return restore_code(code, "WK", 6)
    return restore_code(code, "BU", 8) if "buurt" in name or name.startswith("bu") else code


def _parse_plan_values(df: pd.DataFrame, rejects: Rejects) -> pd.DataFrame:
    if "startjaar" in df:
        year, bad = _start_year(df["startjaar"])
        df = rejects.add_mask(df, bad, "ongeldige_waarde", column="startjaar")
        df["startjaar"] = year.loc[df.index]
    else:
        df["startjaar"] = pd.array([pd.NA] * len(df), dtype="Int64")
    if "strategie" in df:
        strat = normalise_strategy(df["strategie"])
        df = rejects.add_mask(
            df, df["strategie"].notna() & strat.isna(), "ongeldige_waarde", column="strategie"
        )
        df = df.copy()
        df["strategie_bron"] = df["strategie"].astype("string")
        df["strategie"] = strat.loc[df.index]
    else:
        df["strategie"] = pd.array([pd.NA] * len(df), dtype="string")
        df["strategie_bron"] = pd.array([pd.NA] * len(df), dtype="string")
    return df


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    first = ["code", "niveau", "startjaar", "strategie", "strategie_bron"]
    rest = [c for c in df.columns if c not in (*first, "bron_rij", "geometry")]
    out = df[[*first, *rest, "bron_rij"]].reset_index(drop=True)
    out["code"] = out["code"].astype("string")
    out["niveau"] = out["niveau"].astype("string")
    out["bron_rij"] = out["bron_rij"].astype("int64")
    return out


def _read_polygons(
    path: Path, buurten: gpd.GeoDataFrame | None, *, layer: str | None
) -> pd.DataFrame:
    if buurten is None:
        raise InputError(
            "planvlakken hebben de buurten nodig om ze aan toe te wijzen. Oplossing: "
            "read_heat_plans(path, buurten=...)",
            source=path,
        )
    gdf = read_vector(path, layer=layer)
    attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).map(_cell_text)
    attrs = canonical_columns(attrs.drop(columns=["code"], errors="ignore"), HEAT_ALIASES)
    if not ({"startjaar", "strategie"} & set(attrs.columns)):
        raise InputError(
            "verplichte kolom(men) ontbreken; verwacht 'startjaar' en/of 'strategie'; gevonden "
            f"{list(attrs.columns)}",
            source=path,
        )
    source = path.name
    rejects = Rejects(source)
    df = attrs.drop(columns=["code"], errors="ignore")
    df.index = pd.RangeIndex(1, len(df) + 1)
    df["bron_rij"] = df.index.astype("int64")
    df["geometry"] = gdf.geometry.to_numpy()
    n_read = len(df)
    df = _parse_plan_values(df, rejects)
    plans = gpd.GeoDataFrame(df, geometry="geometry", crs=gdf.crs)
    inter = gpd.overlay(
        buurten[["buurtcode", "geometry"]],
        plans[["bron_rij", "geometry"]],
        how="intersection",
        keep_geom_type=True,
    )
    inter["opp"] = inter.geometry.area
    inter = inter.loc[inter["opp"] > 0]
    area = buurten.set_index("buurtcode").geometry.area
    inter["aandeel"] = inter["opp"].to_numpy() / area.loc[inter["buurtcode"]].to_numpy()
    inter = inter.sort_values(["buurtcode", "aandeel"], ascending=[True, False])
    second = inter.groupby("buurtcode")["aandeel"].nth(1)
    split_codes = set(
        inter.loc[second.index, "buurtcode"][second.to_numpy() >= SPLIT_SHARE].tolist()
    )
    best = inter.drop_duplicates("buurtcode")
    assigned = set(best["bron_rij"].tolist())
    touched = set(inter["bron_rij"].tolist())
    df = rejects.add_mask(df, ~df["bron_rij"].isin(touched), "geen_overlap", column=None)
    df = rejects.add_mask(df, ~df["bron_rij"].isin(assigned), "kleinere_overlap", column=None)
    merged = best[["buurtcode", "bron_rij", "aandeel"]].merge(
        df.drop(columns=["geometry"]), on="bron_rij", how="inner"
    )
    merged = merged.rename(columns={"buurtcode": "code", "aandeel": "overlap_aandeel"})
    merged["niveau"] = "buurt"
    merged["gesplitst"] = merged["code"].isin(split_codes)
    out = _finish(merged)
    if split_codes:
        warnings.warn(
            f"{source}: {len(split_codes)} buurt(en) verdeeld over meer planvlakken, "
            f"toegewezen aan de grootste overlap: {sorted(split_codes)[:10]}",
            DataWarning,
            stacklevel=3,
        )
    attach(out, source=source, n_read=n_read, rejects=rejects)
    warn_rejected(source, rejects)
    return out
