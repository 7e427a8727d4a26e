"""What it takes: the smallest weight change that moves a buurt across the top-*k* cut.

For a weighted sum the score of buurt *i* is linear in the weight shares ``w``:
``s_i(w) = 100 · u_i · w``. Buurt *i* is in the top *k* exactly when at most ``k - 1``
other buurten rank before it, and out of it when at least ``k`` do. "Before" means a higher
score (equal scores are ordered by buurtcode; here a margin ``EPS`` on the share scale makes
the change strict, so the result holds whatever the tie order). So the question is not one
LP per competitor but a choice of *which* competitors to pass, a small mixed-integer
programme (:func:`scipy.optimize.milp`, HiGHS):

minimise ``Σ|w - w0|`` (L1, as ``p + q`` with ``w = w0 + p - q``) subject to ``w`` in the
allowed weight set (:mod:`geoprestatie.weightspace`) and, to get *in*, for every competitor
*j* either ``(u_i - u_j) · w >= EPS`` or the binary ``z_j = 1`` (it may stay before *i*),
with ``Σ z_j <= k - 1`` (big-M: ``M_j = max_c (u_j - u_i)_c + EPS``, the most *j* can lead by on
the simplex). To get *out*: ``y_j = 1`` forces ``(u_j - u_i) · w >= EPS`` and ``Σ y_j >= k``.
Competitors that can never (or always) pass *i* are settled before the solver sees them:
first within a small L1 ball around ``w0``, doubled while it holds no solution (see
:func:`smallest_change`), so with 15,000 buurten the programme has a handful of binaries,
not thousands.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["EPS", "Change", "sentence", "smallest_change"]

Array = NDArray[np.float64]
EPS = 1e-5  # share scale: 0.001 score points; well above HiGHS' integrality tolerance
_TIME_LIMIT = 10.0  # seconds per programme


@dataclass(frozen=True)
class Change:
    """The result for one buurt: ``into`` (it is outside and moves in) or out.

    ``weights`` is ``None`` when no allowed weighting crosses the cut (``reason`` says why).
    """

    into: bool
    weights: Array | None
    l1: float
    reason: str = ""


def _settle(lead: Array, radius: float, *, inside: bool) -> tuple[int, NDArray[np.bool_]]:
    """Competitors settled within L1 ``radius`` of ``w0``: (count always before, the rest).

    ``lead`` holds ``(u_j - u_i)`` and, in its last column, ``(u_j - u_i) · w0``. Within
    the ball ``j``'s lead moves by at most ``radius / 2 · (max_c - min_c) (u_j - u_i)_c``
    (shift ``radius / 2`` of share from its weakest to its strongest criterion), and on the
    simplex it stays between its smallest and largest component.
    """
    at0, crit = lead[:, -1], lead[:, :-1]
    lo, hi = crit.min(axis=1), crit.max(axis=1)
    reach = radius / 2 * (hi - lo)
    lo, hi = np.maximum(lo, at0 - reach), np.minimum(hi, at0 + reach)
    if inside:  # before i: lead >= EPS somewhere (y_j may be 1), everywhere (always)
        always, can = lo >= EPS, hi >= EPS
    else:  # before i unless lead <= -EPS: can stay before, must stay before
        always, can = lo > -EPS, hi > -EPS
    return int(always.sum()), can & ~always


def _ball_milp(
    cand: Array, w0: Array, g: Array, h: Array, need: int, radius: float, *, inside: bool
) -> tuple[int, Array | None]:
    """The mixed-integer programme (see the module docstring) within L1 ``radius``."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    m, c_n = w0.size, cand.shape[0]
    big = np.abs(cand).max(axis=1) + 2 * EPS if c_n else np.zeros(0)
    nvar = 2 * m + c_n
    pq = np.r_[np.ones(2 * m), np.zeros(c_n)]
    rows = [
        LinearConstraint(np.hstack([g, -g, np.zeros((g.shape[0], c_n))]), -np.inf, h - g @ w0),
        LinearConstraint(np.r_[np.ones(m), -np.ones(m), np.zeros(c_n)][None, :], 0.0, 0.0),
        LinearConstraint(pq[None, :], -np.inf, radius),
    ]
    if c_n:
        count = np.r_[np.zeros(2 * m), np.ones(c_n)][None, :]
        if inside:  # y_j = 1: (u_j - u_i)·(w0 + p - q) >= EPS, else free (big-M)
            a = np.hstack([cand, -cand, -np.diag(big)])
            rows += [
                LinearConstraint(a, EPS - cand @ w0 - big, np.inf),
                LinearConstraint(count, need),
            ]
        else:  # z_j = 0: (u_i - u_j)·w >= EPS, i.e. -(lead)·w >= EPS
            a = np.hstack([-cand, cand, np.diag(big)])
            rows += [LinearConstraint(a, EPS + cand @ w0, np.inf), LinearConstraint(count, ub=need)]
    res = milp(
        pq,
        constraints=rows,
        integrality=np.r_[np.zeros(2 * m), np.ones(c_n)],
        bounds=Bounds(np.zeros(nvar), np.ones(nvar)),
        options={"time_limit": _TIME_LIMIT, "mip_rel_gap": 1e-6},
    )
    return int(res.status), (None if res.x is None else np.asarray(res.x[:m] - res.x[m : 2 * m]))


