"""join: at most ``corporatie_kolommen`` per-corporation columns, the rest summed."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from geoprestatie.errors import ConfigError
from geoprestatie.join import JoinConfig, join_sources


def _stock(corporations: list[str]) -> gpd.GeoDataFrame:
    """One dwelling per entry, all in the first buurt of the grid (x 150000-151000)."""
    n = len(corporations)
    out = gpd.GeoDataFrame(
        {"vhe_id": [str(i) for i in range(n)], "corporatie": corporations},
        geometry=[Point(150_100 + i, 450_500) for i in range(n)],
        crs=28992,
    )
    out["bron_rij"] = np.arange(2, n + 2)
    return out


def test_the_largest_corporations_keep_a_column(grid_buurten: gpd.GeoDataFrame) -> None:
    # sizes 5, 4, 4, 3, 1, 1: the three largest (ties by name) get a column
    corps = ["E"] * 5 + ["C"] * 4 + ["D"] * 4 + ["B"] * 3 + ["A", "F"]
    res = join_sources(grid_buurten, stock=_stock(corps), config=JoinConfig(corporatie_kolommen=3))
    t = res.table.set_index("buurtcode")
    cols = sorted(c for c in t.columns if c.startswith("woningen_"))
    assert cols == [
        "woningen_c",
        "woningen_corporaties",
        "woningen_d",
        "woningen_e",
        "woningen_overige_corporaties",
    ]
    first = t.loc["BU99990000"]
    assert (first["woningen_e"], first["woningen_c"], first["woningen_d"]) == (5, 4, 4)
    assert first["woningen_overige_corporaties"] == 5  # B 3 + A 1 + F 1: nothing lost
    assert first["woningen_corporaties"] == len(corps)
    assert first["n_corporaties"] == 6  # counted over every corporation, not the columns


def test_few_corporations_have_no_rest_column(grid_buurten: gpd.GeoDataFrame) -> None:
    res = join_sources(grid_buurten, stock=_stock(["A", "B", "B"]))
    assert "woningen_overige_corporaties" not in res.table.columns
    assert {"woningen_a", "woningen_b"} <= set(res.table.columns)


@pytest.mark.parametrize("bad", [0, 101, 2.5, True, "12"])
def test_bad_column_limit_is_one_dutch_line(bad: object) -> None:
    with pytest.raises(ConfigError, match="corporatie_kolommen"):
        JoinConfig.from_dict({"corporatie_kolommen": bad})


def test_column_sums_equal_the_total(grid_buurten: gpd.GeoDataFrame) -> None:
    rng = np.random.default_rng(3)
    corps = [f"C{int(i)}" for i in rng.integers(0, 30, 300)]
    res = join_sources(grid_buurten, stock=_stock(corps), config=JoinConfig(corporatie_kolommen=5))
    t = res.table
    parts = [c for c in t.columns if c.startswith("woningen_") and c != "woningen_corporaties"]
    assert len(parts) == 6
    pd.testing.assert_series_equal(
        t[parts].sum(axis=1), t["woningen_corporaties"], check_names=False, check_dtype=False
    )
