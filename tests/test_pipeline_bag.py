"""An address-only corporation export runs end to end through a small BAG extract."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geoprestatie import pipeline
from geoprestatie.config import load_config


def test_address_only_export_runs_with_every_unmatched_address_reported(tmp_path: Path) -> None:
    bag = gpd.GeoDataFrame(
        {
            "identificatie": ["0307010000000001", "0307010000000002", "0307010000000003"],
            "postcode": ["3811AB", "3811AB", "3811AB"],
            "huisnummer": [1, 3, 3],
            "huisletter": [None, "A", "B"],
            "toevoeging": [None, None, None],
        },
        geometry=[Point(155159, 463228), Point(155204, 463144), Point(155210, 463150)],
        crs="EPSG:28992",
    )
    bag.to_file(tmp_path / "bag.gpkg", layer="verblijfsobject", driver="GPKG")
    (tmp_path / "bezit.csv").write_text(
        "VHE-nummer;Postcode;Huisnummer;Energielabel\n"
        "V1;3811 AB;1;C\nV2;3811ab;3-A;D\nV3;3811AB;3;E\nV4;3811AB;99;F\n",
        encoding="utf-8",
    )
    (tmp_path / "run.toml").write_text(
        '[project]\nnaam = "test"\n[buurten]\ngemeente = "Amersfoort"\n'
        '[bronnen]\nvoorraad = "bezit.csv"\nbag = "bag.gpkg"\ncorporatie = "Portaal"\n'
        'indicatoren = "ingebouwd"\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path / "run.toml")
    with pytest.warns(UserWarning):
        stock, _ = pipeline.read_dwellings(config.section("bronnen"))
    assert stock["vhe_id"].tolist() == ["V1", "V2"]
    assert stock["corporatie"].unique().tolist() == ["Portaal"]
    reasons = sorted((r["bron_rij"], r["reden"]) for r in stock.attrs["afgewezen"])
    assert reasons == [(4, "dubbelzinnig_adres"), (5, "onbekend_adres")]
    assert stock.attrs["rijen_gelezen"] == 4
