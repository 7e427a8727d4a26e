"""What it takes: the smallest weight change that moves a buurt across the top-*k* cut.

For a weighted sum the score of buurt *i* is linear in the weight shares ``w``:
``s_i(w) = 100 · u_i · w``. Buurt *i* is in the top *k* exactly when at most ``k - 1``
other buurten rank before it, and out of it when at least ``k`` do. "Before" means a higher
score (equal scores are ordered by buurtcode; here a margin ``EPS`` on the share scale makes
the change strict, so the result holds whatever the tie order). Both questions have one
form: per competitor *j* a row ``a_j`` (``u_i - u_j`` to get in, ``u_j - u_i`` to get out)
and "at least ``need`` rows satisfy ``a_j · w >= EPS``" (``need = n - k`` to get in: all
but ``k - 1`` passed; ``need = k`` to get out). Minimise ``Σ|w - w0|`` (L1) with ``w`` in
the allowed weight set ``g w <= h`` (:mod:`geoprestatie.weightspace`).

Exact, and fast at national size:

1. **An upper bound** from moves of weight between two criteria (the vertices of the L1 ball
   in the plane ``Σ w = 1`` are such moves): along each move every row is linear, so the
   first point where ``need`` rows hold is an order statistic of the crossing points,
   vectorised over the competitors and the ``m (m - 1)`` moves, within the allowed set.
2. **A lower bound**: the ``need``-th smallest L1 that satisfies one row on its own
   (``2 (EPS - a_j · w0) / (max a_j - min a_j)``). When it reaches the upper bound, the move
   of step 1 is the answer.
3. **A growing L1 ball** around ``w0``, from the lower bound up to the upper bound (x 1.5):
   within radius ``r``, ``a_j · w`` lies in ``a_j · w0 ± r/2 · (max a_j - min a_j)`` (and in
   ``[min a_j, max a_j]``, the simplex), so rows that hold (or fail) over that whole range
   are settled; the few whose sign can change get a binary in a small mixed-integer
   programme (:func:`scipy.optimize.milp`, HiGHS) with ``Σ(p + q) <= r`` and a tight big-M
   (``EPS -`` the lowest ``a_j · w`` within ``r``). A solution within a ball is the global
   optimum: every better change lies in the same ball, where the programme is exact. A ball
   without a solution raises the lower bound to its radius.

When the time limit (for the whole search) is reached before optimality is proven, the
result is marked ``exact=False``: ``l1`` is then the smallest change *found* (an upper
bound, from step 1 or the solver's incumbent) and ``lower`` the proven lower bound;
:func:`sentence` says so. It is never reported as the smallest.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["EPS", "Change", "sentence", "smallest_change", "smallest_changes"]

Array = NDArray[np.float64]
EPS = 1e-5  # share scale: 0.001 score points; well above HiGHS' integrality tolerance
_SIMPLEX_L1 = 2.0  # the largest L1 distance between two points of the simplex


@dataclass(frozen=True)
class Change:
    """The result for one buurt: ``into`` (it is outside and moves in) or out.

    ``weights`` is ``None`` when no allowed weighting crosses the cut (``reason`` says why).
    ``exact`` is ``False`` when the search stopped at its time limit: ``l1`` is then the
    smallest change *found* (an upper bound) and ``lower`` a proven lower bound.
    """

    into: bool
    weights: Array | None
    l1: float
    reason: str = ""
    exact: bool = True
    lower: float = math.nan


@dataclass(frozen=True)
class _Rows:
    """The competitors' rows ``a`` (satisfied when ``a · w >= EPS``) and how many must hold."""

    a: Array
    need: int


def _rows(u: Array, i: int, *, k: int, inside: bool) -> _Rows:
    lead = np.delete(u, i, axis=0) - u[i]  # (u_j - u_i): j's lead per criterion
    if inside:  # out: k others must get strictly before i
        return _Rows(lead, k)
    return _Rows(-lead, u.shape[0] - k)  # in: all but k - 1 others passed


