"""DIA: delineate contiguous investment areas from the SIA priority buurten.

Steps (:func:`delineate`):

1. **Selection**: the priority buurten, chosen by name from :data:`SELECTIONS`
   (``robuust``: robust priorities; ``top_k``: ``sia_rang <= top_k``).
2. **Contiguity** with libpysal fuzzy contiguity: buurten are neighbours when they touch
   (queen) or are less than ``snap_distance`` metres apart, which bridges the gaps and
   slivers of generalised CBS boundaries.
3. **Clusters**: connected components of the priority buurten. A priority buurt without a
   priority neighbour is an *island*: it forms a cluster of one and is a DIA only if
   ``min_buurten = 1`` and it meets ``min_woningen``; otherwise its ``dia_reden`` says so.
4. **Splitting**: a cluster of more than ``max_buurten`` buurten is split by a
   regionalisation method of spopt, by name from :data:`SPLIT_METHODS` (``skater``:
   recursive SKATER bisection until every part has at most ``max_buurten`` buurten, each
   side at least ``min_buurten``, homogeneous in ``sia_score`` and compact; ``maxp``:
   max-p regions each with at
   least ``min_woningen`` corporation dwellings, or ``min_buurten`` buurten when
   ``min_woningen`` is 0, seeded).
5. **Constraints**: parts with fewer than ``min_buurten`` buurten or ``min_woningen``
   corporation dwellings are not a DIA; of the rest at most ``max_dias`` are kept (highest
   mean ``sia_score`` first).
6. **Ids and names**: ``DIA-01``, ``DIA-02``, ... by mean ``sia_score`` (descending, then
   the smallest buurtcode); named after the buurt with the largest area.

Every priority buurt that does not end up in a DIA gets a Dutch reason in ``dia_reden``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geoprestatie._validate import read_toml, to_rd_new
from geoprestatie.errors import ConfigError, InputError

__all__ = [
    "SELECTIONS",
    "SPLIT_METHODS",
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
            "`selection` 'top_k' needs the table from sia.prioritise (attrs['top_k'] is absent)"
        )
    # top_k is 0 when no buurt is eligible: nothing is selected
    k = int(t.attrs["top_k"])
    return (t["sia_rang"] <= k).fillna(False).astype(bool)


#: Priority selections by name: ``f(prioritised table) -> boolean Series``.
SELECTIONS: dict[str, tuple[str, Callable[[pd.DataFrame], pd.Series]]] = {
    "robuust": ("robuust", _selection_robuust),
    "top_k": ("sia_rang", _selection_top_k),
}

SPLIT_METHODS: tuple[str, ...] = ("skater", "maxp")


@dataclass(frozen=True)
class DiaConfig:
    """Settings for :func:`delineate`.

    Parameters
    ----------
    selection
        Which buurten are priority: a name in :data:`SELECTIONS`.
    snap_distance
        Metres; buurten closer than this are neighbours (0: touching only).
    min_buurten, min_woningen
        A DIA has at least this many buurten and corporation dwellings
        (``dwellings_column``).
    max_buurten
        A cluster with more buurten is split (``None``: never split).
    max_dias
        At most this many DIAs (``None``: no maximum).
    split_method
        ``"skater"`` or ``"maxp"`` (spopt).
    dwellings_column
        Column with the corporation dwellings per buurt.
    seed
        Seed for ``maxp`` (its heuristic is random).

    Examples
    --------
    >>> DiaConfig.from_dict({"snap_distance": 5, "max_dias": 3}).max_dias
    3
    >>> DiaConfig.from_dict({"split_method": "kmeans"})
    Traceback (most recent call last):
    ...
    geoprestatie.errors.ConfigError: `dia.split_method` was 'kmeans' but is expected to be ...
    """

    selection: str = "robuust"
    snap_distance: float = 10.0
    min_buurten: int = 2
    min_woningen: float = 0.0
    max_buurten: int | None = 8
    max_dias: int | None = 10
    split_method: str = "skater"
    dwellings_column: str = "woningen_corporaties"
    seed: int = 0

    def __post_init__(self) -> None:
        def bad(key: str, expected: str) -> ConfigError:
            return ConfigError(f"`dia.{key}` was {getattr(self, key)!r} but is expected {expected}")

        if self.selection not in SELECTIONS:
            raise ConfigError(
                f"`dia.selection` was {self.selection!r} but is expected to be one of "
                f"{list(SELECTIONS)}"
            )
        if self.split_method not in SPLIT_METHODS:
            raise ConfigError(
                f"`dia.split_method` was {self.split_method!r} but is expected to be one of "
                f"{list(SPLIT_METHODS)}"
            )
        for key in ("snap_distance", "min_woningen"):
            v = getattr(self, key)
            if isinstance(v, bool) or not isinstance(v, int | float) or not v >= 0:
                raise bad(key, "to be a number >= 0 (metres / dwellings)")
            object.__setattr__(self, key, float(v))
        for key, optional in (
            ("min_buurten", False),
            ("max_buurten", True),
            ("max_dias", True),
            ("seed", False),
        ):
            v = getattr(self, key)
            if v is None and optional:
                continue
            if isinstance(v, bool) or not isinstance(v, int) or v < (0 if key == "seed" else 1):
                raise bad(key, "to be a positive integer" + (" or absent" if optional else ""))
        if self.max_buurten is not None and self.max_buurten < self.min_buurten:
            raise ConfigError(
                f"`dia.max_buurten` ({self.max_buurten}) is smaller than `dia.min_buurten` "
                f"({self.min_buurten})"
            )

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DiaConfig:
        """Build from a TOML table (keys are the field names)."""
        allowed = [f.name for f in fields(cls)]
        if not isinstance(d, Mapping):
            raise ConfigError(f"`dia` was {d!r} but is expected to be a table")
        unknown = [k for k in d if k not in allowed]
        if unknown:
            raise ConfigError(f"`dia` has unknown key(s) {unknown}; allowed keys are {allowed}")
        return cls(**d)

    @classmethod
    def from_toml(cls, path: str | Path) -> DiaConfig:
        """Read the ``[dia]`` table of a TOML file (defaults if there is none)."""
        path = Path(path)
        d = read_toml(path, what="DIA config")
        try:
            return cls.from_dict(d.get("dia", {}))
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
    from libpysal.graph import Graph

    geoms = to_rd_new(buurten, source=_SOURCE).geometry.reset_index(drop=True)
    buffer = snap_distance / 2.0 if snap_distance > 0 else None
    return Graph.build_fuzzy_contiguity(geoms, buffer=buffer).to_W()


def _split(
    part: gpd.GeoDataFrame, config: DiaConfig, dwell: str | None
) -> tuple[np.ndarray, str | None]:
    """Labels 0..p-1 for an oversized contiguous cluster, and a note if it fell short."""
    import spopt.region as region

    n = len(part)
    sub = part[["sia_score", "geometry"]].reset_index(drop=True)
    sub = gpd.GeoDataFrame(sub, geometry="geometry", crs=part.crs)
    assert config.max_buurten is not None
    if config.split_method == "maxp":
        w = contiguity(sub, snap_distance=config.snap_distance)
        if config.min_woningen > 0 and dwell is not None:
            sub["_drempel"] = part[dwell].fillna(0).to_numpy(dtype=float)
            threshold = config.min_woningen
        else:
            sub["_drempel"] = 1.0
            threshold = float(config.min_buurten)
        # spopt's max-p draws from numpy's global generator and takes no seed: seed it for
        # this call only and restore the caller's state afterwards
        state = np.random.get_state()  # noqa: NPY002
        try:
            np.random.seed(config.seed)  # noqa: NPY002
            model = region.MaxPHeuristic(sub, w, ["sia_score"], "_drempel", threshold, top_n=2)
            with warnings.catch_warnings():
                # spopt's max-p calls GeoDataFrame.drop(inplace=True), deprecated in pandas 3.1
                warnings.filterwarnings("ignore", message="The inplace keyword")
                model.solve()
        finally:
            np.random.set_state(state)  # noqa: NPY002
        return np.asarray(model.labels_, dtype=int), None
    # homogeneous in score, and compact: z-scored sia_score (weight 1) and centroid x, y
    # (weight 0.5 each), so that equal scores still give a split into compact parts
    attrs = ["_score", "_x", "_y"]
    centroids = sub.geometry.centroid
    for name, values, weight in (
        ("_score", sub["sia_score"].to_numpy(dtype=float), 1.0),
        ("_x", centroids.x.to_numpy(), 0.5),
        ("_y", centroids.y.to_numpy(), 0.5),
    ):
        sd = values.std()
        sub[name] = weight * (values - values.mean()) / sd if sd > 0 else 0.0
    # recursive SKATER bisection: each oversized part is cut in two (each side at least
    # min_buurten) until every part has at most max_buurten buurten. One cut costs
    # O(size²) SKATER evaluations, so this is far cheaper than one k-way solve.
    labels = np.zeros(n, dtype=int)
    todo = [np.arange(n)]
    done: list[np.ndarray] = []
    stuck: list[int] = []
    while todo:
        idx = todo.pop()
        if len(idx) <= config.max_buurten:
            done.append(idx)
            continue
        piece = sub.iloc[idx].reset_index(drop=True)
        model = region.Skater(
            piece,
            contiguity(piece, snap_distance=config.snap_distance),
            attrs,
            n_clusters=2,
            floor=config.min_buurten,
        )
        with warnings.catch_warnings():
            # SKATER warns when the floor leaves no valid cut; handled below
            warnings.filterwarnings("ignore", message="MSF contains no valid moves")
            model.solve()
        cut = np.asarray(model.labels_, dtype=int)
        if len(np.unique(cut)) < 2:
            done.append(idx)
            stuck.append(len(idx))
            continue
        todo.extend(idx[cut == lab] for lab in np.unique(cut))
    for number, idx in enumerate(sorted(done, key=lambda i: int(i.min()))):
        labels[idx] = number
    note = None
    if stuck:
        note = (
            f"SKATER kon een deel van {max(stuck)} buurten niet verder splitsen in delen van "
            f"minimaal {config.min_buurten} buurten; het blijft groter dan max_buurten "
            f"({config.max_buurten})"
        )
    return labels, note


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


def delineate(prioritised: gpd.GeoDataFrame, config: DiaConfig) -> DiaResult:
    """Delineate candidate DIAs from the output of :func:`geoprestatie.sia.prioritise`.

    Parameters
    ----------
    prioritised
        GeoDataFrame with ``buurtcode``, ``sia_score``, the selection column (``robuust`` or
        ``sia_rang``) and, for ``min_woningen``, the dwellings column; EPSG:28992.
    config
        The constraints.

    Returns
    -------
    :class:`DiaResult`. ``areas`` has per DIA: ``dia_id``, ``dia_naam``, ``n_buurten``,
    ``buurtcodes``, ``buurtnamen``, corporation dwellings (``woningen_corporaties`` and
    ``woningen_<corporatie>``), ``woningvoorraad``, ``aandeel_efg`` (weighted by
    corporation dwellings), ``leefbaarometer_gemiddeld``, ``warmte_startjaren``,
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
    >>> res.buurten[["buurtcode", "dia_id", "dia_naam"]]
      buurtcode  dia_id dia_naam
    0       BU1  DIA-01    DIA B
    1       BU2  DIA-01    DIA B
    2       BU3    <NA>     <NA>
    >>> res.buurten.loc[2, "dia_reden"]
    'eiland: geen aangrenzende prioriteitsbuurt (een DIA heeft minimaal 2 buurten)'
    >>> res.areas[["dia_id", "n_buurten", "buurtcodes", "oppervlakte_ha"]]
       dia_id  n_buurten buurtcodes  oppervlakte_ha
    0  DIA-01          2   BU1, BU2             2.5
    """
    col, select = SELECTIONS[config.selection]
    needed = ["buurtcode", "sia_score", col]
    missing = [c for c in needed if c not in prioritised.columns]
    if missing:
        raise ConfigError(
            f"`dia.selection` {config.selection!r} needs column(s) {missing} from "
            "sia.prioritise; the table has "
            f"{[str(c) for c in prioritised.columns if c != 'geometry']}"
        )
    if not isinstance(prioritised, gpd.GeoDataFrame):
        raise TypeError("`prioritised` must be a GeoDataFrame (DIAs need the geometries)")
    dwell: str | None = config.dwellings_column
    if dwell not in prioritised.columns:
        if config.min_woningen > 0:
            raise ConfigError(
                f"`dia.min_woningen` is {config.min_woningen:g} but the dwellings column "
                f"`dia.dwellings_column` = {dwell!r} is not in the table; available columns: "
                f"{[str(c) for c in prioritised.columns if c != 'geometry']}"
            )
        dwell = None
    table = to_rd_new(prioritised, source=_SOURCE)
    out = prioritised.copy()
    n = len(table)
    reasons: list[str | None] = [None] * n
    notes: list[str] = []
    chosen = np.flatnonzero(select(table).to_numpy())
    cand = table.iloc[chosen]
    if not len(cand):
        eligible = table["sia_geschikt"] if "sia_geschikt" in table.columns else None
        nothing = (
            "geen enkele buurt is geschikt (zie sia_reden)"
            if eligible is not None and not eligible.fillna(False).astype(bool).any()
            else f"geen enkele buurt geselecteerd als prioriteit (selectie {config.selection!r})"
        )
        notes.append(f"{nothing}: geen DIA's")

    # connected components of the priority buurten, then split the oversized ones
    parts: list[np.ndarray] = []  # positions into `table`
    islands: set[int] = set()
    if len(cand):
        w = contiguity(cand, snap_distance=config.snap_distance)
        comp = np.asarray(w.component_labels, dtype=int)
        for c in np.unique(comp):
            members = chosen[comp == c]
            if len(members) == 1:
                islands.add(int(members[0]))
            if config.max_buurten is not None and len(members) > config.max_buurten:
                labels, note = _split(table.iloc[members], config, dwell)
                notes.append(
                    f"cluster van {len(members)} buurten gesplitst met {config.split_method} "
                    f"in {len(np.unique(labels))} delen"
                )
                if note:
                    notes.append(note)
                parts.extend(members[labels == lab] for lab in np.unique(labels))
            else:
                parts.append(members)

    # constraints
    kept: list[np.ndarray] = []
    for members in parts:
        woningen = float(table[dwell].iloc[members].fillna(0).sum()) if dwell else math.nan
        why = None
        if len(members) == 1 and int(members[0]) in islands and config.min_buurten > 1:
            why = (
                "eiland: geen aangrenzende prioriteitsbuurt "
                f"(een DIA heeft minimaal {config.min_buurten} buurten)"
            )
        elif len(members) < config.min_buurten:
            why = f"te klein: {len(members)} buurt(en), minimaal {config.min_buurten}"
        elif dwell and woningen < config.min_woningen:
            why = f"te klein: {woningen:g} corporatiewoningen, minimaal {config.min_woningen:g}"
        if why is None:
            kept.append(members)
        else:
            for i in members:
                reasons[i] = why

    codes = table["buurtcode"].astype(str).to_numpy()
    scores = table["sia_score"].to_numpy(dtype=float)
    kept.sort(key=lambda m: (-float(np.mean(scores[m])), min(codes[m])))
    if config.max_dias is not None and len(kept) > config.max_dias:
        for members in kept[config.max_dias :]:
            for i in members:
                reasons[i] = f"buiten het maximum van {config.max_dias} DIA's"
        notes.append(f"{len(kept) - config.max_dias} kandidaat-DIA('s) boven max_dias weggelaten")
        kept = kept[: config.max_dias]

    dia_id = pd.array([None] * n, dtype="string")
    dia_naam = pd.array([None] * n, dtype="string")
    area = table.geometry.area.to_numpy()
    names = table["buurtnaam"].astype(str).to_numpy() if "buurtnaam" in table.columns else codes
    rows: list[dict[str, Any]] = []
    geoms = []
    used_names: dict[str, int] = {}
    for number, members in enumerate(kept, start=1):
        ident = f"DIA-{number:02d}"
        largest = members[np.lexsort((codes[members], -area[members]))[0]]
        name = f"DIA {names[largest]}"
        used_names[name] = used_names.get(name, 0) + 1
        if used_names[name] > 1:
            name = f"{name} ({used_names[name]})"
        dia_id[members] = ident
        dia_naam[members] = name
        rows.append({"dia_id": ident, "dia_naam": name, **_aggregate(table.iloc[members], config)})
        union = shapely.union_all(table.geometry.iloc[members].to_numpy())
        if config.snap_distance > 0:
            half = config.snap_distance / 2.0
            union = shapely.buffer(
                shapely.buffer(union, half, join_style="mitre"), -half, join_style="mitre"
            )
        geoms.append(union)
    out["dia_id"] = dia_id
    out["dia_naam"] = dia_naam
    out["dia_reden"] = pd.array(reasons, dtype="string")
    areas = gpd.GeoDataFrame(rows, geometry=geoms, crs=table.crs)
    if not rows:
        areas = gpd.GeoDataFrame(
            {"dia_id": pd.Series(dtype="string"), "dia_naam": pd.Series(dtype="string")},
            geometry=gpd.GeoSeries([], crs=table.crs),
        )
        notes.append("geen enkele DIA voldoet aan de voorwaarden")
    return DiaResult(buurten=out, areas=areas, notes=tuple(notes))


def _as_sets(obj: Any, which: str) -> dict[str, set[str]]:
    if isinstance(obj, DiaResult):
        obj = obj.buurten
    if not isinstance(obj, pd.DataFrame) or "dia_id" not in obj.columns:
        raise TypeError(
            f"`{which}` must be a DiaResult, a DIA areas frame (dia_id, buurtcodes) or an "
            "assignment frame (buurtcode, dia_id)"
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
        raise TypeError(f"`{which}` has `dia_id` but neither `buurtcode` nor `buurtcodes`")
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
        raise InputError("file not found", source=path)
    if path.suffix.lower() == ".csv":
        from geoprestatie.sources._tabular import read_table

        frame = read_table(path)  # any separator and encoding: our own CSVs are Dutch Excel
    else:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        layer = next((n for n in ("dia", "dia_gebieden") if n in layers), None)
        if layer is None and len(layers) > 1:
            raise InputError(
                f"no DIA layer: expected a layer 'dia' (geoprestatie.gpkg) or "
                f"'dia_gebieden', found {layers}",
                source=path,
            )
        frame = pd.DataFrame(gpd.read_file(path, layer=layer))
    if "dia_id" not in frame.columns or not ({"buurtcode", "buurtcodes"} & set(frame.columns)):
        raise InputError(
            "not a DIA set: expected columns dia_id and buurtcodes (dia.csv, the dia layer) "
            f"or buurtcode and dia_id; found {[c for c in frame.columns if c != 'geometry']}",
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
