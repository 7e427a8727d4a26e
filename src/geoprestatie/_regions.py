"""Seeded region growing with constraints: the engine of :func:`geoprestatie.dia.delineate`.

Pure Python on positions ``0 .. n-1`` (no frames, no geometry): neighbour sets (the buurt
graph, gaps bridged up to a distance), conflict sets (buurten closer than the minimum
spacing), per-buurt priority, value, dwellings, budget cost and centroid. The result is a
list of areas (member positions and each member's role) and, per priority buurt left out,
the constraint that kept it out (Dutch, naming the config key).

The method: locked areas (an earlier DIA set) are placed first and may grow. Then the
priority buurten are taken as seeds from most to least robust; each seed grows an area by
repeatedly adding the adjacent priority buurt with the best gain (its value minus
``compactheid`` per km from the area's centroid), if allowed, a non-priority buurt that
connects it to a priority buurt one step further (``verbindingsbuurten``), and, when the
area is below its minimum size, adjacent eligible buurten (``aanvullen``), as long as the
per-area maxima, the total budget and the spacing to other areas allow. An area that cannot
reach its minimum is dissolved and its priority buurten get the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

__all__ = ["Area", "Limits", "Problem", "grow_regions"]

Array = NDArray[np.float64]


def _nl(v: float) -> str:
    return f"{v:,.0f}".replace(",", ".") if abs(v) >= 1000 else f"{v:g}".replace(".", ",")


@dataclass(frozen=True)
class Limits:
    """The user's constraints (keys of ``[dia]``)."""

    min_buurten: int = 1
    max_buurten: int | None = None
    min_woningen: float = 0.0
    max_woningen: float | None = None
    budget: float | None = None
    max_areas: int | None = None
    connectors: int = 0
    fill: bool = False
    compactness: float = 0.0
    bridge: float = 0.0
    spacing: float = 0.0


@dataclass(frozen=True)
class Problem:
    """The buurt graph and per-buurt data (positions ``0 .. n-1``)."""

    neighbours: list[set[int]]
    near: list[set[int]]  # buurten closer than the minimum spacing (other areas may not)
    priority: NDArray[np.bool_]
    eligible: NDArray[np.bool_]
    value: Array
    dwellings: Array
    cost: Array
    xy: Array
    seeds: list[int]  # priority buurten, most robust first


@dataclass
class Area:
    """One area: members in order of adding, each with its role."""

    members: list[int]
    roles: dict[int, str]
    locked: str | None = None  # the earlier id of a locked area
    grown: bool = False
    connectors: int = 0
    blocked: set[str] = field(default_factory=set)


class _State:
    def __init__(self, prob: Problem, lim: Limits) -> None:
        self.p = prob
        self.lim = lim
        self.owner = np.full(len(prob.value), -1)
        self.areas: list[Area | None] = []
        self.spent = 0.0

    def why_not(self, c: int, a: int) -> str | None:
        """The constraint key that forbids adding ``c`` to area ``a`` (``None``: allowed)."""
        p, lim, area = self.p, self.lim, self.areas[a]
        assert area is not None
        if self.owner[c] != -1 or not p.eligible[c]:
            return "bezet"
        if any(self.owner[j] not in (-1, a) for j in p.near[c]):
            return "min_afstand"
        if lim.max_buurten is not None and len(area.members) + 1 > lim.max_buurten:
            return "max_buurten"
        dw = float(p.dwellings[area.members].sum() + p.dwellings[c])
        if lim.max_woningen is not None and dw > lim.max_woningen:
            return "max_woningen"
        if lim.budget is not None and self.spent + p.cost[c] > lim.budget + 1e-9:
            return "budget"
        return None

    def add(self, c: int, a: int, role: str) -> None:
        area = self.areas[a]
        assert area is not None
        area.members.append(c)
        area.roles[c] = role
        self.owner[c] = a
        self.spent += float(self.p.cost[c])

    def frontier(self, a: int) -> list[int]:
        area = self.areas[a]
        assert area is not None
        out = set().union(*(self.p.neighbours[i] for i in area.members))
        return sorted(c for c in out if self.owner[c] != a)

    def gain(self, c: int, a: int) -> float:
        area = self.areas[a]
        assert area is not None
        centre = self.p.xy[area.members].mean(axis=0)
        km = float(np.hypot(*(self.p.xy[c] - centre))) / 1000.0
        return float(self.p.value[c]) - self.lim.compactness * km

    def best(self, cands: list[int], a: int) -> int | None:
        if not cands:
            return None
        return max(cands, key=lambda c: (self.gain(c, a), -c))

    def allowed(self, cands: list[int], a: int) -> list[int]:
        area = self.areas[a]
        assert area is not None
        ok = []
        for c in cands:
            why = self.why_not(c, a)
            if why is None:
                ok.append(c)
            elif why != "bezet" or self.owner[c] != -1:
                area.blocked.add(why)
        return ok


def _grow(st: _State, a: int) -> None:
    p, lim = st.p, st.lim
    area = st.areas[a]
    assert area is not None
    while True:
        front = st.frontier(a)
        prio = st.allowed([c for c in front if p.priority[c]], a)
        c = st.best(prio, a)
        if c is not None:
            st.add(c, a, "prioriteitsbuurt")
            area.grown = True
            continue
        if area.connectors < lim.connectors:
            links = []
            for c in st.allowed([c for c in front if not p.priority[c]], a):
                ahead = [
                    q
                    for q in p.neighbours[c]
                    if p.priority[q] and st.owner[q] == -1 and q not in front and p.eligible[q]
                ]
                if ahead:
                    links.append((max(float(p.value[q]) for q in ahead), st.gain(c, a), -c))
            if links:
                c = -max(links)[2]
                st.add(c, a, "verbindingsbuurt")
                area.connectors += 1
                area.grown = True
                continue
        break
    while lim.fill and _below_min(st, area) is not None:
        c = st.best(st.allowed(st.frontier(a), a), a)
        if c is None:
            break
        st.add(c, a, "aanvulling")
        area.grown = True


