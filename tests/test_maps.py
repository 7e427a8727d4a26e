from __future__ import annotations

import json
import re

import geopandas as gpd

from geoprestatie.output import maps


def map_spec(html: str) -> dict:
    """The spec of a rendered map (the JSON handed to gpMap)."""
    match = re.search(r"gpMap\(map_\w+, (\{.*\})\);", html)
    assert match is not None, "no gpMap call in the page"
    return json.loads(match.group(1))


def test_buurten_map_structure(amersfoort: gpd.GeoDataFrame) -> None:
    html = maps.buurten_map(amersfoort, title="Amersfoort").get_root().render()
    spec = map_spec(html)
    assert [o["name"] for o in spec["overlays"]] == ["Wijkgrenzen", "Gemeentegrenzen"]
    assert len(spec["areas"]["geom"]) == len(amersfoort) and spec["views"][0]["name"] == "Buurten"
    assert "Bron: CBS, Kadaster" in html
    assert "Soesterkwartier" in html or "BU03070" in html


def test_names_are_escaped(grid_buurten: gpd.GeoDataFrame) -> None:
    evil = grid_buurten.copy()
    evil.loc[0, "buurtnaam"] = "<script>alert(1)</script>"
    html = maps.buurten_map(evil, title="<img src=x onerror=alert(2)>").get_root().render()
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    # the data carry the name as it is (JSON, inert in <script>); the page shows it as text
    spec = map_spec(html)
    assert spec["areas"]["cols"]["buurtnaam"][0] == "<script>alert(1)</script>"
    assert spec["title"]["text"] == "<img src=x onerror=alert(2)>"
    assert "textContent" in html and ".innerHTML = " not in html.split("gpMaps")[1][:20000]


def test_to_web_keeps_coverage(amersfoort: gpd.GeoDataFrame) -> None:
    web = maps.to_web(amersfoort, simplify_m=10)
    assert web.crs.to_epsg() == 4326
    assert web.geometry.is_valid.all() and not web.geometry.is_empty.any()
    # simplification keeps shared borders: no overlaps appear between neighbours
    rd = web.to_crs(28992)
    overlap = rd.geometry.union_all().area
    assert abs(overlap - rd.geometry.area.sum()) / overlap < 1e-3


# --------------------------------------------------------------------- SIA and prognosis

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from maps_fixtures import demo_chain, published  # noqa: E402

from geoprestatie.errors import DataWarning, InputError  # noqa: E402
from geoprestatie.output._fmt import nl_int  # noqa: E402
from geoprestatie.output._mapdata import COLOUR_NOT_ELIGIBLE, COLOUR_SUPPRESSED, palette  # noqa: E402
from geoprestatie.publication import (  # noqa: E402
    SUPPRESSED_NOTE,
    coarse_prognosis,
    suppressed_mask,
)


def _rows(spec: dict, code_key: str = "code") -> dict[str, dict]:
    """Tooltip texts per buurt code: {code: {key: text}}."""
    cols = spec["areas"]["cols"]
    return {c: {k: v[i] for k, v in cols.items()} for i, c in enumerate(cols[code_key])}


def _fill(spec: dict, view: int, code: str, code_key: str = "code") -> str | None:
    """The fill colour of a buurt in a view (None: hollow)."""
    i = spec["areas"]["cols"][code_key].index(code)
    v = spec["views"][view]
    k = v["fill"][i]
    return None if k < 0 else v["colours"][k]


