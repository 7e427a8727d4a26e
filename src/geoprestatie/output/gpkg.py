"""The GeoPackage of a run (``geoprestatie.gpkg``): one layer per spatial result, for GIS."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geoprestatie.output._mapdata import prognosis_totals
from geoprestatie.output.tables import plain
from geoprestatie.result import RunResult

__all__ = ["prognosis_layer", "write_gpkg"]


def prognosis_layer(projected: pd.DataFrame, buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame | None:
    """Buurt polygons with the projected corporation stock per year (wide), for QGIS."""
    if "buurtcode" not in projected.columns:
        return None
    totals = prognosis_totals(projected)
    wide = totals.pivot(index="buurtcode", columns="jaar", values="eindstand")
    wide.columns = [f"voorraad_{int(y)}" for y in wide.columns]
    first = totals[totals["jaar"] == totals["jaar"].min()].set_index("buurtcode")
    last = totals[totals["jaar"] == totals["jaar"].max()].set_index("buurtcode")
    wide["beginstand"] = first["beginstand"]
    wide["verandering"] = last["verandering_start"]
    layer = buurten[["buurtcode", "buurtnaam", "geometry"]].merge(
        wide.reset_index(), on="buurtcode", how="inner"
    )
    return gpd.GeoDataFrame(layer, geometry="geometry", crs=buurten.crs)


def _layers(result: RunResult, *, dwellings: bool) -> list[tuple[str, gpd.GeoDataFrame]]:
    table = result.table
    scored = result.dia_result.buurten  # prioritised + dia_id, dia_naam, dia_reden
    layers: list[tuple[str, gpd.GeoDataFrame]] = [
        ("buurttabel", table),
        ("sia", gpd.GeoDataFrame(scored, geometry="geometry", crs=table.crs)),
        ("dia", result.dia_result.areas),
    ]
    if result.prognosis is not None:
        layer = prognosis_layer(result.prognosis, result.buurten)
        if layer is not None:
            layers.append(("prognose", layer))
    if dwellings and result.joined.stock is not None:
        stock = result.joined.stock
        located = stock[stock.geometry.notna()] if "geometry" in stock else stock.iloc[0:0]
        layers.append(("woningen", gpd.GeoDataFrame(located, geometry="geometry", crs=table.crs)))
    return layers


def write_gpkg(result: RunResult, folder: Path, *, dwellings: bool = False) -> list[Path]:
    """Write ``geoprestatie.gpkg`` into ``folder``: buurttabel, sia, dia, prognose layers
    (and ``woningen``, the located dwellings, with ``dwellings=True``)."""
    gpkg = folder / "geoprestatie.gpkg"
    for name, frame in _layers(result, dwellings=dwellings):
        frame = gpd.GeoDataFrame(frame.copy(), geometry="geometry", crs=frame.crs)
        for col in frame.columns:
            if col != "geometry" and frame[col].dtype == object:
                frame[col] = plain(frame[[col]])[col].astype("string")
        frame.to_file(gpkg, layer=name, driver="GPKG")
    return [gpkg]
