"""Shared fixtures: the embedded buurten and small hand-made frames.

``scored_grid`` / ``dia_grid`` (the hand-made SIA and DIA frames of the presentation tests:
maps, plots, report) are built by :mod:`maps_fixtures`.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from maps_fixtures import hand_dia, hand_scored
from shapely.geometry import box

from geoprestatie import datasets


@pytest.fixture(scope="session")
def buurten_all() -> gpd.GeoDataFrame:
    return datasets.load_buurten()


@pytest.fixture(scope="session")
def amersfoort() -> gpd.GeoDataFrame:
    return datasets.load_buurten("Amersfoort")


@pytest.fixture
def grid_buurten() -> gpd.GeoDataFrame:
    """A 3 x 3 grid of 1 km buurten in RD New, codes BU99990000 ... BU99990008 (row-major)."""
    rows = []
    for i in range(9):
        r, c = divmod(i, 3)
        rows.append(
            {
                "buurtcode": f"BU9999000{i}",
                "buurtnaam": f"Buurt {i}",
                "wijkcode": f"WK99990{r}",
                "gemeentecode": "GM9999",
                "gemeentenaam": "Testdorp",
                "geometry": box(
                    150_000 + c * 1000, 450_000 - r * 1000, 151_000 + c * 1000, 451_000 - r * 1000
                ),
            }
        )
    return gpd.GeoDataFrame(rows, crs=28992)


@pytest.fixture
def scored_grid(grid_buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """:func:`maps_fixtures.hand_scored` on :func:`grid_buurten`."""
    return hand_scored(grid_buurten)


@pytest.fixture
def dia_grid(scored_grid: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """:func:`maps_fixtures.hand_dia`: the one DIA of :func:`scored_grid`."""
    return hand_dia(scored_grid)
