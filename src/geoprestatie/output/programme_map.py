"""``programma.html``: the whole-stock prognosis per buurt, one view per year on a slider.

Built on the one-geometry engine (:mod:`geoprestatie.output._webmap`): the buurten once,
one fill array per year, tooltip texts in columns; the page is offline and shows every
text with ``textContent`` (the spec reaches the page through
:func:`geoprestatie.output.html.json_for_script`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geoprestatie.errors import InputError
from geoprestatie.output import _mapdata as _md
from geoprestatie.output import _webmap as _wm
from geoprestatie.output._fmt import is_missing, nl_int
from geoprestatie.output._mapdata import COLOUR_SUPPRESSED
from geoprestatie.output.maps import MapBase, _sources, _text, palette, web_frames
from geoprestatie.publication import SUPPRESSED_LABEL
from geoprestatie.segments import SEGMENT_LABELS

__all__ = ["buurt_growth", "programme_map"]

_FIGURES = ("groei", "groei_gemiddeld")


def buurt_growth(
    segments: pd.DataFrame, *, percentielen: Sequence[int] = (10, 50, 90)
) -> pd.DataFrame:
    """The buurt rows of :func:`geoprestatie.programme.segment_bands` as ``buurtcode``,
    ``segment``, ``jaar``, ``groei`` (every plan on time), ``groei_gemiddeld`` (mean of the
    simulations) and the band ``groei_p<q>``; NA where the public set hides a figure.

    Examples
    --------
    >>> seg = pd.DataFrame({"niveau": ["gemeente", "buurt"], "gebied": ["gemeente", "B1"],
    ...     "segment": "koop", "jaar": 2025, "beginstand": 0, "eindstand_gemiddeld": 4.5,
    ...     "groei": 5, "groei_p10": 3, "groei_p50": 5, "groei_p90": 5})
    >>> buurt_growth(seg)[["buurtcode", "groei_gemiddeld", "groei_p10"]].to_dict("records")
    [{'buurtcode': 'B1', 'groei_gemiddeld': 4.5, 'groei_p10': 3.0}]
    """
    need = {"niveau", "gebied", "segment", "jaar", "groei", "eindstand_gemiddeld", "beginstand"}
    missing = sorted(need - set(segments.columns))
    if missing:
        raise InputError(
            f"de tabel met banden per segment mist de kolommen {missing}; verwacht de "
            "uitvoer van programme.segment_bands (programma_banden.csv)",
            source="programma_banden",
            column=missing[0],
        )
    part = segments[segments["niveau"] == "buurt"]
    bands = [f"groei_p{p}" for p in percentielen if f"groei_p{p}" in part.columns]
    mean = pd.to_numeric(part["eindstand_gemiddeld"], errors="coerce") - pd.to_numeric(
        part["beginstand"], errors="coerce"
    )
    out = pd.DataFrame(
        {
            "buurtcode": part["gebied"].astype("string").to_numpy(),
            "segment": part["segment"].astype(str).to_numpy(),
            "jaar": part["jaar"].astype("int64").to_numpy(),
            "groei": pd.to_numeric(part["groei"], errors="coerce").astype("float64").to_numpy(),
            "groei_gemiddeld": mean.astype("float64").to_numpy(),
        }
    )
    for b in bands:
        out[b] = pd.to_numeric(part[b], errors="coerce").astype("float64").to_numpy()
    return out


def _segment_line(rec: Mapping[Any, Any], bands: Sequence[str]) -> str:
    """``"sociale huur: +40 (p10–p90: +20 – +55; alles op tijd +60)"``."""
    label = SEGMENT_LABELS.get(str(rec["segment"]), str(rec["segment"]))
    if is_missing(rec["groei_gemiddeld"]):
        return f"{label}: {SUPPRESSED_LABEL}"
    text = f"{label}: {_signed(rec['groei_gemiddeld'])}"
    if len(bands) >= 2 and not any(is_missing(rec[b]) for b in (bands[0], bands[-1])):
        lo, hi = bands[0].removeprefix("groei_"), bands[-1].removeprefix("groei_")
        text += f" (band {lo}–{hi}: {_signed(rec[bands[0]])} tot {_signed(rec[bands[-1]])}"
        text += f"; alles op tijd {_signed(rec['groei'])})"
    return text


def _signed(v: Any) -> str:
    return f"+{nl_int(v)}" if float(v) > 0 else nl_int(v)


def _year_texts(
    growth: pd.DataFrame, codes: Sequence[str], year: int, bands: Sequence[str]
) -> tuple[list[str], list[str], list[list[str]], np.ndarray, np.ndarray]:
    """Per buurt: the expected growth, the on-time growth, the lines per segment, the mean
    (NaN: no plans) and whether a figure is hidden."""
    part = growth[growth["jaar"] == year]
    lines: dict[str, list[str]] = {}
    for rec in part.to_dict("records"):
        lines.setdefault(str(rec["buurtcode"]), []).append(_segment_line(rec, bands))
    per = part.groupby("buurtcode")[list(_FIGURES)].sum(min_count=1)
    hidden_codes = set(part.loc[part["groei_gemiddeld"].isna(), "buurtcode"].astype(str))
    per = per.reindex(list(codes))
    hidden = np.array([c in hidden_codes for c in codes], dtype=bool)
    mean = per["groei_gemiddeld"].to_numpy(dtype="float64", copy=True)
    mean[hidden] = np.nan
    on_time = per["groei"].to_numpy(dtype="float64")
    planned = np.array([c in lines for c in codes], dtype=bool)
    expected = [
        SUPPRESSED_LABEL if h else (_signed(round(float(m))) if p else "geen plannen")
        for m, h, p in zip(mean, hidden, planned, strict=True)
    ]
    timely = [
        SUPPRESSED_LABEL if h else (_signed(t) if p else "–")
        for t, h, p in zip(on_time, hidden, planned, strict=True)
    ]
    return expected, timely, [lines.get(c, ["–"]) for c in codes], mean, hidden


def programme_map(
    segments: pd.DataFrame,
    buurten: gpd.GeoDataFrame,
    *,
    synthetic: bool = False,
    title: str | None = None,
    sources: Sequence[str] = (),
    percentielen: Sequence[int] = (10, 50, 90),
    tiles: bool = True,
    simplify_m: float | None = None,
    cdn: bool = False,
    base: MapBase | None = None,
) -> folium.Map:
    """Map of the whole-stock programme: expected growth per buurt since the start, a year
    slider, per segment the band in the tooltip.

    Colour: the mean of the simulations summed over the segments (means add up, percentiles
    do not); tooltip: that figure, the growth when every plan is on time, and per segment
    the mean with its band. ``segments`` is :func:`geoprestatie.programme.segment_bands`
    (its ``buurt`` rows; NA cells are shown as hidden). Buurten without plans are hollow.
    ``base``: :func:`geoprestatie.output.maps.map_base` of ``buurten``, shared with the
    run's other maps.

    Examples
    --------
    >>> from geoprestatie.datasets import load_buurten
    >>> b = load_buurten("Enschede").head(2)
    >>> seg = pd.DataFrame({"niveau": "buurt", "gebied": list(b["buurtcode"]) * 2,
    ...     "segment": "koop_duur", "jaar": [2025, 2025, 2026, 2026], "beginstand": 0,
    ...     "eindstand_gemiddeld": [5.0, 0, 9.5, 2], "groei": [6, 0, 10, 2],
    ...     "groei_p10": [2, 0, 4, 0], "groei_p90": [6, 0, 10, 2]})
    >>> html = programme_map(seg, b).get_root().render()
    >>> "Verwachte groei 2025" in html and "koop duur: +10 (band p10" in html
    True
    """
    growth = buurt_growth(segments, percentielen=percentielen)
    if growth.empty:
        raise InputError(
            "de tabel met banden per segment heeft geen rijen per buurt (niveau = 'buurt'); "
            "geef de plannen een buurtcode of een punt (x, y)",
            source="programma_banden",
            column="niveau",
        )
    bands = [f"groei_p{p}" for p in percentielen if f"groei_p{p}" in growth.columns]
    years = sorted(int(y) for y in growth["jaar"].unique())
    first = years[0]
    web, context = (
        web_frames(buurten, simplify_m) if base is None else base.frames(buurten, simplify_m)
    )
    codes = list(buurten["buurtcode"].astype(str))
    cols: dict[str, list[Any]] = {
        "naam": _text(buurten["buurtnaam"], ""),
        "code": _text(buurten["buurtcode"]),
    }
    labels = {"naam": "Buurt", "code": "Code"}
    texts = {y: _year_texts(growth, codes, y, bands) for y in years}
    all_means = np.concatenate([texts[y][3] for y in years])
    idx_all, class_labels = _md.change_classes(pd.Series(all_means))
    colours = palette("PuOr", 5)[::-1]  # purple = decrease, orange = increase
    rows = [(f"background:{c}", lab) for c, lab in zip(colours, class_labels, strict=True)]
    if any(texts[y][4].any() for y in years):
        rows.append(
            (
                f"background:{COLOUR_SUPPRESSED}",
                f"{SUPPRESSED_LABEL} = niet getoond (privacy: plannen van een corporatie "
                "die de prognose per buurt verbergt)",
            )
        )
    rows.append(("background:#ffffff", "geen plannen (leeg)"))
    views = []
    for k, year in enumerate(years):
        expected, timely, lines, _mean, hidden = texts[year]
        cols[f"verwacht_{year}"] = expected
        cols[f"optijd_{year}"] = timely
        cols[f"segment_{year}"] = lines
        labels |= {
            f"verwacht_{year}": f"Verwachte groei {first}–{year}",
            f"optijd_{year}": "Als alle plannen op tijd komen",
            f"segment_{year}": "Per segment (gemiddelde, band)",
        }
        idx = idx_all[k * len(codes) : (k + 1) * len(codes)]
        fill = [len(colours) if h else int(i) for i, h in zip(idx, hidden, strict=True)]
        views.append(
            _wm.View(
                str(year),
                fill,
                [*colours, COLOUR_SUPPRESSED],
                f"Verwachte groei sinds begin {first} (woningen)",
                rows,
                ["naam", "code", f"verwacht_{year}", f"optijd_{year}", f"segment_{year}"],
                legend_note=(
                    "Alle partijen en segmenten samen; gemiddelde van de simulaties (elke "
                    f"planstatus met zijn realisatiekans en vertraging), stand eind {year}. "
                    f"Band {bands[0].removeprefix('groei_')}–{bands[-1].removeprefix('groei_')}"
                    " per segment in de tooltip."
                    if len(bands) >= 2
                    else "Alle partijen en segmenten samen; gemiddelde van de simulaties."
                ),
            )
        )
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return _wm.make_map(
        web,
        cols=cols,
        labels=labels,
        views=views,
        title=title or f"Woningbouwprogramma {span}: verwachte groei per buurt",
        subtitle="Alle partijen; kleur: verwachte groei van de woningvoorraad sinds begin "
        f"{first}; schuif door de jaren",
        synthetic=synthetic,
        sources=_sources(buurten, sources, synthetic=synthetic),
        overlays=context,
        slider="Jaar" if len(years) > 1 else None,
        initial=len(views) - 1,
        tiles=tiles,
        cdn=cdn,
        topology=None if base is None else base.topology,
    )
