"""SIA: prioritise buurten with transparent, robust weights.

A *criterion* turns one column of the buurt table into an urgency between 0 (least urgent)
and 1 (most urgent) by a named normalisation; a named *method* combines the urgencies with
the weights into a score 0-100 whose per-criterion contributions (``bijdrage_<naam>``) add
up to the score. Eligibility filters and the missing-value policy decide which buurten are
ranked at all (``sia_geschikt``, with the Dutch reason in ``sia_reden``).

Robustness: the weights are perturbed by a seeded Dirichlet draw around the chosen weights;
per buurt the share of draws in which it is in the top *k* (``kans_top_k``), the 5th-95th
percentile of its rank (``rang_p05``, ``rang_p95``) and whether it is a robust priority
(``robuust``: in the top *k* in at least ``robustness.threshold`` of the draws).

Normalisations (all computed over the eligible buurten; 1 = most urgent):

``minmax``
    ``(x - min) / (max - min)``; reversed for ``direction = "lower"``.
``rank``
    percentile rank, ``(rank - 1) / (n - 1)`` with average ranks for ties.
``zscore``
    z-score clipped to ``[-clip, clip]`` and mapped linearly to ``[0, 1]``.
``classes``
    thresholds ``t1 < t2 < ... < tm``: the urgency is the share of thresholds reached
    (``x >= t`` for ``direction = "higher"``, ``x <= t`` for ``"lower"``).

A column that is constant over the eligible buurten does not discriminate: every buurt gets
the neutral urgency 0.5 (``minmax``, ``rank``, ``zscore``).

Missing values (``missing``): ``exclude`` (the buurt is not eligible), ``neutral`` (0.5),
``most_urgent`` (1), ``least_urgent`` (0).

Columns absent from the table: a criterion or filter with ``optional = true`` (all of the
default set) is skipped, and so is an optional criterion or filter without a value in any buurt; the
note is in ``result.attrs["sia_overgeslagen"]`` and a :class:`~geoprestatie.errors.DataWarning`
is emitted. In a criterion without ``optional = true`` (the default for user configs) an
unknown column, or a column without any value, is a :class:`~geoprestatie.errors.ConfigError`.
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geoprestatie import smaa, weightspace
from geoprestatie._validate import read_toml, rows_where
from geoprestatie.errors import ConfigError, DataWarning, InputError
from geoprestatie.weightspace import WeightInfo

__all__ = [
    "DIRECTIONS",
    "METHODS",
    "MISSING_POLICIES",
    "NORMALISATIONS",
    "Criterion",
    "EligibilityFilter",
    "RobustnessConfig",
    "SiaConfig",
    "default_config",
    "pairwise_frame",
    "prioritise",
    "read_sia_table",
    "robustness",
    "score",
    "weight_sweep",
    "what_it_takes",
]

Array = NDArray[np.float64]

DIRECTIONS: tuple[str, ...] = ("higher", "lower")
MISSING_POLICIES: tuple[str, ...] = ("exclude", "neutral", "most_urgent", "least_urgent")
_MISSING_FILL = {"neutral": 0.5, "most_urgent": 1.0, "least_urgent": 0.0}
_NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
DEFAULT_CRITERIA_TOML = Path(__file__).with_name("default_criteria.toml")


# --------------------------------------------------------------------------- config


def _check_keys(d: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
    if not isinstance(d, Mapping):
        raise ConfigError(f"`{where}` is {d!r} maar moet een tabel zijn (sleutel = waarde)")
    unknown = [k for k in d if k not in allowed]
    if unknown:
        raise ConfigError(
            f"`{where}` heeft onbekende sleutel(s) {unknown}; geldig zijn {list(allowed)}"
        )


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"`{key}` is {value!r} maar moet een getal zijn")
    if not math.isfinite(value):
        raise ConfigError(f"`{key}` is {value!r} maar moet een eindig getal zijn")
    return float(value)


def _choice(value: Any, key: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise ConfigError(f"`{key}` is {value!r} maar moet een van {list(allowed)} zijn")
    return str(value)


@dataclass(frozen=True)
class Criterion:
    """One SIA criterion: a column of the buurt table turned into an urgency 0-1.

    Parameters
    ----------
    name
        Identifier (lowercase, digits, ``_``); the contribution column is ``bijdrage_<name>``.
    label
        Dutch label shown to users, e.g. ``"Lage leefbaarheid"``.
    column
        Column of the buurt table.
    direction
        ``"higher"``: a higher value is more urgent; ``"lower"``: a lower value is.
    weight
        Non-negative weight (weights are used relative to their sum).
    normalisation
        A name in :data:`NORMALISATIONS`.
    missing
        Missing-value policy, one of :data:`MISSING_POLICIES`.
    thresholds
        Class thresholds for ``normalisation = "classes"`` (strictly increasing).
    clip
        Clip for ``normalisation = "zscore"`` (in standard deviations).
    optional
        Skip this criterion (with a note) if its column is absent or empty.
    """

    name: str
    label: str
    column: str
    direction: Literal["higher", "lower"]
    weight: float
    normalisation: str = "minmax"
    missing: str = "neutral"
    thresholds: tuple[float, ...] = ()
    clip: float = 2.5
    optional: bool = False

    def __post_init__(self) -> None:
        where = f"criteria.{self.name}"
        if not isinstance(self.name, str) or not _NAME_PATTERN.fullmatch(self.name):
            raise ConfigError(
                f"`criteria.name` is {self.name!r} maar moet bestaan uit kleine letters, cijfers "
                "en _, beginnend met een letter (het wordt de kolom bijdrage_<name>)"
            )
        for key in ("label", "column"):
            value = getattr(self, key)
            if not isinstance(value, str) or not value:
                raise ConfigError(f"`{where}.{key}` is {value!r} maar moet een tekst zijn")
        _choice(self.direction, f"{where}.direction", DIRECTIONS)
        weight = _number(self.weight, f"{where}.weight")
        if weight < 0:
            raise ConfigError(
                f"`{where}.weight` is {self.weight!r} maar moet >= 0 zijn (een negatief "
                "gewicht beloont het omgekeerde van het criterium; gebruik daarvoor direction)"
            )
        _choice(self.normalisation, f"{where}.normalisation", list(NORMALISATIONS))
        _choice(self.missing, f"{where}.missing", MISSING_POLICIES)
        ths = tuple(_number(t, f"{where}.thresholds") for t in self.thresholds)
        if self.normalisation == "classes":
            if not ths or any(b <= a for a, b in itertools.pairwise(ths)):
                raise ConfigError(
                    f"`{where}.thresholds` is {list(self.thresholds)!r} maar normalisation "
                    "'classes' vraagt minstens één grens, strikt oplopend"
                )
        elif ths:
            raise ConfigError(
                f"`{where}.thresholds` is opgegeven maar wordt alleen gebruikt bij "
                f"normalisation 'classes' (normalisation is {self.normalisation!r}); "
                "laat thresholds weg of kies 'classes'"
            )
        if _number(self.clip, f"{where}.clip") <= 0:
            raise ConfigError(f"`{where}.clip` is {self.clip!r} maar moet > 0 zijn")
        if not isinstance(self.optional, bool):
            raise ConfigError(
                f"`{where}.optional` is {self.optional!r} maar moet true of false zijn"
            )
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "thresholds", ths)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Criterion:
        """Build from a TOML table (the keys are the field names)."""
        allowed = [f.name for f in fields(cls)]
        _check_keys(d, allowed, f"criteria.{d.get('name', '?')}")
        required = ["name", "label", "column", "direction", "weight"]
        missing = [k for k in required if k not in d]
        if missing:
            raise ConfigError(
                f"`criteria.{d.get('name', '?')}` mist verplichte sleutel(s) {missing}; "
                f"verplicht zijn {required}"
            )
        kwargs = dict(d)
        if "thresholds" in kwargs:
            if not isinstance(kwargs["thresholds"], list | tuple):
                raise ConfigError(
                    f"`criteria.{d['name']}.thresholds` is {kwargs['thresholds']!r} maar moet "
                    "een lijst getallen zijn, bijv. [0.2, 0.5]"
                )
            kwargs["thresholds"] = tuple(kwargs["thresholds"])
        return cls(**kwargs)


@dataclass(frozen=True)
class EligibilityFilter:
    """A buurt is eligible only if ``min <= column <= max`` (each bound optional).

    A missing value fails the filter. ``label`` (Dutch) is used in the reason text.
    ``optional`` skips the filter with a note if the column is absent.
    """

    column: str
    min: float | None = None
    max: float | None = None
    label: str = ""
    optional: bool = False

    def __post_init__(self) -> None:
        where = f"eligibility.{self.column}"
        if not isinstance(self.column, str) or not self.column:
            raise ConfigError(
                f"`eligibility.column` is {self.column!r} maar moet een kolomnaam (tekst) zijn"
            )
        if self.min is None and self.max is None:
            raise ConfigError(f"`{where}` heeft `min`, `max` of allebei nodig")
        for key in ("min", "max"):
            value = getattr(self, key)
            if value is not None:
                object.__setattr__(self, key, _number(value, f"{where}.{key}"))
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ConfigError(f"`{where}`: min {self.min} is groter dan max {self.max}")
        if not self.label:
            object.__setattr__(self, "label", self.column)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> EligibilityFilter:
        """Build from a TOML table (keys ``column``, ``min``, ``max``, ``label``, ``optional``)."""
        _check_keys(d, [f.name for f in fields(cls)], "eligibility")
        if "column" not in d:
            raise ConfigError("`eligibility`: een tabel mist de verplichte sleutel 'column'")
        return cls(**d)


@dataclass(frozen=True)
class RobustnessConfig:
    """Monte Carlo perturbation of the weights.

    Parameters
    ----------
    draws
        Number of weight draws.
    spread
        Dirichlet spread: the concentration is ``1 / spread**2``, so a weight share ``w``
        varies with a standard deviation of about ``spread * sqrt(w * (1 - w))``.
    seed
        Seed of the random generator (same seed, same result).
    threshold
        A buurt is a robust priority (``robuust``) if it is in the top *k* in at least
        this share of the draws.
    """

    draws: int = 1000
    spread: float = 0.1
    seed: int = 20260101
    threshold: float = 0.8

    def __post_init__(self) -> None:
        if isinstance(self.draws, bool) or not isinstance(self.draws, int) or self.draws < 1:
            raise ConfigError(
                f"`robustness.draws` is {self.draws!r} maar moet een geheel getal >= 1 zijn"
            )
        smaa.check_draws(self.draws)  # one Dutch line: memory, time and the maximum
        if not 0 < _number(self.spread, "robustness.spread") < 1:
            raise ConfigError(
                f"`robustness.spread` is {self.spread!r} maar moet tussen 0 en 1 liggen "
                "(0 < spread < 1)"
            )
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ConfigError(
                f"`robustness.seed` is {self.seed!r} maar moet een geheel getal >= 0 zijn"
            )
        if not 0 < _number(self.threshold, "robustness.threshold") <= 1:
            raise ConfigError(
                f"`robustness.threshold` is {self.threshold!r} maar moet groter dan 0 en "
                "hoogstens 1 zijn (0,8 = in minstens 80 % van de trekkingen)"
            )

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RobustnessConfig:
        """Build from a TOML table (keys are the field names)."""
        _check_keys(d, [f.name for f in fields(cls)], "robustness")
        return cls(**d)


def read_sia_table(path: str | Path) -> dict[str, Any]:
    """The ``[sia]`` table of a TOML file, or the whole file without its ``[dia]`` table."""
    d = read_toml(Path(path), what="SIA criteria")
    return dict(d.get("sia", {k: v for k, v in d.items() if k != "dia"}))


@dataclass(frozen=True)
class SiaConfig:
    """Everything the SIA needs: criteria, method, eligibility, top *k*, robustness.

    Load it from TOML (:meth:`from_toml`), from a dict (:meth:`from_dict`), or take
    :func:`default_config`. The CLI and Python use the same object.

    Examples
    --------
    >>> cfg = SiaConfig.from_dict({
    ...     "method": "weighted_sum", "top_k": 3,
    ...     "criteria": [{"name": "efg", "label": "Aandeel E/F/G", "column": "aandeel_efg",
    ...                   "direction": "higher", "weight": 1}],
    ... })
    >>> cfg.criteria[0].normalisation, cfg.robustness.draws
    ('minmax', 1000)
    >>> SiaConfig.from_dict({"method": "ahp", "criteria": []})
    Traceback (most recent call last):
    ...
    geoprestatie.errors.ConfigError: `method` is 'ahp' maar moet een van [...] zijn
    """

    criteria: tuple[Criterion, ...]
    method: str = "weighted_sum"
    eligibility: tuple[EligibilityFilter, ...] = ()
    top_k: int = 10
    robustness: RobustnessConfig = field(default_factory=RobustnessConfig)
    gewichten: WeightInfo = field(default_factory=WeightInfo)

    def __post_init__(self) -> None:
        _choice(self.method, "method", list(METHODS))
        if isinstance(self.top_k, bool) or not isinstance(self.top_k, int) or self.top_k < 1:
            raise ConfigError(f"`top_k` is {self.top_k!r} maar moet een geheel getal >= 1 zijn")
        if not self.criteria:
            raise ConfigError("`criteria` is leeg; er is minstens één criterium nodig")
        names = [c.name for c in self.criteria]
        doubles = sorted({n for n in names if names.count(n) > 1})
        if doubles:
            raise ConfigError(
                f"`criteria`: elke name mag maar één keer voorkomen; dubbel: {doubles}"
            )
        if sum(c.weight for c in self.criteria) <= 0:
            raise ConfigError(
                "`criteria.weight` zijn allemaal 0 "
                f"({ {c.name: c.weight for c in self.criteria} }); "
                "geef minstens één criterium een gewicht > 0"
            )
        named = [n for n, _, _ in self.gewichten.intervallen] + list(self.gewichten.rangorde)
        unknown = sorted(set(named) - set(names))
        if unknown:
            raise ConfigError(
                f"`sia.gewichten` noemt criteria die niet bestaan: {unknown}; criteria: {names}"
            )

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SiaConfig:
        """Build from a dict shaped like the TOML table (see ``default_criteria.toml``)."""
        _check_keys(
            d, ["criteria", "method", "eligibility", "top_k", "robustness", "gewichten"], "sia"
        )
        crits = d.get("criteria", [])
        if not isinstance(crits, list):
            raise ConfigError(
                f"`criteria` is {crits!r} maar moet een lijst tabellen zijn ([[sia.criteria]])"
            )
        elig = d.get("eligibility", [])
        if not isinstance(elig, list):
            raise ConfigError(
                f"`eligibility` is {elig!r} maar moet een lijst tabellen zijn ([[sia.eligibility]])"
            )
        criteria = tuple(Criterion.from_dict(c) for c in crits)
        return cls(
            criteria=criteria,
            method=d.get("method", "weighted_sum"),
            eligibility=tuple(EligibilityFilter.from_dict(e) for e in elig),
            top_k=d.get("top_k", 10),
            robustness=RobustnessConfig.from_dict(d.get("robustness", {})),
            gewichten=WeightInfo.from_dict(
                d.get("gewichten", {}), names=[c.name for c in criteria]
            ),
        )

    @classmethod
    def from_toml(cls, path: str | Path, *, table: Mapping[str, Any] | None = None) -> SiaConfig:
        """Read a TOML file: its ``[sia]`` table if there is one, else the whole file
        (a ``[dia]`` table beside it is left to :class:`geoprestatie.dia.DiaConfig`).
        ``table``: that table, already read by :func:`read_sia_table` (errors name ``path``)."""
        path = Path(path)
        if table is None:
            table = read_sia_table(path)
        try:
            return cls.from_dict(table)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None

    @property
    def weights(self) -> dict[str, float]:
        """Weight share per criterion (summing to 1)."""
        total = sum(c.weight for c in self.criteria)
        return {c.name: c.weight / total for c in self.criteria}


def default_config() -> SiaConfig:
    """The documented default criteria set, read from the shipped ``default_criteria.toml``.

    Grounded in the agreements: low liveability (Leefbaarometer, 0.25), share of corporation
    stock (0.15), joint ownership by several corporations (0.10), share of E/F/G labels (0.20),
    heat transition starting by 2030 or 2035 (a chance to combine works, 0.10), planned sales
    (pressure on the buurt, 0.10) and the CBS socio-economic score (0.10). Eligible are
    buurten with at least 25 corporation dwellings. Every default criterion and filter is
    optional: a column the table lacks is skipped with a note.

    Examples
    --------
    >>> cfg = default_config()
    >>> [c.name for c in cfg.criteria]  # doctest: +NORMALIZE_WHITESPACE
    ['leefbaarheid', 'corporatiebezit', 'gezamenlijk_bezit', 'energielabel_efg',
     'warmtetransitie', 'verkoop', 'sociaal_economisch']
    >>> round(sum(cfg.weights.values()), 6)
    1.0
    """
    return SiaConfig.from_toml(DEFAULT_CRITERIA_TOML)


# --------------------------------------------------------------------------- registries


def _constant(x: Array) -> bool:
    v = x[~np.isnan(x)]
    return bool(v.size == 0 or np.ptp(v) == 0)


def _minmax(x: Array, higher: bool, crit: Criterion) -> Array:
    if _constant(x):
        return np.where(np.isnan(x), np.nan, 0.5)
    lo, hi = np.nanmin(x), np.nanmax(x)
    u = (x - lo) / (hi - lo)
    return u if higher else 1.0 - u


def _rank(x: Array, higher: bool, crit: Criterion) -> Array:
    from scipy.stats import rankdata

    if _constant(x):
        return np.where(np.isnan(x), np.nan, 0.5)
    ok = ~np.isnan(x)
    r = rankdata(x[ok] if higher else -x[ok], method="average")
    out = np.full(x.shape, np.nan)
    out[ok] = (r - 1.0) / (ok.sum() - 1.0)
    return out


def _zscore(x: Array, higher: bool, crit: Criterion) -> Array:
    sd = float(np.nanstd(x)) if not _constant(x) else 0.0
    if not sd > 0:  # constant, or a spread too small to represent (underflow)
        return np.where(np.isnan(x), np.nan, 0.5)
    z = (x - np.nanmean(x)) / sd
    if not higher:
        z = -z
    return np.asarray((np.clip(z, -crit.clip, crit.clip) + crit.clip) / (2.0 * crit.clip), float)


def _classes(x: Array, higher: bool, crit: Criterion) -> Array:
    t = np.asarray(crit.thresholds)
    with np.errstate(invalid="ignore"):
        reached = (x[:, None] >= t[None, :]) if higher else (x[:, None] <= t[None, :])
    u = reached.sum(axis=1) / t.size
    return np.where(np.isnan(x), np.nan, u)


#: Normalisations by name: ``f(values, higher_is_urgent, criterion) -> urgency 0-1 (NaN kept)``.
NORMALISATIONS: dict[str, Callable[[Array, bool, Criterion], Array]] = {
    "minmax": _minmax,
    "rank": _rank,
    "zscore": _zscore,
    "classes": _classes,
}


@dataclass(frozen=True)
class _Method:
    scores: Callable[[Array, Array], Array]  # (U n×m, W d×m shares) -> d×n scores 0-100
    contributions: Callable[[Array, Array], Array]  # (U n×m, w m shares) -> n×m


def _ws_scores(u: Array, w: Array) -> Array:
    return np.asarray(100.0 * (w @ u.T), dtype=np.float64)


def _ws_contributions(u: Array, w: Array) -> Array:
    return np.asarray(100.0 * u * w[None, :], dtype=np.float64)


def _topsis_scores(u: Array, w: Array) -> Array:
    w2 = w * w
    d_minus = np.sqrt(w2 @ (u * u).T)
    d_plus = np.sqrt(w2 @ ((1.0 - u) ** 2).T)
    total = d_minus + d_plus
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(total > 0, d_minus / total, 0.5)
    return np.asarray(100.0 * c, dtype=np.float64)


def _topsis_contributions(u: Array, w: Array) -> Array:
    s = _topsis_scores(u, w[None, :])[0]
    parts = (w * w)[None, :] * u * u
    tot = parts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(tot > 0, parts / tot, 0.0)
    return np.asarray(s[:, None] * share, dtype=np.float64)


#: Scoring methods by name. ``weighted_sum``: score = 100 · Σ wᵢuᵢ, contribution 100 · wᵢuᵢ.
#: ``topsis``: closeness 100 · d⁻/(d⁺ + d⁻) to the ideal (all urgencies 1) and anti-ideal
#: (all 0) in weighted urgency space; the score is attributed to the criteria in proportion
#: to their part of d⁻² (wᵢ²uᵢ²), so the contributions add up to the score.
METHODS: dict[str, _Method] = {
    "weighted_sum": _Method(_ws_scores, _ws_contributions),
    "topsis": _Method(_topsis_scores, _topsis_contributions),
}


# --------------------------------------------------------------------------- preparation


@dataclass(frozen=True)
class _Prepared:
    criteria: tuple[Criterion, ...]  # used criteria (skipped ones left out)
    weights: Array  # shares of the used criteria, sum 1
    u: Array  # urgency of eligible buurten, n_eligible × m
    eligible: NDArray[np.bool_]  # over all rows of the table
    reasons: list[str | None]
    codes: NDArray[Any]  # buurtcode of the eligible rows
    notes: list[str]


def _numeric(table: pd.DataFrame, column: str, what: str) -> Array:
    s = table[column]
    if not (pd.api.types.is_numeric_dtype(s) or s.isna().all()):
        raise ConfigError(
            f"`{what}` verwijst naar kolom {column!r}, maar die is niet numeriek "
            f"(type {s.dtype}); verwacht een kolom met getallen"
        )
    return np.asarray(pd.to_numeric(s).astype("Float64").to_numpy(na_value=np.nan), float)


def _fmt(v: float) -> str:
    return f"{v:g}".replace(".", ",")


def _prepare(table: pd.DataFrame, config: SiaConfig) -> _Prepared:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"`table` is een {type(table).__name__}; verwacht een (Geo)DataFrame")
    if "buurtcode" not in table.columns:
        raise ConfigError(
            "de buurttabel heeft geen kolom 'buurtcode'; gevonden kolommen: "
            f"{list(map(str, table.columns))}"
        )
    doubles = table["buurtcode"].duplicated(keep=False)
    if doubles.any():
        raise InputError(
            "buurtcode komt meer dan eens voor (verwacht één rij per buurt): "
            f"{sorted(set(table.loc[doubles, 'buurtcode'].astype(str)))[:10]}",
            source="buurttabel",
            column="buurtcode",
            rows=rows_where(doubles),
        )
    available = [str(c) for c in table.columns if c != "geometry"]
    notes: list[str] = []

    def absent(column: str, what: str, optional: bool) -> bool:
        if column in table.columns:
            return False
        if optional:
            notes.append(f"{what} overgeslagen: kolom {column!r} ontbreekt in de buurttabel")
            return True
        raise ConfigError(
            f"`{what}.column` is {column!r} maar die kolom staat niet in de buurttabel; "
            f"beschikbare kolommen: {available} (of zet optional = true)"
        )

    n = len(table)
    reasons: list[list[str]] = [[] for _ in range(n)]
    for f in config.eligibility:
        if absent(f.column, f"eligibility.{f.column}", f.optional):
            continue
        x = _numeric(table, f.column, f"eligibility.{f.column}")
        if f.optional and n and np.isnan(x).all():  # e.g. no corporation stock given
            notes.append(
                f"eligibility.{f.column} overgeslagen: kolom {f.column!r} heeft geen enkele waarde"
            )
            continue
        for i, v in enumerate(x):
            if np.isnan(v):
                reasons[i].append(f"{f.label} onbekend")
            elif f.min is not None and v < f.min:
                reasons[i].append(f"{f.label} {_fmt(v)} (minimaal {_fmt(f.min)})")
            elif f.max is not None and v > f.max:
                reasons[i].append(f"{f.label} {_fmt(v)} (maximaal {_fmt(f.max)})")

    used: list[Criterion] = []
    values: list[Array] = []
    for c in config.criteria:
        if absent(c.column, f"criteria.{c.name}", c.optional):
            continue
        x = _numeric(table, c.column, f"criteria.{c.name}")
        if n and np.isnan(x).all():
            if c.optional:
                notes.append(
                    f"criteria.{c.name} overgeslagen: kolom {c.column!r} heeft geen enkele waarde"
                )
                continue
            raise ConfigError(
                f"`criteria.{c.name}.column` is {c.column!r}, maar die kolom heeft geen enkele "
                "waarde; vul hem, haal het criterium weg of zet optional = true"
            )
        if c.missing == "exclude":
            for pos in np.flatnonzero(np.isnan(x)):
                reasons[pos].append(f"{c.label}: geen waarde")
        used.append(c)
        values.append(x)
    if not used:
        raise ConfigError(
            "geen enkel criterium is te gebruiken op deze buurttabel "
            f"({'; '.join(notes)}); beschikbare kolommen: {available}"
        )
    w = np.array([c.weight for c in used], dtype=float)
    if w.sum() <= 0:
        raise ConfigError(
            "de criteria die overblijven na het overslaan van ontbrekende kolommen hebben "
            f"allemaal gewicht 0 ({[c.name for c in used]}); geef er minstens één een gewicht > 0"
        )
    eligible = np.array([not r for r in reasons], dtype=bool)
    u = np.empty((int(eligible.sum()), len(used)))
    for j, (c, x) in enumerate(zip(used, values, strict=True)):
        col = NORMALISATIONS[c.normalisation](x[eligible], c.direction == "higher", c)
        fill = _MISSING_FILL.get(c.missing, np.nan)  # exclude: no NaN left among eligible
        u[:, j] = np.where(np.isnan(col), fill, col)
    codes = table["buurtcode"].astype("string").to_numpy(dtype=object)[eligible]
    return _Prepared(
        criteria=tuple(used),
        weights=w / w.sum(),
        u=u,
        eligible=eligible,
        reasons=["; ".join(r) if r else None for r in reasons],
        codes=codes,
        notes=notes,
    )


def _order(scores: Array, codes: NDArray[Any]) -> NDArray[np.intp]:
    """Positions from most to least urgent; equal scores ordered by buurtcode."""
    return np.lexsort((codes.astype(str), -np.round(scores, 9)))


def _warn_notes(notes: list[str]) -> None:
    for note in notes:
        warnings.warn(f"SIA: {note}", DataWarning, stacklevel=3)


# --------------------------------------------------------------------------- public


def score(table: pd.DataFrame, config: SiaConfig) -> pd.DataFrame:
    """Score, rank and explain every buurt.

    Parameters
    ----------
    table
        Buurt table (one row per buurt, ``buurtcode`` unique), a GeoDataFrame or DataFrame.
    config
        The criteria, method and eligibility.

    Returns
    -------
    A copy of ``table`` (same type and index) with ``sia_score`` (0-100), ``sia_rang``
    (1 = most urgent; ties ordered by buurtcode), ``sia_geschikt``, ``sia_reden`` (why not
    eligible) and ``bijdrage_<criterium>`` (the contributions, adding up to ``sia_score``).
    Not eligible buurten have no score, rank or contributions. ``attrs["sia_overgeslagen"]``
    lists skipped criteria, ``attrs["sia_gewichten"]`` the weight shares used.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"buurtcode": ["BU1", "BU2", "BU3"], "efg": [0.1, 0.5, 0.3],
    ...                   "leef": [4.0, 3.5, 4.5]})
    >>> cfg = SiaConfig.from_dict({"criteria": [
    ...     {"name": "efg", "label": "E/F/G", "column": "efg", "direction": "higher",
    ...      "weight": 3},
    ...     {"name": "leef", "label": "Leefbaarheid", "column": "leef", "direction": "lower",
    ...      "weight": 1}]})
    >>> score(t, cfg)[["buurtcode", "sia_score", "sia_rang", "bijdrage_efg", "bijdrage_leef"]]
      buurtcode  sia_score  sia_rang  bijdrage_efg  bijdrage_leef
    0       BU1       12.5         3           0.0           12.5
    1       BU2      100.0         1          75.0           25.0
    2       BU3       37.5         2          37.5            0.0
    """
    prep = _prepare(table, config)
    _warn_notes(prep.notes)
    method = METHODS[config.method]
    out = table.copy()
    n = len(table)
    idx = np.flatnonzero(prep.eligible)
    s = method.scores(prep.u, prep.weights[None, :])[0] if idx.size else np.empty(0)
    m = len(prep.criteria)
    contrib = method.contributions(prep.u, prep.weights) if idx.size else np.empty((0, m))
    full = np.full(n, np.nan)
    full[idx] = s
    out["sia_score"] = full
    rank = np.zeros(n, dtype=np.int64)
    rank[idx[_order(s, prep.codes)]] = np.arange(1, idx.size + 1)
    out["sia_rang"] = pd.array(np.where(prep.eligible, rank, 0), dtype="Int64")
    out.loc[~prep.eligible, "sia_rang"] = pd.NA
    out["sia_geschikt"] = prep.eligible
    out["sia_reden"] = pd.array(prep.reasons, dtype="string")
    for j, c in enumerate(prep.criteria):
        col = np.full(n, np.nan)
        col[idx] = contrib[:, j]
        out[f"bijdrage_{c.name}"] = col
    out.attrs["sia_overgeslagen"] = list(prep.notes)
    out.attrs["sia_gewichten"] = {
        c.name: float(w) for c, w in zip(prep.criteria, prep.weights, strict=True)
    }
    out.attrs["sia_methode"] = config.method
    if not idx.size:
        warnings.warn("SIA: geen enkele buurt is geschikt (zie sia_reden)", DataWarning, 2)
    return out


def _draw_weights(prep: _Prepared, config: SiaConfig) -> tuple[Array, weightspace.WeightSet]:
    """The weight draws from the allowed set (``[sia.gewichten]``) over the used criteria."""
    names = [c.name for c in prep.criteria]
    ws = weightspace.weight_set(config.gewichten, names)
    if config.gewichten.methode in ("intervallen", "rangorde") and not weightspace.contains(
        ws, prep.weights
    ):
        pairs = zip(names, prep.weights, strict=True)
        chosen = ", ".join(f"{n} {_fmt(round(w, 4))}" for n, w in pairs)
        raise ConfigError(
            "de gekozen gewichten (`criteria.weight`, als aandeel: "
            f"{chosen}) vallen buiten `sia.gewichten` ({config.gewichten.methode}); "
            "pas de gewichten of de intervallen/rangorde aan"
        )
    rob = config.robustness
    draws = weightspace.sample_weights(
        ws, prep.weights, draws=rob.draws, spread=rob.spread, seed=rob.seed
    )
    return draws, ws


def robustness(table: pd.DataFrame, config: SiaConfig) -> pd.DataFrame:
    """SMAA-2 robustness of the ranking over the allowed weights.

    The weight shares are drawn from the weights ``config.gewichten`` allows (see
    :mod:`geoprestatie.weightspace`: ``exact`` perturbs the chosen weights with a Dirichlet
    draw of ``spread``; ``geen``, ``intervallen`` and ``rangorde`` sample uniformly from the
    allowed set); each draw ranks the eligible buurten with ``config.method``
    (:func:`geoprestatie.smaa.simulate`: blocks of draws, one matrix product and an exact
    radix rank per draw, on all cores).

    Returns
    -------
    A DataFrame on the table's index with ``buurtcode``, ``kans_top_k`` (share of draws
    in the top ``config.top_k``), ``rang_p05`` and ``rang_p95`` (5th and 95th percentile of
    the rank; the lower and upper order statistic, so the interval is never too narrow),
    ``robuust`` (``kans_top_k >= robustness.threshold``), the rank acceptabilities
    ``kans_rang_1`` ... ``kans_rang_<top_k>`` (they add up to ``kans_top_k``), the central
    weights ``centraal_gewicht_<criterium>`` (mean weight shares of the draws in which the
    buurt is first; NA when it never is) and ``betrouwbaarheid`` (the SMAA-2 confidence
    factor: whether its central weights put it first, 1 or 0; NA without central weights).
    Not eligible buurten: NA / False. ``attrs["paarsgewijs"]``: the pairwise winning indices
    of the ``2 * top_k`` buurten most often in the top *k* (see :func:`pairwise_frame`).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"buurtcode": ["BU1", "BU2", "BU3"], "a": [1.0, 0.0, 0.5],
    ...                   "b": [1.0, 0.55, 0.0]})
    >>> cfg = SiaConfig.from_dict({"top_k": 1, "criteria": [
    ...     {"name": "a", "label": "A", "column": "a", "direction": "higher", "weight": 1},
    ...     {"name": "b", "label": "B", "column": "b", "direction": "higher", "weight": 1}]})
    >>> rob = robustness(t, cfg)
    >>> rob[["buurtcode", "kans_top_k", "rang_p05", "rang_p95", "robuust"]]
      buurtcode  kans_top_k  rang_p05  rang_p95  robuust
    0       BU1         1.0         1         1     True
    1       BU2         0.0         2         3    False
    2       BU3         0.0         2         3    False
    >>> rob[["kans_rang_1", "centraal_gewicht_a", "betrouwbaarheid"]].round(2)
       kans_rang_1  centraal_gewicht_a  betrouwbaarheid
    0          1.0                 0.5              1.0
    1          0.0                 NaN              NaN
    2          0.0                 NaN              NaN
    """
    prep = _prepare(table, config)
    return _robustness(table, prep, config)


def _smaa_columns(
    n: int,
    rows: NDArray[np.intp],
    counts: smaa.SmaaCounts,
    u_sorted: Array,
    config: SiaConfig,
    criteria: tuple[Criterion, ...],
) -> dict[str, Any]:
    d = max(counts.draws, 1)
    cols: dict[str, Any] = {}
    kans = np.full(n, np.nan)
    kans[rows] = counts.in_top / d
    cols["kans_top_k"] = kans
    for name, values in (("rang_p05", counts.rank_p05), ("rang_p95", counts.rank_p95)):
        full = pd.array([pd.NA] * n, dtype="Int64")
        full[rows] = values
        cols[name] = full
    cols["robuust"] = np.nan_to_num(kans, nan=0.0) >= config.robustness.threshold
    k_used = counts.rank_counts.shape[1]
    for r in range(1, config.top_k + 1):
        col = np.full(n, np.nan)
        col[rows] = counts.rank_counts[:, r - 1] / d if r <= k_used else 0.0
        cols[f"kans_rang_{r}"] = col
    central = counts.central_weights
    for j, c in enumerate(criteria):
        col = np.full(n, np.nan)
        col[rows] = central[:, j]
        cols[f"centraal_gewicht_{c.name}"] = col
    cf = np.full(n, np.nan)
    cf[rows] = smaa.confidence_factors(u_sorted, central, METHODS[config.method].scores)
    cols["betrouwbaarheid"] = cf
    return cols


class _Shared(tuple):  # type: ignore[type-arg]
    """A tuple that ``copy.deepcopy`` gives back as it is (it cannot change).

    pandas deep-copies a frame's ``attrs`` in every operation that makes a new frame; the
    pairwise table in them (2k x 2k floats) made each column access cost ~1.5 ms (0.5 s of
    ``prioritise`` at 14,000 buurten). It stays a tuple: ``json.dumps`` (``to_parquet``)
    and pickle take it as before.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> _Shared:
        return self


