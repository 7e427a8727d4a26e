"""Workbooks as exports make them: formulas, merged cells, dates, numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from geoprestatie.errors import DataWarning, InputError
from geoprestatie.sources import read_sales, read_stock
from geoprestatie.sources._excel import cell_text
from geoprestatie.sources._tabular import read_table

HEADER = ["vhe_id", "corporatie", "x", "y", "huurprijs"]


def _book(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return wb


def test_formulas_without_cached_values_name_the_cells(tmp_path: Path) -> None:
    path = tmp_path / "v.xlsx"
    _book(path, [["A1", "P", 155000, 463000, "=600*1.02"], ["A2", "P", 155000, 463000, 610]])
    wb = openpyxl.load_workbook(path)
    wb.active["E4"] = "=E3+1"
    wb.active["A4"], wb.active["B4"], wb.active["C4"], wb.active["D4"] = "A3", "P", 1, 2
    wb.save(path)
    with pytest.raises(InputError) as info:
        read_stock(path)
    message = str(info.value)
    assert "2 cel(len) met een formule zonder opgeslagen waarde (E2, E4)" in message
    assert "open het bestand in Excel en sla het op" in message


def test_merged_cells_are_filled_down_and_said(tmp_path: Path) -> None:
    path = tmp_path / "v.xlsx"
    rows: list[list[object]] = [
        ["A1", "Portaal", 155000, 463000, 600],
        ["A2", None, 155100, 463100, 610],
        ["A3", None, 155200, 463200, 620],
    ]
    wb = _book(path, rows)
    wb.active.merge_cells("B2:B4")
    wb.save(path)
    with pytest.warns(DataWarning, match=r"1 samengevoegd\(e\) celbereik\(en\) \(B2:B4\)"):
        stock = read_stock(path)
    assert stock["corporatie"].tolist() == ["Portaal"] * 3


def test_excel_dates_and_numbers_become_unambiguous_text(tmp_path: Path) -> None:
    assert cell_text(dt.datetime(2024, 5, 1)) == "2024-05-01"
    assert cell_text(dt.datetime(2024, 5, 1, 13, 30)) == "2024-05-01 13:30:00"
    assert cell_text(dt.date(2024, 5, 1)) == "2024-05-01"
    # a numeric cell is a number: 123.456 must not look like the thousands 123456
    assert cell_text(123.456) == "123.4560"
    assert cell_text(-1.5) == "-1.5" and cell_text(1050.0) == "1050"
    path = tmp_path / "t.xlsx"
    _book(path, [[dt.datetime(2024, 5, 1), 123.456]], header=["peildatum", "waarde"])
    table = read_table(path)
    assert table.loc[2].tolist() == ["2024-05-01", "123.4560"]


def test_numeric_excel_rent_of_three_decimals_is_read_as_is(tmp_path: Path) -> None:
    path = tmp_path / "v.xlsx"
    _book(path, [["A1", "P", 155000, 463000, 612.125], ["A2", "P", 155000, 463000, 700]])
    assert read_stock(path)["huurprijs"].tolist() == [612.125, 700.0]


def test_template_style_workbook_picks_the_sheet_of_each_dataset(tmp_path: Path) -> None:
    path = tmp_path / "levering.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Toelichting"
    wb.active.append(["Uitleg"])
    stock = wb.create_sheet("Voorraad")
    stock.append(HEADER)
    stock.append(["A1", "P", 155000, 463000, 600])
    sales = wb.create_sheet("Verkoop")
    sales.append(["vhe_id", "corporatie", "jaar", "status"])
    sales.append(["A1", "P", 2026, "gepland"])
    wb.save(path)
    assert read_stock(path)["vhe_id"].tolist() == ["A1"]
    assert read_sales(path)["jaar"].tolist() == [2026]
