"""Embedded real open data: list and load it by name.

The data lives once, in the repository's ``data/`` folder; a wheel carries it as
``geoprestatie/data``. Sources and caveats: ``data/*/README.md``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geoprestatie.errors import InputError
from geoprestatie.sources.buurten import read_buurten, select_gemeente
from geoprestatie.sources.indicators import canonical_indicators

__all__ = [
    "available",
    "data_path",
    "gemeenten",
    "load_buurten",
    "load_gemeenten",
    "load_indicators",
    "load_leefbaarometer_klassen",
    "load_startanalyse",
    "load_wijken",
]

BUURTEN_GPKG = "cbs_buurten/cbs_buurten_2022_4gemeenten.gpkg"
INDICATOREN_CSV = "indicatoren/buurten_provincie_utrecht_2020_indicatoren.csv"
STARTANALYSE_CSV = "warmte/pbl_startanalyse_2025_terneuzen_wijken.csv"
KLASSEN_CSV = "leefbaarometer/leefbaarometer_klassen.csv"

_CATALOGUE: tuple[tuple[str, str, str, str], ...] = (
    (
        "buurten",
        BUURTEN_GPKG,
        "CBS-buurten 2022 (gegeneraliseerd) van Enschede, Amersfoort, Terneuzen, Aa en Hunze",
        "CBS, Kadaster",
    ),
    (
        "indicatoren",
        INDICATOREN_CSV,
        "CBS-kerncijfers (~2020) en Leefbaarometer 3.0-scores per buurt, provincie Utrecht",
        "CBS; Leefbaarometer (BZK); RIVM",
    ),
    (
        "startanalyse",
        STARTANALYSE_CSV,
        "PBL Startanalyse aardgasvrije buurten 2025, Terneuzen per wijk",
        "PBL",
    ),
    (
        "leefbaarometer_klassen",
        KLASSEN_CSV,
        "Leefbaarometer 3.0-scoreklassen 1-9 met hun namen",
        "Leefbaarometer (BZK)",
    ),
)


def _data_root() -> Path:
    packaged = resources.files("geoprestatie") / "data"
    if packaged.is_dir():
        return Path(str(packaged))
    repo = Path(__file__).resolve().parents[2] / "data"
    if repo.is_dir():
        return repo
    raise FileNotFoundError(
        "de ingebouwde gegevens van geoprestatie zijn niet gevonden. Oplossing: installeer "
        "het pakket opnieuw (pip install geoprestatie) of start vanuit een kopie van de "
        "repository"
    )


def data_path(name: str) -> Path:
    """Path of an embedded data file, e.g. ``data_path("cbs_buurten/...gpkg")``.

    Examples
    --------
    >>> data_path(BUURTEN_GPKG).name
    'cbs_buurten_2022_4gemeenten.gpkg'
    """
    path = _data_root() / name
    if not path.exists():
        raise FileNotFoundError(f"ingebouwd gegevensbestand {name!r} bestaat niet: {path}")
    return path


def available() -> pd.DataFrame:
    """The embedded data sets: name, file, description and source.

    Examples
    --------
    >>> available()["name"].tolist()
    ['buurten', 'indicatoren', 'startanalyse', 'leefbaarometer_klassen']
    """
    return pd.DataFrame(_CATALOGUE, columns=["name", "file", "description", "bron"])


def gemeenten() -> pd.DataFrame:
    """The municipalities with embedded buurten: ``gemeentecode, gemeentenaam, n_buurten``.

    Examples
    --------
    >>> gemeenten()["gemeentenaam"].tolist()
    ['Enschede', 'Amersfoort', 'Terneuzen', 'Aa en Hunze']
    """
    g = load_gemeenten()
    return pd.DataFrame(g[["gemeentecode", "gemeentenaam", "n_buurten"]])


def load_buurten(gemeente: str | None = None) -> gpd.GeoDataFrame:
    """Embedded CBS 2022 buurten in the canonical schema (EPSG:28992).

    Parameters
    ----------
    gemeente
        Municipality name or GM code, case-insensitive (``"Amersfoort"``, ``"gm0307"``,
        ``"307"``). ``None`` returns all 310 buurten.

    Raises
    ------
    ValueError
        Unknown municipality; the message lists the available ones.

    Examples
    --------
    >>> b = load_buurten("Enschede")
    >>> len(b), b.crs.to_epsg()
    (70, 28992)
    >>> len(load_buurten("GM0307"))
    145
    """
    buurten = read_buurten(data_path(BUURTEN_GPKG), layer="buurten")
    buurten.attrs["bron"] = "CBS, Kadaster: wijk- en buurtindeling 2022 (gegeneraliseerd)"
    if gemeente is None:
        return buurten
    out = select_gemeente(buurten, gemeente, source="ingebouwde buurten")
    out.attrs.update(buurten.attrs)
    return out


def load_wijken(gemeente: str | None = None) -> gpd.GeoDataFrame:
    """Embedded CBS 2022 wijken (buurten dissolved by wijkcode).

    Examples
    --------
    >>> len(load_wijken("Terneuzen"))
    30
    """
    wijken = gpd.read_file(data_path(BUURTEN_GPKG), layer="wijken")
    if gemeente is None:
        return wijken
    return select_gemeente(wijken, gemeente, source="ingebouwde wijken")


def load_gemeenten() -> gpd.GeoDataFrame:
    """Embedded municipality outlines (buurten dissolved by gemeentecode)."""
    return gpd.read_file(data_path(BUURTEN_GPKG), layer="gemeenten")


# Columns where 0 cannot be a real value: the compiler's placeholder for "missing".
_ZERO_IS_MISSING = (
    "gemiddelde_huishoudensgrootte",
    "gemiddelde_woningwaarde",
    "afstand_tot_ziekenhuis_km",
    "afstand_tot_grote_supermarkt_km",
    "afstand_tot_cafe_km",
    "afstand_tot_kinderdagverblijf_km",
    "afstand_tot_buitenschoolseopvang_km",
    "afstand_tot_hoofdverkeersweg_km",
    "aardgasverbruik_m3_gemiddeld",
    "elektriciteitsverbruik_kwh_gemiddeld",
    "social_economische_score_gemiddeld",
    "geluid_van_treinverkeer",
    "geluid_van_weg",
)
# Dwelling percentages: 0 together with bewoond_percentage == 0 is CBS suppression.
_DWELLING_PERCENTAGES = (
    "meergezinswoning_percentage",
    "bewoond_percentage",
    "koopwoning_percentage",
    "bouwjaar_vanaf_2000_percentage",
)
_PERSON_PERCENTAGES = (
    "aantal_inwoners_tussen_25_44_percentage",
    "aantal_huishoudens_met_kinderen_percentage",
)


def load_indicators(gemeente: str | None = None) -> pd.DataFrame:
    """Per-buurt CBS indicators and Leefbaarometer 3.0 scores (province of Utrecht, ~2020).

    Cleaned on load, as documented in ``data/indicatoren/README.md``:
    ``buurt_code`` becomes ``buurtcode``, ``regio`` becomes ``buurtnaam``, ``gm_naam``
    becomes ``gemeentenaam``, ``leefbarometer_*`` becomes ``leefbaarometer_*``; columns that
    are 0 in every row are dropped; 0 becomes missing where 0 is not a possible value
    (averages, distances, energy use, noise, SES score), in dwelling percentages of rows
    with ``bewoond_percentage == 0`` (CBS suppression), and in person percentages of rows
    without inhabitants. Finally the CBS columns get their canonical names and units
    (:data:`geoprestatie.sources.indicators.INDICATORS`: ``koopwoning_percentage`` 26 becomes
    ``aandeel_koop`` 0.26, ``gemiddelde_woningwaarde`` 335 (x 1000) ``woz_gemiddeld``
    335000, ``social_economische_score_gemiddeld`` ``sociaaleconomische_score``).

    Examples
    --------
    >>> ind = load_indicators("Amersfoort")
    >>> len(ind), int(ind["leefbaarometer_score"].notna().sum())
    (145, 117)
    >>> bool((ind["woz_gemiddeld"] == 0).any()), float(ind["aandeel_koop"].iloc[0])
    (False, 0.26)
    """
    raw = pd.read_csv(data_path(INDICATOREN_CSV))
    df = raw.rename(
        columns={"buurt_code": "buurtcode", "regio": "buurtnaam", "gm_naam": "gemeentenaam"}
    )
    df = df.rename(columns=lambda c: c.replace("leefbarometer_", "leefbaarometer_"))
    all_zero = [
        c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and (df[c] == 0).all()
    ]
    df = df.drop(columns=all_zero)
    for col in _ZERO_IS_MISSING:
        df[col] = df[col].mask(df[col] == 0)
    suppressed = df["bewoond_percentage"] == 0
    for col in _DWELLING_PERCENTAGES:
        df[col] = df[col].astype("float64").mask(suppressed & (df[col] == 0))
    no_people = df["aantal_inwoners"] == 0
    for col in _PERSON_PERCENTAGES:
        df[col] = df[col].mask(no_people)
    df = canonical_indicators(df, source=INDICATOREN_CSV)
    df.attrs["bron"] = "CBS kerncijfers (~2020); Leefbaarometer 3.0 (BZK); RIVM"
    if gemeente is None:
        return df
    wanted = gemeente.strip().lower()
    mask = df["gemeentenaam"].str.lower() == wanted
    if wanted.startswith("gm") or wanted.isdigit():
        code = wanted[2:] if wanted.startswith("gm") else wanted
        mask = df["buurtcode"].str[2:6] == f"{int(code):04d}"
    if not mask.any():
        names = sorted(df["gemeentenaam"].unique())
        raise InputError(
            f"gemeente is {gemeente!r} maar moet een van {names} zijn",
            source="ingebouwde indicatoren",
        )
    return df.loc[mask].reset_index(drop=True)


def load_startanalyse() -> pd.DataFrame:
    """PBL Startanalyse aardgasvrije buurten 2025 for the 30 wijken of Terneuzen.

    Examples
    --------
    >>> s = load_startanalyse()
    >>> len(s), s["wijkcode"].iloc[0]
    (30, 'WK071501')
    """
    df = pd.read_csv(data_path(STARTANALYSE_CSV))
    df.attrs["bron"] = "PBL, Startanalyse aardgasvrije buurten 2025"
    return df


def load_leefbaarometer_klassen() -> pd.DataFrame:
    """The nine Leefbaarometer 3.0 classes (``klasse`` 1-9, ``label``).

    Examples
    --------
    >>> load_leefbaarometer_klassen().set_index("klasse").loc[9, "label"]
    'Uitstekend'
    """
    return pd.read_csv(data_path(KLASSEN_CSV))
