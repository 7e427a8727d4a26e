from __future__ import annotations

import re

import geopandas as gpd

from geoprestatie import maps


def test_buurten_map_structure(amersfoort: gpd.GeoDataFrame) -> None:
    html = maps.buurten_map(amersfoort, title="Amersfoort").get_root().render()
    assert "Gemeentegrens" in html and "Buurten" in html
    assert "Bron: CBS, Kadaster" in html
    assert "Soesterkwartier" in html or "BU03070" in html


def test_names_are_escaped(grid_buurten: gpd.GeoDataFrame) -> None:
    evil = grid_buurten.copy()
    evil.loc[0, "buurtnaam"] = "<script>alert(1)</script>"
    html = maps.buurten_map(evil, title="<img src=x onerror=alert(2)>").get_root().render()
    assert "<script>alert(1)</script>" not in html
    # escaped once (shown as text), whether or not the JSON layer also escapes "&"
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        or "\\u0026lt;script\\u0026gt;alert(1)" in html
    )
    assert "<img src=x" not in html


def test_to_web_keeps_coverage(amersfoort: gpd.GeoDataFrame) -> None:
    web = maps.to_web(amersfoort, simplify_m=10)
    assert web.crs.to_epsg() == 4326
    assert web.geometry.is_valid.all() and not web.geometry.is_empty.any()
    # simplification keeps shared borders: no overlaps appear between neighbours
    rd = web.to_crs(28992)
    overlap = rd.geometry.union_all().area
    assert abs(overlap - rd.geometry.area.sum()) / overlap < 1e-3


# --------------------------------------------------------------------- SIA and prognosis

import json  # noqa: E402

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from maps_fixtures import (  # noqa: E402
    hand_dia,
    hand_scored,
    synthetic_dia_areas,
    synthetic_prognosis,
    synthetic_sia,
)

from geoprestatie._mapdata import COLOUR_NOT_ELIGIBLE, COLOUR_SUPPRESSED, palette  # noqa: E402
from geoprestatie.errors import InputError  # noqa: E402


