"""Join the parties' data to CBS buurten, accounting for every record.

:func:`join_sources` places each dwelling in a buurt (point in polygon; points within
``tolerance_m`` of a buurt go to the nearest one, because CBS boundaries are generalised;
or by the ``buurtcode`` given), links sales to the stock by ``vhe_id``, adds liveability and
heat plans by code, and aggregates one row per buurt. Its :class:`JoinReport` says per
source how many records were read, joined (of which snapped to the nearest buurt) and not
joined, by reason; ``read == joined + not joined`` always holds (:meth:`JoinReport.check`).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geoprestatie._partitioned import MAX_PARTITIONS, assign_partitioned
from geoprestatie._validate import RD_NEW, require_columns, to_rd_new
from geoprestatie.errors import ConfigError, InputError
from geoprestatie.huur import RENT_CLASSES, RentLimits, classify_rent, limits_for
from geoprestatie.sources._tabular import (
    ATTR_READ,
    ATTR_REJECTED,
    ATTR_SOURCE,
    REASONS,
    REJECT_COLUMNS,
)
from geoprestatie.sources.stock import link_to_stock
from geoprestatie.teksten import LET_OP

__all__ = [
    "KOPPELING",
    "JoinConfig",
    "JoinReport",
    "JoinResult",
    "SourceCount",
    "assign_buurten",
    "build_buurt_table",
    "join_sources",
    "slug",
]

#: How a record was placed in its buurt (the ``koppeling`` column).
KOPPELING: tuple[str, ...] = ("binnen", "dichtstbij", "buurtcode")

_EFG = ("E", "F", "G")
_NOT_JOINED_COLUMNS = ("bron", *REJECT_COLUMNS)


def slug(name: str) -> str:
    """Column-safe slug of a name: ASCII, lower case, ``_`` between words.

    Examples
    --------
    >>> slug("de Alliantie"), slug("Woonstichting Vidomes"), slug("Ons Huis/Über")
    ('de_alliantie', 'woonstichting_vidomes', 'ons_huis_uber')
    """
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_") or "onbekend"


@dataclass(frozen=True)
class JoinConfig:
    """Options of :func:`join_sources`.

    Attributes
    ----------
    tolerance_m
        Points outside every buurt but within this distance (metres) of one go to the
        nearest buurt (CBS boundaries are generalised). 0 turns snapping off.
    huur_jaar
        Year of the rent limits used for the ``huur_<klasse>`` counts.
    huurgrenzen
        Rent limits per year; ``None`` uses :data:`geoprestatie.huur.DEFAULT_LIMITS`.
    verkoop_status
        Sales statuses counted in ``verkoop_gepland``.
    corporatie_kolommen
        At most this many ``woningen_<corporatie>`` columns in the buurt table: the largest
        corporations of the study area; the dwellings of the others are summed in
        ``woningen_overige_corporaties``. A national run has ~280 corporations, and a file
        with thousands of distinct names would otherwise give thousands of columns (more
        than a GeoPackage or a sheet holds).
    partities
        0 (default): place the points on this machine (threads over its cores). N > 0:
        place them over N dask-geopandas partitions (:mod:`geoprestatie._partitioned`;
        the same placement and accounting, on a ``dask.distributed`` cluster when one is
        active). Needs ``pip install 'geoprestatie[dask]'``.

    Examples
    --------
    >>> JoinConfig.from_dict({"tolerance_m": 25, "huur_jaar": 2025}).tolerance_m
    25.0
    """

    tolerance_m: float = 50.0
    huur_jaar: int = 2024
    huurgrenzen: Mapping[int, RentLimits] | None = None
    verkoop_status: tuple[str, ...] = ("voorgenomen",)
    corporatie_kolommen: int = 12
    partities: int = 0

    def __post_init__(self) -> None:
        p = self.partities
        if isinstance(p, bool) or not isinstance(p, int) or not 0 <= p <= MAX_PARTITIONS:
            raise ConfigError(
                f"[koppeling] partities is {p!r}, maar moet een geheel getal van 0 tot en met "
                f"{MAX_PARTITIONS} zijn (0: koppelen op deze machine; N: over N dask-partities)"
            )
        n = self.corporatie_kolommen
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 100:
            raise ConfigError(
                f"[koppeling] corporatie_kolommen is {n!r}, maar moet een geheel getal van 1 "
                "tot en met 100 zijn (het aantal grootste corporaties met een eigen kolom)"
            )
        if isinstance(self.tolerance_m, bool) or not isinstance(self.tolerance_m, int | float):
            raise ConfigError(
                f"tolerance_m is {self.tolerance_m!r} maar moet een aantal meters >= 0 zijn"
            )
        if isinstance(self.huur_jaar, bool) or not isinstance(self.huur_jaar, int):
            raise ConfigError(
                f"huur_jaar is {self.huur_jaar!r} maar moet een jaar (een geheel getal) zijn"
            )
        if not np.isfinite(self.tolerance_m) or self.tolerance_m < 0:
            raise ConfigError(f"tolerance_m is {self.tolerance_m!r} maar moet >= 0 meter zijn")
        object.__setattr__(self, "tolerance_m", float(self.tolerance_m))
        limits_for(self.huur_jaar, self.huurgrenzen)  # unknown year -> ConfigError
        bad = set(self.verkoop_status) - {"voorgenomen", "gerealiseerd"}
        if bad:
            raise ConfigError(
                f"verkoop_status bevat {sorted(bad)} maar de waarden moeten een van "
                "['gerealiseerd', 'voorgenomen'] zijn"
            )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JoinConfig:
        """Build from a TOML table; ``huurgrenzen`` as ``{jaar: {grens: euro}}``."""
        valid = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(valid))
        if unknown:
            raise ConfigError(
                f"onbekende sleutel(s) {unknown} in de koppelingsconfiguratie ([koppeling]); "
                f"geldig zijn {valid}"
            )
        kwargs = dict(data)
        if kwargs.get("huurgrenzen") is not None:
            kwargs["huurgrenzen"] = _rent_limits(kwargs["huurgrenzen"])
        if "verkoop_status" in kwargs:
            status = kwargs["verkoop_status"]
            # one status as text, or a list of them
            kwargs["verkoop_status"] = (status,) if isinstance(status, str) else tuple(status)
        return cls(**kwargs)


@dataclass(frozen=True)
class SourceCount:
    """The accounting of one source."""

    bron: str
    bestand: str
    eenheid: str
    gelezen: int
    gekoppeld: int
    dichtstbij: int
    niet_gekoppeld: dict[str, int] = field(default_factory=dict)

    @property
    def niet_gekoppeld_totaal(self) -> int:
        return int(sum(self.niet_gekoppeld.values()))


@dataclass(frozen=True)
class JoinReport:
    """Per source: records read, joined (snapped to nearest), not joined by reason.

    ``not_joined`` lists the records not joined: ``bron`` (source), ``bestand`` (file),
    ``bron_rij`` (row as the user sees it; NA for raster cells), ``reden``, ``kolom``,
    ``waarde``, ``aantal`` (1 per row; the number of cells for raster records).
    """

    sources: tuple[SourceCount, ...]
    not_joined: pd.DataFrame
    tolerance_m: float
    notes: tuple[str, ...] = ()
    #: ``(bron, column)`` cells that :func:`to_frame` shows as hidden (NA, and True in
    #: ``attrs["onderdrukt"]``): a public report whose totals would reveal hidden counts
    hidden: tuple[tuple[str, str], ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per source with the counts and one column per reason (the ``hidden``
        cells NA and marked in ``attrs["onderdrukt"]``)."""
        reasons = [r for r in REASONS if any(r in s.niet_gekoppeld for s in self.sources)]
        rows = []
        for s in self.sources:
            row: dict[str, Any] = {
                "bron": s.bron,
                "bestand": s.bestand,
                "eenheid": s.eenheid,
                "gelezen": s.gelezen,
                "gekoppeld": s.gekoppeld,
                "waarvan_dichtstbij": s.dichtstbij,
                "niet_gekoppeld": s.niet_gekoppeld_totaal,
            }
            row.update({r: s.niet_gekoppeld.get(r, 0) for r in reasons})
            rows.append(row)
        columns = ["bron", "bestand", "eenheid", "gelezen", "gekoppeld", "waarvan_dichtstbij"]
        frame = pd.DataFrame(rows, columns=[*columns, "niet_gekoppeld", *reasons])
        if not self.hidden:
            return frame
        mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
        for bron, col in self.hidden:
            if col in mask:
                mask.loc[frame["bron"] == bron, col] = True
        for col in mask.columns[mask.any(axis=0).to_numpy()]:
            frame[col] = frame[col].astype("Int64").mask(mask[col], pd.NA)
        frame.attrs["onderdrukt"] = mask
        return frame

    def check(self) -> None:
        """Raise :class:`RuntimeError` unless read == joined + not joined for every source.

        Also checks that the ``not_joined`` frame adds up to the reported counts.
        """
        for s in self.sources:
            if s.gelezen != s.gekoppeld + s.niet_gekoppeld_totaal:
                raise RuntimeError(
                    f"de koppelverantwoording van {s.bron} klopt niet: gelezen {s.gelezen} != "
                    f"gekoppeld {s.gekoppeld} + niet gekoppeld {s.niet_gekoppeld_totaal}"
                )
            mine = self.not_joined.loc[self.not_joined["bron"] == s.bron]
            listed = mine.groupby("reden")["aantal"].sum().to_dict()
            if {k: int(v) for k, v in listed.items()} != {
                k: v for k, v in s.niet_gekoppeld.items() if v
            }:
                raise RuntimeError(
                    f"de niet-gekoppelde records van {s.bron} kloppen niet met de aantallen"
                )

    def __str__(self) -> str:
        lines = [
            f"Koppelverantwoording (tolerantie {self.tolerance_m:g} m)",
        ]
        frame = self.to_frame()
        if frame.empty:
            lines.append("(geen bronnen)")
        else:
            head = ["bron", "bestand", "eenheid", "gelezen", "gekoppeld"]
            head += ["waarvan_dichtstbij", "niet_gekoppeld"]
            lines.append(frame[head].to_string(index=False))
        if not self.not_joined.empty:
            lines.append("")
            lines.append("Niet gekoppeld, per reden:")
            nj = self.not_joined.assign(kolom=self.not_joined["kolom"].fillna("-"))
            grouped = nj.groupby(["bron", "reden", "kolom"], sort=False)["aantal"].sum()
            for keys, n in grouped.items():
                bron, reden, kolom = (str(k) for k in cast(tuple[Any, ...], keys))
                where = f" [{kolom}]" if kolom != "-" else ""
                rows = nj.loc[
                    (nj["bron"] == bron) & (nj["reden"] == reden) & (nj["kolom"] == kolom),
                    "bron_rij",
                ].dropna()
                shown = ", ".join(str(int(r)) for r in rows.head(5))
                more = " …" if len(rows) > 5 else ""
                rij = f"  {'rij' if len(rows) == 1 else 'rijen'} {shown}{more}" if shown else ""
                # REASONS may still carry an English gloss after " / ": users read Dutch only
                label = REASONS[reden].split(" / ")[0]
                lines.append(f"  {bron:<14} {label}{where}: {int(n)}{rij}")
        lines.extend(f"{LET_OP} {note}" for note in self.notes)
        return "\n".join(lines)


