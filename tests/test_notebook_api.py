"""The notebook API: lazy ``gp.<module>``, maps/monitor from a RunResult, the short repr."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

import pytest

import geoprestatie as gp
from geoprestatie import pipeline
from geoprestatie.config import demo_config
from geoprestatie.errors import ConfigError, DataWarning


@pytest.fixture(scope="module")
def demo_result() -> pipeline.RunResult:
    with pytest.warns(DataWarning, match="apart gezet"):  # the demo's deliberate flaws
        return pipeline.run(demo_config())


def test_import_is_lazy() -> None:
    code = (
        "import sys, geoprestatie as gp\n"
        "heavy = [m for m in ('pandas', 'geopandas', 'folium', 'geoprestatie.output.maps')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
        "gp.maps\n"
        "print('geoprestatie.output.maps' in sys.modules, 'folium' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "[]"  # nothing heavy at `import geoprestatie`
    assert out[1] == "True True"


def test_submodules_and_unknown_name() -> None:
    from geoprestatie import maps, sources

    assert gp.maps is maps and gp.sources.read_stock is sources.read_stock
    assert set(gp.SUBMODULES) <= set(dir(gp))
    with pytest.raises(AttributeError, match=r"no attribute 'kaart'.*'maps'"):
        _ = gp.kaart  # type: ignore[attr-defined]


def test_sia_map_from_run_equals_explicit_call(demo_result: pipeline.RunResult) -> None:
    r = demo_result
    labels = {c.name: c.label for c in r.sia_config.criteria}
    explicit = gp.maps.sia_map(
        r.dia_result.buurten,
        dia_areas=r.dia_result.areas,
        criterion_labels=labels,
        synthetic=True,
        top_k=r.sia_config.top_k,
        title="SIA-prioriteiten: SIA Amersfoort (demo)",
    )
    from_run = gp.maps.sia_map(r)

    def body(m: object) -> str:  # folium element ids are random per map
        html = m.get_root().render()  # type: ignore[attr-defined]
        return re.sub(r"[0-9a-f]{32}", "ID", html)

    html = body(from_run)
    assert html == body(explicit)
    assert "SIA-prioriteiten: SIA Amersfoort (demo)" in html and "synthetisch" in html
    for name in r.dia_result.areas["dia_naam"]:
        assert name in html
    # an explicit argument wins over the run's
    assert "Mijn titel" in body(gp.maps.sia_map(r, title="Mijn titel"))


def test_prognose_map_and_monitor_from_run(demo_result: pipeline.RunResult) -> None:
    r = demo_result
    html = gp.maps.prognose_map(r).get_root().render()
    assert "Eindstand 2023" in html and "synthetisch" in html
    page = gp.report.monitor_html(r)
    assert r.monitor is not None
    for ident in r.monitor.table["afspraak_id"]:
        assert f">{ident}<" in page
    assert "rood: niet voldaan" in page and "synthetisch" in page


def test_run_without_prognosis_or_monitor_says_so(demo_result: pipeline.RunResult) -> None:
    bare = dataclasses.replace(demo_result, prognosis=None, monitor=None)
    with pytest.raises(ConfigError, match=r"\[prognose\] plannen"):
        gp.maps.prognose_map(bare)
    with pytest.raises(ConfigError, match=r"\[afspraken\] bestand"):
        gp.report.monitor_html(bare)
    assert "Afspraken:" not in bare._repr_html_()
    with pytest.raises(TypeError, match="`buurten`"):
        gp.maps.prognose_map(demo_result.prognosis)  # type: ignore[arg-type]


def test_repr_is_a_short_summary(demo_result: pipeline.RunResult) -> None:
    r = demo_result
    page = r._repr_html_()
    assert len(page) < 10_000  # a summary, not a 0.7 MB map
    assert "synthetisch" in page
    top = r.prioritised.sort_values("sia_rang").head(10)
    rows = re.findall(r"<tr><td class=\"num\">(\d+)</td><td>([^<]+)</td>", page)
    assert [(int(a), b) for a, b in rows] == list(
        zip(top["sia_rang"].astype(int), top["buurtnaam"], strict=True)
    )
    for ident in r.dia_result.areas["dia_id"]:
        assert f"<td>{ident}</td>" in page
    assert r.monitor is not None
    n_red = int((r.monitor.table["status"] == "rood").sum())
    assert f"{n_red} rood" in page


def test_repr_is_one_line(demo_result: pipeline.RunResult) -> None:
    r = demo_result
    assert r.monitor is not None
    assert repr(r) == (
        f"RunResult('SIA Amersfoort (demo)', buurten=145, "
        f"sia_geschikt={int(r.prioritised['sia_geschikt'].sum())}, "
        f"dia={len(r.dia_result.areas)}, prognose=ja, afspraken={len(r.monitor.table)}, "
        "synthetisch)"
    )
