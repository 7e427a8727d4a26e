"""publication's cell system of the prognosis, added a column at a time: the cells and
relations one row at a time would give (hand-worked, with a break in a chain and a gap)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geoprestatie._suppression import FORCED, CellSystem
from geoprestatie.publication import _prognosis_cells


def test_prognosis_cells_chain_break_and_gap() -> None:
    coarse = pd.DataFrame(
        {
            "buurtcode": ["B1", "B1", "B2", "B2", "B3", "B3"],
            "jaar": [2025, 2026, 2025, 2026, 2025, 2027],
            "beginstand": [10, 12, 20, 21, 30, 33],  # B2 2026 starts at 21, not 20
            "nieuwbouw": [2, 0, 0, 1, 0, 0],
            "eindstand": [12, 12, 20, 22, 30, 33],
        }
    )
    cs = CellSystem()
    cells, years = _prognosis_cells(cs, coarse, {})
    p = lambda q, b, y: ("P", q, b, y)  # noqa: E731
    assert cs.keys == [
        p("stand", "B1", 2025), p("stand", "B1", 2026), p("nieuwbouw", "B1", 2025),
        # B1 2026 starts where 2025 ended: the same cell
        p("stand", "B1", 2027), p("nieuwbouw", "B1", 2026),
        p("stand", "B2", 2025), p("stand", "B2", 2026), p("nieuwbouw", "B2", 2025),
        (p("stand", "B2", 2026), "#", 1),  # a break in the chain: a second cell
        p("stand", "B2", 2027), p("nieuwbouw", "B2", 2026),
        p("stand", "B3", 2025), p("stand", "B3", 2026), p("nieuwbouw", "B3", 2025),
        p("stand", "B3", 2027), p("stand", "B3", 2028), p("nieuwbouw", "B3", 2027),  # a gap
        # the municipal sums per quantity and year, in the order they first appear
        p("stand", "*", 2025), p("stand", "*", 2026), p("nieuwbouw", "*", 2025),
        p("stand", "*", 2027), p("nieuwbouw", "*", 2026), p("stand", "*", 2028),
        p("nieuwbouw", "*", 2027),
    ]  # fmt: skip
    assert cs.values[-7:] == [60.0, 12 + 20 + 21 + 30, 2.0, 12 + 22 + 33, 1.0, 33.0, 0.0]
    assert cs.weights[-1] == FORCED and cs.weights[0] == 1.0
    assert cs.nonzero_known[:3] == [True, False, False]  # the first year's start stock
    assert years == [2025, 2026, 2027, 2028]
    assert cells["beginstand"].tolist() == [0, 1, 5, 8, 11, 14]
    assert cells["eindstand"].tolist() == [1, 3, 6, 9, 12, 15]
    a = cs.matrix().toarray()
    # per row: eindstand = beginstand + nieuwbouw
    assert [np.flatnonzero(r).tolist() for r in a[:6]] == [
        [0, 1, 2], [1, 3, 4], [5, 6, 7], [8, 9, 10], [11, 12, 13], [14, 15, 16]
    ]  # fmt: skip
    assert a[0, 1] == 1 and a[0, 0] == -1 and a[0, 2] == -1
    # stand 2026: B1's, B2's end and B2's restart, B3's end
    assert np.flatnonzero(a[7]).tolist() == [1, 6, 8, 12, 18]
    assert a.shape == (6 + 7, len(cs.keys))