def _robustness(table: pd.DataFrame, prep: _Prepared, config: SiaConfig) -> pd.DataFrame:
    n = len(table)
    idx = np.flatnonzero(prep.eligible)
    k = min(config.top_k, int(idx.size))
    pairs: dict[str, Any] = {"buurtcodes": [], "kans_voor": []}
    if idx.size:
        draws, _ = _draw_weights(prep, config)
        perm = np.argsort(prep.codes.astype(str), kind="stable")
        u_sorted = prep.u[perm]  # equal scores: the earlier buurtcode first
        counts = smaa.simulate(
            u_sorted,
            draws,
            top_k=k,
            scores=METHODS[config.method].scores,
            linear=config.method == "weighted_sum",
            pairwise=2 * k,
        )
        rows = idx[perm]
        cols = _smaa_columns(n, rows, counts, u_sorted, config, prep.criteria)
        codes = prep.codes[perm][counts.pairwise_rows]
        pairs = {
            "buurtcodes": _Shared(str(c) for c in codes),
            "kans_voor": _Shared(tuple(row) for row in counts.pairwise.tolist()),
        }
    else:
        empty = smaa.SmaaCounts(
            draws=0,
            rank_counts=np.zeros((0, 1), dtype=np.int64),
            rank_p05=np.zeros(0, dtype=np.int64),
            rank_p95=np.zeros(0, dtype=np.int64),
            first_weights=np.zeros((0, len(prep.criteria))),
            pairwise_rows=np.zeros(0, dtype=np.intp),
            pairwise=np.zeros((0, 0)),
        )
        cols = _smaa_columns(n, np.zeros(0, dtype=np.intp), empty, prep.u, config, prep.criteria)
    out = pd.DataFrame({"buurtcode": table["buurtcode"].to_numpy(), **cols}, index=table.index)
    out.attrs["top_k"] = k
    out.attrs["draws"] = config.robustness.draws
    out.attrs["gewichten_methode"] = config.gewichten.methode
    out.attrs["paarsgewijs"] = pairs
    return out


