"""The canonical per-buurt indicators: one name each, whatever file or year they come from.

CBS has published the same figures under many names: the *Kerncijfers wijken en buurten*
tables (``kwb-2021.xlsx``: short codes ``a_woning``, ``p_wcorpw``, ``g_wozbag``), the
wijk- en buurtkaart shapefiles up to 2022 (upper case and truncated to ten characters:
``WONINGEN``, ``P_HUURCORP``, ``WOZ``), the GeoPackages since 2022 (long names:
``woningvoorraad``, ``perc_huurwoningen_in_bezit_woningcorporaties``) and StatLine
(titles ``In bezit woningcorporatie (%)`` or OData keys ``InBezitWoningcorporatie_42``).
:data:`INDICATORS` maps every one of those names onto one canonical name, unit and range;
every reader of indicators (:func:`geoprestatie.sources.read_kerncijfers`,
:func:`geoprestatie.sources.read_buurten`, :func:`geoprestatie.datasets.load_indicators`,
:func:`geoprestatie.sources.read_liveability`) uses it, and so do the default SIA criteria.

Units of the canonical columns: ``aandeel_*`` is a share **0-1** (CBS percentages divided
by 100, like ``aandeel_corporatie`` and ``aandeel_efg`` of the join); amounts in euro
(CBS gives WOZ and income in thousands of euro). Sources: CBS, *Toelichting Wijk- en
Buurtkaart 2022, 2023 en 2024* (section 5, *Beschrijving kerncijfers*; special values in
section 3) and the variable lists of the Kerncijfers wijken en buurten (StatLine tables
84286NED 2018 ... 85984NED 2024).

Note: ``aandeel_corporatiebezit`` is CBS's *In bezit woningcorporatie*: dwellings **owned**
by a *toegelaten instelling*, as a share of all dwellings. CBS states explicitly that it is
not the number of social rented dwellings (the rent level is not looked at).

Examples
--------
>>> INDICATORS["aandeel_corporatiebezit"].label
'Aandeel woningen in bezit van woningcorporaties (CBS)'
>>> "p_wcorpw" in INDICATORS["aandeel_corporatiebezit"].aliases
True
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geoprestatie._validate import normalise_name
from geoprestatie.errors import DataWarning, format_rows
from geoprestatie.sources._tabular import parse_number

__all__ = [
    "CBS_SPECIAL_VALUES",
    "INDICATORS",
    "LIVEABILITY_INDICATORS",
    "Indicator",
    "canonical_indicators",
    "header_key",
    "indicator_aliases",
    "match_columns",
]


@dataclass(frozen=True)
class Indicator:
    """One canonical indicator.

    Attributes
    ----------
    name
        Canonical column name.
    label
        Dutch label (what users read).
    unit
        Unit of the canonical column.
    aliases
        Names in the source files over the years (matched as :func:`header_key` does).
    factor
        Multiplier from the source unit to the canonical unit (0.01 for CBS percentages,
        1000 for CBS thousands of euro).
    plausible
        Range of possible values **in the source unit**; values outside it (a fill value,
        ``inf``, ``1e308``) are set aside and counted, and it resolves ambiguous numbers
        (``4.123``) while parsing.
    """

    name: str
    label: str
    unit: str
    aliases: tuple[str, ...]
    factor: float = 1.0
    plausible: tuple[float, float] = (0.0, 1e9)


_PCT = (0.0, 100.0)
_COUNT = (0.0, 2e6)


def _cbs(
    name: str,
    label: str,
    unit: str,
    aliases: tuple[str, ...],
    factor: float = 1.0,
    plausible: tuple[float, float] = _COUNT,
) -> tuple[str, Indicator]:
    return name, Indicator(name, label, unit, aliases, factor, plausible)


#: CBS kerncijfers per buurt. Aliases per generation: kwb tables (short codes, since 2013),
#: wijk- en buurtkaart shapefiles up to 2022 (upper case, 10 characters), GeoPackages since
#: 2022 (long names), StatLine titles and OData keys (without the ``_<n>`` suffix), and the
#: compilation embedded in ``data/indicatoren`` (``koopwoning_percentage``, ...).
INDICATORS: dict[str, Indicator] = dict(
    [
        _cbs(
            "inwoners",
            "Aantal inwoners (CBS)",
            "aantal",
            ("a_inw", "aant_inw", "aantal_inwoners", "aantalinwoners"),
        ),
        _cbs(
            "huishoudens",
            "Aantal huishoudens (CBS)",
            "aantal",
            ("a_hh", "aantal_hh", "aantal_huishoudens", "huishoudens_totaal", "huishoudenstotaal"),
        ),
        _cbs(
            "woningvoorraad",
            "Woningvoorraad (CBS)",
            "aantal",
            ("a_woning", "woningen", "woningvoorraad"),
        ),
        _cbs(
            "woz_gemiddeld",
            "Gemiddelde WOZ-waarde van woningen (CBS)",
            "euro",
            (
                "g_wozbag",
                "g_woz",
                "woz",
                "gemiddelde_woningwaarde",
                "gemiddelde_woz_waarde_van_woningen",
                "gemiddeldewozwaardevanwoningen",
                "gemiddeldewoningwaarde",
            ),
            1000.0,
            (0.0, 20_000.0),
        ),
        _cbs(
            "aandeel_koop",
            "Aandeel koopwoningen (CBS)",
            "aandeel 0-1",
            (
                "p_koopw",
                "p_koopwon",
                "percentage_koopwoningen",
                "koopwoningen",
                "koopwoning_percentage",
            ),
            0.01,
            _PCT,
        ),
        _cbs(
            "aandeel_huur",
            "Aandeel huurwoningen (CBS)",
            "aandeel 0-1",
            (
                "p_huurw",
                "p_huurwon",
                "percentage_huurwoningen",
                "huurwoningen_totaal",
                "huurwoningentotaal",
            ),
            0.01,
            _PCT,
        ),
        _cbs(
            "aandeel_corporatiebezit",
            "Aandeel woningen in bezit van woningcorporaties (CBS)",
            "aandeel 0-1",
            (
                "p_wcorpw",
                "p_huurcorp",
                "perc_huurwoningen_in_bezit_woningcorporaties",
                "in_bezit_woningcorporatie",
                "inbezitwoningcorporatie",
            ),
            0.01,
            _PCT,
        ),
        _cbs(
            "aandeel_overige_verhuurders",
            "Aandeel woningen in bezit van overige verhuurders (CBS)",
            "aandeel 0-1",
            (
                "p_ov_hw",
                "p_huurovvh",
                "perc_huurwoningen_in_bezit_overige_verhuurders",
                "in_bezit_overige_verhuurders",
                "inbezitoverigeverhuurders",
            ),
            0.01,
            _PCT,
        ),
        _cbs(
            "aandeel_eigendom_onbekend",
            "Aandeel woningen met eigendom onbekend (CBS)",
            "aandeel 0-1",
            (
                "p_e_o_w",
                "p_huko_onb",
                "percentage_woningen_met_eigendom_onbekend",
                "eigendom_onbekend",
                "eigendomonbekend",
            ),
            0.01,
            _PCT,
        ),
        _cbs(
            "aandeel_meergezins",
            "Aandeel meergezinswoningen (CBS)",
            "aandeel 0-1",
            (
                "p_mgezw",
                "percentage_meergezinswoning",
                "percentagemeergezinswoning",
                "meergezinswoning_percentage",
            ),
            0.01,
            _PCT,
        ),
        _cbs(
            "aandeel_bouwjaar_vanaf_2000",
            "Aandeel woningen gebouwd vanaf 2000 (CBS)",
            "aandeel 0-1",
            (
                "p_bjo2k",
                "p_wonv2000",
                "percentage_bouwjaarklasse_vanaf_2000",
                "bouwjaar_vanaf_2000",
                "bouwjaarvanaf2000",
                "bouwjaar_vanaf_2000_percentage",
            ),
            0.01,
            _PCT,
        ),
        _cbs(
            "aandeel_bewoond",
            "Aandeel bewoonde woningen (CBS)",
            "aandeel 0-1",
            ("p_bewndw", "percentage_bewoond", "percentagebewoond", "bewoond_percentage"),
            0.01,
            _PCT,
        ),
        _cbs(
            "aandeel_huishoudens_sociaal_minimum",
            "Aandeel huishoudens onder of rond het sociaal minimum (CBS)",
            "aandeel 0-1",
            (
                "p_hh_osm",
                "p_socminh",
                "percentage_huishoudens_onder_of_rond_sociaal_minimum",
                "huish_onder_of_rond_sociaal_minimum",
                "huishonderofrondsociaalminimum",
            ),
            0.01,
            _PCT,
        ),
        _cbs(
            "inkomen_per_inwoner",
            "Gemiddeld inkomen per inwoner (CBS)",
            "euro",
            (
                "g_ink_pi",
                "ink_inw2",
                "ink_inw",
                "gemiddeld_inkomen_per_inwoner",
                "gemiddeldinkomenperinwoner",
            ),
            1000.0,
            (0.0, 1000.0),
        ),
        _cbs(
            "sociaaleconomische_score",
            "Sociaaleconomische score (CBS SES-WOA)",
            "score",
            (
                "social_economische_score_gemiddeld",
                "ses_woa",
                "ses_woa_totaalscore",
                "sociaaleconomische_status_score",
            ),
            1.0,
            (-10.0, 10.0),
        ),
    ]
)

#: Leefbaarometer 3.0 (BZK) per buurt or grid cell. The published files name the total
#: score ``lbm``, its deviation from the national mean ``afw`` and the five dimensions (each
#: a deviation from the national mean, so around 0): ``fys`` fysieke omgeving, ``onv``
#: overlast en onveiligheid, ``soc`` sociale samenhang, ``vrz`` voorzieningen, ``won``
#: woningvoorraad.
LIVEABILITY_INDICATORS: dict[str, Indicator] = {
    "leefbaarometer_score": Indicator(
        "leefbaarometer_score",
        "Leefbaarometer: totaalscore",
        "score",
        ("lbm", "lbm_score", "leefbarometer_score", "score", "leefbaarheid"),
        1.0,
        (1.0, 7.0),
    ),
    "leefbaarometer_afwijking": Indicator(
        "leefbaarometer_afwijking",
        "Leefbaarometer: afwijking van het landelijk gemiddelde",
        "score",
        ("afw", "leefbarometer_afwijking"),
        1.0,
        (-3.0, 3.0),
    ),
    **{
        name: Indicator(
            name, label, "score", (code, name.replace("baar", "bar", 1)), 1.0, (-3.0, 3.0)
        )
        for code, name, label in (
            ("fys", "leefbaarometer_fysieke_omgeving", "Leefbaarometer: fysieke omgeving"),
            (
                "onv",
                "leefbaarometer_overlast_onveiligheid",
                "Leefbaarometer: overlast en onveiligheid",
            ),
            ("soc", "leefbaarometer_sociale_samenhang", "Leefbaarometer: sociale samenhang"),
            ("vrz", "leefbaarometer_voorzieningen", "Leefbaarometer: voorzieningen"),
            ("won", "leefbaarometer_woningvoorraad", "Leefbaarometer: woningvoorraad"),
        )
    },
}

#: CBS codes for secret, not applicable or missing values: the kwb tables and shapefiles up
#: to 2021 use ``-99999999`` (geheim) ... ``-99999990``; the GeoPackages since 2022
#: ``-99997`` (geheim of niet aanwezig), ``-99995`` (later gepubliceerd), ``-99991`` (niet
#: meer gepubliceerd); text files write ``.`` for a missing value.
CBS_SPECIAL_VALUES: tuple[int, ...] = (
    *range(-99999999, -99999989),
    -99999,
    -99998,
    -99997,
    -99996,
    -99995,
    -99991,
)


def header_key(name: object) -> str:
    """A column header as matched against the aliases.

    :func:`geoprestatie._validate.normalise_name` (case, accents, separators) after
    dropping what StatLine adds: a unit in brackets (``Koopwoningen (%)``) and the number
    of an OData key (``Koopwoningen_40``); CamelCase keys match their lower-case alias.

    Examples
    --------
    >>> header_key("In bezit woningcorporatie (%)"), header_key("InBezitWoningcorporatie_42")
    ('in_bezit_woningcorporatie', 'inbezitwoningcorporatie')
    >>> header_key("P_HUURCORP"), header_key("Gemiddelde WOZ-waarde van woningen (x 1 000 euro)")
    ('p_huurcorp', 'gemiddelde_woz_waarde_van_woningen')
    """
    text = re.sub(r"\s*\([^)]*\)\s*$", "", str(name).strip())
    text = re.sub(r"_\d+$", "", text)
    return normalise_name(text)


def indicator_aliases(
    table: dict[str, Indicator] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Canonical name -> aliases, in the form :func:`geoprestatie._validate.lower_map` takes.

    Examples
    --------
    >>> indicator_aliases()["woningvoorraad"]
    ('a_woning', 'woningen', 'woningvoorraad')
    """
    source = INDICATORS if table is None else table
    return {name: ind.aliases for name, ind in source.items()}


