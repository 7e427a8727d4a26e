"""The tables of a run: CSV files (Dutch Excel dialect) and one workbook, ``tabellen.xlsx``.

CSV: one file per table, canonical column names, in the dialect of ``[uitvoer] csv``
(``nl``: ``;``, decimal comma, UTF-8 with BOM; ``internationaal``: ``,`` and ``.``).
XLSX: a "Toelichting" sheet, then the buurt table split into themed sheets (SIA, SIA
contributions, Buurten, Corporatiebezit, …; each repeats buurtcode and buurtnaam) and one
sheet per other table, with Dutch headers from :mod:`geoprestatie.output.kolommen`. No
column is written twice: the SIA table holds the SIA columns, the buurt table the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from geoprestatie.output import _digest
from geoprestatie.output._mapdata import corporation_name
from geoprestatie.output._sheets import Sheet, write_csv, write_xlsx
from geoprestatie.output.kolommen import THEMES, describe
from geoprestatie.output.stoplight import stoplight_counts
from geoprestatie.programme import ProgrammeResult
from geoprestatie.publication import SUPPRESSED_ATTR, suppressed_mask
from geoprestatie.result import RunResult
from geoprestatie.sia import pairwise_frame

__all__ = [
    "KEYS",
    "buurt_sheets",
    "plain",
    "programme_tables",
    "run_tables",
    "sheets",
    "wide_part",
    "write_tables",
]

#: Columns that identify a buurt on every themed sheet.
KEYS = ("buurtcode", "buurtnaam")
#: The keys of a DIA row.
DIA_KEYS = ("dia_id", "dia_naam")

#: More corporations than this: their dwelling counts go into a long table
#: (``woningen_per_corporatie``) instead of one column each.
MAX_WIDE_CORPORATIONS = 10

#: Sheet name and one-line description of each table (CSV file name -> sheet).
TABLE_SHEETS: dict[str, tuple[str, str]] = {
    "woningen_per_corporatie": (
        "Woningen per corporatie",
        "Corporatiewoningen per buurt en corporatie (alleen waar de corporatie woningen heeft).",
    ),
    "sia_paarsgewijs": (
        "SIA paarsgewijs",
        "Per paar van de vaakst in de top k staande buurten: het aandeel gewichtstrekkingen "
        "waarin de ene buurt vóór de andere staat.",
    ),
    "dia": ("DIA", "De investeringsgebieden (DIA's) met hun kenmerken, één rij per gebied."),
    "dia_per_corporatie": (
        "DIA per corporatie",
        "Corporatiewoningen per DIA en corporatie (alleen waar de corporatie woningen heeft).",
    ),
    "dia_vergelijking": ("DIA-vergelijking", "De DIA's vergeleken met de vorige set."),
    "prognose": (
        "Prognose",
        "Voorraadprognose per corporatie, buurt en jaar: beginstand, mutaties, eindstand.",
    ),
    "prognose_samenvatting": (
        "Prognose samenvatting",
        "Mutaties over de hele periode per corporatie en in totaal (als in de afspraken).",
    ),
    "prognose_scenarios": (
        "Scenario's",
        "De prognose van de corporaties per scenario (hard, zacht, alles), met de band.",
    ),
    "programma_banden": (
        "Programma per segment",
        "Plannen van alle partijen per segment en gebied, per jaar met de band p10-p90.",
    ),
    "behoefte_tekort": (
        "Behoefte en tekort",
        "Per segment en jaar de cumulatieve behoefte, de plannen met hun band en het tekort.",
    ),
    "bijsturen": ("Bijsturen", "Per segment: tekort, overschot of in balans (marge)."),
    "realisatie": (
        "Realisatie",
        "Gerealiseerd tegenover gepland per partij, planstatus en richting.",
    ),
    "monitor": ("Monitor", "De afspraken met hun status (groen, oranje, rood, onbekend)."),
    "monitor_groepen": (
        "Monitor per groep",
        "De afspraken per groep (bijv. per buurt of corporatie).",
    ),
    "monitor_thema": ("Monitor per thema", "Aantal afspraken per status, per thema."),
    "monitor_partij": ("Monitor per partij", "Aantal afspraken per status, per partij."),
    "koppeling": (
        "Koppeling",
        "Verantwoording per invoerbestand: gelezen = gekoppeld + niet gekoppeld.",
    ),
    "niet_gekoppeld": (
        "Niet gekoppeld",
        "De records die niet gebruikt konden worden: bestand, rij, reden.",
    ),
}

_THEME_ABOUT: dict[str, str] = {
    "Buurten": "De buurten (CBS-indeling): codes, namen, oppervlakte.",
    "Corporatiebezit": "Woningen van de corporaties per buurt: aantallen, labels, bouwjaar.",
    "Huur en verkoop": "Corporatiewoningen per huurklasse en de voorgenomen verkoop.",
    "Kerncijfers CBS": "Kerncijfers van CBS per buurt (inwoners, woningen, nabijheid).",
    "Leefbaarheid": "Leefbaarometer en geluid per buurt.",
    "Warmte": "Warmtetransitie per buurt: startjaar en strategie.",
    "SIA": "De prioritering (SIA): score, rang, geschiktheid, robuustheid en DIA per buurt.",
    "SIA-bijdragen": "Bijdrage van elk criterium aan de SIA-score (samen de score).",
    "Overig": "Overige kolommen van de buurttabel.",
}


def with_index_column(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its index as the first column, the publication's mask of hidden cells
    moved along (a mask left on the old row labels marks nothing: the hidden cells of the
    prognosis summary were written empty instead of as hidden).

    Examples
    --------
    >>> f = pd.DataFrame({"A": [pd.NA, 3]}, index=pd.Index(["Sloop", "Verkoop"], name="r"))
    >>> f.attrs[SUPPRESSED_ATTR] = pd.DataFrame({"A": [True, False]}, index=f.index)
    >>> suppressed_mask(with_index_column(f)).to_numpy().tolist()
    [[False, True], [False, False]]
    """
    mask = suppressed_mask(frame)
    # a copy first: a wide summary (one column per corporation) is fragmented
    flat = frame.copy().reset_index()
    flat.attrs = {
        **flat.attrs,
        SUPPRESSED_ATTR: mask.reset_index(drop=True).reindex(
            columns=flat.columns, fill_value=False
        ),
    }
    return flat


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy without geometry, with list/tuple/set cells as text (for CSV and XLSX).

    Examples
    --------
    >>> plain(pd.DataFrame({"a": [["x", "y"], "z"]})).to_dict("list")
    {'a': ['x, y', 'z']}
    """
    out = pd.DataFrame(frame.drop(columns=[c for c in frame.columns if c == "geometry"]))
    # only the suppression mask travels on: pandas deep-copies attrs on every column access
    out.attrs = {k: v for k, v in frame.attrs.items() if k == "onderdrukt"}
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(
                lambda v: ", ".join(map(str, v)) if isinstance(v, list | tuple | set) else v
            )
    return out


def _sia_columns(scored: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """The columns the SIA adds to the buurt table (scores, contributions, DIA)."""
    own = set(map(str, table.columns))
    return [str(c) for c in scored.columns if str(c) not in own and c != "geometry"]


def corporation_columns(frame: pd.DataFrame) -> list[str]:
    """The per-corporation dwelling counts ``woningen_<corporatie>`` of a buurt table."""
    return [
        str(c)
        for c in frame.columns
        if str(c).startswith("woningen_") and str(c) != "woningen_corporaties"
    ]


def wide_part(table: pd.DataFrame) -> pd.DataFrame:
    """The first frame of :func:`split_corporations` (``table`` without its per-corporation
    columns when it has more than :data:`MAX_WIDE_CORPORATIONS`), without making the long
    one (a GeoPackage layer needs only this: the long table of a national run is 30 MB).

    Examples
    --------
    >>> t = pd.DataFrame({"buurtcode": ["BU1"], **{f"woningen_{i}": [1] for i in range(11)}})
    >>> list(wide_part(t).columns)
    ['buurtcode']
    """
    corps = corporation_columns(table)
    if len(corps) <= MAX_WIDE_CORPORATIONS:
        return table
    rest = table.drop(columns=corps)
    rest.attrs = dict(table.attrs)
    return rest


def split_corporations(
    table: pd.DataFrame, *, keys: Sequence[str] = KEYS
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Move many per-corporation columns into a long table (one row per buurt, or per
    ``keys``, and corporation with dwellings there); at most
    :data:`MAX_WIDE_CORPORATIONS` stay wide.

    A national run has ~280 corporations: 280 mostly empty columns are no table to read
    (nor a GeoPackage layer to open). Suppressed cells (``attrs["onderdrukt"]``) keep
    their row and their mark.

    Examples
    --------
    >>> t = pd.DataFrame({"buurtcode": ["BU1", "BU2"], "woningen_a": [3, 0],
    ...                   "woningen_b": [0, 7]})
    >>> wide, long = split_corporations(t)
    >>> long is None
    True
    """
    corps = corporation_columns(table)
    if len(corps) <= MAX_WIDE_CORPORATIONS:
        return table, None
    keys = [k for k in keys if k in table.columns]
    rest = wide_part(table)
    mask = table.attrs.get("onderdrukt")
    values = table[corps].apply(pd.to_numeric, errors="coerce")
    hidden = (
        mask.reindex(index=table.index, columns=corps, fill_value=False)
        .astype("boolean")
        .fillna(False)
        .astype(bool)
        if isinstance(mask, pd.DataFrame)
        else pd.DataFrame(False, index=table.index, columns=corps)
    )
    keep = (values.fillna(0).to_numpy() != 0) | hidden.to_numpy()
    rows, cols = keep.nonzero()
    long = table[keys].iloc[rows].reset_index(drop=True)
    names = [corporation_name(c.removeprefix("woningen_")) for c in corps]  # once per column
    long["corporatie"] = np.asarray(names, dtype=object)[cols] if len(cols) else []
    long["woningen"] = values.to_numpy()[rows, cols]
    if isinstance(mask, pd.DataFrame):
        flags = pd.DataFrame(False, index=long.index, columns=long.columns)
        flags["woningen"] = hidden.to_numpy()[rows, cols]
        long.attrs["onderdrukt"] = flags
    return rest, long


