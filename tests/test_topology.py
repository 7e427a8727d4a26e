from __future__ import annotations

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box

from geoprestatie.output import _topology as topo


def _ring(t: topo.Topology, refs: list[int]) -> list[tuple[int, int]]:
    return [tuple(p) for p in topo.ring_coords(t.arcs, refs).tolist()]


def test_shared_border_is_one_arc_used_both_ways() -> None:
    # two unit squares side by side: the edge x = 1 is stored once
    t = topo.build([box(0, 0, 1, 1), box(1, 0, 2, 1)], 1.0)
    assert len(t.arcs) == 3
    shared = [i for i, (a, b) in enumerate(t.sides.tolist()) if a >= 0 and b >= 0]
    assert len(shared) == 1
    (i,) = shared
    assert sorted(map(tuple, t.arcs[i].tolist())) == [(1, 0), (1, 1)]
    refs_left, refs_right = t.features[0][0][0], t.features[1][0][0]
    # one square walks it forwards, the other backwards
    assert {i, ~i} <= set(refs_left) | set(refs_right)
    assert (i in refs_left) != (i in refs_right)
    # each ring closes and has the square's four corners
    left = _ring(t, refs_left)
    assert left[0] == left[-1] and set(left) == {(0, 0), (1, 0), (1, 1), (0, 1)}


def test_island_in_a_hole_shares_its_closed_arc() -> None:
    outer = box(0, 0, 10, 10).difference(box(4, 4, 6, 6))
    t = topo.build([outer, box(4, 4, 6, 6)], 1.0)
    # the hole of the one is the shell of the other: one closed arc between them
    assert len(t.arcs) == 2
    hole = t.features[0][0][1]
    shell = t.features[1][0][0]
    assert len(hole) == len(shell) == 1 and hole[0] in (shell[0], ~shell[0])
    assert len(topo.borders(t, ["a", "b"])) == 2
    assert len(topo.borders(t, ["a", "a"])) == 1  # only the outside


def test_ring_collapsing_on_rounding_is_left_out() -> None:
    t = topo.build([box(0, 0, 10, 10), box(20, 20, 20.2, 20.2)], 1.0)
    assert t.features[1] == [] and len(t.features[0]) == 1


def test_simplify_coverage_removes_vertices_and_keeps_borders_shared() -> None:
    # a wiggly shared border of 101 vertices between two rectangles
    xs = np.linspace(0, 1000, 101)
    wiggle = [(x, 500 + 3 * np.sin(x / 7)) for x in xs]
    lower = Polygon([(0, 0), (1000, 0), *wiggle[::-1]])
    upper = Polygon([*wiggle, (1000, 1000), (0, 1000)])
    out = topo.simplify_coverage([lower, upper], 10.0)
    assert shapely.get_num_coordinates(out).sum() < 20
    assert shapely.is_valid(out).all()
    # no gap, no overlap: the union is as large as the parts together, the whole square
    assert abs(shapely.union_all(out).area - shapely.area(out).sum()) < 1e-6
    assert abs(shapely.area(out).sum() - 1_000_000) < 1e-3


@settings(max_examples=25, deadline=None)
@given(
    st.integers(min_value=2, max_value=6),
    st.integers(min_value=0, max_value=10_000),
    st.floats(min_value=0.5, max_value=40),
)
def test_simplified_voronoi_coverage_stays_a_coverage(n: int, seed: int, tol: float) -> None:
    rng = np.random.default_rng(seed)
    points = shapely.multipoints(rng.uniform(0, 1000, (n * n, 2)))
    frame = box(0, 0, 1000, 1000)
    cells = shapely.intersection(
        np.asarray(shapely.get_parts(shapely.voronoi_polygons(points, extend_to=frame))), frame
    )
    cells = shapely.segmentize(cells, 20.0)  # many vertices on every border
    out = topo.simplify_coverage(cells, tol)
    assert shapely.is_valid(out).all() and not shapely.is_empty(out).any()
    assert shapely.get_num_coordinates(out).sum() <= shapely.get_num_coordinates(cells).sum()
    total = shapely.area(out).sum()
    assert abs(shapely.union_all(out).area - total) < 1e-3 * total  # no overlaps
    union = shapely.union_all(out)  # no gaps: one polygon without holes, the square's size
    assert union.geom_type == "Polygon" and len(union.interiors) == 0
    assert abs(total - 1_000_000) <= tol * 4_000  # only the outline is simplified
    # every arc is shared by at most two features and every feature is made of arcs
    t = topo.build(cells, 0.001)
    assert all(f for f in t.features)
    assert ((t.sides[:, 0] != t.sides[:, 1]) | (t.sides[:, 0] < 0)).all()


def test_polygons_join_the_arcs_as_ring_coords_does() -> None:
    """The rings made at once (arcs forwards and reversed, each arc's first point left
    out after the first) are the rings :func:`ring_coords` joins one by one."""
    hole = Polygon(box(0, 0, 6, 6).exterior.coords, [box(2, 2, 4, 4).exterior.coords])
    cells = [hole, box(2, 2, 4, 4), box(6, 0, 9, 6), box(0, 6, 9, 8)]
    cells.append(shapely.MultiPolygon([box(9, 0, 10, 3), box(9, 5, 10, 8)]))
    t = topo.build(cells, 1.0)
    arcs = [a.astype(float) for a in t.arcs]
    made = topo.polygons(t, arcs)
    for f, polys in enumerate(t.features):
        expected = [topo.ring_coords(arcs, refs) for poly in polys for refs in poly]
        rings = shapely.get_rings(shapely.get_parts(made[f]))
        assert len(rings) == len(expected)
        for ring, want in zip(rings, expected, strict=True):
            assert np.array_equal(shapely.get_coordinates(ring), want)
    assert shapely.equals(made, np.asarray(cells, dtype=object)).all()
