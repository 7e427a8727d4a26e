from __future__ import annotations

import re

import geopandas as gpd

from geoprestatie.output import maps


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
from maps_fixtures import demo_chain  # noqa: E402

from geoprestatie.errors import DataWarning, InputError  # noqa: E402
from geoprestatie.output._fmt import nl_int  # noqa: E402
from geoprestatie.output._mapdata import COLOUR_NOT_ELIGIBLE, COLOUR_SUPPRESSED, palette  # noqa: E402


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


def test_sia_map_real_chain() -> None:
    c = demo_chain()
    areas, scored = c["dia"].areas, c["dia"].buurten
    labels = {crit.name: crit.label for crit in c["config"].criteria}
    html = (
        maps.sia_map(scored, dia_areas=areas, criterion_labels=labels, synthetic=True)
        .get_root()
        .render()
    )
    size = len(html.encode("utf-8"))
    assert size < 1.5 * 1024 * 1024, size
    feats = _geojson_features(html)
    buurt = {p["code"]: p for p in feats if "score" in p}
    assert len(buurt) == len(scored)
    # the criterion labels of the SIA config, top_k from the table's attrs
    assert "Bijdrage: " + labels["leefbaarheid"] in html
    assert f"Kans in top {scored.attrs['top_k']}" in html
    # each buurt of a DIA names it; a priority buurt outside a DIA says why
    for rec in scored[scored["dia_naam"].notna()].itertuples():
        assert buurt[rec.buurtcode]["dia"] == rec.dia_naam
    reasons = scored[scored["dia_reden"].notna() & scored["sia_geschikt"]]
    for rec in reasons.itertuples():
        if buurt[rec.buurtcode]["score"] != "–":
            assert buurt[rec.buurtcode]["dia_reden"] == rec.dia_reden
    # the DIA outline's tooltip carries the per-area aggregates of dia.delineate
    dia_feats = {p["f0"]: p for p in feats if "f0" in p}
    assert set(dia_feats) == set(areas["dia_naam"])
    assert "Corporatiewoningen" in html and "Robuuste buurten" in html
    for rec in areas.itertuples():
        values = set(dia_feats[rec.dia_naam].values())
        assert nl_int(rec.woningen_corporaties) in values and rec.dia_id in values


def test_prognosis_totals_by_hand() -> None:
    # two corporations in BU1, one in BU2, two years; removals are negative as in project()
    p = pd.DataFrame(
        {
            "corporatie": ["A", "B", "A", "B", "A", "A", "A"],
            "buurtcode": ["BU1"] * 4 + ["BU2"] * 2 + [None],
            "jaar": [2025, 2025, 2026, 2026, 2025, 2026, 2025],
            "beginstand": [10, 5, 12, 5, 7, 7, 100],
            "nieuwbouw": [2, 0, 0, 0, 0, 2, 0],
            "sloop": [0, 0, 0, -4, 0, 0, 0],
            "eindstand": [12, 5, 12, 1, 7, 9, 100],
        }
    )
    t = maps.prognosis_totals(p)
    assert t["buurtcode"].tolist() == ["BU1", "BU1", "BU2", "BU2"]  # no buurtcode: left out
    assert t["eindstand"].tolist() == [17, 13, 7, 9]
    assert t["verandering"].tolist() == [2, -4, 0, 2]  # eindstand - beginstand of the year
    assert t["verandering_start"].tolist() == [2, -2, 0, 2]  # against beginstand 2025
    assert t["nieuwbouw"].tolist() == [2, 0, 0, 2] and t["sloop"].tolist() == [0, -4, 0, 0]
    assert maps.prognosis_totals(p, corporatie="B")["eindstand"].tolist() == [5, 1]
    with pytest.raises(ValueError, match="`corporatie` was 'C'"):
        maps.prognosis_totals(p, corporatie="C")
    with pytest.raises(InputError, match="eindstand"):
        maps.prognosis_totals(p.drop(columns=["eindstand"]))


