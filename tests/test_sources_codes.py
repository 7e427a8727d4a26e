"""CBS codes written as numbers: the leading zeros a spreadsheet or a numeric column drops.

``BU03070100`` arrives as ``3070100`` (Excel number, CBS's ``gwb_code_8``) or ``BU3070100``;
``WK030701`` as ``30701`` in a column called wijkcode. Every reader that takes a buurtcode
goes through :func:`parse_buurtcode`; the heat plans (buurt or wijk) use the column name.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl

from geoprestatie.prognosis import read_mutation_plans
from geoprestatie.sources import read_heat_plans, read_stock


def _read(read, path: Path):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read(path)


def test_stock_buurtcode_as_excel_number(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["vhe_id", "corporatie", "buurtcode"])
    ws.append(["V1", "Portaal", 3070100])
    ws.append(["V2", "Portaal", "BU3070101"])
    ws.append(["V3", "Portaal", "bu 0307 0103"])
    wb.save(tmp_path / "bezit.xlsx")
    stock = _read(read_stock, tmp_path / "bezit.xlsx")
    assert stock["buurtcode"].tolist() == ["BU03070100", "BU03070101", "BU03070103"]
    assert stock.attrs["afgewezen"] == []


def test_too_short_number_is_still_reported(tmp_path: Path) -> None:
    path = tmp_path / "bezit.csv"
    path.write_text("vhe_id;corporatie;buurtcode\nV1;Portaal;3070100\nV2;Portaal;12\n")
    stock = _read(read_stock, path)
    assert stock["vhe_id"].tolist() == ["V1"]
    [reject] = stock.attrs["afgewezen"]
    assert (reject["bron_rij"], reject["kolom"], reject["waarde"]) == (3, "buurtcode", "12")


def test_heat_wijkcode_and_plans_buurtcode_as_numbers(tmp_path: Path) -> None:
    heat = tmp_path / "warmte.csv"
    heat.write_text("wijkcode;startjaar;strategie\n30701;2030;Warmtenet\n30702;2035;Warmtenet\n")
    plans = _read(read_heat_plans, heat)
    assert plans["code"].tolist() == ["WK030701", "WK030702"]
    assert plans["niveau"].tolist() == ["wijk", "wijk"]
    buurt = tmp_path / "warmte_buurt.csv"
    buurt.write_text("buurtcode;startjaar\n3070100;2030\n")
    assert _read(read_heat_plans, buurt)["code"].tolist() == ["BU03070100"]
    mutations = tmp_path / "plannen.csv"
    mutations.write_text(
        "corporatie;jaar;mutatie;aantal;buurtcode\nPortaal;2025;nieuwbouw;10;3073401\n"
    )
    assert _read(read_mutation_plans, mutations)["buurtcode"].tolist() == ["BU03073401"]
