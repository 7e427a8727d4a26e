"""sjabloon -> fill in -> controleer -> run; a template with errors gives the marked copy."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from geoprestatie.cli import main
from geoprestatie.prognosis import read_mutation_plans, read_start_stock
from geoprestatie.sources import read_sales, read_stock
from geoprestatie.sources.monitoring import MONITOR_COLUMNS, read_monitor_data
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
    assert book.sheetnames == ["Toelichting", *DATASETS, "Lijsten"]
    assert book["Lijsten"].sheet_state == "hidden"
    header = [c.value for c in book["Voorraad"][1]]
    assert header == [c.name for c in DATASETS["Voorraad"].columns]
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
        "tekst",
        "Portaal, de Alliantie",
    ] in toelichting
    # every column of every dataset is explained once
    explained = {(r[0], r[1]) for r in toelichting if len(r) >= 6 and r[2] in ("ja", "nee")}
    assert explained == {(d.sheet, c.name) for d in DATASETS.values() for c in d.columns}


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


MONITOR_ROWS = {
    "Toewijzingen": [["2022-03-01", "Portaal", "V1", "alleenstaand", "laag", "ja", "urgent"]],
    "Geld": [["gemeente", 2022, "leefbaarheid", "12500,50", "begroot"]],
    "Acties": [["A1", "4.1", "Wijkvisie", "gemeente", "actie", "2023-06-30", "open"]],
    "Kengetallen": [[2022, "wachttijd", 26.5, "Portaal"]],
    "Mutaties": [["Portaal", 2022, "sloop", 12, "hard", "nee"]],
    "Beginstand": [["Portaal", "BU03070100", 120, 0, "2022-01-01"]],
}


def _fill_monitor(path: Path, rows: dict[str, list[list[object]]]) -> None:
    book = openpyxl.load_workbook(path)
    for sheet, values in rows.items():
        for row in values:
            book[sheet].append(row)
    book.save(path)


def test_monitor_datasets_are_sheets_read_by_their_own_readers(tmp_path: Path) -> None:
    path = write_template(tmp_path / "a.xlsx", corporations=["Portaal"])
    book = openpyxl.load_workbook(path)
    for name in ("toewijzingen", "geld", "acties", "kengetallen"):
        header = [c.value for c in book[name.capitalize()][1]]
        assert header == list(MONITOR_COLUMNS[name])
        required = [c.value for c in book[name.capitalize()][1] if c.comment is not None]
        assert required == [c for c, col in MONITOR_COLUMNS[name].items() if col.required]
    rules = {
        (ws.title, str(r.sqref)): r
        for ws in book.worksheets
        for r in ws.data_validations.dataValidation
    }
    passend = rules[("Toewijzingen", "F2:F5001")]  # ja/nee: a closed list
    assert passend.type == "list" and passend.errorStyle in (None, "stop")
    status = rules[("Acties", "G2:G5001")]  # a suggestion: other values allowed
    assert status.type == "list" and status.errorStyle == "information"
    assert rules[("Geld", "B2:B5001")].type == "whole"  # jaar
    assert rules[("Acties", "F2:F5001")].type == "date"  # deadline
    _fill_monitor(path, MONITOR_ROWS)
    assert check_workbook(path) == []
    data = read_monitor_data(
        {k: str(path) for k in ("toewijzingen", "geld", "acties", "kengetallen")}, base=tmp_path
    )
    assert data["toewijzingen"]["passend"].tolist() == [True]
    assert data["geld"]["bedrag"].tolist() == [12500.5]
    assert data["acties"]["deadline"].dt.year.tolist() == [2023]
    assert data["kengetallen"]["waarde"].tolist() == [26.5]
    assert read_mutation_plans(path, sheet="mutaties")["mutatie"].tolist() == ["sloop"]
    assert read_start_stock(path)["aantal"].tolist() == [120]


def test_errors_in_monitor_sheets_are_found_per_cell(tmp_path: Path) -> None:
    path = write_template(tmp_path / "a.xlsx")
    bad = {
        "Toewijzingen": [["2022-03-01", "Portaal", "V1", None, None, "misschien"]],
        "Geld": [["gemeente", 2022, "leefbaarheid", "veel"]],
        "Acties": [["A1", "4.1", None, None, None, "morgen"]],
        "Kengetallen": [[None, "wachttijd", 26.5]],
    }
    _fill_monitor(path, bad)
    problems = check_workbook(path)
    assert sorted((p.sheet, p.row, p.column, p.value) for p in problems) == [
        ("Acties", 2, "deadline", "morgen"),
        ("Geld", 2, "bedrag", "veel"),
        ("Kengetallen", 2, "jaar", None),
        ("Toewijzingen", 2, "passend", "misschien"),
    ]
    assert CliRunner().invoke(main, ["controleer", str(path)]).exit_code == 1
    marked = openpyxl.load_workbook(tmp_path / "a_controle.xlsx")
    cell = marked["Geld"]["D2"]
    assert cell.fill.fgColor.rgb.endswith("F4B6B6") and "veel" in cell.comment.text


def test_filled_template_runs_the_whole_job(tmp_path: Path) -> None:
    """sjabloon -> fill in -> controleer -> run: the delivery file is the run's stock, sales
    and plans at once (the built-in CBS buurten of Amersfoort, where the rows lie)."""
    runner = CliRunner()
    path = tmp_path / "aanlevering.xlsx"
    assert runner.invoke(main, ["sjabloon", str(path), "--corporatie", "Portaal"]).exit_code == 0
    _fill(path)
    assert runner.invoke(main, ["controleer", str(path)]).exit_code == 0
    cfg = tmp_path / "project.toml"
    cfg.write_text(
        '[project]\nnaam = "Aanlevering"\n[buurten]\ngemeente = "Amersfoort"\n'
        '[bronnen]\nvoorraad = "aanlevering.xlsx"\nverkoop = "aanlevering.xlsx"\n'
        '[sia]\ntop_k = 3\n[[sia.criteria]]\nname = "efg"\nlabel = "Aandeel E/F/G"\n'
        'column = "aandeel_efg"\ndirection = "higher"\nweight = 1\n'
        "[sia.robustness]\ndraws = 100\n"
        '[prognose]\nplannen = "aanlevering.xlsx"\npeildatum = "2026-01-01"\n'
        "[uitvoer]\npdf = false\n",
        encoding="utf-8",
    )
    out = tmp_path / "uit"
    res = runner.invoke(main, ["run", str(cfg), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "voorraad: 2 gelezen, 2 gekoppeld" in res.output
    assert (out / "publiek" / "sia.html").exists() and (out / "intern" / "sia.csv").exists()
