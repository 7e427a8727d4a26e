from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
from maps_fixtures import demo_chain, published
from matplotlib.colors import to_rgb

from geoprestatie.output import plots
from geoprestatie.output._fmt import nl_int
from geoprestatie.output._mapdata import COLOUR_SUPPRESSED, hidden, palette


def _has_colour(img: np.ndarray, hex_colour: str, *, min_pixels: int = 50) -> bool:
    rgb = np.asarray(to_rgb(hex_colour))
    close = np.abs(img[..., :3] - rgb).max(axis=-1) < 2 / 255
    return int(close.sum()) >= min_pixels


def _texts(fig) -> str:  # type: ignore[no-untyped-def]
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
        for leg in [ax.get_legend(), *[a for a in ax.artists]]:
            if leg is not None and hasattr(leg, "get_texts"):
                out += [t.get_text() for t in leg.get_texts()]
                out.append(leg.get_title().get_text())
    return "\n".join(out)


def test_sia_png_file_and_colours(
    scored_grid: gpd.GeoDataFrame,
    dia_grid: gpd.GeoDataFrame,
    tmp_path: Path,
) -> None:
    target = tmp_path / "sia.png"
    public, areas = published(scored_grid, dia_grid)  # what publiek/ gets
    fig = plots.sia_png(public, dia_areas=areas, path=target, synthetic=True, title="SIA Testdorp")
    assert target.exists() and [p.name for p in tmp_path.iterdir()] == ["sia.png"]
    img = mpimg.imread(target)
    # 8 inch wide at 200 dpi; as tall as the square grid needs (5.2 in) plus title and sources
    assert img.shape[:2] == (1300, 1600)
    assert _has_colour(img, palette("YlOrRd", 5)[-1])  # the top class is drawn
    assert _has_colour(img, COLOUR_SUPPRESSED)  # the 3-dwelling buurt, hidden by the policy
    full = plots.sia_png(scored_grid, dia_areas=dia_grid, title="SIA Testdorp")
    assert "niet geschikt" in _texts(full) and "privacy" not in _texts(full)  # not published
    text = _texts(fig)
    assert "SIA Testdorp" in text and "synthetische gegevens" in text
    assert "91,3" in text  # Dutch class bounds in the legend
    assert "Noord" in text and "robuuste prioriteit" in text
    # the top buurten numbered on the map and named in a list; every grey explained
    assert "buurten (rang)" in text and "1. " in text
    flat = " ".join(text.split())
    assert "niet getoond (privacy)" in flat and "minder dan 5 woningen" in flat
    assert "Bron: CBS, Kadaster" in text and "synthetisch" in text
    assert "km" in text or " m" in text  # the scale bar


def test_scale_bar_length() -> None:
    assert plots._nice_length(3000) == 500
    assert plots._nice_length(14_000) == 2000
    assert plots._nice_length(40_000) == 5000


def test_dia_and_prognose_png(
    scored_grid: gpd.GeoDataFrame,
    dia_grid: gpd.GeoDataFrame,
    grid_buurten: gpd.GeoDataFrame,
    tmp_path: Path,
) -> None:
    fig = plots.dia_png(scored_grid, dia_grid, path=tmp_path / "dia.png")
    assert "Noord" in _texts(fig)
    img = mpimg.imread(tmp_path / "dia.png")
    assert _has_colour(img, "#E69F00")  # the first DIA's colour
    codes = list(grid_buurten["buurtcode"])
    p = pd.DataFrame(
        {
            "corporatie": "A",
            "buurtcode": codes * 2,
            "jaar": [2025] * 9 + [2030] * 9,
            "beginstand": [100] * 18,
            "eindstand": [100] * 9 + [40] * 8 + [3],
        }
    )
    fig = plots.prognose_png(p, grid_buurten, path=tmp_path / "prognose.png")
    text = _texts(fig)
    assert "Prognose sociale huurvoorraad eind 2030" in text
    assert "Totaal begin 2025: 900" in text and "Totaal eind 2030: 323" in text
    assert "geen corporatiewoningen" not in text
    assert "Verandering aantal sociale" in text and "alle corporaties" in text
    img = mpimg.imread(tmp_path / "prognose.png")
    assert _has_colour(img, COLOUR_SUPPRESSED)  # the buurt with 3 dwellings in 2030
    with pytest.raises(ValueError, match="`year` is 2040 maar moet een van"):
        plots.prognose_png(p, grid_buurten, year=2040)
    # a buurt without corporation dwellings is hatched, and so named in the legend
    fig = plots.prognose_png(p[p["buurtcode"] != codes[0]], grid_buurten)
    assert "geen corporatiewoningen" in _texts(fig)


