"""Shared borders of a buurt coverage as arcs (the idea of TopoJSON), with numpy and shapely.

Neighbouring buurten share their border vertex for vertex (the CBS wijk- en buurtkaart is a
coverage). :func:`build` cuts every ring where the buurt on the other side changes, so
each piece of border (an *arc*) exists once and each ring is a list of arc references
(``i``, or ``~i`` for arc ``i`` reversed). That gives

* a fast coverage simplification (:func:`simplify_coverage`): every arc is simplified once
  (Douglas-Peucker with its end points fixed, vectorised by shapely), so both sides of a
  border stay identical and the coverage keeps no gaps or overlaps between neighbours;
* a compact web map (each border stored once) and context borders for free: the gemeente
  border is the set of arcs with a different gemeente on either side (:func:`borders`),
  no polygon union needed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

__all__ = ["Topology", "borders", "build", "simplify_coverage"]


@dataclass(frozen=True)
class Topology:
    """Arcs and the rings made of them.

    ``arcs[i]`` is an ``(n, 2)`` array of integer coordinates (units of the quantum);
    ``features[f]`` lists polygons, each a list of rings (the shell first), each a list of
    arc references (``i`` forwards, ``~i`` reversed). ``sides[i]`` holds the two features
    on either side of arc ``i`` (``-1``: outside every feature).
    """

    arcs: list[np.ndarray]
    features: list[list[list[list[int]]]]
    sides: np.ndarray  # (n_arcs, 2) int


def _rings(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rings of every polygon: coordinates, ring of each coordinate, feature and part of
    each ring (shells before their holes)."""
    parts, feature_of_part = shapely.get_parts(geoms, return_index=True)
    rings, part_of_ring = shapely.get_rings(parts, return_index=True)
    coords, ring_of_coord = shapely.get_coordinates(rings, return_index=True)
    return coords, ring_of_coord, feature_of_part[part_of_ring], part_of_ring