def pairwise_frame(prioritised: pd.DataFrame) -> pd.DataFrame:
    """The pairwise winning indices of :func:`robustness` as a long table (for ``intern/``).

    Returns
    -------
    One row per ordered pair of the compared buurten: ``buurtcode``, ``andere_buurtcode``,
    ``kans_voor`` (share of draws in which ``buurtcode`` ranks before the other).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"buurtcode": ["BU1", "BU2"], "a": [1.0, 0.0], "b": [0.0, 1.0]})
    >>> cfg = SiaConfig.from_dict({"top_k": 1, "gewichten": {"methode": "geen"},
    ...     "robustness": {"draws": 4000}, "criteria": [
    ...     {"name": "a", "label": "A", "column": "a", "direction": "higher", "weight": 1},
    ...     {"name": "b", "label": "B", "column": "b", "direction": "higher", "weight": 1}]})
    >>> pairwise_frame(robustness(t, cfg)).round(1)
      buurtcode andere_buurtcode  kans_voor
    0       BU1              BU2        0.5
    1       BU2              BU1        0.5
    """
    pairs = prioritised.attrs.get("paarsgewijs", {"buurtcodes": [], "kans_voor": []})
    codes = list(pairs["buurtcodes"])
    rows = [
        {"buurtcode": a, "andere_buurtcode": b, "kans_voor": float(pairs["kans_voor"][i][j])}
        for i, a in enumerate(codes)
        for j, b in enumerate(codes)
        if i != j
    ]
    return pd.DataFrame(rows, columns=["buurtcode", "andere_buurtcode", "kans_voor"])