def test_prognose_png_real_chain(tmp_path: Path) -> None:
    c = demo_chain()
    prognosis = c["prognosis"]
    fig = plots.prognose_png(prognosis, c["buurten"], synthetic=True)
    text = _texts(fig)
    begin = int(prognosis.loc[prognosis["jaar"] == 2022, "beginstand"].sum())
    end = int(prognosis.loc[prognosis["jaar"] == 2023, "eindstand"].sum())
    assert f"Totaal begin 2022: {nl_int(begin)}" in text
    assert f"Totaal eind 2023: {nl_int(end)}" in text and "synthetisch" in text


def test_user_text_is_literal(
    scored_grid: gpd.GeoDataFrame, dia_grid: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    """A "$" in a name must not switch matplotlib to mathtext (or fail when unbalanced)."""
    dia = dia_grid.assign(dia_naam=["Noord $x^2$ en $"])
    fig = plots.sia_png(scored_grid, dia_areas=dia, title="Kosten in $", path=tmp_path / "a.png")
    assert "Noord \\$x^2\\$ en \\$" in _texts(fig)


def test_hidden_rank_is_a_row_of_the_top_list(
    scored_grid: gpd.GeoDataFrame, dia_grid: gpd.GeoDataFrame
) -> None:
    # the 3-dwelling buurt's figures are hidden in publiek/; its rank is not a silent gap
    public, areas = published(scored_grid, dia_grid)
    hidden_rank = int(scored_grid.loc[hidden(public, "sia_score"), "sia_rang"].dropna().min())
    k = int(scored_grid["sia_rang"].max())
    text = _texts(plots.sia_png(public, dia_areas=areas, top_k=k))
    listed = [line for line in text.splitlines() if line[:1].isdigit() and ". " in line]
    assert [int(line.split(".")[0]) for line in listed] == list(range(1, len(listed) + 1))
    assert f"{hidden_rank}. niet getoond (privacy)" in listed


def test_a_long_top_list_fits_beside_the_map(
    scored_grid: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A top list longer than fits (a national top 50) lists the first ranks and says where
    the rest is; the list stays inside the figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.legend import Legend

    monkeypatch.setattr(plots, "TOP_LIST_MAX", 3)
    k = int(scored_grid["sia_rang"].max())
    fig = plots.sia_png(scored_grid, top_k=k)
    text = _texts(fig)
    listed = [line for line in text.splitlines() if line[:1].isdigit() and ". " in line]
    assert [int(line.split(".")[0]) for line in listed] == [1, 2, 3]
    assert f"… rang 4–{k}: zie sia.csv en het rapport" in text
    renderer = FigureCanvasAgg(fig).get_renderer()
    for legend in fig.axes[0].get_children():
        if isinstance(legend, Legend):
            box = legend.get_window_extent(renderer)
            assert box.y0 >= 0 and box.x1 <= fig.bbox.width + 1


def _rendered(draw) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The pixels of a small figure after ``draw(ax)``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 3), dpi=80)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()  # as on the maps (geopandas labels the axes)
    ax.set_aspect("equal")
    draw(ax)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def test_polygons_and_lines_draw_as_geopandas() -> None:
    """The one-collection drawing gives the pixels of ``GeoDataFrame.plot``: holes,
    multipolygons, missing and empty geometries, colours per row, dashed outlines."""
    from shapely import MultiPolygon, Polygon, box

    ring = Polygon(box(0, 0, 10, 10).exterior.coords, [box(3, 3, 6, 6).exterior.coords])
    frame = gpd.GeoDataFrame(
        geometry=[ring, None, MultiPolygon([box(11, 0, 14, 4), box(11, 6, 14, 9)]), Polygon()],
        crs=28992,
    )
    colours = ["#ff0000", "#00ff00", "#0000ff", "#000000"]
    style = {"edgecolor": "#666666", "linewidth": 2.0}
    assert np.array_equal(
        _rendered(lambda ax: plots._polygons(ax, frame, color=colours, **style)),
        _rendered(lambda ax: frame.plot(ax=ax, color=colours, **style)),
    )
    hatched = {"facecolor": "white", "edgecolor": "#b0b0b0", "hatch": "////"}
    assert np.array_equal(
        _rendered(lambda ax: plots._polygons(ax, frame, **hatched)),
        _rendered(lambda ax: frame.plot(ax=ax, **hatched)),
    )
    dashed = {"color": "#7a0177", "linewidth": 1.8, "linestyle": (0, (4, 2))}
    assert np.array_equal(
        _rendered(lambda ax: plots._lines(ax, frame.boundary, **dashed)),
        _rendered(lambda ax: frame.boundary.plot(ax=ax, **dashed)),
    )


