"""read_buurten on real and deliberately broken CBS-like files."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Polygon

from geoprestatie.datasets import BUURTEN_GPKG, data_path
from geoprestatie.errors import DataWarning, InputError
from geoprestatie.sources import read_buurten


def test_shipped_geopackage() -> None:
    b = read_buurten(data_path(BUURTEN_GPKG))  # picks layer "buurten" among four
    assert len(b) == 310
    assert b.crs.to_epsg() == 28992
    assert {"jaar", "oppervlakte_ha"} <= set(b.columns)


def test_shapefile_uppercase_wgs84(tmp_path: Path, amersfoort: gpd.GeoDataFrame) -> None:
    src = amersfoort.head(5)[
        ["buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "gemeentenaam", "geometry"]
    ].to_crs(4326)
    shp = src.rename(
        columns={
            "buurtcode": "BU_CODE",
            "buurtnaam": "BU_NAAM",
            "wijkcode": "WK_CODE",
            "gemeentecode": "GM_CODE",
            "gemeentenaam": "GM_NAAM",
        }
    )
    shp["AANT_INW"] = [100, -99999999, 250, -99999997, 5]
    shp["P_HUURWON"] = [40.0, -99997.0, 12.0, 55.0, 61.0]
    path = tmp_path / "wijkenbuurten_2019.shp"
    shp.to_file(path)
    b = read_buurten(path)
    assert b.crs.to_epsg() == 28992
    assert b["buurtcode"].tolist() == amersfoort["buurtcode"].head(5).tolist()
    # the CBS fields become the canonical indicators (secrecy codes -> missing, % -> 0-1)
    assert b["inwoners"].isna().tolist() == [False, True, False, True, False]
    assert b["aandeel_huur"].tolist()[2:] == [0.12, 0.55, 0.61]
    assert b.attrs["indicatoren_bron"] == {"inwoners": "AANT_INW", "aandeel_huur": "P_HUURWON"}
    # reprojected back to RD New within a metre of the original
    assert (b.geometry.centroid.distance(amersfoort.head(5).geometry.centroid) < 1).all()


def test_statcode_fields(tmp_path: Path, amersfoort: gpd.GeoDataFrame) -> None:
    src = amersfoort.head(3)[["buurtcode", "buurtnaam", "geometry"]]
    src = src.rename(columns={"buurtcode": "statcode", "buurtnaam": "statnaam"})
    path = tmp_path / "pdok.geojson"
    src.to_file(path)
    b = read_buurten(path)
    assert b["wijkcode"].tolist() == amersfoort["wijkcode"].head(3).tolist()
    assert b["gemeentecode"].eq("GM0307").all()


def test_file_without_crs(tmp_path: Path, amersfoort: gpd.GeoDataFrame) -> None:
    path = tmp_path / "nocrs.shp"
    cols = ["buurtcode", "buurtnaam", "geometry"]
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        amersfoort.head(3)[cols].set_crs(None, allow_override=True).to_file(path)
    with pytest.raises(InputError, match=r"nocrs\.shp.*geen coördinatenstelsel.*EPSG:28992"):
        read_buurten(path)
    assert len(read_buurten(path, crs="EPSG:28992")) == 3


def test_duplicate_codes_named_with_rows(tmp_path: Path, amersfoort: gpd.GeoDataFrame) -> None:
    src = amersfoort.head(4).copy()
    src.loc[3, "buurtcode"] = src.loc[1, "buurtcode"]
    path = tmp_path / "dup.gpkg"
    src.to_file(path)
    with pytest.raises(InputError, match=r"dup\.gpkg, kolom 'buurtcode', rijen 2, 4: dubbele"):
        read_buurten(path)


def test_bad_code_format(tmp_path: Path, amersfoort: gpd.GeoDataFrame) -> None:
    src = amersfoort.head(3).copy()
    src.loc[2, "buurtcode"] = "BU0307"
    path = tmp_path / "bad.gpkg"
    src.to_file(path)
    with pytest.raises(InputError, match=r"rij 3: buurtcode\(s\) \['BU0307'\].*'BU' \+ 8 cijfers"):
        read_buurten(path)


def test_invalid_polygon_repaired_and_reported(tmp_path: Path) -> None:
    bowtie = Polygon([(0, 0), (100, 100), (100, 0), (0, 100), (0, 0)])
    square = Polygon([(200, 0), (300, 0), (300, 100), (200, 100)])
    src = gpd.GeoDataFrame(
        {"buurtcode": ["BU99990001", "BU99990002"], "buurtnaam": ["Strik", "Vierkant"]},
        geometry=[bowtie, square],
        crs=28992,
    )
    path = tmp_path / "bowtie.gpkg"
    src.to_file(path)
    with pytest.warns(
        DataWarning,
        match=r"bowtie\.gpkg: 1 ongeldige geometrie.*hersteld.*BU99990001: snijdt zichzelf",
    ):
        b = read_buurten(path)
    assert b.geometry.is_valid.all()
    assert b.geometry.area.iloc[0] == pytest.approx(5000)
    assert b.geometry.geom_type.iloc[0] == "MultiPolygon"


def test_unknown_gemeente_in_file() -> None:
    with pytest.raises(InputError, match=r"'Zwolle'.*Amersfoort \(GM0307\)"):
        read_buurten(data_path(BUURTEN_GPKG), gemeente="Zwolle")


def test_missing_file_and_missing_code_column(tmp_path: Path, amersfoort) -> None:
    with pytest.raises(InputError, match=r"nope\.gpkg: bestand niet gevonden"):
        read_buurten(tmp_path / "nope.gpkg")
    path = tmp_path / "nocode.geojson"
    amersfoort.head(2)[["buurtnaam", "geometry"]].to_file(path)
    with pytest.raises(
        InputError, match=r"geen kolom met de buurtcode gevonden.*gevonden \['buurtnaam'\]"
    ):
        read_buurten(path)


def test_layer_choice(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"laag is 'x'.*'buurten', 'wijken'"):
        read_buurten(data_path(BUURTEN_GPKG), layer="x")


def test_gemeente_by_name_keeps_buurten_without_a_name_in_the_file(
    tmp_path: Path, amersfoort: gpd.GeoDataFrame
) -> None:
    # half the buurten without gemeentenaam (their gemeentecode is there): selecting by
    # name kept only the named half, silently
    partly = amersfoort.copy()
    partly["gemeentenaam"] = partly["gemeentenaam"].where(partly.index % 2 == 0, None)
    partly.to_file(tmp_path / "b.gpkg", layer="buurten")
    by_name = read_buurten(tmp_path / "b.gpkg", gemeente="Amersfoort")
    assert len(by_name) == len(amersfoort)
    assert len(read_buurten(tmp_path / "b.gpkg", gemeente="GM307")) == len(amersfoort)


def test_buurtcodes_as_exports_write_them(tmp_path: Path, amersfoort: gpd.GeoDataFrame) -> None:
    odd = amersfoort.copy()
    odd["buurtcode"] = odd["buurtcode"].str.lower()
    odd.loc[0, "buurtcode"] = odd.loc[0, "buurtcode"][2:].lstrip("0")  # a number: 3070000
    odd.to_file(tmp_path / "b.gpkg", layer="buurten")
    got = read_buurten(tmp_path / "b.gpkg")
    assert got["buurtcode"].tolist() == amersfoort["buurtcode"].tolist()


def test_csv_with_wkt_polygons(tmp_path: Path, amersfoort: gpd.GeoDataFrame) -> None:
    table = amersfoort.drop(columns="geometry").assign(geometry_wkt=amersfoort.geometry.to_wkt())
    table.to_csv(tmp_path / "buurten.csv", index=False)
    got = read_buurten(tmp_path / "buurten.csv", crs="EPSG:28992")
    assert got["buurtcode"].tolist() == amersfoort["buurtcode"].tolist()
    assert got.geometry.area.sum() == pytest.approx(amersfoort.geometry.area.sum())