def what_it_takes(table: pd.DataFrame, config: SiaConfig, *, around: int = 5) -> pd.DataFrame:
    """What it takes to cross the top-*k* cut, for the buurten ranked ``k - around`` ...
    ``k + around`` (:mod:`geoprestatie.whatif`; only for ``method = "weighted_sum"``).

    Returns
    -------
    A DataFrame on the table's index with ``buurtcode``, ``wat_nodig_l1`` (the smallest
    L1 change of the weight shares, within ``[sia.gewichten]``, that moves the buurt into
    the top *k* (ranked below it) or out of it (ranked in it): moving 6 percentage points
    from one criterion to another is 0.12) and ``wat_nodig_tekst`` (one Dutch sentence).
    NA for the other buurten. Exact; only when the search runs out of time (10 s per buurt)
    is ``wat_nodig_l1`` the smallest change *found*, and the sentence says a smaller one is
    not excluded. The buurten are solved on parallel threads.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"buurtcode": ["BU1", "BU2", "BU3"], "a": [1.0, 0.0, 0.45],
    ...                   "b": [0.0, 1.0, 0.45]})
    >>> cfg = SiaConfig.from_dict({"top_k": 1, "criteria": [
    ...     {"name": "a", "label": "A", "column": "a", "direction": "higher", "weight": 7},
    ...     {"name": "b", "label": "B", "column": "b", "direction": "higher", "weight": 3}]})
    >>> w = what_it_takes(t, cfg)
    >>> w["wat_nodig_l1"].round(2).tolist()
    [0.4, 0.4, nan]
    >>> w["wat_nodig_tekst"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['Valt uit de top 1 als B 20 procentpunt zwaarder weegt (ten koste van A)',
     'Komt in de top 1 als B 20 procentpunt zwaarder weegt (ten koste van A)',
     'Kan bij geen enkele toegestane weging in de top 1 komen']
    """
    prep = _prepare(table, config)
    out = _what_it_takes(score(table, config), prep, config, around=around)
    out.insert(0, "buurtcode", table["buurtcode"].to_numpy())
    return out