def test_print_maps_make_no_patch_per_buurt(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A national print map draws 14,000 buurten: not through ``GeoDataFrame.plot`` (a
    patch per polygon and a whole extra draw of the figure per call)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("GeoDataFrame.plot / GeoSeries.plot called")

    monkeypatch.setattr(gpd.GeoDataFrame, "plot", property(lambda self: refuse))
    monkeypatch.setattr(gpd.GeoSeries, "plot", property(lambda self: refuse))
    c = demo_chain()
    scored, areas = c["dia"].buurten, c["dia"].areas
    plots.sia_png(scored, dia_areas=areas, path=tmp_path / "sia.png", top_k=10)
    plots.dia_png(scored, areas, path=tmp_path / "dia.png")
    plots.prognose_png(c["prognosis"], c["buurten"], path=tmp_path / "prognose.png")
    assert all((tmp_path / f"{n}.png").stat().st_size > 10_000 for n in ("sia", "dia", "prognose"))


def test_every_text_of_the_public_pngs_lies_inside_the_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each text of each print PNG of the demo's public set (titles, notes, legends, labels)
    is drawn inside the figure: the prognosis map's note on hidden totals ran off the right
    edge ("Totalen voor de gemeente: zie de progn")."""
    import warnings

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from geoprestatie import _fork, pipeline, publication
    from geoprestatie.config import demo_config
    from geoprestatie.output import write

    monkeypatch.setattr(_fork, "available", lambda: False)  # the figures drawn here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the demo data's deliberate flaws
        result = pipeline.run(demo_config())
    public = publication.publish(result, publication.PublicationPolicy.from_dict({}))
    figures: list[Figure] = []
    save = Figure.savefig

    def keep(fig: Figure, *args, **kwargs):  # type: ignore[no-untyped-def]
        figures.append(fig)
        return save(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep)
    pngs = write.write_pngs(public, tmp_path)
    assert len(figures) == len(pngs) >= 5
    assert "Totalen voor de gemeente" in " ".join(_texts(f) for f in figures)
    for fig in figures:
        renderer = FigureCanvasAgg(fig).get_renderer()
        texts = [*fig.texts]
        for ax in fig.axes:
            texts += ax.texts
            legend = ax.get_legend()
            if legend is not None:
                texts += [*legend.get_texts(), legend.get_title()]
        for text in texts:
            if not text.get_visible() or not text.get_text().strip():
                continue
            box = text.get_window_extent(renderer)
            inside = box.x0 >= -1 and box.y0 >= -1
            inside = inside and box.x1 <= fig.bbox.width + 1 and box.y1 <= fig.bbox.height + 1
            assert inside, (text.get_text(), box.bounds, fig.bbox.bounds)


def _layout_faults(fig) -> list[str]:  # type: ignore[no-untyped-def]
    """What a reader of the saved PNG would see wrong: a text running off the figure, or
    a figure-level text (title, subtitle, note, sources) drawn over a legend or a map."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.legend import Legend

    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)  # the maps' equal aspect settles their boxes
    width, height = fig.bbox.width, fig.bbox.height
    legends = [a for ax in fig.axes for a in ax.get_children() if isinstance(a, Legend)]
    legends += list(fig.legends)
    texts = list(fig.texts)
    for ax in fig.axes:
        texts += ax.texts
    for leg in legends:
        texts += [*leg.get_texts(), leg.get_title()]
    faults = []
    for t in texts:
        if not t.get_visible() or not t.get_text().strip():
            continue
        b = t.get_window_extent(renderer)
        if b.x0 < -1 or b.y0 < -1 or b.x1 > width + 1 or b.y1 > height + 1:
            faults.append(f"outside: {t.get_text()[:40]!r}")
    maps = [ax.get_window_extent(renderer) for ax in fig.axes if not ax.axison]
    for t in fig.texts:
        if not t.get_text().strip():
            continue
        b = t.get_window_extent(renderer)
        for other in [leg.get_window_extent(renderer) for leg in legends] + maps:
            if b.overlaps(other):
                faults.append(f"overlap: {t.get_text()[:40]!r}")
    return faults


