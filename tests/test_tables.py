"""CSV and XLSX as Dutch Excel reads them (output/tables.py, output/_sheets.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from geoprestatie import pipeline
from geoprestatie.config import RunConfig, demo_config
from geoprestatie.errors import DataWarning
from geoprestatie.output._sheets import Sheet, write_csv, write_xlsx
from geoprestatie.output.tables import write_tables

PAYLOADS = ['=HYPERLINK("http://x.example","klik")', "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = demo_config()
    tables = dict(base.tables)
    tables["sia"] = {**tables.get("sia", {}), "robustness": {"draws": 100}}
    with pytest.warns(DataWarning):
        result = pipeline.run(RunConfig(tables, source=None))
    folder = tmp_path_factory.mktemp("tabellen")
    write_tables(result, folder)
    return folder


def test_csv_is_dutch_excel(written: Path) -> None:
    raw = (written / "buurttabel.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads "–" and "ë"
    header, first = raw.decode("utf-8-sig").splitlines()[:2]
    assert header.startswith("buurtcode;buurtnaam;")
    frame = pd.read_csv(written / "buurttabel.csv", sep=";", decimal=",")
    assert len(frame) == 145 and frame["aandeel_efg"].dropna().between(0, 1).all()
    assert "," in first and "." not in first.split(";")[header.split(";").index("aandeel_efg")]
    sia = pd.read_csv(written / "sia.csv", sep=";", decimal=",")
    assert set(sia["sia_geschikt"]) <= {"ja", "nee"}
    # no column twice: the SIA table holds the keys and what the SIA adds
    assert "aandeel_efg" not in sia.columns and {"buurtcode", "sia_score"} <= set(sia.columns)


def test_international_dialect(tmp_path: Path) -> None:
    frame = pd.DataFrame({"naam": ["Zuid – Oost"], "x": [1.5], "ok": [True]})
    text = write_csv(frame, tmp_path / "t.csv", csv="internationaal").read_text("utf-8")
    assert text.splitlines() == ["naam,x,ok", "Zuid – Oost,1.5,true"]
    with pytest.raises(ValueError, match="internationaal"):
        write_csv(frame, tmp_path / "u.csv", csv="excel")


def test_workbook_headers_filters_formats(written: Path) -> None:
    wb = openpyxl.load_workbook(written / "tabellen.xlsx")
    assert wb.sheetnames[0] == "Toelichting"
    assert {"SIA", "SIA-bijdragen", "Buurten", "Kerncijfers CBS", "DIA", "Prognose"} <= set(
        wb.sheetnames
    )
    for ws in wb.worksheets[1:]:
        assert ws.freeze_panes is not None and ws.freeze_panes[1:] == "2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert all(c.font.b for c in ws[1]), ws.title
        assert ws.max_column <= 25, ws.title  # wide tables are split
        assert not any("_" in str(c.value) for c in ws[1] if ws.title != "Prognose samenvatting")
    ws = wb["SIA"]
    headers = {c.value: c.column for c in ws[1]}
    assert ws.cell(2, headers["Kans in de top"]).number_format == "0.0%"
    assert ws.cell(2, headers["SIA-rang"]).number_format == "#,##0"
    assert ws.cell(2, headers["Geschikt"]).data_type == "b"
    corp = wb["Corporatiebezit"]
    hc = {c.value: c.column for c in corp[1]}
    assert corp.cell(2, hc["Corporatiewoningen"]).number_format == "#,##0"
    assert corp.cell(2, hc["Bouwjaar (mediaan)"]).number_format == "0"  # 1975, not 1.975
    assert wb["Buurten"].column_dimensions["B"].width >= 10


def test_toelichting_explains_every_column(written: Path) -> None:
    wb = openpyxl.load_workbook(written / "tabellen.xlsx")
    rows = list(wb["Toelichting"].iter_rows(values_only=True))
    start = rows.index(("Blad", "Kolom", "Veldnaam (CSV, GeoPackage)", "Uitleg", "Notatie"))
    explained = {(r[0], r[1]): r[3] for r in rows[start + 1 :]}
    for ws in wb.worksheets[1:]:
        for cell in ws[1]:
            assert explained.get((ws.title, cell.value)), (ws.title, cell.value)
    assert any("synthetisch" in str(r[0]) for r in rows[:start])


def test_formula_payloads_stay_text(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"corporatie": PAYLOADS, "tekst": ["ok"] * len(PAYLOADS), "n": range(len(PAYLOADS))}
    )
    xlsx = write_xlsx(tmp_path / "t.xlsx", [Sheet("Blad", frame, "monitor", keys=1)])
    ws = openpyxl.load_workbook(xlsx)["Blad"]
    for row, payload in enumerate(PAYLOADS, start=2):
        cell = ws.cell(row, 1)
        # text, never "f" (xlsx stores a carriage return as _x000D_, which Excel decodes)
        assert cell.data_type == "s" and cell.value.replace("_x000D_", "\r") == payload
        assert cell.quotePrefix  # editing the cell in Excel keeps it text
    assert all(ws.cell(r, 3).data_type == "n" for r in range(2, len(PAYLOADS) + 2))
    path = write_csv(frame, tmp_path / "t.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        cells = [row[0] for row in csv.reader(f, delimiter=";")][1:]
    assert cells == ["'" + p for p in PAYLOADS]


def test_suppressed_cells_show_the_label(tmp_path: Path) -> None:
    frame = pd.DataFrame({"buurtcode": ["BU1", "BU2"], "woningen_corporaties": [120.0, None]})
    frame.attrs["onderdrukt"] = pd.DataFrame({"woningen_corporaties": [False, True]})
    text = write_csv(frame, tmp_path / "t.csv", suppressed_label="< 5").read_text("utf-8-sig")
    assert text.splitlines()[1:] == ["BU1;120", "BU2;< 5"]  # shortest round-trip float
    xlsx = write_xlsx(
        tmp_path / "t.xlsx", [Sheet("B", frame, "buurttabel")], suppressed_label="< 5"
    )
    ws = openpyxl.load_workbook(xlsx)["B"]
    assert ws["B2"].value == 120 and ws["B3"].value == "< 5"


@pytest.mark.parametrize("csv", ["nl", "internationaal"])
def test_categorical_text_column_as_its_text(tmp_path: Path, csv: str) -> None:
    # a categorical of text (the stock's corporatie) is decoded in Arrow: the same CSV as
    # the text column, formula-like values neutralised, quoting and missing values alike
    text = pd.Series(["=1+1", "de Alliantie", None, "a;b", "Ymere"], dtype="string")
    other = pd.Series([1.5, None, 2.0, 3.0, 1.0]).astype("category")  # not text: value by value
    plain_frame = pd.DataFrame({"corporatie": text, "getal": other.astype(object)})
    coded = pd.DataFrame({"corporatie": text.astype("category"), "getal": other})
    a = write_csv(plain_frame, tmp_path / "a.csv", csv=csv).read_bytes()
    b = write_csv(coded, tmp_path / "b.csv", csv=csv).read_bytes()
    assert a == b
    assert "'=1+1" in b.decode("utf-8-sig")


def test_the_glossary_freezes_no_more_than_a_laptop_shows(written: Path, tmp_path: Path) -> None:
    """The demo's Toelichting froze rows 1-31 (notes and the list of sheets above the
    glossary's header): taller than Excel's window at 1366 x 768, nothing left to scroll."""
    demo = openpyxl.load_workbook(written / "tabellen.xlsx")["Toelichting"]
    assert demo.freeze_panes is None and demo.auto_filter.ref  # the filter stays
    small = write_xlsx(
        tmp_path / "t.xlsx", [Sheet("Buurten", pd.DataFrame({"buurtcode": ["BU1"]}), "buurttabel")]
    )
    frozen = openpyxl.load_workbook(small)["Toelichting"].freeze_panes
    assert frozen is not None and int(frozen[1:]) <= 13  # a short glossary keeps it