def _what_it_takes(
    scored: pd.DataFrame, prep: _Prepared, config: SiaConfig, *, around: int = 5
) -> pd.DataFrame:
    from geoprestatie import whatif

    n = len(scored)
    l1 = np.full(n, np.nan)
    text: list[str | None] = [None] * n
    idx = np.flatnonzero(prep.eligible)
    k = min(config.top_k, idx.size)
    rank = scored["sia_rang"].to_numpy(dtype=float, na_value=np.nan)
    near = [int(i) for i in idx if k - around <= rank[i] <= k + around] if k else []
    if near and config.method != "weighted_sum":
        for i in near:
            text[i] = "Niet berekend: alleen bij methode weighted_sum"
    elif near and k < idx.size:  # with every buurt in the top k there is no cut
        ws = weightspace.weight_set(config.gewichten, [c.name for c in prep.criteria])
        labels = [c.label for c in prep.criteria]
        where = {int(p): j for j, p in enumerate(idx)}
        questions = [(where[i], bool(rank[i] <= k)) for i in near]
        changes = whatif.smallest_changes(prep.u, questions, prep.weights, ws.g, ws.h, k=k)
        for i, ch in zip(near, changes, strict=True):
            l1[i] = ch.l1
            text[i] = whatif.sentence(ch, prep.weights, labels, k=k)
    return pd.DataFrame(
        {"wat_nodig_l1": l1, "wat_nodig_tekst": pd.array(text, dtype="string")},
        index=scored.index,
    )


