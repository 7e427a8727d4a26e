"""read_liveability: per-buurt tables and rasters; zonal statistics against rasterstats."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine

from geoprestatie.errors import DataWarning, InputError
from geoprestatie.sources import read_liveability, zonal_statistics


def _write_raster(path: Path, arr: np.ndarray, *, crs: str | None, nodata: float = -9999) -> Path:
    profile = {
        "driver": "GTiff",
        "width": arr.shape[1],
        "height": arr.shape[0],
        "count": 1,
        "dtype": "float32",
        "transform": Affine(100, 0, 150_000, 0, -100, 451_000),
        "nodata": nodata,
    }
    if crs is not None:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(arr.astype("float32"), 1)
    return path


def test_raster_per_buurt_by_hand(tmp_path: Path, grid_buurten: gpd.GeoDataFrame) -> None:
    # 30 x 30 cells of 100 m over the 3 x 3 km grid: each buurt holds 10 x 10 cells
    arr = np.zeros((30, 30))
    arr[:10, :10] = np.arange(100).reshape(10, 10)  # buurt 0: values 0..99
    arr[:10, 10:20] = 5.0
    arr[:10, 10:15] = -9999  # buurt 1: half nodata
    arr[10:20, 10:20] = -9999  # buurt 4: no data at all
    path = _write_raster(tmp_path / "lbm.tif", arr, crs="EPSG:28992")
    live = read_liveability(path, buurten=grid_buurten)
    assert live["buurtcode"].tolist() == grid_buurten["buurtcode"].tolist()
    assert live.loc[0, "leefbaarometer_score"] == pytest.approx(49.5)
    assert live.loc[0, "leefbaarometer_mediaan"] == pytest.approx(49.5)
    assert live.loc[1, "leefbaarometer_score"] == 5.0
    assert live.loc[1, "leefbaarometer_dekking"] == 0.5
    assert np.isnan(live.loc[4, "leefbaarometer_score"])
    assert live.loc[4, "leefbaarometer_dekking"] == 0.0
    assert live.attrs["rijen_gelezen"] == 900 - 50 - 100


def test_raster_cells_outside_buurten_are_counted(
    tmp_path: Path, grid_buurten: gpd.GeoDataFrame
) -> None:
    arr = np.ones((40, 30))  # 10 extra rows of cells south of the grid
    path = _write_raster(tmp_path / "lbm.tif", arr, crs="EPSG:28992")
    live = read_liveability(path, buurten=grid_buurten)
    assert live.attrs["rijen_gelezen"] == 1200
    [rec] = live.attrs["afgewezen"]
    assert (rec["reden"], rec["aantal"]) == ("buiten_buurten", 300)
    assert live["n_cellen"].sum() == 900


def test_raster_without_crs(tmp_path: Path, grid_buurten: gpd.GeoDataFrame) -> None:
    path = _write_raster(tmp_path / "nocrs.tif", np.ones((30, 30)), crs=None)
    with rasterio.open(path) as src:
        assert src.crs is None
    with pytest.raises(InputError, match=r"no coordinate reference system.*crs='EPSG:28992'"):
        read_liveability(path, buurten=grid_buurten)
    live = read_liveability(path, buurten=grid_buurten, crs="EPSG:28992")
    assert (live["leefbaarometer_score"] == 1.0).all()


def test_raster_needs_buurten(tmp_path: Path) -> None:
    path = _write_raster(tmp_path / "lbm.tif", np.ones((3, 3)), crs="EPSG:28992")
    with pytest.raises(InputError, match="needs the buurten"):
        read_liveability(path)


# rasterstats itself multiplies affine transforms with `*`, which affine deprecates
@pytest.mark.filterwarnings("ignore:Use `@` matmul:PendingDeprecationWarning")
def test_zonal_statistics_equal_rasterstats(amersfoort: gpd.GeoDataFrame) -> None:
    rasterstats = pytest.importorskip("rasterstats")
    rng = np.random.default_rng(1)
    minx, miny, maxx, maxy = amersfoort.total_bounds
    transform = Affine(100, 0, minx - 500, 0, -100, maxy + 500)
    shape = (int((maxy - miny) / 100) + 10, int((maxx - minx) / 100) + 10)
    arr = rng.normal(4, 0.3, shape)
    arr[rng.random(shape) < 0.1] = -9999
    ours = zonal_statistics(amersfoort, arr, transform, nodata=-9999)
    theirs = rasterstats.zonal_stats(
        list(amersfoort.geometry), arr, affine=transform, nodata=-9999, stats=["mean", "median"]
    )
    mean = np.array([np.nan if t["mean"] is None else t["mean"] for t in theirs])
    median = np.array([np.nan if t["median"] is None else t["median"] for t in theirs])
    np.testing.assert_allclose(ours["gemiddelde"], mean, rtol=1e-12)
    np.testing.assert_allclose(ours["mediaan"], median, rtol=1e-12)


def test_table_with_class_and_dimensions(tmp_path: Path) -> None:
    path = tmp_path / "lbm.csv"
    path.write_text(
        "bu_code;lbm;kl;fys;soc\nBU03070100;4,22;7;0,02;-0,04\nBU03070101;4,1;12;0;0\n"
        "BU03070100;4,0;6;0;0\nXX;4,0;6;0;0\n",
        encoding="cp1252",
    )
    with pytest.warns(DataWarning):
        live = read_liveability(path)
    assert live["buurtcode"].tolist() == ["BU03070100"]
    assert live.loc[0, "leefbaarometer_klasse"] == 7
    assert live.loc[0, "leefbaarometer_fysieke_omgeving"] == 0.02
    assert sorted((r["bron_rij"], r["reden"]) for r in live.attrs["afgewezen"]) == [
        (3, "ongeldige_waarde"),
        (4, "dubbele_code"),
        (5, "ongeldige_waarde"),
    ]


def test_table_missing_score(tmp_path: Path) -> None:
    path = tmp_path / "lbm.csv"
    path.write_text("buurtcode;iets\nBU03070100;1\n")
    with pytest.raises(InputError) as exc:
        read_liveability(path)
    assert str(exc.value) == (
        f"{path}: missing required column(s) ['leefbaarometer_score'] [accepted names: "
        "leefbaarometer_score (or lbm, lbm_score, leefbarometer_score, score, leefbaarheid)]; "
        "expected "
        "['buurtcode', 'leefbaarometer_score'] (aliases: "
        "geoprestatie.sources.aliases.LIVEABILITY_ALIASES); found ['buurtcode', 'iets']"
    )


def test_per_municipality_windows_match_one_window(grid_buurten: gpd.GeoDataFrame) -> None:
    rng = np.random.default_rng(5)
    arr = rng.normal(4, 1, (60, 70))  # grid larger than the buurten, offset origin
    arr[rng.random(arr.shape) < 0.2] = np.nan
    transform = Affine(100, 0, 149_500, 0, -100, 452_000)
    two = grid_buurten.assign(gemeentecode=["GM0001"] * 4 + ["GM0002"] * 5)
    one = grid_buurten.drop(columns="gemeentecode")
    a = zonal_statistics(two, arr, transform)
    b = zonal_statistics(one, arr, transform)
    pd.testing.assert_frame_equal(a, b)
    assert (a["n_cellen_totaal"] == 100).all()
