"""Primary and secondary cell suppression of count tables linked by additive relations.

A *cell system* holds every published count (a cell, keyed by a tuple such as
``("woningen", "Portaal", "BU03070100")``) and the additive relations between them
(``total = part_1 + ... + part_n``): buurt totals over corporations, municipal totals over
buurten, DIA sums, ``eindstand = beginstand + mutations`` and so on. :func:`protect` marks

* **primary** cells: counts with ``0 < |value| < min_count``;
* **secondary** cells: further cells suppressed so that no suppressed value can be derived
  from the published ones.

Method (cell suppression as in Hundepool et al. 2012, *Statistical Disclosure Control*,
ch. 4; the audit is the one of tau-argus/sdcTable, solved with scipy's HiGHS LP):

1. *singleton rule*: a relation with exactly one suppressed cell gives it away; suppress the
   cheapest other non-zero cell of that relation; so does a relation whose suppressed cells
   are parts of one known sign adding up to a count of 1 to ``min_count - 1`` (one dwelling
   of a and two of b beside 50 of c in a published 53: "a and b together 3", a small count
   of a group of dwellings); repeat to a fixpoint;
2. *LP audit*: for each suppressed cell, minimise and maximise it subject to every relation
   (published cells fixed) and to what an attacker knows of each suppressed cell: its sign,
   and for cells marked ``nonzero_known`` (a stock whose existence other figures reveal,
   such as the number of corporations in a buurt) that it is not zero. A cell whose
   interval is narrower than 1 is exposed: suppress the cheapest candidate in the relations
   that pin it (the non-zero duals of the LP); go back to 1;
3. *complementary suppression*: a primary cell still exposed after :data:`_PATIENCE` such
   rounds (or with no candidate left) is protected as a whole, the classic way
   (Hundepool et al. 2012, sec. 4.4; sdcTable's and tau-argus' single-cell LPs): one LP finds
   the cheapest change of the whole table that keeps every relation and every bound the
   attacker knows and moves the cell by 1; the published cells it changes are hidden. The
   unchanged and the changed table are then both feasible: the cell is protected. This is
   what protects a small municipal total pinned through forced totals (a year's
   ``verkoop`` of -3 fixed by the published stands and the other mutations of that year),
   where hiding one buurt cell per round never ends.

Most cells need no LP of their own: every LP solution is a feasible table, so a cell seen
at two values at least 1 apart is protected; and hiding more cells only widens intervals,
so a cell proven protected in one round is not audited again in the next. It ends because
each round suppresses at least one more cell. A cell that no set of hidden cells can
protect (the relations, the known zeros and the signs alone fix it) stops the publication
with :class:`UnprotectableError`: nothing unsafe is written. "Cheapest" is the cell's
weight (totals weigh more than parts, so parts go first), then its size. ``forced`` cells
(municipal totals: the figures of the agreements themselves) are hidden when small
(primary) and otherwise only when nothing else can protect a cell.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from geoprestatie.errors import GeoprestatieError

__all__ = [
    "CELL_TOLERANCE",
    "PRIMARY",
    "PUBLISHED",
    "SECONDARY",
    "CellSystem",
    "UnprotectableError",
    "audit",
    "protect",
]

PUBLISHED, PRIMARY, SECONDARY = 0, 1, 2
#: weight of cells that stay published unless nothing else protects a cell
FORCED = 1e12
_EPS = 1e-6
#: at most this many open cells are decided on their neighbourhoods (a small LP each)
#: without witness LPs over the whole system first
_FEW = 64
#: values of one key closer than this are one cell (:meth:`CellSystem.cell`)
CELL_TOLERANCE = _EPS
#: rounds a primary cell may stay exposed to the cheapest-candidate step before it is
#: protected by a complementary-suppression LP of its own
_PATIENCE = 3
#: cost of hiding a forced cell in that LP (finite, so the LP can still use one)
_FORCED_COST = 1e5


class UnprotectableError(GeoprestatieError):
    """A small count that no set of hidden cells protects (the tables alone fix it)."""


@dataclass
class CellSystem:
    """Counts and the additive relations between them (built up with :meth:`cell`, :meth:`sum`).

    Examples
    --------
    >>> cs = CellSystem()
    >>> for part, v in (("a", 3), ("b", 40), ("c", 60)):
    ...     _ = cs.cell(part, v)
    >>> _ = cs.cell("total", 103, weight=100)
    >>> cs.sum("total", ["a", "b", "c"])
    >>> status = protect(cs, min_count=5)
    >>> {k: int(s) for k, s in zip(cs.keys, status)}
    {'a': 1, 'b': 2, 'c': 0, 'total': 0}
    """

    keys: list[Hashable] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    nonzero_known: list[bool] = field(default_factory=list)
    signs: list[int] = field(default_factory=list)
    _index: dict[Hashable, int] = field(default_factory=dict)
    # the relations, each a total followed by its parts (positions), in chunks
    _members: list[np.ndarray] = field(default_factory=list)
    _lengths: list[np.ndarray] = field(default_factory=list)
    # the lists above as arrays (:meth:`array`), emptied whenever a cell is added or changed
    _arrays: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def array(self, name: str) -> np.ndarray:
        """``values``, ``weights``, ``nonzero_known`` or ``signs`` as a read-only array,
        made once until a cell is added or changed (a national table has a million cells:
        each conversion of a list takes tens of milliseconds)."""
        out = self._arrays.get(name)
        if out is None:
            dtype = {"values": float, "weights": float, "nonzero_known": bool, "signs": np.int64}
            out = np.asarray(getattr(self, name), dtype=dtype[name])
            out.flags.writeable = False
            self._arrays[name] = out
        return out

    def cell(
        self,
        key: Hashable,
        value: float,
        *,
        weight: float = 1.0,
        forced: bool = False,
        nonzero_known: bool = False,
        sign: int | None = None,
    ) -> Hashable:
        """Add a cell (or find it); return its key.

        A key added again with another value becomes a separate cell (key plus a counter),
        so a caller never links two different numbers by accident. ``sign`` is what is
        known of the quantity: +1 never negative, -1 never positive, 0 either (default:
        the sign of ``value``, zero counting as +1); a sign ``value`` contradicts gives way
        to the value's own (:func:`_true_signs`).
        """
        value = float(value)
        weight = FORCED if forced else weight
        self._arrays.clear()
        n = 0
        probe = key
        while probe in self._index:
            i = self._index[probe]
            if abs(self.values[i] - value) < _EPS:
                self.weights[i] = max(self.weights[i], weight)
                return probe
            n += 1
            probe = (key, "#", n)
        self._index[probe] = len(self.keys)
        self.keys.append(probe)
        self.values.append(value)
        self.weights.append(weight)
        self.nonzero_known.append(nonzero_known)
        given = (1 if value >= 0 else -1) if sign is None else (sign > 0) - (sign < 0)
        if given * value < 0:  # :func:`_true_signs` for one cell (no arrays: 130 k calls)
            given = 1 if value >= 0 else -1
        self.signs.append(given)
        return probe

    def has(self, key: Hashable) -> bool:
        """Whether ``key`` is a cell."""
        return key in self._index

    def index(self, key: Hashable) -> int:
        """Position of ``key``."""
        return self._index[key]

    def sum(self, total: Hashable, parts: Sequence[Hashable]) -> None:
        """Relate ``total = sum(parts)`` (the cells must exist); empty ``parts`` is a no-op."""
        if not parts:
            return
        idx = np.array([self._index[total], *(self._index[p] for p in parts)], dtype=np.int64)
        self._members.append(idx)
        self._lengths.append(np.array([len(idx)], dtype=np.int64))

    def cells(
        self,
        keys: Sequence[Hashable],
        values: np.ndarray,
        *,
        signs: np.ndarray,
        nonzero_known: np.ndarray | bool = False,
        forced: bool = False,
        weights: np.ndarray | float = 1.0,
    ) -> np.ndarray:
        """Add many cells at once; their positions. The same as :meth:`cell` for each in
        turn (``signs`` and ``weights`` given per cell or for all), in one step when every
        key is new.

        Examples
        --------
        >>> cs = CellSystem()
        >>> cs.cells(["a", "b"], np.array([3.0, 4.0]), signs=np.array([1, 1])).tolist()
        [0, 1]
        >>> cs.cells(["a", "c"], np.array([3.0, 5.0]), signs=np.array([1, 1])).tolist()
        [0, 2]
        """
        n = len(keys)
        self._arrays.clear()
        values = np.asarray(values, dtype=float).reshape(n)
        nonzero = np.broadcast_to(np.asarray(nonzero_known, dtype=bool), (n,))
        weight = np.broadcast_to(np.asarray(weights, dtype=float), (n,))
        signs = _true_signs(values, np.asarray(signs, dtype=np.int64).reshape(n))
        start = len(self.keys)
        fresh = self._index.keys().isdisjoint(keys)
        if fresh:
            self._index.update(zip(keys, range(start, start + n), strict=True))
            if len(self._index) < start + n:  # a key twice among them: one by one
                for k in keys:
                    self._index.pop(k, None)
                fresh = False
        if not fresh:
            return np.array(
                [
                    self.index(
                        self.cell(k, v, weight=w, forced=forced, nonzero_known=bool(z), sign=int(g))
                    )
                    for k, v, w, z, g in zip(
                        keys, values.tolist(), weight.tolist(), nonzero, signs, strict=True
                    )
                ],
                dtype=np.int64,
            )
        self.keys.extend(keys)
        self.values.extend(values.tolist())
        self.weights.extend([FORCED] * n if forced else weight.tolist())
        self.nonzero_known.extend(nonzero.tolist())
        self.signs.extend(signs.tolist())
        return np.arange(start, start + n, dtype=np.int64)

    def sums(self, members: np.ndarray, lengths: np.ndarray) -> None:
        """Many relations at once, by position: ``members`` holds each relation's total
        followed by its parts, ``lengths`` their numbers of cells (each at least 2)."""
        self._members.append(np.asarray(members, dtype=np.int64))
        self._lengths.append(np.asarray(lengths, dtype=np.int64))

    @property
    def n_relations(self) -> int:
        """Number of relations."""
        return int(sum(len(n) for n in self._lengths))

    def matrix(self) -> sparse.csr_matrix:
        """The relations as a sparse matrix (rows: relations, columns: cells)."""
        lengths = np.concatenate([np.zeros(0, dtype=np.int64), *self._lengths])
        cols = np.concatenate([np.zeros(0, dtype=np.int64), *self._members])
        rows = np.repeat(np.arange(len(lengths)), lengths)
        data = np.full(len(cols), -1.0)
        data[np.cumsum(lengths) - lengths] = 1.0  # the total
        shape = (len(lengths), len(self.keys))
        return sparse.csr_matrix((data, (rows, cols)), shape=shape)


def _true_signs(values: np.ndarray, signs: np.ndarray) -> np.ndarray:
    """The sign known of each cell: ``signs``, except where the value itself contradicts it
    (a negative stand in odd input): then the value's own. The attacker is assumed to know
    what is true; a bound the true table breaks would make every audit LP infeasible.

    Examples
    --------
    >>> _true_signs(np.array([-6.0, 4.0, 0.0, -2.0]), np.array([1, 1, -1, 0])).tolist()
    [-1, 1, -1, 0]
    """
    out = np.sign(signs)
    return np.where(out * values < 0, np.where(values >= 0, 1, -1), out)


def protect(cells: CellSystem, *, min_count: int) -> np.ndarray:
    """Status per cell: :data:`PUBLISHED`, :data:`PRIMARY` or :data:`SECONDARY`.

    ``min_count = 0`` suppresses nothing.
    """
    values = cells.array("values")
    status = np.zeros(len(values), dtype=np.int8)
    if min_count <= 0 or not len(values):
        return status
    mag = np.abs(values)
    signs = cells.array("signs")
    weights = cells.array("weights")
    status[(mag >= 1 - _EPS) & (mag < min_count - _EPS)] = PRIMARY
    if not cells.n_relations:
        return status
    a = cells.matrix()
    rank = np.empty(len(values), dtype=np.int64)
    rank[np.lexsort((mag, mag < _EPS, weights))] = np.arange(len(values))
    # a candidate must add uncertainty: not a zero the attacker knows to be zero; forced
    # cells come last
    useful = (mag > _EPS) | ~cells.array("nonzero_known")
    rank[~useful] = len(values) * 2
    rank[weights >= FORCED] += len(values)
    # hiding more cells only widens intervals: a cell proven protected stays protected
    # (its witness tables stay feasible with the newly hidden cells at their values), so
    # each round audits only the cells not proven yet
    proven = np.zeros(len(values), dtype=bool)
    rounds = np.zeros(len(values), dtype=np.int64)  # rounds each cell has been exposed
    while True:
        _singletons(a, rank, status, small=(values, signs, min_count))
        pinned = audit(cells, status != PUBLISHED, a=a, proven=proven)
        exposed = {j: rels for j, rels in pinned.items() if status[j] == PRIMARY}
        if not exposed:
            return _republish_pinned(
                cells, a, status, [j for j in pinned if status[j] == SECONDARY]
            )
        before = int((status != PUBLISHED).sum())
        rounds[list(exposed)] += 1
        stubborn = [j for j in exposed if rounds[j] >= _PATIENCE]
        for j, rels in exposed.items():
            if rounds[j] < _PATIENCE and not _suppress_cheapest(
                a, np.asarray(sorted(rels), dtype=np.int64), rank, status
            ):
                stubborn.append(j)  # no candidate left in the relations that pin it
        far = _complement(cells, a, stubborn, status) if stubborn else []
        if far:  # no change found near them: hide the relations that pin them
            _hide_around(cells, a, {j: exposed[j] for j in far}, status)
        if int((status != PUBLISHED).sum()) == before:  # the audit and the LP disagree
            _hide_around(cells, a, exposed, status)


def _republish_pinned(
    cells: CellSystem, a: sparse.csr_matrix, status: np.ndarray, pinned: list[int]
) -> np.ndarray:
    """Publish again the secondary cells the last audit found pinned (interval below 1):
    they add next to no uncertainty. Their interval need not be a single value (a system
    that is not totally unimodular: a complementary change moves some cells by a third), so
    fixing them can narrow a primary cell: a fresh audit of the smaller set of hidden cells
    decides, and where it pins a primary cell they all stay hidden."""
    if not pinned:
        return status
    trial = status.copy()
    trial[pinned] = PUBLISHED
    again = audit(cells, trial != PUBLISHED, a=a)  # fresh: fewer hidden cells, no proofs
    return status if any(trial[j] == PRIMARY for j in again) else trial


def _hide_around(
    cells: CellSystem, a: sparse.csr_matrix, exposed: dict[int, set[int]], status: np.ndarray
) -> None:
    """The last resort when a round hid nothing (the audit still finds a cell pinned where
    the LP of :func:`_move` saw a way, e.g. a numerically borderline system): hide every
    published cell, forced ones too, of the relations that pin each exposed cell. Hiding
    more is always safe; with nothing left to hide, :class:`UnprotectableError`."""
    hid = False
    for rels in exposed.values():
        for rel in sorted(rels):
            members = a.indices[a.indptr[rel] : a.indptr[rel + 1]]
            shown = members[status[members] == PUBLISHED]
            status[shown] = SECONDARY
            hid = hid or bool(shown.size)
    if not hid:
        raise _unprotectable(cells, next(iter(exposed)))


def _unprotectable(cells: CellSystem, j: int) -> UnprotectableError:
    return UnprotectableError(
        f"publicatie: het kleine aantal {cells.keys[j]!r} ligt vast door de samenhang "
        "van de tabellen, ook als alle andere cellen verborgen worden; publiek/ is "
        "niet geschreven. Controleer de invoer of meld dit aan de beheerders"
    )


def _candidates(a: sparse.csr_matrix, rel: int, rank: np.ndarray, status: np.ndarray) -> np.ndarray:
    """Published, non-forced members of relation ``rel`` that may be hidden."""
    members = a.indices[a.indptr[rel] : a.indptr[rel + 1]]
    out: np.ndarray = members[(status[members] == PUBLISHED) & (rank[members] < len(rank))]
    return out


def _suppress_cheapest(
    a: sparse.csr_matrix, rels: np.ndarray, rank: np.ndarray, status: np.ndarray
) -> bool:
    """Hide the cheapest candidate of ``rels``; whether there was one."""
    pools = [_candidates(a, int(r), rank, status) for r in rels]
    pool = np.concatenate(pools) if pools else np.array([], dtype=np.int64)
    if pool.size:
        status[pool[np.argmin(rank[pool])]] = SECONDARY
    return bool(pool.size)


def _complement(
    cells: CellSystem, a: sparse.csr_matrix, exposed: Sequence[int], status: np.ndarray
) -> list[int]:
    """Protect each of ``exposed`` as a whole: hide the published cells that the cheapest
    change of the table moving it by 1 changes (:func:`_move`). Returns the cells for which
    no change was found among at most :data:`_LP_CELLS` cells (a national table is one
    component of a million cells: one LP over it took 7-15 s); the caller hides around them.

    Cells hidden for one cell cost nothing for the next. Raises
    :class:`UnprotectableError` for a cell that no change of the whole table moves.
    """
    values = cells.array("values")
    lo, hi = _bound_arrays(values, cells.array("nonzero_known"), cells.array("signs"))
    known = (np.abs(values) < _EPS) & cells.array("nonzero_known")
    up = np.where(known, 0.0, np.maximum(hi - values, 0.0))
    down = np.where(known, 0.0, np.maximum(values - lo, 0.0))
    weight = np.minimum(cells.array("weights"), _FORCED_COST)
    columns = a.tocsc()  # one conversion for all the LPs below
    ones = abs(a)
    left: list[int] = []
    hidden = status != PUBLISHED
    cost = np.where(hidden, 0.0, weight)  # both kept up to date below, not made per cell
    for j in exposed:
        away = 1.0 if values[j] >= 0 else -1.0
        regions = _regions(a, columns, ones, j, hidden)
        change, whole = None, False
        for region in regions:
            whole = region is None
            change = next(
                (
                    d
                    for step in (away, -away)
                    if (d := _move(a, j, step, cost, up, down, region, columns=columns)) is not None
                ),
                None,
            )
            if change is not None:
                break
        if change is not None:
            moved = np.flatnonzero((np.abs(change) > _EPS) & ~hidden)
            status[moved] = SECONDARY
            hidden[moved] = True
            cost[moved] = 0.0
        elif whole:
            raise _unprotectable(cells, j)
        else:
            left.append(j)  # not searched over the whole table
    return left


def _regions(
    a: sparse.csr_matrix,
    columns: sparse.csc_matrix,
    ones: sparse.csr_matrix,
    j: int,
    hidden: np.ndarray,
) -> Iterator[np.ndarray | None]:
    """Where :func:`_complement` looks for a change of cell ``j``, made as they are needed:
    the cells within :data:`_REACH` relations of it, the cells sharing a relation with a
    hidden cell, every cell (``None``); each only while at most :data:`_LP_CELLS` cells.
    A change found among fewer cells keeps every relation too (the others stay as they
    are): it protects, perhaps at a higher cost."""
    if a.shape[1] > _LP_CELLS:  # a large table; a small one: the cheapest change of all
        yield from _around(a, columns, j, _REACH)
    touched = (ones @ hidden.astype(float) > 0).astype(float)
    near = np.asarray(ones.T @ touched).ravel() > 0
    if int(near.sum()) <= _LP_CELLS:
        yield near
    if a.shape[1] <= _LP_CELLS:
        yield None


#: The most cells one LP of :func:`_complement` may change (else the caller hides around).
_LP_CELLS = 50_000

#: How far (in relations) :func:`_complement` first looks for a change around a cell.
_REACH = (2, 3)


def _around(
    a: sparse.csr_matrix, columns: sparse.csc_matrix, j: int, reach: Sequence[int]
) -> Iterator[np.ndarray]:
    """The cells within each of ``reach`` relations of cell ``j`` (masks, nested), each
    made when asked for, from the rows and columns it reaches only; none once they pass
    :data:`_LP_CELLS`."""
    cells = np.array([j])
    steps = 0
    for depth in reach:
        while steps < depth and len(cells) <= _LP_CELLS:
            rels = np.unique(columns[:, cells].indices)
            if (a.indptr[rels + 1] - a.indptr[rels]).sum() > 4 * _LP_CELLS:
                return  # too far reaching to count (a national total's relations)
            cells = np.unique(a[rels].indices)
            steps += 1
        if len(cells) > _LP_CELLS:
            return
        mask = np.zeros(a.shape[1], dtype=bool)
        mask[cells] = True
        yield mask


def _move(
    a: sparse.csr_matrix,
    j: int,
    step: float,
    cost: np.ndarray,
    up: np.ndarray,
    down: np.ndarray,
    allowed: np.ndarray | None = None,
    *,
    columns: sparse.csc_matrix | None = None,
) -> np.ndarray | None:
    """The cheapest change ``d`` of the table with ``a @ d = 0``, ``d[j] = step`` and
    ``-down <= d <= up`` (cost: ``cost`` per unit changed; one LP, split into the rises
    ``p`` and falls ``q``, ``d = p - q``), changing only ``allowed`` cells (default: all);
    None when there is none."""
    n = a.shape[1]
    if allowed is not None and not allowed[j]:
        return None
    # the programme of the cells that may move and the relations they are in: the others
    # stay as they are (a few thousand cells of a national table's million: 0.28 s -> ms)
    cells = np.arange(n) if allowed is None else np.flatnonzero(allowed)
    m, at_j = len(cells), int(np.searchsorted(cells, j))
    ub = np.concatenate([up[cells], down[cells]])
    if ub[at_j if step > 0 else m + at_j] < abs(step) - _EPS:
        return None  # beyond what the attacker knows of the cell itself
    ub[at_j], ub[m + at_j] = (step, 0.0) if step > 0 else (0.0, -step)
    lb = np.zeros(2 * m)
    lb[at_j if step > 0 else m + at_j] = abs(step)
    free = np.flatnonzero(ub > 0)  # a cell that cannot move in a direction drops out
    moving = np.unique(free % m)
    whole = sparse.csc_matrix(a) if columns is None else columns
    part = whole[:, cells[moving]] if len(moving) < n else whole
    rows = np.unique(part.indices)
    part = part.tocsr()[rows]
    at = np.searchsorted(moving, free % m)
    matrix = sparse.hstack([part[:, at[free < m]], -part[:, at[free >= m]]]).tocsc()
    res = linprog(
        np.concatenate([cost[cells], cost[cells]])[free],
        A_eq=matrix,
        b_eq=np.zeros(len(rows)),
        bounds=np.column_stack([lb[free], ub[free]]),
        method="highs",
    )
    if res.status != 0:
        return None
    x = np.zeros(2 * m)
    x[free] = res.x
    out = np.zeros(n)
    out[cells] = x[:m] - x[m:]
    return out


def _singletons(
    a: sparse.csr_matrix,
    rank: np.ndarray,
    status: np.ndarray,
    *,
    small: tuple[np.ndarray, np.ndarray, int] | None = None,
) -> None:
    """Suppress one more cell in every relation with exactly one suppressed cell, and (with
    ``small``: values, known signs, the minimum) in every relation whose suppressed cells
    are parts of one known sign that add up to a count of 1 to ``min - 1``: the total less
    the published parts gives that sum (one dwelling of a and two of b: "a and b together
    3"), a small count of the group, and bounds each of them by it."""
    ones = sparse.csr_matrix((np.ones(a.nnz), a.indices, a.indptr), shape=a.shape)
    while True:
        hidden = ones @ (status != PUBLISHED).astype(float)
        flagged = np.abs(hidden - 1) < _EPS
        if small is not None:
            flagged |= _small_sums(a, ones, status, *small)
        changed = False
        for rel in np.flatnonzero(flagged):
            lo, hi = a.indptr[rel], a.indptr[rel + 1]
            members = a.indices[lo:hi]
            shut = status[members] != PUBLISHED
            n_hidden = int(shut.sum())
            if not (
                n_hidden == 1
                or (
                    n_hidden > 1
                    and small is not None
                    and _small_row(a.data[lo:hi][shut], members[shut], *small)
                )
            ):
                continue  # fixed by an earlier relation in this pass
            pool = _candidates(a, int(rel), rank, status)
            if pool.size:
                status[pool[np.argmin(rank[pool])]] = SECONDARY
                changed = True
        if not changed:
            return


def _small_row(
    coef: np.ndarray, cells: np.ndarray, values: np.ndarray, signs: np.ndarray, min_count: int
) -> bool:
    """:func:`_small_sums` for the suppressed ``cells`` of one relation (``coef``: theirs)."""
    sign = signs[cells]
    total = abs(float(values[cells].sum()))
    return bool(
        (coef < 0).all()
        and ((sign > 0).all() or (sign < 0).all())
        and 1 - _EPS <= total < min_count - _EPS
    )


def _small_sums(
    a: sparse.csr_matrix,
    ones: sparse.csr_matrix,
    status: np.ndarray,
    values: np.ndarray,
    signs: np.ndarray,
    min_count: int,
) -> np.ndarray:
    """Per relation: whether its suppressed cells (two or more) are all parts (the total
    published), of one known sign, adding up to a count of 1 to ``min_count - 1``.

    Examples
    --------
    >>> a = sparse.csr_matrix(np.array([[1.0, -1.0, -1.0, -1.0]]))
    >>> ones = abs(a)
    >>> values, signs = np.array([53.0, 1.0, 2.0, 50.0]), np.ones(4, dtype=np.int64)
    >>> _small_sums(a, ones, np.array([0, 1, 1, 0]), values, signs, 5).tolist()
    [True]
    >>> _small_sums(a, ones, np.array([0, 1, 1, 2]), values, signs, 5).tolist()
    [False]
    """
    hidden = (status != PUBLISHED).astype(float)
    n_hidden = ones @ hidden
    part = sparse.csr_matrix(((a.data < 0).astype(float), a.indices, a.indptr), shape=a.shape)
    parts_hidden = part @ hidden
    same = np.maximum(ones @ (hidden * (signs > 0)), ones @ (hidden * (signs < 0)))
    total = np.abs(part @ (hidden * values))
    flags: np.ndarray = (
        (n_hidden >= 2 - _EPS)
        & (np.abs(parts_hidden - n_hidden) < _EPS)
        & (np.abs(same - n_hidden) < _EPS)
        & (total >= 1 - _EPS)
        & (total < min_count - _EPS)
    )
    return flags


def audit(
    cells: CellSystem,
    suppressed: np.ndarray,
    *,
    a: sparse.csr_matrix | None = None,
    proven: np.ndarray | None = None,
) -> dict[int, set[int]]:
    """Cells among ``suppressed`` whose value an attacker can pin down (interval < 1).

    The attacker knows every published cell, every relation, the sign of each suppressed
    cell and that it is not zero. The relations among suppressed cells fall apart into
    independent groups (connected components); all groups are solved together, as one
    block-diagonal LP per objective, so the number of LPs does not grow with the number of
    groups. Returns each exposed cell with the relations that pin it (non-zero LP duals).

    ``proven`` (one flag per cell, updated in place) holds the cells already proven
    protected by an audit of fewer suppressed cells: they are not audited again, and the
    cells proven now are added. Valid only while the suppressed cells grow.
    """
    values = cells.array("values")
    if a is None:
        a = cells.matrix()
    if proven is None:
        proven = np.zeros(len(values), dtype=bool)
    hidden = np.flatnonzero(suppressed)
    if not hidden.size or a.shape[0] == 0 or proven[hidden].all():
        return {}
    sub = a[:, hidden].tocsr()
    used = np.flatnonzero(np.diff(sub.indptr) > 0)
    if not used.size:  # in no relation: each is bounded on one side at most
        proven[hidden] = True
        return {}
    sub = sub[used]
    known = np.asarray(a[used] @ np.where(suppressed, 0.0, values)).ravel()
    _, group = connected_components((sub.T @ sub).tocsr(), directed=False)
    bounds = _bounds(
        values[hidden], cells.array("nonzero_known")[hidden], cells.array("signs")[hidden]
    )
    found, safe = _exposed_in(sub, -known, values[hidden], bounds, group, proven[hidden])
    proven[hidden[safe]] = True
    return {int(hidden[j]): {int(used[r]) for r in rows} for j, rows in found.items()}


def _bounds(
    truth: np.ndarray, nonzero: np.ndarray, signs: np.ndarray
) -> list[tuple[float | None, float | None]]:
    """What the attacker knows of each hidden cell: its sign, and |x| >= 1 when ``nonzero``
    (:func:`_bound_arrays`, as the ``(lower, upper)`` pairs of ``linprog``, None unbounded)."""
    lo, hi = _bound_arrays(truth, nonzero, signs)
    return [
        (None if np.isinf(low) else low, None if np.isinf(high) else high)
        for low, high in zip(lo.tolist(), hi.tolist(), strict=True)
    ]


def _bound_arrays(
    truth: np.ndarray, nonzero: np.ndarray, signs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The lower and upper bound the attacker knows of each cell (-inf, inf: none): never
    negative (+1 sign) or never positive (-1), at least 1 away from zero when ``nonzero``
    and not zero; a cell of unknown sign (0) that is ``nonzero`` keeps its own value's sign.

    Examples
    --------
    >>> lo, hi = _bound_arrays(np.array([3.0, -2.0, 0.0, 4.0]), np.array([True, True, True, False]),
    ...                        np.array([1, 0, 0, 0]))
    >>> lo.tolist(), hi.tolist()
    ([1.0, -inf, -inf, -inf], [inf, -1.0, inf, inf])
    """
    truth = np.asarray(truth, dtype=float)
    nz = np.asarray(nonzero, dtype=bool)
    signs = np.asarray(signs)
    step = np.where(nz & (np.abs(truth) > _EPS), 1.0, 0.0)
    pos = (signs > 0) | ((signs == 0) & nz & (truth > 0))
    neg = ~pos & ((signs < 0) | ((signs == 0) & nz & (truth < 0)))
    return np.where(pos, step, -np.inf), np.where(neg, -step, np.inf)


@dataclass
class _Witness:
    """The spread of feasible values seen per hidden cell, and the binding relations."""

    a_eq: sparse.csr_matrix
    b_eq: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    row_group: np.ndarray
    binding: dict[int, set[int]] = field(default_factory=dict)

    def solve(
        self,
        c: np.ndarray,
        bounds: Sequence[tuple[float | None, float | None]],
        cols: np.ndarray,
        group: np.ndarray,
    ) -> int:
        """One LP; its solution widens every cell's spread; the duals of each of ``cols``'
        group are that cell's binding relations. Returns the solver status."""
        res = linprog(c, A_eq=self.a_eq, b_eq=self.b_eq, bounds=bounds, method="highs")
        if res.status == 0:
            np.minimum(self.lo, res.x, out=self.lo)
            np.maximum(self.hi, res.x, out=self.hi)
            duals = np.abs(np.asarray(res.eqlin.marginals)) > _EPS
            for j in cols.tolist():
                rows = np.flatnonzero(duals & (self.row_group == group[j]))
                self.binding.setdefault(j, set()).update(rows.tolist())
        return int(res.status)

    def open(self) -> np.ndarray:
        """Cells not yet seen at two values at least 1 apart."""
        out: np.ndarray = self.hi - self.lo < 1 - _EPS
        return out


def _exposed_in(
    a_eq: sparse.csr_matrix,
    b_eq: np.ndarray,
    truth: np.ndarray,
    exact: list[tuple[float | None, float | None]],
    group: np.ndarray,
    proven: np.ndarray,
) -> tuple[dict[int, set[int]], np.ndarray]:
    """The cells whose feasible interval is narrower than 1, with their binding relations,
    and a flag per cell: proven protected (``proven``: known to be, not audited again).

    Every LP solution is a witness for all cells at once: a cell seen at two values at
    least 1 apart is protected, so most cells need no LP of their own. A few LPs with
    random objectives inside a box first spread the witnesses; then the cells left open are
    minimised and maximised exactly (without the box), one cell per group in each LP (the
    groups share no relation, so one LP answers for all of them). A batch that is
    unbounded somewhere is solved cell by cell.
    """
    n = len(truth)
    span = float(np.abs(truth).max() * 2 + 10)
    # the witness LPs stay bounded: a free cell boxed on both sides (an unbounded LP gives
    # no solution, so no witness for any cell)
    boxed = [(-span if lo is None else lo, span if hi is None else hi) for lo, hi in exact]
    first = a_eq.indices[a_eq.indptr[:-1]]  # every row holds a hidden cell
    w = _Witness(a_eq, b_eq, truth.astype(float), truth.astype(float), group[first])
    # a cell in no relation is bounded on one side at most: any value beyond fits
    alone = np.flatnonzero(np.diff(a_eq.tocsc().indptr) == 0)
    w.hi[[j for j in alone.tolist() if exact[j][0] is None or exact[j][1] is None]] = np.inf
    w.hi[proven] = np.inf
    if int(w.open().sum()) > _FEW:
        _spread(w, boxed, truth, group)
    done = np.zeros(n, dtype=bool)
    out: dict[int, set[int]] = {}
    by_col = a_eq.tocsc()
    for j in np.flatnonzero(w.open()).tolist():
        if w.open()[j]:
            done[j] = _local(w, by_col, j, exact, truth, out)
    while True:
        todo = np.flatnonzero(w.open() & ~done)
        if not todo.size:
            break
        # one open cell per group
        batch = todo[np.unique(group[todo], return_index=True)[1]]
        for sign in (-1.0, 1.0):
            cols = batch[w.open()[batch]]
            if not cols.size:
                break
            c = np.zeros(n)
            c[cols] = sign
            if w.solve(c, exact, cols, group) != 0:  # unbounded (or worse): one by one
                for j in cols.tolist():
                    one = np.zeros(n)
                    one[j] = sign
                    if w.solve(one, exact, np.array([j]), group) == 3:
                        w.hi[j] = np.inf  # any larger/smaller value fits
        done[batch] = True
    for j in np.flatnonzero(w.open()).tolist():
        if j not in out:
            out[j] = w.binding.get(j) or set(a_eq[:, [j]].tocoo().row.tolist())
    return out, ~w.open()


def _spread(
    w: _Witness,
    boxed: Sequence[tuple[float | None, float | None]],
    truth: np.ndarray,
    group: np.ndarray,
) -> None:
    """Witness LPs over the whole system: a few random directions for the open cells, then
    every open cell pushed away from where it was seen, all in one LP (a group's cells are
    tied by the municipal totals, so one cell per LP would make the LPs grow with the
    table); repeated while it resolves a good share of them."""
    n = len(truth)
    rng = np.random.default_rng(0)
    none = np.array([], dtype=np.int64)
    for _ in range(min(4, int(w.open().sum()))):
        w.solve(np.where(w.open(), rng.standard_normal(n), 0.0), boxed, none, group)
    for _ in range(8):
        todo = np.flatnonzero(w.open())
        if not todo.size:
            break
        c = np.zeros(n)
        # up where no value above the true one was seen yet, down otherwise
        c[todo] = np.where(w.hi[todo] <= truth[todo] + _EPS, -1.0, 1.0)
        c[todo] *= rng.uniform(0.5, 1.5, todo.size)
        w.solve(c, boxed, none, group)
        if w.open().sum() > 0.8 * todo.size:
            break


def _local(
    w: _Witness,
    by_col: sparse.csc_matrix,
    j: int,
    exact: list[tuple[float | None, float | None]],
    truth: np.ndarray,
    out: dict[int, set[int]],
) -> bool:
    """Decide cell ``j`` on its neighbourhood (the relations within two steps of it): with
    only those relations (fewer constraints: a wider interval) an interval below 1 proves
    it exposed; with the cells beyond fixed at their values (a feasible table of the whole
    system) two values 1 apart prove it protected. Returns whether ``j`` is decided."""
    a_eq = w.a_eq
    rows = np.unique(by_col.indices[by_col.indptr[j] : by_col.indptr[j + 1]])
    if not rows.size:
        return False  # in no relation: its bounds decide, in the LPs over all cells
    for _ in range(2):
        cols = np.unique(a_eq[rows].indices)
        rows = np.unique(by_col[:, cols].tocoo().row)
    cols = np.unique(a_eq[rows].indices)
    if len(cols) > 2000:
        return False  # not small: left to the LPs over all cells
    at = int(np.searchsorted(cols, j))
    bounds = [exact[c] for c in cols.tolist()]
    # relaxation: only these relations (they hold no other cell); fewer constraints
    if _interval(a_eq[rows][:, cols], w.b_eq[rows], bounds, at, w, j, rows) < 1 - _EPS:
        out[j] = w.binding.get(j) or set(rows.tolist())
        return True
    # restriction: every relation of these cells, the cells beyond fixed at their values
    touching = np.unique(by_col[:, cols].tocoo().row)
    full = a_eq[touching]
    rest = np.ones(a_eq.shape[1], dtype=bool)
    rest[cols] = False
    rhs = w.b_eq[touching] - full[:, np.flatnonzero(rest)] @ truth[rest]
    _interval(full[:, cols], rhs, bounds, at, w, j, touching, cols=cols)
    return not bool(w.open()[j])


def _interval(
    a: sparse.csr_matrix,
    b: np.ndarray,
    bounds: list[tuple[float | None, float | None]],
    at: int,
    w: _Witness,
    j: int,
    rows: np.ndarray,
    *,
    cols: np.ndarray | None = None,
) -> float:
    """Width of cell ``at``'s interval in the LP ``a x = b`` (inf when unbounded), its
    binding relations added to ``w``; with ``cols`` (a restriction of the whole system)
    each solution, completed with the true values elsewhere, is a witness for ``w``."""
    ends = []
    for sign in (1.0, -1.0):
        c = np.zeros(a.shape[1])
        c[at] = sign
        res = linprog(c, A_eq=a, b_eq=b, bounds=bounds, method="highs")
        if res.status != 0:
            return float("inf")
        ends.append(float(res.x[at]))
        if cols is None:  # the relations that pin it, should it be exposed
            duals = np.flatnonzero(np.abs(np.asarray(res.eqlin.marginals)) > _EPS)
            w.binding.setdefault(j, set()).update(rows[duals].tolist())
        else:
            np.minimum.at(w.lo, cols, res.x)
            np.maximum.at(w.hi, cols, res.x)
    return abs(ends[1] - ends[0])
