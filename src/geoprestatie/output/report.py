"""The HTML report and the agreements monitor page: one self-contained file each.

Inline CSS, PNG maps embedded as base64, interactive maps embedded as ``<iframe srcdoc>``
(escaped; the maps carry Leaflet inline, so the report works offline). A print stylesheet
lays it out on A4: wide tables wrap instead of being cut, headings stay with what follows,
the PNGs stand in for the interactive maps. Every user-supplied string is escaped (through
:mod:`geoprestatie.output.html`); figures based on fewer than
``min_dwellings`` dwellings are suppressed and individual dwellings are only listed when
``show_dwellings=True``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geoprestatie.errors import InputError
from geoprestatie.output import _mapdata as _md
from geoprestatie.output._fmt import is_missing, nl_int, nl_num, nl_pct
from geoprestatie.output.html import Markup, escape, render
from geoprestatie.output.kolommen import describe, is_year_column
from geoprestatie.output.stoplight import stoplight_html
from geoprestatie.programme import ProgrammeResult
from geoprestatie.publication import (
    DEFAULT_MIN_DWELLINGS,
    SUPPRESSED_ATTR,
    SUPPRESSED_LABEL,
    SUPPRESSED_NOTE,
    YEAR_TOTALS_ATTR,
    suppressed_mask,
    suppressed_note,
)
from geoprestatie.result import RunResult
from geoprestatie.segments import SEGMENT_LABELS
from geoprestatie.sources._tabular import REASONS as _REASONS
from geoprestatie.teksten import method_label

__all__ = ["STATUS_COLOURS", "accounting_html", "html_table", "monitor_html", "report_html"]

#: traffic light colour and Dutch meaning per monitor status (colour is never the only cue);
#: *onbekend* is grey, never green
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "groen": ("#1a9850", "groen: voldaan"),
    "oranje": ("#f39c12", "oranje: aandacht"),
    "rood": ("#c0392b", "rood: niet voldaan"),
    "onbekend": ("#9e9e9e", "onbekend: niet te bepalen"),
}

#: the light of a status the publication policy hid (it would bracket a hidden count)
_HIDDEN_STATUS = ("#ffffff", f"{SUPPRESSED_LABEL} (niet getoond: privacy)")

#: columns that identify a single dwelling; never published unless asked for
DWELLING_COLUMNS = (
    "vhe_id",
    "adres",
    "straat",
    "huisnummer",
    "postcode",
    "x",
    "y",
    "geometry",
)

#: the columns of ``agreements.monitor(...).table`` this page needs
MONITOR_REQUIRED = ("afspraak_id", "tekst", "partij", "status", "gemeten", "vergelijking")
_CSS = """
body{font:15px/1.5 'Helvetica Neue',Arial,sans-serif;color:#1a1a1a;max-width:1200px;
 margin:2em auto;padding:0 1em}
h1{font-size:26px;margin-bottom:0}h2{border-bottom:2px solid #08519c;padding-bottom:2px;
 margin-top:1.8em}.sub{color:#555}.synth{color:#7a0177;font-weight:700}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:13px;display:block;
 overflow-x:auto;max-width:100%}
