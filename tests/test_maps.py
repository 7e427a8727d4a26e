from __future__ import annotations

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
