"""The real-browser check: a generated sia.html renders in headless Chromium, offline."""

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


def test_localise_rewrites_every_cdn_asset() -> None:
    page = "<html><head></head><body></body></html>"
    for url in bc.ASSETS:
        page = page.replace("</head>", f'<script src="{url}"></script></head>')
    out, unknown = bc.localise(page, "http://127.0.0.1:1")
    assert unknown == [] and "cdn.jsdelivr" not in out and "__gpProbe" in out


@pytest.mark.browser
@pytest.mark.slow
def test_sia_html_renders_in_chromium(
    grid_buurten: gpd.GeoDataFrame, amersfoort: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    if bc.find_chromium() is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    try:
        bc.fetch_assets()
    except (RuntimeError, OSError) as exc:  # no npm or no registry: cannot serve Leaflet
        pytest.skip(f"Leaflet & co. could not be fetched from the npm registry: {exc}")
    from maps_fixtures import demo_chain

    result = demo_chain()["dia"]
    scored = result.buurten.copy()
    scored["buurtnaam"] = scored["buurtnaam"].astype(object)
    scored.loc[scored.index[0], "buurtnaam"] = "<script>alert(1)</script>"
    page = tmp_path / "sia.html"
    maps.sia_map(scored, dia_areas=result.areas, synthetic=True).save(str(page))
    result = bc.check_page(page, screenshot=tmp_path / "sia.png")
    assert bc.problems(result, min_polygons=len(amersfoort)) == []
    assert result["leaflet"] == "1.9.3" and result["alerts"] == []
    assert any("SIA-score" in t for t in result["legend_text"])
    assert any("synthetisch" in t.lower() for t in result["title"])
    assert (tmp_path / "sia.png").stat().st_size > 10_000


@pytest.mark.browser
def test_check_catches_errors(grid_buurten: gpd.GeoDataFrame, tmp_path: Path) -> None:
    """The check can fail: a script error, an alert and a missing legend are reported."""
    if bc.find_chromium() is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    try:
        bc.fetch_assets()
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"Leaflet & co. could not be fetched from the npm registry: {exc}")
    page = tmp_path / "kapot.html"
    html = maps.buurten_map(grid_buurten).get_root().render()
    html = html.replace("</body>", "<script>alert('x'); geenFunctie();</script></body>")
    page.write_text(html, encoding="utf-8")
    found = bc.problems(bc.check_page(page), min_polygons=100)
    assert any("geenFunctie" in p for p in found)
    assert any("alert()" in p for p in found)
    assert any("9 polygon paths" in p for p in found)
    assert any("no legend" in p for p in found)
