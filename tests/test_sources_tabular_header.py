"""The header as exports write it: title rows above it, columns without a name.

Files as ERP systems and Excel users deliver them: a title and a date above the header
(CSV and XLSX, also a merged group row), trailing separators that leave empty columns
without a name, a column of notes without a name. Every reader goes through
:func:`read_table`, so the class is tested there and once through :func:`read_stock`.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
import pytest

from geoprestatie.errors import DataWarning, InputError
from geoprestatie.sources import read_sales, read_stock
from geoprestatie.sources._tabular import read_table

HEADER = "vhe_id;corporatie;x;y;energielabel;bouwjaar"
ROWS = ["V1;Portaal;155159;463228;A;1979", "V2;Portaal;155204;463144;B;1980"]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _quiet(read, path: Path):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = read(path)
    return out, [str(w.message) for w in caught if issubclass(w.category, DataWarning)]


@pytest.mark.parametrize(
    "above",
    [
        ["Overzicht bezit per 01-01-2024"],  # one cell: a ragged row for a CSV parser
        ["Overzicht bezit per 01-01-2024;;;;;", ";;;;;"],  # padded to the width, then empty
        ["Rapport;Bezit", "Peildatum;01-01-2024", ""],  # label;value lines
    ],
)
def test_csv_title_rows_above_the_header_are_skipped_and_said(
    tmp_path: Path, above: list[str]
) -> None:
    path = _write(tmp_path / "bezit.csv", [*above, HEADER, *ROWS])
    stock, said = _quiet(read_stock, path)
    header_row = len(above) + 1
    assert stock["vhe_id"].tolist() == ["V1", "V2"]
    # rows keep the numbers the user sees in Excel
    assert stock["bron_rij"].tolist() == [header_row + 1, header_row + 2]
    assert any(f"kopregel staat op rij {header_row}" in s and "bezit.csv" in s for s in said)


def test_xlsx_title_and_merged_group_rows_above_the_header(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Bezit per 1-1-2024"])
    ws.append(["Woning", None, "Locatie", None, "Kenmerken", None])
    ws.merge_cells("A2:B2")
    ws.merge_cells("C2:D2")
    ws.append(HEADER.split(";"))
    for row in ROWS:
        ws.append([int(c) if c.isdigit() else c for c in row.split(";")])
    wb.save(tmp_path / "bezit.xlsx")
    stock, said = _quiet(read_stock, tmp_path / "bezit.xlsx")
    assert stock["vhe_id"].tolist() == ["V1", "V2"]
    assert stock["bron_rij"].tolist() == [4, 5]
    assert any("kopregel staat op rij 3" in s for s in said)


def test_header_on_row_one_is_kept_even_with_a_sparse_first_data_row(tmp_path: Path) -> None:
    path = _write(tmp_path / "v.csv", ["vhe_id;jaar;status", "V1;;", "V2;2025;voorgenomen"])
    table, said = _quiet(read_table, path)
    assert list(table.columns) == ["vhe_id", "jaar", "status"]
    assert table.index.tolist() == [2, 3]
    assert said == []


def test_trailing_separators_and_unnamed_columns(tmp_path: Path) -> None:
    # two empty columns without a name (trailing ';;') crashed read_stock and read_sales
    path = _write(tmp_path / "v.csv", ["vhe_id;jaar;status;;", "V1;2025;voorgenomen;;", ";;;;"])
    sales, _ = _quiet(read_sales, path)
    assert sales["vhe_id"].tolist() == ["V1"]
    path = _write(tmp_path / "b.csv", [HEADER + ";;;", *(r + ";;opmerking;" for r in ROWS)])
    stock, _ = _quiet(read_stock, path)
    assert len(stock) == 2
    table = read_table(path)
    # empty unnamed columns left out, an unnamed column with data named by its letter
    assert list(table.columns) == [*HEADER.split(";"), "kolom H"]


def test_rows_longer_than_the_header_are_an_error_naming_them(tmp_path: Path) -> None:
    # a first row with more fields than the header (unquoted commas in an address): pandas
    # took its extra leading fields as an index, shifted every value and dropped the next
    # row without a word; nor is the header taken for a title above a wider row
    path = _write(
        tmp_path / "v.csv",
        ["vhe_id,jaar,status", "V1,2025,voorgenomen,Straat 1,a,b,c,d,e", "V2,2025,voorgenomen"],
    )
    with pytest.raises(InputError, match=r"rij 2: .*1 rij\(en\) met meer velden dan de kopregel"):
        read_table(path)
    # trailing empty fields are no data: read as before
    path = _write(tmp_path / "w.csv", ["vhe_id,jaar,status", "V1,2025,voorgenomen,,", "V2,2025"])
    assert read_table(path).fillna("").values.tolist() == [
        ["V1", "2025", "voorgenomen"], ["V2", "2025", ""]
    ]  # fmt: skip


def test_short_header_over_wider_data_rows_stays_the_header(tmp_path: Path) -> None:
    # unnamed calculation columns right of the data make the data rows wider than the
    # header: the header is no title, the first data row no header
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["vhe_id", "corporatie", "x", "y"])
    for row in ROWS:
        v = row.split(";")
        ws.append([v[0], v[1], int(v[2]), int(v[3]), 1, 2, 3, 4, 5])
    wb.save(tmp_path / "bezit.xlsx")
    table, said = _quiet(read_table, tmp_path / "bezit.xlsx")
    assert list(table.columns)[:4] == ["vhe_id", "corporatie", "x", "y"]
    assert table.index.tolist() == [2, 3]
    assert said == []


def test_unclosed_quote_names_its_row(tmp_path: Path) -> None:
    # "een rij heeft meer velden dan de kopregel (unexpected end of data)" said nothing of
    # the quote that made the rest of the file one cell
    path = _write(
        tmp_path / "v.csv",
        ["vhe_id;corporatie;x;y", 'V1;"Portaal;155000;463000', "V2;Portaal;155000;463000"],
    )
    with pytest.raises(InputError, match=r"aanhalingsteken \(\"\) wordt niet gesloten \(rij 2\)"):
        read_table(path)