def test_a_long_name_and_a_note_stay_inside_and_apart(
    scored_grid: gpd.GeoDataFrame, dia_grid: gpd.GeoDataFrame, grid_buurten: gpd.GeoDataFrame
) -> None:
    """The agreement examples' PNGs: the title with the project's name ran off the right
    edge ("Monitor prestatieafspraken Enschede (voorbeel"), and the red note on skipped
    criteria (two lines) ran into the legend of the SIA map."""
    from geoprestatie.output.robustness import smaa_png

    name = "Monitor prestatieafspraken Enschede (voorbeeld)"
    note = (
        "Onvolledige SIA: 4 van 7 criteria overgeslagen (60 % van het gewicht): Lage "
        "leefbaarheid (Leefbaarometer) (25 %), Aandeel corporatiewoningen (15 %), Start "
        "warmtetransitie binnen planhorizon (10 %), Lage sociaaleconomische score (CBS) (10 %)"
    )
    sia = plots.sia_png(
        scored_grid, dia_areas=dia_grid, title=f"SIA-prioriteiten: {name}", incomplete=note
    )
    assert _layout_faults(sia) == []
    assert name in _texts(sia) and "(10 %)" in _texts(sia)  # shrunk, not cut
    assert _layout_faults(plots.dia_png(scored_grid, dia_grid, title=f"DIA-gebieden: {name}")) == []
    ranked = pd.DataFrame(
        {"buurtnaam": ["A", "B"], "sia_rang": [1, 2], "kans_top_k": [1.0, 0.6],
         "kans_rang_1": [0.7, 0.3], "rang_p05": [1, 1], "rang_p95": [2, 3]}
    )  # fmt: skip
    smaa = smaa_png(ranked, title=f"Hoe zeker is de top 10? {name}")
    assert _layout_faults(smaa) == [] and name in _texts(smaa)
    absurd = plots.sia_png(scored_grid, title="Naam " * 40)
    assert _layout_faults(absurd) == [] and "…" in absurd.texts[0].get_text()


