"""The SMAA-2 kernel (:mod:`geoprestatie.smaa`) against a plain per-draw implementation.

The fast kernel ranks blocks of draws with a radix sort of the scores' bit patterns, in
threads; these tests compare every output exactly with a naive loop (one Python sort per
draw) on small cases full of ties, zeros and scores spread over many binades, in one block
and in many blocks.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from geoprestatie import smaa

Array = NDArray[np.float64]


def _naive(s: NDArray[np.float32], w: Array, k: int, pairwise: int) -> dict[str, object]:
    """Per draw: sort by (-score, row); ranks, counts, order statistics, winning indices."""
    d, n = s.shape
    ranks = np.empty((d, n), dtype=np.int64)
    for t in range(d):
        order = sorted(range(n), key=lambda i: (-float(s[t, i]), i))
        ranks[t, order] = np.arange(1, n + 1)
    counts = np.stack([(ranks == r).sum(axis=0) for r in range(1, k + 1)], axis=1)
    first = ranks == 1  # d × n
    srt = np.sort(ranks, axis=0)
    lo, hi = int(np.floor(0.05 * (d - 1))), int(np.ceil(0.95 * (d - 1)))
    top = sorted(range(n), key=lambda i: (-int(counts[i].sum()), i))[:pairwise]
    pwi = np.array([[np.mean(ranks[:, a] < ranks[:, b]) for b in top] for a in top])
    return {
        "rank_counts": counts,
        "rank_p05": srt[lo],
        "rank_p95": srt[hi],
        "first_weights": first.T.astype(float) @ w,
        "pairwise_rows": np.array(top, dtype=np.intp),
        "pairwise": pwi.reshape(len(top), len(top)),
    }


def _check(c: smaa.SmaaCounts, want: dict[str, object]) -> None:
    for name in ("rank_counts", "rank_p05", "rank_p95", "pairwise_rows"):
        np.testing.assert_array_equal(getattr(c, name), want[name], err_msg=name)
    np.testing.assert_allclose(c.first_weights, want["first_weights"], atol=1e-12)  # type: ignore[arg-type]
    np.testing.assert_allclose(c.pairwise, want["pairwise"], atol=1e-12)  # type: ignore[arg-type]


@st.composite
def _case(draw: st.DrawFn) -> tuple[Array, Array, int]:
    n = draw(st.integers(1, 40))
    m = draw(st.integers(1, 4))
    d = draw(st.integers(1, 50))
    # eighths and sixteenths: float32 sums are exact, so ties are real ties in any order
    u = np.array(draw(st.lists(st.integers(0, 8), min_size=n * m, max_size=n * m))) / 8
    w = np.array(draw(st.lists(st.integers(0, 16), min_size=d * m, max_size=d * m))) / 16
    return u.reshape(n, m), w.reshape(d, m), draw(st.integers(1, 6))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_case(), st.sampled_from([1, 7, 1_000_000]), st.sampled_from([1, 2]))
def test_weighted_sum_kernel_equals_naive_loop(
    case: tuple[Array, Array, int], block_cells: int, workers: int
) -> None:
    u, w, k = case
    n = u.shape[0]
    c = smaa.simulate(
        u, w, top_k=k, scores=None, linear=True, pairwise=2 * k,  # type: ignore[arg-type]
        workers=workers, block_cells=block_cells,
    )  # fmt: skip
    s = (w.astype(np.float32) @ np.asarray(100 * u, dtype=np.float32).T).astype(np.float32)
    _check(c, _naive(s, w, min(k, n), 2 * k))
    assert (c.in_top == c.rank_counts.sum(axis=1)).all()


def _spread_scores(u: Array, w: Array) -> Array:
    """Scores over many binades (1e-30 ... 1e30), zeros and -0.0: every bit of the key."""
    s = np.asarray(w @ u.T, dtype=np.float64)
    out = np.where(s > 0.5, 10.0 ** (60 * np.minimum(s, 1.0) - 30), -0.0 * s)
    return np.asarray(out, dtype=np.float64)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_case(), st.sampled_from([3, 1_000_000]))
def test_general_scores_kernel_equals_naive_loop(
    case: tuple[Array, Array, int], block_cells: int
) -> None:
    u, w, k = case
    c = smaa.simulate(
        u, w, top_k=k, scores=_spread_scores, linear=False, pairwise=k, block_cells=block_cells
    )
    s = np.maximum(_spread_scores(u, w), 0.0).astype(np.float32)
    _check(c, _naive(s, w, min(k, u.shape[0]), k))


def test_hand_worked_ranks_and_interval() -> None:
    # three draws over four rows: B first twice, D (= B) never before B (row order)
    u = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.0, 1.0]])
    w = np.array([[0.2, 0.8], [0.9, 0.1], [0.4, 0.6]])
    c = smaa.simulate(u, w, top_k=2, scores=None, linear=True, pairwise=2)  # type: ignore[arg-type]
    # draw 1: B 80, D 80, C 50, A 20 · draw 2: A 90, C 50, B 10, D 10 · draw 3: B, D, C, A
    assert c.rank_counts.tolist() == [[1, 0], [2, 0], [0, 1], [0, 2]]
    assert c.rank_p05.tolist() == [1, 1, 2, 2]  # lower order statistic of 3 draws: the least
    assert c.rank_p95.tolist() == [4, 3, 3, 4]  # upper: the largest
    assert c.pairwise_rows.tolist() == [1, 3]
    assert c.pairwise.round(3).tolist() == [[0.0, 1.0], [0.0, 0.0]]


def _numpy_reference(s: NDArray[np.float32], k: int) -> tuple[NDArray[np.int64], ...]:
    """Stable argsort of the float32 scores per draw, np.percentile lower / higher."""
    d, n = s.shape
    ranks = np.empty((d, n), dtype=np.int64)
    order = np.argsort(-s, axis=1, kind="stable")
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(1, n + 1), (d, n)), 1)
    in_top = (ranks <= k).sum(axis=0)
    lo = np.percentile(ranks, 5, axis=0, method="lower").astype(np.int64)
    hi = np.percentile(ranks, 95, axis=0, method="higher").astype(np.int64)
    return in_top, lo, hi


def test_realistic_scores_equal_numpy_reference() -> None:
    # 3,000 buurten x 701 draws, continuous scores whose keys span fewer than 2**24 values
    # (the 8 + 16 bit split), last blocks only partly used, one and two threads; criterion
    # values with one decimal, so identical buurten tie (earlier row first)
    rng = np.random.default_rng(5)
    u = np.round(rng.random((3_000, 5)), 1)
    w = rng.dirichlet(np.ones(5), size=701)
    s = (w.astype(np.float32) @ np.asarray(100 * u, dtype=np.float32).T).astype(np.float32)
    in_top, lo, hi = _numpy_reference(s, 20)
    for block_cells, workers in ((100_000, 2), (500_000, 1)):
        c = smaa.simulate(
            u, w, top_k=20, scores=None, linear=True,  # type: ignore[arg-type]
            block_cells=block_cells, workers=workers,
        )  # fmt: skip
        np.testing.assert_array_equal(c.in_top, in_top)
        np.testing.assert_array_equal(c.rank_p05, lo)
        np.testing.assert_array_equal(c.rank_p95, hi)


def test_many_draws_pairwise_and_percentiles_in_chunks() -> None:
    # 20,001 draws: the percentiles gather fewer buurten per chunk and the pairwise winning
    # indices count 10,000 draws at a time; both equal the plain numpy answer
    rng = np.random.default_rng(8)
    u = np.round(rng.random((60, 3)), 1)
    w = rng.dirichlet(np.ones(3), size=20_001)
    s = (w.astype(np.float32) @ np.asarray(100 * u, dtype=np.float32).T).astype(np.float32)
    in_top, lo, hi = _numpy_reference(s, 5)
    c = smaa.simulate(u, w, top_k=5, scores=None, linear=True, pairwise=10, block_cells=7_000)  # type: ignore[arg-type]
    np.testing.assert_array_equal(c.in_top, in_top)
    np.testing.assert_array_equal(c.rank_p05, lo)
    np.testing.assert_array_equal(c.rank_p95, hi)
    order = np.argsort(-s, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(60), order.shape), 1)
    sub = ranks[:, c.pairwise_rows]
    want = (sub[:, :, None] < sub[:, None, :]).mean(axis=0)
    np.testing.assert_allclose(c.pairwise, want, atol=1e-12)


def test_more_buurten_than_16_bit_ranks() -> None:
    # 70,000 buurten: ranks kept as 32-bit values, the unused end of the last block too
    rng = np.random.default_rng(9)
    u = np.round(rng.random((70_000, 2)), 2)
    w = rng.dirichlet(np.ones(2), size=5)
    s = (w.astype(np.float32) @ np.asarray(100 * u, dtype=np.float32).T).astype(np.float32)
    in_top, lo, hi = _numpy_reference(s, 3)
    c = smaa.simulate(u, w, top_k=3, scores=None, linear=True, block_cells=150_000)  # type: ignore[arg-type]
    np.testing.assert_array_equal(c.in_top, in_top)
    np.testing.assert_array_equal(c.rank_p05, lo)
    np.testing.assert_array_equal(c.rank_p95, hi)
