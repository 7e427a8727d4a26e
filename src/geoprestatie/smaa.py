"""SMAA-2 Monte Carlo kernel: rank every buurt in every weight draw, in blocks.

Pure numpy on arrays (no frames): :func:`simulate` takes the urgencies ``u`` (buurten ×
criteria, rows already in the tie-break order) and the weight draws, and returns the SMAA-2
indices as defined by the R package ``smaa`` (Tervonen and Figueira 2008; ``smaa.ra``,
``smaa.cw``, ``smaa.cf``, ``smaa.pwi``):

- rank acceptability ``b_i^r``: share of draws in which buurt *i* takes rank *r* (here
  ranks 1 ... k; their sum is the share in the top *k*);
- central weight ``w_i^c``: the mean weight vector over the draws in which *i* is first
  (undefined, NaN, when it never is);
- confidence factor ``p_i^c``: the first-rank acceptability of *i* under its central
  weights. With exact criterion values (no measurement uncertainty, as here) this is 1 or 0:
  whether the central weights indeed put *i* first;
- pairwise winning index ``c_ij``: share of draws in which *i* ranks before *j*.

Speed: per block of draws (about 500,000 buurt-draw cells) the scores are one matrix product
(float32), the ranks come from an exact LSD radix sort of the scores' bit patterns (one
:func:`numpy.lexsort` per block over an 8- and a 16-bit key, numpy's radix sort) scattered
into a block-sized buurt-major buffer (in cache, no transpose) and copied as one contiguous
slab into a blocks × buurten × draws store; blocks run on ``workers`` threads with BLAS
limited to one thread each (no spinning OpenBLAS threads), and the rank percentiles come
from a radix sort of each buurt's ranks gathered from all slabs. Equal scores keep the row
order (the caller sorts rows by buurtcode).
``benchmarks/bench_sia.py`` measures each choice against a plain numpy reference.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from geoprestatie.errors import ConfigError

__all__ = [
    "MAX_DRAWS",
    "MAX_RANK_BYTES",
    "SmaaCounts",
    "check_draws",
    "check_size",
    "confidence_factors",
    "simulate",
]

Array = NDArray[np.float64]
ScoreFn = Callable[[Array, Array], Array]

#: Upper bound on the number of draws (10,000 gives shares to about ±1 percentage point).
MAX_DRAWS = 1_000_000
#: Memory allowed for the ranks of all draws (needed for the exact rank percentiles).
MAX_RANK_BYTES = 2 * 1024**3
_SECONDS_PER_CELL = 3e-8  # measured order of magnitude on 2 cores (benchmarks/bench_sia.py)


def _gb(nbytes: float) -> str:
    return f"{nbytes / 1024**3:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _int(v: int) -> str:
    return f"{v:,}".replace(",", ".")


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} minuten"
    return f"{seconds / 3600:,.0f} uur".replace(",", ".")


def check_draws(draws: int) -> None:
    """Refuse more than :data:`MAX_DRAWS` draws before any data is read (Dutch, one line).

    Examples
    --------
    >>> check_draws(100_000_000)
    Traceback (most recent call last):
    ...
    geoprestatie.errors.ConfigError: `sia.robustness.draws` = 100.000.000 is te veel: ...
    """
    if draws <= MAX_DRAWS:
        return
    per_1000 = 1000.0 * draws * 2
    raise ConfigError(
        f"`sia.robustness.draws` = {_int(draws)} is te veel: dat vraagt per 1.000 buurten ca. "
        f"{_gb(per_1000)} GB geheugen en ca. {_duration(1000 * draws * _SECONDS_PER_CELL)} "
        f"rekentijd; het maximum is {_int(MAX_DRAWS)} trekkingen (10.000 geeft kansen op "
        "ongeveer 1 procentpunt)"
    )


def check_size(n_buurten: int, draws: int) -> None:
    """Refuse a run whose ranks would not fit in :data:`MAX_RANK_BYTES` (Dutch, one line).

    Examples
    --------
    >>> check_size(15_000, 10_000)
    >>> check_size(145, 100_000_000)
    Traceback (most recent call last):
    ...
    geoprestatie.errors.ConfigError: `sia.robustness.draws` = 100.000.000 trekkingen over ...
    """
    itemsize = 2 if n_buurten < 65_535 else 4
    need = float(n_buurten) * draws * itemsize
    if need <= MAX_RANK_BYTES and draws <= MAX_DRAWS:
        return
    allowed = min(MAX_DRAWS, int(MAX_RANK_BYTES // max(1, n_buurten * itemsize)))
    raise ConfigError(
        f"`sia.robustness.draws` = {_int(draws)} trekkingen over {_int(n_buurten)} buurten "
        f"vraagt ca. {_gb(need)} GB geheugen en ca. "
        f"{_duration(n_buurten * draws * _SECONDS_PER_CELL)} rekentijd; het maximum is hier "
        f"{_int(max(1, allowed))} trekkingen (10.000 geeft kansen op ongeveer 1 procentpunt)"
    )


@dataclass(frozen=True)
class SmaaCounts:
    """Counts over all draws, rows in the order of ``u`` given to :func:`simulate`."""

    draws: int
    rank_counts: NDArray[np.int64]  # n × k: draws with rank r (column r - 1)
    rank_p05: NDArray[np.int64]
    rank_p95: NDArray[np.int64]
    first_weights: Array  # n × m: sum of the weight draws in which the buurt is first
    pairwise_rows: NDArray[np.intp]  # rows compared pairwise
    pairwise: Array  # p × p: c_ij, share of draws with rows[i] before rows[j]

    @property
    def in_top(self) -> NDArray[np.int64]:
        """Draws in the top *k* (the sum of the rank counts 1 ... k)."""
        return np.asarray(self.rank_counts.sum(axis=1), dtype=np.int64)

    @property
    def central_weights(self) -> Array:
        """Mean weights over the draws in which the buurt is first (NaN: never first)."""
        first = self.rank_counts[:, 0].astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(self.first_weights / first[:, None], dtype=np.float64)


def _order(s: NDArray[np.float32]) -> NDArray[np.intp]:
    """Rows of ``s`` (non-negative float32 scores) from the highest score to the lowest.

    Exact: the bit pattern of a non-negative float is monotone in its value, so sorting the
    inverted patterns sorts the scores. One :func:`numpy.lexsort` per block does an LSD
    radix sort (numpy's stable sort of 8- and 16-bit keys is a radix sort, one pass per
    byte that is not the same for all keys); it keeps equal scores in row order. The
    patterns are taken relative to the row's smallest one first: the same order, and the
    key then spans far fewer values (about 2**24 for scores between 25 and 75). A key below
    2**24 is split into its low 8 and high 16 bits (three byte passes), a wider one into
    two halves of 16 bits (four). Overwrites ``s``.
    """
    s += np.float32(0.0)  # turns -0.0 into 0.0
    key = np.invert(s.view(np.uint32), out=s.view(np.uint32))
    key -= key.min(axis=1, keepdims=True)
    low_bits = 8 if int(key.max(initial=0)) < 1 << 24 else 16
    low = key.astype(np.uint8 if low_bits == 8 else np.uint16)
    high = np.right_shift(key, low_bits, out=key).astype(np.uint16)
    return np.lexsort((low, high), axis=1)


def _block(
    u: Array,
    u32: NDArray[np.float32] | None,
    w: Array,
    scores: ScoreFn,
    k: int,
    out: NDArray[np.unsignedinteger],
) -> NDArray[np.intp]:
    """Rank the draws ``w`` into ``out`` (buurten × draws); return their top ``k`` rows.

    The ranks are scattered into a fresh block-sized buffer (in cache; one 1-d scatter per
    draw, several times faster than ``put_along_axis``) and copied into ``out`` at once.
    """
    n = u.shape[0]
    if u32 is not None:  # weighted sum: 100 · W Uᵀ in float32
        s = w.astype(np.float32) @ u32
    else:
        s = np.maximum(scores(u, w), 0.0).astype(np.float32)
    order = _order(s)
    ranks = np.empty((n, s.shape[0]), dtype=out.dtype)
    positions = np.arange(1, n + 1, dtype=out.dtype)
    for i in range(s.shape[0]):
        ranks[:, i][order[i]] = positions
    out[:, : s.shape[0]] = ranks
    return np.ascontiguousarray(order[:, :k])


def _workers(workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    try:
        return max(1, min(4, len(os.sched_getaffinity(0))))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, min(4, os.cpu_count() or 1))


def _percentiles(
    ranks: NDArray[np.unsignedinteger], draws: int, pool: ThreadPoolExecutor
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """5th and 95th percentile of each buurt's ranks: the lower and upper order statistic.

    ``ranks`` is the ``blocks × n × step`` store; the unused end of the last block holds
    the largest value of its type, so it sorts after every rank. Per chunk of buurten the
    ranks of all blocks are gathered into one contiguous array and sorted (numpy's radix
    sort of 16-bit values); ``ranks`` itself is left as it is.
    """
    blocks, n, step = ranks.shape
    chunk = max(1, min(64, 1_000_000 // max(draws, 1)))  # <= 64 buurten and about 2 MB
    lo_k, hi_k = math.floor(0.05 * (draws - 1)), math.ceil(0.95 * (draws - 1))
    lo = np.empty(n, dtype=np.int64)
    hi = np.empty(n, dtype=np.int64)

    def part(start: int) -> None:
        part_ranks = ranks[:, start : start + chunk].transpose(1, 0, 2)
        srt = part_ranks.reshape(part_ranks.shape[0], blocks * step)  # a copy
        srt.sort(axis=1, kind="stable")
        lo[start : start + chunk] = srt[:, lo_k]
        hi[start : start + chunk] = srt[:, hi_k]

    list(pool.map(part, range(0, n, chunk)))
    return lo, hi


def _wins(
    ranks: NDArray[np.unsignedinteger], rows: NDArray[np.intp], draws: int, pool: ThreadPoolExecutor
) -> Array:
    """Pairwise winning indices ``c_ij`` of ``rows``: share of draws with i ranked before j."""
    blocks, _, step = ranks.shape
    sub = ranks[:, rows].transpose(1, 0, 2).reshape(rows.size, blocks * step)[:, :draws]
    wins = np.zeros((rows.size, rows.size), dtype=np.int64)

    def part(a: int) -> None:  # 8 rows against all, 10,000 draws at a time (8 MB)
        for t in range(0, draws, 10_000):
            part_sub = sub[:, t : t + 10_000]
            wins[a : a + 8] += np.count_nonzero(part_sub[a : a + 8, None] < part_sub, axis=2)

    list(pool.map(part, range(0, rows.size, 8)))
    return np.asarray(wins / max(draws, 1), dtype=np.float64)


def simulate(
    u: Array,
    weights: Array,
    *,
    top_k: int,
    scores: ScoreFn,
    linear: bool,
    pairwise: int = 0,
    workers: int | None = None,
    block_cells: int = 500_000,
) -> SmaaCounts:
    """Rank the rows of ``u`` under every weight draw and count the SMAA-2 indices.

    Parameters
    ----------
    u
        Urgencies, buurten × criteria, in tie-break order (equal scores: earlier row first).
    weights
        Weight draws, draws × criteria (shares).
    top_k
        Ranks 1 ... ``top_k`` get a rank acceptability.
    scores
        ``f(u, W) -> draws × buurten`` scores (>= 0); used when ``linear`` is false.
    linear
        The score is ``100 · W uᵀ`` (weighted sum): computed as one float32 product.
    pairwise
        Compare this many rows pairwise: the most often in the top *k* (ties: first rows).
    workers
        Threads (default: the available cores, at most 4).

    Examples
    --------
    >>> u = np.array([[1.0, 0.0], [0.0, 1.0], [0.4, 0.4]])
    >>> w = np.array([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]])
    >>> c = simulate(u, w, top_k=2, scores=None, linear=True, pairwise=2)
    >>> c.rank_counts.tolist()
    [[2, 0], [1, 1], [0, 2]]
    >>> c.central_weights.round(2).tolist()
    [[0.7, 0.3], [0.2, 0.8], [nan, nan]]
    >>> c.pairwise.round(2).tolist()
    [[0.0, 0.67], [0.33, 0.0]]
    """
    from threadpoolctl import threadpool_limits

    n, m = u.shape
    d = weights.shape[0]
    k = min(top_k, n)
    check_size(n, d)
    rank_dtype = np.uint16 if n < 65_535 else np.uint32
    u32 = np.ascontiguousarray((100.0 * u).T, dtype=np.float32) if linear else None
    step = max(1, min(d, block_cells // max(n, 1)))
    starts = list(range(0, d, step))
    ranks = np.empty((len(starts), n, step), dtype=rank_dtype)  # one slab per block
    if d % step:
        ranks[-1, :, d % step :] = np.iinfo(rank_dtype).max  # sorts after every rank
    with (
        threadpool_limits(limits=1, user_api="blas"),
        ThreadPoolExecutor(max_workers=_workers(workers)) as pool,
    ):
        tops = list(
            pool.map(
                lambda s: _block(u, u32, weights[s : s + step], scores, k, ranks[s // step]),
                starts,
            )
        )
        top = np.concatenate(tops) if tops else np.zeros((0, k), dtype=np.intp)
        flat = (top * k + np.arange(k)[None, :]).ravel()
        counts = np.bincount(flat, minlength=n * k).reshape(n, k).astype(np.int64)
        rows = np.lexsort((np.arange(n), -counts.sum(axis=1)))[: min(pairwise, n)]
        pwi = _wins(ranks, rows, d, pool)
        p05, p95 = _percentiles(ranks, d, pool) if d else (np.zeros(n, np.int64),) * 2
    first_weights = np.zeros((n, m))
    for j in range(m if k else 0):  # sum of the weight draws in which the row is first
        first_weights[:, j] = np.bincount(top[:, 0], weights=weights[:, j], minlength=n)
    return SmaaCounts(
        draws=d,
        rank_counts=counts,
        rank_p05=p05,
        rank_p95=p95,
        first_weights=np.asarray(first_weights, dtype=np.float64),
        pairwise_rows=rows,
        pairwise=pwi,
    )


def confidence_factors(u: Array, central: Array, scores: ScoreFn) -> Array:
    """First-rank acceptability of each row under its own central weights (NaN: none).

    The criterion values are exact, so the factor is 1 (the central weights put the buurt
    first; equal scores: earlier row first) or 0.

    Examples
    --------
    >>> u = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.6]])
    >>> cw = np.array([[0.9, 0.1], [0.5, 0.5], [np.nan, np.nan]])
    >>> f = lambda u, w: 100 * w @ u.T
    >>> confidence_factors(u, cw, f).tolist()
    [1.0, 0.0, nan]
    """
    n = u.shape[0]
    out = np.full(n, np.nan)
    has = np.flatnonzero(~np.isnan(central).any(axis=1))
    for start in range(0, has.size, 256):
        rows = has[start : start + 256]
        s = scores(u, central[rows])  # len(rows) × n
        best = np.argmax(s, axis=1)  # first maximum: the earliest row wins ties
        out[rows] = (best == rows).astype(float)
    return out
