"""The HTML report and the agreements monitor page: one self-contained file each.

Inline CSS, PNG maps embedded as base64, interactive folium maps embedded as ``<iframe
srcdoc>`` (escaped; their Leaflet scripts still come from a CDN, so they need internet, the
PNGs do not). Every user-supplied string is escaped; figures based on fewer than
``min_dwellings`` dwellings are suppressed and individual dwellings are only listed when
``show_dwellings=True``.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geoprestatie import _mapdata as _md
from geoprestatie._fmt import is_missing, nl_int, nl_num
from geoprestatie.errors import InputError
from geoprestatie.privacy import DEFAULT_MIN_DWELLINGS, suppress_small

__all__ = ["STATUS_COLOURS", "html_table", "monitor_html", "report_html"]

#: traffic light colours with a text label each (colour is never the only cue)
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "groen": ("#1a9850", "voldaan"),
    "oranje": ("#f39c12", "aandacht"),
    "rood": ("#c0392b", "niet voldaan"),
    "grijs": ("#9e9e9e", "onbekend"),
}

#: columns that identify a single dwelling; never published unless asked for
DWELLING_COLUMNS = ("vhe_id", "adres", "straat", "huisnummer", "postcode", "geometry")

_CSS = """
body{font:15px/1.5 'Helvetica Neue',Arial,sans-serif;color:#1a1a1a;max-width:1100px;
 margin:2em auto;padding:0 1em}