def test_sia_map_views_legend_tooltips(
    scored_grid: gpd.GeoDataFrame, dia_grid: gpd.GeoDataFrame
) -> None:
    public, areas = published(scored_grid, dia_grid)
    m = maps.sia_map(public, dia_areas=areas, top_k=3, synthetic=True)
    html = m.get_root().render()
    spec = map_spec(html)
    names = [v["name"] for v in spec["views"]]
    assert names[0] == "SIA-score"
    assert "Bijdrage: Energielabels E/F/G" in names and "Bijdrage: Leefbaarometer" in names
    # one copy of the geometry: every view colours the same polygons
    assert len(spec["areas"]["geom"]) == len(scored_grid)
    assert all(len(v["fill"]) == len(scored_grid) for v in spec["views"])
    assert [f["name"] for f in spec["flags"]] == ["Robuuste prioriteiten"]
    assert "DIA's (investeringsgebieden)" in [o["name"] for o in spec["overlays"]]
    legend = spec["views"][0]["legend"]
    assert legend["title"] == "SIA-score (0–100)"
    texts = [r[1] for r in legend["rows"]]
    assert any("91,3" in t for t in texts)  # the top class bound in Dutch notation
    # only the greys on the map are explained (the one buurt not eligible is hidden)
    assert not any(t.startswith("niet geschikt") for t in texts)
    assert SUPPRESSED_NOTE.format(n=5) in texts  # the publication policy's legend
    assert spec["title"]["synth"] and "Synthetische gegevens" in spec["title"]["synth"]
    labels = spec["labels"]
    assert labels["score"] == "SIA-score (0–100)" and labels["kans"] == "Kans in top 3"
    assert labels["robuust"] == "Robuuste prioriteit" and labels["rang"] == "Rang"
    rows = _rows(spec)
    top = rows["BU99990000"]
    assert top["score"] == "91,3" and top["rang"] == "1 van 7"
    assert top["bijdrage_aandeel_efg"] == "51,3 punten" and top["kans"] == "97 %"
    assert top["band"] == "1 – 2" and top["robuust"] == "ja" and top["dia"] == "Noord"
    # hidden by the publication policy (BU8: 3 dwellings; BU7: else 3 = total - the
    # others): grey, no figures at all, the label in the tooltip
    assert rows["BU99990007"]["status"] == "× niet getoond (privacy)"
    assert _fill(spec, 0, "BU99990007") == COLOUR_SUPPRESSED
    assert _fill(spec, 0, "BU99990006") in (COLOUR_NOT_ELIGIBLE, *palette("YlOrRd", 5))
    small = rows["BU99990008"]
    assert _fill(spec, 0, "BU99990008") == COLOUR_SUPPRESSED and small["score"] == "–"
    assert "42,4" not in html and "21,2" not in html
    assert small["robuust"] == "–"  # a small buurt is never shown as a priority
    # highest class in the darkest colour of the palette; criterion views in their own
    assert _fill(spec, 0, "BU99990000") == palette("YlOrRd", 5)[-1]
    assert _fill(spec, 1, "BU99990000") in palette("Purples", 5)
    # DIA name label and the attribution lines
    dia = next(o for o in spec["overlays"] if o["name"].startswith("DIA"))
    assert [lab[2] for lab in dia["labels"]] == ["Noord"] and dia["label_class"] == "gp-dia-label"
    sources = " ".join(spec["sources"])
    assert "Bron: CBS, Kadaster" in sources and "synthetisch" in sources
    assert "Leefbaarometer 3.0" in sources


def test_sia_map_escapes_every_user_string(
    scored_grid: gpd.GeoDataFrame, dia_grid: gpd.GeoDataFrame
) -> None:
    evil = scored_grid.copy()
    evil["buurtnaam"] = evil["buurtnaam"].astype(object)
    evil.loc[0, "buurtnaam"] = "<script>alert(1)</script>"
    evil.loc[7, "sia_reden"] = "<img src=x onerror=alert(3)>"
    dia = dia_grid.assign(dia_naam=["</script><script>alert(4)</script>"])
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
    assert "</script><script>" not in html
    # the strings travel as inert JSON and are shown with textContent (as text)
    spec = map_spec(html)
    rows = _rows(spec)
    assert rows["BU99990000"]["naam"] == "<script>alert(1)</script>"
    assert rows["BU99990007"]["status"] == "<img src=x onerror=alert(3)>"
    assert "Bijdrage: <b>efg</b>" in [v["name"] for v in spec["views"]]
    assert spec["title"]["text"] == "<script>alert(5)</script>"


def test_sia_map_contract_errors(scored_grid: gpd.GeoDataFrame) -> None:
    with pytest.raises(InputError, match="sia_rang"):
        maps.sia_map(scored_grid.drop(columns=["sia_rang"]))
    maps.sia_map(scored_grid.drop(columns=["woningen_corporaties"]))  # shows what it gets
    with pytest.raises(ValueError, match="klassenindeling is 'jenks' maar moet een van"):
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
    spec = map_spec(html)
    buurt = _rows(spec)
    assert len(buurt) == len(scored)
    # the criterion labels of the SIA config, top_k from the table's attrs
    assert "Bijdrage: " + labels["leefbaarheid"] in [v["name"] for v in spec["views"]]
    assert spec["labels"]["kans"] == f"Kans in top {scored.attrs['top_k']}"
    # each buurt of a DIA names it; a priority buurt outside a DIA says why
    for rec in scored[scored["dia_naam"].notna()].itertuples():
        assert buurt[rec.buurtcode]["dia"] == rec.dia_naam
    reasons = scored[scored["dia_reden"].notna() & scored["sia_geschikt"]]
    for rec in reasons.itertuples():
        if buurt[rec.buurtcode]["score"] != "–":
            assert buurt[rec.buurtcode]["dia_reden"] == rec.dia_reden
    # the DIA outline's tooltip carries the per-area aggregates of dia.delineate
    dia = next(o for o in spec["overlays"] if o["name"].startswith("DIA"))
    tip = dia["tooltip"]
    assert tip["cols"]["f0"] == list(areas["dia_naam"])
    assert "Corporatiewoningen" in tip["labels"].values()
    assert "Robuuste buurten" in tip["labels"].values()
    for i, rec in enumerate(areas.itertuples()):
        values = {v[i] for v in tip["cols"].values()}
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
    with pytest.raises(ValueError, match="corporatie is 'C' maar moet een van"):
        maps.prognosis_totals(p, corporatie="C")
    with pytest.raises(InputError, match="eindstand"):
        maps.prognosis_totals(p.drop(columns=["eindstand"]))


