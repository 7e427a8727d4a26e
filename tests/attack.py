"""An attacker's view of published tables: what can be derived about each hidden cell.

Independent of ``geoprestatie._suppression`` on purpose (the test must not reuse the code
it checks): given the published cells, the additive relations an attacker can write down
and what an attacker knows of each hidden cell (its sign; non-zero where other figures say
so), minimise and maximise each hidden cell with ``scipy.optimize.linprog``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import numpy as np
from scipy.optimize import linprog


def intervals(
    published: Mapping[Hashable, float | None],
    truth: Mapping[Hashable, float],
    relations: Iterable[tuple[Hashable, list[Hashable]]],
    *,
    nonzero_known: Iterable[Hashable] = (),
    nonpositive: Iterable[Hashable] = (),
) -> dict[Hashable, tuple[float, float]]:
    """Feasible interval of each hidden cell (``published[key] is None``).

    ``truth`` gives the sign of each cell (the attacker is assumed to know it); a zero
    counts as non-negative unless listed in ``nonpositive`` (removals).
    """
    hidden = sorted((k for k, v in published.items() if v is None), key=repr)
    pos = {k: i for i, k in enumerate(hidden)}
    nz = set(nonzero_known)
    neg = set(nonpositive)
    rows, rhs = [], []
    for total, parts in relations:
        coef = np.zeros(len(hidden))
        const = 0.0
        for key, c in ((total, 1.0), *((p, -1.0) for p in parts)):
            if key in pos:
                coef[pos[key]] += c
            else:
                const += c * float(published[key])  # type: ignore[arg-type]
        if coef.any():
            rows.append(coef)
            rhs.append(-const)
        else:
            assert abs(const) < 1e-6, f"published figures contradict: {total} = sum {parts}"
    bounds = []
    for k in hidden:
        v = truth[k]
        step = 1.0 if k in nz and v != 0 else 0.0
        bounds.append((None, -step) if v < 0 or (v == 0 and k in neg) else (step, None))
    out: dict[Hashable, tuple[float, float]] = {}
    if not hidden:
        return out
    a = np.array(rows) if rows else np.zeros((0, len(hidden)))
    b = np.array(rhs) if rhs else np.zeros(0)
    for k, j in pos.items():
        c = np.zeros(len(hidden))
        c[j] = 1.0
        ends = []
        for sign in (1.0, -1.0):
            res = linprog(
                sign * c,
                A_eq=a if len(rows) else None,
                b_eq=b if len(rows) else None,
                bounds=bounds,
                method="highs",
            )
            assert res.status in (0, 3), res.message
            ends.append(sign * res.fun if res.status == 0 else -sign * np.inf)
        out[k] = (ends[0], ends[1])
    return out


def exposed(ivals: Mapping[Hashable, tuple[float, float]]) -> list[Hashable]:
    """The hidden cells an attacker pins down to fewer than two values."""
    return [k for k, (lo, hi) in ivals.items() if hi - lo < 1 - 1e-6]
