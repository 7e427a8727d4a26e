"""Agreements monitor (stoplichtrapportage): check prestatieafspraken against the data.

An agreements file (TOML) lists ``[[afspraak]]`` tables. Each has an ``id``, its ``tekst``,
the responsible ``partij``, a ``bron`` and a rule of one of the kinds in :data:`RULE_KINDS`:

``verbod``
    A per-record prohibition on a set, e.g. *no sales of dwellings with label F or G or
    NEN 2767 condition 4 or worse*. ``dataset`` (``verkoop`` or ``voorraad``), optional
    ``selectie`` (conditions that all hold: the set), ``verboden_als`` (conditions; combined
    with ``combinatie = "of"`` (default) or ``"en"``). Sales are joined to the stock on
    (``corporatie``, ``vhe_id``), or on ``vhe_id`` where the sales have no ``corporatie``
    and one corporation has it, for the dwelling's attributes (a sales column of its own
    wins where it has a value); a sale whose dwelling is ambiguous has no attributes and
    cannot be judged.
    *groen*: no record violates. *oranje*: violations only among planned records
    (``status = voorgenomen``: still preventable). *rood*: a realised violation (any status
    other than ``voorgenomen``, a missing status included, or a set without ``status``).
``aandeel``
    A share threshold on a filtered set, e.g. *>= 85% of the stock of corporation X has a rent
    up to the hoge aftoppingsgrens*: ``selectie``, ``voorwaarde`` (conditions), ``vergelijking``
    (``>=``, ``>``, ``<=``, ``<``), ``norm`` (a fraction 0-1), ``marge``.
``aantal``
    A minimum or maximum count of records in ``selectie``: ``vergelijking``, ``norm``,
    ``marge`` (dwellings).
``prognose``
    A prognosis target: ``doel = "netto_groei"`` (permanent net growth over ``van``..``tot``,
    measured at the end of ``tot``; ``inclusief_sloop``) or ``doel = "minimum_voorraad"``
    (the lowest projected eindstand over ``van``..``tot``); optional ``corporatie``;
    ``vergelijking`` (default ``>=``), ``norm``, ``marge``.

Rules on sales (``dataset = "verkoop"``) count the sales of the agreement period: ``van`` and
``tot`` (years, both included; or ``periode = [2022, 2023]``, or ``jaar`` for one year) select
the sales by their ``jaar``, planned or realised. Without a period, a monitored year
(``monitor(..., jaar=)``) counts the sales realised up to and including that year plus all
planned sales; without either, all sales. The ``toelichting`` starts with the population
(``verkopen 2022–2023 (12 van 40 records): ...``).

For ``aandeel``, ``aantal`` and ``prognose``: *groen* when the comparison holds; *oranje* when
it fails by at most ``marge`` (default 0: no orange band); *rood* otherwise.

*onbekend* whenever the data cannot decide: the dataset or prognosis is missing, the set is
empty (``aandeel``), or records with missing values could change the colour. Missing values
are bounded both ways (all of them passing / all failing); only when both bounds give the same
colour is that colour reported. A rule is never silently green.

A condition is ``{ kolom = "...", op = "...", waarde = ... }`` with ``op`` in
:data:`OPERATORS`. On an ordered categorical column (``energielabel``: ``A++++`` < ... < ``G``)
``>=``/``<=`` follow the category order. On ``huurprijs`` the value may be a rent limit of
:mod:`geoprestatie.huur`: ``{ kolom = "huurprijs", op = "<=", huurgrens =
"aftoppingsgrens_hoog" }`` is the limit of the monitored year (``monitor(..., jaar=)``, CLI
``--jaar``): an amount "at price level 2020" indexed as the limit itself is; add
``huurjaar = 2020`` to freeze the amount of one year instead.
A condition on a column that is neither in the data nor in the canonical schema is a
:class:`ConfigError` (a typo), not *onbekend*.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geoprestatie import huur
from geoprestatie._validate import config_number, read_toml
from geoprestatie.errors import ConfigError
from geoprestatie.join import STOCK_POSITION
from geoprestatie.prognosis import Target, target_gaps
from geoprestatie.rule_expr import LOCATION_COLUMNS, column_vec
from geoprestatie.rules import (
    Deadline,
    Rule,
    RuleOutcome,
    deadline_from_dict,
    evaluate_deadline,
    evaluate_rule,
    rule_from_dict,
)
from geoprestatie.sources._tabular import FALSE_WORDS, TRUE_WORDS
from geoprestatie.sources.monitoring import MONITOR_DATASETS
from geoprestatie.sources.stock import STOCK_COLUMNS, link_to_stock

__all__ = [
    "COMPARISONS",
    "MEASURED_DATASETS",
    "NET_GROWTH_TARGETS",
    "OPERATORS",
    "PER_BUURT",
    "PER_CORPORATION",
    "RESULT_COLUMNS",
    "RULE_KINDS",
    "STATUSES",
    "STATUS_RULES",
    "Agreement",
    "Condition",
    "MonitorResult",
    "evaluate",
    "monitor",
    "read_agreements",
    "to_markdown",
]

RULE_KINDS: tuple[str, ...] = ("verbod", "aandeel", "aantal", "prognose", "regel", "termijn")
#: The general kinds (:mod:`geoprestatie.rules`); the first four are shorthands.
GENERAL_KINDS: tuple[str, ...] = ("regel", "termijn")
DATASETS: tuple[str, ...] = ("voorraad", "verkoop")
STATUSES: tuple[str, ...] = ("groen", "oranje", "rood", "onbekend")
COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
}
OPERATORS: tuple[str, ...] = ("==", "!=", "<", "<=", ">", ">=", "in", "niet_in")
PROGNOSIS_GOALS: tuple[str, ...] = ("netto_groei", "minimum_voorraad")
RESULT_COLUMNS: tuple[str, ...] = (
    "afspraak_id",
    "tekst",
    "partij",
    "status",
    "gemeten",
    "norm",
    "toelichting",
    "n_overtredingen",
    "soort",
    "vergelijking",
    "bron",
    "thema",
)

#: Canonical columns per dataset (docs/architecture.md, :mod:`geoprestatie.sources`); a rule
#: on another column must find it in the data, else it is a typo.
_STOCK_COLUMNS = (*STOCK_COLUMNS, "bron_rij")
_SALES_COLUMNS = ("vhe_id", "jaar", "status", "buurtcode", "bron_rij")
_CANONICAL: dict[str, tuple[str, ...]] = {
    "voorraad": _STOCK_COLUMNS,
    "verkoop": (*_SALES_COLUMNS, *_STOCK_COLUMNS),
}


@dataclass(frozen=True)
class Condition:
    """One condition ``kolom op waarde`` (see the module docs).

    ``huurgrens`` names a :class:`geoprestatie.huur.RentLimits` field whose value of the
    monitored year becomes ``waarde`` at evaluation (``waarde`` is then ``None``).
    """

    kolom: str
    op: str
    waarde: Any
    huurgrens: str | None = None

    def __post_init__(self) -> None:
        if self.op not in OPERATORS:
            raise ConfigError(f"`op` is {self.op!r}; kies uit {list(OPERATORS)}")
        if self.op in ("in", "niet_in") and not isinstance(self.waarde, list | tuple):
            raise ConfigError(
                f"`op` {self.op!r} vraagt een lijst als `waarde`, kreeg {self.waarde!r}"
            )

    def describe(self) -> str:
        if self.huurgrens is not None and self.waarde is None:
            return f"{self.kolom} {self.op} {self.huurgrens}"
        value = (
            ", ".join(map(str, self.waarde))
            if isinstance(self.waarde, list | tuple)
            else self.waarde
        )
        op = {"in": "in", "niet_in": "niet in"}.get(self.op, self.op)
        return f"{self.kolom} {op} {value}"


@dataclass(frozen=True)
class Agreement:
    """One afspraak and its rule (fields as the TOML keys; see the module docs)."""

    id: str
    tekst: str
    partij: str
    soort: str
    bron: str = ""
    dataset: str = "voorraad"
    selectie: tuple[Condition, ...] = ()
    voorwaarde: tuple[Condition, ...] = ()
    combinatie: str = "of"
    vergelijking: str = ">="
    norm: float = 0.0
    marge: float = 0.0
    doel: str | None = None
    corporatie: str | None = None
    van: int | None = None
    tot: int | None = None
    inclusief_sloop: bool = True
    thema: str = ""
    regel: Rule | Deadline | None = None

    def __post_init__(self) -> None:
        where = f"afspraak {self.id!r}"
        if self.soort not in RULE_KINDS:
            raise ConfigError(f"{where}: `soort` is {self.soort!r}; kies uit {list(RULE_KINDS)}")
        if self.soort in GENERAL_KINDS:
            if self.regel is None:
                raise ConfigError(f"{where}: soort {self.soort!r} zonder regel")
            return
        if self.dataset not in DATASETS:
            raise ConfigError(f"{where}: `dataset` is {self.dataset!r}; kies uit {list(DATASETS)}")
        if self.combinatie not in ("of", "en"):
            raise ConfigError(f"{where}: `combinatie` is {self.combinatie!r}; kies 'of' of 'en'")
        if self.vergelijking not in COMPARISONS:
            raise ConfigError(
                f"{where}: `vergelijking` is {self.vergelijking!r}; kies uit {list(COMPARISONS)}"
            )
        if self.marge < 0:
            raise ConfigError(f"{where}: `marge` is >= 0, kreeg {self.marge}")
        if self.soort in ("verbod", "aandeel") and not self.voorwaarde:
            key = "verboden_als" if self.soort == "verbod" else "voorwaarde"
            raise ConfigError(
                f"{where}: soort {self.soort!r} vraagt `{key}` (een lijst voorwaarden)"
            )
        if self.soort == "aandeel" and not 0 <= self.norm <= 1:
            raise ConfigError(
                f"{where}: de `norm` van een aandeel is een fractie 0-1, kreeg {self.norm}"
            )
        if self.soort == "prognose":
            if self.doel not in PROGNOSIS_GOALS:
                raise ConfigError(
                    f"{where}: `doel` is {self.doel!r}; kies uit {list(PROGNOSIS_GOALS)}"
                )
            if self.doel == "netto_groei" and (self.van is None or self.tot is None):
                raise ConfigError(f"{where}: doel 'netto_groei' vraagt `van` en `tot` (jaartallen)")
        elif self.dataset == "voorraad" and (self.van is not None or self.tot is not None):
            raise ConfigError(
                f"{where}: een periode (`van`/`tot`) kiest verkopen op hun `jaar`; dataset "
                "'voorraad' is de voorraad zoals hij is en heeft geen jaren"
            )

    def norm_text(self) -> str:
        if self.regel is not None:
            return self.regel.norm_text()
        if self.soort == "verbod":
            return "0 overtredingen"
        if self.soort == "aandeel":
            return f"{self.vergelijking} {self.norm:.0%}"
        return f"{self.vergelijking} {self.norm:g}"


_COMMON_KEYS = {"id", "tekst", "partij", "soort", "bron", "thema"}
# the agreement period: van/tot (years, inclusive), jaar (one year) or periode = [van, tot]
_PERIOD_KEYS = {"van", "tot", "jaar", "periode"}
_KEYS: dict[str, set[str]] = {
    "verbod": _COMMON_KEYS | _PERIOD_KEYS | {"dataset", "selectie", "verboden_als", "combinatie"},
    "aandeel": _COMMON_KEYS
    | _PERIOD_KEYS
    | {"dataset", "selectie", "voorwaarde", "combinatie", "vergelijking", "norm", "marge"},
    "aantal": _COMMON_KEYS
    | _PERIOD_KEYS
    | {"dataset", "selectie", "vergelijking", "norm", "marge"},
    "prognose": _COMMON_KEYS
    | _PERIOD_KEYS
    | {"doel", "corporatie", "inclusief_sloop", "vergelijking", "norm", "marge"},
}


def _condition(data: Any, *, where: str) -> Condition:
    if not isinstance(data, Mapping):
        raise ConfigError(
            f"{where}: een voorwaarde is een tabel {{kolom, op, waarde}}, kreeg {data!r}"
        )
    allowed = {"kolom", "op", "waarde", "huurgrens", "huurjaar"}
    unknown = sorted(set(data) - allowed)
    if unknown or "kolom" not in data or "op" not in data:
        raise ConfigError(
            f"{where}: voorwaarde {dict(data)} vraagt `kolom`, `op` en `waarde` (of `huurgrens` + "
            f"`huurjaar`); onbekende sleutels {unknown}"
        )
    value = data.get("waarde")
    limit: str | None = None
    if "huurgrens" in data:
        fields = list(huur.RentLimits.__dataclass_fields__)
        if data["huurgrens"] not in fields or "waarde" in data:
            raise ConfigError(
                f"{where}: `huurgrens` is een van {fields} (zonder `waarde`); kreeg "
                f"{data.get('huurgrens')!r}"
            )
        limit = str(data["huurgrens"])
        if "huurjaar" in data:
            try:
                value = getattr(huur.limits_for(int(data["huurjaar"])), limit)
            except ConfigError as exc:
                raise ConfigError(f"{where}: {exc}") from None
    elif "waarde" not in data:
        raise ConfigError(f"{where}: voorwaarde {dict(data)} heeft geen `waarde`")
    try:
        return Condition(
            kolom=str(data["kolom"]), op=str(data["op"]), waarde=value, huurgrens=limit
        )
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _period(data: Mapping[str, Any], *, where: str) -> tuple[int | None, int | None]:
    """``van``/``tot`` from ``van``/``tot``, ``jaar`` or ``periode = [van, tot]``."""
    given = sorted(_PERIOD_KEYS & set(data))
    if len(given) > 1 and set(given) != {"tot", "van"}:
        raise ConfigError(
            f"{where}: geef de periode één keer: `van`/`tot`, `jaar` of `periode`; kreeg {given}"
        )
    van, tot = data.get("van"), data.get("tot")
    if "jaar" in data:
        van = tot = data["jaar"]
    if "periode" in data:
        periode = data["periode"]
        if not isinstance(periode, list) or len(periode) != 2:
            raise ConfigError(
                f"{where}: `periode` is [van, tot] (twee jaartallen); kreeg {periode!r}"
            )
        van, tot = periode
    for key, year in (("van", van), ("tot", tot)):
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise ConfigError(f"{where}: `{key}` is een jaartal zoals 2022; kreeg {year!r}")
    if van is not None and tot is not None and van > tot:
        raise ConfigError(f"{where}: de periode {van}-{tot} eindigt voordat hij begint")
    return van, tot


def agreement_from_dict(data: Mapping[str, Any]) -> Agreement:
    """Build one :class:`Agreement` from a TOML ``[[afspraak]]`` table."""
    ident = str(data.get("id", "?"))
    where = f"afspraak {ident!r}"
    for key in ("id", "tekst", "partij", "soort"):
        if key not in data:
            raise ConfigError(f"{where}: sleutel {key!r} ontbreekt")
    soort = str(data["soort"])
    if soort not in RULE_KINDS:
        raise ConfigError(f"{where}: `soort` is {soort!r}; kies uit {list(RULE_KINDS)}")
    if soort in GENERAL_KINDS:
        build = rule_from_dict if soort == "regel" else deadline_from_dict
        regel = build(data, datasets=list(MONITOR_DATASETS))
        return Agreement(
            id=ident,
            tekst=str(data["tekst"]),
            partij=str(data["partij"]),
            soort=soort,
            bron=str(data.get("bron", "")),
            thema=str(data.get("thema", "")),
            regel=regel,
        )
    unknown = sorted(set(data) - _KEYS[soort])
    if unknown:
        raise ConfigError(
            f"{where}: onbekende sleutel(s) {unknown} voor soort {soort!r}; "
            f"toegestaan zijn {sorted(_KEYS[soort])}"
        )
    if soort in ("aandeel", "aantal", "prognose") and "norm" not in data:
        raise ConfigError(f"{where}: soort {soort!r} vraagt een `norm`")

    def conditions(key: str) -> tuple[Condition, ...]:
        raw = data.get(key, [])
        if isinstance(raw, Mapping):
            raw = [raw]
        return tuple(_condition(c, where=f"{where}, {key}") for c in raw)

    van, tot = _period(data, where=where)
    return Agreement(
        id=ident,
        tekst=str(data["tekst"]),
        partij=str(data["partij"]),
        soort=soort,
        bron=str(data.get("bron", "")),
        dataset=str(data.get("dataset", "verkoop" if soort == "verbod" else "voorraad")),
        selectie=conditions("selectie"),
        voorwaarde=conditions("verboden_als" if soort == "verbod" else "voorwaarde"),
        combinatie=str(data.get("combinatie", "of")),
        vergelijking=str(data.get("vergelijking", ">=")),
        norm=config_number(data.get("norm", 0.0), "norm", where=f"{where}: "),
        marge=config_number(data.get("marge", 0.0), "marge", where=f"{where}: "),
        doel=None if data.get("doel") is None else str(data["doel"]),
        corporatie=None if data.get("corporatie") is None else str(data["corporatie"]),
        van=None if van is None else int(van),
        tot=None if tot is None else int(tot),
        inclusief_sloop=bool(data.get("inclusief_sloop", True)),
        thema=str(data.get("thema", "")),
    )


def read_agreements(path: str | Path) -> list[Agreement]:
    """Read an agreements file (TOML, ``[[afspraak]]`` tables).

    Raises
    ------
    ConfigError
        Invalid TOML, unknown rule kinds/keys/operators or duplicate ids (naming the afspraak).

    Examples
    --------
    The demo agreements (Enschede 4.1 and Amersfoort 2022-2023, afspraken 7 and 8; see
    ``data/demo/README.md``):

    >>> from geoprestatie.datasets import data_path
    >>> [a.soort for a in read_agreements(data_path("demo/afspraken_amersfoort.toml"))][:3]
    ['verbod', 'aantal', 'prognose']
    """
    path = Path(path)
    data = read_toml(path, what="afsprakenbestand")
    tables = data.get("afspraak")
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{path}: geen [[afspraak]]-tabellen gevonden")
    try:
        agreements = [agreement_from_dict(t) for t in tables]
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    ids = [a.id for a in agreements]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ConfigError(f"{path}: dubbele afspraak-id('s) {dup}")
    return agreements


# --------------------------------------------------------------------------------------------
# evaluation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    status: str
    gemeten: float
    toelichting: str
    n_overtredingen: int | None
    records: pd.DataFrame | None = None


@dataclass(frozen=True)
class MonitorResult:
    """The monitor table (:data:`RESULT_COLUMNS`) and the offending records per afspraak id."""

    table: pd.DataFrame
    overtredingen: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    groepen: pd.DataFrame = field(default_factory=pd.DataFrame)


def _check_column(frame: pd.DataFrame, cond: Condition, agreement: Agreement) -> bool:
    """True when the column is in the data; False when canonical but absent (-> onbekend)."""
    if cond.kolom in frame.columns:
        return True
    if cond.kolom in _CANONICAL[agreement.dataset]:
        return False
    raise ConfigError(
        f"afspraak {agreement.id!r}: kolom {cond.kolom!r} bestaat niet in dataset "
        f"{agreement.dataset!r}; kolommen: {sorted(map(str, frame.columns))}"
    )


def _evaluate_condition(
    frame: pd.DataFrame, cond: Condition, agreement: Agreement
) -> tuple[np.ndarray, np.ndarray]:
    """(holds, known) boolean arrays: three-valued logic, a missing value is unknown."""
    col = frame[cond.kolom]
    known = col.notna().to_numpy(dtype=bool)
    where = f"afspraak {agreement.id!r}, {cond.describe()}"
    values = cond.waarde if isinstance(cond.waarde, list | tuple) else [cond.waarde]
    if isinstance(col.dtype, pd.CategoricalDtype) and col.dtype.ordered:
        cats = [str(c) for c in col.dtype.categories]
        bad = [v for v in values if str(v) not in cats]
        if bad:
            raise ConfigError(f"{where}: waarde(n) {bad} niet in de categorieën {cats}")
        left = col.cat.codes.to_numpy().astype("float64")
        right = [float(cats.index(str(v))) for v in values]
    elif pd.api.types.is_bool_dtype(col):
        left = col.astype("float64").to_numpy(na_value=np.nan)
        words = [str(v).strip().lower() for v in values]
        if not set(words) <= TRUE_WORDS | FALSE_WORDS:
            raise ConfigError(f"{where}: {cond.kolom!r} is ja/nee; kreeg {values}")
        right = [1.0 if w in TRUE_WORDS else 0.0 for w in words]
    elif pd.api.types.is_numeric_dtype(col):
        left = col.astype("float64").to_numpy(na_value=np.nan)
        try:
            right = [float(v) for v in values]
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: {cond.kolom!r} is numeriek; kreeg {values}") from None
    elif cond.op in ("<", "<=", ">", ">="):
        # a text column that reads as numbers (an extra column, decimal comma) is numeric
        vec = column_vec(frame, cond.kolom, where=where)
        if vec.kind != "num" or vec.categories:
            raise ConfigError(f"{where}: {cond.op!r} vraagt een numerieke of geordende kolom")
        left, known = vec.values, vec.known
        try:
            right = [float(v) for v in values]
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: {cond.kolom!r} is numeriek; kreeg {values}") from None
    else:
        text = col.astype("string").str.strip().str.casefold()
        wanted = {str(v).strip().casefold() for v in values}
        hit = text.isin(wanted).fillna(False).to_numpy(dtype=bool)
        holds = hit if cond.op in ("==", "in") else ~hit
        return holds & known, known
    ops: dict[str, Callable[[np.ndarray], np.ndarray]] = {
        "==": lambda a: a == right[0],
        "!=": lambda a: a != right[0],
        "<": lambda a: a < right[0],
        "<=": lambda a: a <= right[0],
        ">": lambda a: a > right[0],
        ">=": lambda a: a >= right[0],
        "in": lambda a: np.isin(a, right),
        "niet_in": lambda a: ~np.isin(a, right),
    }
    with np.errstate(invalid="ignore"):
        holds = ops[cond.op](left)
    return holds & known, known


def _combine(
    frame: pd.DataFrame, conds: Sequence[Condition], how: str, agreement: Agreement
) -> tuple[np.ndarray, np.ndarray]:
    """(true, false) masks of a combination; neither = undecided."""
    n = len(frame)
    if not conds:
        return np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
    parts = [_evaluate_condition(frame, c, agreement) for c in conds]
    if how == "of":
        true = np.logical_or.reduce([h for h, _ in parts])
        false = np.logical_and.reduce([k & ~h for h, k in parts])
    else:
        true = np.logical_and.reduce([h for h, _ in parts])
        false = np.logical_or.reduce([k & ~h for h, k in parts])
    return true, false


def _compare(value: float, agreement: Agreement) -> str:
    if COMPARISONS[agreement.vergelijking](value, agreement.norm):
        return "groen"
    return "oranje" if abs(value - agreement.norm) <= agreement.marge + 1e-12 else "rood"


def _dataset(
    agreement: Agreement, stock: pd.DataFrame | None, sales: pd.DataFrame | None
) -> pd.DataFrame | None:
    if agreement.dataset == "voorraad":
        return stock
    if sales is None:
        return None
    if stock is None:
        return sales
    # the dwelling of each sale: (corporatie, vhe_id), or a vhe_id only one corporation has;
    # an unknown or ambiguous one has no attributes, so a rule on them cannot decide it
    return _attach_stock(sales, stock, link_to_stock(sales, stock))


def _attach_stock(sales: pd.DataFrame, stock: pd.DataFrame, pos: np.ndarray) -> pd.DataFrame:
    """The sales with the attributes of the stock row at ``pos`` (-1, -2: none)."""
    cols = [c for c in stock.columns if c not in ("vhe_id", "bron_rij", *LOCATION_COLUMNS)]
    found = pd.Series(pos >= 0)
    attrs = pd.DataFrame(stock[cols]).iloc[np.where(pos >= 0, pos, 0)].reset_index(drop=True)
    merged = pd.DataFrame(sales).reset_index(drop=True)
    for col in cols:
        dwelling = attrs[col].where(found)
        # a sales column of its own wins; where it is empty the dwelling's value fills in
        merged[col] = dwelling if col not in sales.columns else merged[col].fillna(dwelling)
    return merged


def _sales_population(
    agreement: Agreement, frame: pd.DataFrame, jaar: int | None
) -> tuple[pd.DataFrame, str | None]:
    """The sales a rule counts and how to say so (``None``: all records, nothing to say).

    With a period (``van``/``tot``) the sales whose ``jaar`` lies in it, planned or
    realised. Without one but with a monitored ``jaar``: the sales realised up to and
    including that year plus all planned sales (still preventable, whatever their year); a
    sale recorded as realised after the monitored year is not counted. A record without a
    ``jaar`` is kept (it may belong to the period) and the note says how many.
    """
    if agreement.dataset != "verkoop" or "jaar" not in frame.columns:
        return frame, None
    van, tot = agreement.van, agreement.tot
    if van is None and tot is None and jaar is None:
        return frame, None
    year = pd.to_numeric(frame["jaar"], errors="coerce")
    no_year = year.isna()
    if van is not None or tot is not None:
        keep = pd.Series(True, index=frame.index)
        if van is not None:
            keep &= year >= van
        if tot is not None:
            keep &= year <= tot
        if van == tot:
            label = f"verkopen {van}"
        elif van is not None and tot is not None:
            label = f"verkopen {van}\u2013{tot}"
        else:
            label = f"verkopen vanaf {van}" if van is not None else f"verkopen t/m {tot}"
    else:
        keep = year <= jaar
        if "status" in frame.columns:
            planned = frame["status"].astype("string").str.casefold().eq("voorgenomen")
            keep |= planned.fillna(False).astype(bool)
            label = f"verkopen gerealiseerd t/m {jaar} en voorgenomen"
        else:
            label = f"verkopen t/m {jaar}"
    keep = keep.fillna(False).astype(bool) | no_year
    label += f" ({int(keep.sum())} van {len(frame)} records"
    if no_year.any():
        label += f", waarvan {int(no_year.sum())} zonder jaar"
    return frame.loc[keep], label + ")"


def _missing_columns(frame: pd.DataFrame, agreement: Agreement) -> list[str]:
    conds = [*agreement.selectie, *agreement.voorwaarde]
    return sorted({c.kolom for c in conds if not _check_column(frame, c, agreement)})


def _record_view(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    cols = [c for c in frame.columns if c not in LOCATION_COLUMNS]
    return pd.DataFrame(frame.loc[mask, cols]).reset_index(drop=True)


def _eval_verbod(agreement: Agreement, frame: pd.DataFrame) -> _Outcome:
    in_set, out_set = _combine(frame, agreement.selectie, "en", agreement)
    bad, good = _combine(frame, agreement.voorwaarde, agreement.combinatie, agreement)
    violating = in_set & bad
    undecided = ~out_set & ~good & ~violating
    n_bad, n_und = int(violating.sum()), int(undecided.sum())
    rule = f" {agreement.combinatie} ".join(c.describe() for c in agreement.voorwaarde)
    records = _record_view(frame, violating)
    if n_bad:
        if "status" in frame.columns:
            status = frame["status"].astype("string").str.casefold()
            realised = violating & ~status.eq("voorgenomen").fillna(False).to_numpy(dtype=bool)
        else:
            realised = violating
        n_real = int(realised.sum())
        colour = "rood" if n_real else "oranje"
        note = (
            f"{n_bad} record(s) met {rule}, waarvan {n_real} gerealiseerd"
            if "status" in frame.columns
            else f"{n_bad} record(s) met {rule}"
        )
        if n_und:
            note += f"; {n_und} record(s) niet te beoordelen (ontbrekende gegevens)"
        return _Outcome(colour, float(n_bad), note, n_bad, records)
    if n_und:
        return _Outcome(
            "onbekend",
            math.nan,
            f"geen overtreding gevonden, maar {n_und} record(s) niet te beoordelen "
            f"(ontbrekende gegevens voor {rule})",
            0,
            _record_view(frame, undecided),
        )
    return _Outcome(
        "groen", 0.0, f"{int(in_set.sum())} record(s) gecontroleerd op {rule}", 0, records
    )


def _eval_aandeel(agreement: Agreement, frame: pd.DataFrame) -> _Outcome:
    in_set, out_set = _combine(frame, agreement.selectie, "en", agreement)
    maybe_in = ~in_set & ~out_set
    ok, fail = _combine(frame, agreement.voorwaarde, agreement.combinatie, agreement)
    n_ok = int((in_set & ok).sum())
    n_fail = int((in_set & fail).sum())
    n_unk = int((in_set & ~ok & ~fail).sum()) + int(maybe_in.sum())
    total = n_ok + n_fail + n_unk
    records = _record_view(frame, in_set & fail)
    if total == 0:
        return _Outcome("onbekend", math.nan, "geen records in de selectie", None, records)
    low = n_ok / total
    high = (n_ok + n_unk) / total
    measured = n_ok / (n_ok + n_fail) if n_ok + n_fail else math.nan
    cond = f" {agreement.combinatie} ".join(c.describe() for c in agreement.voorwaarde)
    note = f"{n_ok} van {n_ok + n_fail} records met {cond}"
    lo_status, hi_status = _compare(low, agreement), _compare(high, agreement)
    if lo_status != hi_status:
        return _Outcome(
            "onbekend",
            measured,
            f"{note}; {n_unk} record(s) met ontbrekende gegevens: aandeel tussen "
            f"{low:.1%} en {high:.1%}",
            n_fail,
            records,
        )
    if n_unk:
        note += f"; {n_unk} record(s) zonder gegevens veranderen de kleur niet"
    return _Outcome(lo_status, measured if n_unk == 0 else low, note, n_fail, records)


def _eval_aantal(agreement: Agreement, frame: pd.DataFrame) -> _Outcome:
    in_set, out_set = _combine(frame, agreement.selectie, "en", agreement)
    n_in, n_maybe = int(in_set.sum()), int((~in_set & ~out_set).sum())
    lo_status = _compare(float(n_in), agreement)
    hi_status = _compare(float(n_in + n_maybe), agreement)
    too_many = agreement.vergelijking in ("<=", "<")
    records = (
        _record_view(frame, in_set) if too_many else _record_view(frame, np.zeros(len(frame), bool))
    )
    if lo_status != hi_status:
        return _Outcome(
            "onbekend",
            float(n_in),
            f"{n_in} records zeker in de selectie, {n_maybe} onzeker (ontbrekende gegevens)",
            None,
            records,
        )
    status = lo_status
    note = f"{n_in} records in de selectie" + (f" (+{n_maybe} onzeker)" if n_maybe else "")
    n_viol = (
        0
        if status == "groen"
        else (
            int(abs(n_in - agreement.norm)) if not too_many else int(max(0, n_in - agreement.norm))
        )
    )
    return _Outcome(status, float(n_in), note, n_viol, records if status != "groen" else None)


def _eval_prognose(agreement: Agreement, prognosis: pd.DataFrame) -> _Outcome:
    target = Target(
        id=agreement.id,
        soort=str(agreement.doel),
        norm=agreement.norm,
        corporatie=agreement.corporatie,
        van=agreement.van,
        tot=agreement.tot,
        inclusief_sloop=agreement.inclusief_sloop,
    )
    if agreement.corporatie is not None and agreement.corporatie not in set(
        prognosis["corporatie"].astype(str)
    ):
        return _Outcome(
            "onbekend",
            math.nan,
            f"corporatie {agreement.corporatie!r} niet in de prognose",
            None,
        )
    gaps = target_gaps(prognosis, [target])
    if gaps.empty or gaps["gemeten"].isna().any():
        years = sorted(set(prognosis["jaar"].astype(int)))
        return _Outcome(
            "onbekend",
            math.nan,
            f"de prognose dekt de jaren {years[0] if years else '-'}-{years[-1] if years else '-'} "
            f"niet de gevraagde periode {target.van}-{target.tot}",
            None,
        )
    if agreement.doel == "netto_groei":
        row = gaps.iloc[-1]
        measured = float(row["gemeten"])
        note = f"netto groei {int(row['gemeten'])} over {target.van}-{target.tot}"
    else:
        row = gaps.iloc[int(np.argmin(gaps["gemeten"].astype("float64").to_numpy()))]
        measured = float(row["gemeten"])
        note = f"laagste eindstand {int(row['gemeten'])} in {int(row['jaar'])}"
    status = _compare(measured, agreement)
    failing = gaps[
        [not COMPARISONS[agreement.vergelijking](float(v), agreement.norm) for v in gaps["gemeten"]]
    ]
    if agreement.doel == "netto_groei":
        failing = failing.iloc[-1:] if status != "groen" else failing.iloc[0:0]
    return _Outcome(status, measured, note, len(failing), failing.reset_index(drop=True))


def _resolve_limits(
    agreement: Agreement, jaar: int | None, limits: Mapping[int, huur.RentLimits] | None
) -> Agreement:
    """Fill in conditions that name a rent limit of the monitored year."""

    def fix(conds: tuple[Condition, ...]) -> tuple[Condition, ...]:
        out = []
        for c in conds:
            if c.huurgrens is not None and c.waarde is None:
                if jaar is None:
                    raise ConfigError(
                        f"afspraak {agreement.id!r}: `huurgrens` {c.huurgrens!r} zonder "
                        "`huurjaar` vraagt het gemonitorde jaar: geef jaar= (CLI: --jaar 2023)"
                    )
                try:
                    value = getattr(huur.limits_for(jaar, limits), c.huurgrens)
                except ConfigError as exc:
                    raise ConfigError(f"afspraak {agreement.id!r}: {exc}") from None
                c = replace(c, waarde=value)
            out.append(c)
        return tuple(out)

    return replace(
        agreement, selectie=fix(agreement.selectie), voorwaarde=fix(agreement.voorwaarde)
    )


def _sales_with_stock(
    stock: pd.DataFrame | None, sales: pd.DataFrame | None
) -> pd.DataFrame | None:
    """The sales with their dwellings' attributes, linked once for all rules.

    Sales from the join carry the position of their dwelling in the joined stock
    (:data:`geoprestatie.join.STOCK_POSITION`): then the link is reused, not rebuilt.
    """
    if sales is not None and stock is not None and STOCK_POSITION in sales.columns:
        pos = sales[STOCK_POSITION].to_numpy(dtype=np.int64)
        if len(pos) == 0 or pos.max() < len(stock):
            return _attach_stock(sales.drop(columns=STOCK_POSITION), stock, pos)
    probe = Agreement(id="-", tekst="", partij="", soort="aantal", dataset="verkoop")
    frame = _dataset(probe, stock, sales)
    if frame is not None and STOCK_POSITION in frame.columns:
        frame = frame.drop(columns=STOCK_POSITION)
    return frame


def _evaluate_shorthand(
    agreement: Agreement,
    frames: Mapping[str, pd.DataFrame | None],
    prognosis: pd.DataFrame | None,
    jaar: int | None,
) -> _Outcome:
    """One of the four shorthand kinds (verbod, aandeel, aantal, prognose)."""
    if agreement.soort == "prognose":
        if prognosis is None:
            return _Outcome("onbekend", math.nan, "geen prognose opgegeven", None)
        return _eval_prognose(agreement, prognosis)
    frame = frames.get(agreement.dataset)
    if frame is None:
        return _Outcome(
            "onbekend", math.nan, f"geen gegevens: dataset {agreement.dataset!r} ontbreekt", None
        )
    frame, population = _sales_population(agreement, frame, jaar)
    missing = _missing_columns(frame, agreement)
    if (agreement.van, agreement.tot) != (None, None) and "jaar" not in frame:
        missing = sorted({*missing, "jaar"})
    if missing:
        hint = " (koppel de verkopen aan de voorraad)" if agreement.dataset == "verkoop" else ""
        return _Outcome(
            "onbekend", math.nan, f"kolom(men) {missing} ontbreken in de gegevens{hint}", None
        )
    evaluator = {"verbod": _eval_verbod, "aandeel": _eval_aandeel, "aantal": _eval_aantal}
    outcome = evaluator[agreement.soort](agreement, frame)
    if population is not None:
        outcome = replace(outcome, toelichting=f"{population}: {outcome.toelichting}")
    return outcome


def _evaluate_general(
    agreement: Agreement, frames: Mapping[str, pd.DataFrame | None], peildatum: dt.date | None
) -> tuple[_Outcome, pd.DataFrame]:
    regel = agreement.regel
    out: RuleOutcome
    if isinstance(regel, Deadline):
        if peildatum is None:
            raise ConfigError(
                f"afspraak {agreement.id!r}: een termijn vraagt de monitordatum: geef "
                "[afspraken] peildatum = 2023-06-30 (CLI: --peildatum)"
            )
        out = evaluate_deadline(regel, frames, peildatum=peildatum)
    else:
        assert isinstance(regel, Rule)
        out = evaluate_rule(regel, frames)
    groups = out.groups
    if len(groups) and (len(groups) > 1 or "totaal" not in set(groups["groep"])):
        groups = groups.assign(afspraak_id=agreement.id)
    else:
        groups = pd.DataFrame()
    return (
        _Outcome(out.status, out.gemeten, out.toelichting, out.n_overtredingen, out.records),
        groups,
    )


def monitor(
    agreements: Sequence[Agreement],
    *,
    stock: pd.DataFrame | None = None,
    sales: pd.DataFrame | None = None,
    prognosis: pd.DataFrame | None = None,
    jaar: int | None = None,
    rent_limits: Mapping[int, huur.RentLimits] | None = None,
    data: Mapping[str, pd.DataFrame | None] | None = None,
    peildatum: dt.date | None = None,
    vorige: pd.DataFrame | None = None,
) -> MonitorResult:
    """Evaluate each agreement; return the table and the offending records per afspraak.

    Parameters
    ----------
    agreements
        From :func:`read_agreements`.
    stock, sales
        Canonical stock and sales frames (``read_stock`` / ``read_sales``); ``None`` makes
        the rules on them *onbekend*.
    prognosis
        A :func:`geoprestatie.prognosis.project` table; ``None`` makes prognosis rules
        *onbekend*.
    jaar
        The monitored year: resolves conditions on a rent limit (``huurgrens``) without
        ``huurjaar``, and limits the sales of a rule without a period to those realised up
        to and including ``jaar`` plus the planned ones (see the module docs).
    rent_limits
        Rent limits per year; default :data:`geoprestatie.huur.DEFAULT_LIMITS`.
    data
        The other monitor datasets by name (:data:`geoprestatie.sources.monitoring.
        MONITOR_DATASETS`: ``toewijzingen``, ``geld``, ``acties``, ``plannen``, ...).
    peildatum
        The monitor date for deadlines (``soort = "termijn"``).
    vorige
        The table of the previous monitor (its ``monitor.csv``): adds ``vorige_status``
        and ``trend``.

    Raises
    ------
    ConfigError
        A rule on a column that is not in the data nor in the canonical schema.
    """
    frames: dict[str, pd.DataFrame | None] = {**(data or {})}
    frames["voorraad"] = stock
    frames["verkoop"] = _sales_with_stock(stock, sales)
    frames.setdefault("prognose", prognosis)
    rows: list[dict[str, Any]] = []
    records: dict[str, pd.DataFrame] = {}
    groups: list[pd.DataFrame] = []
    for agreement in agreements:
        if agreement.regel is not None:
            outcome, group_table = _evaluate_general(agreement, frames, peildatum)
            if len(group_table):
                groups.append(group_table)
        else:
            agreement = _resolve_limits(agreement, jaar, rent_limits)
            outcome = _evaluate_shorthand(agreement, frames, prognosis, jaar)
        if outcome.records is not None and len(outcome.records):
            records[agreement.id] = outcome.records
        rows.append(
            {
                "afspraak_id": agreement.id,
                "tekst": agreement.tekst,
                "partij": agreement.partij,
                "status": outcome.status,
                "gemeten": outcome.gemeten,
                "norm": agreement.regel.numeric_norm()
                if isinstance(agreement.regel, Rule)
                else (math.nan if agreement.regel is not None else agreement.norm),
                "toelichting": outcome.toelichting,
                "n_overtredingen": outcome.n_overtredingen,
                "soort": agreement.soort,
                "vergelijking": agreement.norm_text(),
                "bron": agreement.bron,
                "thema": agreement.thema,
            }
        )
    table = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    table["gemeten"] = table["gemeten"].astype("float64")
    table["norm"] = table["norm"].astype("float64")
    table["n_overtredingen"] = table["n_overtredingen"].astype("Int64")
    if vorige is not None:
        table = with_trend(table, vorige)
    table.attrs[PER_BUURT] = [
        a.id
        for a in agreements
        if "buurtcode" in repr((a.selectie, a.voorwaarde, a.regel))  # in any expression
    ]
    table.attrs[NET_GROWTH_TARGETS] = {
        a.id: (a.corporatie, a.van, a.tot, a.inclusief_sloop)
        for a in agreements
        if a.soort == "prognose" and a.doel == "netto_groei"
    }
    table.attrs[PER_CORPORATION] = [
        a.id for a in agreements if "corporatie" in repr((a.selectie, a.voorwaarde, a.regel))
    ]
    table.attrs[MEASURED_DATASETS] = {
        a.id: (
            a.regel.population.dataset
            if isinstance(a.regel, Rule)
            else "acties"
            if a.regel is not None
            else "prognose"
            if a.soort == "prognose"
            else a.dataset
        )
        for a in agreements
    }
    table.attrs[STATUS_RULES] = {
        a.id: rule for a in agreements if (rule := _status_rule(a)) is not None
    }
    groepen = _group_table(groups)
    return MonitorResult(table=table, overtredingen=records, groepen=groepen)


def _status_rule(agreement: Agreement) -> tuple[str, str, float] | None:
    """``(dataset, vergelijking, marge)`` of an agreement whose status compares a measured
    figure with its norm (None for a ban, whose status counts records, and a deadline)."""
    if isinstance(agreement.regel, Rule):
        rule = agreement.regel
        return (rule.population.dataset, rule.vergelijking, float(rule.marge))
    if agreement.regel is not None or agreement.soort == "verbod":
        return None
    dataset = "prognose" if agreement.soort == "prognose" else agreement.dataset
    return (dataset, agreement.vergelijking, float(agreement.marge))


#: The ``attrs`` key of the monitor table: per net-growth agreement (``soort = "prognose"``,
#: ``doel = "netto_groei"``) its ``(corporatie, van, tot, inclusief_sloop)``, the cell of the
#: prognosis summary it measures (the publication hides it where the summary does).
NET_GROWTH_TARGETS = "netto_groei_doelen"

#: The ``attrs`` key of the monitor table: the ids of agreements whose selection, condition
#: or measure names ``corporatie`` (a corporation's figures).
PER_CORPORATION = "per_corporatie"

#: The ``attrs`` key of the monitor table: the dataset each agreement measures (by id).
MEASURED_DATASETS = "datasets"

#: The ``attrs`` key of the monitor table: per agreement whose status compares its measured
#: figure with a norm, ``(dataset, vergelijking, marge)``: what a reader of the published
#: norm and status knows of the figure (the publication hides a status that would bracket a
#: hidden count).
STATUS_RULES = "statusregels"

#: The ``attrs`` key of the monitor table: the ids of agreements whose selection, condition
#: or measure names ``buurtcode`` (one buurt's figures in a row for the municipality).
PER_BUURT = "per_buurt"

#: Columns of :attr:`MonitorResult.groepen`.
GROUP_COLUMNS: tuple[str, ...] = (
    "afspraak_id",
    "groep",
    "status",
    "gemeten",
    "gemeten_laag",
    "gemeten_hoog",
    "norm_laag",
    "norm_hoog",
)


def _group_table(groups: Sequence[pd.DataFrame]) -> pd.DataFrame:
    if not groups:
        return pd.DataFrame(columns=list(GROUP_COLUMNS))
    merged = pd.concat(groups, ignore_index=True)
    for col in GROUP_COLUMNS:
        if col not in merged.columns:
            merged[col] = pd.NA
    rest = [c for c in merged.columns if c not in GROUP_COLUMNS]
    return merged[[*GROUP_COLUMNS, *rest]]


_RANK = {"rood": 0, "oranje": 1, "groen": 2}


def with_trend(table: pd.DataFrame, vorige: pd.DataFrame) -> pd.DataFrame:
    """Add ``vorige_status`` and ``trend`` (beter, gelijk, slechter, nieuw, onbekend).

    A status that is or was *onbekend* has no direction: its trend is *onbekend* unless
    both are *onbekend* (*gelijk*).

    Examples
    --------
    >>> now = pd.DataFrame({"afspraak_id": ["a", "b", "c"], "status": ["groen", "rood", "oranje"]})
    >>> old = pd.DataFrame({"afspraak_id": ["a", "b"], "status": ["rood", "rood"]})
    >>> with_trend(now, old)["trend"].tolist()
    ['beter', 'gelijk', 'nieuw']
    """
    if not {"afspraak_id", "status"} <= set(map(str, vorige.columns)):
        raise ConfigError(
            "de vorige monitor heeft geen kolommen afspraak_id en status; geef de monitor.csv "
            "van de vorige run"
        )
    before = dict(zip(vorige["afspraak_id"].astype(str), vorige["status"].astype(str), strict=True))
    prev = [before.get(str(i)) for i in table["afspraak_id"]]

    def trend(now: str, was: str | None) -> str:
        if was is None:
            return "nieuw"
        if now == was:
            return "gelijk"
        if now not in _RANK or was not in _RANK:
            return "onbekend"
        return "beter" if _RANK[now] > _RANK[was] else "slechter"

    out = table.copy()
    out["vorige_status"] = pd.Series(prev, dtype="string")
    out["trend"] = [trend(str(n), w) for n, w in zip(out["status"], prev, strict=True)]
    return out


def evaluate(
    agreements: Sequence[Agreement],
    *,
    stock: pd.DataFrame | None = None,
    sales: pd.DataFrame | None = None,
    prognosis: pd.DataFrame | None = None,
    jaar: int | None = None,
    rent_limits: Mapping[int, huur.RentLimits] | None = None,
) -> pd.DataFrame:
    """The monitor table only (see :func:`monitor`, which also returns offending records).

    Examples
    --------
    >>> a = Agreement(id="V1", tekst="Geen verkoop F/G", partij="corporaties",
    ...               soort="verbod", dataset="verkoop",
    ...               voorwaarde=(Condition("energielabel", "in", ["F", "G"]),))
    >>> sales = pd.DataFrame({"vhe_id": ["1"], "jaar": [2022], "status": ["gerealiseerd"],
    ...                       "energielabel": ["C"]})
    >>> evaluate([a], sales=sales)[["afspraak_id", "status"]]
      afspraak_id status
    0          V1  groen
    """
    return monitor(
        agreements,
        stock=stock,
        sales=sales,
        prognosis=prognosis,
        jaar=jaar,
        rent_limits=rent_limits,
    ).table


# --------------------------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------------------------

_STATUS_COLOURS = {
    "groen": "#1a9641",
    "oranje": "#fdae61",
    "rood": "#d7191c",
    "onbekend": "#999999",
}


def _fmt_measured(row: Mapping[Any, Any]) -> str:
    value = row["gemeten"]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if row["soort"] == "aandeel":
        return f"{float(value):.1%}"
    return f"{float(value):g}"


def _table(result: MonitorResult | pd.DataFrame) -> pd.DataFrame:
    return result.table if isinstance(result, MonitorResult) else result


def to_markdown(
    result: MonitorResult | pd.DataFrame, *, title: str = "Monitor prestatieafspraken"
) -> str:
    """The monitor as a Markdown table (``|`` in texts escaped).

    Examples
    --------
    >>> t = pd.DataFrame([{"afspraak_id": "A|1", "tekst": "t", "partij": "p",
    ...     "status": "groen", "gemeten": 0.0, "norm": 0.0, "toelichting": "",
    ...     "n_overtredingen": 0, "soort": "verbod", "vergelijking": "0 overtredingen",
    ...     "bron": ""}])
    >>> "A\\\\|1" in to_markdown(t)
    True
    """
    table = _table(result)

    def cell(v: Any) -> str:
        return str(v).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    counts = table["status"].value_counts()
    lines = [
        f"# {cell(title)}",
        "",
        " · ".join(f"{s}: {int(counts.get(s, 0))}" for s in STATUSES),
        "",
        "| id | afspraak | partij | status | gemeten | norm | toelichting | bron |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in table.to_dict("records"):
        lines.append(
            "| "
            + " | ".join(
                cell(v)
                for v in (
                    row["afspraak_id"],
                    row["tekst"],
                    row["partij"],
                    str(row["status"]).upper(),
                    _fmt_measured(row),
                    row["vergelijking"],
                    row["toelichting"],
                    row["bron"],
                )
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


def read_previous(path: str | Path) -> pd.DataFrame:
    """The table of a previous monitor: its ``monitor.csv``, or a run folder holding one.

    Raises
    ------
    ConfigError
        No monitor.csv found, or one without ``afspraak_id`` and ``status``.
    """
    path = Path(path)
    if path.is_dir():
        found = sorted(path.rglob("monitor.csv"))
        if not found:
            raise ConfigError(f"{path}: geen monitor.csv gevonden in de map van de vorige run")
        path = found[0]
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: de vorige monitor is niet leesbaar ({exc})") from None
    if not {"afspraak_id", "status"} <= set(table.columns):
        raise ConfigError(
            f"{path}: de vorige monitor heeft geen kolommen afspraak_id en status; geef de "
            "monitor.csv van een eerdere run"
        )
    return table