def _year(spec: dict, year: int) -> int:
    return [v["name"] for v in spec["views"]].index(str(year))


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
    spec = map_spec(maps.prognose_map(p, grid_buurten).get_root().render())
    # the years are views picked with a slider, the last one first; one copy of the buurten
    assert [v["name"] for v in spec["views"]] == ["2025", "2026"] and spec["slider"] == "Jaar"
    assert spec["initial"] == 1 and len(spec["areas"]["geom"]) == n
    assert spec["labels"]["eind_2026"] == "Eindstand 2026"
    f26 = _rows(spec)[codes[0]]
    assert f26["eind_2026"] == "1.236"  # 1234 + 2
    assert f26["start_2026"] == "+34" and f26["mut_2026"] == "+34"
    assert f26["waarvan_2026"] == "nieuwbouw +40, sloop -6"
    # the full prognosis shows everything (internal); publiek/ gets the public one below
    assert f26["corp_2026"] == ["<i>Eigen Haard</i>: 2", "Woonbron: 1.234"]
    legend = spec["views"][1]["legend"]
    assert "alle corporaties" in legend["note"] and "31 december 2026" in legend["note"]
    only = map_spec(
        maps.prognose_map(p, grid_buurten, corporatie="<i>Eigen Haard</i>").get_root().render()
    )
    assert set(only["areas"]["cols"]["eind_2026"]) == {"2"}
    # the public prognosis: one row per buurt for all corporations, hidden cells marked
    public = coarse_prognosis(p)
    hidden = pd.DataFrame(False, index=public.index, columns=public.columns)
    hidden.loc[public["buurtcode"] == codes[1], ["beginstand", "eindstand"]] = True
    public.attrs = {"onderdrukt": hidden, "min_woningen": 5}
    pub = map_spec(maps.prognose_map(public, grid_buurten).get_root().render())
    assert _rows(pub)[codes[1]]["eind_2026"] == "×" and _fill(pub, 1, codes[1]) == COLOUR_SUPPRESSED
    assert _rows(pub)[codes[0]]["eind_2026"] == "1.236" and "corp_2026" not in _rows(pub)[codes[0]]
    assert SUPPRESSED_NOTE.format(n=5) in [r[1] for r in pub["views"][1]["legend"]["rows"]]
    # buurten without a prognosis are drawn hollow; prognosis rows without a buurt warn
    few = map_spec(
        maps.prognose_map(p[p["buurtcode"] != codes[0]], grid_buurten).get_root().render()
    )
    assert _rows(few)[codes[0]]["eind_2026"] == "geen corporatiewoningen"
    assert _fill(few, 1, codes[0]) is None
    # 3 buurten x 2 years x 2 corporations; end of 2026: 3 x (1234 + 2)
    with pytest.warns(DataWarning, match=r"12 rij\(en\) \(3\.708 woning"):
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
    spec = map_spec(maps.prognose_map(p, grid_buurten).get_root().render())
    f = _rows(spec)["BU99990000"]
    assert f["eind_2025"] == "97" and f["waarvan_2025"] == "verkoop -5"
    assert f["corp_2025"][0] == "A: 100" and f["corp_2025"][1].startswith("B: -3 (onder nul")
    assert spec["slider"] is None  # one year: nothing to slide


