"""The column glossary (output/kolommen.py)."""

from __future__ import annotations

import pandas as pd

from geoprestatie.output.kolommen import COLUMNS, FORMATS, THEMES, describe


def test_every_entry_is_complete() -> None:
    for name, kolom in COLUMNS.items():
        assert kolom.kop and kolom.uitleg.endswith((".", ")")), name
        assert kolom.soort in FORMATS and kolom.thema in THEMES, name
        assert "_" not in kolom.kop, name  # users read words, not snake_case


def test_families_and_fallback() -> None:
    assert describe("huur_betaalbaar_laag").soort == "count"
    assert describe("koopwoning_percentage").kop == "Koopwoning (%)"
    assert describe("afstand_tot_cafe_km").kop == "Afstand tot cafe (km)"
    assert describe("voorraad_2030").kop == "Voorraad 2030"
    unknown = describe("iets_nieuws", values=pd.Series([True]))
    assert unknown.kop == "Iets nieuws" and unknown.soort == "bool" and unknown.uitleg


def test_meaning_per_table() -> None:
    assert describe("jaar").kop == "Jaar indeling"
    assert describe("jaar", table="prognose").kop == "Jaar"
    assert describe("2022-2023", table="prognose_samenvatting").kop == "Mutatie 2022-2023"
    assert describe("Totaal", table="prognose_samenvatting").soort == "count"


def test_columns_the_run_makes_are_explained_not_called_input() -> None:
    """The workbook's 'Overig' sheet headed the SIA's own columns "Kans rang 1", "Centraal
    gewicht energielabel efg", "Wat nodig l1", "Dia rol" and explained them as "Kolom uit de
    invoer … zonder vaste toelichting"; CBS's age band read "Aantal inwoners tussen 25 44"."""
    labels = {"energielabel_efg": "Aandeel E/F/G-labels"}
    for name in ("kans_rang_1", "centraal_gewicht_energielabel_efg", "wat_nodig_l1",
                 "wat_nodig_tekst", "betrouwbaarheid", "dia_rol"):  # fmt: skip
        k = describe(name, labels=labels)
        assert "Kolom uit de invoer" not in k.uitleg and "_" not in k.kop, (name, k)
    assert describe("kans_rang_1").soort == "share"
    assert describe("centraal_gewicht_energielabel_efg", labels=labels).kop == (
        "Centraal gewicht Aandeel E/F/G-labels"
    )
    assert describe("aantal_inwoners_tussen_25_44_percentage").kop == (
        "Aantal inwoners tussen 25 en 44 jaar (%)"
    )