def fit_top_k(config: SiaConfig, n_buurten: int) -> SiaConfig:
    """The config with ``top_k`` at most the number of buurten, said in a
    :class:`~geoprestatie.errors.DataWarning` when it was more (``top_k = 20`` for a
    gemeente of 15 buurten; a ``top_k`` of thousands made as many rank columns).

    Examples
    --------
    >>> import warnings
    >>> cfg = SiaConfig.from_dict({"top_k": 50, "criteria": [
    ...     {"name": "a", "label": "A", "column": "a", "direction": "higher", "weight": 1}]})
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     fit_top_k(cfg, 12).top_k
    12
    """
    if config.top_k <= max(n_buurten, 1):
        return config
    warnings.warn(
        f"SIA: [sia] top_k is {config.top_k} maar er zijn {n_buurten} buurten; de "
        f"prioriteitenlijst telt alle {n_buurten} buurten (top_k = {max(n_buurten, 1)})",
        DataWarning,
        stacklevel=2,
    )
    return replace(config, top_k=max(n_buurten, 1))


def prioritise(table: pd.DataFrame, config: SiaConfig) -> pd.DataFrame:
    """:func:`score`, :func:`robustness` and :func:`what_it_takes` in one frame (the SIA
    stage of the pipeline).

    Examples
    --------
    >>> from geoprestatie import datasets
    >>> import numpy as np
    >>> t = datasets.load_buurten("Amersfoort").merge(
    ...     datasets.load_indicators("Amersfoort").drop(columns=["buurtnaam", "gemeentenaam"]),
    ...     on="buurtcode")
    >>> cfg = SiaConfig.from_dict({"top_k": 5, "criteria": [
    ...     {"name": "leefbaarheid", "label": "Lage leefbaarheid",
    ...      "column": "leefbaarometer_score", "direction": "lower", "weight": 1,
    ...      "normalisation": "rank", "missing": "exclude"}]})
    >>> p = prioritise(t, cfg)
    >>> int(p["sia_geschikt"].sum()), int(p["robuust"].sum())
    (117, 5)
    """
    prep = _prepare(table, config)
    scored = score(table, config)
    rob = _robustness(table, prep, config).drop(columns="buurtcode")
    nodig = _what_it_takes(scored, prep, config)
    added = {**{c: rob[c] for c in rob.columns}, **{c: nodig[c] for c in nodig.columns}}
    out = scored.copy()
    for col in [c for c in added if c in out.columns]:
        out[col] = added.pop(col)
    if added:  # at once: a top_k of hundreds gives as many rank columns
        out = pd.concat([out, pd.DataFrame(added, index=out.index)], axis=1)
    out.attrs.update(scored.attrs)
    for key in ("top_k", "draws", "gewichten_methode", "paarsgewijs"):
        out.attrs[key] = rob.attrs[key]
    return out


