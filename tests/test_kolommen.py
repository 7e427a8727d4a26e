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
