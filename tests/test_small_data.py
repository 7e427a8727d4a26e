"""Small data never crashes: 0, 1, 2, 4 eligible buurten, one buurt, one dwelling, no sales,
plans or agreements. Every stage and the writers work and say in Dutch what could not be
computed (no DIA, no eligible buurt)."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from small_project import write_project

from geoprestatie import pipeline, publication
from geoprestatie.cli import main
from geoprestatie.config import load_config
from geoprestatie.errors import DataWarning, GeoprestatieError
from geoprestatie.output.gpkg import write_gpkg
from geoprestatie.output.summary import summary, summary_html
from geoprestatie.output.tables import write_tables
from geoprestatie.result import RunResult

#: Dwelling counts that make a buurt eligible (>= 25 under the default set) or not, and
#: small enough to be suppressed (< 5) or not.
COUNTS = st.sampled_from([0, 1, 4, 30])


def _run(cfg: Path) -> RunResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # the notes are expected; others fail
        return pipeline.run(load_config(cfg))


def _check_texts(result: RunResult) -> None:
    """The console summary and the notebook views exist and show no raw missing values."""
    text = summary(result, [])
    for raw in ("nan", "<NA>", "None"):
        assert raw not in text, text
    n_ok = int(result.prioritised["sia_geschikt"].sum())
    if n_ok == 0:
        assert "geen (geen buurt geschikt)" in text
    if not len(result.dia_result.areas):
        assert "DIA's: geen (" in text
    assert "RunResult(" in repr(result)
    page = summary_html(result)
    assert f"{n_ok} van {len(result.prioritised)} buurten geschikt" in page


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    dwellings=st.lists(COUNTS, min_size=1, max_size=4),
    sales=st.booleans(),
    plans=st.booleans(),
    rules=st.booleans(),
    default_criteria=st.booleans(),
    top_k=st.integers(1, 5),
    min_buurten=st.integers(1, 3),
)
@example([1], False, False, False, False, 1, 1)  # one buurt, one dwelling
@example([0, 0], False, False, True, False, 3, 2)  # no stock at all
@example([4, 1, 0], True, True, True, True, 3, 2)  # 0 eligible under the default set
@example([30, 30, 1, 0], True, True, False, True, 5, 2)  # 2 eligible
def test_small_projects_run_and_write(
    dwellings: list[int],
    sales: bool,
    plans: bool,
    rules: bool,
    default_criteria: bool,
    top_k: int,
    min_buurten: int,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cfg = write_project(
            folder,
            dwellings,
            sales=sales,
            plans=plans,
            rules=rules,
            default_criteria=default_criteria,
            top_k=top_k,
            min_buurten=min_buurten,
        )
        if not sum(dwellings):  # no stock: no SIA criterion has data, one clear line
            with pytest.raises(GeoprestatieError, match="aandeel_efg"):
                _run(cfg)
            return
        result = _run(cfg)
        assert len(result.prioritised) == len(dwellings)
        result.joined.report.check()
        _check_texts(result)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            public = publication.publish(result, publication.PublicationPolicy())
        _check_texts(public)
        out = folder / "uit"
        out.mkdir()
        written = write_tables(public, out) + write_gpkg(public, out)
        assert (out / "sia.csv") in written and (out / "tabellen.xlsx") in written
        sia = gpd.read_file(out / "geoprestatie.gpkg", layer="sia")
        assert len(sia) == len(dwellings)


@pytest.mark.parametrize(
    ("dwellings", "default_criteria", "eligible"),
    [
        ([30], False, 1),  # one buurt
        ([4, 1, 0, 0], True, 0),  # nothing eligible: no score, no DIA, said in Dutch
    ],
)
def test_small_full_run_every_output(
    tmp_path: Path, dwellings: list[int], default_criteria: bool, eligible: int
) -> None:
    cfg = write_project(
        tmp_path, dwellings, sales=True, plans=True, rules=True, default_criteria=default_criteria
    )
    out = tmp_path / "uit"
    res = CliRunner().invoke(main, ["run", str(cfg), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    assert f"{eligible} van {len(dwellings)} buurten geschikt" in res.output
    for name in ("sia.html", "rapport.html", "sia.png", "dia.png", "geoprestatie.gpkg"):
        assert (out / "publiek" / name).stat().st_size > 0, name
    report = (out / "publiek" / "rapport.html").read_text(encoding="utf-8")
    assert "Geen DIA's" in report or "DIA-01" in report
    if eligible == 0:
        assert "Top 5 buurten: geen (geen buurt geschikt)" in res.output
        assert "Geen buurt is geschikt voor de SIA" in report


def test_three_thousand_corporations_fit_every_layout(tmp_path: Path) -> None:
    """Too many distinct values for one column each (a GeoPackage holds at most 2,000
    fields, a sheet 16,384 columns): the per-corporation counts go to a long table."""
    import pandas as pd

    cfg = write_project(tmp_path, [1500, 1500], default_criteria=False)
    stock = pd.read_csv(tmp_path / "bezit.csv")
    stock["corporatie"] = [f"Corporatie {i:04d}" for i in range(len(stock))]
    stock.to_csv(tmp_path / "bezit.csv", index=False)
    result = _run(cfg)
    # [koppeling] corporatie_kolommen (default 12): the largest corporations keep a column,
    # the other 2,988 are summed in woningen_overige_corporaties; no dwelling is lost
    corp = [c for c in result.table.columns if str(c).startswith("woningen_corporatie_")]
    assert len(corp) == 12
    assert int(result.table["woningen_overige_corporaties"].sum()) == 3000 - int(
        result.table[corp].sum().sum()
    )
    assert int(result.table["woningen_corporaties"].sum()) == 3000
    out = tmp_path / "intern"
    out.mkdir()
    from geoprestatie.output.write import write_internal

    written = {p.name for p in write_internal(result, out)}
    assert {"geoprestatie.gpkg", "tabellen.xlsx", "buurttabel.csv"} <= written
    for layer in ("buurttabel", "sia"):
        fields = gpd.read_file(out / "geoprestatie.gpkg", layer=layer, rows=1).columns
        assert len(fields) < 200, layer
    with pd.ExcelFile(out / "tabellen.xlsx") as xlsx:
        assert "Woningen per corporatie" in " ".join(xlsx.sheet_names) or any(
            "corporatie" in s.lower() for s in xlsx.sheet_names
        )