details{margin:.4em 0 .8em}summary{cursor:pointer;font-weight:600}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#eef3f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
.light{display:inline-block;width:14px;height:14px;border-radius:50%;
 vertical-align:middle;margin-right:6px;border:1px solid #555}
img.map{max-width:100%;border:1px solid #ccc}
iframe.map{width:100%;height:620px;border:1px solid #ccc}
.note{font-size:13px;color:#444}
@page{size:A4 portrait;margin:14mm 12mm 16mm}
@page wide{size:A4 landscape;margin:12mm 12mm 14mm}
@media print{
 body{max-width:none;margin:0;padding:0;font-size:10pt;line-height:1.35}
 h1{font-size:18pt}h2{font-size:13pt;margin-top:1.2em}h3{font-size:11pt}
 h1,h2,h3,summary{break-after:avoid;page-break-after:avoid}
 h2+*,h3+*{break-before:avoid;page-break-before:avoid}
 iframe.map,.screen-only{display:none}
 table{display:table;overflow:visible;width:100%;max-width:100%;font-size:7.5pt;
  table-layout:auto;break-inside:auto}
 thead{display:table-header-group}tr,img{break-inside:avoid;page-break-inside:avoid}
 th,td{padding:1px 3px;overflow-wrap:break-word;hyphens:auto}
 .wide{page:wide}
 img.map{max-height:235mm;width:auto;max-width:100%;display:block;margin:0 auto}
 a{color:inherit;text-decoration:none}
 details::details-content{content-visibility:visible;display:block}
 .note{font-size:8.5pt}
}
"""


#: tables with more columns print on a landscape page
WIDE_COLUMNS = 10
#: With more gemeenten than this the report summarises per gemeente (``[uitvoer]
#: rapport_gemeenten``): a national run lists 342 gemeenten, not 14,000 buurten or every DIA.
DETAIL_GEMEENTEN = 5


#: decimals of the number kinds of :data:`geoprestatie.output.kolommen.FORMATS` in print
_KIND_DECIMALS = {"count": 0, "int": 0, "num1": 1, "num2": 2, "num3": 3, "percent": 1}


def _cell(value: Any, *, decimals: int, year: bool = False, kind: str = "") -> tuple[str, bool]:
    """Text of a cell (escaped where it is put into HTML) and whether it is numeric.

    ``kind`` (:data:`geoprestatie.output.kolommen.FORMATS`) overrides ``decimals``: a share
    prints as a percentage (0.879 is "87,9 %", not "1").
    """
    if isinstance(value, (bool, np.bool_)):
        return ("ja" if value else "nee"), False
    if is_missing(value):
        return "–", False
    if kind == "share" and isinstance(value, (int, np.integer, float, np.floating)):
        return nl_pct(value, 1), True
    decimals = _KIND_DECIMALS.get(kind, decimals)
    if year and isinstance(value, (int, np.integer, float, np.floating)) and value == int(value):
        return str(int(value)), True
    if isinstance(value, (int, np.integer)):
        return nl_int(value), True
    if isinstance(value, (float, np.floating)):
        return nl_num(value, decimals), True
    return str(value), False


def html_table(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    decimals: int = 1,
    max_rows: int | None = None,
    kinds: Mapping[str, str] | None = None,
) -> str:
    """An escaped HTML table with Dutch number formatting.

    ``columns`` maps column names to Dutch headers (and selects them, in order); ``kinds``
    gives a column's number kind (``share``, ``num1``, …; see :func:`_cell`).

    Examples
    --------
    >>> t = html_table(pd.DataFrame({"naam": ["<b>"], "n": [1234]}), columns={"naam": "Naam"})
    >>> t[t.index("<tbody>"):]
    '<tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>'
    >>> '<td class="num">1.234</td>' in html_table(pd.DataFrame({"n": [1234]}))
    True
    >>> '<td class="num">2026</td>' in html_table(pd.DataFrame({"eindjaar": [2026]}))
    True
    """
    cols = dict(columns) if columns is not None else {str(c): str(c) for c in frame.columns}
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise InputError(f"tabelkolom(men) {missing} ontbreken", column=missing[0])
    rows = frame if max_rows is None else frame.head(max_rows)
    # cells the publication policy hid show as its label
    mask = suppressed_mask(frame).reindex(columns=list(cols), fill_value=False)
    hidden: list[list[bool]] = mask.head(len(rows)).to_numpy(dtype=bool).tolist()
    records = list(rows[list(cols)].itertuples(index=False, name=None))
    years = [is_year_column(c) for c in cols]
    kind_of = [(kinds or {}).get(c, "") for c in cols]
    body = [
        [
            (SUPPRESSED_LABEL, True) if h else _cell(v, decimals=decimals, year=y, kind=k)
            for v, h, y, k in zip(rec, flags, years, kind_of, strict=True)
        ]
        for rec, flags in zip(records, hidden, strict=True)
    ]
    more = nl_int(len(frame) - max_rows) if max_rows is not None and len(frame) > max_rows else ""
    table = str(render("table.html.j2", headers=list(cols.values()), rows=body, more=more))
    # more columns than fit on portrait A4: printed on a landscape page of its own
    return f'<div class="wide">{table}</div>' if len(cols) > WIDE_COLUMNS else table


_HEADING_BEFORE_WIDE = re.compile(r'(<h[23][^>]*>(?:(?!</h[23]>).)*</h[23]>)<div class="wide">')


def _headings_with_wide(html: str) -> str:
    """Headings right before a landscape table go onto its page (they stayed behind at the
    foot of the portrait page before it, the table alone on the next).

    Examples
    --------
    >>> _headings_with_wide('<h2 id="a">A</h2><h3>B</h3><div class="wide"><table>')
    '<div class="wide"><h2 id="a">A</h2><h3>B</h3><table>'
    """
    while True:
        moved = _HEADING_BEFORE_WIDE.sub(r'<div class="wide">\1', html)
        if moved == html:
            return html
        html = moved


def _offending_summary(
    records: pd.DataFrame,
    *,
    show_dwellings: bool,
    min_dwellings: int,
    buurtnamen: Mapping[str, str] | None,
) -> tuple[pd.DataFrame, str]:
    """Offending records as published: dwelling-level records become a count per buurt
    (counts below ``min_dwellings`` as ``SUPPRESSED_LABEL``) unless ``show_dwellings``;
    with a note."""
    dwelling_level = any(c in records.columns for c in DWELLING_COLUMNS)
    if show_dwellings or not dwelling_level:
        return records.drop(columns=["geometry"], errors="ignore"), ""
    note = (
        "Per buurt geteld: losse woningen worden niet gepubliceerd (aantallen onder "
        f"{min_dwellings} als {SUPPRESSED_LABEL})."
    )
    if "buurtcode" not in records.columns:
        n = len(records)
        return pd.DataFrame({"Woningen": [SUPPRESSED_LABEL if n < min_dwellings else n]}), note
    codes = records["buurtcode"].astype("string").fillna("(geen buurt)")
    counts = codes.value_counts(sort=False).rename_axis("buurtcode").reset_index(name="woningen")
    counts = counts.sort_values(["woningen", "buurtcode"], ascending=[False, True])
    out = pd.DataFrame({"Buurtcode": counts["buurtcode"].astype(str).to_numpy()})
    if buurtnamen is not None:
        out["Buurt"] = [buurtnamen.get(c, "–") for c in out["Buurtcode"]]
    out["Woningen"] = [
        SUPPRESSED_LABEL if v < min_dwellings else int(v) for v in counts["woningen"]
    ]
    return out, note


def _measured(value: Any, soort: Any) -> str:
    if is_missing(value):
        return "–"
    if value == SUPPRESSED_LABEL:
        return SUPPRESSED_LABEL
    if soort == "aandeel":
        return nl_pct(value, 1)
    v = float(value)
    return nl_int(v) if v.is_integer() else nl_num(v, 1)


def _operators(text: str) -> str:
    """Escaped text with comparison operators as readers write them, not as code.

    Examples
    --------
    >>> print(_operators("conditiescore >= 4; waar afspraak == '1.3', status != 'x'"))
    conditiescore ≥ 4; waar afspraak = &#39;1.3&#39;, status ≠ &#39;x&#39;
    """
    out = str(escape(text)).replace("&gt;=", "≥").replace("&lt;=", "≤")
    return out.replace("!=", "≠").replace("==", "=")


def _norm_text(text: Any) -> str:
    """The comparison text of the monitor in Dutch typography (``>= 1500`` -> ``≥ 1.500``).

    Examples
    --------
    >>> _norm_text(">= 1500"), _norm_text("<= 12.5%"), _norm_text("0 overtredingen")
    ('≥ 1.500', '≤ 12,5%', '0 overtredingen')
    """
    if is_missing(text):
        return "–"
    out = _operators(str(text))
    return re.sub(
        r"(?<![\w.])(\d+)(?:\.(\d+))?(?![\w.])",
        lambda m: nl_num(float(m.group(0)), len(m.group(2) or "")),
        out,
    )


def monitor_html(
    monitor: Any,
    *,
    overtredingen: Mapping[str, pd.DataFrame] | None = None,
    buurten: pd.DataFrame | None = None,
    title: str = "Monitor prestatieafspraken",
    show_dwellings: bool = False,
    min_dwellings: int | None = None,
    max_rows: int = 50,
    synthetic: bool = False,
    full_page: bool = True,
) -> str:
    """Traffic lights per agreement with measured value, norm and the offending records.

    Parameters
    ----------
    monitor
        A :class:`geoprestatie.result.RunResult` with a monitor (its buurten,
        ``synthetisch`` and ``[uitvoer] min_woningen``; arguments given explicitly win), or
        the :class:`geoprestatie.agreements.MonitorResult` of ``agreements.monitor(...)``
        (its ``.table`` and ``.overtredingen`` are used), or just its table: one row per
        afspraak with ``afspraak_id``, ``tekst``, ``partij``, ``status``
        (``groen``/``oranje``/``rood``/``onbekend``), ``gemeten``, ``vergelijking`` and
        optionally ``toelichting``, ``soort``, ``bron``.
    overtredingen
        Offending records per ``afspraak_id``; default ``monitor.overtredingen``.
        Dwelling-level records (a ``vhe_id``, address or coordinate column) are published as
        counts per buurt, counts below ``min_dwellings`` shown as "×", unless
        ``show_dwellings=True``.
    buurten
        Optional frame with ``buurtcode`` and ``buurtnaam`` to name the buurten.
    max_rows
        At most this many rows of offending records per afspraak.
    full_page
        A whole HTML page (``monitor.html``) or a fragment for the report.

    Examples
    --------
    >>> mon = pd.DataFrame({"afspraak_id": ["V1", "B1"], "tekst": ["Geen verkoop <E>", "Bouw"],
    ...     "partij": ["corporaties", "gemeente"], "status": ["rood", "onbekend"],
    ...     "gemeten": [3.0, None], "vergelijking": ["0 overtredingen", ">= 85%"]})
    >>> page = monitor_html(mon)
    >>> "rood: niet voldaan" in page and "Geen verkoop &lt;E&gt;" in page and "≥ 85%" in page
    True
    """
    from geoprestatie.errors import ConfigError

    if isinstance(monitor, RunResult):
        run = monitor
        if run.monitor is None:
            raise ConfigError(
                "deze run heeft geen monitor: de config heeft geen [afspraken] bestand"
            )
        monitor = run.monitor
        buurten = run.buurten if buurten is None else buurten
        synthetic = synthetic or run.config.synthetic
        if min_dwellings is None:
            min_dwellings = int(
                run.config.section("uitvoer").get("min_woningen", DEFAULT_MIN_DWELLINGS)
            )
    if min_dwellings is None:
        min_dwellings = DEFAULT_MIN_DWELLINGS
    table = monitor.table if hasattr(monitor, "table") else monitor
    if overtredingen is None:
        overtredingen = getattr(monitor, "overtredingen", None) or {}
    if not isinstance(table, pd.DataFrame):
        raise TypeError(
            f"`monitor` is een {type(monitor).__name__} maar moet een MonitorResult "
            "of de tabel daarvan (een DataFrame) zijn"
        )
    missing = [c for c in MONITOR_REQUIRED if c not in table.columns]
    if missing:
        raise InputError(
            f"monitorkolom(men) {missing} ontbreken; verwacht de tabel van agreements.monitor() "
            f"met {list(MONITOR_REQUIRED)}, gevonden {list(map(str, table.columns))}",
            source="monitor",
        )
    # figures (and statuses) the publication policy hid show as its label
    hidden = suppressed_mask(table).reset_index(drop=True)
    status_hidden = (
        hidden["status"].to_numpy(dtype=bool)
        if "status" in hidden
        else np.zeros(len(table), dtype=bool)
    )
    shown_status = table["status"].to_numpy()[~status_hidden]
    bad = sorted(set(map(str, shown_status)) - set(STATUS_COLOURS))
    if bad:
        raise InputError(
            f"onbekende status(sen) {bad}; verwacht een van {list(STATUS_COLOURS)}",
            source="monitor",
            column="status",
        )
    names = None
    if buurten is not None and {"buurtcode", "buurtnaam"} <= set(buurten.columns):
        names = dict(
            zip(buurten["buurtcode"].astype(str), buurten["buurtnaam"].astype(str), strict=True)
        )
    rows = []
    for pos, rec in enumerate(table.to_dict("records")):
        for col in ("gemeten", "toelichting"):
            if col in hidden and bool(hidden[col].iloc[pos]):
                rec[col] = SUPPRESSED_LABEL
        colour, label = _HIDDEN_STATUS if status_hidden[pos] else STATUS_COLOURS[str(rec["status"])]
        was = rec.get("vorige_status")
        if not is_missing(was) and not status_hidden[pos] and str(was) != str(rec["status"]):
            label = f"{label} (was {escape(str(was))})"
        ident = escape(str(rec["afspraak_id"]))
        n_records = len(overtredingen.get(str(rec["afspraak_id"]), ()))
        link = f'<a href="#afspraak-{ident}">{ident}</a>' if n_records else ident
        source = rec.get("bron")
        source_text = (
            f'<br><span class="note">{escape(str(source))}</span>' if not is_missing(source) else ""
        )
        rows.append(
            "<tr>"
            f'<td style="white-space:nowrap"><span class="light" style="background:{colour}">'
            f"</span>{label}</td>"
            f"<td>{link}</td>"
            f"<td>{escape(str(rec['tekst']))}{source_text}</td>"
            f"<td>{escape(str(rec['partij']))}</td>"
            f'<td class="num">{_measured(rec["gemeten"], rec.get("soort"))}</td>'
            f"<td>{_norm_text(rec['vergelijking'])}</td>"
            f"<td>{_operators(_cell(rec.get('toelichting'), decimals=1)[0])}</td>"
            "</tr>"
        )
    parts = [
        stoplight_html(table),
        "<h3>Afspraken</h3>"
        "<table><thead><tr><th>Stoplicht</th><th>Id</th><th>Afspraak</th><th>Partij</th>"
        "<th>Gemeten</th><th>Norm</th><th>Toelichting</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>",
    ]
    if any(f"<td>{SUPPRESSED_LABEL}</td>" in r or f">{SUPPRESSED_LABEL}</td>" in r for r in rows):
        # monitor.html stands alone: its × needs its explanation on the page
        why = suppressed_note(table) or SUPPRESSED_NOTE.format(n=min_dwellings)
        parts.append(f'<p class="note">{escape(why)}.</p>')
    texts = dict(zip(table["afspraak_id"].astype(str), table["tekst"].astype(str), strict=True))
    shown_any = False
    for ident, records in overtredingen.items():
        if records is None or not len(records):
            continue
        if not shown_any:
            parts.append("<h3>Afwijkende records per afspraak</h3>")
            shown_any = True
        shown, note = _offending_summary(
            records,
            show_dwellings=show_dwellings,
            min_dwellings=min_dwellings,
            buurtnamen=names,
        )
        anchor = escape(str(ident))
        parts.append(
            f'<details id="afspraak-{anchor}"><summary>{anchor}: '
            f"{escape(texts.get(str(ident), ''))} ({nl_int(len(records))} records)</summary>"
        )
        if note:
            parts.append(f'<p class="note">{note}</p>')
        parts.append(html_table(shown, max_rows=max_rows) + "</details>")
    body = "".join(parts)
    if not full_page:
        return body
    return _page(title, body, synthetic=synthetic)


def _page(title: str, body: str, *, synthetic: bool, subtitle: str | None = None) -> str:
    """A whole HTML page around ``body`` (HTML built from escaped parts)."""
    return str(
        render(
            "page.html.j2",
            title=title,
            subtitle=subtitle,
            synthetic=synthetic,
            css=Markup(_CSS),
            script=None,
            body=Markup(body),
        )
    )


def _png_tag(png: bytes | str | Path, alt: str) -> str:
    data = png if isinstance(png, bytes) else Path(png).read_bytes()
    if not data.startswith(b"\x89PNG"):
        raise InputError(
            "not a PNG image", source=str(png)[:80] if not isinstance(png, bytes) else "png"
        )
    b64 = base64.b64encode(data).decode("ascii")
    return f'<img class="map" alt="{escape(alt)}" src="data:image/png;base64,{b64}">'


def _map_html(m: Any) -> str:
    return m if isinstance(m, str) else str(m.get_root().render())


def report_html(
    *,
    title: str = "Rapport prestatieafspraken",
    scored: pd.DataFrame | None = None,
    dia_areas: pd.DataFrame | None = None,
    prognosis: pd.DataFrame | None = None,
    monitor: Any = None,
    accounting: Any = None,
    sources: pd.DataFrame | None = None,
    maps: Mapping[str, Any] | None = None,
    pngs: Mapping[str, bytes | str | Path] | None = None,
    criterion_labels: Mapping[str, str] | None = None,
    top_n: int = 15,
    synthetic: bool = False,
    generated: date | None = None,
    dia_comparison: pd.DataFrame | None = None,
    prognosis_summary: pd.DataFrame | None = None,
    programme: ProgrammeResult | None = None,
    max_gemeenten: int = DETAIL_GEMEENTEN,
    incomplete: str = "",
) -> str:
    """One self-contained ``rapport.html``: maps, key tables, sources and the accounting.

    Parameters
    ----------
    scored
        The prioritised buurten (:func:`geoprestatie.sia.prioritise`, or
        ``DiaResult.buurten`` to show each buurt's DIA); the top ``top_n`` eligible buurten
        are listed with their contributions and robustness.
    dia_areas
        ``DiaResult.areas`` of :func:`geoprestatie.dia.delineate`: one row per DIA with its
        aggregates.
    dia_comparison
        :func:`geoprestatie.dia.compare_dia` against an earlier DIA set: which DIAs are new,
        changed or gone and which buurten entered or left.
    prognosis
        The table of :func:`geoprestatie.prognosis.project`: shown as the agreement-style
        :func:`geoprestatie.prognosis.summary_table` and the stock per year and corporation.
    monitor
        The :class:`geoprestatie.agreements.MonitorResult` (see :func:`monitor_html`).
    accounting
        The :class:`geoprestatie.join.JoinReport` (``join_sources(...).report``): records
        read, joined and not joined per source, and the not-joined rows by reason (row
        numbers, never the values: they may be addresses or coordinates). A plain frame is
        shown as it is.
    sources
        Data sources (any columns); default the embedded data catalogue.
    maps
        Title -> folium Map (or its rendered HTML, so a map is rendered once), embedded as
        ``<iframe srcdoc>``; ``None``: too large, the report points to the map's file.
    pngs
        Title -> PNG bytes or path, embedded as base64 images.
    criterion_labels
        Dutch label per SIA criterion name (``{c.name: c.label for c in config.criteria}``).
    max_gemeenten
        With more gemeenten than this (``[uitvoer] rapport_gemeenten``) the report
        summarises per gemeente: the SIA and the DIAs one row per gemeente, the prognosis
        without a column per corporation; every buurt and DIA stays on the map and in the
        CSVs.
    incomplete
        The explanation of a hollow SIA (skipped criteria, why, their share of the weight;
        :meth:`geoprestatie.completeness.SiaCompleteness.text`): shown at the top and above
        the top table.

    Examples
    --------
    >>> page = report_html(title="Rapport <Testdorp>", synthetic=True)
    >>> "Rapport &lt;Testdorp&gt;" in page and "Bronnen" in page and "synthetisch" in page
    True
    """
    sections: list[str] = []
    toc: list[str] = []

    def section(anchor: str, heading: str, body: str, *, screen_only: bool = False) -> None:
        toc.append(f'<li><a href="#{anchor}">{escape(heading)}</a></li>')
        part = _headings_with_wide(f'<h2 id="{anchor}">{escape(heading)}</h2>{body}')
        # an interactive map does not print: its section (heading too) is left off paper
        sections.append(f'<div class="screen-only">{part}</div>' if screen_only else part)

    for i, (name, png) in enumerate((pngs or {}).items()):
        section(f"kaart{i}", name, _png_tag(png, name))
    for i, (name, m) in enumerate((maps or {}).items()):
        if m is None:  # too large to embed: the map is its own file beside the report
            body = (
                '<p class="note">Deze kaart is te groot om in het rapport op te nemen; open '
                "het kaartbestand (.html) naast dit rapport. Het werkt ook offline.</p>"
            )
        else:
            body = (
                f'<iframe class="map" title="{escape(name)}" srcdoc="{escape(_map_html(m))}">'
                '</iframe><p class="note screen-only">Interactieve kaart (werkt ook offline); '
                "op papier staat de afbeelding hierboven.</p>"
            )
        section(f"interactief{i}", f"{name} (interactief)", body, screen_only=m is not None)
    warning = f'<p class="synth">LET OP: {escape(incomplete)}</p>' if incomplete else ""
    if scored is not None:
        section(
            "top",
            f"Top {top_n} buurten (SIA)",
            warning + _top_table(scored, top_n, criterion_labels),
        )
        if "gemeentenaam" in scored and scored["gemeentenaam"].nunique() > 1:
            section("gemeenten", "SIA per gemeente", _gemeente_table(scored))
    many = (
        scored is not None
        and "gemeentenaam" in scored
        and scored["gemeentenaam"].nunique() > max_gemeenten
    )
    if dia_areas is not None:
        body = (
            (
                _dia_per_gemeente(scored)
                if many and scored is not None and "dia_id" in scored
                else _dia_table(dia_areas)
            )
            if len(dia_areas)
            else (
                "<p>Geen DIA's: geen aaneengesloten prioriteitsbuurten die aan de voorwaarden "
                "voldoen.</p>"
            )
        )
        if dia_comparison is not None:
            body += "<h3>Vergelijking met de vorige DIA-set</h3>" + html_table(dia_comparison)
        section("dia", "Dynamische investeringsagenda: DIA-gebieden", body)
    if prognosis is not None:
        section(
            "prognose",
            "Prognose sociale huurvoorraad",
            _prognosis_table(prognosis, prognosis_summary, per_corporation=not many),
        )
    if programme is not None:
        section("adaptief", "Adaptief programmeren", _programme_section(programme))
    if monitor is not None:
        section(
            "monitor",
            "Monitor prestatieafspraken",
            monitor_html(monitor, buurten=scored, full_page=False),
        )
    if sources is None:
        from geoprestatie.datasets import available

        sources = available().rename(
            columns={
                "name": "Naam",
                "file": "Bestand",
                "description": "Omschrijving",
                "source": "Bron",
                "bron": "Bron",
            }
        )
    src_body = html_table(sources)
    if synthetic:
        src_body += '<p class="synth">Corporatiegegevens: synthetisch (geen echte woningen).</p>'
    section("bronnen", "Bronnen", src_body)
    if accounting is not None:
        section(
            "verantwoording",
            "Verantwoording: elk record gekoppeld of gemeld",
            accounting_html(accounting),
        )
    notes = [
        suppressed_note(f)
        for f in (scored, dia_areas, prognosis, prognosis_summary)
        if f is not None
    ]
    shown_note = next((n for n in notes if n), None)
    privacy = (
        f'<p class="note">Privacy ("openbaar, tenzij"): {escape(shown_note)}; losse woningen '
        "staan niet in dit rapport.</p>"
        if shown_note
        else ""
    )
    when = (generated or date.today()).strftime("%d-%m-%Y")
    body = (
        f'<p class="sub">Gemaakt op {when}</p>{warning}<ol>{"".join(toc)}</ol>{privacy}'
        + "".join(sections)
    )
    return _page(title, body, synthetic=synthetic)


def _top_table(
    scored: pd.DataFrame,
    top_n: int,
    criterion_labels: Mapping[str, str] | None,
) -> str:
    """Two tables of the top ``top_n``: rank and robustness, then the contributions."""
    shown = _md.sia_status(scored)
    prio = shown[shown["_status"] == "prioriteit"].sort_values("sia_rang").head(top_n)
    crit = _md.criteria_columns(shown, None)
    cols = {"sia_rang": "Rang", "buurtnaam": "Buurt", "buurtcode": "Code", "sia_score": "Score"}
    if "kans_top_k" in prio:
        prio = prio.assign(kans_top_k=prio["kans_top_k"] * 100)
        k = scored.attrs.get("top_k")
        cols["kans_top_k"] = f"Kans in top {k} (%)" if k else "Kans in de top (%)"
    if "rang_p05" in prio and "rang_p95" in prio:
        prio = prio.assign(
            _band=[
                "–" if is_missing(a) or is_missing(b) else f"{nl_int(a)} – {nl_int(b)}"
                for a, b in zip(
                    prio["rang_p05"].astype(object), prio["rang_p95"].astype(object), strict=True
                )
            ]
        )
        cols["_band"] = "Rang (5–95 %)"
    if "robuust" in prio:
        cols["robuust"] = "Robuust"
    if "dia_naam" in prio:
        reasons = (
            prio["dia_reden"].astype(object)
            if "dia_reden" in prio
            else pd.Series([None] * len(prio), index=prio.index, dtype=object)
        )
        prio = prio.assign(
            _dia=[
                str(n) if not is_missing(n) else (f"geen: {r}" if isinstance(r, str) and r else "–")
                for n, r in zip(prio["dia_naam"].astype(object), reasons, strict=True)
            ]
        )
        cols["_dia"] = "DIA"
    contrib = {"sia_rang": "Rang", "buurtnaam": "Buurt"}
    contrib.update(
        {c: _md.criterion_label(c.removeprefix("bijdrage_"), criterion_labels) for c in crit}
    )
    n_out = int((shown["_status"] == "onderdrukt").sum())
    method = scored.attrs.get("sia_methode")
    draws = scored.attrs.get("draws")
    how = []
    if method:
        how.append(f"methode: {escape(method_label(str(method)))}")
    if draws:
        how.append(f"robuustheid uit {nl_int(draws)} trekkingen van de gewichten")
    note = (
        f'<p class="note">{"; ".join(how).capitalize() + ". " if how else ""}'
        + (
            f"{nl_int(n_out)} buurt(en) niet getoond ({escape(suppressed_note(scored))})."
            if n_out
            else ""
        )
        + "</p>"
    )
    prio = _md.with_hidden_ranks(prio, n_out, top_n)
    if not len(prio):  # the sentence says why; tables of headers only say nothing
        return _no_priority_note(scored, n_out) + note
    parts = [html_table(prio, columns=cols), note]
    if "wat_nodig_tekst" in shown:
        parts += _cut_sentences(shown, scored.attrs.get("top_k"))
    if crit:
        parts += [
            "<h3>Bijdrage per criterium (scorepunten)</h3>",
            html_table(prio, columns=contrib),
        ]
    return "".join(parts)


def _no_priority_note(scored: pd.DataFrame, n_out: int) -> str:
    """Why the top table is empty, in one sentence (no per-buurt values: they may be small
    counts)."""
    n = len(scored)
    n_ok = int(scored["sia_geschikt"].astype("boolean").fillna(False).sum())
    if n_ok == 0:
        why = (
            f"Geen buurt is geschikt voor de SIA: geen van de {nl_int(n)} buurten voldoet aan "
            "de voorwaarden ([sia] eligibility) en heeft een waarde voor elk criterium dat "
            "geen ontbrekende waarden toestaat. De reden per buurt staat in sia.csv (kolom "
            "sia_reden, intern)."
        )
    else:
        why = (
            f"Geen buurt te tonen: {nl_int(n_out)} geschikte buurt(en) zijn niet gepubliceerd "
            f"({suppressed_note(scored)})."
        )
    return f'<p class="note">{escape(why)}</p>'


def _cut_sentences(shown: pd.DataFrame, k: object) -> list[str]:
    """The buurten around the top-*k* cut, one Dutch sentence each: what it takes to cross
    the cut and the buurt's DIA (role, or the constraint that kept it out)."""
    prio = shown["_status"] == "prioriteit"
    what = pd.Series(_md.what_it_takes_texts(shown), index=shown.index)
    near = shown[prio & (what != "")].sort_values("sia_rang")
    if not len(near):
        return []
    dia = pd.Series(_md.dia_texts(shown), index=shown.index)
    items = [
        f"<li>{escape(_md.cut_sentence(str(name), rank, what[i], dia[i]))}</li>"
        for i, name, rank in zip(
            near.index, near["buurtnaam"], near["sia_rang"].astype(object), strict=True
        )
    ]
    top = nl_int(k) if not is_missing(k) else "k"
    return [
        f"<h3>Wat nodig is om de grens van de top {top} te passeren</h3>",
        '<p class="note">De kleinste verschuiving van de gewichten (binnen de toegestane '
        "gewichten) die een buurt in of uit de top brengt.</p>",
        f"<ul>{''.join(items)}</ul>",
    ]


def _gemeente_table(scored: pd.DataFrame) -> str:
    """One row per gemeente (a report of many gemeenten summarises, the map has the buurten)."""
    shown = _md.sia_status(scored)
    prio = shown["_status"] == "prioriteit"
    frame = pd.DataFrame(
        {
            "gemeente": shown["gemeentenaam"].astype(str),
            "buurten": 1,
            "geschikt": prio.astype(int),
            "robuust": (
                (shown["robuust"].astype("boolean").fillna(False) & prio).astype(int)
                if "robuust" in shown
                else 0
            ),
            "score": pd.to_numeric(shown["sia_score"], errors="coerce").where(prio),
            "dia": shown["dia_naam"].where(shown["dia_naam"].notna())
            if "dia_naam" in shown
            else None,
        }
    )
    table = frame.groupby("gemeente", sort=True).agg(
        buurten=("buurten", "sum"),
        geschikt=("geschikt", "sum"),
        robuust=("robuust", "sum"),
        mediaan=("score", "median"),
        hoogste=("score", "max"),
        dias=("dia", "nunique"),
    )
    table = table.sort_values(["robuust", "hoogste"], ascending=False).reset_index()
    columns = {
        "gemeente": "Gemeente",
        "buurten": "Buurten",
        "geschikt": "Met score",
        "robuust": "Robuuste prioriteiten",
        "mediaan": "Mediaan score",
        "hoogste": "Hoogste score",
        "dias": "DIA's",
    }
    note = (
        '<p class="note">Per gemeente samengevat; de buurten staan op de kaart en in sia.csv. '
        "Buurten waarvan de cijfers niet getoond worden (privacy) tellen niet mee.</p>"
    )
    return html_table(table, columns=columns) + note


def _dia_table(dia_areas: pd.DataFrame) -> str:
    if "dia_naam" not in dia_areas:
        raise InputError("missing column 'dia_naam'", source="dia_areas", column="dia_naam")
    if not len(dia_areas):
        return '<p class="note">Geen DIA\'s gevonden.</p>'
    shown = _md.dia_display(pd.DataFrame(dia_areas.drop(columns=["geometry"], errors="ignore")))
    # one column per DIA reads best for a handful of areas, one row per DIA for many
    if len(shown) <= 6:
        wide = shown.set_index("DIA").T.reset_index(names="")
        wide.columns = [str(c) for c in wide.columns]
        return html_table(wide)
    return html_table(shown)


def _dia_per_gemeente(scored: pd.DataFrame) -> str:
    """DIAs counted per gemeente (a report of many gemeenten; the map and dia.csv list them)."""
    inside = scored[scored["dia_id"].notna()]
    table = (
        pd.DataFrame(
            {"gemeente": inside["gemeentenaam"].astype(str), "dia": inside["dia_id"].astype(str)}
        )
        .groupby("gemeente", sort=True)
        .agg(n_dia=("dia", "nunique"), n_buurten=("dia", "size"))
        .reset_index()
        .rename(
            columns={
                "gemeente": "Gemeente",
                "n_dia": "DIA's",
                "n_buurten": "Buurten in een DIA",
            }
        )
    )
    return html_table(table, decimals=0) + (
        f'<p class="note">Per gemeente samengevat ({nl_int(inside["dia_id"].nunique())} DIA\'s); '
        "elke DIA staat op de kaart en in dia.csv.</p>"
    )


def _prognosis_table(
    prognosis: pd.DataFrame,
    summary: pd.DataFrame | None = None,
    *,
    per_corporation: bool = True,
) -> str:
    """The summary per corporation (the published one when given: a public prognosis per
    buurt has hidden cells, so its sums would be wrong) and the stock per year; the stock per
    corporation only when ``per_corporation`` (a report of few gemeenten)."""
    from geoprestatie.prognosis import summary_table

    if summary is None:
        summary = summary_table(prognosis)
    period = str(summary.index.name)
    mask = suppressed_mask(summary)
    if len(summary.columns) + 1 > WIDE_COLUMNS:
        # a corporation per row: a column per corporation ran off even a landscape page
        # (a national run: 270 corporations, the totals cut off)
        summary, mask = summary.T, mask.T
        head = summary.reset_index(names="Corporatie")
    else:
        head = summary.reset_index(names=f"Mutatie {period}")
    mask = mask.reset_index(drop=True)
    head.attrs[SUPPRESSED_ATTR] = mask.reindex(columns=head.columns, fill_value=False)
    parts = [
        f"<h3>Mutaties {escape(period)} per corporatie</h3>",
        html_table(head, decimals=0),
    ]
    years = prognosis["jaar"].astype("int64")
    per_year = pd.DataFrame({"jaar": years, "beginstand": prognosis["beginstand"]})
    per_year["eindstand"] = prognosis["eindstand"]
    totals = prognosis.attrs.get(YEAR_TOTALS_ATTR)  # a public prognosis carries them
    if not isinstance(totals, pd.DataFrame):
        totals = per_year.groupby("jaar", sort=True)[["beginstand", "eindstand"]].sum()
    table = pd.DataFrame(
        {
            "Jaar": [str(y) for y in totals.index],
            "Beginstand": totals["beginstand"].astype("Int64").to_numpy(),
            "Eindstand": totals["eindstand"].astype("Int64").to_numpy(),
        }
    )
    # a public total that would reveal hidden buurt counts is hidden (publication)
    hidden = suppressed_mask(totals).reset_index(drop=True)
    mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    mask["Beginstand"] = hidden["beginstand"].to_numpy(dtype=bool)
    mask["Eindstand"] = hidden["eindstand"].to_numpy(dtype=bool)
    table.attrs[SUPPRESSED_ATTR] = mask
    if "corporatie" in prognosis and per_corporation and prognosis["corporatie"].nunique() > 1:
        wide = (
            pd.DataFrame(
                {
                    "jaar": years,
                    "corporatie": prognosis["corporatie"].astype(str),
                    "eindstand": pd.to_numeric(prognosis["eindstand"]),
                }
            )
            .pivot_table(index="jaar", columns="corporatie", values="eindstand", aggfunc="sum")
            .fillna(0)
            .astype("int64")
        )
        for c in wide.columns:
            table[f"Eindstand {c}"] = wide[c].to_numpy()
    parts += [
        "<h3>Permanente sociale huurvoorraad per jaar</h3>",
        html_table(table, decimals=0),
        ""
        if per_corporation
        else '<p class="note">Alle corporaties samen; per corporatie en buurt: prognose.csv.</p>',
        '<p class="note">Beginstand op 1 januari, eindstand op 31 december; tijdelijke '
        "woningen apart in de prognose (niet in deze voorraad).</p>",
    ]
    return "".join(parts)


#: Dutch headers of ``JoinReport.to_frame()``; other (reason) columns get their own words
_ACCOUNTING_HEADERS = {
    "bron": "Bron",
    "bestand": "Bestand",
    "eenheid": "Eenheid",
    "gelezen": "Gelezen",
    "gekoppeld": "Gekoppeld",
    "waarvan_dichtstbij": "waarvan aan dichtstbijzijnde buurt",
    "niet_gekoppeld": "Niet gekoppeld",
}
#: Dutch words of the not-joined reasons (the Dutch half of ``sources._tabular.REASONS``)
_REASONS_NL = {k: v.split(" / ")[0] for k, v in _REASONS.items()}


def accounting_html(accounting: Any, *, max_rows_listed: int = 20) -> str:
    """The join accounting: per source read = joined + not joined, then the not-joined rows
    grouped by reason with their row numbers (values are not shown: they may identify a
    dwelling).

    ``accounting`` is a :class:`geoprestatie.join.JoinReport` or a plain frame (shown as is).

    Examples
    --------
    >>> from geoprestatie.join import JoinReport, SourceCount
    >>> rep = JoinReport(sources=(SourceCount("voorraad", "v.csv", "rijen", 10, 9, 0,
    ...                                       {"geen_locatie": 1}),),
    ...                  not_joined=pd.DataFrame({"bron": ["voorraad"], "bestand": ["v.csv"],
    ...                      "bron_rij": [7], "reden": ["geen_locatie"], "kolom": [None],
    ...                      "waarde": ["Dorpsstraat 1"], "aantal": [1]}), tolerance_m=50.0)
    >>> page = accounting_html(rep)
    >>> "geen locatie" in page and "Dorpsstraat" not in page and "ja" in page
    True
    """
    if not hasattr(accounting, "to_frame"):
        return html_table(pd.DataFrame(accounting), decimals=0)
    frame = accounting.to_frame()
    if not len(frame):
        return (
            '<p class="note">Geen invoerbestanden met records om te koppelen: deze run '
            "gebruikt alleen de buurten (en de gegevens die zij zelf dragen).</p>"
        )
    # from the counts themselves: a public report may hide read and joined (a total that
    # would reveal hidden buurt counts), the check holds all the same
    frame["klopt"] = [
        s.gelezen == s.gekoppeld + s.niet_gekoppeld_totaal for s in accounting.sources
    ]
    headers = {c: _ACCOUNTING_HEADERS.get(c, "") for c in map(str, frame.columns)}
    for c in headers:
        if not headers[c]:
            headers[c] = _REASONS_NL.get(c, c.replace("_", " "))
    headers["klopt"] = "gelezen = gekoppeld + niet gekoppeld"
    tol = getattr(accounting, "tolerance_m", None)
    if tol is not None:
        headers["waarvan_dichtstbij"] = (
            f"waarvan binnen {nl_num(tol, 0)} m naar dichtstbijzijnde buurt"
        )
    parts = [html_table(frame, columns=headers, decimals=0)]
    notes = getattr(accounting, "notes", ())
    if notes:
        parts.append(
            '<ul class="note">' + "".join(f"<li>{escape(str(n))}</li>" for n in notes) + "</ul>"
        )
    nj = accounting.not_joined
    if len(nj):
        grouped = []
        for (bron, bestand, reden, kolom), grp in nj.groupby(
            ["bron", "bestand", "reden", "kolom"], sort=True, dropna=False
        ):
            rows = sorted(int(r) for r in grp["bron_rij"].dropna())
            listed = ", ".join(map(str, rows[:max_rows_listed]))
            if len(rows) > max_rows_listed:
                listed += f" … (+{len(rows) - max_rows_listed})"
            grouped.append(
                {
                    "Bron": bron,
                    "Bestand": bestand,
                    "Reden": _REASONS_NL.get(str(reden), str(reden).replace("_", " ")),
                    "Kolom": "–" if is_missing(kolom) else kolom,
                    "Aantal": int(grp["aantal"].sum()),
                    "Rijen in het bestand": listed or "–",
                }
            )
        parts.append("<h3>Niet gekoppeld, per reden</h3>")
        parts.append(html_table(pd.DataFrame(grouped)))
        parts.append(
            '<p class="note">Rijnummers zoals in het bestand (kopregel = rij 1). De waarden '
            "zelf staan niet in dit rapport (adressen en coördinaten van woningen zijn niet "
            "openbaar); zie niet_gekoppeld.csv.</p>"
        )
    return "".join(parts)


def _dutch(frame: pd.DataFrame, table: str) -> str:
    """``html_table`` with the glossary's Dutch headers and number kinds
    (:mod:`geoprestatie.output.kolommen`), segments by their Dutch names.

    Examples
    --------
    >>> t = _dutch(pd.DataFrame({"segment": ["koop_betaalbaar"], "realisatiegraad": [0.879]}),
    ...            "realisatie")
    >>> "koop betaalbaar" in t, "87,9 %" in t
    (True, True)
    """
    described = {str(c): describe(str(c), table=table) for c in frame.columns}
    headers = {c: k.kop for c, k in described.items()}
    if "segment" in frame:
        named = frame.assign(segment=frame["segment"].map(lambda s: SEGMENT_LABELS.get(s, s)))
        named.attrs = frame.attrs  # the cells the publication hid
        frame = named
    kinds = {c: k.soort for c, k in described.items()}
    return html_table(frame, columns=headers, decimals=0, kinds=kinds)


def _programme_section(adaptive: ProgrammeResult) -> str:
    """Scenarios, steering signals, need against plans in the last year, realisations."""
    parts: list[str] = []
    if adaptive.simulaties:
        parts.append(
            f"<p>Onzekerheid: {escape(nl_int(adaptive.simulaties))} simulaties (Monte Carlo "
            "met vaste seed; per planstatus een realisatiekans en een vertraging), banden "
            "p10–p90.</p>"
        )
    if adaptive.scenarios is not None:
        parts += [
            "<h3>Scenario's (corporaties)</h3>",
            _dutch(adaptive.scenarios, "prognose_scenarios"),
        ]
    if adaptive.signals is not None and len(adaptive.signals):
        shown = adaptive.signals[["segment", "signaal", "zeker", "vanaf", "toelichting"]].copy()
        shown["zeker"] = shown["zeker"].map({True: "ja", False: "nee"})
        parts += ["<h3>Bijsturen: behoefte tegenover plannen</h3>", _dutch(shown, "bijsturen")]
    if adaptive.gap is not None and len(adaptive.gap):
        last = adaptive.gap[adaptive.gap["jaar"] == adaptive.gap["jaar"].max()]
        cols = [c for c in last.columns if c.startswith(("behoefte_cum", "aanbod_cum", "tekort"))]
        parts += [
            f"<h3>Cumulatief t/m {int(last['jaar'].iloc[0])} (alle partijen)</h3>",
            _dutch(last[["segment", *cols]], "behoefte_tekort"),
        ]
    if adaptive.rates is not None and len(adaptive.rates):
        parts += ["<h3>Realisatie tegenover de plannen</h3>", _dutch(adaptive.rates, "realisatie")]
    return "".join(parts)