def smallest_change(
    u: Array,
    i: int,
    w0: Array,
    g: Array,
    h: Array,
    *,
    k: int,
    inside: bool,
    time_limit: float = 10.0,
) -> Change:
    """Smallest L1 change of the shares ``w0`` (within ``g w <= h``) that moves row ``i``
    of ``u`` into the top ``k`` (``inside = False``) or out of it (``inside = True``).

    ``time_limit`` (seconds) bounds the whole search; when it runs out before the smallest
    change is proven, the best change found is returned with ``exact=False``.

    Examples
    --------
    Three buurten on two criteria, top 1, chosen weights (0.7, 0.3): A = (1, 0) scores 70,
    B = (0, 1) 30, C = (0.45, 0.45) 45. B gets first when ``w_b > 0.5``: 20 points from a
    to b (L1 = 0.4).

    >>> u = np.array([[1.0, 0.0], [0.0, 1.0], [0.45, 0.45]])
    >>> g = np.vstack([-np.eye(2), np.eye(2)]); h = np.r_[0, 0, 1, 1.0]
    >>> ch = smallest_change(u, 1, np.array([0.7, 0.3]), g, h, k=1, inside=False)
    >>> ch.weights.round(4).tolist(), round(ch.l1, 4), ch.exact
    ([0.5, 0.5], 0.4, True)
    >>> smallest_change(u, 2, np.array([0.7, 0.3]), g, h, k=1, inside=False).reason
    'kan bij geen enkele toegestane weging in de top 1 komen'
    """
    rows = _rows(u, i, k=k, inside=inside)
    if rows.need > rows.a.shape[0]:  # fewer than k others: i stays in
        return Change(False, None, math.nan, _always(k))
    lower = _lower_bound(rows.a, w0, rows.need)
    found = _pair_moves(rows, w0, g, h, start=lower / 2)
    top = found[1] if found is not None else _SIMPLEX_L1
    if found is not None and lower >= top - 1e-12:
        return _verified(u, i, found[0], w0, k=k, inside=inside)
    search = _Search(u, i, rows, w0, g, h, k, inside, time.monotonic() + time_limit)
    radius = min(top, max(lower, 1e-3))
    while True:
        done = search.ball(radius, found, lower)
        if done is not None:
            return done
        lower = radius  # no change within this ball: the smallest is larger
        if radius >= top and found is not None:  # its own ball: only by rounding
            return search.out_of_time(found, None, lower, timed=False)
        if radius >= top:  # the whole simplex
            return Change(not inside, None, math.nan, _always(k) if inside else _never(k))
        if time.monotonic() >= search.deadline:
            return search.out_of_time(found, None, lower, timed=True)
        radius = min(top, 1.5 * radius)


def smallest_changes(
    u: Array,
    questions: Sequence[tuple[int, bool]],
    w0: Array,
    g: Array,
    h: Array,
    *,
    k: int,
    time_limit: float = 10.0,
    workers: int | None = None,
) -> list[Change]:
    """:func:`smallest_change` for each ``(i, inside)`` in ``questions``, on ``workers``
    threads (default: the cores available, at most 4; HiGHS runs without the GIL).

    The answers do not depend on the number of threads (each question is solved alone).
    """
    if workers is None:
        workers = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
    workers = max(1, min(workers, len(questions)))

    def one(q: tuple[int, bool]) -> Change:
        return smallest_change(u, q[0], w0, g, h, k=k, inside=q[1], time_limit=time_limit)

    if workers == 1:
        return [one(q) for q in questions]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, questions))


def _reach(a: Array, w0: Array, radius: float) -> tuple[Array, Array]:
    """Lowest and highest ``a_j · w`` over the simplex within L1 ``radius`` of ``w0``."""
    v0 = a @ w0
    amin, amax = a.min(axis=1), a.max(axis=1)
    half = radius / 2 * (amax - amin)
    pad = 1e-12 * (1 + np.abs(a).max(axis=1))  # rounding of the products: stay conservative
    return np.maximum(v0 - half, amin) - pad, np.minimum(v0 + half, amax) + pad