def programme_tables(adaptive: ProgrammeResult) -> dict[str, pd.DataFrame]:
    """Adaptive programming: scenarios, segment bands, need/gap, signals, realisations."""
    parts = {
        "prognose_scenarios": adaptive.scenarios,
        "programma_banden": adaptive.segments,
        "behoefte_tekort": adaptive.gap,
        "bijsturen": adaptive.signals,
        "realisatie": adaptive.rates,
    }
    return {name: plain(frame) for name, frame in parts.items() if frame is not None}


def run_tables(result: RunResult) -> dict[str, pd.DataFrame]:
    """The tables of a run by file name (without ``.csv``), in the order they are written.

    ``sia`` holds the buurt keys and the columns the SIA and DIA add; the buurt
    indicators are in ``buurttabel`` (joined on ``buurtcode``).
    """
    table = result.table
    scored = result.dia_result.buurten  # prioritised + dia_id, dia_naam, dia_reden
    keys = [k for k in KEYS if k in scored.columns]
    sia = scored[[*keys, *_sia_columns(scored, table)]]
    sia.attrs = {k: v for k, v in scored.attrs.items() if k == "onderdrukt"}
    whole = result.completeness
    if not whole.complete:  # a hollow SIA says so in its own table too
        sia = sia.assign(sia_gewicht_aanwezig=whole.present)
        sia.attrs = {k: v for k, v in scored.attrs.items() if k == "onderdrukt"}
    wide, per_corporation = split_corporations(table)
    tables: dict[str, pd.DataFrame] = {"buurttabel": plain(wide)}
    if per_corporation is not None:
        tables["woningen_per_corporatie"] = per_corporation
    dia_wide, dia_per_corporation = split_corporations(result.dia_result.areas, keys=DIA_KEYS)
    tables |= {
        "sia": plain(sia),
        "dia": plain(dia_wide),
        "koppeling": result.joined.report.to_frame(),
        "niet_gekoppeld": result.joined.report.not_joined,
    }
    if dia_per_corporation is not None:
        tables["dia_per_corporatie"] = dia_per_corporation
    if "paarsgewijs" in scored.attrs:  # internal only: publication.publish drops it
        tables["sia_paarsgewijs"] = pairwise_frame(scored)
    if result.prognosis is not None:
        tables["prognose"] = result.prognosis
        if result.prognosis_summary is not None:
            tables["prognose_samenvatting"] = with_index_column(result.prognosis_summary)
    if result.programme is not None:
        tables |= programme_tables(result.programme)
    if result.monitor is not None:
        tables["monitor"] = plain(result.monitor.table)
        if len(result.monitor.groepen):
            tables["monitor_groepen"] = plain(result.monitor.groepen)
        tables["monitor_thema"] = stoplight_counts(result.monitor.table, "thema")
        tables["monitor_partij"] = stoplight_counts(result.monitor.table, "partij")
    if result.dia_comparison is not None:
        tables["dia_vergelijking"] = plain(result.dia_comparison)
    return tables