h1{font-size:26px;margin-bottom:0}h2{border-bottom:2px solid #08519c;padding-bottom:2px;
 margin-top:1.8em}.sub{color:#555}.synth{color:#7a0177;font-weight:700}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#eef3f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
.light{display:inline-block;width:14px;height:14px;border-radius:50%;
 vertical-align:middle;margin-right:6px;border:1px solid #555}
img.map{max-width:100%;border:1px solid #ccc}
iframe.map{width:100%;height:620px;border:1px solid #ccc}
.note{font-size:13px;color:#444}
@media print{iframe.map{display:none}}
"""


def _cell(value: Any, *, decimals: int) -> tuple[str, bool]:
    """Escaped text of a cell and whether it is numeric (right-aligned)."""
    if isinstance(value, (bool, np.bool_)):
        return ("ja" if value else "nee"), False
    if is_missing(value):
        return "–", False
    if isinstance(value, (int, np.integer)):
        return nl_int(value), True
    if isinstance(value, (float, np.floating)):
        return nl_num(value, decimals), True
    return html.escape(str(value)), False


def html_table(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    decimals: int = 1,
    max_rows: int | None = None,
) -> str:
    """An escaped HTML table with Dutch number formatting.

    ``columns`` maps column names to Dutch headers (and selects them, in order).

    Examples
    --------
    >>> t = html_table(pd.DataFrame({"naam": ["<b>"], "n": [1234]}), columns={"naam": "Naam"})
    >>> t[t.index("<tbody>"):]
    '<tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>'
    >>> '<td class="num">1.234</td>' in html_table(pd.DataFrame({"n": [1234]}))
    True
    """
    cols = dict(columns) if columns is not None else {str(c): str(c) for c in frame.columns}
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise InputError(f"table columns {missing} are missing", column=missing[0])
    rows = frame if max_rows is None else frame.head(max_rows)
    head = "".join(f"<th>{html.escape(h)}</th>" for h in cols.values())
    body = []
    for rec in rows[list(cols)].itertuples(index=False, name=None):
        cells = []
        for v in rec:
            text, num = _cell(v, decimals=decimals)
            cells.append(f'<td class="num">{text}</td>' if num else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if max_rows is not None and len(frame) > max_rows:
        more = f'<p class="note">… en nog {nl_int(len(frame) - max_rows)} rijen.</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def _offending_summary(
    offending: pd.DataFrame, *, show_dwellings: bool, min_dwellings: int
) -> pd.DataFrame:
    """Offending records, or per dwelling-level agreement a count per buurt (suppressed)."""
    dwelling_level = any(c in offending.columns for c in DWELLING_COLUMNS)
    if show_dwellings or not dwelling_level:
        return offending.drop(columns=["geometry"], errors="ignore")
    if "buurtcode" not in offending.columns:
        counts = offending.groupby("afspraak", as_index=False, sort=False).size()
        counts = counts.rename(columns={"size": "woningen"})
        return suppress_small(counts, count_col="woningen", min_count=min_dwellings)
    counts = (
        offending.groupby(["afspraak", "buurtcode"], as_index=False, sort=True)
        .size()
        .rename(columns={"size": "woningen"})
    )
    out = suppress_small(counts, count_col="woningen", min_count=min_dwellings)
    out["woningen"] = [
        f"< {min_dwellings}" if s else nl_int(v)
        for v, s in zip(out["woningen"].astype(object), out["onderdrukt"], strict=True)
    ]
    return out.drop(columns=["onderdrukt"]).rename(
        columns={"buurtcode": "Buurtcode", "woningen": "Woningen"}
    )


def monitor_html(
    monitor_frame: pd.DataFrame,
    *,
    offending: pd.DataFrame | None = None,
    title: str = "Monitor prestatieafspraken",
    show_dwellings: bool = False,
    min_dwellings: int = DEFAULT_MIN_DWELLINGS,
    synthetic: bool = False,
    full_page: bool = True,
) -> str:
    """Traffic lights per agreement with measured value, norm and the offending records.

    Parameters
    ----------
    monitor_frame
        One row per agreement: ``afspraak``, ``gemeten``, ``norm``, ``status``
        (``groen``/``oranje``/``rood``/``grijs``), optional ``toelichting``.
    offending
        The records that break an agreement, with an ``afspraak`` column. Dwelling-level
        records (a ``vhe_id`` or address column) are published as counts per buurt, with
        counts below ``min_dwellings`` shown as "< 5", unless ``show_dwellings=True``.
    full_page
        A whole HTML page (``monitor.html``) or a fragment for the report.

    Examples
    --------
    >>> mon = pd.DataFrame({"afspraak": ["Label"], "gemeten": [3.5], "norm": ["0"],
    ...                     "status": ["rood"]})
    >>> page = monitor_html(mon)
    >>> "niet voldaan" in page and "3,5" in page
    True
    """
    required = ("afspraak", "gemeten", "norm", "status")
    missing = [c for c in required if c not in monitor_frame.columns]
    if missing:
        raise InputError(
            f"missing monitor column(s) {missing}; expected {list(required)}",
            source="monitor",
        )
    bad = sorted(set(map(str, monitor_frame["status"])) - set(STATUS_COLOURS))
    if bad:
        raise InputError(
            f"unknown status value(s) {bad}; expected one of {list(STATUS_COLOURS)}",
            source="monitor",
            column="status",
        )
    rows = []
    for rec in monitor_frame.to_dict("records"):
        colour, label = STATUS_COLOURS[str(rec["status"])]
        value = rec["gemeten"]
        whole = isinstance(value, (int, float, np.number)) and float(value).is_integer()
        gemeten, _ = _cell(value, decimals=0 if whole else 1)
        rows.append(
            "<tr>"
            f'<td><span class="light" style="background:{colour}"></span>{label}</td>'
            f"<td>{html.escape(str(rec['afspraak']))}</td>"
            f'<td class="num">{gemeten}</td>'
            f"<td>{_cell(rec['norm'], decimals=1)[0]}</td>"
            f"<td>{_cell(rec.get('toelichting'), decimals=1)[0]}</td>"
            "</tr>"
        )
    parts = [
        "<table><thead><tr><th>Stoplicht</th><th>Afspraak</th><th>Gemeten</th><th>Norm</th>"
        "<th>Toelichting</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    ]
    if offending is not None and len(offending):
        if "afspraak" not in offending.columns:
            raise InputError(
                "offending records need an 'afspraak' column", source="offending", column="afspraak"
            )
        shown = _offending_summary(
            offending, show_dwellings=show_dwellings, min_dwellings=min_dwellings
        )
        parts.append("<h3>Afwijkende records</h3>")
        if not show_dwellings and len(shown) != len(offending):
            parts.append(
                '<p class="note">Per buurt geteld: losse woningen worden niet gepubliceerd '
                f"(aantallen onder {min_dwellings} als &lt; {min_dwellings}).</p>"
            )
        for name, grp in shown.groupby("afspraak", sort=False):
            parts.append(f"<h4>{html.escape(str(name))}</h4>")
            parts.append(html_table(grp.drop(columns=["afspraak"]), max_rows=50))
    body = "".join(parts)
    if not full_page:
        return body
    return _page(title, body, synthetic=synthetic)


def _page(title: str, body: str, *, synthetic: bool, subtitle: str | None = None) -> str:
    synth = (
        '<p class="synth">Let op: de corporatiegegevens in dit document zijn synthetisch '
        "(gegenereerd, geen echte woningen).</p>"
        if synthetic
        else ""
    )
    sub = f'<p class="sub">{html.escape(subtitle)}</p>' if subtitle else ""
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{sub}{synth}{body}</body></html>"
    )


def _png_tag(png: bytes | str | Path, alt: str) -> str:
    data = png if isinstance(png, bytes) else Path(png).read_bytes()
    if not data.startswith(b"\x89PNG"):
        raise InputError(
            "not a PNG image", source=str(png)[:80] if not isinstance(png, bytes) else "png"
        )
    b64 = base64.b64encode(data).decode("ascii")
    return f'<img class="map" alt="{html.escape(alt)}" src="data:image/png;base64,{b64}">'


def _map_html(m: Any) -> str:
    return m if isinstance(m, str) else str(m.get_root().render())


def report_html(
    *,
    title: str = "Rapport prestatieafspraken",
    scored: pd.DataFrame | None = None,
    dia_areas: pd.DataFrame | None = None,
    prognosis: pd.DataFrame | None = None,
    monitor: pd.DataFrame | None = None,
    offending: pd.DataFrame | None = None,
    accounting: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    maps: Mapping[str, Any] | None = None,
    pngs: Mapping[str, bytes | str | Path] | None = None,
    top_n: int = 15,
    min_dwellings: int = DEFAULT_MIN_DWELLINGS,
    synthetic: bool = False,
    generated: date | None = None,
) -> str:
    """One self-contained ``rapport.html``: maps, key tables, sources and the accounting.

    Parameters
    ----------
    scored
        The SIA buurt table (contract columns); the top ``top_n`` eligible buurten are
        listed with their contributions and robustness.
    dia_areas
        DIA polygons/rows with ``dia_naam`` (and ``dia_id``, ``n_buurten`` if present).
    prognosis
        Long prognosis frame (``buurtcode``, ``jaar``, ``voorraad``, ``corporatie``);
        summarised per year (and corporation).
    monitor, offending
        See :func:`monitor_html`.
    accounting
        The join accounting (any columns: source, records, joined, reported, reason ...).
    sources
        Data sources (any columns); default the embedded data catalogue.
    maps
        Title -> folium Map (or its HTML), embedded as ``<iframe srcdoc>``.
    pngs
        Title -> PNG bytes or path, embedded as base64 images.

    Examples
    --------
    >>> page = report_html(title="Rapport <Testdorp>", synthetic=True)
    >>> "Rapport &lt;Testdorp&gt;" in page and "Bronnen" in page and "synthetisch" in page
    True
    """
    sections: list[str] = []
    toc: list[str] = []

    def section(anchor: str, heading: str, body: str) -> None:
        toc.append(f'<li><a href="#{anchor}">{html.escape(heading)}</a></li>')
        sections.append(f'<h2 id="{anchor}">{html.escape(heading)}</h2>{body}')

    for i, (name, png) in enumerate((pngs or {}).items()):
        section(f"kaart{i}", name, _png_tag(png, name))
    for i, (name, m) in enumerate((maps or {}).items()):
        doc = html.escape(_map_html(m), quote=True)
        section(
            f"interactief{i}",
            f"{name} (interactief)",
            f'<iframe class="map" title="{html.escape(name)}" srcdoc="{doc}"></iframe>'
            '<p class="note">Interactieve kaart: vereist internet (Leaflet via CDN). '
            "De afbeeldingen hierboven werken ook offline en op papier.</p>",
        )
    if scored is not None:
        section("top", f"Top {top_n} buurten (SIA)", _top_table(scored, top_n, min_dwellings))
    if dia_areas is not None:
        section("dia", "Duurzame investeringsgebieden (DIA)", _dia_table(dia_areas))
    if prognosis is not None:
        section("prognose", "Prognose corporatievoorraad", _prognosis_table(prognosis))
    if monitor is not None:
        section(
            "monitor",
            "Monitor prestatieafspraken",
            monitor_html(
                monitor, offending=offending, min_dwellings=min_dwellings, full_page=False
            ),
        )
    if sources is None:
        from geoprestatie.datasets import available

        sources = available().rename(
            columns={"name": "naam", "file": "bestand", "description": "omschrijving"}
        )
    src_body = html_table(sources)
    if synthetic:
        src_body += '<p class="synth">Corporatiegegevens: synthetisch (geen echte woningen).</p>'
    section("bronnen", "Bronnen", src_body)
    if accounting is not None:
        section(
            "verantwoording",
            "Verantwoording: elk record gekoppeld of gemeld",
            html_table(accounting, decimals=0),
        )
    privacy = (
        f'<p class="note">Privacy ("openbaar, tenzij"): cijfers van buurten met minder dan '
        f"{min_dwellings} woningen zijn niet getoond; losse woningen staan niet in dit rapport."
        "</p>"
    )
    when = (generated or date.today()).strftime("%d-%m-%Y")
    body = f'<p class="sub">Gemaakt op {when}</p><ol>{"".join(toc)}</ol>{privacy}' + "".join(
        sections
    )
    return _page(title, body, synthetic=synthetic)


def _top_table(scored: pd.DataFrame, top_n: int, min_dwellings: int) -> str:
    shown = _md.sia_status(scored, min_dwellings=min_dwellings)
    prio = shown[shown["_status"] == "prioriteit"].sort_values("sia_rang").head(top_n)
    crit = _md.criteria_columns(shown, None)
    cols = {"sia_rang": "Rang", "buurtnaam": "Buurt", "buurtcode": "Code", "sia_score": "Score"}
    cols.update({c: _md.criterion_label(c.removeprefix("bijdrage_")) for c in crit})
    if "kans_top_k" in prio:
        prio = prio.assign(kans_top_k=prio["kans_top_k"] * 100)
        cols["kans_top_k"] = "Kans in top (%)"
    if "robuust" in prio:
        cols["robuust"] = "Robuust"
    if "dia_naam" in prio:
        cols["dia_naam"] = "DIA"
    n_out = int((shown["_status"] == "onderdrukt").sum())
    note = (
        f'<p class="note">Bijdragen in scorepunten. {nl_int(n_out)} buurt(en) onderdrukt '
        f"(minder dan {min_dwellings} woningen).</p>"
    )
    return html_table(prio, columns=cols) + note


def _dia_table(dia_areas: pd.DataFrame) -> str:
    if "dia_naam" not in dia_areas:
        raise InputError("missing column 'dia_naam'", source="dia_areas", column="dia_naam")
    frame = pd.DataFrame(dia_areas.drop(columns=["geometry"], errors="ignore"))
    cols = {
        c: h
        for c, h in (("dia_id", "Id"), ("dia_naam", "Naam"), ("n_buurten", "Buurten"))
        if c in frame
    }
    if isinstance(dia_areas, gpd.GeoDataFrame):
        frame["opp_ha"] = dia_areas.to_crs(28992).geometry.area.to_numpy() / 10_000
        cols["opp_ha"] = "Oppervlakte (ha)"
    return html_table(frame, columns=cols)


def _prognosis_table(prognosis: pd.DataFrame) -> str:
    totals = _md.prognosis_totals(prognosis)
    per_year: pd.DataFrame = totals.groupby("jaar", as_index=False)[["voorraad"]].sum()
    table = per_year.rename(columns={"jaar": "Jaar", "voorraad": "Alle corporaties"})
    if "corporatie" in prognosis:
        wide = prognosis.pivot_table(
            index="jaar", columns="corporatie", values="voorraad", aggfunc="sum"
        )
        wide = wide.reset_index(drop=True)
        wide.columns = [str(c) for c in wide.columns]
        table = pd.concat([table, wide], axis=1)
    table["Jaar"] = table["Jaar"].astype(str)
    return html_table(table, decimals=0)