def _rent_limits(table: Mapping[Any, Any]) -> dict[int, RentLimits]:
    """``[koppeling.huurgrenzen]`` as ``{jaar: RentLimits}``; every problem a Dutch line."""
    names = [f.name for f in fields(RentLimits)]
    out: dict[int, RentLimits] = {}
    for year, values in table.items():
        where = f"[koppeling.huurgrenzen] {year}"
        if not str(year).isdigit():
            raise ConfigError(f"{where}: de sleutel moet een jaartal zijn, bijv. 2025")
        if not isinstance(values, Mapping) or set(values) != set(names):
            got = sorted(values) if isinstance(values, Mapping) else values
            raise ConfigError(f"{where}: verwacht precies de sleutels {names}; kreeg {got!r}")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values.values()):
            raise ConfigError(f"{where}: de grenzen moeten bedragen in euro zijn; kreeg {values!r}")
        out[int(year)] = RentLimits(**values)
    return out


@dataclass(frozen=True)
class JoinResult:
    """What :func:`join_sources` returns."""

    table: gpd.GeoDataFrame
    #: the placed dwellings with ``buurtcode`` and ``koppeling``; their location as ``x`` and
    #: ``y`` (RD New, EPSG:28992; NaN for a dwelling placed by its buurtcode), not as point
    #: objects (2.5 M of those hold 0.5 GB). A GeoDataFrame of them:
    #: ``gpd.GeoDataFrame(stock, geometry=gpd.points_from_xy(stock.x, stock.y), crs=28992)``
    stock: pd.DataFrame | None
    sales: pd.DataFrame | None
    report: JoinReport

    def usable(self, bron: str) -> pd.DataFrame | None:
        """The joined ``voorraad`` or ``verkoop`` frame, or ``None`` when it was not given
        or when every record of it was set aside: then the data is missing, and rules on it
        must be *onbekend*, never green on zero records."""
        frame = self.stock if bron == "voorraad" else self.sales
        if frame is None:
            return None
        read = sum(s.gelezen for s in self.report.sources if s.bron == bron)
        return None if len(frame) == 0 and read > 0 else frame