def _below_min(st: _State, area: Area) -> str | None:
    lim = st.lim
    if len(area.members) < lim.min_buurten:
        return f"{len(area.members)} buurt(en), minimaal {lim.min_buurten} (min_buurten)"
    dw = float(st.p.dwellings[area.members].sum())
    if dw < lim.min_woningen:
        # the limit only, never the count: the reason is published and a buurt's own
        # dwelling count may be hidden there (publication.py)
        return f"minder dan {_nl(lim.min_woningen)} corporatiewoningen (min_woningen)"
    return None


def _small_reason(st: _State, area: Area, short: str) -> str:
    lim, p = st.lim, st.p
    seed = area.members[0]
    parts = [f"te klein: {short}"]
    dist = f" binnen {_nl(lim.bridge)} m (brug_afstand)" if lim.bridge > 0 else ""
    if len(area.members) == 1 and not any(p.eligible[j] for j in p.neighbours[seed]):
        parts.insert(0, f"eiland: geen andere geschikte buurt{dist}")
    elif len(area.members) == 1 and not any(p.priority[j] for j in p.neighbours[seed]):
        parts.insert(0, f"eiland: geen aangrenzende prioriteitsbuurt{dist}")
    limits = sorted(area.blocked - {"bezet"})
    if limits:
        parts.append(f"groei begrensd door {', '.join(limits)}")
    elif "bezet" in area.blocked:
        parts.append("de aangrenzende buurten liggen al in een ander gebied")
    elif not lim.fill:
        parts.append("aanvullen met andere buurten staat uit (aanvullen)")
    else:
        parts.append("geen aangrenzende geschikte buurten meer vrij")
    return "; ".join(parts)


def grow_regions(
    prob: Problem, lim: Limits, locked: list[tuple[str, list[int]]]
) -> tuple[list[Area], dict[int, str]]:
    """Grow the areas; returns them and the reason per priority buurt left out.

    Reasons may contain ``{area:N}`` for the N-th returned area (the caller puts its id in).

    Examples
    --------
    Three buurten in a row, priority at both ends, one connecting buurt allowed:

    >>> nb = [{1}, {0, 2}, {1}]
    >>> prob = Problem(nb, [set()] * 3, np.array([True, False, True]), np.ones(3, bool),
    ...     np.array([1.0, 0.2, 0.9]), np.ones(3), np.ones(3),
    ...     np.array([[0.0, 0], [1, 0], [2, 0]]), [0, 2])
    >>> areas, why = grow_regions(prob, Limits(min_buurten=2, connectors=1), [])
    >>> [a.roles for a in areas], why
    ([{0: 'prioriteitsbuurt', 1: 'verbindingsbuurt', 2: 'prioriteitsbuurt'}], {})
    >>> areas, why = grow_regions(prob, Limits(min_buurten=2), [])
    >>> for part in why[0].split("; "):
    ...     print(part)
    eiland: geen aangrenzende prioriteitsbuurt
    te klein: 1 buurt(en), minimaal 2 (min_buurten)
    aanvullen met andere buurten staat uit (aanvullen)

    """
    st = _State(prob, lim)
    reasons: dict[int, str] = {}
    for ident, members in locked:
        members = [m for m in members if st.owner[m] == -1]
        st.areas.append(Area(members=list(members), roles=dict.fromkeys(members, "vastgezet")))
        a = len(st.areas) - 1
        st.areas[a].locked = ident  # type: ignore[union-attr]
        for m in members:
            st.owner[m] = a
            st.spent += float(prob.cost[m])
    for a in range(len(st.areas)):
        _grow(st, a)
    for s in prob.seeds:
        if st.owner[s] != -1:
            continue
        live = [x for x in st.areas if x is not None]
        if lim.max_areas is not None and len(live) >= lim.max_areas:
            reasons[s] = f"buiten het maximum van {lim.max_areas} DIA's (max_dias)"
            continue
        clash = sorted({int(st.owner[j]) for j in prob.near[s] if st.owner[j] != -1})
        if clash:
            reasons[s] = (
                f"ligt binnen {_nl(lim.spacing)} m van {{area:{clash[0]}}} (min_afstand), "
                "dat gebied kan het niet opnemen"
            )
            continue
        if lim.budget is not None and st.spent + prob.cost[s] > lim.budget + 1e-9:
            reasons[s] = f"past niet meer in het budget van {_nl(lim.budget)} (budget)"
            continue
        st.areas.append(Area(members=[s], roles={s: "prioriteitsbuurt"}))
        a = len(st.areas) - 1
        st.owner[s] = a
        st.spent += float(prob.cost[s])
        _grow(st, a)
        area = st.areas[a]
        assert area is not None
        short = _below_min(st, area)
        if short is not None:
            why = _small_reason(st, area, short)
            for m in area.members:
                st.owner[m] = -1
                st.spent -= float(prob.cost[m])
                if prob.priority[m]:
                    reasons[m] = why
            st.areas[a] = None
    for s in prob.seeds:
        if st.owner[s] != -1:
            reasons.pop(s, None)
    index = {}
    out: list[Area] = []
    for a, area in enumerate(st.areas):
        if area is not None:
            index[a] = len(out)
            out.append(area)
    for s, text in reasons.items():
        for a, b in index.items():
            text = text.replace(f"{{area:{a}}}", f"{{area:{b}}}")
        reasons[s] = text
    return out, dict(sorted(reasons.items()))
