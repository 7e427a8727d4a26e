"""The SMAA chart, the DIA status on the print map, and what-it-takes in tooltip and report."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from test_maps import map_spec

from geoprestatie.errors import InputError
from geoprestatie.output import maps, plots, report
from geoprestatie.output.robustness import smaa_png


def _ranked() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "buurtnaam": ["A", "B", "C", "D"],
            "sia_rang": pd.array([1, 2, 3, 4], dtype="Int64"),
            "kans_top_k": [1.0, 0.6, 0.4, 0.0],
            "kans_rang_1": [0.7, 0.3, 0.0, 0.0],
            "kans_rang_2": [0.3, 0.3, 0.4, 0.0],
            "rang_p05": pd.array([1, 1, 2, 3], dtype="Int64"),
            "rang_p95": pd.array([2, 3, 3, 4], dtype="Int64"),
        }
    )


def test_smaa_strips_add_up_and_leave_out_never_in_the_top(tmp_path: Path) -> None:
    fig = smaa_png(_ranked(), path=tmp_path / "smaa.png", top=20)
    assert (tmp_path / "smaa.png").stat().st_size > 10_000
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A (1)", "B (2)", "C (3)"]  # D: 0
    widths: dict[float, float] = {}
    for bar in ax.patches:
        widths[bar.get_y()] = widths.get(bar.get_y(), 0.0) + bar.get_width()
    assert all(w == pytest.approx(1.0) for w in widths.values())
    texts = [t.get_text() for t in ax.texts]
    assert "top 2: 60 %  rang 1–3" in texts
    grey = [p for p in ax.patches if to_hex(p.get_facecolor()) == "#e6e6e6"]
    assert sorted(round(p.get_width(), 2) for p in grey) == [0.0, 0.4, 0.6]


def test_smaa_png_needs_the_rank_acceptabilities() -> None:
    with pytest.raises(InputError, match="kans_rang_1"):
        smaa_png(_ranked().drop(columns=["kans_rang_1", "kans_rang_2"]))


def test_dia_png_marks_locked_and_new(
    scored_grid: gpd.GeoDataFrame, dia_grid: gpd.GeoDataFrame
) -> None:
    areas = pd.concat([dia_grid, dia_grid.assign(dia_naam="Zuid")], ignore_index=True)
    areas = gpd.GeoDataFrame(areas, crs=dia_grid.crs).assign(status=["vastgezet", "nieuw"])
    fig = plots.dia_png(scored_grid, areas)
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "Noord (vastgezet)", "Zuid (nieuw)"
    ]  # fmt: skip
    assert any(p.get_hatch() == "///" for c in fig.axes[0].collections for p in [c])


def _near_cut(scored_grid: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    g = scored_grid.copy()
    g["wat_nodig_tekst"] = pd.array(
        [None, None, "Valt uit de top 3 als <b>X</b> 5 procentpunt zwaarder weegt"]
        + ["Komt in de top 3 als Y 2 procentpunt zwaarder weegt"]
        + [None] * 4
        + ["Komt in de top 3 als Z zwaarder weegt"],  # buurt 8: 3 dwellings, hidden
        dtype="string",
    )
    g["dia_rol"] = pd.array(["prioriteitsbuurt", "verbindingsbuurt"] + [None] * 7, "string")
    g["dia_reden"] = pd.array(
        [None, None, None, "te klein: minder dan 150 corporatiewoningen (min_woningen)"]
        + [None] * 4
        + ["eiland: geen aangrenzende prioriteitsbuurt"],
        dtype="string",
    )
    g.attrs["top_k"] = 3
    return g


def test_what_it_takes_in_the_report(
    scored_grid: gpd.GeoDataFrame, dia_grid: gpd.GeoDataFrame
) -> None:
    page = report.report_html(title="t", scored=_near_cut(scored_grid), dia_areas=dia_grid)
    assert "Wat nodig is om de grens van de top 3 te passeren" in page
    # one sentence per buurt: name, rank, what it takes, and its DIA or why not
    assert (
        "<li>Buurt 3 (rang 4): komt in de top 3 als Y 2 procentpunt zwaarder weegt; niet in "
        "een DIA: te klein: minder dan 150 corporatiewoningen (min_woningen).</li>"
    ) in page
    assert "<b>X</b>" not in page and "&lt;b&gt;X&lt;/b&gt;" in page  # escaped


def test_what_it_takes_and_dia_role_in_the_tooltip(
    scored_grid: gpd.GeoDataFrame, dia_grid: gpd.GeoDataFrame
) -> None:
    html = maps.sia_map(_near_cut(scored_grid), dia_areas=dia_grid).get_root().render()
    spec = map_spec(html)
    cols, labels = spec["areas"]["cols"], spec["labels"]
    assert labels["wat_nodig"] == "Wat nodig is (top 3)" and labels["dia_rol"] == "Rol in de DIA"
    assert cols["wat_nodig"][:4] == [
        "",
        "",
        "Valt uit de top 3 als <b>X</b> 5 procentpunt zwaarder weegt",  # shown as text
        "Komt in de top 3 als Y 2 procentpunt zwaarder weegt",
    ]
    assert cols["dia"][:2] == ["Noord", "Noord"]
    assert cols["dia_rol"][:3] == [
        "prioriteitsbuurt",
        "verbindingsbuurt: verbindt twee prioriteitsbuurten",
        "",
    ]
    assert cols["dia_reden"][3] == "te klein: minder dan 150 corporatiewoningen (min_woningen)"
    assert "<b>X</b>" not in html  # JSON inert in <script>, shown with textContent
    views = {v["name"]: v for v in spec["views"]}
    assert {"wat_nodig", "dia", "dia_rol", "dia_reden"} <= set(views["SIA-score"]["tooltip"])


def test_smaa_draws_no_empty_segments() -> None:
    """A rank a buurt never has is no bar (an empty bar only drew a white edge over its
    neighbour's colour); the bars of all ranks are drawn in one call, rank by rank."""
    fig = smaa_png(_ranked(), top=20)
    bars = [p for p in fig.axes[0].patches if to_hex(p.get_facecolor()) != "#e6e6e6"]
    # A: 0.7 + 0.3, B: 0.3 + 0.3, C: only rank 2 (0.4); grey bars apart
    assert sorted(round(p.get_width(), 2) for p in bars) == [0.3, 0.3, 0.3, 0.4, 0.7]
    firsts = [p for p in bars if p.get_x() == 0]
    assert len({to_hex(p.get_facecolor()) for p in firsts}) == 2  # rank 1 (A, B), rank 2 (C)