def test_an_smaa_chart_without_ranked_buurten_says_so() -> None:
    """No buurt scored (the Enschede example): the chart was an empty frame; its message
    was placed in data coordinates outside the empty axes' range and never showed."""
    from geoprestatie.output.robustness import smaa_png

    empty = pd.DataFrame(
        {"buurtnaam": ["A"], "sia_rang": [pd.NA], "kans_top_k": [0.0], "kans_rang_1": [0.0]}
    )
    fig = smaa_png(empty)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ax_box = fig.axes[0].get_window_extent(renderer)
    shown = [t for t in fig.axes[0].texts if "Geen buurt" in t.get_text()]
    assert shown and ax_box.overlaps(shown[0].get_window_extent(renderer))
    assert _layout_faults(fig) == []
    from geoprestatie.publication import SUPPRESSED_ATTR

    hidden = empty.assign(kans_top_k=float("nan"))  # publiek/ hid every chance: not "no score"
    hidden.attrs[SUPPRESSED_ATTR] = pd.DataFrame({c: [c == "kans_top_k"] for c in hidden.columns})
    assert "niet getoond (privacy)" in _texts(smaa_png(hidden))


def test_dia_names_leave_the_ranks_readable() -> None:
    """In the demo's sia.png the name "DIA Bloemenbuurt-Oost" was written over the ranks
    6 and 7 of the buurten in it (and "DIA Hoefkwartier" over rank 3)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from geoprestatie.output._mapdata import COLOUR_DIA

    c = demo_chain()
    fig = plots.sia_png(c["dia"].buurten, dia_areas=c["dia"].areas, top_k=10)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    texts = fig.axes[0].texts
    names = [t for t in texts if t.get_color() == COLOUR_DIA]
    ranks = [t for t in texts if t.get_text().isdigit() and t.get_color() != COLOUR_DIA]
    assert len(names) == len(c["dia"].areas) and len(ranks) >= 8
    covered = [
        (n.get_text(), r.get_text())
        for n in names
        for r in ranks
        if n.get_window_extent(renderer).overlaps(r.get_window_extent(renderer))
    ]
    assert covered == []


def test_the_fan_chart_footer_and_legend_stay_apart() -> None:
    """behoefte.png: the note "gegevens synthetisch (…)" and the legend shared the bottom
    line and touched (the legend keeps to the figure's edge, not the footer's band)."""
    from geoprestatie.output.prognosis_charts import fan_chart

    segments = ["sociale_huur", "middenhuur", "vrije_huur", "koop_betaalbaar", "koop_midden"]
    gap = pd.DataFrame(
        {"segment": [s for s in segments for _ in range(2)], "jaar": [2025, 2026] * 5,
         "behoefte_cumulatief": [10.0, 20.0] * 5, "aanbod_cumulatief": [12, 18] * 5,
         "aanbod_cumulatief_p10": [5, 9] * 5, "aanbod_cumulatief_p50": [8, 14] * 5,
         "aanbod_cumulatief_p90": [12, 18] * 5}
    )  # fmt: skip
    fig = fan_chart(gap, synthetic=True)
    assert "gegevens synthetisch" in _texts(fig)
    assert _layout_faults(fig) == []


def test_smaa_rank_intervals_of_a_national_run_fit_and_read_dutch() -> None:
    """The interval beside a bar ended 10 px from the right edge with three-digit ranks (the
    quick national set); four digits ran off it, and 1020 read as in English."""
    from geoprestatie.output.robustness import smaa_png

    ranked = pd.DataFrame(
        {"buurtnaam": ["Buurt 1121 (synthetisch)", "Buurt 7"], "sia_rang": [2, 1130],
         "kans_top_k": [1.0, 0.2], "kans_rang_1": [0.7, 0.0], "rang_p05": [1, 1020],
         "rang_p95": [11, 14500]}
    )  # fmt: skip
    fig = smaa_png(ranked)
    assert _layout_faults(fig) == []
    text = _texts(fig) + " ".join(t.get_text() for t in fig.axes[0].get_yticklabels())
    assert "rang 1.020–14.500" in text and "Buurt 7 (1.130)" in text
