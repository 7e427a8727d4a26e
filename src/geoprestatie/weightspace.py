"""Weight information for the SIA and sampling from the weights it allows (SMAA-2).

The board may know the weights exactly, only within intervals, only as an order of
importance, or not at all. :class:`WeightInfo` holds that information (the ``[sia.gewichten]``
table); :func:`weight_set` turns it into the *allowed weight set*: the weight shares
``w`` (``w >= 0``, ``sum(w) = 1``) that satisfy it, a polytope ``G w <= h`` on the simplex.
:func:`sample_weights` draws from it:

``exact`` (default)
    the chosen weights, perturbed by a Dirichlet draw with concentration ``w / spread**2``
    (``[sia.robustness] spread``): not SMAA, a sensitivity band around the chosen weights.
``geen``
    uniform on the simplex: ``Dirichlet(1, ..., 1)`` (exact).
``rangorde``
    ``w_a >= w_b >= ...`` in the order given. When the order names every criterion and no
    interval is given, exact: a uniform simplex draw sorted in decreasing order (the ordered
    simplex is one of the ``m!`` congruent pieces of the simplex). Otherwise hit-and-run.
``intervallen``
    per criterion ``min <= w_i <= max`` (shares; optionally with ``rangorde`` too), uniform
    on the constrained polytope by hit-and-run.

Hit-and-run (Smith 1984; for SMAA: Tervonen, Van Valkenhoef, Basturk and Postmus 2013): from
a point inside the polytope take a uniformly random direction in the plane ``sum(w) = 1``,
find the chord of the polytope along it and move to a uniform point on that chord. Its
stationary distribution is uniform on the polytope. Here many independent chains start at
the Chebyshev centre (found with :func:`scipy.optimize.linprog`), run ``100 m`` steps of
burn-in and then give one draw every ``10 m`` steps; all chains move at once (vectorised).
Coordinates that the constraints fix (``min = max``) are taken out first so the chains move
in the polytope's own dimension.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from geoprestatie.errors import ConfigError

__all__ = [
    "WEIGHT_METHODS",
    "WeightInfo",
    "WeightSet",
    "nearest_weights",
    "sample_weights",
    "weight_set",
]

Array = NDArray[np.float64]

#: Kinds of weight information by name (``[sia.gewichten] methode``).
WEIGHT_METHODS: tuple[str, ...] = ("exact", "geen", "intervallen", "rangorde")
_KEYS = ("methode", "intervallen", "rangorde")
_TOL = 1e-9


def _nl(v: float) -> str:
    return f"{v:g}".replace(".", ",")


@dataclass(frozen=True)
class WeightInfo:
    """What the board knows about the weights (``[sia.gewichten]``).

    Parameters
    ----------
    methode
        One of :data:`WEIGHT_METHODS`.
    intervallen
        ``(criterium, min, max)`` on the weight *share* (0-1), for ``intervallen``
        (and allowed with ``rangorde``).
    rangorde
        Criteria from most to least important (``w_a >= w_b >= ...``), for ``rangorde``
        (and allowed with ``intervallen``).

    Examples
    --------
    >>> info = WeightInfo.from_dict({"methode": "intervallen",
    ...     "intervallen": {"a": {"min": 0.2, "max": 0.5}}}, names=["a", "b"])
    >>> info.intervallen
    (('a', 0.2, 0.5),)
    >>> WeightInfo.from_dict({"methode": "intervallen", "rangorde": ["a"], "grens": 1},
    ...                      names=["a"])
    Traceback (most recent call last):
    ...
    geoprestatie.errors.ConfigError: `sia.gewichten` heeft onbekende sleutel(s) ['grens']; ...
    """

    methode: str = "exact"
    intervallen: tuple[tuple[str, float, float], ...] = ()
    rangorde: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.methode not in WEIGHT_METHODS:
            raise ConfigError(
                f"`sia.gewichten.methode` is {self.methode!r}; kies uit {list(WEIGHT_METHODS)}"
            )
        if self.methode == "intervallen" and not self.intervallen:
            raise ConfigError(
                "`sia.gewichten.methode` is 'intervallen' maar `sia.gewichten.intervallen` "
                "ontbreekt; geef per criterium min en/of max, bijv. "
                "[sia.gewichten.intervallen.leefbaarheid] min = 0.2"
            )
        if self.methode == "rangorde" and not self.rangorde:
            raise ConfigError(
                "`sia.gewichten.methode` is 'rangorde' maar `sia.gewichten.rangorde` ontbreekt; "
                "geef de criteria van belangrijk naar minder belangrijk, "
                'bijv. rangorde = ["a", "b"]'
            )
        if self.methode in ("exact", "geen") and (self.intervallen or self.rangorde):
            raise ConfigError(
                f"`sia.gewichten.methode` is {self.methode!r}: dan worden `intervallen` en "
                "`rangorde` niet gebruikt; kies methode 'intervallen' of 'rangorde' of laat ze weg"
            )
        doubles = sorted({n for n in self.rangorde if self.rangorde.count(n) > 1})
        if doubles:
            raise ConfigError(f"`sia.gewichten.rangorde` noemt {doubles} meer dan eens")
        for name, lo, hi in self.intervallen:
            where = f"sia.gewichten.intervallen.{name}"
            if not 0 <= lo <= 1 or not 0 <= hi <= 1:
                raise ConfigError(
                    f"`{where}`: min {_nl(lo)} en max {_nl(hi)} zijn aandelen van het totale "
                    "gewicht en moeten tussen 0 en 1 liggen"
                )
            if lo > hi:
                raise ConfigError(f"`{where}`: min {_nl(lo)} is groter dan max {_nl(hi)}")

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, names: Sequence[str]) -> WeightInfo:
        """Build from the ``[sia.gewichten]`` table; ``names`` are the criteria names."""
        if not isinstance(d, Mapping):
            raise ConfigError(f"`sia.gewichten` is {d!r}; verwacht een tabel (sleutel = waarde)")
        unknown = [k for k in d if k not in _KEYS]
        if unknown:
            raise ConfigError(
                f"`sia.gewichten` heeft onbekende sleutel(s) {unknown}; toegestaan: {list(_KEYS)}"
            )
        order = d.get("rangorde", [])
        if not isinstance(order, list) or not all(isinstance(n, str) for n in order):
            raise ConfigError(
                f"`sia.gewichten.rangorde` is {order!r}; verwacht een lijst criteriumnamen"
            )
        for n in order:
            if n not in names:
                raise ConfigError(
                    f"`sia.gewichten.rangorde` noemt {n!r}, maar dat criterium bestaat niet; "
                    f"criteria: {list(names)}"
                )
        bounds = d.get("intervallen", {})
        if not isinstance(bounds, Mapping):
            raise ConfigError(
                f"`sia.gewichten.intervallen` is {bounds!r}; verwacht per criterium een tabel "
                "met min en/of max"
            )
        rows = []
        for n, b in bounds.items():
            where = f"sia.gewichten.intervallen.{n}"
            if n not in names:
                raise ConfigError(
                    f"`{where}`: criterium {n!r} bestaat niet; criteria: {list(names)}"
                )
            if not isinstance(b, Mapping) or not b or any(k not in ("min", "max") for k in b):
                raise ConfigError(
                    f"`{where}` is {b!r}; verwacht een tabel met alleen `min` en/of `max`"
                )
            vals = []
            for key, default in (("min", 0.0), ("max", 1.0)):
                v = b.get(key, default)
                if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                    raise ConfigError(f"`{where}.{key}` is {v!r}; verwacht een getal (aandeel 0-1)")
                vals.append(float(v))
            rows.append((str(n), vals[0], vals[1]))
        return cls(
            methode=d.get("methode", "exact"), intervallen=tuple(rows), rangorde=tuple(order)
        )


@dataclass(frozen=True)
class WeightSet:
    """The allowed weight shares of the used criteria: ``G w <= h``, ``sum(w) = 1``.

    ``centre`` is the Chebyshev centre (an interior point); ``exact_order`` is set when the
    set is the ordered simplex (``rangorde`` over every criterion, no intervals).
    """

    info: WeightInfo
    names: tuple[str, ...]
    g: Array
    h: Array
    centre: Array
    exact_order: tuple[int, ...] | None


def _constraints(info: WeightInfo, names: Sequence[str]) -> tuple[Array, Array]:
    m = len(names)
    lo = np.zeros(m)
    hi = np.ones(m)
    pos = {n: i for i, n in enumerate(names)}
    for n, a, b in info.intervallen:
        if n in pos:
            lo[pos[n]], hi[pos[n]] = a, b
    eye = np.eye(m)
    rows = [-eye, eye]
    rhs = [-lo, hi]
    used_order = [pos[n] for n in info.rangorde if n in pos]
    for a, b in itertools.pairwise(used_order):
        row = np.zeros(m)
        row[b], row[a] = 1.0, -1.0  # w_b - w_a <= 0
        rows.append(row[None, :])
        rhs.append(np.zeros(1))
    return np.vstack(rows), np.concatenate(rhs)


def _explain_empty(info: WeightInfo, names: Sequence[str]) -> str:
    used = [(n, a, b) for n, a, b in info.intervallen if n in names]
    lo = sum(a for _, a, _ in used)
    hi = sum(b for _, _, b in used) + (len(names) - len(used))
    if lo > 1 + _TOL:
        return (
            f"de minima in `sia.gewichten.intervallen` tellen op tot {_nl(round(lo, 6))}, "
            "meer dan 1 (100 %); verlaag een of meer `min`"
        )
    if hi < 1 - _TOL:
        return (
            f"de maxima in `sia.gewichten.intervallen` tellen op tot {_nl(round(hi, 6))}, "
            "minder dan 1 (100 %); verhoog een of meer `max`"
        )
    return (
        "`sia.gewichten.intervallen` en `sia.gewichten.rangorde` spreken elkaar tegen "
        "(geen enkele gewichtsverdeling voldoet aan beide); verruim de intervallen of pas de "
        "rangorde aan"
    )


def weight_set(info: WeightInfo, names: Sequence[str]) -> WeightSet:
    """The allowed weight set for the used criteria ``names`` (skipped ones left out).

    Raises
    ------
    ConfigError
        The constraints leave no weights at all (names the keys to change).

    Examples
    --------
    >>> ws = weight_set(WeightInfo("intervallen", (("a", 0.5, 0.7),)), ["a", "b"])
    >>> ws.centre.round(3).tolist()
    [0.6, 0.4]
    >>> weight_set(WeightInfo("intervallen", (("a", 0.7, 1), ("b", 0.5, 1))), ["a", "b"])
    Traceback (most recent call last):
    ...
    geoprestatie.errors.ConfigError: `sia.gewichten`: de minima in ... tellen op tot 1,2, ...
    """
    from scipy.optimize import linprog

    m = len(names)
    g, h = _constraints(info, names)
    # Chebyshev centre within the plane sum(w) = 1: max r s.t. g_i w + r |P g_i| <= h_i
    proj = g - g.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(proj, axis=1)
    c = np.zeros(m + 1)
    c[-1] = -1.0
    a_ub = np.hstack([g, norms[:, None]])
    a_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
    res = linprog(c, A_ub=a_ub, b_ub=h, A_eq=a_eq, b_eq=[1.0], bounds=[(None, None)] * m + [(0, 1)])
    if res.status != 0:
        raise ConfigError(f"`sia.gewichten`: {_explain_empty(info, names)}")
    centre = np.clip(res.x[:m], 0.0, 1.0)
    centre = centre / centre.sum()
    exact = None
    if info.methode == "rangorde" and not info.intervallen and set(info.rangorde) >= set(names):
        pos = {n: i for i, n in enumerate(names)}
        exact = tuple(pos[n] for n in info.rangorde if n in pos)
    return WeightSet(info=info, names=tuple(names), g=g, h=h, centre=centre, exact_order=exact)


def _fixed_coordinates(ws: WeightSet) -> tuple[NDArray[np.bool_], Array]:
    """Coordinates the constraints pin to one value (per-coordinate LP range < tolerance)."""
    from scipy.optimize import linprog

    m = len(ws.names)
    fixed = np.zeros(m, dtype=bool)
    value = ws.centre.copy()
    for i in range(m):
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(m)
            c[i] = sign
            r = linprog(c, A_ub=ws.g, b_ub=ws.h, A_eq=np.ones((1, m)), b_eq=[1.0], bounds=(0, 1))
            ends.append(float(r.x[i]) if r.status == 0 else ws.centre[i])
        if abs(ends[0] - ends[1]) < 1e-9:
            fixed[i] = True
            value[i] = ends[0]
    return fixed, value


def _hit_and_run(ws: WeightSet, n: int, rng: np.random.Generator) -> Array:
    m = len(ws.names)
    fixed, value = _fixed_coordinates(ws)
    free = ~fixed
    k = int(free.sum())
    if k <= 1:  # the set is a single point
        return np.broadcast_to(value, (n, m)).copy()
    g = ws.g[:, free]
    h = ws.h - ws.g[:, fixed] @ value[fixed]
    keep = np.abs(g).sum(axis=1) > 0
    g, h = g[keep], h[keep]
    chains = min(n, 1000)
    burn, thin = 100 * k, 10 * k
    per_chain = math.ceil(n / chains)
    x = np.broadcast_to(ws.centre[free], (chains, k)).copy()
    out = np.empty((per_chain, chains, k))
    steps = burn + per_chain * thin
    for step in range(1, steps + 1):
        d = rng.standard_normal((chains, k))
        d -= d.mean(axis=1, keepdims=True)  # stay in the plane sum(w) = const
        gd = d @ g.T
        slack = np.maximum(h[None, :] - x @ g.T, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = slack / gd
        t_hi = np.where(gd > 1e-15, t, np.inf).min(axis=1)
        t_lo = np.where(gd < -1e-15, t, -np.inf).max(axis=1)
        x += (t_lo + (t_hi - t_lo) * rng.random(chains))[:, None] * d
        if step > burn and (step - burn) % thin == 0:
            out[(step - burn) // thin - 1] = x
    draws = np.empty((n, m))
    draws[:, fixed] = value[fixed]
    draws[:, free] = out.reshape(-1, k)[:n]
    draws = np.clip(draws, 0.0, None)
    return np.asarray(draws / draws.sum(axis=1, keepdims=True), dtype=np.float64)


def sample_weights(
    ws: WeightSet,
    chosen: Array,
    *,
    draws: int,
    spread: float,
    seed: int,
) -> Array:
    """``draws`` weight-share vectors (rows, summing to 1) from the allowed set.

    ``chosen`` are the chosen shares (used by ``exact``). Seeded: same seed, same draws.

    Examples
    --------
    >>> ws = weight_set(WeightInfo("rangorde", rangorde=("b", "a")), ["a", "b"])
    >>> w = sample_weights(ws, np.array([0.4, 0.6]), draws=1000, spread=0.1, seed=1)
    >>> bool((w[:, 1] >= w[:, 0]).all()), round(float(w[:, 1].mean()), 1)  # U(0.5, 1): 0.75
    (True, 0.7)
    """
    rng = np.random.default_rng(seed)
    m = len(ws.names)
    method = ws.info.methode
    if method == "exact":
        pos = chosen > 0
        out = np.zeros((draws, m))
        out[:, pos] = rng.dirichlet(chosen[pos] / spread**2, size=draws)
        return out
    if method == "geen" or ws.exact_order is not None:
        out = rng.dirichlet(np.ones(m), size=draws)
        if ws.exact_order is not None:
            ordered = -np.sort(-out, axis=1)
            out = np.empty_like(ordered)
            out[:, list(ws.exact_order)] = ordered
        return np.asarray(out, dtype=np.float64)
    return _hit_and_run(ws, draws, rng)


def contains(ws: WeightSet, w: Array, *, tol: float = 1e-9) -> bool:
    """Whether the shares ``w`` lie in the allowed set."""
    return bool(np.all(ws.g @ w <= ws.h + tol) and abs(w.sum() - 1) < 1e-6)


def nearest_weights(
    ws: WeightSet,
    w0: Array,
    a_ub: Array,
    b_ub: Array,
) -> Array | None:
    """The shares ``w`` in the allowed set closest to ``w0`` in L1 with ``a_ub w <= b_ub``.

    A linear programme: ``w = w0 + p - q``, ``p, q >= 0``, minimise ``sum(p + q)``.
    ``None`` when no allowed weights satisfy the extra constraints.
    """
    from scipy.optimize import linprog

    m = w0.size
    c = np.ones(2 * m)
    g = np.hstack([ws.g, -ws.g])
    a = np.vstack([g, np.hstack([a_ub, -a_ub])]) if a_ub.size else g
    b = np.concatenate([ws.h - ws.g @ w0, b_ub - a_ub @ w0]) if a_ub.size else ws.h - ws.g @ w0
    a_eq = np.hstack([np.ones((1, m)), -np.ones((1, m))])
    res = linprog(c, A_ub=a, b_ub=b, A_eq=a_eq, b_eq=[0.0], bounds=(0, None))
    if res.status != 0:
        return None
    return np.asarray(w0 + res.x[:m] - res.x[m:], dtype=np.float64)
