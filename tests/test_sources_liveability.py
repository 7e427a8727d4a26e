"""read_liveability: Leefbaarometer tables, rasters and grid cells; bad raster input."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from affine import Affine

from geoprestatie.errors import DataWarning, InputError
from geoprestatie.sources import read_liveability, zonal_statistics

GRID_100M = Affine(100, 0, 150_000, 0, -100, 451_000)


def _write_raster(
    path: Path,
    arr: np.ndarray,
    *,
    crs: str | None,
    nodata: float | None = -9999,
    transform: Affine = GRID_100M,
    dtype: str = "float32",
) -> Path:
    profile: dict[str, object] = {
        "driver": "GTiff",
        "width": arr.shape[1],
        "height": arr.shape[0],
        "count": 1,
        "dtype": dtype,
        "transform": transform,
    }
    if nodata is not None:
        profile["nodata"] = nodata
    if crs is not None:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(arr.astype(dtype), 1)
    return path


def test_raster_per_buurt_by_hand(tmp_path: Path, grid_buurten: gpd.GeoDataFrame) -> None:
    # 30 x 30 cells of 100 m over the 3 x 3 km grid: each buurt holds 10 x 10 cells
    arr = np.full((30, 30), 4.0)
    arr[:10, :10] = 3 + np.arange(100).reshape(10, 10) / 100  # buurt 0: 3.00 .. 3.99
    arr[:10, 10:20] = 5.0
    arr[:10, 10:15] = -9999  # buurt 1: half nodata
    arr[10:20, 10:20] = -9999  # buurt 4: no data at all
    path = _write_raster(tmp_path / "lbm.tif", arr, crs="EPSG:28992")
    with pytest.warns(DataWarning, match=r"1 van 9 buurten zonder rastercel met gegevens.*Buurt 4"):
        live = read_liveability(path, buurten=grid_buurten)
    assert live["buurtcode"].tolist() == grid_buurten["buurtcode"].tolist()
    assert live.loc[0, "leefbaarometer_score"] == pytest.approx(3.495)
    assert live.loc[1, "leefbaarometer_score"] == 5.0
    assert live.loc[1, "leefbaarometer_dekking"] == 0.5
    assert np.isnan(live.loc[4, "leefbaarometer_score"])
    assert live.loc[4, "leefbaarometer_dekking"] == 0.0
    assert live.attrs["rijen_gelezen"] == 900 - 50 - 100


def test_raster_cells_weighted_by_their_share_in_the_buurt(
    tmp_path: Path, grid_buurten: gpd.GeoDataFrame
) -> None:
    # grid shifted by half a cell: every border cell lies half in two buurten
    arr = np.full((31, 31), 4.0)
    arr[:, 10] = 6.0  # the column of cells straddling buurt 0 and buurt 1
    t = Affine(100, 0, 149_950, 0, -100, 451_050)
    path = _write_raster(tmp_path / "half.tif", arr, crs="EPSG:28992", transform=t)
    live = read_liveability(path, buurten=grid_buurten)
    # buurt 0 (x 150000-151000): 10 columns of 4.0 (first and last half), the half column of 6.0
    # weights per row: 0.5 + 9 + 0.5 (that half is the 6.0 column) -> (0.5*4 + 9*4 + 0.5*6) / 10
    assert live.loc[0, "leefbaarometer_score"] == pytest.approx((0.5 * 4 + 9 * 4 + 0.5 * 6) / 10)
    assert (live["leefbaarometer_dekking"] == 1.0).all()


def test_fill_value_not_tagged_as_nodata_is_one_clear_error(
    tmp_path: Path, grid_buurten: gpd.GeoDataFrame
) -> None:
    arr = np.full((30, 30), 4.2)
    arr[:5] = -9999
    path = _write_raster(tmp_path / "lbm.tif", arr, crs="EPSG:28992", nodata=None)
    with pytest.raises(InputError, match=r"150 rastercel.*-9999 \(150x\).*nodata.*geen.*gdal_edit"):
        read_liveability(path, buurten=grid_buurten)


@pytest.mark.parametrize("bad", [np.inf, 1e308, -np.inf, 42.0])
def test_non_finite_or_impossible_scores_refused(
    tmp_path: Path, grid_buurten: gpd.GeoDataFrame, bad: float
) -> None:
    arr = np.full((30, 30), 4.2)
    arr[3, 3] = bad
    path = _write_raster(tmp_path / "lbm.tif", arr, crs="EPSG:28992", dtype="float64")
    with pytest.raises(InputError, match=r"1 rastercel\(len\).*geen Leefbaarometer-score"):
        read_liveability(path, buurten=grid_buurten)


def test_coarse_raster_names_the_buurten(tmp_path: Path, amersfoort: gpd.GeoDataFrame) -> None:
    minx, miny, maxx, maxy = amersfoort.total_bounds
    shape = (int((maxy - miny) / 1000) + 2, int((maxx - minx) / 1000) + 2)
    path = tmp_path / "km.tif"
    profile = {"driver": "GTiff", "width": shape[1], "height": shape[0], "count": 1,
               "dtype": "float32", "crs": "EPSG:28992",
               "transform": Affine(1000, 0, minx - 500, 0, -1000, maxy + 500)}  # fmt: skip
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.full(shape, 4.0, dtype="float32"), 1)
    with pytest.warns(DataWarning, match=r"raster te grof.*van 145 buurten.*kleiner dan één"):
        live = read_liveability(path, buurten=amersfoort)
    assert live["leefbaarometer_score"].notna().all()  # every buurt still gets its cells' value


def test_raster_crs_label_contradicting_coordinates(
    tmp_path: Path, grid_buurten: gpd.GeoDataFrame
) -> None:
    path = _write_raster(tmp_path / "lbm.tif", np.full((30, 30), 4.0), crs="EPSG:4326")
    with pytest.raises(InputError, match=r"EPSG:4326 \(graden\).*geen graden.*RD New"):
        read_liveability(path, buurten=grid_buurten)


def test_grid_as_vector_cells_equals_the_raster(
    tmp_path: Path, grid_buurten: gpd.GeoDataFrame
) -> None:
    rng = np.random.default_rng(3)
    arr = rng.uniform(3.5, 4.5, (31, 31))
    t = Affine(100, 0, 149_950, 0, -100, 451_050)
    path = tmp_path / "grid.tif"
    profile = {"driver": "GTiff", "width": 31, "height": 31, "count": 1, "dtype": "float64",
               "transform": t, "crs": "EPSG:28992"}  # fmt: skip
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(arr, 1)
    rows, cols = np.indices(arr.shape)
    cells = gpd.GeoDataFrame(
        {"lbm": arr.ravel()},
        geometry=shapely.box(
            149_950 + cols.ravel() * 100, 451_050 - (rows.ravel() + 1) * 100,
            149_950 + (cols.ravel() + 1) * 100, 451_050 - rows.ravel() * 100,
        ),
        crs=28992,
    )  # fmt: skip
    cells.to_file(tmp_path / "grid.gpkg")
    from_raster = read_liveability(path, buurten=grid_buurten)
    from_cells = read_liveability(tmp_path / "grid.gpkg", buurten=grid_buurten)
    np.testing.assert_allclose(
        from_cells["leefbaarometer_score"], from_raster["leefbaarometer_score"], rtol=1e-12
    )
    assert from_cells.attrs["rijen_gelezen"] == 31 * 31


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
    with pytest.raises(InputError, match=r"geen coördinatenstelsel.*crs='EPSG:28992'"):
        read_liveability(path, buurten=grid_buurten)
    live = read_liveability(path, buurten=grid_buurten, crs="EPSG:28992")
    assert (live["leefbaarometer_score"] == 1.0).all()


def test_raster_needs_buurten(tmp_path: Path) -> None:
    path = _write_raster(tmp_path / "lbm.tif", np.ones((3, 3)), crs="EPSG:28992")
    with pytest.raises(InputError, match="heeft de buurten nodig"):
        read_liveability(path)


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
        f"{path}: verplichte kolom(men) ontbreken: ['leefbaarometer_score'] [toegestane namen: "
        "leefbaarometer_score (of lbm, lbm_score, leefbarometer_score, score, leefbaarheid)]; "
        "verwacht "
        "['buurtcode', 'leefbaarometer_score'] (andere namen: "
        "geoprestatie.sources.aliases.LIVEABILITY_ALIASES); gevonden ['buurtcode', 'iets']"
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


def test_published_buurt_table_with_all_scores(tmp_path: Path) -> None:
    # Leefbaarometer 3.0 buurt download: bu_code, jaar, lbm, afw and the five dimensions
    path = tmp_path / "Leefbaarometer-scores buurten 2002-2022.csv"
    path.write_text(
        "bu_code,jaar,lbm,afw,fys,onv,soc,vrz,won\n"
        "BU03070100,2020,4.101,0.021,0.010,-0.050,-0.010,0.200,0.031\n"
        "BU03070100,2022,4.123,0.051,0.012,-0.140,-0.040,0.240,0.050\n"
        "BU03070101,2022,4.262,0.190,0.020,-0.100,-0.030,0.240,0.021\n"
        "BU03070102,2022,inf,0.19,0.02,-0.1,-0.03,0.24,0.02\n",
        encoding="utf-8",
    )
    with pytest.warns(DataWarning, match="apart gezet"):
        live = read_liveability(path)
    # 4.123 is a score (1-7), never 4123: not set aside as ambiguous
    assert live["leefbaarometer_score"].tolist() == [4.123, 4.262]
    assert live["leefbaarometer_afwijking"].tolist() == [0.051, 0.19]
    assert live.loc[0, "leefbaarometer_overlast_onveiligheid"] == -0.14
    assert {
        "leefbaarometer_fysieke_omgeving", "leefbaarometer_sociale_samenhang",
        "leefbaarometer_voorzieningen", "leefbaarometer_woningvoorraad",
    } <= set(live.columns)  # fmt: skip
    reasons = sorted((r["bron_rij"], r["reden"]) for r in live.attrs["afgewezen"])
    assert reasons == [(2, "ander_jaar"), (5, "ongeldige_waarde")]  # the older year; inf
    with pytest.warns(DataWarning, match="3 rij"):
        older = read_liveability(path, jaar=2020)
    assert older["leefbaarometer_score"].tolist() == [4.101]


def test_dimension_scores_are_sia_criteria(tmp_path: Path, grid_buurten: gpd.GeoDataFrame) -> None:
    from geoprestatie.join import join_sources
    from geoprestatie.sia import SiaConfig, prioritise

    path = tmp_path / "lbm.csv"
    rows = [f"BU9999000{i};4.{100 + i};0.0{i};-0.{i}1" for i in range(9)]
    path.write_text("bu_code;lbm;fys;onv\n" + "\n".join(rows) + "\n", encoding="utf-8")
    table = join_sources(grid_buurten, liveability=read_liveability(path)).table
    config = SiaConfig.from_dict(
        {"criteria": [{"name": "overlast", "label": "Overlast en onveiligheid",
                       "column": "leefbaarometer_overlast_onveiligheid", "direction": "lower",
                       "weight": 1}],
         "robustness": {"draws": 10}}
    )  # fmt: skip
    out = prioritise(table, config)
    assert out.sort_values("sia_rang")["buurtcode"].iloc[0] == "BU99990008"  # most overlast


@pytest.mark.parametrize("year_header", ["JAAR", "Jaar", "year"])
def test_table_year_column_in_any_spelling_keeps_the_latest_year(
    tmp_path: Path, year_header: str
) -> None:
    path = tmp_path / "lbm.csv"
    path.write_text(
        f"BU_CODE;{year_header};LBM\nBU03070100;2020;3,9\nBU03070100;2022;4,1\n"
        "BU03070101;2020;4,0\nBU03070101;2022;4,2\n"
    )
    with pytest.warns(DataWarning):
        got = read_liveability(path)
    assert got["leefbaarometer_score"].tolist() == [4.1, 4.2]
    assert {r["reden"] for r in got.attrs["afgewezen"]} == {"ander_jaar"}
