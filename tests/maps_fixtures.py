"""Fixtures for the presentation tests: the real chain on the demo data, and hand-made frames.

:func:`demo_chain` runs the real join -> SIA -> DIA -> prognosis -> monitor chain on the
Amersfoort demo data (``geoprestatie run``'s demo, synthetic corporation data) once per test
session; the hand-made frames are for tests whose expected answer is worked out by hand.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geoprestatie import pipeline
from geoprestatie.config import RunConfig, demo_config
from geoprestatie.errors import DataWarning


@functools.cache
def demo_chain() -> dict[str, Any]:
    """The stage outputs of the demo run (200 robustness draws; cached: do not modify)."""
    config = demo_config()
    tables = {**config.tables, "sia": {**config.section("sia"), "robustness": {"draws": 200}}}
    with warnings.catch_warnings():
        # the demo data's deliberate flaws warn; the join report accounts for them
        warnings.simplefilter("ignore", DataWarning)
        r = pipeline.run(RunConfig(tables, source=None))
    return {
        "buurten": r.buurten,
        "joined": r.joined,
        "config": r.sia_config,
        "prioritised": r.prioritised,
        "dia": r.dia_result,
        "prognosis": r.prognosis,
        "monitor": r.monitor,
    }


def hand_scored(grid: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The conftest 3 x 3 grid with SIA columns whose display is worked out by hand:
    buurten 0-6 eligible with known scores, 7 not eligible, 8 has only 3 dwellings."""
    g = grid.copy()
    g["woningen_corporaties"] = [1234, 800, 600, 400, 300, 200, 100, 50, 3]
    g["sia_score"] = [91.26, 80.0, 70.0, 60.0, 50.0, 40.0, 30.0, np.nan, 42.42]
    g["sia_rang"] = pd.array([1, 2, 3, 4, 5, 6, 7, None, 8], dtype="Int64")
    g["sia_geschikt"] = [True] * 7 + [False, True]
    g["sia_reden"] = [""] * 7 + ["geen Leefbaarometer-score", ""]
    g["bijdrage_aandeel_efg"] = [51.26, 40, 30, 20, 10, 5, 1, np.nan, 21.21]
    g["bijdrage_leefbaarometer"] = [40.0, 40, 40, 40, 40, 35, 29, np.nan, 21.21]
    g["kans_top_k"] = [0.97, 0.9, 0.5, 0.2, 0.1, 0.0, 0.0, np.nan, 0.3]
    g["rang_p05"] = pd.array([1, 1, 2, 3, 4, 5, 6, None, 7], dtype="Int64")
    g["rang_p95"] = pd.array([2, 3, 5, 6, 7, 7, 7, None, 8], dtype="Int64")
    g["robuust"] = [True, True, False, False, False, False, False, False, True]
    g["dia_id"] = pd.array(["D1", "D1"] + [None] * 7, dtype="string")
    g["dia_naam"] = pd.array(["Noord", "Noord"] + [None] * 7, dtype="string")
    return g


def hand_dia(scored: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The one DIA of :func:`hand_scored`: buurten 0 and 1 ("Noord", 2 km2)."""
    return scored.iloc[:2].dissolve(by=["dia_id", "dia_naam"], as_index=False)


def published(
    scored: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None = None, *, min_woningen: int = 5
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The public versions of a hand-made SIA frame and its DIAs (publication policy with
    the default minimum): what a renderer of ``publiek/`` gets."""
    from geoprestatie.publication import PublicationPolicy, publish_frames

    if areas is None:
        areas = gpd.GeoDataFrame({"dia_id": [], "buurtcodes": []}, geometry=[], crs=scored.crs)
    policy = PublicationPolicy(min_woningen=min_woningen)
    pub = publish_frames(table=scored, scored=scored, areas=areas, policy=policy)
    return pub.scored, pub.areas