def _lower_bound(a: Array, w0: Array, need: int) -> float:
    """The ``need``-th smallest L1 that satisfies one row on its own (in the plane)."""
    if need <= 0:
        return 0.0
    spread = a.max(axis=1) - a.min(axis=1)
    short = np.maximum(EPS - a @ w0, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        dist = np.where(short > 0, 2 * short / spread, 0.0)
    return float(np.partition(dist, need - 1)[need - 1])


def _pair_moves(
    rows: _Rows, w0: Array, g: Array, h: Array, *, start: float
) -> tuple[Array, float] | None:
    """The best move of weight from one criterion to another (``None``: none crosses).

    Along ``w0 + t (e_x - e_y)`` row *j* holds from its crossing point on (rising) or up to
    it (falling); the count is evaluated at every rising crossing point (sorted, with
    ``searchsorted``), and the first point where ``need`` rows hold is taken. Only rows
    crossing below a cap are sorted: the cap starts at ``start`` (a lower bound on ``t``,
    times 1.5) and doubles until some move crosses within it (then no move crosses earlier
    beyond it), and tightens to the best move found so far.
    """
    slack = h - g @ w0
    if (slack < -1e-9).any():  # w0 outside the allowed set: no moves from it
        return None
    v0 = rows.a @ w0
    if int((v0 >= EPS).sum()) >= rows.need:
        return w0.copy(), 0.0
    m = w0.size
    if m < 2:  # one criterion: its share is 1, nothing to move
        return None
    xs, ys = np.array([(x, y) for x in range(m) for y in range(m) if x != y]).T
    gd = g[:, xs] - g[:, ys]  # (constraints, moves): how each move uses each constraint's slack
    with np.errstate(divide="ignore", invalid="ignore"):
        reach = np.where(gd > 1e-12, np.maximum(slack, 0)[:, None] / gd, np.inf).min(axis=0)
    cap = min(max(1.5 * start, 1e-4), 1.0)  # start may be inf: a row no move can satisfy
    while True:  # only rows whose sign can change within L1 2 * cap take part
        lo, hi = _reach(rows.a, w0, 2 * cap)
        always = lo >= EPS
        open_ = (hi >= EPS) & ~always
        need = rows.need - int(always.sum())
        best = _best_move(rows.a[open_], v0[open_], need, xs, ys, np.minimum(reach, cap))
        if best is not None or cap >= 1.0:
            break
        cap *= 2
    if best is None:
        return None
    t, j = best
    w = w0.copy()
    w[xs[j]] += t
    w[ys[j]] -= t
    return w, 2 * t


def _best_move(
    a: Array, v0: Array, need: int, xs: NDArray[np.int_], ys: NDArray[np.int_], reach: Array
) -> tuple[float, int] | None:
    """The earliest crossing over the moves ``e_x - e_y`` (each within its ``reach``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = a[:, xs] - a[:, ys]  # (rows, moves)
        cross = (EPS - v0)[:, None] / slope  # slope 0: inf or NaN, never used
        # just past a rising crossing (the margin holds), just before a falling one
        cross = np.where(slope > 0, cross * (1 + 1e-9) + 1e-12, cross * (1 - 1e-9) - 1e-12)
    flat = ((slope == 0) & (v0 >= EPS)[:, None]).sum(axis=0)
    best: tuple[float, int] | None = None
    for j in range(xs.size):
        limit = min(float(reach[j]), 1.0, best[0] if best is not None else 1.0)
        t = _first_crossing(cross[:, j], slope[:, j], int(flat[j]), need, limit)
        if t is not None and (best is None or t < best[0]):
            best = (t, j)
    return best


def _first_crossing(cross: Array, slope: Array, flat: int, need: int, t_max: float) -> float | None:
    """The first ``t`` in ``[0, t_max]`` where ``need`` rows hold (``None``: there is none).

    Held throughout: ``flat`` rows, rising rows that already crossed, falling rows that
    cross after ``t_max``; only the rows crossing inside ``[0, t_max]`` are sorted.
    """
    rise, fall = slope > 0, slope < 0
    ups, downs = cross[rise], cross[fall]
    held = flat + int((ups <= 0).sum()) + int((downs >= t_max).sum())
    ups = np.sort(ups[(ups > 0) & (ups <= t_max)])
    downs = np.sort(downs[(downs >= 0) & (downs < t_max)])
    if held + ups.size < need:  # not even with every rising row inside
        return None
    ts = np.r_[0.0, ups]
    count = (
        held
        + np.searchsorted(ups, ts, side="right")
        + downs.size
        - np.searchsorted(downs, ts, side="left")
    )
    hit = np.flatnonzero(count >= need)
    return float(ts[hit[0]]) if hit.size else None


@dataclass(frozen=True)
class _Search:
    """One buurt's question, solved ball by ball (see the module docstring)."""

    u: Array
    i: int
    rows: _Rows
    w0: Array
    g: Array
    h: Array
    k: int
    inside: bool
    deadline: float

    def ball(self, radius: float, found: tuple[Array, float] | None, lower: float) -> Change | None:
        """The answer when the ball of ``radius`` holds one, else ``None`` (none there).

        ``lower`` is the lower bound proven so far (for an answer cut short by the time).
        """
        lo, hi = _reach(self.rows.a, self.w0, radius)
        always = lo >= EPS
        open_ = (hi >= EPS) & ~always
        need = self.rows.need - int(always.sum())
        if need > int(open_.sum()):  # settled without a solver: not enough rows can hold
            return None
        res = _milp(self.rows.a[open_], lo[open_], need, self.w0, self.g, self.h, radius,
                    max(self.deadline - time.monotonic(), 0.0))  # fmt: skip
        m = self.w0.size
        w = None if res.x is None else self.w0 + res.x[:m] - res.x[m : 2 * m]
        if w is not None and not _crosses(self.u, self.i, w, k=self.k, inside=self.inside):
            w = None  # a big-M solution within the solver's tolerances only
        if res.status == 0 and w is not None:
            return _verified(self.u, self.i, w, self.w0, k=self.k, inside=self.inside)
        if res.status == 2:
            return None
        bound = getattr(res, "mip_dual_bound", None)  # within the ball; outside it: > radius
        if bound is not None and math.isfinite(bound):
            lower = max(lower, min(float(bound), radius))
        return self.out_of_time(found, w, lower, timed=res.status == 1)

    def out_of_time(
        self, found: tuple[Array, float] | None, w: Array | None, lower: float, *, timed: bool
    ) -> Change:
        """The best change found so far, an upper bound (``exact=False``) unless ``lower``
        reaches it; ``timed``: the time ran out (else the solver gave up)."""
        into = not self.inside
        if found is not None and (w is None or _l1(w, self.w0) > found[1]):
            w = found[0]
        if w is None:
            text = "binnen de rekentijd" if timed else "(numerieke marge van de solver)"
            return Change(into, None, math.nan, f"niet bepaald {text}")
        l1 = _l1(w, self.w0)
        return Change(into, w, l1, exact=lower >= l1 - 1e-12, lower=max(lower, 0.0))


def _milp(
    a: Array, lo: Array, need: int, w0: Array, g: Array, h: Array, radius: float, limit: float
) -> Any:
    """The mixed-integer programme within L1 ``radius`` (``y_j = 1``: row *j* holds)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    c_n, m = a.shape
    big = EPS - lo + 1e-9  # y_j = 0 leaves a_j · w >= lo_j, true within the radius anyway
    pq = np.r_[np.ones(2 * m), np.zeros(c_n)]
    cons = [
        LinearConstraint(np.hstack([g, -g, np.zeros((g.shape[0], c_n))]), -np.inf, h - g @ w0),
        LinearConstraint(np.r_[np.ones(m), -np.ones(m), np.zeros(c_n)][None, :], 0.0, 0.0),
        LinearConstraint(pq[None, :], 0.0, radius * (1 + 1e-9) + 1e-12),
        LinearConstraint(np.hstack([a, -a, -np.diag(big)]), EPS - a @ w0 - big, np.inf),
        LinearConstraint(np.r_[np.zeros(2 * m), np.ones(c_n)][None, :], need, np.inf),
    ]
    return milp(
        pq,
        constraints=cons,
        integrality=np.r_[np.zeros(2 * m), np.ones(c_n)],
        bounds=Bounds(np.zeros(2 * m + c_n), np.ones(2 * m + c_n)),
        options={"time_limit": limit, "mip_rel_gap": 1e-6},
    )


def _l1(w: Array, w0: Array) -> float:
    return float(np.abs(w - w0).sum())


def _crosses(u: Array, i: int, w: Array, *, k: int, inside: bool) -> bool:
    """Whether ``w`` moves ``i`` across the cut whatever the tie order (half the margin)."""
    s = u @ w
    others = np.delete(s, i)
    if inside:  # out: at least k others clearly before i
        return int((others > s[i] + EPS / 2).sum()) >= k
    return int((others >= s[i] - EPS / 2).sum()) < k  # in: fewer than k level or before


def _verified(u: Array, i: int, w: Array, w0: Array, *, k: int, inside: bool) -> Change:
    w = np.asarray(w, dtype=np.float64)
    if not _crosses(u, i, w, k=k, inside=inside):
        return Change(not inside, None, math.nan, "niet bepaald (numerieke marge van de solver)")
    return Change(not inside, w, _l1(w, w0))


def _never(k: int) -> str:
    return f"kan bij geen enkele toegestane weging in de top {k} komen"


def _always(k: int) -> str:
    return f"blijft bij elke toegestane weging in de top {k}"


def _pp(x: float) -> str:
    v = abs(x) * 100
    text = f"{v:.0f}" if v >= 1 else f"{v:.1f}"
    return text.replace(".", ",")


def sentence(change: Change, w0: Array, labels: list[str], *, k: int) -> str:
    """One Dutch sentence: which criteria weigh more (and at whose cost).

    A change that is not proven the smallest (``exact=False``) says so.

    Examples
    --------
    >>> ch = Change(True, np.array([0.56, 0.14, 0.3]), 0.12)
    >>> sentence(ch, np.array([0.5, 0.2, 0.3]), ["leefbaarheid", "warmte", "verkoop"], k=10)
    'Komt in de top 10 als leefbaarheid 6 procentpunt zwaarder weegt (ten koste van warmte)'
    >>> bound = Change(True, np.array([0.56, 0.14, 0.3]), 0.12, exact=False, lower=0.08)
    >>> sentence(bound, np.array([0.5, 0.2, 0.3]), ["leefbaarheid", "warmte", "verkoop"],
    ...          k=10)  # doctest: +NORMALIZE_WHITESPACE
    'Komt in de top 10 als leefbaarheid 6 procentpunt zwaarder weegt (ten koste van warmte);
     een kleinere verschuiving is niet uitgesloten (rekentijd op; minstens 4 procentpunt
     verschuiven)'
    """
    if change.weights is None:
        return change.reason[:1].upper() + change.reason[1:]
    delta = change.weights - w0
    up = [j for j in np.argsort(-delta) if delta[j] >= 0.0005]
    down = [j for j in np.argsort(delta) if delta[j] <= -0.0005]
    head = f"Komt in de top {k}" if change.into else f"Valt uit de top {k}"
    if not up:
        text = f"{head} bij een zeer kleine verschuiving van de gewichten"
    else:
        more = " en ".join(f"{labels[j]} {_pp(delta[j])} procentpunt" for j in up[:2])
        verb = "zwaarder wegen" if len(up[:2]) > 1 else "zwaarder weegt"
        cost = ", ".join(labels[j] for j in down[:3])
        text = f"{head} als {more} {verb}" + (f" (ten koste van {cost})" if cost else "")
    if change.exact:
        return text
    least = (
        f"; minstens {_pp(change.lower / 2)} procentpunt verschuiven" if change.lower > 0 else ""
    )
    return f"{text}; een kleinere verschuiving is niet uitgesloten (rekentijd op{least})"
