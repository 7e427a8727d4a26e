"""The general rules of the agreements monitor: ``soort = "regel"`` and ``soort = "termijn"``.

A *regel* measures something on one dataset and compares it with a norm::

    [[afspraak]]
    id = "13"
    soort = "regel"
    dataset = "toewijzingen"
    filter = "sociaal en jaar in [2022, 2023]"      # which records (optional)
    meting = "aandeel(doelgroep == 'urgent')"        # an aggregate expression
    vergelijking = "<="
    norm = 0.5
    marge = 0.05                                      # oranje up to 55 %
    per = ["corporatie"]                              # a status per group (optional)

``norm`` is a number, an expression (``"referentie"``, ``"1.02 * referentie"``, or aggregates
over ``norm_bron``), or a table of numbers per group (``{ "2022" = 100, "2023" = 150 }``).
``referentiejaar`` measures the same ``meting`` in that year (``niveau 2021``) as
``referentie``. ``peiljaar`` picks one stock snapshot, ``vergelijk_met`` pairs every dwelling
with itself in an earlier snapshot (``vorig.<kolom>``). ``cumulatief`` adds the groups up
along the last ``per`` column (a trajectory). ``totaal = "geheel"`` judges the whole
population against ``norm_totaal`` instead of taking the worst group.

A *termijn* judges deadlines of an actions register against the monitor date: *groen*
done in time or not yet due, *oranje* due within ``signaal_dagen`` and not done (or done
late), *rood* overdue and not done, *onbekend* without a deadline or without any action.

The full language, with an example per construct: ``docs/regeltaal.md``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from geoprestatie.errors import ConfigError
from geoprestatie.rule_expr import (
    LOCATION_COLUMNS,
    Expr,
    Frame,
    Interval,
    describe_interval,
    parse,
)

__all__ = [
    "DEADLINE_KEYS",
    "RULE_KEYS",
    "STATUS_ORDER",
    "Deadline",
    "Rule",
    "RuleOutcome",
    "deadline_from_dict",
    "evaluate_deadline",
    "evaluate_rule",
    "rule_from_dict",
    "worst",
]

#: Severity for the overall status of several groups: a sure failure first, then a group
#: that cannot be judged (it could be red), then orange.
STATUS_ORDER: tuple[str, ...] = ("rood", "onbekend", "oranje", "groen")
COMPARISONS: tuple[str, ...] = (">=", ">", "<=", "<")
_COMMON = {"id", "tekst", "partij", "soort", "bron", "thema"}
#: Keys of ``soort = "regel"``.
RULE_KEYS: frozenset[str] = frozenset(
    _COMMON
    | {
        "dataset",
        "filter",
        "meting",
        "vergelijking",
        "norm",
        "marge",
        "per",
        "cumulatief",
        "totaal",
        "norm_totaal",
        "referentiejaar",
        "norm_bron",
        "ontbrekend",
        "bewijs",
        "peiljaar",
        "vergelijk_met",
        "groepen",
        "van",
        "tot",
        "jaar",
        "periode",
    }
)
#: Keys of ``soort = "termijn"``.
DEADLINE_KEYS: frozenset[str] = frozenset(
    _COMMON | {"dataset", "filter", "deadline", "signaal_dagen", "per"}
)
_NORM_SOURCE_KEYS = frozenset({"dataset", "filter", "peiljaar", "van", "tot", "jaar", "periode"})


def worst(statuses: Sequence[str]) -> str:
    """The overall status of several groups (:data:`STATUS_ORDER`); none: onbekend.

    Examples
    --------
    >>> worst(["groen", "oranje"]), worst(["groen", "onbekend", "oranje"]), worst([])
    ('oranje', 'onbekend', 'onbekend')
    """
    for status in STATUS_ORDER:
        if status in statuses:
            return status
    return "onbekend"


# ----------------------------------------------------------------------------- definitions


@dataclass(frozen=True)
class Population:
    """Which records: a dataset, a filter, a period on ``jaar`` and a stock snapshot."""

    dataset: str
    filter: Expr | None = None
    van: int | None = None
    tot: int | None = None
    peiljaar: int | None = None
    vergelijk_met: int | None = None

    def label(self) -> str:
        parts = [self.dataset]
        if self.peiljaar is not None:
            parts.append(f"peiljaar {self.peiljaar}")
        if self.van is not None or self.tot is not None:
            parts.append(_period_text(self.van, self.tot))
        if self.filter is not None:
            parts.append(f"waar {self.filter.source}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Rule:
    """One ``soort = "regel"`` (see the module docs); build with :func:`rule_from_dict`."""

    id: str
    population: Population
    meting: Expr
    vergelijking: str = ">="
    norm: float | Expr | Mapping[str, float] = 0.0
    marge: float = 0.0
    per: tuple[str, ...] = ()
    cumulatief: bool = False
    totaal: str = "slechtste"
    norm_totaal: float | Expr | None = None
    referentiejaar: int | None = None
    norm_bron: Population | None = None
    ontbrekend: str = "onbekend"
    bewijs: Expr | None = None
    groepen: tuple[str, ...] = ()

    def expected_groups(self) -> tuple[str, ...]:
        """Groups that must appear (``groepen``, or the keys of a norm per group)."""
        if self.groepen:
            return self.groepen
        return tuple(self.norm) if isinstance(self.norm, Mapping) else ()

    def norm_text(self) -> str:
        share = self.is_share()
        if isinstance(self.norm, Expr):
            return f"{self.vergelijking} {self.norm.source}"
        if isinstance(self.norm, Mapping):
            return f"{self.vergelijking} de norm per groep (zie monitor_groepen)"
        return f"{self.vergelijking} {describe_interval(self.norm, self.norm, share=share)}"

    def is_share(self) -> bool:
        first = self.meting.first_aggregate()
        return first is not None and first[0] == "aandeel"

    def numeric_norm(self) -> float:
        return float(self.norm) if isinstance(self.norm, int | float) else math.nan


@dataclass(frozen=True)
class Deadline:
    """One ``soort = "termijn"`` (see the module docs)."""

    id: str
    dataset: str = "acties"
    filter: Expr | None = None
    deadline: dt.date | None = None
    signaal_dagen: int = 60
    per: tuple[str, ...] = ()

    def norm_text(self) -> str:
        when = f"uiterlijk {self.deadline.isoformat()}" if self.deadline else "op de termijn"
        return f"gereed {when}"


def _where(data: Mapping[str, Any]) -> str:
    return f"afspraak {str(data.get('id', '?'))!r}"


def _int(data: Mapping[str, Any], key: str, where: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{where}: `{key}` is een jaartal zoals 2022, kreeg {value!r}")
    return int(value)


def _number(value: Any, key: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: `{key}` is een getal, kreeg {value!r}")
    return float(value)


def _text(data: Mapping[str, Any], key: str, where: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(f"{where}: `{key}` is tekst, kreeg {value!r}")
    return value


def _choice(data: Mapping[str, Any], key: str, where: str, allowed: Sequence[str]) -> str:
    value = _text(data, key, where, allowed[0])
    if value not in allowed:
        raise ConfigError(f"{where}: `{key}` is {value!r}; kies uit {list(allowed)}")
    return value


def _period(data: Mapping[str, Any], where: str) -> tuple[int | None, int | None]:
    given = sorted({"van", "tot", "jaar", "periode"} & set(data))
    if len(given) > 1 and set(given) != {"tot", "van"}:
        raise ConfigError(f"{where}: geef de periode één keer: `van`/`tot`, `jaar` of `periode`")
    van, tot = _int(data, "van", where), _int(data, "tot", where)
    if "jaar" in data:
        van = tot = _int(data, "jaar", where)
    if "periode" in data:
        periode = data["periode"]
        if (
            not isinstance(periode, list)
            or len(periode) != 2
            or not all(isinstance(y, int) and not isinstance(y, bool) for y in periode)
        ):
            raise ConfigError(
                f"{where}: `periode` is [van, tot] (twee jaartallen), kreeg {periode!r}"
            )
        van, tot = int(periode[0]), int(periode[1])
    if van is not None and tot is not None and van > tot:
        raise ConfigError(f"{where}: de periode {van}-{tot} eindigt voordat hij begint")
    return van, tot


def _population(
    data: Mapping[str, Any], where: str, datasets: Sequence[str], default: str | None = None
) -> Population:
    dataset = data.get("dataset", default)
    if dataset is None:
        raise ConfigError(f"{where}: `dataset` ontbreekt; kies uit {list(datasets)}")
    if dataset not in datasets:
        raise ConfigError(f"{where}: `dataset` is {dataset!r}; kies uit {list(datasets)}")
    flt = data.get("filter")
    van, tot = _period(data, where)
    return Population(
        dataset=str(dataset),
        filter=None if flt is None else parse(flt, where=f"{where}, filter"),
        van=van,
        tot=tot,
        peiljaar=_int(data, "peiljaar", where),
        vergelijk_met=_int(data, "vergelijk_met", where),
    )


def _per(data: Mapping[str, Any], where: str) -> tuple[str, ...]:
    per = data.get("per", [])
    if isinstance(per, str):
        per = [per]
    if not isinstance(per, list) or not all(isinstance(p, str) and p for p in per):
        raise ConfigError(f"{where}: `per` is een kolom of lijst van kolommen, kreeg {per!r}")
    if len(set(per)) != len(per):
        raise ConfigError(f"{where}: `per` noemt een kolom twee keer: {per}")
    return tuple(per)


def _norm(value: Any, key: str, where: str) -> float | Expr | Mapping[str, float]:
    if isinstance(value, str):
        return _norm_expr(value, key, where)
    if isinstance(value, Mapping):
        if not value:
            raise ConfigError(f"{where}: `{key}` is een lege tabel")
        return {str(k): _number(v, f"{key}.{k}", where) for k, v in value.items()}
    return _number(value, key, where)


def _norm_expr(text: str, key: str, where: str) -> Expr:
    """A norm expression: aggregates over ``norm_bron`` and/or ``referentie``."""
    expr = parse(text, where=f"{where}, {key}", aggregate=True, constants=("referentie",))
    return expr


def rule_from_dict(data: Mapping[str, Any], *, datasets: Sequence[str]) -> Rule:
    """Build a :class:`Rule` from an ``[[afspraak]]`` table with ``soort = "regel"``.

    Raises
    ------
    ConfigError
        In Dutch, naming the afspraak and the key: unknown keys, wrong types, expressions
        outside the language, impossible combinations.
    """
    where = _where(data)
    unknown = sorted(set(data) - RULE_KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: onbekende sleutel(s) {unknown} voor soort 'regel'; toegestaan zijn "
            f"{sorted(RULE_KEYS)}"
        )
    if "meting" not in data:
        raise ConfigError(f"{where}: soort 'regel' heeft een `meting` nodig, bijv. 'aantal()'")
    population = _population(data, where, datasets)
    vergelijking = _choice(data, "vergelijking", where, COMPARISONS)
    ref = _int(data, "referentiejaar", where)
    if "norm" not in data and ref is None:
        raise ConfigError(f"{where}: `norm` ontbreekt (een getal, uitdrukking of tabel per groep)")
    norm = _norm(data.get("norm", "referentie"), "norm", where)
    marge = _number(data.get("marge", 0.0), "marge", where)
    if marge < 0:
        raise ConfigError(f"{where}: `marge` is >= 0, kreeg {marge}")
    per = _per(data, where)
    cumulatief = data.get("cumulatief", False)
    if not isinstance(cumulatief, bool):
        raise ConfigError(f"{where}: `cumulatief` is true of false, kreeg {cumulatief!r}")
    if cumulatief and not per:
        raise ConfigError(f"{where}: `cumulatief` telt op langs de laatste `per`-kolom; geef `per`")
    totaal = _choice(data, "totaal", where, ("slechtste", "geheel"))
    norm_totaal = data.get("norm_totaal")
    if norm_totaal is not None and totaal != "geheel":
        raise ConfigError(f"{where}: `norm_totaal` hoort bij totaal = 'geheel'")
    if totaal == "geheel" and norm_totaal is None and isinstance(norm, Mapping):
        raise ConfigError(f"{where}: totaal = 'geheel' met een norm per groep vraagt `norm_totaal`")
    nb = data.get("norm_bron")
    norm_bron = None
    if nb is not None:
        if not isinstance(nb, Mapping):
            raise ConfigError(f"{where}: `norm_bron` is een tabel {{dataset, filter, ...}}")
        bad = sorted(set(nb) - _NORM_SOURCE_KEYS)
        if bad:
            raise ConfigError(
                f"{where}: onbekende sleutel(s) {bad} in `norm_bron`; toegestaan zijn "
                f"{sorted(_NORM_SOURCE_KEYS)}"
            )
        norm_bron = _population({"id": data.get("id"), **nb}, f"{where}, norm_bron", datasets)
    uses_ref = isinstance(norm, Expr) and "referentie" in norm.columns()
    if uses_ref and ref is None:
        raise ConfigError(f"{where}: de norm gebruikt 'referentie' maar `referentiejaar` ontbreekt")
    if ref is not None and not uses_ref:
        raise ConfigError(f"{where}: `referentiejaar` zonder 'referentie' in de norm doet niets")
    if population.vergelijk_met is not None and population.peiljaar is None:
        raise ConfigError(f"{where}: `vergelijk_met` vraagt ook `peiljaar` (de nieuwe stand)")
    bewijs = data.get("bewijs")
    groepen = data.get("groepen", [])
    if not isinstance(groepen, list) or not all(isinstance(g, str | int) for g in groepen):
        raise ConfigError(f"{where}: `groepen` is een lijst van groepen, kreeg {groepen!r}")
    if groepen and len(per) != 1:
        raise ConfigError(f"{where}: `groepen` hoort bij `per` met één kolom")
    return Rule(
        id=str(data["id"]),
        population=population,
        meting=parse(data["meting"], where=f"{where}, meting", aggregate=True),
        vergelijking=vergelijking,
        norm=norm,
        marge=marge,
        per=per,
        cumulatief=cumulatief,
        totaal=totaal,
        norm_totaal=None if norm_totaal is None else _norm(norm_totaal, "norm_totaal", where),  # type: ignore[arg-type]
        referentiejaar=ref,
        norm_bron=norm_bron,
        ontbrekend=_choice(data, "ontbrekend", where, ("onbekend", "negeren")),
        bewijs=None if bewijs is None else parse(bewijs, where=f"{where}, bewijs"),
        groepen=tuple(str(g) for g in groepen),
    )


def deadline_from_dict(data: Mapping[str, Any], *, datasets: Sequence[str]) -> Deadline:
    """Build a :class:`Deadline` from an ``[[afspraak]]`` table with ``soort = "termijn"``."""
    where = _where(data)
    unknown = sorted(set(data) - DEADLINE_KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: onbekende sleutel(s) {unknown} voor soort 'termijn'; toegestaan zijn "
            f"{sorted(DEADLINE_KEYS)}"
        )
    pop = _population(data, where, datasets, default="acties")
    raw = data.get("deadline")
    deadline: dt.date | None = None
    if raw is not None:
        if isinstance(raw, dt.datetime):
            deadline = raw.date()
        elif isinstance(raw, dt.date):
            deadline = raw
        else:
            try:
                deadline = dt.date.fromisoformat(str(raw))
            except ValueError:
                raise ConfigError(
                    f"{where}: `deadline` is een datum zoals 2022-12-31, kreeg {raw!r}"
                ) from None
    days = data.get("signaal_dagen", 60)
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ConfigError(f"{where}: `signaal_dagen` is een heel getal >= 0, kreeg {days!r}")
    return Deadline(
        id=str(data["id"]),
        dataset=pop.dataset,
        filter=pop.filter,
        deadline=deadline,
        signaal_dagen=int(days),
        per=_per(data, where),
    )


# ------------------------------------------------------------------------------ evaluation


@dataclass(frozen=True)
class RuleOutcome:
    """What a rule found: overall status, measurement, the groups and the evidence."""

    status: str
    gemeten: float
    toelichting: str
    n_overtredingen: int | None
    records: pd.DataFrame | None = None
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)


def _period_text(van: int | None, tot: int | None) -> str:
    if van == tot:
        return f"jaar {van}"
    if van is not None and tot is not None:
        return f"{van}\u2013{tot}"
    return f"vanaf {van}" if van is not None else f"t/m {tot}"


def _unknown(note: str) -> RuleOutcome:
    return RuleOutcome("onbekend", math.nan, note, None)


class _NoData(Exception):
    """The data cannot decide the rule (becomes *onbekend* with this message)."""


def _select(pop: Population, frame: pd.DataFrame, where: str) -> pd.DataFrame:
    """Snapshot, pairing with an earlier snapshot, and period (no filter yet)."""
    if pop.peiljaar is not None:
        if "peiljaar" not in frame.columns:
            raise _NoData(f"dataset {pop.dataset!r} heeft geen peiljaren (kolom peiljaar)")
        years = pd.to_numeric(frame["peiljaar"], errors="coerce")
        current = frame.loc[(years == pop.peiljaar).to_numpy()]
        if current.empty:
            have = sorted({int(y) for y in years.dropna()})
            raise _NoData(f"geen stand met peiljaar {pop.peiljaar} (wel: {have})")
        if pop.vergelijk_met is not None:
            earlier = frame.loc[(years == pop.vergelijk_met).to_numpy()]
            if earlier.empty:
                have = sorted({int(y) for y in years.dropna()})
                raise _NoData(f"geen stand met peiljaar {pop.vergelijk_met} (wel: {have})")
            current = _pair(current, earlier)
        frame = current
    if pop.van is not None or pop.tot is not None:
        if "jaar" not in frame.columns:
            raise _NoData(f"dataset {pop.dataset!r} heeft geen kolom jaar voor de periode")
        year = pd.to_numeric(frame["jaar"], errors="coerce")
        keep = pd.Series(True, index=frame.index)
        if pop.van is not None:
            keep &= year >= pop.van
        if pop.tot is not None:
            keep &= year <= pop.tot
        frame = frame.loc[keep.fillna(False).to_numpy(dtype=bool)]
    return frame


def _pair(current: pd.DataFrame, earlier: pd.DataFrame) -> pd.DataFrame:
    """Add ``vorig.<kolom>``: the same dwelling (corporatie, vhe_id) in the earlier stand.

    One hash lookup (``Index.get_indexer``), linear in the number of dwellings.
    """
    keys = [k for k in ("corporatie", "vhe_id") if k in current.columns and k in earlier.columns]
    if "vhe_id" not in keys:
        raise _NoData("standen vergelijken vraagt een kolom vhe_id in beide standen")

    def key(frame: pd.DataFrame) -> pd.Index:
        parts = [frame[k].astype("string").fillna("") for k in keys]
        joined = parts[0] if len(parts) == 1 else parts[0] + "\x1f" + parts[1]
        index: pd.Index = pd.Index(joined.to_numpy(dtype=object))
        return index

    prev_key = key(earlier)
    unique = ~prev_key.duplicated(keep="first")
    earlier = earlier.loc[unique]
    pos = prev_key[unique].get_indexer(key(current))
    found = pos >= 0
    out = current.reset_index(drop=True).copy()
    take = np.where(found, pos, 0)
    for col in earlier.columns:
        if col in LOCATION_COLUMNS or col == "peiljaar":
            continue
        values = earlier[col].iloc[take].reset_index(drop=True)
        out[f"vorig.{col}"] = values.where(pd.Series(found))
    return out


def _groups(
    frame: pd.DataFrame, per: Sequence[str], where: str, expected: Sequence[str] = ()
) -> tuple[np.ndarray, pd.DataFrame]:
    """Group code per record and a table of the groups (their ``per`` values and label).

    ``expected`` groups without any record are added (measured on zero records: a count of
    0, a share unknown), so that a party or year missing from the data is never passed over.
    """
    if not per:
        labels = pd.DataFrame({"groep": ["totaal"]})
        return np.zeros(len(frame), dtype=np.int64), labels
    missing = [p for p in per if p not in frame.columns]
    if missing:
        shown = sorted(c for c in map(str, frame.columns) if c not in LOCATION_COLUMNS)
        raise ConfigError(
            f"{where}: `per` noemt kolom(men) {missing} die niet bestaan; kolommen: {shown}"
        )
    # factorize each column (hash, linear), then combine the integer codes: no per-row text
    combined = np.zeros(len(frame), dtype=np.int64)
    levels: list[np.ndarray] = []
    for p in per:
        col = frame[p]
        if pd.api.types.is_float_dtype(col) and (col.dropna() % 1 == 0).all():
            col = col.astype("Int64")
        codes_p, uniques = pd.factorize(col, use_na_sentinel=True)
        names = np.array([str(u) for u in uniques] + ["(leeg)"], dtype=object)
        codes_p = np.where(codes_p < 0, len(uniques), codes_p)
        combined = combined * len(names) + codes_p
        levels.append(names)
    inverse, uniq = pd.factorize(combined)
    table = pd.DataFrame(index=range(len(uniq)))
    rest = uniq.copy()
    parts_rev = []
    for names in reversed(levels):
        parts_rev.append(names[rest % len(names)])
        rest = rest // len(names)
    parts = list(reversed(parts_rev))
    for p, values in zip(per, parts, strict=True):
        table[p] = values
    table.insert(
        0,
        "groep",
        parts[0] if len(parts) == 1 else [" | ".join(t) for t in zip(*parts, strict=True)],
    )
    order = np.argsort(table["groep"].to_numpy(dtype=str), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    table = table.iloc[order].reset_index(drop=True)
    codes = rank[inverse].astype(np.int64)
    extra = [g for g in expected if g not in set(table["groep"])]
    if extra:
        table = pd.concat([table, pd.DataFrame({"groep": extra, per[0]: extra})], ignore_index=True)
    return codes, table


def _frame(
    pop: Population,
    data: Mapping[str, pd.DataFrame | None],
    per: Sequence[str],
    *,
    ignore: bool,
    where: str,
    expected: Sequence[str] = (),
) -> tuple[Frame, pd.DataFrame, np.ndarray]:
    raw = data.get(pop.dataset)
    if raw is None:
        raise _NoData(f"geen gegevens: dataset {pop.dataset!r} ontbreekt")
    if len(raw) == 0:
        raise _NoData(f"dataset {pop.dataset!r} heeft geen records")
    frame = _select(pop, raw, where).reset_index(drop=True)
    codes, table = _groups(frame, per, where, expected)
    n = len(frame)
    sure = np.ones(n, dtype=bool)
    maybe = np.zeros(n, dtype=bool)
    if pop.filter is not None:
        v = pop.filter.evaluate(Frame.of(frame))
        if v.kind != "bool":
            raise ConfigError(f"{where}, filter: {pop.filter.source!r} is geen voorwaarde")
        sure = v.values.astype(bool) & v.known
        maybe = ~v.known & (not ignore)
    groups = np.where(sure, codes, -1)
    maybe_groups = np.where(maybe, codes, -1)
    return Frame(frame, groups, len(table), maybe_groups, ignore), table, sure


def _status(d_lo: np.ndarray, d_hi: np.ndarray, how: str, marge: float) -> np.ndarray:
    """Status per group from the interval of measured - norm (monotone in it)."""

    def one(d: np.ndarray) -> np.ndarray:
        eps = 1e-9
        band = marge > 0  # without a marge there is no orange band
        if how in (">=", ">"):
            ok = d >= -eps if how == ">=" else d > eps
            near = (d >= -marge - eps) & band
        else:
            ok = d <= eps if how == "<=" else d < -eps
            near = (d <= marge + eps) & band
        return np.where(ok, "groen", np.where(near, "oranje", "rood"))

    lo, hi = one(d_lo), one(d_hi)
    unknown = np.isnan(d_lo) | np.isnan(d_hi) | (lo != hi)
    return np.where(unknown, "onbekend", lo)


def _norm_interval(
    norm: float | Expr | Mapping[str, float],
    rule: Rule,
    data: Mapping[str, pd.DataFrame | None],
    table: pd.DataFrame,
    *,
    whole: bool,
    where: str,
) -> Interval:
    g = len(table)
    if isinstance(norm, Mapping):
        vals = np.array([norm.get(str(label), np.nan) for label in table["groep"]], dtype=float)
        return Interval(vals, vals.copy())
    if not isinstance(norm, Expr):
        return Interval.point(float(norm), g)
    constants: dict[str, Interval] = {}
    if rule.referentiejaar is not None:
        ref_pop = _reference(rule.population, rule.referentiejaar)
        constants["referentie"] = _measure_on(
            rule.meting, ref_pop, rule, data, table, whole=whole, where=where
        )
    if not norm.has_aggregate():
        empty = np.zeros(0, np.int64)
        return norm.measure(Frame(pd.DataFrame(), empty, g, empty, constants=constants))
    source = rule.norm_bron or (
        _reference(rule.population, rule.referentiejaar)
        if rule.referentiejaar is not None
        else rule.population
    )
    return _measure_on(
        norm, source, rule, data, table, whole=whole, where=where, constants=constants
    )


def _reference(pop: Population, year: int) -> Population:
    if pop.peiljaar is not None:
        return Population(pop.dataset, pop.filter, pop.van, pop.tot, year, None)
    return Population(pop.dataset, pop.filter, year, year, None, None)


def _measure_on(
    expr: Expr,
    pop: Population,
    rule: Rule,
    data: Mapping[str, pd.DataFrame | None],
    table: pd.DataFrame,
    *,
    whole: bool,
    where: str,
    constants: Mapping[str, Interval] | None = None,
) -> Interval:
    """Measure ``expr`` on another population, aligned with the groups of ``table``."""
    g = len(table)
    per = () if whole else rule.per
    try:
        frame, other, _ = _frame(pop, data, per, ignore=rule.ontbrekend == "negeren", where=where)
    except _NoData:
        return Interval(np.full(g, np.nan), np.full(g, np.nan))
    frame = Frame(
        frame.data,
        frame.groups,
        frame.n_groups,
        frame.maybe,
        frame.ignore_missing,
        constants=_realign(constants or {}, table, other),
    )
    measured = expr.measure(frame)
    pos = pd.Index(other["groep"]).get_indexer(table["groep"])
    lo = np.where(pos >= 0, measured.lo[np.maximum(pos, 0)], np.nan)
    hi = np.where(pos >= 0, measured.hi[np.maximum(pos, 0)], np.nan)
    return Interval(lo, hi)


def _realign(
    constants: Mapping[str, Interval], table: pd.DataFrame, other: pd.DataFrame
) -> dict[str, Interval]:
    pos = pd.Index(table["groep"]).get_indexer(other["groep"])
    out = {}
    for name, iv in constants.items():
        out[name] = Interval(
            np.where(pos >= 0, iv.lo[np.maximum(pos, 0)], np.nan) if len(iv.lo) else iv.lo,
            np.where(pos >= 0, iv.hi[np.maximum(pos, 0)], np.nan) if len(iv.hi) else iv.hi,
        )
    return out


def _cumulate(iv: Interval, table: pd.DataFrame, per: Sequence[str]) -> Interval:
    """Running totals along the last ``per`` column, within the other ``per`` values."""
    order_key = table[per[-1]]
    numeric = pd.to_numeric(order_key, errors="coerce")
    key = numeric if numeric.notna().all() else order_key
    rest = [table[p] for p in per[:-1]]
    frame = pd.DataFrame({"lo": iv.lo, "hi": iv.hi, "k": key.to_numpy()})
    frame["g"] = (
        pd.Series([" | ".join(t) for t in zip(*[r.astype(str) for r in rest], strict=True)])
        if rest
        else ""
    )
    frame = frame.sort_values(["g", "k"])
    lo = frame.groupby("g")["lo"].cumsum().reindex(range(len(table))).to_numpy()
    hi = frame.groupby("g")["hi"].cumsum().reindex(range(len(table))).to_numpy()
    return Interval(lo, hi)


def _judge(m: Interval, n: Interval, rule: Rule) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return _status(m.lo - n.hi, m.hi - n.lo, rule.vergelijking, rule.marge)


def _evidence(
    rule: Rule, frame: Frame, sure: np.ndarray, bad_groups: np.ndarray
) -> pd.DataFrame | None:
    """Offending records of the non-green groups (see the module docs)."""
    expr: Expr | None = rule.bewijs
    flip = False
    if expr is None:
        first = rule.meting.first_aggregate()
        if first is None or first[1] is None or first[0] not in ("aantal", "aandeel"):
            return None
        expr = rule.meting.sub(first[1])
        flip = rule.vergelijking in (">=", ">")  # too few: the records that do not count
    v = expr.evaluate(frame)
    hit = v.values.astype(bool) & v.known
    offending = (~hit if flip else hit) | ~v.known
    in_bad = np.isin(frame.groups, np.flatnonzero(bad_groups)) & sure
    mask = offending & in_bad
    cols = [c for c in frame.data.columns if c not in LOCATION_COLUMNS]
    return pd.DataFrame(frame.data.loc[mask, cols]).reset_index(drop=True)


def evaluate_rule(rule: Rule, data: Mapping[str, pd.DataFrame | None]) -> RuleOutcome:
    """Evaluate one :class:`Rule` on the monitor datasets (name -> frame or ``None``).

    Examples
    --------
    >>> df = pd.DataFrame({"corporatie": ["A", "A", "B"], "passend": ["ja", "nee", "ja"]})
    >>> rule = rule_from_dict({"id": "r", "dataset": "t", "meting": "aandeel(passend)",
    ...                        "norm": 0.9, "per": "corporatie"}, datasets=["t"])
    >>> out = evaluate_rule(rule, {"t": df})
    >>> out.status, out.groups["status"].tolist()
    ('rood', ['rood', 'groen'])
    """
    where = f"afspraak {rule.id!r}"
    try:
        frame, table, sure = _frame(
            rule.population,
            data,
            rule.per,
            ignore=rule.ontbrekend == "negeren",
            where=where,
            expected=rule.expected_groups(),
        )
    except _NoData as exc:
        return _unknown(str(exc))
    measured = rule.meting.measure(frame)
    if rule.cumulatief:
        measured = _cumulate(measured, table, rule.per)
    norm = _norm_interval(rule.norm, rule, data, table, whole=False, where=where)
    statuses = _judge(measured, norm, rule)
    share = rule.is_share()
    groups = table.assign(
        gemeten_laag=measured.lo,
        gemeten_hoog=measured.hi,
        norm_laag=norm.lo,
        norm_hoog=norm.hi,
        status=statuses,
        gemeten=[
            describe_interval(a, b, share=share)
            for a, b in zip(measured.lo, measured.hi, strict=True)
        ],
    )
    n_in = int(sure.sum())
    n_maybe = int((frame.maybe >= 0).sum())
    pop = rule.population.label()
    note = f"{pop}: {n_in} records" + (
        f" (+{n_maybe} onzeker door ontbrekende gegevens)" if n_maybe else ""
    )
    if rule.totaal == "geheel":
        whole_frame = Frame(
            frame.data,
            np.where(frame.groups >= 0, 0, -1),
            1,
            np.where(frame.maybe >= 0, 0, -1),
            frame.ignore_missing,
        )
        whole_table = pd.DataFrame({"groep": ["totaal"]})
        m_all = rule.meting.measure(whole_frame)
        n_all = _norm_interval(
            rule.norm if rule.norm_totaal is None else rule.norm_totaal,
            rule,
            data,
            whole_table,
            whole=True,
            where=where,
        )
        status = str(_judge(m_all, n_all, rule)[0])
        lo, hi = float(m_all.lo[0]), float(m_all.hi[0])
        shown = describe_interval(float(n_all.lo[0]), float(n_all.hi[0]), share=share)
        note += f"; totaal {describe_interval(lo, hi, share=share)} tegen norm {shown}"
    else:
        status = worst(list(statuses))
        lo, hi = (
            (float(measured.lo[0]), float(measured.hi[0]))
            if len(table) == 1
            else (math.nan, math.nan)
        )
        if len(table) == 1:
            shown = describe_interval(float(norm.lo[0]), float(norm.hi[0]), share=share)
            note += f"; gemeten {describe_interval(lo, hi, share=share)}, norm {shown}"
    if rule.per:
        counts = pd.Series(statuses).value_counts()
        note += (
            "; per "
            + "/".join(rule.per)
            + ": "
            + ", ".join(
                f"{int(counts.get(s, 0))} {s}"
                for s in ("groen", "oranje", "rood", "onbekend")
                if counts.get(s, 0)
            )
        )
    if status == "onbekend" and lo != hi and not math.isnan(lo):
        note += " (ontbrekende gegevens laten meer dan één kleur toe)"
    bad = statuses != "groen"
    records = _evidence(rule, frame, sure, bad) if status != "groen" else None
    n_bad = (
        int(bad.sum())
        if rule.per
        else (None if status == "groen" else len(records) if records is not None else None)
    )
    gemeten = lo if lo == hi else math.nan
    return RuleOutcome(status, gemeten, note, 0 if status == "groen" else n_bad, records, groups)


def evaluate_deadline(
    rule: Deadline, data: Mapping[str, pd.DataFrame | None], *, peildatum: dt.date
) -> RuleOutcome:
    """Judge the actions of a :class:`Deadline` against the monitor date ``peildatum``.

    Examples
    --------
    >>> acts = pd.DataFrame({"id": ["a", "b"], "deadline": pd.to_datetime(["2022-06-30",
    ...     "2023-03-01"]), "datum_gereed": pd.to_datetime([None, None])})
    >>> d = deadline_from_dict({"id": "t", "signaal_dagen": 90}, datasets=["acties"])
    >>> out = evaluate_deadline(d, {"acties": acts}, peildatum=dt.date(2023, 1, 1))
    >>> out.status
    'rood'
    >>> out.records["reden"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['te laat: termijn 2022-06-30 verstreken, niet gereed',
     'binnenkort: termijn 2023-03-01, niet gereed']
    """
    where = f"afspraak {rule.id!r}"
    pop = Population(rule.dataset, rule.filter)
    try:
        frame, table, sure = _frame(pop, data, rule.per, ignore=False, where=where)
    except _NoData as exc:
        return _unknown(str(exc))
    acts = frame.data.loc[sure]
    if acts.empty:
        return _unknown(
            f"geen acties in {rule.dataset!r} voor deze afspraak"
            + (f" ({rule.filter.source})" if rule.filter else "")
        )
    for col in ("deadline", "datum_gereed"):
        if col not in acts.columns and not (col == "deadline" and rule.deadline):
            return _unknown(f"kolom {col!r} ontbreekt in {rule.dataset!r}")
    due = (
        pd.Series(pd.Timestamp(rule.deadline), index=acts.index)
        if rule.deadline is not None
        else pd.to_datetime(acts["deadline"], errors="coerce")
    )
    done = pd.to_datetime(acts["datum_gereed"], errors="coerce")
    if "status" in acts.columns:
        said_done = (
            acts["status"]
            .astype("string")
            .str.casefold()
            .isin(["gereed", "afgerond", "klaar", "uitgevoerd"])
        )
        done_unknown_date = said_done.fillna(False) & done.isna()
    else:
        done_unknown_date = pd.Series(False, index=acts.index)
    today = pd.Timestamp(peildatum)
    soon = today + pd.Timedelta(days=rule.signaal_dagen)
    status = pd.Series("groen", index=acts.index, dtype=object)
    reason = pd.Series("", index=acts.index, dtype=object)
    day = due.dt.strftime("%Y-%m-%d")
    open_ = done.isna() & ~done_unknown_date
    late_done = done.notna() & due.notna() & (done > due)
    rules_ = [
        (due.isna(), "onbekend", "geen termijn"),
        (
            open_ & due.notna() & (due < today),
            "rood",
            "te laat: termijn " + day + " verstreken, niet gereed",
        ),
        (
            open_ & due.notna() & (due >= today) & (due <= soon),
            "oranje",
            "binnenkort: termijn " + day + ", niet gereed",
        ),
        (
            late_done,
            "oranje",
            "gereed op " + done.dt.strftime("%Y-%m-%d").fillna("") + ", na de termijn " + day,
        ),
        (done_unknown_date & due.notna() & (due < today), "onbekend", "gereed gemeld zonder datum"),
    ]
    assigned = pd.Series(False, index=acts.index)
    for mask, st, why in rules_:
        m = mask.fillna(False).astype(bool) & ~assigned
        status[m] = st
        reason[m] = why if isinstance(why, str) else pd.Series(why)[m]
        assigned |= m
    codes = frame.groups[sure]
    per_group = pd.Series(status.to_numpy()).groupby(codes).agg(lambda s: worst(list(s)))
    groups = table.assign(status=per_group.reindex(range(len(table))).fillna("onbekend").to_numpy())
    overall = worst(list(status))
    counts = status.value_counts()
    note = f"{len(acts)} actie(s) op {peildatum.isoformat()}: " + ", ".join(
        f"{int(counts.get(s, 0))} {s}"
        for s in ("groen", "oranje", "rood", "onbekend")
        if counts.get(s, 0)
    )
    bad = (status != "groen").to_numpy()
    cols = [c for c in acts.columns if c not in LOCATION_COLUMNS]
    records = acts.loc[bad, cols].assign(reden=reason[bad].to_numpy()).reset_index(drop=True)
    return RuleOutcome(
        overall, float(int(bad.sum())), note, int(bad.sum()), records if bad.any() else None, groups
    )
