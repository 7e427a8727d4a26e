"""Adaptive programming: project the corporation stock per year from mutation plans.

The start stock (per corporation, optionally per buurt, at a *peildatum*) is rolled forward
year by year with the planned mutations. Each plan row is one mutation of a documented type
(:data:`MUTATIONS`): additions count positive, removals negative, whatever sign the user wrote
(``aantal`` must be a positive whole number). Temporary units (``tijdelijk``) are kept apart
from the permanent stock, as the prestatieafspraken do.

The projection of a year is::

    eindstand = beginstand + additions - removals      (permanent units only)
    beginstand(year + 1) = eindstand(year)

The first projected year (``startjaar``) is the year of the peildatum when it is 1 January,
else the year after it (a stock counted on 31 December 2021 is the beginstand of 2022). A plan
row in a year before ``startjaar`` is an error: it lies in the past of the start stock.

A published *net* figure ("-25 tot 2024") is entered as mutation ``saldo``: the only type
whose ``aantal`` is signed. It stays apart from the gross mutations in every table (its own
column in :func:`project`, its own row in :func:`summary_table`) and counts in the net growth.

Scenarios select plan rows by status (``zekerheid``): ``hard``; ``zacht`` (hard + zacht);
``alles`` (every status). The statuses and the scenario each belongs to are those of
:mod:`geoprestatie.planstatus` (``hard``, ``zacht``, ``ambitie``, ``idee`` and the config's
own). A plan file without a ``zekerheid`` column is all hard.

Plans of the whole stock (every party, not only corporations) carry optional columns
``segment`` (:mod:`geoprestatie.segments`; or a ``huurprijs``/``koopprijs`` classified by the
year's bounds), ``partijtype``, ``project`` and ``woningtype``; the party is the column
``corporatie`` (alias ``partij``, ``initiatiefnemer``).
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geoprestatie._validate import config_number, lower_map, require_columns
from geoprestatie.errors import ConfigError, DataWarning, InputError, format_rows
from geoprestatie.huur import DEFAULT_LIMITS, RENT_CLASSES, RentLimits, classify_rent, limits_for
from geoprestatie.planstatus import (
    DEFAULT_STATUSES,
    SCENARIO_ORDER,
    PlanStatus,
    UncertaintyConfig,
    parse_statuses,
)
from geoprestatie.segments import ALL_SEGMENTS, SegmentBounds, classify_price, normalise_segment
from geoprestatie.segments import parse_bounds as parse_segment_bounds
from geoprestatie.sources._peil import check_stated_date
from geoprestatie.sources._tabular import (
    ATTR_SOURCE,
    clean_code,
    named_sheet,
    parse_bool,
    parse_buurtcode,
    parse_number,
    parse_number_column,
    read_table,
    with_source_rows,
)

__all__ = [
    "ADDITIONS",
    "MUTATIONS",
    "MUTATION_TYPES",
    "NET_MUTATIONS",
    "PARTY_TYPES",
    "REMOVALS",
    "SCENARIOS",
    "SUMMARY_ROWS",
    "PrognosisConfig",
    "Target",
    "aggregate",
    "plans_from_frame",
    "project",
    "read_mutation_plans",
    "read_prognosis",
    "read_start_stock",
    "rent_class_prognosis",
    "selected_plans",
    "signed_counts",
    "start_from_frame",
    "start_stock_from_stock",
    "startjaar",
    "summary_table",
    "target_gaps",
]

#: Mutation types and their sign: +1 adds to the social stock, -1 removes from it.
MUTATIONS: dict[str, int] = {
    "nieuwbouw": 1,  # new construction
    "transformatie": 1,  # conversion of non-residential buildings into dwellings
    "aankoop": 1,  # purchase of existing dwellings
    "deliberalisatie": 1,  # a free-sector dwelling brought back under the liberalisatiegrens
    "splitsing": 1,  # one dwelling split into several (the net extra units)
    "sloop": -1,  # demolition
    "verkoop": -1,  # sale
    "liberalisatie": -1,  # rent raised above the liberalisatiegrens (leaves the social stock)
    "samenvoeging": -1,  # dwellings merged into fewer (the net units lost)
}
ADDITIONS: tuple[str, ...] = tuple(m for m, s in MUTATIONS.items() if s > 0)
REMOVALS: tuple[str, ...] = tuple(m for m, s in MUTATIONS.items() if s < 0)
#: Net mutation types: ``aantal`` is signed (a published net development, "-25 tot 2024").
NET_MUTATIONS: tuple[str, ...] = ("saldo",)
MUTATION_TYPES: tuple[str, ...] = (*MUTATIONS, *NET_MUTATIONS)

#: Scenario name -> the default statuses (``zekerheid``) it includes; a config's own
#: statuses join the scenario they name (:meth:`PrognosisConfig.scenario_statuses`).
SCENARIOS: dict[str, tuple[str, ...]] = {
    name: tuple(
        s.naam
        for s in DEFAULT_STATUSES.values()
        if SCENARIO_ORDER.index(s.scenario) <= SCENARIO_ORDER.index(name)
    )
    for name in SCENARIO_ORDER
}
CERTAINTIES: tuple[str, ...] = tuple(DEFAULT_STATUSES)

#: Kinds of party in a plan list of the whole stock (``partijtype``).
PARTY_TYPES: tuple[str, ...] = ("corporatie", "ontwikkelaar", "gemeente", "particulier", "overig")

#: Rows of :func:`summary_table`, in the order of the prestatieafspraken.
SUMMARY_ROWS: tuple[str, ...] = (
    "Toevoeging permanente nieuwbouw, transformatie, aankoop",
    "Toevoeging tijdelijk (>5 jr)",
    "Onttrekking tijdelijk",
    "Saldo (de)liberalisatie",
    "Saldo splitsing/samenvoeging",
    "Sloop",
    "Verkoop",
    "Saldo (netto opgegeven)",
    "Permanente netto groei inclusief sloop",
    "Permanente netto groei exclusief sloop",
)
#: Rows of :data:`SUMMARY_ROWS` shown only when some value is non-zero.
_OPTIONAL_ROWS = (
    "Onttrekking tijdelijk",
    "Saldo splitsing/samenvoeging",
    "Saldo (netto opgegeven)",
)

TEMP_COLUMNS: tuple[str, ...] = (
    "tijdelijk_beginstand",
    "tijdelijk_toevoeging",
    "tijdelijk_onttrekking",
    "tijdelijk_eindstand",
)

_PLAN_ALIASES: dict[str, tuple[str, ...]] = {
    "corporatie": (
        "woningcorporatie",
        "wooncorporatie",
        "corporation",
        "toegelaten instelling",
        "partij",
        "initiatiefnemer",
        "ontwikkelaar",
    ),
    "jaar": ("year", "opleverjaar", "planjaar"),
    "mutatie": ("mutatietype", "type mutatie", "soort", "type"),
    "aantal": ("aantal woningen", "aantal_woningen", "n", "count", "capaciteit"),
    "buurtcode": ("bu_code", "buurt_code", "buurt code", "code buurt"),
    "zekerheid": ("hardheid", "planstatus", "certainty", "status", "planfase"),
    "tijdelijk": ("temporary", "tijdelijke woningen"),
    "huurklasse": ("rent_class",),
    "segment": ("marktsegment", "prijssegment", "woningsegment"),
    "partijtype": ("type partij", "soort partij"),
    "project": ("projectnaam", "projectnummer", "project_id", "plannaam"),
    "woningtype": ("type woning", "typologie"),
    "huurprijs": ("kale huur", "huur", "aanvangshuur"),
    "koopprijs": ("vraagprijs", "v.o.n.-prijs", "von prijs", "koopsom"),
}
_START_ALIASES: dict[str, tuple[str, ...]] = {
    "corporatie": _PLAN_ALIASES["corporatie"],
    "buurtcode": _PLAN_ALIASES["buurtcode"],
    "aantal": ("aantal woningen", "aantal_woningen", "voorraad", "woningen", "n", "count"),
    "peildatum": ("datum", "peil datum", "reference date"),
    "tijdelijk": ("aantal_tijdelijk", "tijdelijke woningen"),
}


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------


def _source_rows(df: pd.DataFrame) -> pd.Series:
    """Row numbers for messages: ``bron_rij`` when the frame has it (the readers add the row
    as the user sees it in the file, header = row 1), else the 1-based position, as in
    :mod:`geoprestatie.join`."""
    if "bron_rij" in df.columns:
        return pd.to_numeric(df["bron_rij"], errors="coerce").astype("Int64")
    return pd.Series(np.arange(1, len(df) + 1), index=df.index, dtype="Int64")


def _read_with_rows(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """:func:`read_table` (all text, NA for an empty cell) with its row numbers in ``bron_rij``;
    from a workbook the sheet ``sheet`` when it has one (the delivery template), else the first."""
    return with_source_rows(read_table(path, sheet=named_sheet(path, [sheet] if sheet else [])))


def _whole_counts(
    values: pd.Series,
    *,
    column: str,
    source: str | Path,
    rows: pd.Series,
    allow_zero: bool,
    signed: pd.Series | None = None,
) -> pd.Series:
    """Validate counts: present, numeric, whole, positive (or >= 0); error names the rows.

    Rows where ``signed`` is true (mutation ``saldo``) may be negative."""
    may_be_negative = (
        pd.Series(False, index=values.index) if signed is None else signed.astype(bool)
    )
    text = values.astype("string").str.strip().fillna("")
    num, not_number, ambiguous = parse_number_column(values)
    # the value as shown in the message: an ambiguous one with its two readings
    shown = ambiguous.fillna(text)
    checks: list[tuple[pd.Series, str]] = [
        (text.eq(""), "is leeg; verwacht een geheel getal"),
        (
            ambiguous.notna(),
            "is een breuk of heeft een scheidingsteken voor duizendtallen (twee lezingen); "
            "verwacht een geheel aantal woningen (zonder duizendtallenscheiding)",
        ),
        (not_number & text.ne(""), "is geen getal; verwacht een geheel aantal woningen"),
        (
            num.notna() & (num < 0) & ~may_be_negative,
            "is negatief; `aantal` is altijd positief, het teken volgt uit "
            "de mutatiesoort (toevoegingen +, onttrekkingen -); een gepubliceerd netto cijfer "
            "is mutatie `saldo`, de enige met een teken",
        ),
        (
            num.notna() & (np.floor(num) != num),
            "is een breuk; verwacht een geheel aantal woningen (zonder duizendtallenscheiding)",
        ),
    ]
    if not allow_zero:
        checks.append((num.eq(0), "is nul; laat de rij dan weg"))
    for mask, why in checks:
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            bad = shown[mask].tolist()[:5]
            raise InputError(
                f"`{column}` {why}; gevonden: {bad}",
                source=source,
                column=column,
                rows=rows[mask].astype(int).tolist(),
            )
    return num.astype("Int64")


def _bools(values: pd.Series, *, column: str, source: str | Path, rows: pd.Series) -> pd.Series:
    """ja/nee (:func:`geoprestatie.sources._tabular.parse_bool`); an empty cell is nee."""
    flags, bad = parse_bool(values)
    if bad.any():
        text = values.astype("string").str.strip().str.lower()
        raise InputError(
            f"`{column}` moet ja/nee zijn (of true/false, 1/0); "
            f"gevonden: {text[bad].unique().tolist()[:5]}",
            source=source,
            column=column,
            rows=rows[bad].astype(int).tolist(),
        )
    return flags.fillna(False).astype("boolean")


def _buurtcodes(values: pd.Series, *, source: str | Path, rows: pd.Series) -> pd.Series:
    codes = clean_code(values)
    # a bare 8-digit code is a buurtcode without its prefix
    codes = codes.where(~codes.str.fullmatch(r"\d{8}").fillna(False), "BU" + codes)
    codes, bad = parse_buurtcode(codes)
    if bad.any():
        raise InputError(
            "`buurtcode` moet een CBS-buurtcode zijn zoals 'BU03070000' (BU + 8 cijfers); "
            "gevonden: "
            f"{codes[bad].unique().tolist()[:5]}",
            source=source,
            column="buurtcode",
            rows=rows[bad].astype(int).tolist(),
        )
    return codes


def _check_choice(
    values: pd.Series,
    allowed: Iterable[str],
    *,
    what: str,
    expected: str,
    column: str,
    source: str | Path,
    rows: pd.Series,
) -> None:
    """Raise naming the rows whose (cleaned) value is given but not one of ``allowed``."""
    bad = (values.notna() & ~values.isin(list(allowed))).fillna(False).astype(bool)
    if bad.any():
        raise InputError(
            f"onbekende {what} {values[bad].unique().tolist()[:5]}; {expected}",
            source=source,
            column=column,
            rows=rows[bad].astype(int).tolist(),
        )


def _names(values: pd.Series, *, column: str, source: str | Path, rows: pd.Series) -> pd.Series:
    names = values.astype("string").str.strip()
    empty = names.isna() | names.eq("")
    if empty.any():
        raise InputError(
            f"`{column}` is leeg; elke rij heeft een {column} nodig",
            source=source,
            column=column,
            rows=rows[empty].astype(int).tolist(),
        )
    return names


def read_mutation_plans(
    path: str | Path,
    *,
    statuses: Iterable[str] | None = None,
    bounds: Mapping[int, SegmentBounds] | None = None,
    sheet: str = "plannen",
) -> pd.DataFrame:
    """Read a mutation-plan file (CSV or XLSX), one row per planned mutation.

    From a workbook the sheet named ``sheet`` when it has one (the delivery template's
    ``Plannen``, or ``Mutaties`` for realised mutations), else the first.

    Columns (case-insensitive, common aliases accepted): ``corporatie`` (the party; alias
    ``partij``), ``jaar``, ``mutatie`` (one of :data:`MUTATION_TYPES`), ``aantal`` (positive
    whole number, the sign follows the type; signed for ``saldo``), optional ``buurtcode``,
    ``zekerheid`` (a status of ``statuses``, default :data:`CERTAINTIES`; absent = hard),
    ``tijdelijk`` (ja/nee; absent = nee), ``huurklasse`` (one of
    :data:`geoprestatie.huur.RENT_CLASSES`), ``segment`` (:mod:`geoprestatie.segments`; or
    ``huurprijs``/``koopprijs``, classified with ``bounds`` in the plan's year),
    ``partijtype`` (:data:`PARTY_TYPES`), ``project`` and ``woningtype``. Extra columns are
    kept. The file is read as the other sources are
    (:func:`geoprestatie.sources._tabular.read_table`: ``,``/``;``, decimal commas, UTF-8 or
    cp1252); row numbers (``bron_rij`` and in messages) are the rows as the user sees them in
    Excel or a text editor: the header is row 1, the first plan row 2.

    Returns
    -------
    DataFrame
        See :func:`plans_from_frame`.

    Examples
    --------
    The demo plans (real totals of the Prestatieafspraken Amersfoort 2022-2023, synthetic
    split; see ``data/demo/README.md``):

    >>> from geoprestatie.datasets import data_path
    >>> plans = read_mutation_plans(data_path("demo/plannen_amersfoort_2022_2023.csv"))
    >>> int(plans.loc[plans["mutatie"] == "sloop", "aantal"].sum()), int(plans["bron_rij"].min())
    (148, 2)
    """
    return plans_from_frame(
        _read_with_rows(path, sheet=sheet), source=path, statuses=statuses, bounds=bounds
    )


def plans_from_frame(
    df: pd.DataFrame,
    *,
    source: str | Path = "plannen",
    statuses: Iterable[str] | None = None,
    bounds: Mapping[int, SegmentBounds] | None = None,
) -> pd.DataFrame:
    """Validate a plan table (strings or numbers) into the canonical plan frame.

    Returns a new frame with ``corporatie`` (str), ``jaar`` (Int64), ``mutatie`` (str),
    ``aantal`` (Int64, > 0; signed and non-zero for ``saldo``), ``buurtcode`` (str or NA),
    ``zekerheid`` (str), ``tijdelijk`` (boolean), ``huurklasse`` (str or NA), ``bron_rij``,
    the optional whole-stock columns when given (``segment``, ``partijtype``, ``project``,
    ``woningtype``) and any extra columns. ``bron_rij`` is the frame's own ``bron_rij``
    column when it has one (the readers put the row as the user sees it in the file there:
    header = row 1), else the 1-based position of the row; error messages name rows by it.
    The frame's ``attrs["bestand"]`` is ``source``, so that :func:`project` can name the file.

    Raises
    ------
    InputError
        Naming the file, column and rows: unknown mutation type (listing the valid ones),
        empty/negative/fractional ``aantal``, a bad year, status, segment or buurtcode.

    Examples
    --------
    >>> plans_from_frame(pd.DataFrame({"corporatie": ["A", "A"], "jaar": [2022, 2023],
    ...     "mutatie": ["Sloop", "saldo"], "aantal": ["3", "-25"]}))[
    ...     ["mutatie", "aantal", "zekerheid"]]
      mutatie  aantal zekerheid
    0   sloop       3      hard
    1   saldo     -25      hard
    """
    out = df.rename(columns=lower_map(df.columns, _PLAN_ALIASES)).copy()
    out.columns = [str(c) for c in out.columns]
    require_columns(out, ["corporatie", "jaar", "mutatie", "aantal"], source=source)
    rows = _source_rows(out)
    out["bron_rij"] = rows
    out["corporatie"] = _names(out["corporatie"], column="corporatie", source=source, rows=rows)

    mut = out["mutatie"].astype("string").str.strip().str.lower().fillna("")
    _check_choice(
        mut,
        MUTATION_TYPES,
        what="mutatiesoort(en)",
        expected=f"geldig zijn de toevoegingen {list(ADDITIONS)}, de onttrekkingen "
        f"{list(REMOVALS)} en het netto cijfer {list(NET_MUTATIONS)} (met teken)",
        column="mutatie",
        source=source,
        rows=rows,
    )
    out["mutatie"] = mut
    out["jaar"] = _years(out["jaar"], source=source, rows=rows)
    out["aantal"] = _whole_counts(
        out["aantal"],
        column="aantal",
        source=source,
        rows=rows,
        allow_zero=False,
        signed=mut.isin(NET_MUTATIONS),
    )
    known = tuple(statuses) if statuses is not None else CERTAINTIES
    out["zekerheid"] = _statuses(out, known, source=source, rows=rows)
    if "tijdelijk" in out.columns:
        out["tijdelijk"] = _bools(out["tijdelijk"], column="tijdelijk", source=source, rows=rows)
    else:
        out["tijdelijk"] = pd.Series(False, index=out.index, dtype="boolean")
    if "buurtcode" in out.columns:
        out["buurtcode"] = _buurtcodes(out["buurtcode"], source=source, rows=rows)
    else:
        out["buurtcode"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["huurklasse"] = _rent_classes(out, source=source, rows=rows)
    out = _whole_stock_columns(out, source=source, rows=rows, bounds=bounds)

    first = ["corporatie", "jaar", "mutatie", "aantal", "buurtcode", "zekerheid", "tijdelijk"]
    rest = [c for c in out.columns if c not in first]
    result = out[first + rest].reset_index(drop=True)
    result.attrs[ATTR_SOURCE] = str(source)
    return result


def _years(values: pd.Series, *, source: str | Path, rows: pd.Series) -> pd.Series:
    year, _ = parse_number(values)
    bad = year.isna() | (np.floor(year) != year) | (year < 1900) | (year > 2200)
    if bad.any():
        raise InputError(
            f"`jaar` moet een jaartal zijn, bijv. 2023; gevonden: "
            f"{values[bad].astype('string').tolist()[:5]}",
            source=source,
            column="jaar",
            rows=rows[bad].astype(int).tolist(),
        )
    return year.astype("Int64")


def _statuses(
    out: pd.DataFrame, known: tuple[str, ...], *, source: str | Path, rows: pd.Series
) -> pd.Series:
    """``zekerheid`` lower-cased and checked; empty or absent is ``hard`` (with a warning)."""
    if "zekerheid" not in out.columns:
        return pd.Series("hard", index=out.index, dtype="string")
    zek = out["zekerheid"].astype("string").str.strip().str.lower().fillna("")
    empty = zek.eq("")
    if empty.any():
        warnings.warn(
            f"{source}: kolom 'zekerheid' is leeg in {format_rows(rows[empty].tolist())}; "
            "gelezen als 'hard'",
            DataWarning,
            stacklevel=3,
        )
        zek = zek.where(~empty, "hard")
    _check_choice(
        zek,
        known,
        what="status(sen)",
        expected=f"verwacht een van {list(known)} (een eigen status voegt u toe onder "
        "[prognose.status.<naam>])",
        column="zekerheid",
        source=source,
        rows=rows,
    )
    return zek


def _rent_classes(out: pd.DataFrame, *, source: str | Path, rows: pd.Series) -> pd.Series:
    if "huurklasse" not in out.columns:
        return pd.Series(pd.NA, index=out.index, dtype="string")
    hk = out["huurklasse"].astype("string").str.strip().str.lower().mask(lambda x: x == "")
    _check_choice(
        hk,
        RENT_CLASSES,
        what="huurklasse",
        expected=f"verwacht een van {list(RENT_CLASSES)} of leeg",
        column="huurklasse",
        source=source,
        rows=rows,
    )
    return hk


def _whole_stock_columns(
    out: pd.DataFrame,
    *,
    source: str | Path,
    rows: pd.Series,
    bounds: Mapping[int, SegmentBounds] | None,
) -> pd.DataFrame:
    """``segment`` (named, or from a price), ``partijtype``, ``project``, ``woningtype``."""
    out = out.copy()
    if {"segment", "huurprijs", "koopprijs"} & set(out.columns):
        seg = (
            normalise_segment(out["segment"])
            if "segment" in out.columns
            else pd.Series(pd.NA, index=out.index, dtype="string")
        )
        for kind in ("huur", "koop"):
            column = f"{kind}prijs"
            if column not in out.columns:
                continue
            price, bad = parse_number(out[column])
            bad = bad & out[column].astype("string").str.strip().fillna("").ne("")
            if bad.any():
                raise InputError(
                    f"`{column}` is geen getal: {out.loc[bad, column].tolist()[:5]}; verwacht euro",
                    source=source,
                    column=column,
                    rows=rows[bad].astype(int).tolist(),
                )
            use = seg.isna() & price.notna()
            if use.any():
                seg = seg.where(
                    ~use, classify_price(price[use], kind, out.loc[use, "jaar"], bounds)
                )
        _check_choice(
            seg,
            ALL_SEGMENTS,
            what="segment(en)",
            expected=f"verwacht een van {list(ALL_SEGMENTS)} (of een huurprijs/koopprijs)",
            column="segment",
            source=source,
            rows=rows,
        )
        out["segment"] = seg
    if "partijtype" in out.columns:
        ptype = out["partijtype"].astype("string").str.strip().str.lower().mask(lambda x: x == "")
        _check_choice(
            ptype,
            PARTY_TYPES,
            what="partijtype(n)",
            expected=f"verwacht een van {list(PARTY_TYPES)} of leeg",
            column="partijtype",
            source=source,
            rows=rows,
        )
        out["partijtype"] = ptype
    for column in ("project", "woningtype"):
        if column in out.columns:
            text = out[column].astype("string").str.strip()
            out[column] = text.mask(text.eq(""), pd.NA)
    return out


def _parse_date(value: object, *, source: str | Path, rows: Sequence[int] = ()) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for dayfirst in (False, True):
        pattern = r"\d{4}-\d{1,2}-\d{1,2}" if not dayfirst else r"\d{1,2}[-/]\d{1,2}[-/]\d{4}"
        # an Excel date cell reads as "2022-01-01 00:00:00"
        if re.fullmatch(pattern, re.split(r"[T ]", text)[0]):
            try:
                return pd.Timestamp(pd.to_datetime(text, dayfirst=dayfirst)).date()
            except (ValueError, TypeError):
                break
    raise InputError(
        f"`peildatum` {text!r} is geen datum; verwacht bijv. 2022-01-01 of 1-1-2022",
        source=source,
        column="peildatum",
        rows=list(rows),
    )


#: The config key (and CLI option) of the start stock's date, as messages name it.
_PEILDATUM_KEY = "[prognose] peildatum (CLI: --peildatum)"


def read_start_stock(
    path: str | Path, *, peildatum: date | str | None = None, sheet: str = "beginstand"
) -> pd.DataFrame:
    """Read a start-stock table ``corporatie, [buurtcode], aantal`` with its peildatum.

    The peildatum comes from a ``peildatum`` column (one value for the whole file) or from
    the ``peildatum`` argument (config ``[prognose] peildatum``, CLI ``--peildatum``); one of
    the two is required, and when both are given they must agree. An optional column ``tijdelijk``
    holds the number of temporary units at the peildatum (default 0).

    Returns
    -------
    DataFrame
        See :func:`start_from_frame`.

    Examples
    --------
    >>> from geoprestatie.datasets import data_path
    >>> start = read_start_stock(data_path("demo/beginstand_amersfoort.csv"))
    >>> sorted(start["corporatie"].unique()), str(start["peildatum"].iloc[0])
    (['Omnia Wonen', 'Portaal', 'de Alliantie'], '2022-01-01')
    """
    return start_from_frame(_read_with_rows(path, sheet=sheet), peildatum=peildatum, source=path)


def start_from_frame(
    df: pd.DataFrame, *, peildatum: date | str | None = None, source: str | Path = "beginstand"
) -> pd.DataFrame:
    """Validate a start-stock table into the canonical start frame.

    Returns a new frame with ``corporatie``, ``buurtcode`` (only when given), ``aantal``
    (Int64 >= 0), ``tijdelijk`` (Int64 >= 0) and ``peildatum`` (a :class:`datetime.date`,
    the same on every row). Duplicate (corporatie, buurtcode) rows are an error.

    Examples
    --------
    >>> start_from_frame(pd.DataFrame({"corporatie": ["A"], "aantal": [10]}),
    ...                  peildatum="2022-01-01")
      corporatie  aantal  tijdelijk   peildatum
    0          A      10          0  2022-01-01
    """
    out = df.rename(columns=lower_map(df.columns, _START_ALIASES)).copy()
    out.columns = [str(c) for c in out.columns]
    require_columns(out, ["corporatie", "aantal"], source=source)
    rows = _source_rows(out)
    out["corporatie"] = _names(out["corporatie"], column="corporatie", source=source, rows=rows)
    out["aantal"] = _whole_counts(
        out["aantal"], column="aantal", source=source, rows=rows, allow_zero=True
    )
    if "tijdelijk" in out.columns:
        out["tijdelijk"] = _whole_counts(
            out["tijdelijk"].astype("string").str.strip().fillna("0").replace("", "0"),
            column="tijdelijk",
            source=source,
            rows=rows,
            allow_zero=True,
        )
    else:
        out["tijdelijk"] = pd.Series(0, index=out.index, dtype="Int64")
    keys = ["corporatie"]
    if "buurtcode" in out.columns:
        out["buurtcode"] = _buurtcodes(out["buurtcode"], source=source, rows=rows)
        keys.append("buurtcode")
    dup = out.duplicated(keys, keep=False)
    if dup.any():
        raise InputError(
            f"dubbele beginstand voor {keys}: elke combinatie mag maar één keer voorkomen",
            source=source,
            rows=rows[dup].astype(int).tolist(),
        )
    if "peildatum" in out.columns:
        values = out["peildatum"].astype("string").str.strip().mask(lambda x: x == "").dropna()
        if peildatum is None:
            if values.nunique() != 1:
                raise InputError(
                    f"`peildatum` moet één datum voor het hele bestand zijn; gevonden: "
                    f"{values.unique().tolist()[:5] or 'geen'}",
                    source=source,
                    column="peildatum",
                )
            peildatum = str(values.iloc[0])
        else:  # the config/CLI date must agree with the file's own
            check_stated_date(
                out.assign(bron_rij=rows),
                key=_PEILDATUM_KEY,
                source=source,
                date=_parse_date(peildatum, source=_PEILDATUM_KEY),
            )
    if peildatum is None:
        raise InputError(
            "de beginstand heeft geen peildatum: voeg een kolom `peildatum` toe of geef "
            "peildatum= (CLI: --peildatum 2022-01-01)",
            source=source,
        )
    pd_date = _parse_date(peildatum, source=source)
    out["peildatum"] = pd.Series([pd_date] * len(out), index=out.index, dtype=object)
    return out[[*keys, "aantal", "tijdelijk", "peildatum"]].reset_index(drop=True)


def start_stock_from_stock(
    stock: pd.DataFrame, *, peildatum: date | str, by_buurt: bool = True
) -> pd.DataFrame:
    """Count the canonical stock frame (one row per vhe) per corporation and buurt.

    Dwellings without a buurtcode are counted under buurtcode NA (nothing is dropped). A
    ``peildatum`` column of the stock file must agree with ``peildatum``.

    Examples
    --------
    >>> stock = pd.DataFrame({"vhe_id": ["1", "2", "3"], "corporatie": ["A", "A", "B"],
    ...                       "buurtcode": ["BU00000001", "BU00000001", None]})
    >>> start_stock_from_stock(stock, peildatum="2022-01-01")[["corporatie", "buurtcode", "aantal"]]
      corporatie   buurtcode  aantal
    0          A  BU00000001       2
    1          B        <NA>       1
    """
    require_columns(stock, ["vhe_id", "corporatie"], source="voorraad")
    check_stated_date(
        stock,
        key=_PEILDATUM_KEY,
        source=stock.attrs.get(ATTR_SOURCE, "voorraad"),
        date=_parse_date(peildatum, source=_PEILDATUM_KEY),
    )
    keys = (
        ["corporatie", "buurtcode"] if by_buurt and "buurtcode" in stock.columns else ["corporatie"]
    )
    frame = stock[keys]
    # a categorical key (read_stock's corporatie) is grouped as it is: the same groups and
    # order as its text, without a string per dwelling
    frame = frame.assign(
        **{k: frame[k].astype("string") for k in keys if not _categorical(frame[k])}
    )
    counts = (
        frame.groupby(keys, dropna=False, sort=True, observed=True)
        .size()
        .rename("aantal")
        .reset_index()
    )
    for k in keys:
        counts[k] = counts[k].astype("string")
    counts["aantal"] = counts["aantal"].astype("Int64")
    counts["tijdelijk"] = pd.Series(0, index=counts.index, dtype="Int64")
    counts["peildatum"] = pd.Series(
        [_parse_date(peildatum, source="peildatum")] * len(counts), index=counts.index, dtype=object
    )
    return counts


def _categorical(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.CategoricalDtype)


def startjaar(peildatum: date) -> int:
    """First projected year: the peildatum's year on 1 January, else the next year.

    Examples
    --------
    >>> startjaar(date(2022, 1, 1)), startjaar(date(2021, 12, 31))
    (2022, 2022)
    """
    return peildatum.year if (peildatum.month, peildatum.day) == (1, 1) else peildatum.year + 1


# --------------------------------------------------------------------------------------------
# config
# --------------------------------------------------------------------------------------------

TARGET_KINDS: tuple[str, ...] = ("netto_groei", "minimum_voorraad")


@dataclass(frozen=True)
class Target:
    """A prognosis target of the agreements.

    ``netto_groei``: permanent net growth over ``van``..``tot`` (inclusive years) of at least
    ``norm`` (``inclusief_sloop=False``: demolition not subtracted). ``minimum_voorraad``:
    permanent stock at the end of each year ``van``..``tot`` (default: every projected year)
    of at least ``norm``. ``corporatie=None`` means all corporations together.
    """

    id: str
    soort: str
    norm: float
    corporatie: str | None = None
    van: int | None = None
    tot: int | None = None
    inclusief_sloop: bool = True

    def __post_init__(self) -> None:
        if self.soort not in TARGET_KINDS:
            raise ConfigError(
                f"doel {self.id!r}: `soort` is {self.soort!r}; verwacht een van "
                f"{list(TARGET_KINDS)}"
            )
        if self.soort == "netto_groei" and (self.van is None or self.tot is None):
            raise ConfigError(
                f"doel {self.id!r}: netto_groei heeft `van` en `tot` (jaartallen) nodig"
            )
        if self.van is not None and self.tot is not None and self.tot < self.van:
            raise ConfigError(f"doel {self.id!r}: `tot` ({self.tot}) ligt vóór `van` ({self.van})")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Target:
        """Build from a TOML table (keys as the fields)."""
        known = {"id", "soort", "norm", "corporatie", "van", "tot", "inclusief_sloop"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"doel: onbekende sleutel(s) {unknown}; verwacht {sorted(known)}")
        for key in ("id", "soort", "norm"):
            if key not in data:
                raise ConfigError(f"doel: sleutel {key!r} ontbreekt in {dict(data)}")
        return cls(
            id=str(data["id"]),
            soort=str(data["soort"]),
            norm=config_number(data["norm"], "norm", where="doel: "),
            corporatie=None if data.get("corporatie") is None else str(data["corporatie"]),
            van=None
            if data.get("van") is None
            else config_number(data["van"], "van", where="doel: ", integer=True),
            tot=None
            if data.get("tot") is None
            else config_number(data["tot"], "tot", where="doel: ", integer=True),
            inclusief_sloop=bool(data.get("inclusief_sloop", True)),
        )


@dataclass(frozen=True)
class PrognosisConfig:
    """Options of :func:`project` and :func:`rent_class_prognosis`.

    Parameters
    ----------
    scenario
        One of :data:`SCENARIOS`: ``hard``, ``zacht`` (hard + zacht) or ``alles``.
    eindjaar
        Last projected year; default the last plan year (or ``startjaar`` without plans).
        Plan rows after it are left out with a :class:`DataWarning`.
    targets
        Targets for :func:`target_gaps`.
    rent_limits
        Rent limits per year for the rent-class prognosis; default
        :data:`geoprestatie.huur.DEFAULT_LIMITS`.
    huurstijging
        Yearly rent increase (fraction, e.g. 0.03) applied to the start stock's rents in the
        rent-class prognosis.
    statussen
        Plan statuses with their scenario, realisation probability and delay
        (:mod:`geoprestatie.planstatus`; ``[prognose.status.<naam>]``).
    onzekerheid
        Monte Carlo options (``[prognose.onzekerheid]``); ``None`` = deterministic only.
    segmentgrenzen
        Segment bounds per year (:mod:`geoprestatie.segments`; ``[prognose.segmentgrenzen]``).
    marge
        Steering margin: a gap between need and plans larger than this fraction of the need
        is a *bijsturen* signal (``[prognose] marge``, default 0.10).

    Examples
    --------
    >>> PrognosisConfig.from_dict({"scenario": "zacht", "eindjaar": 2025}).scenario
    'zacht'
    >>> c = PrognosisConfig.from_dict({"status": {"in_procedure": {"scenario": "zacht"}}})
    >>> c.scenario_statuses("zacht")
    ('hard', 'zacht', 'in_procedure')
    """

    scenario: str = "hard"
    eindjaar: int | None = None
    targets: tuple[Target, ...] = ()
    rent_limits: Mapping[int, RentLimits] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    huurstijging: float = 0.0
    statussen: Mapping[str, PlanStatus] = field(default_factory=lambda: dict(DEFAULT_STATUSES))
    onzekerheid: UncertaintyConfig | None = None
    segmentgrenzen: Mapping[int, SegmentBounds] = field(
        default_factory=lambda: parse_segment_bounds({})
    )
    marge: float = 0.10

    def scenario_statuses(self, scenario: str | None = None) -> tuple[str, ...]:
        """The statuses a scenario includes (default: this config's scenario)."""
        name = self.scenario if scenario is None else scenario
        if name not in SCENARIO_ORDER:
            raise ConfigError(f"`scenario` is {name!r}; verwacht een van {list(SCENARIO_ORDER)}")
        rank = SCENARIO_ORDER.index(name)
        return tuple(
            s.naam for s in self.statussen.values() if SCENARIO_ORDER.index(s.scenario) <= rank
        )

    def __post_init__(self) -> None:
        if self.scenario not in SCENARIOS:
            raise ConfigError(
                f"`scenario` is {self.scenario!r}; verwacht een van {list(SCENARIOS)}"
            )
        if not -0.5 < self.huurstijging < 0.5:
            raise ConfigError(
                f"`huurstijging` is {self.huurstijging!r}; verwacht een fractie per jaar, "
                "bijv. 0.03"
            )
        if not 0.0 <= self.marge < 1.0:
            raise ConfigError(f"`marge` is {self.marge!r}; verwacht een fractie, bijv. 0.10")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PrognosisConfig:
        """Build from a TOML table: ``scenario``, ``eindjaar``, ``huurstijging``, ``marge``,
        ``[[doelen]]`` (see :class:`Target`), ``[huurgrenzen.<jaar>]``,
        ``[segmentgrenzen.<jaar>]``, ``[status.<naam>]`` and ``[onzekerheid]`` tables."""
        known = {
            "scenario",
            "eindjaar",
            "doelen",
            "huurgrenzen",
            "huurstijging",
            "status",
            "onzekerheid",
            "segmentgrenzen",
            "marge",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"prognose: onbekende sleutel(s) {unknown}; verwacht {sorted(known)}")
        limits = dict(DEFAULT_LIMITS)
        for year, table in dict(data.get("huurgrenzen", {})).items():
            where = f"huurgrenzen.{year}: "
            if not str(year).isdigit():
                raise ConfigError(f"{where}de sleutel moet een jaartal zijn, bijv. 2025")
            try:
                limits[int(year)] = RentLimits(
                    **{k: config_number(v, k, where=where) for k, v in dict(table).items()}
                )
            except TypeError:
                raise ConfigError(
                    f"huurgrenzen.{year}: verwacht de sleutels kwaliteitskortingsgrens, "
                    "aftoppingsgrens_laag, aftoppingsgrens_hoog en liberalisatiegrens (euro)"
                ) from None
        statuses = parse_statuses(dict(data.get("status", {})))
        return cls(
            scenario=str(data.get("scenario", "hard")),
            eindjaar=(
                None
                if data.get("eindjaar") is None
                else config_number(data["eindjaar"], "eindjaar", integer=True)
            ),
            targets=tuple(Target.from_dict(t) for t in data.get("doelen", ())),
            rent_limits=limits,
            huurstijging=config_number(data.get("huurstijging", 0.0), "huurstijging"),
            statussen=statuses,
            onzekerheid=(
                None
                if data.get("onzekerheid") is None
                else UncertaintyConfig.from_dict(dict(data["onzekerheid"]), statussen=statuses)
            ),
            segmentgrenzen=parse_segment_bounds(dict(data.get("segmentgrenzen", {}))),
            marge=config_number(data.get("marge", 0.10), "marge"),
        )


# --------------------------------------------------------------------------------------------
# projection
# --------------------------------------------------------------------------------------------


def _ensure_start(start: pd.DataFrame) -> pd.DataFrame:
    if "peildatum" not in start.columns or "aantal" not in start.columns:
        return start_from_frame(start)
    if "tijdelijk" not in start.columns:
        start = start.assign(tijdelijk=pd.Series(0, index=start.index, dtype="Int64"))
    return start


def _ensure_plans(plans: pd.DataFrame, config: PrognosisConfig | None = None) -> pd.DataFrame:
    needed = {"corporatie", "jaar", "mutatie", "aantal", "zekerheid", "tijdelijk", "buurtcode"}
    if not needed <= set(plans.columns) or "bron_rij" not in plans.columns:
        statuses = list(config.statussen) if config is not None else None
        bounds = config.segmentgrenzen if config is not None else None
        return plans_from_frame(plans, statuses=statuses, bounds=bounds)
    return plans


def _plan_rows(plans: pd.DataFrame, mask: pd.Series) -> list[int]:
    return [int(v) for v in plans.loc[mask, "bron_rij"]]


def signed_counts(plans: pd.DataFrame) -> pd.Series:
    """The signed change of each plan row: ``aantal`` times the sign of its mutation type
    (``saldo`` keeps its own sign).

    Examples
    --------
    >>> signed_counts(pd.DataFrame({"mutatie": ["nieuwbouw", "sloop", "saldo"],
    ...                             "aantal": [10, 4, -25]})).tolist()
    [10, -4, -25]
    """
    sign = plans["mutatie"].map({**MUTATIONS, **dict.fromkeys(NET_MUTATIONS, 1)})
    return (plans["aantal"].astype("int64") * sign.astype("int64")).rename("netto")


def selected_plans(
    plans: pd.DataFrame, config: PrognosisConfig, *, scenario: str | None = None
) -> pd.DataFrame:
    """The plan rows of the scenario; a status the config does not know is an error.

    Examples
    --------
    >>> plans = plans_from_frame(pd.DataFrame({"corporatie": ["A", "A"], "jaar": [2022, 2022],
    ...     "mutatie": ["nieuwbouw", "nieuwbouw"], "aantal": [1, 2],
    ...     "zekerheid": ["hard", "idee"]}))
    >>> selected_plans(plans, PrognosisConfig(scenario="zacht"))["aantal"].tolist()
    [1]
    """
    unknown = ~plans["zekerheid"].astype(str).isin(list(config.statussen))
    if unknown.any():
        raise InputError(
            f"onbekende status(sen) {sorted(set(plans.loc[unknown, 'zekerheid'].astype(str)))}; "
            f"de config kent {list(config.statussen)}: voeg [prognose.status.<naam>] toe",
            source=str(plans.attrs.get(ATTR_SOURCE, "plannen")),
            column="zekerheid",
            rows=_plan_rows(plans, unknown),
        )
    return plans[plans["zekerheid"].isin(config.scenario_statuses(scenario))]


def project(start: pd.DataFrame, plans: pd.DataFrame, *, config: PrognosisConfig) -> pd.DataFrame:
    """Project the stock per corporation (and buurt, when the start stock has buurtcodes).

    Parameters
    ----------
    start
        Canonical start stock (:func:`read_start_stock`, :func:`start_stock_from_stock`).
    plans
        Canonical plans (:func:`read_mutation_plans`, :func:`plans_from_frame`).
    config
        Scenario and last year.

    Returns
    -------
    DataFrame
        One row per corporation, [buurtcode] and year: ``corporatie``, [``buurtcode``],
        ``jaar``, ``beginstand``, one column per :data:`MUTATIONS` type (additions positive,
        removals negative), ``eindstand`` (permanent units), then ``tijdelijk_beginstand``,
        ``tijdelijk_toevoeging``, ``tijdelijk_onttrekking`` (negative), ``tijdelijk_eindstand``.
        All counts Int64.

    Raises
    ------
    InputError
        A plan year before the start year, or plan corporations without start stock
        (naming the plan rows).

    Examples
    --------
    >>> start = start_from_frame(pd.DataFrame({"corporatie": ["A"], "aantal": [100]}),
    ...                          peildatum="2022-01-01")
    >>> plans = plans_from_frame(pd.DataFrame({"corporatie": ["A", "A"], "jaar": [2022, 2023],
    ...     "mutatie": ["nieuwbouw", "sloop"], "aantal": [10, 4]}))
    >>> project(start, plans, config=PrognosisConfig())[
    ...     ["jaar", "beginstand", "nieuwbouw", "sloop", "eindstand"]]
       jaar  beginstand  nieuwbouw  sloop  eindstand
    0  2022         100         10      0        110
    1  2023         110          0     -4        106
    """
    start = _ensure_start(start)
    plans = _ensure_plans(plans, config)
    plans_source = str(plans.attrs.get(ATTR_SOURCE, "plannen"))
    peil = start["peildatum"].iloc[0] if len(start) else None
    if peil is None:
        raise InputError("de beginstand is leeg", source="beginstand")
    first = startjaar(peil)

    early = plans["jaar"] < first
    if early.any():
        raise InputError(
            f"planjaar/-jaren {sorted(set(plans.loc[early, 'jaar'].astype(int)))} liggen vóór de "
            f"beginstand (peildatum {peil}, eerste prognosejaar {first}); neem ze op in de "
            "beginstand of corrigeer het jaar",
            source=plans_source,
            column="jaar",
            rows=_plan_rows(plans, early),
        )
    known = set(start["corporatie"].astype(str))
    orphan = ~plans["corporatie"].astype(str).isin(known)
    if orphan.any():
        raise InputError(
            f"corporatie(s) {sorted(set(plans.loc[orphan, 'corporatie'].astype(str)))} hebben "
            f"plannen maar geen beginstand; de beginstand kent {sorted(known)}. Voeg ze toe aan "
            "de beginstand (met aantal 0 als ze nog niets bezitten) of corrigeer de naam",
            source=plans_source,
            column="corporatie",
            rows=_plan_rows(plans, orphan),
        )

    by_buurt = "buurtcode" in start.columns
    keys = ["corporatie", "buurtcode"] if by_buurt else ["corporatie"]
    if not by_buurt and plans["buurtcode"].notna().any():
        warnings.warn(
            "de plannen hebben buurtcodes maar de beginstand is niet per buurt; de prognose is "
            "alleen per corporatie (geef de beginstand per buurt voor een prognose per buurt)",
            DataWarning,
            stacklevel=2,
        )
    if by_buurt:
        no_buurt = plans["buurtcode"].isna()
        if no_buurt.any():
            warnings.warn(
                f"{plans_source}: {int(no_buurt.sum())} planregel(s) zonder buurtcode "
                f"({format_rows(_plan_rows(plans, no_buurt))}) tellen mee onder 'buurt "
                "onbekend' (buurtcode leeg) van hun corporatie",
                DataWarning,
                stacklevel=2,
            )

    selected = selected_plans(plans, config)
    last = (
        config.eindjaar
        if config.eindjaar is not None
        else int(selected["jaar"].max())
        if len(selected)
        else first
    )
    if last < first:
        raise ConfigError(
            f"`eindjaar` ({last}) ligt vóór het eerste prognosejaar ({first}); kies een later "
            "eindjaar"
        )
    late = selected["jaar"] > last
    if late.any():
        warnings.warn(
            f"{plans_source}: {int(late.sum())} planregel(s) na eindjaar {last} tellen niet mee "
            f"({format_rows(selected.loc[late, 'bron_rij'].astype(int).tolist())})",
            DataWarning,
            stacklevel=2,
        )
        selected = selected[~late]

    years = list(range(first, last + 1))
    moves = pd.DataFrame(
        {k: selected[k].astype("string") for k in keys}
        | {
            "jaar": selected["jaar"].astype("int64"),
            "mutatie": selected["mutatie"].astype(str),
            "tijdelijk": selected["tijdelijk"].fillna(False).astype(bool),
            "netto": signed_counts(selected),
        }
    )

    begin = start[keys].astype("string").copy()
    begin["_start"] = start["aantal"].astype("int64").to_numpy()
    begin["_start_tijd"] = start["tijdelijk"].astype("int64").to_numpy()
    all_keys = pd.concat([begin[keys], moves[keys]], ignore_index=True).drop_duplicates()
    grid = all_keys.merge(pd.DataFrame({"jaar": years}), how="cross")

    perm = moves[~moves["tijdelijk"]]
    wide = (
        perm.pivot_table(
            index=[*keys, "jaar"], columns="mutatie", values="netto", aggfunc="sum", dropna=False
        )
        if len(perm)
        else pd.DataFrame()
    )
    temp = moves[moves["tijdelijk"]]
    temp_sums = (
        temp.assign(
            tijdelijk_toevoeging=temp["netto"].clip(lower=0),
            tijdelijk_onttrekking=temp["netto"].clip(upper=0),
        )
        .groupby([*keys, "jaar"], dropna=False)[["tijdelijk_toevoeging", "tijdelijk_onttrekking"]]
        .sum()
    )

    out = grid.merge(begin, on=keys, how="left")
    if len(wide):
        wide = wide.reset_index()
        for k in keys:
            wide[k] = wide[k].astype("string")
        out = out.merge(wide, on=[*keys, "jaar"], how="left")
    if len(temp_sums):
        temp_sums = temp_sums.reset_index()
        for k in keys:
            temp_sums[k] = temp_sums[k].astype("string")
        out = out.merge(temp_sums, on=[*keys, "jaar"], how="left")
    for col in [
        *MUTATION_TYPES,
        "_start",
        "_start_tijd",
        "tijdelijk_toevoeging",
        "tijdelijk_onttrekking",
    ]:
        if col not in out.columns:
            out[col] = 0
        out[col] = out[col].fillna(0).astype("int64")

    out = out.sort_values([*keys, "jaar"], na_position="last").reset_index(drop=True)
    netto = out[list(MUTATION_TYPES)].sum(axis=1)
    groups = [out[k].fillna("\x00") for k in keys]
    cum = netto.groupby(groups).cumsum()
    out["eindstand"] = out["_start"] + cum
    out["beginstand"] = out["eindstand"] - netto
    tnet = out["tijdelijk_toevoeging"] + out["tijdelijk_onttrekking"]
    out["tijdelijk_eindstand"] = out["_start_tijd"] + tnet.groupby(groups).cumsum()
    out["tijdelijk_beginstand"] = out["tijdelijk_eindstand"] - tnet

    negative = (out["eindstand"] < 0) | (out["tijdelijk_eindstand"] < 0)
    if negative.any():
        where = out.loc[negative, [*keys, "jaar"]].head(5).to_dict("records")
        warnings.warn(
            f"de geprognosticeerde voorraad komt onder nul in {int(negative.sum())} rij(en), "
            f"bijv. {where}: er zijn meer onttrekkingen gepland dan de beginstand heeft",
            DataWarning,
            stacklevel=2,
        )
    columns = [*keys, "jaar", "beginstand", *MUTATION_TYPES, "eindstand", *TEMP_COLUMNS]
    result = out[columns].copy()
    for col in columns[len(keys) :]:
        result[col] = result[col].astype("Int64")
    return result


def read_prognosis(path: str | Path) -> pd.DataFrame:
    """Read a ``prognose.csv``/``.xlsx`` written by ``geoprestatie prognose`` back in.

    Requires ``corporatie``, ``jaar``, ``beginstand`` and ``eindstand``; every other column
    except ``buurtcode`` is read as a whole count (Int64).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "p.csv").write_text("corporatie;jaar;beginstand;eindstand\\nA;2022;5;6\\n")
    >>> read_prognosis(d / "p.csv")["eindstand"].tolist()
    [6]
    """
    raw = read_table(path)
    require_columns(raw, ["corporatie", "jaar", "beginstand", "eindstand"], source=path)
    out = raw.copy()
    rows = pd.Series(raw.index.to_numpy(), index=out.index, dtype="Int64")
    out["corporatie"] = _names(out["corporatie"], column="corporatie", source=path, rows=rows)
    if "buurtcode" in out.columns:
        out["buurtcode"] = _buurtcodes(out["buurtcode"], source=path, rows=rows)
    for col in out.columns:
        if col in ("corporatie", "buurtcode"):
            continue
        num, _ = parse_number(out[col])
        bad = num.isna() | (np.floor(num) != num)
        if bad.any():
            raise InputError(
                f"`{col}` moet gehele getallen bevatten; gevonden: "
                f"{out.loc[bad, col].tolist()[:5]}",
                source=path,
                column=col,
                rows=rows[bad].astype(int).tolist(),
            )
        out[col] = num.astype("Int64")
    return out.reset_index(drop=True)


def aggregate(prognosis: pd.DataFrame, by: Sequence[str] = ("corporatie",)) -> pd.DataFrame:
    """Sum a prognosis over buurten (``by=("corporatie",)``) or to the municipality (``()``).

    The result is always per year: ``jaar`` is added to ``by`` (naming it is allowed).

    Examples
    --------
    >>> p = pd.DataFrame({"corporatie": ["A", "B"], "jaar": [2022, 2022],
    ...                   "beginstand": [5, 7], "eindstand": [6, 7]})
    >>> aggregate(p, by=())
       jaar  beginstand  eindstand
    0  2022          12         13
    >>> aggregate(p, by=("jaar",)).equals(aggregate(p, by=()))
    True
    """
    by = [c for c in dict.fromkeys(by) if c != "jaar"]
    unknown = [c for c in by if c not in prognosis.columns]
    if unknown:
        raise ValueError(
            f"`by` noemt kolom(men) {unknown} die niet in de prognose staan "
            f"{list(prognosis.columns)}"
        )
    numbers = [
        c
        for c in prognosis.columns
        if c not in (*by, "jaar", "corporatie", "buurtcode")
        and pd.api.types.is_numeric_dtype(prognosis[c])
    ]
    return prognosis.groupby([*by, "jaar"], dropna=False, sort=True)[numbers].sum().reset_index()


def summary_table(
    prognosis: pd.DataFrame,
    *,
    van: int | None = None,
    tot: int | None = None,
    corporaties: Sequence[str] | None = None,
    totaal: str = "Totaal",
) -> pd.DataFrame:
    """The agreement-style table: mutations over ``van``..``tot`` per corporation and in total.

    Rows are :data:`SUMMARY_ROWS` (the optional ``Onttrekking tijdelijk`` and
    ``Saldo splitsing/samenvoeging`` only when non-zero); columns the corporations (largest
    start stock first, or in the order of ``corporaties``, which must list every
    corporation) and ``totaal``. Net growth is the change of the permanent stock: the sum
    of all permanent mutations, which equals eindstand(tot) - beginstand(van).

    Examples
    --------
    >>> start = start_from_frame(pd.DataFrame({"corporatie": ["A"], "aantal": [100]}),
    ...                          peildatum="2022-01-01")
    >>> plans = plans_from_frame(pd.DataFrame({"corporatie": ["A", "A"], "jaar": [2022, 2023],
    ...     "mutatie": ["nieuwbouw", "sloop"], "aantal": [10, 4]}))
    >>> summary_table(project(start, plans, config=PrognosisConfig())).loc[
    ...     ["Sloop", "Permanente netto groei exclusief sloop"], "Totaal"].tolist()
    [-4, 10]
    """
    years = prognosis["jaar"].astype("int64")
    lo = int(years.min()) if van is None else van
    hi = int(years.max()) if tot is None else tot
    part = prognosis[(years >= lo) & (years <= hi)]
    if part.empty:
        raise ValueError(
            f"de prognose heeft geen jaren in {lo}..{hi}; ze loopt over {sorted(set(years))}"
        )
    present = [m for m in MUTATION_TYPES if m in part.columns]
    per = part.groupby("corporatie", sort=True)[[*present, *TEMP_COLUMNS]].sum()
    per = per.reindex(columns=[*MUTATION_TYPES, *TEMP_COLUMNS], fill_value=0)
    permanent = per[list(MUTATION_TYPES)].sum(axis=1)
    rows = {
        SUMMARY_ROWS[0]: per["nieuwbouw"] + per["transformatie"] + per["aankoop"],
        SUMMARY_ROWS[1]: per["tijdelijk_toevoeging"],
        SUMMARY_ROWS[2]: per["tijdelijk_onttrekking"],
        SUMMARY_ROWS[3]: per["deliberalisatie"] + per["liberalisatie"],
        SUMMARY_ROWS[4]: per["splitsing"] + per["samenvoeging"],
        SUMMARY_ROWS[5]: per["sloop"],
        SUMMARY_ROWS[6]: per["verkoop"],
        SUMMARY_ROWS[7]: per["saldo"],
        SUMMARY_ROWS[8]: permanent,
        SUMMARY_ROWS[9]: permanent - per["sloop"],
    }
    table = pd.DataFrame(rows).T
    table.columns = [str(c) for c in table.columns]
    if corporaties is not None:
        order = [str(c) for c in corporaties]
        if sorted(order) != sorted(table.columns):
            raise ValueError(
                f"`corporaties` is {order} maar moet elke corporatie van de prognose één keer "
                f"noemen: {sorted(table.columns)}"
            )
        table = table[order]
    else:
        # largest corporation first (by its start stock in the period), as agreements list them
        first = part.loc[part["jaar"] == part["jaar"].min()]
        size = first.groupby("corporatie")["beginstand"].sum()
        table = table[sorted(table.columns, key=lambda c: (-int(size.get(c, 0)), c))]
    table[totaal] = table.sum(axis=1)
    drop = [r for r in _OPTIONAL_ROWS if (table.loc[r] == 0).all()]
    table = table.drop(index=drop).astype("int64")
    table.index.name = f"{lo}-{hi}" if lo != hi else str(lo)
    return table


def target_gaps(
    prognosis: pd.DataFrame,
    targets: Iterable[Target] | None = None,
    *,
    config: PrognosisConfig | None = None,
) -> pd.DataFrame:
    """Measured value against each target per year, and the gap (``norm - gemeten``).

    For ``netto_groei`` the measured value in year *y* is the permanent net growth from the
    start of ``van`` to the end of *y* (``inclusief_sloop=False`` adds demolition back); for
    ``minimum_voorraad`` it is the eindstand of *y*. ``tekort`` > 0 means the target is not
    (yet) met. Years or corporations the prognosis does not cover get ``gemeten`` NA.

    Returns
    -------
    DataFrame
        ``doel_id, soort, corporatie, jaar, gemeten, norm, tekort`` (``corporatie`` is
        ``"Totaal"`` for a target on all corporations).

    Examples
    --------
    >>> p = pd.DataFrame({"corporatie": ["A", "A"], "jaar": [2022, 2023],
    ...                   "beginstand": [100, 110], "eindstand": [110, 106], "sloop": [0, -4]})
    >>> target_gaps(p, [Target("g", "netto_groei", 8, van=2022, tot=2023)])[
    ...     ["jaar", "gemeten", "tekort"]]
       jaar  gemeten  tekort
    0  2022       10    -2.0
    1  2023        6     2.0
    """
    if targets is None:
        targets = config.targets if config is not None else ()
    records: list[dict[str, Any]] = []
    years_all = sorted(set(prognosis["jaar"].astype(int)))
    for t in targets:
        part = (
            prognosis
            if t.corporatie is None
            else prognosis[prognosis["corporatie"] == t.corporatie]
        )
        per_year = part.groupby(part["jaar"].astype(int))[
            [c for c in ("beginstand", "eindstand", "sloop") if c in part.columns]
        ].sum()
        lo = t.van if t.van is not None else (years_all[0] if years_all else 0)
        hi = t.tot if t.tot is not None else (years_all[-1] if years_all else -1)
        for year in range(lo, hi + 1):
            gemeten: Any = pd.NA
            if year in per_year.index and (t.soort != "netto_groei" or lo in per_year.index):
                if t.soort == "netto_groei":
                    end = per_year.at[year, "eindstand"]
                    gemeten = int(end) - int(per_year.at[lo, "beginstand"])  # type: ignore[arg-type]
                    if not t.inclusief_sloop and "sloop" in per_year.columns:
                        gemeten -= int(per_year.loc[lo:year, "sloop"].sum())
                else:
                    gemeten = int(per_year.at[year, "eindstand"])  # type: ignore[arg-type]
            records.append(
                {
                    "doel_id": t.id,
                    "soort": t.soort,
                    "corporatie": t.corporatie if t.corporatie is not None else "Totaal",
                    "jaar": year,
                    "gemeten": gemeten,
                    "norm": t.norm,
                    "tekort": (t.norm - gemeten) if gemeten is not pd.NA else math.nan,
                }
            )
    out = pd.DataFrame(
        records, columns=["doel_id", "soort", "corporatie", "jaar", "gemeten", "norm", "tekort"]
    )
    out["gemeten"] = out["gemeten"].astype("Int64")
    out["tekort"] = out["tekort"].astype("float64")
    return out


# --------------------------------------------------------------------------------------------
# rent classes
# --------------------------------------------------------------------------------------------


def rent_class_prognosis(
    stock: pd.DataFrame,
    prognosis: pd.DataFrame,
    plans: pd.DataFrame | None = None,
    *,
    config: PrognosisConfig,
) -> pd.DataFrame:
    """Projected permanent stock per corporation, year and rent class.

    The model, per corporation and year *y*:

    1. The start stock's dwellings (``stock``, canonical, one row per vhe) get their rent
       raised by ``config.huurstijging`` per year since the start year and are classified with
       the limits of *y* (``config.rent_limits``): this gives the class mix of year *y*.
    2. Plan rows in the scenario with a ``huurklasse`` add to (additions) or take from
       (removals) that class, cumulatively up to *y*.
    3. The rest of the projected eindstand (eindstand minus the classified plan balance) is
       split by the mix of step 1. Dwellings without a known rent are class ``onbekend``.

    Returns
    -------
    DataFrame
        ``corporatie, jaar`` and one float column per class in
        :data:`geoprestatie.huur.RENT_CLASSES` plus ``onbekend``; the columns of a row sum
        to the corporation's eindstand.

    Raises
    ------
    ConfigError
        No rent limits for a projected year (add ``[huurgrenzen.<jaar>]``).

    Examples
    --------
    >>> stock = pd.DataFrame({"vhe_id": ["1", "2"], "corporatie": ["A", "A"],
    ...                       "huurprijs": [400.0, 700.0]})
    >>> p = pd.DataFrame({"corporatie": ["A"], "jaar": [2022], "eindstand": [4]})
    >>> rent_class_prognosis(stock, p, config=PrognosisConfig())[["goedkoop", "duur"]]
       goedkoop  duur
    0       2.0   2.0
    """
    require_columns(stock, ["corporatie", "huurprijs"], source="voorraad")
    corp = aggregate(prognosis, by=("corporatie",))
    years = sorted(set(corp["jaar"].astype(int)))
    if not years:
        return pd.DataFrame(columns=["corporatie", "jaar", *RENT_CLASSES, "onbekend"])
    first = years[0]
    classes = [*RENT_CLASSES, "onbekend"]

    balance = pd.DataFrame(columns=["corporatie", "jaar", "huurklasse", "netto"])
    if plans is not None:
        plans = _ensure_plans(plans, config)
        sel = plans[
            plans["zekerheid"].isin(config.scenario_statuses())
            & plans["huurklasse"].notna()
            & ~plans["tijdelijk"].fillna(False).astype(bool)
        ]
        balance = pd.DataFrame(
            {
                "corporatie": sel["corporatie"].astype(str),
                "jaar": sel["jaar"].astype(int),
                "huurklasse": sel["huurklasse"].astype(str),
                "netto": signed_counts(sel),
            }
        )
    rents = pd.to_numeric(stock["huurprijs"], errors="coerce")
    records: list[dict[str, Any]] = []
    for year in years:
        limits = limits_for(year, config.rent_limits)
        indexed = rents * (1.0 + config.huurstijging) ** (year - first)
        klass = classify_rent(indexed, limits).astype(object).where(rents.notna(), "onbekend")
        mix = (
            pd.crosstab(stock["corporatie"].astype(str), klass.astype(str))
            .reindex(columns=classes, fill_value=0)
            .astype("float64")
        )
        for _, row in corp[corp["jaar"] == year].iterrows():
            name = str(row["corporatie"])
            planned = (
                balance[(balance["corporatie"] == name) & (balance["jaar"] <= year)]
                .groupby("huurklasse")["netto"]
                .sum()
                .reindex(classes, fill_value=0)
                .astype("float64")
            )
            rest = float(row["eindstand"]) - float(planned.sum())
            shares = pd.Series(
                mix.loc[name].to_numpy() if name in mix.index else 0.0, index=classes
            )
            total = float(shares.to_numpy().sum())
            if total > 0:
                split = shares / total * rest
            else:  # no dwellings with a rent: all of the rest is unknown
                split = pd.Series(0.0, index=classes)
                split["onbekend"] = rest
            values = split + planned
            records.append(
                {"corporatie": name, "jaar": year, **{str(k): float(v) for k, v in values.items()}}
            )
    return pd.DataFrame(records, columns=["corporatie", "jaar", *classes])
