"""[koppeling] partities: placing over dask partitions gives the in-process placement."""

from __future__ import annotations

import builtins

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geoprestatie import _partitioned
from geoprestatie.errors import ConfigError
from geoprestatie.join import JoinConfig, assign_buurten, join_sources

pytest.importorskip("dask_geopandas")


def _grid(n: int = 6) -> gpd.GeoDataFrame:
    cells = [
        box(x * 100, y * 100, x * 100 + 100, y * 100 + 100) for x in range(n) for y in range(n)
    ]
    codes = [f"BU{i:08d}" for i in range(len(cells))]
    return gpd.GeoDataFrame(
        {"buurtcode": codes, "buurtnaam": codes, "gemeentenaam": "G"}, geometry=cells, crs=28992
    )


def _points(rng: np.random.Generator, n: int) -> np.ndarray:
    # inside, on shared borders, within 50 m outside, and far outside
    xy = rng.uniform(-120, 720, size=(n, 2))
    xy[: n // 10] = np.round(xy[: n // 10] / 100) * 100
    return gpd.points_from_xy(xy[:, 0], xy[:, 1]).to_numpy()


@pytest.mark.parametrize("partitions", [1, 3, 64, 5000])
def test_partitions_place_every_point_as_in_process(partitions: int) -> None:
    buurten = _grid()
    geoms = _points(np.random.default_rng(partitions), 2_000)
    expected = assign_buurten(geoms, buurten, tolerance_m=50)
    got = _partitioned.assign_partitioned(
        geoms, lambda g: assign_buurten(g, buurten, tolerance_m=50), partitions
    )
    assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1])
    assert (expected[1] == 1).any() and (expected[1] == -1).any()  # snapped and outside


def test_join_accounting_is_the_same_with_partitions() -> None:
    buurten = _grid()
    geoms = _points(np.random.default_rng(7), 1_500)
    stock = gpd.GeoDataFrame(
        {"vhe_id": [f"V{i}" for i in range(len(geoms))], "corporatie": "C"},
        geometry=geoms,
        crs=28992,
    )
    here = join_sources(buurten, stock=stock)
    parts = join_sources(buurten, stock=stock, config=JoinConfig(partities=8))
    pd.testing.assert_frame_equal(here.report.to_frame(), parts.report.to_frame())
    pd.testing.assert_frame_equal(here.report.not_joined, parts.report.not_joined)
    pd.testing.assert_frame_equal(pd.DataFrame(here.table), pd.DataFrame(parts.table))


def test_partitions_config_is_checked_and_names_the_missing_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ConfigError, match="partities is -1"):
        JoinConfig(partities=-1)
    real = builtins.__import__

    def no_dask(name: str, *args: object, **kwargs: object) -> object:
        if name == "dask_geopandas":
            raise ImportError(name)
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(ConfigError, match=r"pip install 'geoprestatie\[dask\]'"):
        _partitioned.assign_partitioned(_points(np.random.default_rng(1), 10), len, 2)