def match_columns(columns: list[str], table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Actual column -> canonical name (headers as :func:`header_key` gives them); per
    canonical name the first alias present wins.

    Examples
    --------
    >>> match_columns(["P_HUURCORP", "x"], {"aandeel_corporatiebezit": ("p_wcorpw", "p_huurcorp")})
    {'P_HUURCORP': 'aandeel_corporatiebezit'}
    """
    keys: dict[str, str] = {}
    for col in columns:
        keys.setdefault(header_key(col), col)
    out: dict[str, str] = {}
    for canonical, aliases in table.items():
        for alias in (canonical, *aliases):
            hit = keys.get(normalise_name(alias))
            if hit is not None and hit not in out:
                out[hit] = canonical
                break
    return out


def _parse_values(values: pd.Series, ind: Indicator) -> tuple[pd.Series, pd.Series]:
    """Parse one indicator column; return (canonical float64 values, set-aside mask).

    Missing (``.``, empty, CBS special values) is NA and not set aside; a value that is
    not a number, not finite or outside ``ind.plausible`` is NA and set aside.
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        num = values.astype("float64")
        given = num.notna()
    else:
        text = values.astype("string").str.strip()
        # StatLine: "." unknown, "x" secret (missing); "-" nihil (zero)
        text = text.mask(text.isin(["", ".", "x", "X"]))
        text = text.mask((text == "-").fillna(False).astype(bool), "0")
        num, _ = parse_number(text, plausible=ind.plausible)
        given = text.notna()
    special = num.isin(CBS_SPECIAL_VALUES)
    low, high = ind.plausible
    with np.errstate(invalid="ignore"):
        ok = pd.Series(np.isfinite(num) & (num >= low) & (num <= high), index=num.index)
    bad = given & ~special & ~ok
    scaled = num * ind.factor if ind.factor >= 1 else num / round(1 / ind.factor)
    out = scaled.where(ok & ~special)
    return out.astype("float64"), bad.astype(bool)


def canonical_indicators(
    df: pd.DataFrame,
    *,
    source: str | Path,
    rows: pd.Series | None = None,
    liveability: bool = True,
) -> pd.DataFrame:
    """Rename and parse the CBS (and Leefbaarometer) indicator columns of ``df``.

    Columns named as in any generation of the CBS files become their canonical name and
    unit (:data:`~geoprestatie.sources.indicators.INDICATORS`); other columns are kept
    as they are. Values that cannot be an indicator's value become missing, with one
    :class:`~geoprestatie.errors.DataWarning` per column naming file, column, rows and
    values; ``attrs["indicatoren_bron"]`` maps each canonical column to the file's column.

    Parameters
    ----------
    df
        The frame (not changed).
    source
        File name for messages.
    rows
        Row numbers as the user sees them (default: 1-based position).
    liveability
        Also recognise the Leefbaarometer columns (``lbm``, ``fys``, ...).

    Examples
    --------
    >>> raw = pd.DataFrame({"P_HUURCORP": [41.0, -99999999.0], "WONINGEN": [200, 15]})
    >>> out = canonical_indicators(raw, source="buurt_2019_v3.shp")
    >>> out["aandeel_corporatiebezit"].tolist(), out["woningvoorraad"].tolist()
    ([0.41, nan], [200.0, 15.0])
    """
    table = dict(INDICATORS)
    if liveability:
        table.update(LIVEABILITY_INDICATORS)
    aliases = {name: ind.aliases for name, ind in table.items()}
    columns = [str(c) for c in df.columns if c != "geometry"]
    rename = match_columns(columns, aliases)
    out = df.copy()
    where = rows if rows is not None else pd.Series(np.arange(1, len(df) + 1), index=df.index)
    for col, name in rename.items():
        values, bad = _parse_values(df[col], table[name])
        if bad.any():
            shown = ", ".join(repr(str(v)) for v in df.loc[bad, col].head(3))
            warnings.warn(
                f"{Path(source).name}: kolom {col!r} ({name}): {int(bad.sum())} waarde(n) "
                f"buiten het mogelijke bereik {table[name].plausible[0]:g} tot "
                f"{table[name].plausible[1]:g} of geen getal ({format_rows(where[bad])}: "
                f"{shown}); als ontbrekend gelezen. Controleer het bestand of de kolom.",
                DataWarning,
                stacklevel=2,
            )
        out[col] = values
    out = out.rename(columns=rename)
    out.attrs["indicatoren_bron"] = {name: col for col, name in rename.items()}
    return out
