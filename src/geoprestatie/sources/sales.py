"""Reader for planned and realised sales of corporation dwellings."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geoprestatie._validate import RD_NEW, require_columns
from geoprestatie.sources._tabular import (
    Rejects,
    aligned,
    attach,
    canonical_columns,
    parse_number,
    points,
    with_source_rows,
)
from geoprestatie.sources.aliases import SALES_ALIASES
from geoprestatie.sources.stock import (
    LOCATION_COLUMNS,
    _one_corporation,
    dwelling_key,
    locate,
    read_frame,
    warn_rejected,
)

__all__ = ["SALES_STATUS", "read_sales"]

#: Canonical status values and the spellings accepted for them (case-insensitive).
SALES_STATUS: dict[str, tuple[str, ...]] = {
    "voorgenomen": ("voorgenomen", "gepland", "planned", "verkoopvijver", "te koop", "intended"),
    "gerealiseerd": ("gerealiseerd", "verkocht", "realised", "realized", "sold"),
}


def read_sales(
    path: str | Path,
    *,
    layer: str | None = None,
    bag: pd.DataFrame | None = None,
    corporatie: str | None = None,
) -> gpd.GeoDataFrame:
    """Read planned or realised sales into the sales schema.

    Parameters
    ----------
    path
        CSV, XLSX or a point vector file with ``vhe_id`` (referring to the stock) and/or an
        own location (``x``/``y``, ``lon``/``lat`` or ``buurtcode``), ``jaar`` and ``status``
        (:data:`SALES_STATUS`). Aliases: :data:`geoprestatie.sources.aliases.SALES_ALIASES`.
        An optional ``corporatie`` column says whose ``vhe_id`` it is: a dwelling is
        (``corporatie``, ``vhe_id``) and without it a ``vhe_id`` that several corporations
        use cannot be linked (:func:`geoprestatie.sources.stock.link_to_stock`).
    layer
        Layer of a multi-layer vector file.
    bag
        A BAG extract to place sales given by address or BAG id (as for
        :func:`geoprestatie.sources.read_stock`).
    corporatie
        The corporation of a one-corporation file (``[bronnen] corporatie``); a file whose
        ``corporatie`` column names another one contradicts it (an error, as for the stock).

    Returns
    -------
    geopandas.GeoDataFrame
        ``vhe_id``, ``jaar`` (Int64), ``status``, ``buurtcode`` (own, or NA), ``bron_rij``,
        geometry (own location or None); rejected rows in ``attrs`` as for
        :func:`geoprestatie.sources.read_stock`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "verkoop.csv"
    >>> _ = p.write_text("vhe_id;jaar;status\\nA1;2026;Gepland\\nA2;2027;verkocht\\n")
    >>> read_sales(p)[["vhe_id", "jaar", "status"]].values.tolist()
    [['A1', 2026, 'voorgenomen'], ['A2', 2027, 'gerealiseerd']]
    """
    path = Path(path)
    raw = read_frame(path, layer=layer, sheet_for=("jaar", "status"), aliases=SALES_ALIASES)
    raw = canonical_columns(raw, SALES_ALIASES)
    if corporatie is not None:
        raw = _one_corporation(raw, corporatie, source=path)
    require_columns(
        raw,
        ["jaar", "status"],
        source=path,
        one_of={"vhe_id (verwijzing naar de voorraad)": ("vhe_id",), **LOCATION_COLUMNS},
        one_of_what="een verwijzing",
        aliases="geoprestatie.sources.aliases.SALES_ALIASES",
        accepted=SALES_ALIASES,
    )
    has_loc = any(set(cols) <= set(raw.columns) for cols in LOCATION_COLUMNS.values())
    source = path.name
    rejects = Rejects(source)
    df = with_source_rows(raw)
    if "vhe_id" not in df:
        df["vhe_id"] = pd.NA
    n_read = len(df)
    # one dwelling is sold once: (corporatie, vhe_id) when the file names the corporation
    key = dwelling_key(df) if "corporatie" in df else df["vhe_id"]
    df = rejects.add_mask(df, key.notna() & key.duplicated(), "dubbel_vhe_id", column="vhe_id")
    if has_loc:
        df = locate(df, rejects, source=path, required=False, bag=bag)
    else:
        df = df.assign(x=float("nan"), y=float("nan"), buurtcode=pd.Series(pd.NA, index=df.index))
    no_ref = df["vhe_id"].isna() & (df["x"].isna() | df["y"].isna()) & df["buurtcode"].isna()
    df = rejects.add_mask(df, no_ref, "geen_locatie", column="vhe_id")
    jaar, bad = parse_number(df["jaar"])
    bad = bad | jaar.isna() | ~jaar.between(1900, 2100) | (jaar % 1 != 0)
    df = rejects.add_mask(df, bad, "ongeldige_waarde", column="jaar")
    lookup = {alias: canon for canon, names in SALES_STATUS.items() for alias in names}
    status = df["status"].astype("string").str.strip().str.lower().map(lookup)
    df = rejects.add_mask(df, status.isna(), "ongeldige_waarde", column="status")
    out = pd.DataFrame(
        {
            "vhe_id": df["vhe_id"].astype("string"),
            "jaar": aligned(jaar, df.index).astype("Int64"),
            "status": aligned(status, df.index).astype("string"),
            "buurtcode": df["buurtcode"].astype("string"),
        }
    )
    extra = [c for c in df.columns if c not in {*out.columns, "x", "y", "lon", "lat", "bron_rij"}]
    for col in extra:
        out[col] = df[col]
    out["bron_rij"] = df["bron_rij"].astype("int64")
    geom = points(df["x"], df["y"])
    gdf = gpd.GeoDataFrame(out.reset_index(drop=True), geometry=geom, crs=RD_NEW)
    attach(gdf, source=source, n_read=n_read, rejects=rejects)
    warn_rejected(source, rejects)
    return gdf
