"""Checks shared by the readers and stages (private)."""

from __future__ import annotations

import math
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

#: Where RD New x and y of a place on Dutch land can be (metres; Cadzand's x is about
#: 13,500): the range that reads Excel's thousands dots (``155.159`` can only be 155159).
RD_X_LAND = (7_000.0, 300_000.0)
RD_Y_LAND = (289_000.0, 629_000.0)
BUURTCODE_PATTERN = r"BU\d{8}"
WIJKCODE_PATTERN = r"WK\d{6}"
GEMEENTECODE_PATTERN = r"GM\d{4}"


def require_columns(
    df: pd.DataFrame,
    required: Iterable[str],
    *,
    source: str | Path,
    one_of: Mapping[str, Sequence[str]] | None = None,
    one_of_what: str = "een van",
    aliases: str | None = None,
    accepted: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Raise :class:`InputError` listing found and expected columns if any is missing.

    The one check of every reader and stage. ``one_of`` maps a label to columns of which at
    least one set must be complete (a location: ``{"x+y (RD New)": ("x", "y"), ...}``);
    ``one_of_what`` names them in the message (``"een locatie"``); ``aliases`` names where
    the accepted alternative column names are listed, and ``accepted`` (that alias table)
    lets the message list them for each missing column. Columns renamed from an alias
    (``attrs["kolom_herkomst"]``, set by ``sources._tabular.canonical_columns``) are shown
    under the user's own header.

    Examples
    --------
    >>> df = pd.DataFrame(columns=["vhe_id", "x"])
    >>> require_columns(df, ["vhe_id", "corporatie"], source="v.csv",
    ...                 one_of={"x+y": ("x", "y"), "buurtcode": ("buurtcode",)},
    ...                 one_of_what="een locatie")
    Traceback (most recent call last):
    ...
    geoprestatie.errors.InputError: v.csv: verplichte kolom(men) ontbreken: ['corporatie'] en \
geen kolommen voor een locatie; verwacht ['vhe_id', 'corporatie'] en een locatie: x+y of \
buurtcode; gevonden ['vhe_id', 'x']
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
        problems.append(f"verplichte kolom(men) ontbreken: {missing}")
        if accepted:
            names = [f"{c} (of {', '.join(accepted[c][:6])})" for c in missing if accepted.get(c)]
            if names:
                problems[-1] += f" [toegestane namen: {'; '.join(names)}]"
    if no_alternative:
        problems.append(f"geen kolommen voor {one_of_what}")
    expected = f"verwacht {required}"
    if alternatives:
        labels = list(alternatives)
        choice = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + f" of {labels[-1]}"
        expected += f" en {one_of_what}: {choice}"
    if aliases:
        expected += f" (andere namen: {aliases})"
    origin: Mapping[str, str] = df.attrs.get("kolom_herkomst", {})
    found = [
        f"{origin[c]} (= {c})" if c in origin and origin[c] != c else c
        for c in map(str, df.columns)
    ]
    raise InputError(f"{' en '.join(problems)}; {expected}; gevonden {found}", source=source)


def config_contradiction(
    *,
    source: str | Path,
    column: str | None,
    file_value: object,
    key: str,
    config_value: object,
    rows: Sequence[int] | None = None,
) -> InputError:
    """The one line for a config value that contradicts the file it describes.

    ``key`` names the setting as the user wrote it (``[prognose] peildatum``, with the CLI
    option when there is one). The caller raises the returned error: a config value never
    silently overrides what the file itself says.

    Examples
    --------
    >>> e = config_contradiction(source="beginstand.csv", column="peildatum",
    ...     file_value="2022-01-01", key="[prognose] peildatum", config_value="2023-01-01")
    >>> str(e).split(": ", 1)[1].split(";")[0]
    "het bestand zegt '2022-01-01', maar [prognose] peildatum zegt '2023-01-01'"
    """
    return InputError(
        f"het bestand zegt {str(file_value)!r}, maar {key} zegt {str(config_value)!r}; "
        f"verwacht dezelfde waarde. Oplossing: haal {key} weg (het bestand zegt het zelf) "
        "of corrigeer de config of het bestand",
        source=source,
        column=column,
        rows=rows,
    )


def _same_crs(label: Any, given: str) -> bool:
    """Whether the file's CRS and a CRS given in the config/CLI are the same system."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        other = CRS.from_user_input(given)
    except CRSError as exc:
        raise ConfigError(
            f"crs {given!r} is geen coördinatenstelsel ({exc}); verwacht bijv. 'EPSG:28992'"
        ) from None
    file_epsg = label.to_epsg()
    if file_epsg is not None and other.to_epsg() is not None:
        return bool(file_epsg == other.to_epsg())
    return bool(label.equals(other, ignore_axis_order=True))


def to_rd_new(
    gdf: gpd.GeoDataFrame, *, source: str | Path, assume_crs: str | None = None
) -> gpd.GeoDataFrame:
    """Return ``gdf`` in EPSG:28992; a missing CRS is an error unless ``assume_crs`` is given.

    ``assume_crs`` (config ``[buurten] crs``, CLI ``--crs``) is for a file without a CRS; a
    file whose own CRS is another system contradicts it (:func:`config_contradiction`).
    """
    if gdf.crs is None:
        if assume_crs is None:
            raise InputError(
                "het bestand heeft geen coördinatenstelsel (CRS); verwacht EPSG:28992 "
                "(RD New) of een ander stelsel dat omgerekend kan worden. Oplossing: voeg een "
                ".prj toe / stel het stelsel in QGIS in, of geef crs='EPSG:28992' mee (CLI: "
                "--crs EPSG:28992) als de coördinaten RD New-meters zijn",
                source=source,
            )
        gdf = gdf.set_crs(assume_crs)
    elif assume_crs is not None and not _same_crs(gdf.crs, assume_crs):
        raise config_contradiction(
            source=source,
            column=None,
            file_value=f"coördinatenstelsel {gdf.crs.to_string()}",
            key="[buurten] crs (CLI: --crs)",
            config_value=assume_crs,
        )
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


#: GEOS's reasons for an invalid geometry (``shapely.is_valid_reason``) in Dutch.
_GEOMETRY_REASONS: dict[str, str] = {
    "Ring Self-intersection": "ring snijdt zichzelf",
    "Self-intersection": "snijdt zichzelf",
    "Too few points in geometry component": "te weinig punten",
    "Hole lies outside shell": "gat ligt buiten de buitenrand",
    "Nested holes": "gat in een gat",
    "Nested shells": "buitenrand in een buitenrand",
    "Interior is disconnected": "binnengebied is niet samenhangend",
    "Duplicate Rings": "dubbele ringen",
    "Ring is not closed": "ring is niet gesloten",
    "Invalid Coordinate": "ongeldige coördinaat",
}


def geometry_reason(reason: str) -> str:
    """``shapely.is_valid_reason`` in Dutch, the location kept.

    Examples
    --------
    >>> geometry_reason("Self-intersection[155000 463000]")
    'snijdt zichzelf [155000 463000]'
    """
    for english, dutch in _GEOMETRY_REASONS.items():
        if reason.startswith(english):
            rest = reason[len(english) :]
            return f"{dutch} {rest}" if rest else dutch
    return reason


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


def config_number(value: Any, key: str, *, where: str = "", integer: bool = False) -> Any:
    """A number from a TOML table, or a :class:`ConfigError` naming the key, the value and
    what is expected. Text is refused, not converted: ``"405.000"`` (Dutch thousands) or
    ``"10%"`` would otherwise become 405 or a traceback; so are ``true``, ``nan``, ``inf``
    and, where a whole number is asked (a year, a count), a fraction.

    Examples
    --------
    >>> config_number(0.1, "marge"), config_number(2030, "eindjaar", integer=True)
    (0.1, 2030)
    >>> config_number("405.000", "koop_betaalbaar")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geoprestatie.errors.ConfigError: `koop_betaalbaar` is '405.000' maar moet een getal zijn ...
    """
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if integer and number and isinstance(value, int):
        return int(value)
    if not integer and number and math.isfinite(value):
        return float(value)
    expected = (
        "een geheel getal zijn (zonder aanhalingstekens, bijv. 2030)"
        if integer
        else "een getal zijn (zonder aanhalingstekens, punt als decimaalteken, bijv. 0.1 of 550000)"
    )
    raise ConfigError(f"{where}`{key}` is {value!r} maar moet {expected}")


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
    geoprestatie.errors.ConfigError: SIA criteria .../criteria.toml: geen UTF-8-tekst (regel 1: ...
    """
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"{what} {path}: is een map; verwacht een TOML-bestand")
    if not path.is_file():
        raise ConfigError(f"{what} {path}: bestand niet gevonden")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{what} {path}: geen UTF-8-tekst (regel {line}: byte {raw[exc.start]:#04x}); "
            "een TOML-bestand moet UTF-8 zijn. Oplossing: sla het op als UTF-8 (Kladblok: "
            "Opslaan als > Codering: UTF-8)"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{what} {path}: ongeldige TOML: {toml_reason(exc)}") from None


#: tomllib's reasons (English) as users read them; the rest of its text is kept.
_TOML_REASONS: dict[str, str] = {
    "Invalid value": "ongeldige waarde",
    "Invalid statement": "ongeldige regel",
    "Cannot overwrite a value": "een waarde staat er twee keer",
    "Cannot declare": "dubbele declaratie van",
    "Unterminated string": "tekst zonder afsluitend aanhalingsteken",
    "Unclosed array": "lijst zonder afsluitende ]",
    "Unclosed inline table": "tabel zonder afsluitende }",
    "Expected '=' after a key in a key/value pair": "'=' verwacht na een sleutel",
    "Expected newline or end of document after a statement": (
        "nieuwe regel verwacht na een waarde"
    ),
    "Invalid initial character for a key part": "ongeldig eerste teken van een sleutel",
    "Illegal character": "ongeldig teken",
    "Found invalid character": "ongeldig teken",
    "Invalid date or datetime": "ongeldige datum",
    "Expected ']' at the end of a table declaration": "']' verwacht aan het eind van een tabelkop",
}


def toml_reason(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's message in Dutch (reason and position; an unknown reason is kept).

    Examples
    --------
    >>> try:
    ...     tomllib.loads("a = ?")
    ... except tomllib.TOMLDecodeError as exc:
    ...     toml_reason(exc)
    'ongeldige waarde (regel 1, kolom 5)'
    """
    text = str(exc)
    text = re.sub(r"\(at line (\d+), column (\d+)\)", r"(regel \1, kolom \2)", text)
    text = text.replace("(at end of document)", "(aan het eind van het bestand)")
    for english, dutch in _TOML_REASONS.items():
        if text.startswith(english):
            return dutch + text[len(english) :]
    return text