def assign_buurten(
    points: np.ndarray | gpd.GeoSeries,
    buurten: gpd.GeoDataFrame,
    *,
    tolerance_m: float = 50.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Buurt position and how it was found (0 inside, 1 nearest within tolerance, -1 none).

    A point on a shared border goes to the first buurt in ``buurten`` order. An invalid
    buurt polygon (a bowtie, overlapping parts) counts as repaired by
    ``shapely.make_valid`` (:func:`geoprestatie.sources.read_buurten` repairs it on reading).

    Returns
    -------
    (positions, how)
        ``positions`` is the row position in ``buurten`` (-1 when none).

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> b = gpd.GeoDataFrame({"buurtcode": ["A", "B"]},
    ...                      geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=28992)
    >>> pos, how = assign_buurten(np.array([Point(5, 5), Point(25, 5), Point(99, 5)]), b,
    ...                           tolerance_m=10)
    >>> pos.tolist(), how.tolist()
    ([0, 1, -1], [0, 1, -1])
    """
    geoms = np.asarray(points.to_numpy() if isinstance(points, gpd.GeoSeries) else points)
    located = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    return _assign(geoms, located, buurten, tolerance_m)


def _assign(
    geoms: np.ndarray, located: np.ndarray, buurten: gpd.GeoDataFrame, tolerance_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`assign_buurten` of ``geoms`` whose ``located`` (not missing, not empty) mask
    is known; the others get -1."""
    n = len(geoms)
    pos = np.full(n, -1, dtype="int64")
    how = np.full(n, -1, dtype="int8")
    if n == 0:
        return pos, how
    polygons = buurten.geometry.to_numpy()
    invalid = ~shapely.is_valid(polygons)
    if invalid.any():
        # an invalid polygon's envelope is its shell's and a prepared test counts ring
        # crossings: both misjudge it; points are placed in the repaired polygon
        repaired = polygons.copy()
        repaired[invalid] = shapely.make_valid(polygons[invalid])
        buurten = buurten.set_geometry(gpd.GeoSeries(repaired, crs=buurten.crs))
    tree = buurten.sindex
    inp, tr = _intersecting(tree, geoms, located)
    if len(inp):
        # the lowest buurt position per point (one pass; no sort of millions of pairs)
        none = np.iinfo(np.int64).max
        best = np.full(n, none, dtype=np.int64)
        np.minimum.at(best, inp, tr.astype(np.int64))  # same types: numpy's fast path
        inside = best != none
        pos[inside] = best[inside]
        how[inside] = 0
    rest = np.flatnonzero((pos < 0) & located)
    if len(rest) and tolerance_m > 0:
        # candidates by envelope first (cheap), exact distances only for those
        c_inp, c_tr = tree.query(geoms[rest], predicate="dwithin", distance=tolerance_m)
        if len(c_inp):
            dist = shapely.distance(geoms[rest][c_inp], buurten.geometry.to_numpy()[c_tr])
            order = np.lexsort((c_tr, dist, c_inp))  # nearest first, ties: lowest position
            c_inp, c_tr = c_inp[order], c_tr[order]
            first = np.unique(c_inp, return_index=True)[1]
            pos[rest[c_inp[first]]] = c_tr[first]
            how[rest[c_inp[first]]] = 1
    return pos, how


#: Below this many points one thread is faster than splitting the work.
_THREADED_MIN = 200_000

#: Points (or candidate pairs) per task of the threaded placement: large enough to amortise
#: a call, small enough that the threads finish together when other processes share the cores.
_CHUNK = 250_000


def _intersecting(
    tree: Any, geoms: np.ndarray, located: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The (input, tree) pairs of ``tree.query(geoms, predicate="intersects")``, in another
    order; ``located``: not missing and not empty. Points go to :func:`_points_intersecting`,
    other geometries (rare) take the plain query.
    """
    point = located & (shapely.get_type_id(geoms) == shapely.GeometryType.POINT)
    at = np.flatnonzero(point)
    every = len(at) == len(geoms)  # the usual case: the input itself, no copy of it
    inp, tr = _points_intersecting(tree, geoms if every else geoms[at])
    if every:
        return inp, tr
    other = np.flatnonzero(located & ~point)
    o_inp, o_tr = tree.query(geoms[other], predicate="intersects")
    return np.concatenate([at[inp], other[o_inp]]), np.concatenate([tr, o_tr])


def _points_intersecting(tree: Any, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_intersecting` of points (none missing or empty), split over the cores.

    The points are queried by envelope only; the candidate pairs are sorted by buurt and
    tested with :func:`shapely.intersects_xy` against prepared buurten, one buurt's points
    after another (its prepared polygon stays in cache). That takes less CPU than the
    query's own predicate, which prepares every point instead of every buurt, and needs no
    sort of the points (national set, 2.5 M points: 3.0 -> 1.74 CPU-s, in file order or
    shuffled; ``benchmarks/README.md``, session 6). The query, the sort and the test release
    the GIL, so threads share the one tree; each buurt is tested in one thread only (GEOS
    builds a prepared geometry's index on first use, which is not thread-safe).
    """
    n = len(points)
    if n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    workers = 1 if n < _THREADED_MIN else max(1, min(os.cpu_count() or 1, 8))
    # prepared copies of our own: the caller's buurten stay as they came, and calls that
    # run at the same time (dask partitions in threads) never share a prepared geometry
    polygons = shapely.from_wkb(shapely.to_wkb(tree.geometries))
    shapely.prepare(polygons)
    nb = len(polygons)
    # small index types: the pairs are millions, and copying them is most of the work that
    # is not split over the threads (16-bit buurt positions also sort in linear time)
    point_t = np.int32 if n < 1 << 31 else np.int64
    buurt_t = np.uint16 if nb <= 1 << 16 else np.int64

    def query(a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        inp, tr = tree.query(points[a:b])  # envelopes only
        return (inp + a).astype(point_t), tr.astype(buurt_t)

    def test(a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        at = order[a:b]
        inp, tr = inp_all[at], tr_all[at]
        hit = shapely.intersects_xy(polygons[tr], xy[inp, 0], xy[inp, 1])
        return inp[hit], tr[hit]

    with ThreadPoolExecutor(max_workers=workers) as pool:
        bounds = [*range(0, n, _CHUNK), n]
        queried = pool.map(query, bounds[:-1], bounds[1:])
        xy = shapely.get_coordinates(points)  # here, while the threads query (holds the GIL)
        parts = list(queried)
        inp_all = np.concatenate([p[0] for p in parts])
        tr_all = np.concatenate([p[1] for p in parts])
        del parts
        order = np.argsort(tr_all, kind="stable")  # by buurt
        # tasks of whole buurten, about _CHUNK pairs each
        ends = np.cumsum(np.bincount(tr_all, minlength=nb))
        cut = ends[np.searchsorted(ends, np.arange(_CHUNK, len(order), _CHUNK))]
        cuts = np.unique(np.concatenate([[0], cut, [len(order)]])).tolist()
        hits = list(pool.map(test, cuts[:-1], cuts[1:]))
    if not hits:
        return np.zeros(0, dtype=point_t), np.zeros(0, dtype=buurt_t)
    return np.concatenate([h[0] for h in hits]), np.concatenate([h[1] for h in hits])


def _accounting(frame: pd.DataFrame, default_name: str) -> tuple[str, int, list[pd.DataFrame]]:
    bestand = str(frame.attrs.get(ATTR_SOURCE, default_name))
    n_read = int(frame.attrs.get(ATTR_READ, len(frame)))
    records = list(frame.attrs.get(ATTR_REJECTED, []))
    rejected = [pd.DataFrame(records, columns=list(REJECT_COLUMNS))] if records else []
    return bestand, n_read, rejected


def _take_codes(codes: pd.Index, positions: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """The buurtcodes at ``positions`` as a string array (one conversion of the few codes)."""
    return pd.array(codes.to_numpy(dtype=object), dtype="string").take(positions)


def _rows_of(frame: pd.DataFrame, mask: np.ndarray | pd.Series) -> pd.Series:
    if "bron_rij" in frame:
        rows: pd.Series = frame.loc[np.asarray(mask), "bron_rij"]
        return rows
    return pd.Series(np.flatnonzero(np.asarray(mask)) + 1)


def _records(
    bestand: str,
    rows: pd.Series,
    reason: str,
    *,
    column: str | None,
    values: pd.Series | list[Any],
    counts: pd.Series | None = None,
) -> list[pd.DataFrame]:
    """Not-joined records as a one-element list of frames (empty list when none)."""
    n = len(rows)
    if n == 0:
        return []
    waarde = np.array(list(values) if isinstance(values, list) else values.to_numpy(), dtype=object)
    missing = pd.isna(waarde)
    waarde[missing] = None
    if not all(isinstance(v, str) for v in waarde[~missing]):
        waarde[~missing] = [str(v) for v in waarde[~missing]]
    frame = pd.DataFrame(
        {
            "bestand": bestand,
            "bron_rij": pd.to_numeric(pd.Series(rows.to_numpy())).astype("Int64"),
            "reden": reason,
            "kolom": column,
            "waarde": waarde,
            "aantal": np.ones(n, dtype="int64") if counts is None else counts.to_numpy("int64"),
        }
    )
    return [frame]


def not_joined_records(
    bron: str,
    bestand: str,
    rows: pd.Series,
    reason: str,
    *,
    column: str | None,
    values: pd.Series | list[Any],
) -> list[pd.DataFrame]:
    """Records of ``bron`` that were not joined, in the shape of ``JoinReport.not_joined``
    (an empty list when there are none); for stages that add their own accounting."""
    frames = _records(bestand, rows, reason, column=column, values=values)
    for frame in frames:
        frame.insert(0, "bron", bron)
    return frames


def _place(
    geoms: np.ndarray,
    has: np.ndarray,
    buurten: gpd.GeoDataFrame,
    tolerance_m: float,
    partitions: int,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`assign_buurten` of the geometries where ``has`` (not missing, not empty), here
    or over dask partitions (``[koppeling] partities``); -1 for the others."""
    if partitions <= 0:
        return _assign(geoms, has, buurten, tolerance_m)  # no copy of the geometries
    p, h = assign_partitioned(
        geoms[has], lambda g: assign_buurten(g, buurten, tolerance_m=tolerance_m), partitions
    )
    pos = np.full(len(geoms), -1, dtype="int64")
    how = np.full(len(geoms), -1, dtype="int8")
    pos[has] = p
    how[has] = h
    return pos, how


def _locate_frame(
    frame: gpd.GeoDataFrame | pd.DataFrame,
    buurten: gpd.GeoDataFrame,
    codes: pd.Index,
    *,
    tolerance_m: float,
    partitions: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Buurt position per row (-1 none) and koppeling code (0 binnen, 1 dichtstbij, 2 code)."""
    n = len(frame)
    pos = np.full(n, -1, dtype="int64")
    how = np.full(n, -1, dtype="int8")
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame:
        if frame.crs is not None and frame.crs.to_epsg() != 28992:
            frame = frame.to_crs(RD_NEW)
        geoms = frame.geometry.to_numpy()
        has = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        if has.any():
            pos, how = _place(geoms, has, buurten, tolerance_m, partitions)
            # a point with no buurt is "outside", whatever buurtcode it also has
            how[has & (pos < 0)] = -2
    else:
        has = np.zeros(n, dtype=bool)
    if "buurtcode" in frame:
        by_code = ~has & frame["buurtcode"].notna().to_numpy()
        if by_code.any():
            found = codes.get_indexer(pd.Index(frame["buurtcode"].to_numpy()[by_code]))
            idx = np.flatnonzero(by_code)
            pos[idx] = found
            how[idx] = np.where(found >= 0, 2, -3)
    return pos, how


def _joined_stock(
    stock: gpd.GeoDataFrame | pd.DataFrame,
    ok: np.ndarray,
    placed: np.ndarray,
    how: np.ndarray,
    codes: pd.Index,
    bestand: str,
) -> tuple[pd.DataFrame, list[str]]:
    """The placed dwellings (``ok``) with their ``buurtcode`` (``placed``: buurt positions)
    and ``koppeling`` (``how``), their points as ``x``/``y`` columns (:class:`JoinResult`);
    a note when a given buurtcode differs from the placement."""
    notes: list[str] = []
    # every dwelling placed (the usual case): the same columns, not a copy of them
    kept = (
        stock.reset_index(drop=True)
        if ok.all()
        else stock.iloc[np.flatnonzero(ok)].reset_index(drop=True)
    )
    joined = _with_xy(kept)
    joined.attrs = {ATTR_SOURCE: bestand}
    given = joined.get("buurtcode", None)
    joined["buurtcode"] = _take_codes(codes, placed)
    if given is not None and given.notna().any():
        has = given.notna().to_numpy()
        differ = given[has].astype(str).to_numpy() != codes[placed[has]].to_numpy()
        if differ.any():
            notes.append(
                f"voorraad: {int(differ.sum())} woning(en) hadden een andere buurtcode dan "
                "de buurt waarin hun coördinaten liggen; de coördinaten zijn gebruikt"
            )
    joined["koppeling"] = pd.Categorical.from_codes(
        how.astype("int64"), categories=pd.Index(KOPPELING)
    )
    return joined, notes


def _with_xy(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a plain DataFrame whose point geometry column is replaced, in its place,
    by the points' ``x`` and ``y`` (NaN without a point); other columns are not copied.

    Examples
    --------
    >>> g = gpd.GeoDataFrame({"a": [1, 2]}, geometry=gpd.points_from_xy([1.5, 3.0], [2.0, 4.0]))
    >>> g.loc[1, "geometry"] = None
    >>> _with_xy(g).to_dict("list")
    {'a': [1, 2], 'x': [1.5, nan], 'y': [2.0, nan]}
    """
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
        return pd.DataFrame(frame)
    name = frame.geometry.name
    values = frame.geometry.values
    points = getattr(values, "_data", values)  # the shapely objects, not a copy of them
    columns: dict[str, Any] = {}
    for c in frame.columns:
        if c == name:
            columns["x"], columns["y"] = shapely.get_x(points), shapely.get_y(points)
        elif c not in ("x", "y"):
            columns[c] = frame[c]
    return pd.DataFrame(columns, index=frame.index)


def _link_placed(sales: pd.DataFrame, stock: pd.DataFrame, ok: np.ndarray) -> np.ndarray:
    """:func:`~geoprestatie.sources.stock.link_to_stock` of the sales to the placed
    dwellings (``ok``), as positions among those (-1 unknown, -2 ambiguous).

    The stock's own columns, the ``vhe_id`` of a dwelling not placed hidden (a missing
    ``vhe_id`` matches nothing): the same answer as a link to a copy of the placed rows,
    without the copy, so it can run before that copy is made.
    """
    vhe = stock["vhe_id"].astype("string")
    keys = pd.DataFrame(
        {
            "vhe_id": (vhe if ok.all() else vhe.where(ok)).array,
            "corporatie": stock["corporatie"].array,
        }
    )
    hit = link_to_stock(sales, keys)
    among = np.cumsum(ok) - 1  # position among the placed dwellings
    return np.where(hit >= 0, among[np.maximum(hit, 0)], hit)


def join_sources(
    buurten: gpd.GeoDataFrame,
    *,
    stock: gpd.GeoDataFrame | pd.DataFrame | None = None,
    sales: gpd.GeoDataFrame | pd.DataFrame | None = None,
    liveability: pd.DataFrame | None = None,
    heat: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    config: JoinConfig = JoinConfig(),
) -> JoinResult:
    """Join stock, sales, liveability and heat plans to the buurten, with accounting.

    Parameters
    ----------
    buurten
        Buurten in the canonical schema (``buurtcode`` unique); any CRS (reprojected to
        EPSG:28992).
    stock
        From :func:`geoprestatie.sources.read_stock` (or a frame in that schema).
    sales
        From :func:`geoprestatie.sources.read_sales`; linked to the stock by ``vhe_id``,
        else by its own location.
    liveability
        A per-buurt frame with ``buurtcode`` and ``leefbaarometer_score``: from
        :func:`geoprestatie.sources.read_liveability` or
        :func:`geoprestatie.datasets.load_indicators`. Its columns not already on the
        buurten are added (so CBS ``woningvoorraad`` arrives with the indicators).
    heat
        From :func:`geoprestatie.sources.read_heat_plans`; wijk rows apply to all buurten
        of the wijk, a buurt row overrides its wijk's row.
    indicators
        Other per-buurt attributes by ``buurtcode``, e.g. the CBS kerncijfers of
        :func:`geoprestatie.datasets.load_indicators` when the liveability comes from a
        raster; only columns not yet in the table are added (liveability wins).
    config
        :class:`JoinConfig`.

    Returns
    -------
    JoinResult
        ``table`` (one row per buurt, columns in ``docs/architecture.md``), ``stock`` and
        ``sales`` (joined rows with ``buurtcode`` and ``koppeling``), ``report``.

    Examples
    --------
    >>> from geoprestatie import datasets
    >>> res = join_sources(datasets.load_buurten("Amersfoort"),
    ...                    liveability=datasets.load_indicators("Amersfoort"))
    >>> len(res.table), res.report.sources[0].gekoppeld
    (145, 145)
    """
    require_columns(buurten, ["buurtcode"], source="buurten")
    b = to_rd_new(buurten, source="buurten")
    if b["buurtcode"].duplicated().any():
        dup = b.loc[b["buurtcode"].duplicated(), "buurtcode"].tolist()[:10]
        raise InputError(
            f"elke buurtcode mag maar één keer voorkomen; dubbel: {dup}", source="buurten"
        )
    b = b.reset_index(drop=True)
    codes = pd.Index(b["buurtcode"].astype(str))
    table = b.copy()
    counts: list[SourceCount] = []
    records: list[pd.DataFrame] = []
    notes: list[str] = []

    def book(
        bron: str,
        bestand: str,
        eenheid: str,
        n_read: int,
        joined: int,
        snapped: int,
        rejected: list[pd.DataFrame],
    ) -> None:
        frames = [r for r in rejected if not r.empty]
        nj = (
            pd.concat(frames, ignore_index=True)
            if frames
            else pd.DataFrame(columns=list(REJECT_COLUMNS))
        )
        nj["bron_rij"] = nj["bron_rij"].astype("Int64")
        nj["aantal"] = nj["aantal"].astype("int64")
        nj.insert(0, "bron", bron)
        records.append(nj)
        by_reason = nj.groupby("reden")["aantal"].sum()
        counts.append(
            SourceCount(
                bron,
                bestand,
                eenheid,
                n_read,
                joined,
                snapped,
                {str(k): int(v) for k, v in by_reason.items()},
            )
        )

    joined_stock: pd.DataFrame | None = None
    joined_sales: pd.DataFrame | None = None
    # beside the dwellings' indicators, in threads (pyarrow takes and hashing release the
    # GIL): the copy of the placed dwellings and the sales' link to them
    with ThreadPoolExecutor(max_workers=2) as beside:
        link: Future[np.ndarray] | None = None
        placed = np.zeros(0, dtype="int64")  # the buurt position of each joined dwelling
        if stock is not None:
            bestand, n_read, rejected = _accounting(stock, "voorraad")
            require_columns(stock, ["vhe_id", "corporatie"], source=bestand)
            pos, how = _locate_frame(
                stock, b, codes, tolerance_m=config.tolerance_m, partitions=config.partities
            )
            ok = pos >= 0
            placed = pos[ok]
            if sales is not None and len(placed):
                link = beside.submit(_link_placed, sales, stock, ok)
            copied = beside.submit(_joined_stock, stock, ok, placed, how[ok], codes, bestand)
            rejected += _not_located(stock, bestand, pos, how)
            table = _stock_indicators(
                table, stock, config, positions=placed, rows=None if ok.all() else ok
            )
            joined_stock, note = copied.result()
            notes.extend(note)
            book("voorraad", bestand, "rijen", n_read, len(placed), int((how == 1).sum()), rejected)
        else:
            table = _stock_indicators(table, None, config)

        if sales is not None:
            hit = None if link is None else link.result()
            joined_sales, sale_count, sale_rec = _join_sales(
                sales, hit, placed, b, codes, config=config
            )
            book(*sale_count, sale_rec)
    table = _sales_indicators(table, joined_sales, config)

    if liveability is not None:
        table, live_count, live_rec = _join_liveability(table, liveability, codes)
        book(*live_count, live_rec)
    if indicators is not None:
        table, ind_count, ind_rec = _join_liveability(
            table, indicators, codes, bron="indicatoren", required=["buurtcode"]
        )
        book(*ind_count, ind_rec)
    for col in ("leefbaarometer_score", "leefbaarometer_dekking"):
        if col not in table:
            table[col] = np.nan
    if "leefbaarometer_klasse" not in table:
        table["leefbaarometer_klasse"] = pd.array([pd.NA] * len(table), dtype="Int64")

    if heat is not None:
        table, heat_count, heat_rec = _join_heat(table, heat, codes)
        book(*heat_count, heat_rec)
        if "gesplitst" in heat and heat["gesplitst"].fillna(False).astype(bool).any():
            split = sorted(heat.loc[heat["gesplitst"].fillna(False).astype(bool), "code"])
            shown = ", ".join(map(str, split[:10])) + (" …" if len(split) > 10 else "")
            notes.append(
                f"warmte: {len(split)} buurt(en) verdeeld over meer planvlakken, toegewezen "
                f"aan de grootste overlap: {shown}"
            )
    else:
        table["warmte_startjaar"] = pd.array([pd.NA] * len(table), dtype="Int64")
        table["warmte_strategie"] = pd.array([pd.NA] * len(table), dtype="string")

    # CBS names it woningvoorraad (kerncijfers) or WONINGVOORRAAD (wijk- en buurtkaart)
    wv_col = next((c for c in table.columns if str(c).lower() == "woningvoorraad"), None)
    woningvoorraad = table[wv_col] if wv_col is not None else None
    if woningvoorraad is not None and stock is not None:
        stock_total = table["woningen_corporaties"].astype("float64")
        wv = pd.to_numeric(woningvoorraad, errors="coerce").astype("float64")
        table["aandeel_corporatie"] = (stock_total / wv).where(wv > 0)
    elif stock is None and "aandeel_corporatiebezit" in table:
        # no corporation stock: CBS's share of dwellings owned by corporations (same measure)
        table["aandeel_corporatie"] = table["aandeel_corporatiebezit"].astype("float64")
        notes.append("aandeel_corporatie: uit CBS-kerncijfers (in bezit woningcorporaties)")
    else:
        table["aandeel_corporatie"] = np.nan

    not_joined = (
        pd.concat([r for r in records if not r.empty], ignore_index=True)
        if any(not r.empty for r in records)
        else pd.DataFrame(columns=list(_NOT_JOINED_COLUMNS))
    )
    not_joined["bron_rij"] = not_joined["bron_rij"].astype("Int64")
    not_joined["aantal"] = not_joined["aantal"].astype("int64")
    report = JoinReport(tuple(counts), not_joined, config.tolerance_m, tuple(notes))
    report.check()
    out = gpd.GeoDataFrame(table, geometry=b.geometry.name, crs=b.crs)
    return JoinResult(out, joined_stock, joined_sales, report)


def build_buurt_table(
    buurten: gpd.GeoDataFrame,
    *,
    stock: gpd.GeoDataFrame | pd.DataFrame | None = None,
    sales: gpd.GeoDataFrame | pd.DataFrame | None = None,
    liveability: pd.DataFrame | None = None,
    heat: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    config: JoinConfig = JoinConfig(),
) -> gpd.GeoDataFrame:
    """The buurt table of :func:`join_sources` (use that for the accounting).

    Examples
    --------
    >>> from geoprestatie import datasets
    >>> t = build_buurt_table(datasets.load_buurten("Enschede"))
    >>> len(t), "aandeel_efg" in t
    (70, True)
    """
    return join_sources(
        buurten,
        stock=stock,
        sales=sales,
        liveability=liveability,
        heat=heat,
        indicators=indicators,
        config=config,
    ).table


def _not_located(
    frame: pd.DataFrame, bestand: str, pos: np.ndarray, how: np.ndarray
) -> list[pd.DataFrame]:
    out: list[pd.DataFrame] = []
    outside = how == -2
    if outside.any():
        geoms = frame.geometry.to_numpy()[outside]
        xy = zip(shapely.get_x(geoms).tolist(), shapely.get_y(geoms).tolist(), strict=True)
        vals = [f"{x:.1f}, {y:.1f}" for x, y in xy]
        out += _records(
            bestand, _rows_of(frame, outside), "buiten_buurten", column="x, y", values=vals
        )
    unknown = how == -3
    if unknown.any():
        out += _records(
            bestand,
            _rows_of(frame, unknown),
            "onbekende_buurtcode",
            column="buurtcode",
            values=frame.loc[unknown, "buurtcode"],
        )
    none = how == -1
    if none.any():
        out += _records(
            bestand,
            _rows_of(frame, none),
            "geen_locatie",
            column=None,
            values=[None] * int(none.sum()),
        )
    return out


def _stock_indicators(
    table: pd.DataFrame,
    stock: pd.DataFrame | None,
    config: JoinConfig,
    *,
    positions: np.ndarray | None = None,
    rows: np.ndarray | None = None,
) -> pd.DataFrame:
    """The per-buurt stock columns; ``rows`` (a mask): only those dwellings count, read from
    ``stock`` as it is (no copy of its rows), ``positions`` their buurt positions."""
    table = table.copy()
    n = len(table)
    if stock is None:
        table["woningen_corporaties"] = pd.array([pd.NA] * n, dtype="Int64")
        table["n_corporaties"] = pd.array([pd.NA] * n, dtype="Int64")
        table["aandeel_efg"] = np.nan
        table["bouwjaar_mediaan"] = np.nan
        for klasse in (*RENT_CLASSES, "onbekend"):
            table[f"huur_{klasse}"] = pd.array([pd.NA] * n, dtype="Int64")
        return table
    key = pd.Index(table["buurtcode"].astype(str))
    nb = len(key)
    bi = (
        positions
        if positions is not None
        else key.get_indexer(pd.Index(stock["buurtcode"].astype(str)))
    )
    if (bi < 0).any():  # pragma: no cover - join_sources only passes placed dwellings
        raise RuntimeError("woningen zonder buurt bereikten de kengetallen")

    def of_rows(values: np.ndarray) -> np.ndarray:
        return values if rows is None else values[rows]

    corp_code, corp_names = pd.factorize(stock["corporatie"])
    if rows is not None:  # the corporations of these dwellings only
        corp_code = corp_code[rows]
        present = np.flatnonzero(np.bincount(corp_code[corp_code >= 0], minlength=len(corp_names)))
        renumber = np.full(len(corp_names) + 1, -1, dtype=np.intp)  # [-1] stays -1
        renumber[present] = np.arange(len(present))
        corp_code, corp_names = renumber[corp_code], corp_names[present]
    if (corp_code < 0).any():
        raise InputError(
            "corporatie ontbreekt in sommige rijen. Oplossing: vul de corporatie bij elke "
            "woning in",
            source="voorraad",
            column="corporatie",
        )
    per_corp = _per_corporation(bi, corp_code, corp_names, nb)
    attrs = dict(table.attrs)
    table = pd.concat(
        [table, _corporation_columns(per_corp, config.corporatie_kolommen, index=table.index)],
        axis=1,
    )
    table.attrs.update(attrs)
    table["woningen_corporaties"] = per_corp.to_numpy().sum(axis=1).astype("int64")
    table["n_corporaties"] = (per_corp.to_numpy() > 0).sum(axis=1).astype("int64")
    if "energielabel" in stock:
        label = pd.Series(stock["energielabel"])
        known = np.bincount(bi, weights=of_rows(label.notna().to_numpy()), minlength=nb)
        efg = np.bincount(bi, weights=of_rows(label.isin(_EFG).to_numpy()), minlength=nb)
        with np.errstate(invalid="ignore", divide="ignore"):
            table["aandeel_efg"] = np.where(known > 0, efg / known, np.nan)
    else:
        table["aandeel_efg"] = np.nan
    if "bouwjaar" in stock:
        bj = pd.to_numeric(stock["bouwjaar"], errors="coerce").astype("float64")
        med = pd.Series(of_rows(bj.to_numpy())).groupby(bi).median()
        table["bouwjaar_mediaan"] = med.reindex(range(nb)).to_numpy()
    else:
        table["bouwjaar_mediaan"] = np.nan
    limits = limits_for(config.huur_jaar, config.huurgrenzen)
    rent = stock["huurprijs"] if "huurprijs" in stock else pd.Series(np.nan, index=stock.index)
    rc = of_rows(classify_rent(rent, limits).cat.codes.to_numpy().astype("int64"))
    nk = len(RENT_CLASSES) + 1
    rc = np.where(rc < 0, nk - 1, rc)  # NA -> onbekend
    per_class = np.bincount(bi * nk + rc, minlength=nb * nk).reshape(nb, nk)
    for j, k in enumerate((*RENT_CLASSES, "onbekend")):
        table[f"huur_{k}"] = per_class[:, j].astype("int64")
    return table


#: Column of the joined sales: the row position of the sale's dwelling in ``JoinResult.stock``.
STOCK_POSITION = "voorraad_positie"


def _per_corporation(
    bi: np.ndarray, corp_code: np.ndarray, corp_names: pd.Index, nb: int
) -> pd.DataFrame:
    """Dwellings per buurt (rows, by position) and corporation (columns, by slug)."""
    slugs = pd.Index([slug(str(c)) for c in corp_names])
    uniq, to_slug = np.unique(slugs.to_numpy(dtype=object), return_inverse=True)
    ns = len(uniq)
    counts = np.bincount(bi * ns + to_slug[corp_code], minlength=nb * ns).reshape(nb, ns)
    return pd.DataFrame(counts.astype("int64", copy=False), columns=list(uniq))


def _corporation_columns(per_corp: pd.DataFrame, most: int, *, index: pd.Index) -> pd.DataFrame:
    """``woningen_<slug>`` of the ``most`` largest corporations (in name order) and, when
    there are more, ``woningen_overige_corporaties``."""
    totals = per_corp.sum(axis=0)
    # largest first; equal sizes by name, so the choice does not depend on file order
    ranked = sorted(per_corp.columns, key=lambda c: (-int(totals[c]), str(c)))
    kept = sorted(ranked[:most])
    out = per_corp[kept].add_prefix("woningen_")
    if len(ranked) > most:
        out["woningen_overige_corporaties"] = per_corp[ranked[most:]].sum(axis=1)
    out.index = index
    return out


def _join_sales(
    sales: pd.DataFrame,
    hit: np.ndarray | None,
    placed: np.ndarray,
    b: gpd.GeoDataFrame,
    codes: pd.Index,
    *,
    config: JoinConfig,
) -> tuple[pd.DataFrame, tuple[str, str, str, int, int, int], list[pd.DataFrame]]:
    """The sales joined: by their dwelling (``hit``: its position in the joined stock, -1
    none, -2 ambiguous; ``None`` without a joined stock; ``placed``: each joined dwelling's
    buurt position), else by their own location."""
    bestand, n_read, rejected = _accounting(sales, "verkoop")
    require_columns(sales, ["jaar", "status"], source=bestand)
    s = sales.reset_index(drop=True)
    n = len(s)
    pos = np.full(n, -1, dtype="int64")
    how = np.full(n, -1, dtype="int8")
    vhe = s["vhe_id"].astype("string") if "vhe_id" in s else pd.Series(pd.NA, index=s.index)
    if hit is not None:
        # the dwelling is (corporatie, vhe_id); -1 unknown, -2 several corporations
        found = hit >= 0
        pos[found] = placed[hit[found]]
        how[found] = 3
    else:
        hit = np.full(n, -1, dtype=np.int64)
        found = np.zeros(n, dtype=bool)
    own = ~found
    if own.any():
        # only a sale without a match in the stock falls back to its own location
        sub = s.loc[own]
        p, h = _locate_frame(
            sub, b, codes, tolerance_m=config.tolerance_m, partitions=config.partities
        )
        pos[own] = p
        how[own] = h
    ambiguous_vhe = own & (how == -1) & (hit == -2)
    unknown_vhe = own & (how == -1) & vhe.notna().to_numpy() & ~ambiguous_vhe
    rejected += _records(
        bestand,
        _rows_of(s, ambiguous_vhe),
        "dubbelzinnig_vhe_id",
        column="vhe_id",
        values=vhe[ambiguous_vhe],
    )
    rejected += _records(
        bestand,
        _rows_of(s, unknown_vhe),
        "onbekend_vhe_id",
        column="vhe_id",
        values=vhe[unknown_vhe],
    )
    # rows reported as unknown or ambiguous vhe_id are not reported again as "no location"
    rejected += _not_located(s, bestand, pos, np.where(unknown_vhe | ambiguous_vhe, 0, how))
    ok = pos >= 0
    out = s.loc[ok].copy().reset_index(drop=True)
    out["buurtcode"] = _take_codes(codes, pos[ok])
    names = np.asarray(("binnen", "dichtstbij", "buurtcode", "vhe_id"), dtype=object)
    out["koppeling"] = pd.Categorical(
        names[how[ok]], categories=["binnen", "dichtstbij", "buurtcode", "vhe_id"]
    )
    # the sale's dwelling: its row position in the joined stock (-1 none), so that the
    # monitor reuses this link instead of building it again
    out[STOCK_POSITION] = np.where(hit[ok] >= 0, hit[ok], -1).astype("int64")
    return (
        out,
        ("verkoop", bestand, "rijen", n_read, int(ok.sum()), int((how == 1).sum())),
        rejected,
    )


def _sales_indicators(
    table: pd.DataFrame, sales: pd.DataFrame | None, config: JoinConfig
) -> pd.DataFrame:
    table = table.copy()
    if sales is None:
        table["verkoop_gepland"] = pd.array([pd.NA] * len(table), dtype="Int64")
        table["verkoop_aandeel"] = np.nan
        return table
    key = pd.Index(table["buurtcode"].astype(str))
    wanted = sales["status"].isin(config.verkoop_status).fillna(False).astype(bool)
    n = sales.loc[wanted].groupby(sales.loc[wanted, "buurtcode"].astype(str)).size()
    table["verkoop_gepland"] = n.reindex(key, fill_value=0).to_numpy().astype("int64")
    stock_n = pd.to_numeric(table["woningen_corporaties"], errors="coerce").astype("float64")
    table["verkoop_aandeel"] = (table["verkoop_gepland"] / stock_n.where(stock_n > 0)).to_numpy()
    return table


def _per_code_accounting(
    frame: pd.DataFrame, matched: np.ndarray, weights: pd.Series | None
) -> tuple[int, np.ndarray]:
    """Joined count and the mask of rows whose source record matched nothing.

    Several rows may come from one source record (same ``bron_rij``); a record is joined
    when any of its rows matched.
    """
    if "bron_rij" in frame and frame["bron_rij"].notna().all():
        rij = frame["bron_rij"].to_numpy()
        any_match = pd.Series(matched).groupby(rij).transform("any").to_numpy()
        first = ~pd.Series(rij).duplicated().to_numpy()
    else:
        any_match = matched
        first = np.ones(len(frame), dtype=bool)
    w = np.ones(len(frame)) if weights is None else weights.to_numpy(dtype="float64")
    joined = int(w[first & any_match].sum())
    return joined, first & ~any_match


def _join_liveability(
    table: pd.DataFrame,
    live: pd.DataFrame,
    codes: pd.Index,
    *,
    bron: str = "leefbaarometer",
    required: tuple[str, ...] | list[str] = ("buurtcode", "leefbaarometer_score"),
) -> tuple[pd.DataFrame, tuple[str, str, str, int, int, int], list[pd.DataFrame]]:
    bestand, n_read, rejected = _accounting(live, bron)
    require_columns(live, required, source=bestand)
    lv = live.reset_index(drop=True)
    if lv["buurtcode"].duplicated().any():
        dup = lv.loc[lv["buurtcode"].duplicated(), "buurtcode"].tolist()[:10]
        raise InputError(
            f"elke buurtcode mag maar één keer voorkomen; dubbel: {dup}", source=bestand
        )
    idx = codes.get_indexer(pd.Index(lv["buurtcode"].astype(str).to_numpy(dtype=object)))
    matched = idx >= 0
    weights = lv.get("n_cellen", None)
    joined, missing = _per_code_accounting(lv, matched, weights)
    rejected += _records(
        bestand,
        _rows_of(lv, missing)
        if "bron_rij" in lv and lv["bron_rij"].notna().all()
        else pd.Series([None] * int(missing.sum())),
        "onbekende_buurtcode",
        column="buurtcode",
        values=lv.loc[missing, "buurtcode"],
        counts=None if weights is None else weights[missing],
    )
    skip = {"buurtcode", "bron_rij", "n_cellen", "geometry"}
    add = [c for c in lv.columns if c not in skip and c not in table.columns]
    values = lv.loc[matched, add].set_axis(codes[idx[matched]], axis=0)
    table = table.copy()
    key = pd.Index(table["buurtcode"].astype(str))
    for col in add:
        table[col] = values[col].reindex(key).to_numpy()
    if "leefbaarometer_klasse" in table:
        table["leefbaarometer_klasse"] = pd.to_numeric(
            table["leefbaarometer_klasse"], errors="coerce"
        ).astype("Int64")
    eenheid = "rastercellen" if weights is not None else "rijen"
    return table, (bron, bestand, eenheid, n_read, joined, 0), rejected


def _join_heat(
    table: pd.DataFrame, heat: pd.DataFrame, codes: pd.Index
) -> tuple[pd.DataFrame, tuple[str, str, str, int, int, int], list[pd.DataFrame]]:
    bestand, n_read, rejected = _accounting(heat, "warmte")
    require_columns(heat, ["code", "niveau", "startjaar", "strategie"], source=bestand)
    h = heat.reset_index(drop=True)
    if h["code"].duplicated().any():
        dup = h.loc[h["code"].duplicated(), "code"].tolist()[:10]
        raise InputError(f"elke code mag maar één keer voorkomen; dubbel: {dup}", source=bestand)
    table = table.copy()
    key = pd.Index(table["buurtcode"].astype(str))
    wijk = (
        table["wijkcode"].astype("string")
        if "wijkcode" in table
        else pd.Series(pd.NA, index=table.index, dtype="string")
    )
    startjaar = pd.Series(pd.NA, index=key, dtype="Int64")
    strategie = pd.Series(pd.NA, index=key, dtype="string")
    matched = np.zeros(len(h), dtype=bool)
    is_wijk = (h["niveau"] == "wijk").to_numpy()
    # wijk rows first, then buurt rows override them
    wijk_pos = pd.Index(h.loc[is_wijk, "code"].astype(str))
    if is_wijk.any():
        at = wijk_pos.get_indexer(pd.Index(wijk.fillna("").to_numpy(dtype=object)))
        has = at >= 0
        rows = np.flatnonzero(is_wijk)[at[has]]
        startjaar.iloc[np.flatnonzero(has)] = h["startjaar"].to_numpy()[rows]
        strategie.iloc[np.flatnonzero(has)] = h["strategie"].to_numpy()[rows]
        matched[np.unique(rows)] = True
    bu = ~is_wijk
    if bu.any():
        at = key.get_indexer(pd.Index(h.loc[bu, "code"].astype(str).to_numpy(dtype=object)))
        rows = np.flatnonzero(bu)
        ok = at >= 0
        startjaar.iloc[at[ok]] = h["startjaar"].to_numpy()[rows[ok]]
        strategie.iloc[at[ok]] = h["strategie"].to_numpy()[rows[ok]]
        matched[rows[ok]] = True
        # per-buurt figures of the source (PBL Startanalyse: strategy code, national costs)
        extra = [c for c in h.columns if str(c).startswith("pbl_")]
        if extra:
            per_buurt = h.iloc[rows[ok]][extra].set_axis(key[at[ok]], axis=0)
            for col in extra:
                table[col] = per_buurt[col].reindex(key).to_numpy()
    joined, missing = _per_code_accounting(h, matched, None)
    for level, reason in (("buurt", "onbekende_buurtcode"), ("wijk", "onbekende_wijkcode")):
        m = missing & (h["niveau"] == level).to_numpy()
        rejected += _records(
            bestand, _rows_of(h, m), reason, column="code", values=h.loc[m, "code"]
        )
    table["warmte_startjaar"] = startjaar.astype("Int64").to_numpy()
    table["warmte_strategie"] = strategie.astype("string").to_numpy()
    return table, ("warmte", bestand, "rijen", n_read, joined, 0), rejected
