"""The real-browser check: generated pages render in headless Chromium with the network off."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import geopandas as gpd
import pytest

from geoprestatie.output import maps

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "browser_check.py"


def _load_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("browser_check", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["browser_check"] = module
    spec.loader.exec_module(module)
    return module


bc = _load_script()
needs_chromium = pytest.mark.skipif(
    bc.find_chromium() is None, reason="Chromium is not installed (apt-get install chromium)"
)


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_sia_html_renders_offline(amersfoort: gpd.GeoDataFrame, tmp_path: Path) -> None:
    from maps_fixtures import demo_chain, published

    result = demo_chain()["dia"]
    scored = result.buurten.copy()
    scored["buurtnaam"] = scored["buurtnaam"].astype(object)
    scored.loc[scored.index[0], "buurtnaam"] = "<script>alert(1)</script>"
    scored.loc[scored.index[1], "buurtnaam"] = '"><img src=x onerror=alert(2)>'
    page = tmp_path / "sia.html"
    scored, areas = published(scored, result.areas)  # what publiek/ gets
    maps.sia_map(scored, dia_areas=areas, synthetic=True).save(str(page))
    found = bc.check_page(page, exercise=True)
    assert bc.problems(found, min_polygons=len(amersfoort)) == []
    assert found["requests"] == [] and found["external_links"] == []
    assert found["leaflet"] == "1.9.4" and found["alerts"] == [] and found["exercised"]
    assert found["canvas"] == 1 and found["maps"] == 1  # one canvas, one copy of the buurten
    assert any("SIA-score" in t for t in found["legend_text"])
    assert any("niet getoond (privacy)" in t for t in found["legend_text"])
    assert any("synthetisch" in t.lower() for t in found["title"])
    names = [n.strip() for n in found["layer_names"]]
    assert "SIA-score" in names and "Gemeentegrenzen" in names
    shot = tmp_path / "sia.png"
    found = bc.check_page(page, tooltip=True, screenshot=shot)
    assert "Rang" in found["tooltip"] and "1 van" in found["tooltip"]
    assert shot.stat().st_size > 10_000


@pytest.mark.browser
@needs_chromium
def test_check_catches_errors(grid_buurten: gpd.GeoDataFrame, tmp_path: Path) -> None:
    """The check can fail: a script error, an alert, a request and a missing map are reported."""
    page = tmp_path / "kapot.html"
    html = maps.buurten_map(grid_buurten).get_root().render()
    html = html.replace(
        "</body>",
        "<script>alert('x'); geenFunctie();</script>"
        '<img src="http://voorbeeld.invalid/x.png"></body>',
    )
    page.write_text(html, encoding="utf-8")
    found = bc.problems(bc.check_page(page), min_polygons=100)
    assert any("geenFunctie" in p for p in found)
    assert any("alert()" in p for p in found)
    assert any("voorbeeld.invalid" in p for p in found)
    assert any("9 buurten drawn" in p for p in found)
    empty = tmp_path / "leeg.html"
    empty.write_text('<html><head><script src="https://x.invalid/l.js"></script></head></html>')
    found = bc.problems(bc.check_page(empty), min_polygons=1)
    assert any("no legend" in p for p in found) and any("x.invalid" in p for p in found)
