"""Checks shared by the readers and stages (private)."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geoprestatie.errors import ConfigError, InputError

RD_NEW = "EPSG:28992"

#: CBS codes for secret, not applicable or missing values in kerncijfers columns.
CBS_MISSING_CODES: tuple[int, ...] = (
    -99999999,
    -99999998,
    -99999997,
    -99999996,
    -99999995,
    -99999994,
    -99999993,
    -99999992,
    -99999991,
    -99999990,
    -99999,
    -99998,
    -99997,
    -99996,
    -99995,
)

BUURTCODE_PATTERN = r"BU\d{8}"
WIJKCODE_PATTERN = r"WK\d{6}"
GEMEENTECODE_PATTERN = r"GM\d{4}"


def require_columns(
    df: pd.DataFrame,
    required: Iterable[str],
    *,
    source: str | Path,
    one_of: Mapping[str, Sequence[str]] | None = None,
    one_of_what: str = "one of",
    aliases: str | None = None,
    accepted: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Raise :class:`InputError` listing found and expected columns if any is missing.

    The one check of every reader and stage. ``one_of`` maps a label to columns of which at
    least one set must be complete (a location: ``{"x+y (RD New)": ("x", "y"), ...}``);
    ``one_of_what`` names them in the message (``"a location"``); ``aliases`` names where
    the accepted alternative column names are listed, and ``accepted`` (that alias table)
    lets the message list them for each missing column. Columns renamed from an alias
    (``attrs["kolom_herkomst"]``, set by ``sources._tabular.canonical_columns``) are shown
    under the user's own header.

    Examples
    --------
    >>> df = pd.DataFrame(columns=["vhe_id", "x"])
    >>> require_columns(df, ["vhe_id", "corporatie"], source="v.csv",
    ...                 one_of={"x+y": ("x", "y"), "buurtcode": ("buurtcode",)},
    ...                 one_of_what="a location")
    Traceback (most recent call last):
    ...
    geoprestatie.errors.InputError: v.csv: missing required column(s) ['corporatie'] and no \
location columns; expected ['vhe_id', 'corporatie'] and a location: x+y or buurtcode; \
found ['vhe_id', 'x']
    """
    required = list(required)
    columns = set(map(str, df.columns))
    missing = [c for c in required if c not in columns]
    alternatives = dict(one_of or {})
    no_alternative = bool(alternatives) and not any(
        set(cols) <= columns for cols in alternatives.values()
    )
    if not missing and not no_alternative:
        return
    problems = []
    if missing:
        problems.append(f"missing required column(s) {missing}")
        if accepted:
            names = [f"{c} (or {', '.join(accepted[c][:6])})" for c in missing if accepted.get(c)]
            if names:
                problems[-1] += f" [accepted names: {'; '.join(names)}]"
    if no_alternative:
        problems.append(f"no {one_of_what.removeprefix('a ').removeprefix('an ')} columns")
    expected = f"expected {required}"
    if alternatives:
        labels = list(alternatives)
        choice = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + f" or {labels[-1]}"
        expected += f" and {one_of_what}: {choice}"
    if aliases:
        expected += f" (aliases: {aliases})"
    origin: Mapping[str, str] = df.attrs.get("kolom_herkomst", {})
    found = [
        f"{origin[c]} (= {c})" if c in origin and origin[c] != c else c
        for c in map(str, df.columns)
    ]
    raise InputError(f"{' and '.join(problems)}; {expected}; found {found}", source=source)


def to_rd_new(
    gdf: gpd.GeoDataFrame, *, source: str | Path, assume_crs: str | None = None
) -> gpd.GeoDataFrame:
    """Return ``gdf`` in EPSG:28992; a missing CRS is an error unless ``assume_crs`` is given."""
    if gdf.crs is None:
        if assume_crs is None:
            raise InputError(
                "the file has no coordinate reference system (CRS); expected EPSG:28992 "
                "(RD New) or any CRS that can be reprojected. Fix: add a .prj / set the CRS "
                "in QGIS, or pass crs='EPSG:28992' (CLI: --crs EPSG:28992) if the "
                "coordinates are RD New metres",
                source=source,
            )
        gdf = gdf.set_crs(assume_crs)
    check_crs_matches_coordinates(gdf, source=source)
    if gdf.crs is not None and gdf.crs.to_epsg() != 28992:
        gdf = gdf.to_crs(RD_NEW)
    return gdf


