"""DIA: delineate investment areas from the SIA priority buurten (constrained regions).

Steps (:func:`delineate`):

1. **Selection**: the priority buurten, chosen by name from :data:`SELECTIONS`
   (``robuust``: robust priorities; ``top_k``: ``sia_rang <= top_k``).
2. **Graph** with libpysal fuzzy contiguity over the eligible buurten: neighbours when they
   touch (queen) or lie less than ``max(snap_distance, brug_afstand)`` metres apart, so a
   street, canal or railway between two priority buurten is bridged (``brug_afstand``).
3. **Regions**: constrained seeded region growing (:mod:`geoprestatie._regions`): locked
   areas first (``vorige`` with ``vorige_vastzetten``), then each priority buurt, most robust
   first, grows an area with adjacent priority buurten (best value per km from the area's
   centre, ``compactheid``), optional connecting buurten (``verbindingsbuurten``) and, below
   the minimum size, adjacent eligible buurten (``aanvullen``), within ``max_buurten``,
   ``max_woningen``, the total ``budget`` (over ``budget_kolom``), ``max_dias`` and at least
   ``min_afstand`` metres from other areas. An area that stays below ``min_buurten`` or
   ``min_woningen`` is not a DIA.
4. **Ids and names**: locked areas keep their id; new ones get ``DIA-01``, ``DIA-02``, ...
   (the first free numbers) by mean ``sia_score``; named after the largest buurt.

Every priority buurt outside a DIA gets the constraint that kept it out in ``dia_reden``
(naming the config key); every member its role in ``dia_rol``.

spopt's regionalisation methods (max-p, AZP, SKATER, region k-means) partition *all* units
into regions that are homogeneous in attributes; none takes a budget, locked areas, a
spacing or leaves units out, and none maximises the priority captured, so the core is the
region growing above, on libpysal's graph.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geoprestatie import _regions
from geoprestatie._validate import read_toml, to_rd_new
from geoprestatie.errors import ConfigError, InputError

__all__ = [
    "SELECTIONS",
    "DiaConfig",
    "DiaResult",
    "compare_dia",
    "contiguity",
    "delineate",
]

_SOURCE = "geprioriteerde buurttabel"


def _selection_robuust(t: pd.DataFrame) -> pd.Series:
    return t["robuust"].fillna(False).astype(bool)


def _selection_top_k(t: pd.DataFrame) -> pd.Series:
    if "top_k" not in t.attrs:
        raise ConfigError(
            "`dia.selection` 'top_k' heeft de tabel van sia.prioritise nodig (attrs['top_k'] "
            "ontbreekt); geef de uitkomst van sia.prioritise door"
        )
    # top_k is 0 when no buurt is eligible: nothing is selected
    k = int(t.attrs["top_k"])
    return (t["sia_rang"] <= k).fillna(False).astype(bool)


#: Priority selections by name: ``f(prioritised table) -> boolean Series``.
SELECTIONS: dict[str, tuple[str, Callable[[pd.DataFrame], pd.Series]]] = {
    "robuust": ("robuust", _selection_robuust),
    "top_k": ("sia_rang", _selection_top_k),
}

_OPTIONAL_NUMBERS = ("max_woningen", "budget")


@dataclass(frozen=True)
class DiaConfig:
    """Settings for :func:`delineate` (the ``[dia]`` table).

    Parameters
    ----------
    selection
        Which buurten are priority: a name in :data:`SELECTIONS`.
    snap_distance
        Metres; buurten closer than this are neighbours (0: touching only).
    brug_afstand
        Metres; buurten this far apart (a street, canal or railway between them) still
        count as neighbours for an area (0: only ``snap_distance``).
    min_buurten, max_buurten
        Buurten per DIA (``max_buurten`` ``None``: no maximum).
    min_woningen, max_woningen
        Corporation dwellings (``dwellings_column``) per DIA.
    max_dias
        At most this many DIAs, locked ones included (``None``: no maximum).
    budget, budget_kolom
        Total of ``budget_kolom`` (default: ``dwellings_column``; e.g. a euro column) over
        all DIAs (``None``: no budget).
    min_afstand
        Metres between the buurten of two different DIAs (0: they may touch).
    compactheid
        Penalty per km between a candidate buurt and the area's centre, against a value of
        ``kans_top_k + sia_score / 100`` (0: the value alone).
    verbindingsbuurten
        Per DIA at most this many non-priority buurten that connect it to a priority buurt
        one buurt further.
    aanvullen
        Top an area below ``min_buurten`` / ``min_woningen`` up with adjacent eligible buurten.
    vorige_vastzetten
        Keep the DIAs of ``[dia] vorige`` as locked areas (they may grow; their ids stay).
    dwellings_column
        Column with the corporation dwellings per buurt.

    Examples
    --------
    >>> DiaConfig.from_dict({"snap_distance": 5, "max_dias": 3}).max_dias
    3
    >>> DiaConfig.from_dict({"split_method": "skater"})
    Traceback (most recent call last):
    ...
    geoprestatie.errors.ConfigError: `dia` heeft onbekende sleutel(s) ['split_method']; ...
    """

    selection: str = "robuust"
    snap_distance: float = 10.0
    brug_afstand: float = 0.0
    min_buurten: int = 2
    max_buurten: int | None = 8
    min_woningen: float = 0.0
    max_woningen: float | None = None
    max_dias: int | None = 10
    budget: float | None = None
    budget_kolom: str | None = None
    min_afstand: float = 0.0
    compactheid: float = 0.0
    verbindingsbuurten: int = 0
    aanvullen: bool = False
    vorige_vastzetten: bool = False
    dwellings_column: str = "woningen_corporaties"

    def __post_init__(self) -> None:
        def bad(key: str, expected: str) -> ConfigError:
            return ConfigError(f"`dia.{key}` is {getattr(self, key)!r} maar moet {expected}")

        if self.selection not in SELECTIONS:
            raise ConfigError(
                f"`dia.selection` is {self.selection!r} maar moet een van {list(SELECTIONS)} zijn"
            )
        for key in (
            "snap_distance", "brug_afstand", "min_woningen", "min_afstand", "compactheid",
            *_OPTIONAL_NUMBERS,
        ):  # fmt: skip
            v = getattr(self, key)
            if v is None and key in _OPTIONAL_NUMBERS:
                continue
            ok = isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            if not ok or not v >= 0:
                raise bad(key, "een eindig getal >= 0 zijn")
            object.__setattr__(self, key, float(v))
        for key, optional in (
            ("min_buurten", False),
            ("max_buurten", True),
            ("max_dias", True),
            ("verbindingsbuurten", False),
        ):
            v = getattr(self, key)
            if v is None and optional:
                continue
            low = 0 if key == "verbindingsbuurten" else 1
            if isinstance(v, bool) or not isinstance(v, int) or v < low:
                raise bad(
                    key, f"een geheel getal >= {low} zijn" + (" of weggelaten" if optional else "")
                )
        for key in ("aanvullen", "vorige_vastzetten"):
            if not isinstance(getattr(self, key), bool):
                raise bad(key, "true of false zijn")
        for key in ("budget_kolom", "dwellings_column"):
            v = getattr(self, key)
            if v is not None and (not isinstance(v, str) or not v):
                raise bad(key, "een kolomnaam (tekst) zijn")
        if self.max_buurten is not None and self.max_buurten < self.min_buurten:
            raise ConfigError(
                f"`dia.max_buurten` ({self.max_buurten}) is kleiner dan `dia.min_buurten` "
                f"({self.min_buurten}); maak max_buurten groter of min_buurten kleiner"
            )
        if self.max_woningen is not None and self.max_woningen < self.min_woningen:
            raise ConfigError(
                f"`dia.max_woningen` ({self.max_woningen:g}) is kleiner dan "
                f"`dia.min_woningen` ({self.min_woningen:g}); maak max_woningen groter of "
                "min_woningen kleiner"
            )

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DiaConfig:
        """Build from a TOML table (keys are the field names)."""
        allowed = [f.name for f in fields(cls)]
        if not isinstance(d, Mapping):
            raise ConfigError(f"`dia` is {d!r} maar moet een tabel zijn ([dia])")
        unknown = [k for k in d if k not in allowed]
        if unknown:
            raise ConfigError(f"`dia` heeft onbekende sleutel(s) {unknown}; geldig zijn {allowed}")
        return cls(**d)

    @classmethod
    def from_toml(cls, path: str | Path) -> DiaConfig:
        """Read the ``[dia]`` table of a TOML file (defaults if there is none)."""
        path = Path(path)
        d = read_toml(path, what="DIA config")
        table = {k: v for k, v in d.get("dia", {}).items() if k != "vorige"}
        try:
            return cls.from_dict(table)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None


@dataclass(frozen=True)
class DiaResult:
    """The outcome of :func:`delineate`.

    Attributes
    ----------
    buurten
        The prioritised table (copy) with ``dia_id``, ``dia_naam`` (NA outside a DIA) and
        ``dia_reden`` (why a priority buurt is not in a DIA).
    areas
        One row per DIA: dissolved polygon and aggregates (see :func:`delineate`).
    notes
        Dutch notes on what was split, dropped or skipped.
    """

    buurten: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    notes: tuple[str, ...] = field(default_factory=tuple)


def contiguity(buurten: gpd.GeoDataFrame, *, snap_distance: float) -> Any:
    """libpysal weights: buurten that touch or lie within ``snap_distance`` metres.

    Built with ``libpysal.graph.Graph.build_fuzzy_contiguity`` (each geometry buffered by
    half the snap distance, neighbours where the buffers intersect, so a corner is enough:
    queen contiguity). The geometries are taken to EPSG:28992 first, so the distance is in
    metres whatever CRS comes in (no CRS: :class:`InputError`). Returns a
    :class:`libpysal.weights.W` whose ids are the positions ``0 .. n-1``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10), box(10.5, 0, 20, 10),
    ...                                box(40, 0, 50, 10)], crs=28992)
    >>> contiguity(g, snap_distance=1.0).neighbors
    {0: [1], 1: [0], 2: []}
    >>> contiguity(g, snap_distance=0.0).neighbors
    {0: [], 1: [], 2: []}
    """
    return _graph(buurten, snap_distance=snap_distance).to_W()


def _graph(buurten: gpd.GeoDataFrame, *, snap_distance: float) -> Any:
    """The libpysal ``Graph`` behind :func:`contiguity` (ids: positions ``0 .. n-1``)."""
    from libpysal.graph import Graph

    geoms = to_rd_new(buurten, source=_SOURCE).geometry.reset_index(drop=True)
    buffer = snap_distance / 2.0 if snap_distance > 0 else None
    return Graph.build_fuzzy_contiguity(geoms, buffer=buffer)


def _neighbour_sets(graph: Any, nodes: np.ndarray, n: int) -> list[set[int]]:
    """Per row ``0 .. n-1`` the rows it neighbours (``graph`` ids index ``nodes``), read from
    the graph's edge list at once (``to_W`` builds a dict through a pandas groupby per node).
    """
    adj = graph.adjacency
    focal = nodes[adj.index.get_level_values(0).to_numpy(dtype=np.int64)]
    other = nodes[adj.index.get_level_values(1).to_numpy(dtype=np.int64)]
    keep = focal != other  # an isolate is kept as a self-loop of weight 0
    out: list[set[int]] = [set() for _ in range(n)]
    for a, b in zip(focal[keep].tolist(), other[keep].tolist(), strict=True):
        out[a].add(b)
    return out


def _join(values: pd.Series, sep: str = ", ") -> str:
    vals = [v for v in values.dropna().tolist() if str(v) != ""]
    return sep.join(str(v) for v in sorted(set(vals), key=str))


def _years(values: pd.Series) -> str:
    return ", ".join(str(int(v)) for v in sorted(set(values.dropna().tolist())))


def _aggregate(members: gpd.GeoDataFrame, config: DiaConfig) -> dict[str, Any]:
    row: dict[str, Any] = {
        "n_buurten": len(members),
        "buurtcodes": ", ".join(sorted(members["buurtcode"].astype(str))),
    }
    if "buurtnaam" in members:
        row["buurtnamen"] = ", ".join(members["buurtnaam"].astype(str))
    dwell_cols = [
        c
        for c in members.columns
        if str(c).startswith("woningen_") and pd.api.types.is_numeric_dtype(members[c])
    ]
    for c in ("woningen_corporaties", *sorted(set(dwell_cols) - {"woningen_corporaties"})):
        if c in members:
            row[c] = float(members[c].fillna(0).sum())
    if "woningvoorraad" in members:
        row["woningvoorraad"] = float(members["woningvoorraad"].fillna(0).sum())
    if "aandeel_efg" in members:
        ok = members["aandeel_efg"].notna()
        if "woningen_corporaties" in members:
            wts = members.loc[ok, "woningen_corporaties"].fillna(0).to_numpy(dtype=float)
            vals = members.loc[ok, "aandeel_efg"].to_numpy(dtype=float)
            row["aandeel_efg"] = float(np.average(vals, weights=wts)) if wts.sum() > 0 else np.nan
        else:
            row["aandeel_efg"] = float(members.loc[ok, "aandeel_efg"].mean())
    if "leefbaarometer_score" in members:
        row["leefbaarometer_gemiddeld"] = float(members["leefbaarometer_score"].mean())
    if "warmte_startjaar" in members:
        row["warmte_startjaren"] = _years(members["warmte_startjaar"])
    if "warmte_strategie" in members:
        row["warmte_strategieen"] = _join(members["warmte_strategie"], "; ")
    if "verkoop_gepland" in members:
        row["verkoop_gepland"] = float(members["verkoop_gepland"].fillna(0).sum())
    row["sia_score_gemiddeld"] = float(members["sia_score"].mean())
    if "kans_top_k" in members:
        row["kans_top_k_gemiddeld"] = float(members["kans_top_k"].mean())
    if "robuust" in members:
        row["n_robuust"] = int(members["robuust"].fillna(False).astype(bool).sum())
    row["oppervlakte_ha"] = float(members.geometry.area.sum() / 10_000)
    return row


def _check(prioritised: gpd.GeoDataFrame, config: DiaConfig) -> tuple[str | None, str | None]:
    col, _ = SELECTIONS[config.selection]
    cols = [str(c) for c in prioritised.columns if c != "geometry"]
    missing = [c for c in ["buurtcode", "sia_score", col] if c not in prioritised.columns]
    if missing:
        raise ConfigError(
            f"`dia.selection` {config.selection!r} heeft kolom(men) {missing} van "
            f"sia.prioritise nodig; de tabel heeft {cols}"
        )
    if not isinstance(prioritised, gpd.GeoDataFrame):
        raise TypeError("`prioritised` moet een GeoDataFrame zijn (DIA's hebben de vormen nodig)")
    dwell: str | None = config.dwellings_column
    if dwell not in prioritised.columns:
        for key in ("min_woningen", "max_woningen"):
            if getattr(config, key):
                raise ConfigError(
                    f"`dia.{key}` is opgegeven, maar de woningenkolom `dia.dwellings_column` = "
                    f"{dwell!r} staat niet in de tabel; beschikbare kolommen: {cols}"
                )
        dwell = None
    budget_col = config.budget_kolom or dwell
    if config.budget is not None and (budget_col is None or budget_col not in prioritised):
        raise ConfigError(
            f"`dia.budget` is opgegeven, maar de kolom `dia.budget_kolom` = "
            f"{config.budget_kolom or config.dwellings_column!r} staat niet in de tabel; "
            f"beschikbare kolommen: {cols}"
        )
    return dwell, budget_col


def _numbers(table: pd.DataFrame, col: str | None) -> np.ndarray:
    if col is None or col not in table.columns:
        return np.zeros(len(table))
    return np.asarray(pd.to_numeric(table[col]).astype("Float64").fillna(0.0), dtype=float)


def _problem(
    table: gpd.GeoDataFrame,
    chosen: np.ndarray,
    locked_rows: set[int],
    config: DiaConfig,
    dwell: str | None,
    budget_col: str | None,
) -> _regions.Problem:
    n = len(table)
    score = table["sia_score"].to_numpy(dtype=float, na_value=np.nan)
    eligible = ~np.isnan(score)
    nodes = np.flatnonzero(eligible | np.isin(np.arange(n), list(locked_rows)))
    neighbours: list[set[int]] = [set() for _ in range(n)]
    near: list[set[int]] = [set() for _ in range(n)]
    if nodes.size:
        sub = table.iloc[nodes]
        graph = _graph(sub, snap_distance=max(config.snap_distance, config.brug_afstand))
        neighbours = _neighbour_sets(graph, nodes, n)
        if config.min_afstand > 0:
            left, right = sub.geometry.reset_index(drop=True).sindex.query(
                sub.geometry.reset_index(drop=True), predicate="dwithin",
                distance=config.min_afstand,
            )  # fmt: skip
            for i, j in zip(left, right, strict=True):
                if i != j:
                    near[nodes[i]].add(int(nodes[j]))
    kans = _numbers(table, "kans_top_k")
    value = kans + np.nan_to_num(score) / 100.0
    codes = table["buurtcode"].astype(str).to_numpy()
    seeds = [int(i) for i in np.lexsort((codes, -np.nan_to_num(score), -kans)) if chosen[i]]
    centroids = table.geometry.centroid
    return _regions.Problem(
        neighbours=neighbours,
        near=near,
        priority=chosen & eligible,
        eligible=eligible,
        value=value,
        dwellings=_numbers(table, dwell),
        cost=_numbers(table, budget_col),
        xy=np.column_stack([centroids.x.to_numpy(), centroids.y.to_numpy()]),
        seeds=[s for s in seeds if eligible[s]],
    )


def _locked_areas(
    previous: Any, table: pd.DataFrame, config: DiaConfig, notes: list[str]
) -> list[tuple[str, list[int]]]:
    if previous is None or not config.vorige_vastzetten:
        if config.vorige_vastzetten:
            notes.append("vorige_vastzetten staat aan, maar er is geen vorige DIA-set (vorige)")
        return []
    pos = {str(c): i for i, c in enumerate(table["buurtcode"].astype(str))}
    out = []
    for ident, codes in sorted(_as_sets(previous, "previous").items()):
        gone = sorted(c for c in codes if c not in pos)
        if gone:
            notes.append(
                f"vastgezette {ident}: {len(gone)} buurtcode(s) niet in de buurttabel "
                f"({', '.join(gone[:5])}); die blijven buiten"
            )
        members = sorted(pos[c] for c in codes if c in pos)
        if members:
            out.append((ident, members))
    return out


def _ids(areas: list[_regions.Area], scores: np.ndarray, codes: np.ndarray) -> list[str]:
    taken = {a.locked for a in areas if a.locked}
    new = sorted(
        (i for i, a in enumerate(areas) if not a.locked),
        key=lambda i: (-float(np.nanmean(scores[areas[i].members])), min(codes[areas[i].members])),
    )
    ids: list[str] = [a.locked or "" for a in areas]
    number = 0
    for i in new:
        number += 1
        while f"DIA-{number:02d}" in taken:
            number += 1
        ids[i] = f"DIA-{number:02d}"
    return ids


def delineate(
    prioritised: gpd.GeoDataFrame, config: DiaConfig, *, previous: Any = None
) -> DiaResult:
    """Delineate DIAs from the output of :func:`geoprestatie.sia.prioritise`.

    Parameters
    ----------
    prioritised
        GeoDataFrame with ``buurtcode``, ``sia_score``, the selection column (``robuust`` or
        ``sia_rang``) and the dwellings / budget columns the constraints use.
    config
        The constraints.
    previous
        An earlier DIA set (:func:`read_dia_set`, a :class:`DiaResult` or its areas) to
        keep as locked areas when ``config.vorige_vastzetten``.

    Returns
    -------
    :class:`DiaResult`. ``buurten`` adds ``dia_id``, ``dia_naam``, ``dia_rol`` (members:
    ``prioriteitsbuurt``, ``verbindingsbuurt``, ``aanvulling``, ``vastgezet``) and
    ``dia_reden`` (priority buurten outside a DIA: the constraint, naming its key).
    ``areas`` has per DIA ``dia_id``, ``dia_naam``, ``status`` (``nieuw``, ``vastgezet``,
    ``gewijzigd``), ``n_buurten``, ``buurtcodes``, ``buurtnamen``, corporation dwellings
    (``woningen_corporaties``, ``woningen_<corporatie>``), ``woningvoorraad``,
    ``aandeel_efg``, ``leefbaarometer_gemiddeld``, ``warmte_startjaren``,
    ``warmte_strategieen``, ``verkoop_gepland``, ``sia_score_gemiddeld``,
    ``kans_top_k_gemiddeld``, ``n_robuust``, ``oppervlakte_ha`` (each when its source column
    exists) and the dissolved polygon (gaps narrower than ``snap_distance`` closed).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> t = gpd.GeoDataFrame({"buurtcode": ["BU1", "BU2", "BU3"], "buurtnaam": ["A", "B", "C"],
    ...     "sia_score": [90.0, 80.0, 70.0], "robuust": [True, True, True]},
    ...     geometry=[box(0, 0, 100, 100), box(100, 0, 250, 100), box(900, 0, 1000, 100)],
    ...     crs=28992)
    >>> res = delineate(t, DiaConfig(min_buurten=2))
    >>> res.buurten[["buurtcode", "dia_id", "dia_naam", "dia_rol"]]
      buurtcode  dia_id dia_naam           dia_rol
    0       BU1  DIA-01    DIA B  prioriteitsbuurt
    1       BU2  DIA-01    DIA B  prioriteitsbuurt
    2       BU3    <NA>     <NA>              <NA>
    >>> for part in res.buurten.loc[2, "dia_reden"].split("; "):
    ...     print(part)
    eiland: geen andere geschikte buurt binnen 10 m (brug_afstand)
    te klein: 1 buurt(en), minimaal 2 (min_buurten)
    aanvullen met andere buurten staat uit (aanvullen)
    >>> res.areas[["dia_id", "status", "n_buurten", "buurtcodes", "oppervlakte_ha"]]
       dia_id status  n_buurten buurtcodes  oppervlakte_ha
    0  DIA-01  nieuw          2   BU1, BU2             2.5
    """
    dwell, budget_col = _check(prioritised, config)
    _, select = SELECTIONS[config.selection]
    chosen = select(prioritised).to_numpy(dtype=bool)  # top_k reads attrs["top_k"]
    table = prioritised.copy(deep=False)
    table.attrs = {}  # pandas deep-copies attrs into every slice and column: not per area
    table = to_rd_new(table, source=_SOURCE)
    notes: list[str] = []
    locked = _locked_areas(previous, table, config, notes)
    prob = _problem(table, chosen, {i for _, m in locked for i in m}, config, dwell, budget_col)
    if not prob.seeds and not locked:
        eligible = table["sia_geschikt"] if "sia_geschikt" in table.columns else None
        nothing = (
            "geen enkele buurt is geschikt (zie sia_reden)"
            if eligible is not None and not eligible.fillna(False).astype(bool).any()
            else f"geen enkele buurt geselecteerd als prioriteit (selectie {config.selection!r})"
        )
        notes.append(f"{nothing}: geen DIA's")
    limits = _regions.Limits(
        min_buurten=config.min_buurten,
        max_buurten=config.max_buurten,
        min_woningen=config.min_woningen,
        max_woningen=config.max_woningen,
        budget=config.budget,
        max_areas=config.max_dias,
        connectors=config.verbindingsbuurten,
        fill=config.aanvullen,
        compactness=config.compactheid,
        bridge=max(config.snap_distance, config.brug_afstand),
        spacing=config.min_afstand,
    )
    areas, reasons = _regions.grow_regions(prob, limits, locked)
    return _assemble(prioritised, table, areas, reasons, config, notes)


def _assemble(
    prioritised: gpd.GeoDataFrame,
    table: gpd.GeoDataFrame,
    areas: list[_regions.Area],
    reasons: dict[int, str],
    config: DiaConfig,
    notes: list[str],
) -> DiaResult:
    n = len(table)
    codes = table["buurtcode"].astype(str).to_numpy()
    scores = table["sia_score"].to_numpy(dtype=float, na_value=np.nan)
    ids = _ids(areas, scores, codes)
    order = sorted(range(len(areas)), key=lambda i: ids[i])
    dia_id = pd.array([None] * n, dtype="string")
    dia_naam = pd.array([None] * n, dtype="string")
    dia_rol = pd.array([None] * n, dtype="string")
    reden = pd.array([None] * n, dtype="string")
    for pos, text in reasons.items():
        for i, ident in enumerate(ids):
            text = text.replace(f"{{area:{i}}}", ident)
        reden[pos] = text
    area_m2 = table.geometry.area.to_numpy()
    names = table["buurtnaam"].astype(str).to_numpy() if "buurtnaam" in table.columns else codes
    rows: list[dict[str, Any]] = []
    geoms = []
    used_names: dict[str, int] = {}
    for i in order:
        area, ident = areas[i], ids[i]
        members = np.array(sorted(area.members))
        largest = members[np.lexsort((codes[members], -area_m2[members]))[0]]
        name = f"DIA {names[largest]}"
        used_names[name] = used_names.get(name, 0) + 1
        if used_names[name] > 1:
            name = f"{name} ({used_names[name]})"
        status = "nieuw" if not area.locked else ("gewijzigd" if area.grown else "vastgezet")
        dia_id[members] = ident
        dia_naam[members] = name
        for m in members:
            dia_rol[m] = area.roles[int(m)]
        rows.append(
            {
                "dia_id": ident,
                "dia_naam": name,
                "status": status,
                **_aggregate(table.iloc[members], config),
            }
        )
        union = shapely.union_all(table.geometry.iloc[members].to_numpy())
        if config.snap_distance > 0:
            half = config.snap_distance / 2.0
            union = shapely.buffer(
                shapely.buffer(union, half, join_style="mitre"), -half, join_style="mitre"
            )
        geoms.append(union)
    out = prioritised.copy()
    out["dia_id"] = dia_id
    out["dia_naam"] = dia_naam
    out["dia_rol"] = dia_rol
    out["dia_reden"] = reden
    if rows:
        result_areas = gpd.GeoDataFrame(rows, geometry=geoms, crs=table.crs)
    else:
        result_areas = gpd.GeoDataFrame(
            {c: pd.Series(dtype="string") for c in ("dia_id", "dia_naam", "status")},
            geometry=gpd.GeoSeries([], crs=table.crs),
        )
        notes.append("geen enkele DIA voldoet aan de voorwaarden")
    left = int(pd.Series(reden).notna().sum())
    if left:
        notes.append(f"{left} prioriteitsbuurt(en) buiten een DIA; de reden staat in dia_reden")
    return DiaResult(buurten=out, areas=result_areas, notes=tuple(notes))


def _as_sets(obj: Any, which: str) -> dict[str, set[str]]:
    if isinstance(obj, DiaResult):
        obj = obj.buurten
    if not isinstance(obj, pd.DataFrame) or "dia_id" not in obj.columns:
        raise TypeError(
            f"`{which}` moet een DiaResult zijn, een tabel van DIA's (dia_id, buurtcodes) of "
            "een toewijzing (buurtcode, dia_id)"
        )
    sets: dict[str, set[str]] = {}
    if "buurtcode" in obj.columns:
        for code, ident in zip(obj["buurtcode"], obj["dia_id"], strict=True):
            if pd.notna(ident):
                sets.setdefault(str(ident), set()).add(str(code))
    elif "buurtcodes" in obj.columns:
        for ident, codes in zip(obj["dia_id"], obj["buurtcodes"], strict=True):
            sets[str(ident)] = {c.strip() for c in str(codes).split(",") if c.strip()}
    else:
        raise TypeError(f"`{which}` heeft `dia_id` maar geen `buurtcode` of `buurtcodes`")
    return sets


def read_dia_set(path: str | Path) -> pd.DataFrame:
    """Read an earlier DIA set for :func:`compare_dia`.

    Accepts ``dia.csv`` / ``dia_gebieden.csv`` (``dia_id``, ``buurtcodes``), a
    ``buurtcode, dia_id`` CSV, or a vector file: the ``dia`` layer of an earlier
    ``geoprestatie.gpkg`` (or ``dia_gebieden``, or its only layer).

    Raises
    ------
    InputError
        The file is missing or has no DIA set (names the file, layers and columns found).
    """
    import pyogrio

    path = Path(path)
    if not path.is_file():
        raise InputError(
            "bestand niet gevonden; controleer het pad ([dia] vorige of --vorige-dia)", source=path
        )
    if path.suffix.lower() == ".csv":
        from geoprestatie.sources._tabular import read_table

        frame = read_table(path)  # any separator and encoding: our own CSVs are Dutch Excel
    else:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        layer = next((n for n in ("dia", "dia_gebieden") if n in layers), None)
        if layer is None and len(layers) > 1:
            raise InputError(
                "geen DIA-laag: verwacht een laag 'dia' (geoprestatie.gpkg) of "
                f"'dia_gebieden', gevonden: {layers}",
                source=path,
            )
        frame = pd.DataFrame(gpd.read_file(path, layer=layer))
    if "dia_id" not in frame.columns or not ({"buurtcode", "buurtcodes"} & set(frame.columns)):
        raise InputError(
            "geen DIA-set: verwacht de kolommen dia_id en buurtcodes (dia.csv, de laag dia) "
            f"of buurtcode en dia_id; gevonden: {[c for c in frame.columns if c != 'geometry']}",
            source=path,
        )
    return frame


def compare_dia(old: Any, new: Any) -> pd.DataFrame:
    """Compare an earlier DIA set with a new one.

    Both may be a :class:`DiaResult`, an areas frame (``dia_id``, ``buurtcodes``) or an
    assignment frame (``buurtcode``, ``dia_id``). DIAs are matched one-to-one by the largest
    overlap (Jaccard index of their buurten; ties by id).

    Returns
    -------
    One row per new DIA and per old DIA without a match: ``dia_id``, ``dia_id_oud``,
    ``status`` (``nieuw``, ``ongewijzigd``, ``gewijzigd``, ``vervallen``), ``n_buurten``,
    ``n_buurten_oud``, ``overlap`` (Jaccard), ``buurten_erbij``, ``buurten_eraf``.

    Examples
    --------
    >>> import pandas as pd
    >>> old = pd.DataFrame({"dia_id": ["DIA-01", "DIA-02"], "buurtcodes": ["BU1, BU2", "BU7"]})
    >>> new = pd.DataFrame({"buurtcode": ["BU1", "BU2", "BU3", "BU5"],
    ...                     "dia_id": ["DIA-01", "DIA-01", "DIA-01", "DIA-02"]})
    >>> compare_dia(old, new)[["dia_id", "dia_id_oud", "status", "buurten_erbij",
    ...                        "buurten_eraf"]]
       dia_id dia_id_oud     status buurten_erbij buurten_eraf
    0  DIA-01     DIA-01  gewijzigd           BU3
    1  DIA-02       <NA>      nieuw           BU5
    2    <NA>     DIA-02  vervallen                        BU7
    """
    a = _as_sets(old, "old")
    b = _as_sets(new, "new")
    pairs = []
    for i, sa in a.items():
        for j, sb in b.items():
            inter = len(sa & sb)
            if inter:
                pairs.append((-inter / len(sa | sb), j, i))
    pairs.sort()
    match: dict[str, str] = {}
    taken: set[str] = set()
    for _, j, i in pairs:
        if j not in match and i not in taken:
            match[j] = i
            taken.add(i)
    rows = []
    for j in sorted(b):
        sb = b[j]
        oud = match.get(j)
        sa = a.get(oud, set()) if oud else set()
        status = "nieuw" if oud is None else ("ongewijzigd" if sa == sb else "gewijzigd")
        rows.append(
            {
                "dia_id": j,
                "dia_id_oud": oud,
                "status": status,
                "n_buurten": len(sb),
                "n_buurten_oud": len(sa) if oud else 0,
                "overlap": len(sa & sb) / len(sa | sb) if oud else 0.0,
                "buurten_erbij": ", ".join(sorted(sb - sa)),
                "buurten_eraf": ", ".join(sorted(sa - sb)),
            }
        )
    for i in sorted(set(a) - taken):
        rows.append(
            {
                "dia_id": None,
                "dia_id_oud": i,
                "status": "vervallen",
                "n_buurten": 0,
                "n_buurten_oud": len(a[i]),
                "overlap": 0.0,
                "buurten_erbij": "",
                "buurten_eraf": ", ".join(sorted(a[i])),
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "dia_id",
            "dia_id_oud",
            "status",
            "n_buurten",
            "n_buurten_oud",
            "overlap",
            "buurten_erbij",
            "buurten_eraf",
        ],
    )
    for c in ("dia_id", "dia_id_oud"):
        out[c] = out[c].astype("string")
    return out
