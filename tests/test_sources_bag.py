"""Address-only and BAG-id exports placed through a small BAG extract (GeoPackage schema)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geoprestatie.errors import InputError
from geoprestatie.sources import read_stock
from geoprestatie.sources.bag import bag_id, read_bag, split_huisnummer

# verblijfsobjecten as the BAG GeoPackage (PDOK bag-light.gpkg, layer verblijfsobject) has them
BAG = [  # identificatie, postcode, huisnummer, huisletter, toevoeging, x, y
    ("0307010000000001", "3811AB", 12, None, None, 155000, 463000),
    ("0307010000000002", "3811AB", 12, "A", None, 155010, 463000),
    ("0307010000000003", "3811AB", 12, "A", "2", 155020, 463000),
    ("0307010000000004", "3811AB", 14, None, "BIS", 155030, 463000),
    ("0307010000000005", "3811AB", 16, "B", None, 155040, 463000),
    ("0307010000000006", "3811AB", 16, "C", None, 155050, 463000),
    ("0307010000000007", "3811AC", 3, None, "A", 155060, 463000),
]


@pytest.fixture
def bag_gpkg(tmp_path: Path) -> Path:
    frame = gpd.GeoDataFrame(
        {
            "identificatie": [r[0] for r in BAG],
            "postcode": [r[1] for r in BAG],
            "huisnummer": [r[2] for r in BAG],
            "huisletter": [r[3] for r in BAG],
            "toevoeging": [r[4] for r in BAG],
            "status": ["Verblijfsobject in gebruik"] * len(BAG),
        },
        geometry=[Point(r[5], r[6]) for r in BAG],
        crs="EPSG:28992",
    )
    path = tmp_path / "bag.gpkg"
    frame.to_file(path, layer="pand", driver="GPKG")  # another layer first, as in bag-light
    frame.to_file(path, layer="verblijfsobject", driver="GPKG")
    return path


def test_spellings_of_bag_ids_and_huisnummers() -> None:
    ids = bag_id(pd.Series(["NL.IMBAG.Verblijfsobject.0307010000000001", "307010000000001"]))
    assert ids.tolist() == ["0307010000000001"] * 2
    assert bag_id(pd.Series(["12345678901234567", "abc"])).isna().all()
    parts = split_huisnummer(pd.Series(["12", "12a", "12-A", "12 A 2", "14 bis", "012"]))
    assert parts.fillna("").values.tolist() == [
        ["12", "", ""],
        ["12", "A", ""],
        ["12", "A", ""],
        ["12", "A", "2"],
        ["14", "", "BIS"],
        ["12", "", ""],
    ]


def test_address_only_export_is_placed_and_every_miss_reported(
    tmp_path: Path, bag_gpkg: Path
) -> None:
    stock_file = tmp_path / "bezit.csv"
    stock_file.write_text(
        "VHE-nummer;Postcode;Huisnummer;Toevoeging\n"
        "V1;3811 AB;12;\n"  # 12: exact
        "V2;3811ab;12-A;\n"  # 12-A: huisletter A
        "V3;3811AB;12A 2;\n"  # letter and toevoeging
        "V4;3811AB;14;bis\n"  # toevoeging in its own column
        "V5;3811AC;3;A\n"  # "A" that is a toevoeging in the BAG
        "V6;3811AB;16;\n"  # 16B and 16C: ambiguous
        "V7;3811AB;99;\n"  # unknown
        "V8;9999ZZ;1;\n",  # unknown postcode
        encoding="utf-8",
    )
    with pytest.warns(UserWarning, match="3 rij"):
        stock = read_stock(stock_file, corporatie="Portaal", bag=read_bag(bag_gpkg))
    assert stock["vhe_id"].tolist() == ["V1", "V2", "V3", "V4", "V5"]
    assert stock["bag_id"].str[-1].tolist() == ["1", "2", "3", "4", "7"]
    assert [g.x for g in stock.geometry] == [155000, 155010, 155020, 155030, 155060]
    rejected = sorted((r["bron_rij"], r["reden"], r["waarde"]) for r in stock.attrs["afgewezen"])
    assert rejected == [
        (7, "dubbelzinnig_adres", "3811AB 16"),
        (8, "onbekend_adres", "3811AB 99"),
        (9, "onbekend_adres", "9999ZZ 1"),
    ]
    assert stock.attrs["rijen_gelezen"] == 8


def test_bag_id_export_with_unknown_id(tmp_path: Path, bag_gpkg: Path) -> None:
    stock_file = tmp_path / "bezit.csv"
    stock_file.write_text(
        "vhe_id;corporatie;verblijfsobject_id\nV1;P;307010000000005\nV2;P;0307010000009999\n",
        encoding="utf-8",
    )
    with pytest.warns(UserWarning):
        stock = read_stock(stock_file, bag=read_bag(bag_gpkg))
    assert stock["vhe_id"].tolist() == ["V1"] and stock.geometry.iloc[0].x == 155040
    (rejected,) = stock.attrs["afgewezen"]
    assert (rejected["bron_rij"], rejected["reden"]) == (3, "onbekend_bag_id")


def test_address_without_bag_extract_says_how_to_fix(tmp_path: Path) -> None:
    stock_file = tmp_path / "bezit.csv"
    stock_file.write_text("vhe_id;corporatie;postcode;huisnummer\nV1;P;3811AB;12\n")
    with pytest.raises(InputError, match=r"\[bronnen\] bag = "):
        read_stock(stock_file)


def test_csv_bag_extract_with_rd_coordinates(tmp_path: Path) -> None:
    path = tmp_path / "adressen.csv"
    path.write_text(
        "identificatie;postcode;huisnummer;huisletter;toevoeging;x;y\n"
        "307010000000001;3811 AB;12;;;155000,5;463000\n",
        encoding="utf-8",
    )
    bag = read_bag(path)
    assert bag[["bag_id", "postcode", "huisnummer", "x"]].values.tolist() == [
        ["0307010000000001", "3811AB", "12", 155000.5]
    ]


def test_one_corporation_file_and_a_contradicting_config(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("vhe_id;x;y\nA1;155000;463000\n", encoding="utf-8")
    assert read_stock(path, corporatie="Portaal")["corporatie"].tolist() == ["Portaal"]
    path.write_text("vhe_id;corporatie;x;y\nA1;Portaal;155000;463000\nA2;Mitros;1;2\n")
    with pytest.raises(InputError, match=r"zegt 'Mitros', maar \[bronnen\] corporatie"):
        read_stock(path, corporatie="Portaal")
