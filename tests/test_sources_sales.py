"""read_sales: status spellings, years, references and own locations."""

from __future__ import annotations

from pathlib import Path

import pytest

from geoprestatie.errors import DataWarning, InputError
from geoprestatie.sources import read_sales


def test_statuses_years_and_reports(tmp_path: Path) -> None:
    path = tmp_path / "verkoop.csv"
    path.write_text(
        "VHE;Verkoopjaar;Status\nA1;2026;Gepland\nA2;2024;Verkocht\nA3;20xx;voorgenomen\n"
        "A4;2027;misschien\nA1;2028;voorgenomen\n",
        encoding="utf-8",
    )
    with pytest.warns(DataWarning):
        s = read_sales(path)
    assert s[["vhe_id", "jaar", "status"]].values.tolist() == [
        ["A1", 2026, "voorgenomen"],
        ["A2", 2024, "gerealiseerd"],
    ]
    assert sorted((r["bron_rij"], r["reden"], r["kolom"]) for r in s.attrs["afgewezen"]) == [
        (4, "ongeldige_waarde", "jaar"),
        (5, "ongeldige_waarde", "status"),
        (6, "dubbel_vhe_id", "vhe_id"),
    ]
    assert s.attrs["rijen_gelezen"] == 5


def test_own_location_without_vhe_id(tmp_path: Path) -> None:
    path = tmp_path / "verkoop.csv"
    path.write_text("x,y,jaar,status\n155000,463000,2026,voorgenomen\n,,2026,voorgenomen\n")
    with pytest.warns(DataWarning):
        s = read_sales(path)
    assert len(s) == 1 and s.geometry.iloc[0].x == 155000
    assert [r["reden"] for r in s.attrs["afgewezen"]] == ["geen_locatie"]


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "verkoop.csv"
    path.write_text("vhe_id;jaar\nA1;2026\n")
    with pytest.raises(
        InputError, match=r"verplichte kolom\(men\) ontbreken: \['status'\].*gevonden"
    ):
        read_sales(path)
    path.write_text("jaar;status\n2026;verkocht\n")
    with pytest.raises(InputError) as exc:
        read_sales(path)
    assert str(exc.value) == (
        f"{path}: geen kolommen voor een verwijzing; verwacht ['jaar', 'status'] en een "
        "verwijzing: vhe_id (verwijzing naar de voorraad), x+y (RD New), lon+lat (WGS84), "
        "buurtcode, adres (postcode + huisnummer, met een BAG-extract) of bag_id (met een "
        "BAG-extract) (andere namen: geoprestatie.sources.aliases.SALES_ALIASES); gevonden "
        "['jaar', 'status']"
    )


def test_same_vhe_id_of_two_corporations_is_two_sales(tmp_path: Path) -> None:
    path = tmp_path / "verkoop.csv"
    path.write_text(
        "vhe_id;corporatie;jaar;status\n"
        "1001;Portaal;2026;gepland\n"
        "1001;de Alliantie;2026;gepland\n"
        "1001;Portaal;2027;verkocht\n"
    )
    with pytest.warns(DataWarning, match="1 rij"):
        s = read_sales(path)
    assert s[["vhe_id", "corporatie"]].values.tolist() == [
        ["1001", "Portaal"],
        ["1001", "de Alliantie"],
    ]
    assert [(r["bron_rij"], r["reden"]) for r in s.attrs["afgewezen"]] == [(4, "dubbel_vhe_id")]
