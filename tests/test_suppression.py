"""_suppression: the LP audit solves independent groups together (not one LP per group)
and a public frame's mask is shared, not copied, when pandas copies ``attrs``."""

from __future__ import annotations

import pandas as pd
from attack import exposed, intervals

from geoprestatie import _suppression
from geoprestatie._suppression import PUBLISHED, CellSystem, protect
from geoprestatie.publication import SUPPRESSED_ATTR, PublicationPolicy, publish_frames


def _rectangles(n: int) -> CellSystem:
    """``n`` independent 2 x 2 tables (one small cell each) with published margins."""
    cs = CellSystem()
    for g in range(n):
        cells = {
            (r, c): cs.cell((g, r, c), v)
            for (r, c), v in {(0, 0): 2, (0, 1): 40, (1, 0): 30, (1, 1): 50}.items()
        }
        for r in range(2):
            cs.sum(
                cs.cell(
                    (g, "row", r),
                    sum(cs.values[cs.index(cells[r, c])] for c in range(2)),
                    weight=100,
                ),
                [cells[r, 0], cells[r, 1]],
            )
        for c in range(2):
            cs.sum(
                cs.cell(
                    (g, "col", c),
                    sum(cs.values[cs.index(cells[r, c])] for r in range(2)),
                    weight=100,
                ),
                [cells[0, c], cells[1, c]],
            )
    return cs


def test_audit_solves_groups_together(monkeypatch) -> None:
    calls = []
    real = _suppression.linprog

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(_suppression, "linprog", counting)
    n = 60
    cs = _rectangles(n)
    status = protect(cs, min_count=5)
    # every rectangle hides its four cells (the small one and three to protect it)
    hidden = [k for k, s in zip(cs.keys, status, strict=True) if s != PUBLISHED]
    assert len(hidden) == 4 * n
    # the LPs do not grow with the number of independent groups (60 here)
    assert len(calls) < 20, len(calls)
    # and the attacker (independent code) pins none of them
    published = {
        k: (None if s != PUBLISHED else v)
        for k, v, s in zip(cs.keys, cs.values, status, strict=True)
    }
    truth = dict(zip(cs.keys, cs.values, strict=True))
    relations = [
        (
            (g, kind, i),
            [(g, r, c) for r in range(2) for c in range(2) if (r if kind == "row" else c) == i],
        )
        for g in range(n)
        for kind in ("row", "col")
        for i in range(2)
    ]
    assert not exposed(intervals(published, truth, relations))


def test_mask_is_shared_not_copied() -> None:
    t = pd.DataFrame(
        {"buurtcode": ["B1", "B2", "B3"], "woningen_a": [3, 40, 50], "woningen_b": [60, 10, 70]}
    )
    t["woningen_corporaties"] = t["woningen_a"] + t["woningen_b"]
    pub = publish_frames(
        table=t, scored=t, areas=t.iloc[0:0].assign(dia_id=[]), policy=PublicationPolicy()
    ).table
    mask = pub.attrs[SUPPRESSED_ATTR]
    assert bool(mask["woningen_a"].iloc[0])
    # pandas deep-copies attrs on every column access and copy: the mask must not be
    # copied each time (a national table made that quadratic)
    assert pub.copy().attrs[SUPPRESSED_ATTR] is mask
    assert pub["woningen_a"].attrs[SUPPRESSED_ATTR] is mask