def _part(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Some columns of a frame, with the matching part of its suppression mask."""
    part = frame[columns]
    part.attrs = {}
    mask = frame.attrs.get("onderdrukt")
    if isinstance(mask, pd.DataFrame):
        part.attrs["onderdrukt"] = mask.reindex(columns=columns)
    return part


def buurt_sheets(
    buurttabel: pd.DataFrame, sia: pd.DataFrame, labels: Mapping[str, str]
) -> list[Sheet]:
    """The buurt table and the SIA columns split into one sheet per theme.

    Every sheet starts with buurtcode and buurtnaam; a theme without columns has no sheet.
    """
    keys = [k for k in KEYS if k in buurttabel.columns]
    merged = buurttabel
    extra = [c for c in sia.columns if c not in buurttabel.columns]
    if extra and "buurtcode" in sia.columns and len(sia) == len(buurttabel):
        # plain views without attrs: pandas compares the attrs of frames it concatenates,
        # and two suppression masks (frames) do not compare as one bool
        parts = [buurttabel, sia[extra].set_axis(buurttabel.index)]
        merged = pd.concat([pd.DataFrame(p, copy=False) for p in parts], axis=1)
        masks = [f.attrs.get("onderdrukt") for f in (buurttabel, sia)]
        if any(isinstance(m, pd.DataFrame) for m in masks):
            merged.attrs["onderdrukt"] = pd.concat(
                [
                    (m if isinstance(m, pd.DataFrame) else pd.DataFrame(index=f.index))
                    .reindex(index=f.index, columns=cols)
                    .set_axis(buurttabel.index)
                    for m, f, cols in zip(
                        masks, (buurttabel, sia), (list(buurttabel.columns), extra), strict=True
                    )
                ],
                axis=1,
            )
    by_theme: dict[str, list[str]] = {t: [] for t in THEMES}
    for col in merged.columns:
        if col in keys:
            continue
        theme = describe(str(col), labels=labels).thema
        by_theme[theme if theme in by_theme else "Overig"].append(str(col))
    order = ["SIA", "SIA-bijdragen", *[t for t in THEMES if t not in ("SIA", "SIA-bijdragen")]]
    out = []
    for theme in order:
        if by_theme[theme] or (theme == "Buurten" and keys):
            frame = _part(merged, [*keys, *by_theme[theme]])
            out.append(Sheet(theme, frame, "buurttabel", _THEME_ABOUT[theme], len(keys), labels))
    return out


def sheets(tables: Mapping[str, pd.DataFrame], labels: Mapping[str, str]) -> list[Sheet]:
    """The workbook's sheets for the tables of :func:`run_tables`.

    A table longer than :data:`~geoprestatie.output._digest.MAX_SHEET_ROWS` rows is
    summarised (:func:`large_sheets`); its CSV file holds it in full.
    """
    buurttabel = tables["buurttabel"]
    sia = tables.get("sia", pd.DataFrame())
    if len(buurttabel) > _digest.MAX_SHEET_ROWS:
        out = _large_buurt_sheets(buurttabel, sia, labels)
    else:
        out = buurt_sheets(buurttabel, sia, labels)
    for name, (sheet, about) in TABLE_SHEETS.items():
        if name not in tables:
            continue
        frame, table = tables[name], name
        if len(frame) > _digest.MAX_SHEET_ROWS:
            sheet, frame, table, about = _large_table(name, sheet, frame, about)
        keys = sum(str(c) in KEYS for c in frame.columns[:2])
        keys = keys or (1 if len(frame.columns) > 1 else 0)
        out.append(Sheet(sheet, frame, table, about, keys, labels))
    return out


def _large_table(
    name: str, sheet: str, frame: pd.DataFrame, about: str
) -> tuple[str, pd.DataFrame, str, str]:
    """A long table's sheet: per corporation (and year), or its first rows."""
    if name == "prognose" and {"corporatie", "jaar"} <= set(frame.columns):
        keys = ["corporatie", "jaar"]
        numeric = [
            str(c)
            for c in frame.columns
            if c not in (*keys, "buurtcode") and pd.api.types.is_numeric_dtype(frame[c])
        ]
        summed = _digest.grouped_sum(frame, keys, numeric)
        text = (
            "Voorraadprognose per corporatie en jaar, opgeteld over de buurten; per buurt: "
            "prognose.csv en geoprestatie.gpkg (laag prognose)."
        )
        return "Prognose per corporatie", summed, name, text
    if name == "woningen_per_corporatie" and {"corporatie", "woningen"} <= set(frame.columns):
        summed = _digest.grouped_sum(frame, ["corporatie"], ["woningen"], count="n_buurten")
        text = (
            "Corporatiewoningen per corporatie (alle buurten samen) en het aantal buurten "
            "waar de corporatie woningen heeft; per buurt: woningen_per_corporatie.csv."
        )
        return sheet, summed, name, text
    first = _digest.head(frame)
    return sheet, first, name, about + _digest.about_head(name, len(first), len(frame))


def _large_buurt_sheets(
    buurttabel: pd.DataFrame, sia: pd.DataFrame, labels: Mapping[str, str]
) -> list[Sheet]:
    """A large run's buurt sheets: a summary per gemeente, then the themed sheets for the
    buurten with the best SIA rank."""
    rank = sia["sia_rang"] if "sia_rang" in sia.columns and len(sia) == len(buurttabel) else None
    positions = _digest.best_ranked(rank, len(buurttabel))
    top = buurt_sheets(
        _digest.take(buurttabel, positions),
        _digest.take(sia, positions) if rank is not None else sia.iloc[0:0],
        labels,
    )
    note = _digest.about_top(len(positions), len(buurttabel))
    out = [Sheet(s.name, s.frame, s.table, s.about + note, s.keys, s.labels) for s in top]
    gemeenten = _gemeenten(buurttabel, sia if rank is not None else None, labels)
    if gemeenten is not None:
        out.insert(0, gemeenten)
    return out


def _gemeenten(
    buurttabel: pd.DataFrame, sia: pd.DataFrame | None, labels: Mapping[str, str]
) -> Sheet | None:
    """Per gemeente: buurten, the SIA counts and every count column summed."""
    keys = [k for k in ("gemeentecode", "gemeentenaam") if k in buurttabel.columns]
    if not keys:
        return None
    counts = [
        str(c)
        for c in buurttabel.columns
        if c not in keys
        and pd.api.types.is_numeric_dtype(buurttabel[c])
        and not pd.api.types.is_bool_dtype(buurttabel[c])
        and describe(str(c), table="buurttabel", labels=labels).soort == "count"
    ]
    frame = _part(buurttabel, [*keys, *counts])
    if sia is not None:
        for col, name in (("sia_geschikt", "n_geschikt"), ("robuust", "n_robuust")):
            if col in sia.columns:
                frame = _digest.with_column(frame, name, sia, col)
                counts.append(name)
    summed = _digest.grouped_sum(frame, keys, counts, count="n_buurten")
    about = (
        "Per gemeente: aantal buurten, geschikte en robuuste buurten (SIA) en de aantallen "
        "van de buurttabel opgeteld ('×' als een buurt van de gemeente niet gepubliceerd is)."
    )
    return Sheet("Gemeenten", summed, "gemeenten", about, len(keys), labels)


def notes(result: RunResult, *, csv: str, suppressed_label: str) -> list[str]:
    """The lines at the top of the Toelichting sheet."""
    lines = [f"Project: {result.config.name}."]
    if result.config.synthetic:
        lines.append(
            "LET OP: de corporatiegegevens in deze run zijn synthetisch (demo), niet voor beleid."
        )
    whole = result.completeness
    if not whole.complete:
        lines.append(f"LET OP: {whole.text()}")
    lines += [
        "Elk blad heeft een filter in de kopregel; de eerste kolommen blijven staan bij "
        "scrollen. Buurtbladen koppelt u op Buurtcode.",
        f"'{suppressed_label}': waarde niet gepubliceerd (te weinig woningen; privacy).",
        "De CSV-bestanden bevatten dezelfde tabellen met de veldnamen uit de kolom "
        "'Veldnaam' hieronder"
        + (
            "; scheidingsteken ';' en decimale komma (Nederlandse Excel)."
            if csv == "nl"
            else "; scheidingsteken ',' en decimale punt (internationaal)."
        ),
    ]
    return lines


def write_tables(
    result: RunResult,
    folder: Path,
    *,
    csv: str | None = None,
    suppressed_label: str = "×",
) -> list[Path]:
    """Write one CSV per table and ``tabellen.xlsx`` into ``folder``; return the paths.

    ``csv`` is the CSV dialect (``nl`` or ``internationaal``); default the run's
    ``[uitvoer] csv``, else ``nl``.
    """
    if csv is None:
        csv = str(result.config.section("uitvoer").get("csv", "nl"))
    tables = run_tables(result)
    labels = {c.name: c.label for c in result.sia_config.criteria}
    written = [
        write_csv(frame, folder / f"{name}.csv", csv=csv, suppressed_label=suppressed_label)
        for name, frame in tables.items()
    ]
    written.append(
        write_xlsx(
            folder / "tabellen.xlsx",
            sheets(tables, labels),
            notes=notes(result, csv=csv, suppressed_label=suppressed_label),
            suppressed_label=suppressed_label,
            created=result.config.date,
        )
    )
    return written
