from __future__ import annotations

import base64
import html as htmllib
import re

import geopandas as gpd
import pandas as pd
import pytest
from maps_fixtures import hand_dia, hand_scored, synthetic_monitor

from geoprestatie import maps, report
from geoprestatie.errors import InputError


@pytest.fixture
def scored_grid(grid_buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return hand_scored(grid_buurten)


@pytest.fixture
def dia_grid(scored_grid: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return hand_dia(scored_grid)


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_monitor_traffic_lights_and_privacy() -> None:
    monitor, offending = synthetic_monitor()
    page = report.monitor_html(monitor, offending=offending)
    assert page.startswith("<!DOCTYPE html>") and 'lang="nl"' in page
    assert page.count('class="light"') == 3
    for label in ("voldaan", "aandacht", "niet voldaan"):
        assert label in page
    assert "12.345" in page and "&gt;= 12.000" in page  # measured value and norm, escaped
    # dwelling-level records are published as counts per buurt, small counts suppressed
    assert "V0001" not in page
    assert re.search(r"<td>BU03070000</td><td[^>]*>6</td>", page)
    assert re.search(r"<td>BU03070001</td><td[^>]*>&lt; 5</td>", page)
    full = report.monitor_html(monitor, offending=offending, show_dwellings=True)
    assert "V0001" in full


def test_monitor_escapes_and_validates() -> None:
    mon = pd.DataFrame(
        {
            "afspraak": ["<script>alert(1)</script>"],
            "gemeten": [1.5],
            "norm": ["<b>"],
            "status": ["groen"],
        }
    )
    page = report.monitor_html(mon, title="<i>t</i>")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>" not in page and "<i>t</i>" not in page and "1,5" in page
    with pytest.raises(InputError, match="status"):
        report.monitor_html(mon.assign(status=["paars"]))
    with pytest.raises(InputError, match="gemeten"):
        report.monitor_html(mon.drop(columns=["gemeten"]))


def test_report_html_self_contained(
    scored_grid: gpd.GeoDataFrame,
    dia_grid: gpd.GeoDataFrame,
) -> None:
    evil = scored_grid.copy()
    evil["buurtnaam"] = evil["buurtnaam"].astype(object)
    evil.loc[0, "buurtnaam"] = "<script>alert(1)</script>"
    m = maps.sia_map(evil, dia_areas=dia_grid)
    monitor, offending = synthetic_monitor()
    prognosis = pd.DataFrame(
        {
            "buurtcode": ["BU99990000"] * 2,
            "jaar": [2025, 2026],
            "corporatie": "A",
            "voorraad": [1000, 1234],
        }
    )
    accounting = pd.DataFrame(
        {"bron": ["voorraad.csv"], "records": [1500], "gekoppeld": [1490], "gemeld": [10]}
    )
    page = report.report_html(
        title="Rapport <Testdorp>",
        scored=evil,
        dia_areas=dia_grid,
        prognosis=prognosis,
        monitor=monitor,
        offending=offending,
        accounting=accounting,
        maps={"SIA": m},
        pngs={"SIA-kaart": PNG},
        synthetic=True,
    )
    assert "<script>alert(1)" not in page
    assert "<script" not in page  # the map is in an escaped srcdoc attribute, not live
    srcdoc = re.search(r'srcdoc="([^"]*)"', page)
    assert srcdoc is not None and "L.map" in htmllib.unescape(srcdoc.group(1))
    assert "data:image/png;base64," in page
    assert "Rapport &lt;Testdorp&gt;" in page and "synthetisch" in page
    for heading in (
        "Top 15 buurten (SIA)",
        "Duurzame investeringsgebieden (DIA)",
        "Prognose corporatievoorraad",
        "Monitor prestatieafspraken",
        "Bronnen",
        "Verantwoording",
    ):
        assert heading in page, heading
    assert "1.490" in page and "1.234" in page  # Dutch numbers in the tables
    top = page[page.index('id="top"') : page.index('id="dia"')]
    assert "Buurt 1" in top and "Buurt 8" not in top  # the 3-dwelling buurt is suppressed
    assert "Noord" in page and "Oppervlakte (ha)" in page and "200,0" in page  # 2 km2 DIA
    assert "CBS, Kadaster" in page  # default sources: the embedded data catalogue


def test_html_table_rejects_missing_column() -> None:
    with pytest.raises(InputError, match="'x'"):
        report.html_table(pd.DataFrame({"a": [1]}), columns={"x": "X"})
