"""Large runs: the workbook summarises long tables; CSVs stay complete (output/_digest.py)."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoprestatie import pipeline
from geoprestatie.config import RunConfig, demo_config
from geoprestatie.errors import DataWarning
from geoprestatie.output import _digest
from geoprestatie.output._sheets import write_csv
from geoprestatie.output.cells import safe_text
from geoprestatie.output.tables import write_tables


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pipeline.RunResult]:
    """The demo written as if it were a national run (limits lowered)."""
    tables = dict(demo_config().tables)
    tables["sia"] = {**tables.get("sia", {}), "robustness": {"draws": 50}}
    with pytest.warns(DataWarning):
        result = pipeline.run(RunConfig(tables, source=None))
    folder = tmp_path_factory.mktemp("groot")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_digest, "MAX_SHEET_ROWS", 100)
        mp.setattr(_digest, "TOP_BUURTEN", 20)
        write_tables(result, folder)
    return folder, result


def test_workbook_summarises_long_tables(large: tuple[Path, pipeline.RunResult]) -> None:
    folder, result = large
    wb = openpyxl.load_workbook(folder / "tabellen.xlsx", read_only=True)
    assert "Gemeenten" in wb.sheetnames and "Prognose per corporatie" in wb.sheetnames
    sia = list(wb["SIA"].iter_rows(values_only=True))
    assert len(sia) == 1 + 20  # header + the 20 best ranked buurten
    ranks = [r[sia[0].index("SIA-rang")] for r in sia[1:]]
    best = result.prioritised["sia_rang"].dropna().sort_values().head(20).tolist()
    assert ranks == best
    gem = list(wb["Gemeenten"].iter_rows(values_only=True))
    n_col = gem[0].index("Buurten")
    assert sum(r[n_col] for r in gem[1:]) == len(result.table)  # every buurt counted once
    corp = gem[0].index("Corporatiewoningen")
    assert sum(r[corp] for r in gem[1:]) == result.table["woningen_corporaties"].sum()
    prog = list(wb["Prognose per corporatie"].iter_rows(values_only=True))
    end = prog[0].index("Eindstand")
    assert sum(r[end] for r in prog[1:]) == result.prognosis["eindstand"].sum()
    # the Toelichting says where the full tables are
    notes = " ".join(str(c) for r in wb["Toelichting"].iter_rows(values_only=True) for c in r)
    assert "buurttabel.csv" in notes and "prognose.csv" in notes
    # the CSV files stay complete
    assert len(pd.read_csv(folder / "buurttabel.csv", sep=";")) == len(result.table)
    assert len(pd.read_csv(folder / "prognose.csv", sep=";")) == len(result.prognosis)


def test_grouped_sum_hides_groups_with_a_suppressed_member() -> None:
    f = pd.DataFrame({"g": ["a", "a", "b", "b"], "n": [3.0, 10.0, 4.0, None]})
    f.attrs["onderdrukt"] = pd.DataFrame({"n": [True, False, False, False]})
    out = _digest.grouped_sum(f, ["g"], ["n"])
    assert pd.isna(out.loc[0, "n"]) and out.attrs["onderdrukt"]["n"].tolist() == [True, False]
    assert out.loc[1, "n"] == 4.0  # a missing (not suppressed) value is just missing


_TEXT = st.text(alphabet=st.sampled_from(list('ab;,"\r\n=+- é€')), max_size=8)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), _TEXT), min_size=1, max_size=8), st.booleans())
def test_csv_text_reads_back(values: list[str | None], dutch: bool) -> None:
    path = Path(tempfile.mkdtemp()) / "t.csv"
    frame = pd.DataFrame({"tekst": values, "n": range(len(values))})
    write_csv(frame, path, csv="nl" if dutch else "internationaal")
    with path.open(encoding="utf-8-sig" if dutch else "utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=";" if dutch else ","))
    assert rows[0] == ["tekst", "n"]
    expected = ["" if v is None else safe_text(v) for v in values]
    assert [r[0] for r in rows[1:]] == expected
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(len(values))]


def test_published_large_run_writes_its_summaries(
    large: tuple[Path, pipeline.RunResult], tmp_path: Path
) -> None:
    """The summaries of a large run on the *published* result: its frames carry suppression
    masks, and concatenating two masked frames must not compare the masks (national crash:
    "Can only compare identically-labeled DataFrame objects")."""
    from geoprestatie import publication

    _, result = large
    public = publication.publish(result, publication.PublicationPolicy.from_dict({}))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_digest, "MAX_SHEET_ROWS", 100)
        mp.setattr(_digest, "TOP_BUURTEN", 20)
        write_tables(public, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "tabellen.xlsx", read_only=True)
    assert len(list(wb["SIA"].iter_rows(values_only=True))) == 1 + 20