def test_prognose_map_real_chain() -> None:
    c = demo_chain()
    prognosis, buurten = c["prognosis"], c["buurten"]
    html = maps.prognose_map(prognosis, buurten, synthetic=True).get_root().render()
    spec = map_spec(html)
    assert [v["name"] for v in spec["views"]] == ["2022", "2023"]
    assert spec["title"]["synth"] and len(html.encode()) < 1.5 * 1024 * 1024
    # the map's figures are the prognosis' own: eindstand 2023 of the largest buurt
    last = prognosis[prognosis["jaar"] == 2023].groupby("buurtcode")["eindstand"].sum()
    code = str(last.idxmax())
    assert _rows(spec)[code]["eind_2023"] == nl_int(last.max())


def test_map_base_is_shared_and_gives_the_same_page() -> None:
    """The maps of a run draw its buurten from one :func:`maps.map_base`: the same page as
    each map simplifying on its own, and a base of other buurten is refused."""
    c = demo_chain()
    prognosis, buurten, scored = c["prognosis"], c["buurten"], c["dia"].buurten
    base = maps.map_base(buurten)
    assert base.fits(scored) and base.fits(buurten, base.tolerance)
    assert not base.fits(buurten.iloc[::-1]) and not base.fits(buurten, base.tolerance + 1)
    assert not base.fits(buurten.drop(columns=["gemeentenaam"]))
    alone = maps.prognose_map(prognosis, buurten, synthetic=True).get_root().render()
    shared = maps.prognose_map(prognosis, buurten, synthetic=True, base=base)
    assert shared.get_root().render() == alone
    labels = {"aandeel_efg": "Energielabels E/F/G"}
    alone = maps.sia_map(scored, criterion_labels=labels).get_root().render()
    shared = maps.sia_map(scored, criterion_labels=labels, base=base)
    assert shared.get_root().render() == alone
    with pytest.raises(ValueError, match="andere buurten"):
        maps.sia_map(scored.iloc[:20], base=base)


def test_mutation_texts_by_hand() -> None:
    frame = pd.DataFrame(
        {
            "nieuwbouw": [120.0, 0.0, None, 1234.0],
            "sloop": pd.array([-30, 0, None, 0], dtype="Int64"),
        }
    )
    assert maps._mutation_texts(frame, ["nieuwbouw", "sloop"]) == [
        "nieuwbouw +120, sloop -30",
        "–",
        "–",
        "nieuwbouw +1.234",
    ]
    assert maps._mutation_texts(frame, []) == ["–"] * 4


# the fixture is only read (assign returns a copy), so sharing it across examples is safe
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    counts=st.lists(st.integers(0, 40), min_size=9, max_size=9),
    min_woningen=st.integers(1, 30),
)
def test_sia_map_never_shows_small_figures(
    counts: list[int], min_woningen: int, grid_buurten: gpd.GeoDataFrame
) -> None:
    """The map of the public frame shows no figure of a small buurt, and exactly the
    buurten the publication policy left visible."""
    g = grid_buurten.assign(
        woningen_corporaties=counts,
        sia_score=[11.11 * (i + 1) for i in range(9)],
        sia_rang=list(range(9, 0, -1)),
        sia_geschikt=True,
        bijdrage_x=[1.01 * (i + 1) for i in range(9)],
    )
    public, _ = published(g, min_woningen=min_woningen)
    visible = ~suppressed_mask(public)["sia_score"].to_numpy()
    spec = map_spec(maps.sia_map(public).get_root().render())
    rows = _rows(spec)
    assert len(rows) == 9 and len(spec["areas"]["geom"]) == 9  # every buurt drawn
    for (code, p), n, i, vis in zip(rows.items(), counts, range(9), visible, strict=True):
        shown = p["score"] != "–"
        assert shown == vis
        if 0 < n < min_woningen:
            assert not shown
        if not shown:
            assert p["bijdrage_x"] == "–" and p["rang"] == "–"
            assert _fill(spec, 0, code) == COLOUR_SUPPRESSED
        else:
            assert p["score"] == f"{11.11 * (i + 1):.1f}".replace(".", ",")


def test_rank_total_counts_the_hidden_ranked_buurten() -> None:
    # the public table hides the rank of buurt 2 (ranked 2nd): the tooltip said "3 van 2"
    shown = pd.DataFrame(
        {
            "buurtnaam": ["A", "B", "C"],
            "buurtcode": ["BU1", "BU2", "BU3"],
            "sia_score": [90.0, np.nan, 50.0],
            "sia_rang": [1, np.nan, 3],
            "_status": ["prioriteit", "onderdrukt", "prioriteit"],
            "_reden": ["", "× niet getoond (privacy)", ""],
        }
    )
    cols, _, _ = maps._sia_columns(shown, [], {}, None)
    assert cols["rang"] == ["1 van 3", "–", "3 van 3"]