def weight_sweep(
    table: pd.DataFrame,
    config: SiaConfig,
    *,
    factors: Sequence[float] = (0.0, 0.5, 1.5, 2.0),
) -> pd.DataFrame:
    """One-at-a-time weight sweep: multiply one criterion's weight, keep the others.

    For every used criterion and factor the weights are re-normalised and the eligible
    buurten re-ranked; the result says how the top *k* changes against the chosen weights.

    Returns
    -------
    One row per (criterion, factor): ``criterium``, ``label``, ``factor``, ``gewicht``
    (the criterion's weight share after the change), ``top_k_behouden`` (how many of the
    top *k* stay), ``erbij`` / ``eraf`` (buurtcodes entering / leaving the top *k*,
    comma-separated) and ``rangcorrelatie`` (Spearman correlation with the chosen ranking).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"buurtcode": ["BU1", "BU2", "BU3"], "a": [1.0, 0.0, 0.4],
    ...                   "b": [0.0, 1.0, 0.5]})
    >>> cfg = SiaConfig.from_dict({"top_k": 1, "criteria": [
    ...     {"name": "a", "label": "A", "column": "a", "direction": "higher", "weight": 2},
    ...     {"name": "b", "label": "B", "column": "b", "direction": "higher", "weight": 1}]})
    >>> sw = weight_sweep(t, cfg, factors=[0.0, 3.0])
    >>> sw.round(2)[["criterium", "factor", "gewicht", "top_k_behouden", "erbij", "eraf"]]
      criterium  factor  gewicht  top_k_behouden erbij eraf
    0         a     0.0     0.00               0   BU2  BU1
    1         a     3.0     0.86               1
    2         b     0.0     0.00               1
    3         b     3.0     0.60               0   BU2  BU1
    """
    from scipy.stats import spearmanr

    prep = _prepare(table, config)
    method = METHODS[config.method]
    if prep.u.shape[0] == 0:
        raise ConfigError(
            "geen enkele buurt is geschikt, dus er valt niets te variëren (zie sia_reden)"
        )
    k = min(config.top_k, prep.u.shape[0])
    base_scores = method.scores(prep.u, prep.weights[None, :])[0]
    base_top = set(prep.codes[_order(base_scores, prep.codes)[:k]])
    raw = np.array([c.weight for c in prep.criteria])
    rows: list[dict[str, Any]] = []
    for j, c in enumerate(prep.criteria):
        for f in factors:
            factor = _number(f, "factors")
            if factor < 0:
                raise ConfigError(f"`factors` bevat {f!r}; verwacht factoren >= 0")
            w = raw.copy()
            w[j] *= factor
            row: dict[str, Any] = {"criterium": c.name, "label": c.label, "factor": factor}
            if w.sum() <= 0:
                row.update(gewicht=np.nan, top_k_behouden=pd.NA, erbij="", eraf="")
                row["rangcorrelatie"] = np.nan
            else:
                w = w / w.sum()
                s = method.scores(prep.u, w[None, :])[0]
                top = set(prep.codes[_order(s, prep.codes)[:k]])
                corr = (
                    float(spearmanr(base_scores, s).statistic)
                    if s.size > 2 and not _constant(s) and not _constant(base_scores)
                    else np.nan
                )
                row.update(
                    gewicht=float(w[j]),
                    top_k_behouden=len(top & base_top),
                    erbij=", ".join(sorted(top - base_top)),
                    eraf=", ".join(sorted(base_top - top)),
                    rangcorrelatie=corr,
                )
            rows.append(row)
    out = pd.DataFrame(rows)
    out["top_k_behouden"] = out["top_k_behouden"].astype("Int64")
    return out