def _cyclic(vid: np.ndarray, ring: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vertex ids per ring without the closing vertex and without repeats; ring starts."""
    keep = np.ones(len(vid), dtype=bool)
    keep[1:] = (vid[1:] != vid[:-1]) | (ring[1:] != ring[:-1])  # repeats after quantising
    last = np.r_[ring[1:] != ring[:-1], True]
    keep &= ~last  # the closing vertex repeats the first
    vid, ring = vid[keep], ring[keep]
    starts = np.flatnonzero(np.r_[True, ring[1:] != ring[:-1]])
    return vid, ring, starts


def _vertex_ids(q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct integer coordinates and the id of each row (one int64 key per point)."""
    if not len(q):
        return q, np.zeros(0, dtype=np.int64)
    low = q.min(axis=0)
    span = q.max(axis=0) - low + 1
    if float(span[0]) * float(span[1]) < 2.0**62:
        code = (q[:, 0] - low[0]) * span[1] + (q[:, 1] - low[1])
        uniq, vid = np.unique(code, return_inverse=True)
        keys = np.column_stack([uniq // span[1] + low[0], uniq % span[1] + low[1]])
        return keys, vid.ravel()
    keys, vid = np.unique(q, axis=0, return_inverse=True)
    return keys, vid.ravel()


def _canonical(seq: np.ndarray) -> tuple[np.ndarray, bool]:
    """An arc's vertex sequence in its canonical direction (and whether it was reversed)."""
    a, b = seq[0], seq[-1]
    if a != b:
        return (seq, False) if a < b else (seq[::-1], True)
    return (seq, False) if seq[1] <= seq[-2] else (seq[::-1], True)


def build(geoms: Sequence[object] | np.ndarray, quantum: float) -> Topology:
    """The arcs of a polygon coverage, coordinates rounded to ``quantum``.

    Rings that collapse to fewer than three vertices after rounding are left out (a
    feature may end up with no polygon at all).

    Examples
    --------
    >>> from shapely import box
    >>> t = build([box(0, 0, 1, 1), box(1, 0, 2, 1)], 1.0)
    >>> len(t.arcs)  # the shared edge once, and each outer part
    3
    >>> sorted(map(tuple, t.sides.tolist()))
    [(-1, 0), (-1, 1), (0, 1)]
    """
    geoms = np.asarray(geoms, dtype=object)
    coords, ring_of, feature_of_ring, part_of_ring = _rings(geoms)
    keys, vid = _vertex_ids(np.rint(coords / quantum).astype(np.int64))
    vid, ring, starts = _cyclic(vid, ring_of)
    if not len(vid):
        return Topology([], [[] for _ in range(len(geoms))], np.zeros((0, 2), dtype=np.int64))
    label, cut = _segment_labels(vid, feature_of_ring[ring], starts, len(keys), len(geoms))
    arc_list, sides, refs_of_ring = _cut_rings(vid, ring, starts, label, cut, len(geoms))
    sizes = np.cumsum([len(a) for a in arc_list])[:-1]
    return Topology(
        np.split(keys[np.concatenate(arc_list)], sizes) if arc_list else [],
        _assemble(refs_of_ring, feature_of_ring, part_of_ring, len(geoms)),
        np.asarray(sides, dtype=np.int64).reshape(-1, 2),
    )


def _next(starts: np.ndarray, n: int) -> np.ndarray:
    """Index of the next vertex in its (cyclic) ring."""
    ends = np.r_[starts[1:], n]
    nxt = np.arange(1, n + 1)
    nxt[ends - 1] = starts
    return nxt


def _segment_labels(
    vid: np.ndarray, feat: np.ndarray, starts: np.ndarray, n_vertices: int, n_features: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per segment (vertex to the next one) a label of the two features on either side,
    and whether a new arc starts at the vertex (the label changes there)."""
    nxt = _next(starts, len(vid))
    a, b = vid, vid[nxt]
    seg = np.minimum(a, b) * np.int64(n_vertices) + np.maximum(a, b)
    order = np.argsort(seg, kind="stable")
    ordered = seg[order]
    new = np.r_[True, ordered[1:] != ordered[:-1]]
    pos = np.flatnonzero(new)
    counts = np.diff(np.r_[pos, len(seg)])
    inverse = np.empty(len(seg), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    first = feat[order[pos]]
    second = np.full(len(counts), -1, dtype=np.int64)
    two = counts >= 2
    second[two] = feat[order[pos[two] + 1]]
    lo, hi = np.minimum(first, second), np.maximum(first, second)
    label = (lo + 1) * np.int64(n_features + 1) + (hi + 1)
    label[counts > 2] = -1  # more than two rings on one segment: not a clean coverage
    seg_label = label[inverse]
    prev = np.empty_like(nxt)
    prev[nxt] = np.arange(len(nxt))
    return seg_label, seg_label != seg_label[prev]


def _cut_rings(
    vid: np.ndarray,
    ring: np.ndarray,
    starts: np.ndarray,
    label: np.ndarray,
    cut: np.ndarray,
    n_features: int,
) -> tuple[list[np.ndarray], list[tuple[int, int]], dict[int, list[int]]]:
    """Every ring cut into arcs; each arc kept once (in its canonical direction)."""
    index: dict[bytes, int] = {}
    arcs: list[np.ndarray] = []
    sides: list[tuple[int, int]] = []
    refs_of_ring: dict[int, list[int]] = {}
    n1 = n_features + 1
    for s, e in zip(starts, np.r_[starts[1:], len(vid)], strict=True):
        ids = vid[s:e]
        if len(ids) < 3:
            continue
        cuts = np.flatnonzero(cut[s:e])
        if len(cuts) == 0:  # one neighbour all round: start at the smallest vertex
            cuts = np.array([int(np.argmin(ids))])
        first = int(cuts[0])
        walk = np.concatenate([ids[first:], ids[: first + 1]])  # closed, from the first cut
        refs = []
        for c0, c1 in itertools.pairwise([*(cuts - first).tolist(), len(ids)]):
            canon, reversed_ = _canonical(walk[c0 : c1 + 1])
            key = canon.tobytes()
            i = index.get(key)
            if i is None:
                i = index[key] = len(arcs)
                arcs.append(canon)
                lab = int(label[s + (first + c0) % len(ids)])
                sides.append((lab // n1 - 1, lab % n1 - 1) if lab >= 0 else (-1, -1))
            refs.append(~i if reversed_ else i)
        refs_of_ring[int(ring[s])] = refs
    return arcs, sides, refs_of_ring


def _assemble(
    refs_of_ring: dict[int, list[int]],
    feature_of_ring: np.ndarray,
    part_of_ring: np.ndarray,
    n_features: int,
) -> list[list[list[list[int]]]]:
    """Features -> polygons -> rings (shell first) of arc references."""
    features: list[list[list[list[int]]]] = [[] for _ in range(n_features)]
    shell = np.r_[True, part_of_ring[1:] != part_of_ring[:-1]]
    polygon: list[list[int]] | None = None
    for r in range(len(part_of_ring)):
        if shell[r]:
            polygon = None
            if r in refs_of_ring:  # a shell that collapsed takes its holes with it
                polygon = [refs_of_ring[r]]
                features[int(feature_of_ring[r])].append(polygon)
        elif polygon is not None and r in refs_of_ring:
            polygon.append(refs_of_ring[r])
    return features


def ring_coords(arcs: Sequence[np.ndarray], refs: Sequence[int]) -> np.ndarray:
    """The closed ring (``(n, 2)`` array) that a list of arc references makes."""
    pieces = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in refs]
    out = np.concatenate([pieces[0]] + [p[1:] for p in pieces[1:]])
    return out


def _ring_points(
    arcs: Sequence[np.ndarray], refs: np.ndarray, first: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The points of many rings at once: per arc reference its arc's points (reversed for
    ``~i``), without the first point unless the reference starts its ring (``first``), as
    :func:`ring_coords` joins them; and the number of points each reference gives."""
    sizes = np.fromiter((len(a) for a in arcs), dtype=np.int64, count=len(arcs))
    offsets = np.r_[0, np.cumsum(sizes)[:-1]]
    forward = refs >= 0
    arc = np.where(forward, refs, ~refs)
    skip = (~first).astype(np.int64)
    counts = sizes[arc] - skip
    which = np.repeat(np.arange(len(refs)), counts)
    k = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    k += skip[which]
    size = sizes[arc][which]
    index = offsets[arc][which] + np.where(forward[which], k, size - 1 - k)
    return np.concatenate(arcs)[index], counts


def polygons(topology: Topology, arcs: Sequence[np.ndarray]) -> np.ndarray:
    """Shapely (multi)polygons of every feature from (possibly simplified) arc coordinates."""
    refs: list[int] = []
    ring_of_ref: list[int] = []
    ring_part, part_feature = [], []
    n_parts = n_rings = 0
    for f, polys in enumerate(topology.features):
        for poly in polys:
            for ring in poly:
                refs.extend(ring)
                ring_of_ref.extend([n_rings] * len(ring))
                ring_part.append(n_parts)
                n_rings += 1
            part_feature.append(f)
            n_parts += 1
    out = np.full(len(topology.features), None, dtype=object)
    if not n_rings:
        return out
    ring_id = np.asarray(ring_of_ref, dtype=np.int64)
    first = np.r_[True, ring_id[1:] != ring_id[:-1]]
    coords, counts = _ring_points(arcs, np.asarray(refs, dtype=np.int64), first)
    linear = shapely.linearrings(coords, indices=np.repeat(ring_id, counts))
    parts = shapely.polygons(linear, indices=np.asarray(ring_part))
    made = shapely.multipolygons(parts, indices=np.asarray(part_feature))
    have = np.unique(part_feature)
    out[have] = made[have]
    single = shapely.get_num_geometries(out[have]) == 1
    out[have[single]] = shapely.get_geometry(out[have[single]], 0)
    return out


def simplify_coverage(geoms: Sequence[object] | np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify a polygon coverage border by border (Douglas-Peucker, ends fixed).

    Shared borders are simplified once, so neighbours keep sharing them. A feature whose
    simplified shape is empty or invalid keeps its original borders (and so do its
    neighbours along those borders). Coordinates are rounded to a millimetre.

    Examples
    --------
    >>> from shapely import box
    >>> out = simplify_coverage([box(0, 0, 10, 10), box(10, 0, 20, 10)], 1.0)
    >>> [round(g.area) for g in out]
    [100, 100]
    """
    geoms = np.asarray(geoms, dtype=object)
    quantum = 0.001
    topology = build(geoms, quantum)
    original = [a * quantum for a in topology.arcs]
    if not original:
        return geoms.copy()
    sizes = np.fromiter((len(a) for a in original), dtype=np.int64, count=len(original))
    arcs = list(original)  # a straight arc (two vertices) is as simple as it gets
    bent = np.flatnonzero(sizes > 2)
    if len(bent):
        lines = shapely.linestrings(
            np.concatenate([original[i] for i in bent]),
            indices=np.repeat(np.arange(len(bent)), sizes[bent]),
        )
        simple = shapely.simplify(lines, tolerance, preserve_topology=False)
        coords, which = shapely.get_coordinates(simple, return_index=True)
        pieces = np.split(coords, np.searchsorted(which, np.arange(1, len(bent))))
        for i, a in zip(bent.tolist(), pieces, strict=True):
            # a closed arc keeps at least a triangle
            closed = len(a) < 4 and sizes[i] >= 4 and np.array_equal(a[0], a[-1])
            arcs[i] = original[i] if closed else a
    for _ in range(3):
        out = polygons(topology, arcs)
        bad = shapely.is_empty(out) | ~shapely.is_valid(out) | shapely.is_missing(out)
        bad &= ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
        if not bad.any():
            break
        for f in np.flatnonzero(bad):
            for poly in topology.features[f]:
                for refs in poly:
                    for i in refs:
                        j = i if i >= 0 else ~i
                        arcs[j] = original[j]
    still = shapely.is_empty(out) | ~shapely.is_valid(out) | shapely.is_missing(out)
    out[still] = geoms[still]
    return out


def borders(topology: Topology, key: Sequence[object]) -> np.ndarray:
    """The arcs with a different ``key`` (per feature) on either side, or the outside
    (features with a missing key draw no border among themselves nor to the outside).

    Examples
    --------
    >>> from shapely import box
    >>> t = build([box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)], 1.0)
    >>> len(borders(t, ["a", "a", "b"])), len(borders(t, ["a", "a", "a"]))
    (5, 4)
    """
    codes = np.r_[pd.factorize(pd.Series(list(key), dtype=object))[0], -2]  # [-1]: outside
    if not len(topology.sides):
        return np.zeros(0, dtype=np.int64)
    ca, cb = codes[topology.sides[:, 0]], codes[topology.sides[:, 1]]
    return np.flatnonzero((ca != cb) & ((ca >= 0) | (cb >= 0)))