@pytest.fixture
def scored_grid(grid_buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return hand_scored(grid_buurten)


@pytest.fixture
def dia_grid(scored_grid: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return hand_dia(scored_grid)


def _geojson_features(html: str) -> list[dict]:
    """The properties of every GeoJSON feature embedded in the rendered map (decoded)."""
    blobs = re.findall(r'_add\((\{.*?"type": "FeatureCollection"\})\);', html, re.S)
    return [f["properties"] for b in blobs for f in json.loads(b)["features"]]


def _controls(html: str) -> str:
    """The decoded HTML of the title and legend controls."""
    blobs = re.findall(r"div.innerHTML = (\".*?\");\n", html)
    return "\n".join(json.loads(b) for b in blobs)


def test_sia_map_layers_legend_tooltips(
    scored_grid: gpd.GeoDataFrame, dia_grid: gpd.GeoDataFrame
) -> None:
    m = maps.sia_map(scored_grid, dia_areas=dia_grid, top_k=3, synthetic=True)
    html = m.get_root().render()
    for layer in (
        "SIA-score",
        "Bijdrage: Energielabels E/F/G",
        "Bijdrage: Leefbaarometer",
        "Robuuste prioriteiten",
        "DIA\\u0027s (investeringsgebieden)",
    ):
        assert f'"{layer}"' in html, layer
    assert "L.control.layers" in html and "L.control.scale" in html
    controls = _controls(html)
    assert "gp-legend" in html and "<h4>SIA-score (0–100)</h4>" in controls
    assert "91,3" in controls  # the top class bound in Dutch notation
    assert "niet geschikt" in controls and "&lt; 5 woningen (onderdrukt)" in controls
    assert "Synthetische gegevens" in controls
    # Dutch tooltips with Dutch numbers, worked out by hand
    for alias in (
        "Buurt",
        "SIA-score (0\\u2013100)",
        "Rang",
        "Status",
        "Kans in top 3",
        "Robuuste prioriteit",
    ):
        assert alias in html
    props = {p["code"]: p for p in _geojson_features(html) if "score" in p}
    top = props["BU99990000"]
    assert top["score"] == "91,3" and top["rang"] == "1 van 7"
    assert top["bijdrage_aandeel_efg"] == "51,3 punten" and top["kans"] == "97 %"
    assert top["band"] == "1 – 2" and top["robuust"] == "ja" and top["dia"] == "Noord"
    # not eligible: grey with its reason; suppressed: no figures at all
    assert props["BU99990007"]["status"] == "geen Leefbaarometer-score"
    assert props["BU99990007"]["_fill"] == COLOUR_NOT_ELIGIBLE
    small = props["BU99990008"]
    assert small["_fill"] == COLOUR_SUPPRESSED and small["score"] == "–"
    assert "42,4" not in html and "21,2" not in html
    assert small["robuust"] == "–"  # a small buurt is never shown as a priority
    # highest class in the darkest colour of the palette
    assert top["_fill"] == palette("YlOrRd", 5)[-1]
    # DIA name label and the attribution lines
    assert "gp-dia-label" in html and "Noord" in html
    assert "Bron: CBS, Kadaster" in html and "synthetisch" in html and "Leefbaarometer 3.0" in html


def test_sia_map_escapes_every_user_string(
    scored_grid: gpd.GeoDataFrame, dia_grid: gpd.GeoDataFrame
) -> None:
    evil = scored_grid.copy()
    evil["buurtnaam"] = evil["buurtnaam"].astype(object)
    evil.loc[0, "buurtnaam"] = "<script>alert(1)</script>"
    evil.loc[7, "sia_reden"] = "<img src=x onerror=alert(3)>"
    dia = dia_grid.assign(dia_naam=["<script>alert(4)</script>"])
    html = (
        maps.sia_map(
            evil,
            dia_areas=dia,
            criterion_labels={"aandeel_efg": "<b>efg</b>"},
            title="<script>alert(5)</script>",
            sources=["<script>alert(6)</script>"],
        )
        .get_root()
        .render()
    )
    assert "<script>alert(" not in html and "<img src=x" not in html and "<b>efg" not in html
    assert "\\u003cscript" not in html  # no raw tag hidden in JSON either
    names = {p["naam"] for p in _geojson_features(html) if "naam" in p}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in names  # shown as text by the tooltip
    reasons = {p.get("status") for p in _geojson_features(html)}
    assert "&lt;img src=x onerror=alert(3)&gt;" in reasons
    # the layer name (Leaflet shows it as HTML): escaped, then JSON-encoded
    assert '"Bijdrage: \\u0026lt;b\\u0026gt;efg\\u0026lt;/b\\u0026gt;"' in html
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in _controls(html)


def test_sia_map_contract_errors(scored_grid: gpd.GeoDataFrame) -> None:
    with pytest.raises(InputError, match="sia_rang"):
        maps.sia_map(scored_grid.drop(columns=["sia_rang"]))
    with pytest.raises(InputError, match="woningen_corporaties"):
        maps.sia_map(scored_grid.drop(columns=["woningen_corporaties"]))
    maps.sia_map(scored_grid.drop(columns=["woningen_corporaties"]), min_dwellings=0)
    with pytest.raises(ValueError, match="`scheme` was 'jenks'"):
        maps.sia_map(scored_grid, scheme="jenks")
    with pytest.raises(InputError, match="bijdrage_geluid"):
        maps.sia_map(scored_grid, criteria=["geluid"])
    before = scored_grid.copy()
    maps.sia_map(scored_grid, criteria=["aandeel_efg"])
    pd.testing.assert_frame_equal(scored_grid, before)


def test_sia_map_amersfoort_under_limit(amersfoort: gpd.GeoDataFrame) -> None:
    scored = synthetic_sia(amersfoort)
    html = maps.sia_map(scored, dia_areas=synthetic_dia_areas(scored), synthetic=True)
    size = len(html.get_root().render().encode("utf-8"))
    assert size < 1.5 * 1024 * 1024, size
    assert len(_geojson_features(html.get_root().render())) >= len(amersfoort)


def test_prognosis_totals_by_hand() -> None:
    p = pd.DataFrame(
        {
            "buurtcode": ["BU1"] * 4 + ["BU2"] * 2,
            "jaar": [2025, 2025, 2026, 2026, 2025, 2026],
            "corporatie": ["A", "B", "A", "B", "A", "A"],
            "voorraad": [10, 5, 12, 1, 7, 9],
        }
    )
    t = maps.prognosis_totals(p)
    assert t["voorraad"].tolist() == [15, 13, 7, 9]
    assert t["verandering"].tolist()[1] == -2 and t["verandering"].tolist()[3] == 2
    assert t["verandering_start"].tolist() == [0, -2, 0, 2]
    assert maps.prognosis_totals(p, corporatie="B")["voorraad"].tolist() == [5, 1]
    with pytest.raises(ValueError, match="`corporatie` was 'C'"):
        maps.prognosis_totals(p, corporatie="C")
    with pytest.raises(InputError, match="voorraad"):
        maps.prognosis_totals(p.drop(columns=["voorraad"]))


def test_prognose_map_years_and_corporations(grid_buurten: gpd.GeoDataFrame) -> None:
    codes = list(grid_buurten["buurtcode"])
    p = pd.DataFrame(
        {
            "buurtcode": codes * 2 + codes * 2,
            "jaar": [2025] * 9 + [2026] * 9 + [2025] * 9 + [2026] * 9,
            "corporatie": ["Woonbron"] * 18 + ["<i>Eigen Haard</i>"] * 18,
            "voorraad": [1200] * 9 + [1234] * 9 + [2] * 18,
        }
    )
    html = maps.prognose_map(p, grid_buurten).get_root().render()
    assert '"Voorraad 2025"' in html and '"Voorraad 2026"' in html
    # the years are base layers: one at a time (radio buttons)
    base = html[html.index("base_layers") : html.index("overlays")]
    assert "Voorraad 2025" in base and "Voorraad 2026" in base
    feats = [f for f in _geojson_features(html) if "voorraad" in f]
    f26 = next(f for f in feats if f["voorraad"] == "1.236")  # 1234 + 2
    assert f26["start"] == "+34" and f26["vorig"] == "+34"
    assert (
        "Woonbron: 1.234" in f26["corp"] and "&lt;i&gt;Eigen Haard&lt;/i&gt;: &lt; 5" in f26["corp"]
    )
    assert "<i>Eigen" not in html
    only = maps.prognose_map(p, grid_buurten, corporatie="<i>Eigen Haard</i>")
    feats = [f for f in _geojson_features(only.get_root().render()) if "voorraad" in f]
    assert {f["voorraad"] for f in feats} == {"&lt; 5"}  # every buurt suppressed
    with pytest.raises(InputError, match="not in `buurten`"):
        maps.prognose_map(p, grid_buurten.iloc[:3])
    with pytest.raises(ValueError, match="`years`"):
        maps.prognose_map(p, grid_buurten, years=[2030])


def test_prognose_map_amersfoort(amersfoort: gpd.GeoDataFrame) -> None:
    m = maps.prognose_map(synthetic_prognosis(amersfoort), amersfoort, synthetic=True)
    html = m.get_root().render()
    assert html.count('"Voorraad 20') >= 6 and "Synthetische gegevens" in html
    assert len(html.encode()) < 1.5 * 1024 * 1024


# the fixture is only read (assign returns a copy), so sharing it across examples is safe
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    counts=st.lists(st.integers(0, 40), min_size=9, max_size=9),
    min_dwellings=st.integers(0, 30),
)
def test_sia_map_never_shows_small_figures(
    counts: list[int], min_dwellings: int, grid_buurten: gpd.GeoDataFrame
) -> None:
    g = grid_buurten.assign(
        woningen_corporaties=counts,
        sia_score=[11.11 * (i + 1) for i in range(9)],
        sia_rang=list(range(9, 0, -1)),
        sia_geschikt=True,
        bijdrage_x=[1.01 * (i + 1) for i in range(9)],
    )
    html = maps.sia_map(g, min_dwellings=min_dwellings).get_root().render()
    props = [p for p in _geojson_features(html) if "score" in p]
    assert len(props) == 9  # every buurt drawn, suppressed or not
    for p, n, i in zip(props, counts, range(9), strict=True):
        shown = p["score"] != "–"
        assert shown == (n >= min_dwellings)
        if not shown:
            assert p["bijdrage_x"] == "–" and p["rang"] == "–"
            assert p["_fill"] == COLOUR_SUPPRESSED
        else:
            assert p["score"] == f"{11.11 * (i + 1):.1f}".replace(".", ",")