def smallest_change(
    u: Array, i: int, w0: Array, g: Array, h: Array, *, k: int, inside: bool
) -> Change:
    """Smallest L1 change of the shares ``w0`` (within ``g w <= h``) that moves row ``i``
    of ``u`` into the top ``k`` (``inside = False``) or out of it (``inside = True``).

    Exact and fast for many rows: the programme is first solved within a small L1 ball
    around ``w0`` (only the competitors that can change sides within it get a binary),
    and the ball is doubled while that has no solution. A solution within a ball is the
    global optimum: every better change lies in the same ball, where the restricted
    programme is exact. Radius 2 spans the whole simplex.

    Examples
    --------
    Three buurten on two criteria, top 1, chosen weights (0.7, 0.3): A = (1, 0) scores 70,
    B = (0, 1) 30, C = (0.45, 0.45) 45. B gets first when ``w_b > 0.5``: 20 points from a
    to b (L1 = 0.4).

    >>> u = np.array([[1.0, 0.0], [0.0, 1.0], [0.45, 0.45]])
    >>> g = np.vstack([-np.eye(2), np.eye(2)]); h = np.r_[0, 0, 1, 1.0]
    >>> ch = smallest_change(u, 1, np.array([0.7, 0.3]), g, h, k=1, inside=False)
    >>> ch.weights.round(4).tolist(), round(ch.l1, 4)
    ([0.5, 0.5], 0.4)
    >>> smallest_change(u, 2, np.array([0.7, 0.3]), g, h, k=1, inside=False).reason
    'kan bij geen enkele toegestane weging in de top 1 komen'
    """
    others = np.delete(np.arange(u.shape[0]), i)
    lead = u[others] - u[i]  # (u_j - u_i): j's lead per criterion
    lead = np.hstack([lead, (lead @ w0)[:, None]])
    radius, status, delta = _first_radius(lead, k, inside=inside), 2, None
    while status == 2:  # 2: infeasible within the ball
        always, movable = _settle(lead, radius, inside=inside)
        need = k - always if inside else k - 1 - always
        if (need <= movable.sum()) if inside else (need >= 0):
            cand = lead[movable, :-1]
            status, delta = _ball_milp(cand, w0, g, h, need, radius, inside=inside)
        if status == 2 and radius >= 2.0:
            break
        radius = min(2.0, 1.5 * radius)
    if status != 0 or delta is None:  # 2: infeasible; 1: time limit
        why = f"blijft bij elke toegestane weging in de top {k}" if inside else _never(k)
        if status != 2:
            why = f"niet bepaald binnen de rekentijd ({_TIME_LIMIT:g} s)"
        return Change(not inside, None, np.nan, why)
    w = w0 + delta
    s = u @ w
    ahead = int((s[others] > s[i] + EPS / 2).sum())
    if (ahead >= k) != inside:  # a big-M solution within the solver's tolerances only
        return Change(not inside, None, np.nan, "niet bepaald (numerieke marge van de solver)")
    return Change(not inside, np.asarray(w, dtype=np.float64), float(np.abs(delta).sum()))


def _first_radius(lead: Array, k: int, *, inside: bool) -> float:
    """A lower bound on the L1 change (the ``need``-th smallest single pass), at least 1e-3.

    Passing competitor ``j`` moves its lead ``(u_j - u_i) · w`` across ``±EPS``, at a rate
    of at most half its criterion range per unit of L1; at least ``need`` must pass.
    """
    at0, span = lead[:, -1], np.ptp(lead[:, :-1], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        if inside:  # not before i yet, must get before it
            dist = np.where(at0 < EPS, 2 * (EPS - at0) / span, np.inf)
            need = k - int((at0 >= EPS).sum())
        else:  # before i now, must fall behind
            dist = np.where(at0 > -EPS, 2 * (at0 + EPS) / span, np.inf)
            need = int((at0 > -EPS).sum()) - (k - 1)
    dist = np.nan_to_num(dist, nan=np.inf)
    if need <= 0:
        return 1e-3
    if need > dist.size or not np.isfinite(np.partition(dist, need - 1)[need - 1]):
        return 2.0
    return float(min(2.0, max(1e-3, np.partition(dist, need - 1)[need - 1])))


def _never(k: int) -> str:
    return f"kan bij geen enkele toegestane weging in de top {k} komen"


def _pp(x: float) -> str:
    v = abs(x) * 100
    text = f"{v:.0f}" if v >= 1 else f"{v:.1f}"
    return text.replace(".", ",")


def sentence(change: Change, w0: Array, labels: list[str], *, k: int) -> str:
    """One Dutch sentence: which criteria weigh more (and at whose cost).

    Examples
    --------
    >>> ch = Change(True, np.array([0.56, 0.14, 0.3]), 0.12)
    >>> sentence(ch, np.array([0.5, 0.2, 0.3]), ["leefbaarheid", "warmte", "verkoop"], k=10)
    'Komt in de top 10 als leefbaarheid 6 procentpunt zwaarder weegt (ten koste van warmte)'
    """
    if change.weights is None:
        return change.reason[:1].upper() + change.reason[1:]
    delta = change.weights - w0
    up = [j for j in np.argsort(-delta) if delta[j] >= 0.0005]
    down = [j for j in np.argsort(delta) if delta[j] <= -0.0005]
    head = f"Komt in de top {k}" if change.into else f"Valt uit de top {k}"
    if not up:
        return f"{head} bij een zeer kleine verschuiving van de gewichten"
    more = " en ".join(f"{labels[j]} {_pp(delta[j])} procentpunt" for j in up[:2])
    verb = "zwaarder wegen" if len(up[:2]) > 1 else "zwaarder weegt"
    cost = ", ".join(labels[j] for j in down[:3])
    return f"{head} als {more} {verb}" + (f" (ten koste van {cost})" if cost else "")
