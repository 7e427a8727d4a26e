"""sjabloon -> fill in -> controleer -> run; a template with errors gives the marked copy."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from geoprestatie.cli import main
from geoprestatie.prognosis import read_mutation_plans
from geoprestatie.sources import read_sales, read_stock
from geoprestatie.template import DATASETS, check_workbook, write_marked_copy, write_template

STOCK = [
    [
        "A1",
        "Portaal",
        None,
        None,
        None,
        None,
        None,
        155159,
        463228,
        None,
        "C",
        1975,
        "meergezins",
        612.5,
        "ja",
        3,
    ],
    [
        "A2",
        "Portaal",
        None,
        None,
        None,
        None,
        None,
        155204,
        463144,
        None,
        "A+++",
        2020,
        "eengezins",
        701,
        "nee",
        1,
    ],
]


def _fill(path: Path, *, bad: bool = False) -> None:
    book = openpyxl.load_workbook(path)
    for row in STOCK:
        book["Voorraad"].append(row)
    if bad:
        book["Voorraad"].append(
            ["A3", "Portaal", *[None] * 5, 155000, 463000, None, "H", 1975, None, 600, "ja", 3]
        )  # label H
        book["Voorraad"].append(
            [
                "A4",
                "Portaal",
                *[None] * 5,
                155000,
                463000,
                None,
                "C",
                1975,
                None,
                600,
                "misschien",
                3,
            ]
        )  # daeb
    book["Verkoop"].append(["A1", "Portaal", 2026, "voorgenomen" if not bad else "wellicht"])
    book["Plannen"].append(["Portaal", 2026, "nieuwbouw", 20, "hard", "nee"])
    book.save(path)


def test_template_sheets_lists_and_marks(tmp_path: Path) -> None:
    path = write_template(tmp_path / "s.xlsx", corporations=["Portaal", "de Alliantie"])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Toelichting" and {"Voorraad", "Verkoop", "Plannen"} <= set(
        book.sheetnames
    )
    assert book["Lijsten"].sheet_state == "hidden"
    header = [c.value for c in book["Voorraad"][1]]
    assert header == [c.name for c in DATASETS["Voorraad"]]
    assert book["Voorraad"]["A1"].comment.text == "verplicht"  # vhe_id is required
    rules = {str(r.sqref): r.formula1 for r in book["Voorraad"].data_validations.dataValidation}
    label_col = openpyxl.utils.get_column_letter(header.index("energielabel") + 1)
    label_list = rules[f"{label_col}2:{label_col}5001"].split("!")[1].replace("$", "")
    labels = [row[0].value for row in book["Lijsten"][label_list]]
    assert labels == ["A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G"]
    corp_col = openpyxl.utils.get_column_letter(header.index("corporatie") + 1)
    assert f"{corp_col}2:{corp_col}5001" in rules
    toelichting = [[c.value for c in row] for row in book["Toelichting"].iter_rows(min_row=2)]
    assert [
        "Voorraad",
        "corporatie",
        "ja",
        "Naam van de corporatie (eigenaar)",
        "Portaal, de Alliantie",
    ] in toelichting


def test_filled_template_passes_the_check_and_is_read_by_every_reader(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "aanlevering.xlsx"
    result = runner.invoke(main, ["sjabloon", str(path), "--corporatie", "Portaal"])
    assert result.exit_code == 0, result.output
    _fill(path)
    result = runner.invoke(main, ["controleer", str(path)])
    assert result.exit_code == 0, result.output
    assert "geen fouten" in result.output
    stock = read_stock(path)
    assert stock["vhe_id"].tolist() == ["A1", "A2"]
    assert stock["energielabel"].astype(str).tolist() == ["C", "A+++"]
    assert stock["huurprijs"].tolist() == [612.5, 701.0]
    assert read_sales(path)["status"].tolist() == ["voorgenomen"]
    assert read_mutation_plans(path)["aantal"].tolist() == [20]
    result = runner.invoke(
        main,
        ["join", "--voorraad", str(path), "--verkoop", str(path), "--out", str(tmp_path / "o")],
    )
    assert result.exit_code == 0, result.output


def test_errors_give_the_marked_copy_and_a_non_zero_exit(tmp_path: Path) -> None:
    path = write_template(tmp_path / "a.xlsx")
    _fill(path, bad=True)
    problems = check_workbook(path)
    assert sorted((p.sheet, p.row, p.column) for p in problems) == [
        ("Verkoop", 2, "status"),
        ("Voorraad", 4, "energielabel"),
        ("Voorraad", 5, "daeb"),
    ]
    result = CliRunner().invoke(main, ["controleer", str(path)])
    assert result.exit_code == 1
    marked = openpyxl.load_workbook(tmp_path / "a_controle.xlsx")
    header = [c.value for c in marked["Voorraad"][1]]
    cell = marked["Voorraad"].cell(row=4, column=header.index("energielabel") + 1)
    assert cell.fill.fgColor.rgb.endswith("F4B6B6") and "ongeldige waarde" in cell.comment.text
    summary = [[c.value for c in row] for row in marked["Controle"].iter_rows()]
    assert summary[0] == ["blad", "rij", "kolom", "waarde", "probleem"]
    assert ["Voorraad", "ongeldige waarde", 2] in [row[:3] for row in summary]


@pytest.mark.parametrize("sheet", ["Voorraad", "Verkoop"])
def test_missing_required_column_is_a_problem_of_the_sheet(tmp_path: Path, sheet: str) -> None:
    path = write_template(tmp_path / "a.xlsx")
    _fill(path)
    book = openpyxl.load_workbook(path)
    book[sheet].delete_cols(1)  # vhe_id
    book.save(path)
    problems = check_workbook(path)
    # stock: vhe_id is required (the sheet, row 1); a sale without it has no reference (row 2)
    assert any(p.sheet == sheet and p.row == {"Voorraad": 1, "Verkoop": 2}[sheet] for p in problems)


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    payload = '=HYPERLINK("http://x","klik")'
    path = write_template(tmp_path / "a.xlsx", corporations=[payload])
    lists = openpyxl.load_workbook(path)["Lijsten"]
    cells = [c for row in lists.iter_rows() for c in row if c.value == payload]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    _fill(path)
    book = openpyxl.load_workbook(path)
    book["Voorraad"].append(["A9", "Portaal", *[None] * 5, 155000, 463000, None, "=1+1"])
    book["Voorraad"].cell(row=book["Voorraad"].max_row, column=11).data_type = "s"
    book.save(path)
    problems = check_workbook(path)
    assert [(p.row, p.value) for p in problems] == [(4, "=1+1")]  # header, A1, A2, A9
    marked = openpyxl.load_workbook(
        write_marked_copy(path, problems, tmp_path / "m.xlsx"), data_only=False
    )
    cell = next(c for row in marked["Controle"].iter_rows() for c in row if c.value == "=1+1")
    assert cell.data_type == "s" and cell.quotePrefix
