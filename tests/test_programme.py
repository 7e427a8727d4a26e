"""The adaptive-programming stage in the run, its charts, map and the demo generator."""

from __future__ import annotations

import importlib.util
import json
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from geoprestatie import datasets
from geoprestatie.errors import DataWarning
from geoprestatie.output._mapdata import COLOUR_SUPPRESSED
from geoprestatie.output.prognosis_charts import fan_chart, mutation_chart, programme_pngs
from geoprestatie.output.programme_map import programme_map
from geoprestatie.planstatus import UncertaintyConfig
from geoprestatie.prognosis import PrognosisConfig, project, read_mutation_plans, read_start_stock
from geoprestatie.programme import run_programme, scenario_table
from geoprestatie.publication import SUPPRESSED_LABEL, public_programme

DEMO = datasets.data_path("demo")


@pytest.fixture(scope="module")
def adaptive():  # type: ignore[no-untyped-def]
    config = PrognosisConfig(onzekerheid=UncertaintyConfig(simulaties=500, seed=1))
    start = read_start_stock(DEMO / "beginstand_amersfoort.csv")
    plans = read_mutation_plans(DEMO / "plannen_amersfoort_2022_2023.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # demo plans without location
        return run_programme(
            config=config,
            start=start,
            plans=plans,
            projected=project(start, plans, config=config),
            buurten=datasets.load_buurten("Amersfoort"),
            programma=DEMO / "programma_amersfoort_synthetisch.csv",
            behoefte=DEMO / "behoefte_amersfoort_synthetisch.csv",
            realisaties=DEMO / "realisaties_amersfoort_synthetisch.csv",
        )


def test_hard_amersfoort_prognosis_keeps_its_figures_with_bands(adaptive) -> None:  # type: ignore[no-untyped-def]
    p = adaptive.prognosis
    # hard plans are certain by default: the band is the published deterministic projection
    for col in ("eindstand_p10", "eindstand_p50", "eindstand_p90"):
        assert (p[col] == p["eindstand"]).all()
    total = p.groupby("jaar")["eindstand"].sum()
    assert int(total.iloc[-1] - p.groupby("jaar")["beginstand"].sum().iloc[0]) == 213


def test_levels_add_up_and_signals(adaptive) -> None:  # type: ignore[no-untyped-def]
    seg = adaptive.segments
    det = seg.groupby(["niveau", "jaar"])["eindstand"].sum().unstack(0)
    assert (det["buurt"] == det["gemeente"]).all() and (det["wijk"] == det["gemeente"]).all()
    means = seg.groupby(["niveau", "jaar"])["eindstand_gemiddeld"].sum().unstack(0)
    assert ((means["buurt"] - means["gemeente"]).abs() < 1).all()
    assert set(adaptive.signals["segment"]) == {
        "sociale_huur",
        "middenhuur",
        "vrije_huur",
        "koop_betaalbaar",
        "koop_midden",
        "koop_duur",
    }
    assert set(adaptive.signals["signaal"]) <= {"tekort", "overschot", "in balans"}
    assert (adaptive.gap["tekort_p10"] <= adaptive.gap["tekort_p90"]).all()
    assert adaptive.rates["gerealiseerd"].sum() > 0
    # every plan row is placed or reported
    raw = read_mutation_plans(DEMO / "programma_amersfoort_synthetisch.csv")
    assert len(adaptive.plans) + len(adaptive.rejected) == len(raw)


def test_scenarios_widen() -> None:
    start = read_start_stock(DEMO / "beginstand_amersfoort.csv")
    plans = read_mutation_plans(DEMO / "plannen_amersfoort_2022_2023.csv")
    table = scenario_table(start, plans, config=PrognosisConfig())
    assert table["scenario"].tolist() == ["hard", "zacht", "alles"]
    assert table["groei"].tolist() == [213, 213, 213]


def test_charts_and_year_slider_map(adaptive, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pngs = programme_pngs(adaptive, tmp_path, synthetic=True)
    assert all(p.stat().st_size > 10_000 for p in pngs.values())
    fig = fan_chart(adaptive.gap)
    assert len([a for a in fig.axes if a.has_data()]) == 6
    assert mutation_chart(adaptive.prognosis).axes[0].get_legend() is not None
    buurten = datasets.load_buurten("Amersfoort")
    m = programme_map(adaptive.segments, buurten, synthetic=True)
    html = m.get_root().render()
    assert "<script src=" not in html and '<link rel="stylesheet" href=' not in html  # offline
    spec = _spec(html)
    assert [v["name"] for v in spec["views"]] == [str(y) for y in range(2025, 2035)]
    assert spec["slider"] == "Jaar" and spec["title"]["synth"]
    assert len(spec["areas"]["geom"]) == len(buurten)  # the geometry once, not per year
    # the band per segment in the tooltip, in Dutch
    lines = [t for texts in spec["areas"]["cols"]["segment_2034"] for t in texts]
    assert any(re.search(r"sociale huur: \+[\d.]+ \(band p10–p90: ", t) for t in lines)


def _spec(html: str) -> dict:  # type: ignore[type-arg]
    """The map's spec as the page hands it to gpMap."""
    found = re.search(r"gpMap\(\w+, (\{.*?\})\);", html, flags=re.S)
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_programme_map_names_are_text_and_hidden_cells_are_grey() -> None:
    buurten = datasets.load_buurten("Enschede").head(2).copy()
    buurten["buurtnaam"] = ["<script>alert(1)</script>", "Oost"]
    codes = list(buurten["buurtcode"])
    seg = pd.DataFrame(
        {
            "niveau": "buurt",
            "gebied": codes,
            "segment": "sociale_huur",
            "jaar": 2025,
            "beginstand": 0,
            "eindstand_gemiddeld": [pd.NA, 3.0],
            "groei": [pd.NA, 4],
            "groei_p10": [pd.NA, 2],
            "groei_p90": [pd.NA, 4],
        }
    )
    html = programme_map(seg, buurten).get_root().render()
    assert "<script>alert(1)" not in html  # names reach the page as inert JSON
    view = _spec(html)["views"][0]
    assert view["colours"][view["fill"][0]] == COLOUR_SUPPRESSED
    assert _spec(html)["areas"]["cols"]["verwacht_2025"] == [SUPPRESSED_LABEL, "+3"]


def test_demo_generator_reproduces_the_files(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parents[1] / "scripts" / "make_programma_demo.py"
    spec = importlib.util.spec_from_file_location("make_programma_demo", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path in module.main(tmp_path):
        assert path.read_bytes() == (DEMO / path.name).read_bytes(), path.name
    need = pd.read_csv(DEMO / "behoefte_amersfoort_synthetisch.csv", sep=";")
    assert (need["herkomst"].str.contains("synthetisch") | need["segment"].eq("sociale_huur")).all()


def test_public_programme_keeps_no_corporation_detail(adaptive) -> None:  # type: ignore[no-untyped-def]
    public = public_programme(adaptive, None)
    assert public.rejected.empty and len(public.prognosis) == 0
    assert not {"corporatie", "buurtcode", "project", "x", "y"} & set(public.plans.columns)
    assert public.plans["aantal"].sum() == adaptive.plans["aantal"].sum()
    # nothing hidden in the prognosis: the whole-stock bands are published as they are
    assert not public.segments.attrs["onderdrukt"].to_numpy().any()