def test_prognose_map_years_and_corporations(grid_buurten: gpd.GeoDataFrame) -> None:
    codes = list(grid_buurten["buurtcode"])
    n = len(codes)
    woonbron = pd.DataFrame(
        {
            "corporatie": "Woonbron",
            "buurtcode": codes * 2,
            "jaar": [2025] * n + [2026] * n,
            "beginstand": [1200] * n + [1200] * n,
            "nieuwbouw": [0] * n + [40] * n,
            "sloop": [0] * n + [-6] * n,
            "eindstand": [1200] * n + [1234] * n,
        }
    )
    eigen = woonbron.assign(
        corporatie="<i>Eigen Haard</i>", beginstand=2, nieuwbouw=0, sloop=0, eindstand=2
    )
    p = pd.concat([woonbron, eigen], ignore_index=True)
    html = maps.prognose_map(p, grid_buurten).get_root().render()
    assert '"Eindstand 2025"' in html and '"Eindstand 2026"' in html
    # the years are base layers: one at a time (radio buttons)
    base = html[html.index("base_layers") : html.index("overlays")]
    assert "Eindstand 2025" in base and "Eindstand 2026" in base
    feats = [f for f in _geojson_features(html) if "eindstand" in f]
    f26 = next(f for f in feats if f["eindstand"] == "1.236")  # 1234 + 2
    assert f26["start"] == "+34" and f26["jaar_mut"] == "+34"
    assert f26["mutaties"] == "nieuwbouw +40, sloop -6"
    assert (
        "Woonbron: 1.234" in f26["corp"] and "&lt;i&gt;Eigen Haard&lt;/i&gt;: &lt; 5" in f26["corp"]
    )
    assert "<i>Eigen" not in html
    only = maps.prognose_map(p, grid_buurten, corporatie="<i>Eigen Haard</i>")
    feats = [f for f in _geojson_features(only.get_root().render()) if "eindstand" in f]
    assert {f["eindstand"] for f in feats} == {"&lt; 5"}  # every buurt suppressed
    assert {f["mutaties"] for f in feats} == {"–"}
    # buurten without a prognosis are drawn hollow; prognosis rows without a buurt warn
    few = maps.prognose_map(p[p["buurtcode"] != codes[0]], grid_buurten).get_root().render()
    hollow = [f for f in _geojson_features(few) if f.get("buurtcode") == codes[0]]
    assert hollow and {f["eindstand"] for f in hollow} == {"geen corporatiewoningen"}
    # 3 buurten x 2 years x 2 corporations; end of 2026: 3 x (1234 + 2)
    with pytest.warns(DataWarning, match=r"12 row\(s\) \(3\.708 dwelling"):
        maps.prognose_map(p, grid_buurten.iloc[3:])
    with pytest.raises(ValueError, match="`years`"):
        maps.prognose_map(p, grid_buurten, years=[2030])


def test_prognose_map_shows_stock_below_zero(grid_buurten: gpd.GeoDataFrame) -> None:
    # B sells 5 of its 2 dwellings: a planning error, shown as such (not as "< 5")
    p = pd.DataFrame(
        {
            "corporatie": ["A", "B"],
            "buurtcode": ["BU99990000"] * 2,
            "jaar": [2025, 2025],
            "beginstand": [100, 2],
            "verkoop": [0, -5],
            "eindstand": [100, -3],
        }
    )
    html = maps.prognose_map(p, grid_buurten).get_root().render()
    f = next(f for f in _geojson_features(html) if f.get("buurtcode") == "BU99990000")
    assert f["eindstand"] == "97" and f["mutaties"] == "verkoop -5"
    assert "A: 100" in f["corp"] and "B: -3 (onder nul" in f["corp"]


def test_prognose_map_real_chain() -> None:
    c = demo_chain()
    prognosis, buurten = c["prognosis"], c["buurten"]
    html = maps.prognose_map(prognosis, buurten, synthetic=True).get_root().render()
    assert '"Eindstand 2022"' in html and '"Eindstand 2023"' in html
    assert "Synthetische gegevens" in html and len(html.encode()) < 1.5 * 1024 * 1024
    # the map's figures are the prognosis' own: eindstand 2023 of the largest buurt
    last = prognosis[prognosis["jaar"] == 2023].groupby("buurtcode")["eindstand"].sum()
    code = str(last.idxmax())
    feats = [f for f in _geojson_features(html) if f.get("buurtcode") == code]
    assert nl_int(last.max()) in {f["eindstand"] for f in feats}


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