def check_crs_matches_coordinates(gdf: gpd.GeoDataFrame, *, source: str | Path) -> None:
    """Raise :class:`InputError` when the CRS label contradicts the coordinates.

    Two mistakes are recognised: a geographic label (degrees, e.g. EPSG:4326) on
    coordinates beyond +-180/+-90 (RD New metres, typically), and a projected label on
    coordinates that are longitude/latitude degrees of the Netherlands (x 2-8, y 49-55).

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> g = gpd.GeoDataFrame(geometry=[Point(155000, 463000)], crs="EPSG:4326")
    >>> check_crs_matches_coordinates(g, source="v.gpkg")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geoprestatie.errors.InputError: v.gpkg: het coördinatenstelsel is EPSG:4326 (graden), ...
    """
    if gdf.crs is None or gdf.empty:
        return
    geoms = gdf.geometry
    present = geoms[~(geoms.isna() | geoms.is_empty)]
    if present.empty:
        return
    minx, miny, maxx, maxy = (float(v) for v in present.total_bounds)
    span = f"x {minx:,.0f} tot {maxx:,.0f}, y {miny:,.0f} tot {maxy:,.0f}".replace(",", ".")
    label = gdf.crs.to_string()
    fix = (
        "Herstel: zet het juiste stelsel in het bestand (QGIS: Laag > Laag-CRS instellen; "
        "of `ogr2ogr -a_srs EPSG:28992 nieuw.gpkg oud.gpkg`)"
    )
    if gdf.crs.is_geographic and (
        max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90
    ):
        raise InputError(
            f"het coördinatenstelsel is {label} (graden), maar de coördinaten ({span}) zijn "
            "geen graden; het lijken RD New-meters (EPSG:28992). " + fix,
            source=source,
        )
    if gdf.crs.is_projected and minx >= 2 and maxx <= 8 and miny >= 49 and maxy <= 55:
        raise InputError(
            f"het coördinatenstelsel is {label} (meters), maar de coördinaten ({span}) zijn "
            "lengte- en breedtegraden in Nederland (EPSG:4326). "
            + fix.replace("EPSG:28992", "EPSG:4326"),
            source=source,
        )


def rows_where(mask: pd.Series) -> list[int]:
    """1-based positions (data rows as a user counts them) where ``mask`` is true."""
    return [int(i) + 1 for i in mask.to_numpy().nonzero()[0]]


def normalise_name(name: object) -> str:
    """A column name as matched against aliases: lower case, no accents, ``_`` for
    spaces, hyphens and dots.

    Examples
    --------
    >>> normalise_name(" VHE-nummer "), normalise_name("X coördinaat"), normalise_name("BU_CODE")
    ('vhe_nummer', 'x_coordinaat', 'bu_code')
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-.]+", "_", text.strip().lower()).strip("_")


def lower_map(columns: Iterable[str], aliases: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Map actual column names to canonical names through aliases.

    Matching ignores case, accents, surrounding spaces and the difference between spaces,
    hyphens, dots and underscores (:func:`normalise_name`). The first alias found wins; a
    canonical name already present is kept as is.
    """
    actual = {normalise_name(c): str(c) for c in columns}
    rename: dict[str, str] = {}
    for canonical, names in aliases.items():
        for name in (canonical, *names):
            hit = actual.get(normalise_name(name))
            if hit is not None:
                if hit != canonical:
                    rename[hit] = canonical
                break
    return rename


def read_toml(path: str | Path, *, what: str) -> dict[str, Any]:
    """Read a TOML file; every problem the user can fix is a :class:`ConfigError`.

    ``what`` says which file it is (``"SIA criteria"``, ``"agreements"``) and starts the
    message, followed by the path: a missing file, a file that is not UTF-8 (with the line
    of the first bad byte and how to save it as UTF-8) and invalid TOML (with its line).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "criteria.toml"
    >>> _ = p.write_bytes('label = "Leefbaarheid in één buurt"'.encode("cp1252"))
    >>> read_toml(p, what="SIA criteria")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geoprestatie.errors.ConfigError: SIA criteria .../criteria.toml: not UTF-8 text (line 1: ...
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{what} {path}: file not found")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{what} {path}: not UTF-8 text (line {line}: byte {raw[exc.start]:#04x}); TOML "
            "files must be UTF-8: save it as UTF-8 (Notepad: Save as > Encoding: UTF-8)"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{what} {path}: invalid TOML: {exc}") from None
