"""Reader for CBS *Kerncijfers wijken en buurten* in any of their published forms.

Accepted as they are downloaded:

- the kwb tables ``kwb-2018.xlsx`` ... ``kwb-2024.csv`` (short codes ``gwb_code_10``,
  ``regio``, ``gm_naam``, ``recs``, ``a_inw``, ``a_woning``, ``p_wcorpw``, ``g_wozbag``;
  ``.`` for a missing value; CSV with ``;`` and decimal commas);
- StatLine exports, as CSV with titles (``Codering (code)``, ``In bezit woningcorporatie
  (%)``, ``"       ."`` for missing) or with OData keys (``Codering_3``,
  ``InBezitWoningcorporatie_42``);
- the wijk- en buurtkaart itself (GeoPackage since 2022, shapefile up to 2022), read
  through :func:`geoprestatie.sources.read_buurten` without the geometry.

Every indicator becomes its canonical column of
:data:`geoprestatie.sources.indicators.INDICATORS` (shares 0-1, amounts in euro); rows
of wijken, gemeenten and the country are skipped (counted in ``attrs``); CBS special values
(``-99999999``, ``-99997``, ...) and ``.`` become missing; a value that is not a number or
lies outside what the indicator can be (``inf``, ``1e308``, a percentage of 140) becomes
missing too and is reported in one warning per column (file, column, rows, values).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geoprestatie._validate import BUURTCODE_PATTERN, normalise_name
from geoprestatie.errors import InputError
from geoprestatie.sources._tabular import (
    Rejects,
    attach,
    clean_code,
    read_table,
    with_source_rows,
)
from geoprestatie.sources.buurten import read_buurten
from geoprestatie.sources.indicators import (
    INDICATORS,
    LIVEABILITY_INDICATORS,
    canonical_indicators,
    header_key,
    match_columns,
)

__all__ = ["read_kerncijfers"]

#: Identity columns of the kerncijfers tables (after :func:`header_key`), in order of
#: preference. ``wijkenenbuurten`` is StatLine's OData key (it holds the code);
#: ``wijken_en_buurten`` its CSV title (it holds the name).
_IDENTITY: dict[str, tuple[str, ...]] = {
    "buurtcode": (
        "gwb_code_10",
        "gwb_code",
        "buurtcode",
        "bu_code",
        "buurt_code",
        "codering",
        "regioaanduiding/codering",
        "wijkenenbuurten",
        "statcode",
    ),
    "buurtnaam": ("regio", "buurtnaam", "bu_naam", "wijken_en_buurten", "statnaam"),
    "gemeentenaam": ("gm_naam", "gemeentenaam", "regioaanduiding/gemeentenaam"),
}

_VECTOR_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".fgb", ".zip")
_LEVEL = r"(?:NL\d{2}|GM\d{4}|WK\d{6})"


def _code_column(df: pd.DataFrame, path: Path) -> str:
    """The column with the CBS codes: the first candidate holding ``BU``/``WK``/``GM`` codes."""
    keys: dict[str, str] = {}
    for col in map(str, df.columns):
        keys.setdefault(header_key(col), col)
    for alias in _IDENTITY["buurtcode"]:
        hit = keys.get(normalise_name(alias))
        if hit is None:
            continue
        code = clean_code(df[hit])
        if code.str.fullmatch(f"{BUURTCODE_PATTERN}|{_LEVEL}").fillna(False).any():
            return hit
    raise InputError(
        "geen kolom met buurtcodes gevonden (verwacht bv. gwb_code_10 of gwb_code in een "
        "kwb-bestand, 'Codering' in een StatLine-export, BU_CODE of buurtcode in de wijk- "
        "en buurtkaart, met codes als BU01530000); gevonden kolommen: "
        f"{[str(c) for c in df.columns][:15]}",
        source=path,
    )


def _select_gemeente(df: pd.DataFrame, gemeente: str, path: Path) -> pd.DataFrame:
    wanted = gemeente.strip().lower()
    code = wanted[2:] if wanted.startswith("gm") else wanted
    mask = df["gemeentenaam"].astype("string").str.strip().str.lower() == wanted
    if code.isdigit():
        mask = df["buurtcode"].str[2:6] == f"{int(code):04d}"
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        names = sorted(df["gemeentenaam"].dropna().astype(str).unique())[:20]
        raise InputError(
            f"gemeente {gemeente!r} komt niet voor in het bestand; wel: {names}", source=path
        )
    return df.loc[mask]


def read_kerncijfers(
    path: str | Path,
    *,
    gemeente: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read CBS kerncijfers per buurt into the canonical indicator columns.

    Parameters
    ----------
    path
        A kwb table (CSV/XLSX), a StatLine export (CSV/XLSX, titles or OData keys), or a
        wijk- en buurtkaart (GPKG/SHP/GeoJSON; its attributes are the kerncijfers).
    gemeente
        Keep one municipality, by name or GM code.
    sheet
        Sheet of an Excel file (default the first).

    Returns
    -------
    pandas.DataFrame
        One row per buurt: ``buurtcode``, ``buurtnaam``, ``gemeentenaam``, the canonical
        indicators found (:data:`~geoprestatie.sources.indicators.INDICATORS`, and the
        Leefbaarometer columns if the file has them) and ``bron_rij``. ``attrs``: the
        accounting (rows of buurten read and rejected), ``overige_niveaus`` (rows of
        wijken, gemeenten and the country skipped), ``indicatoren_bron`` (canonical column
        -> the file's column) and ``kolommen_niet_gebruikt``.

    Raises
    ------
    InputError
        No code column, no known indicator, or an unknown ``gemeente``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "kwb-2021.csv"
    >>> _ = p.write_text("gwb_code_10;regio;gm_naam;recs;a_woning;p_wcorpw;g_wozbag\\n"
    ...                  "GM0153;Enschede;Enschede;Gemeente;76543;31;211\\n"
    ...                  "BU01530000;Binnenstad;Enschede;Buurt;1234;18,5;.\\n")
    >>> k = read_kerncijfers(p)
    >>> k[["buurtcode", "woningvoorraad", "aandeel_corporatiebezit"]].values.tolist()
    [['BU01530000', 1234.0, 0.185]]
    >>> bool(k["woz_gemiddeld"].isna().all()), k.attrs["overige_niveaus"]
    (True, 1)
    """
    path = Path(path)
    if not path.exists():
        raise InputError("bestand niet gevonden", source=path)
    if path.suffix.lower() in _VECTOR_SUFFIXES:
        return _from_vector(path, gemeente)
    raw = read_table(path, sheet=sheet)
    code_col = _code_column(raw, path)
    ident = match_columns(
        [c for c in map(str, raw.columns) if c != code_col],
        {k: v for k, v in _IDENTITY.items() if k != "buurtcode"},
    )
    df = with_source_rows(raw).rename(columns={code_col: "buurtcode", **ident})
    df["buurtcode"] = clean_code(df["buurtcode"])
    for col in ("buurtnaam", "gemeentenaam"):
        if col not in df:
            df[col] = pd.Series(pd.NA, index=df.index, dtype="string")
        df[col] = df[col].astype("string").str.strip()
    is_buurt = df["buurtcode"].str.fullmatch(BUURTCODE_PATTERN).fillna(False).astype(bool)
    other = df["buurtcode"].str.fullmatch(_LEVEL).fillna(False).astype(bool)
    n_other = int(other.sum())
    if n_other and not bool(is_buurt.any()):
        shown = df.loc[other, "buurtcode"].drop_duplicates().tolist()[:5]
        raise InputError(
            f"geen rijen van buurten: alle {n_other} rijen zijn gemeenten, wijken of het land "
            f"(bv. {shown}); verwacht de kerncijfers per buurt (codes BU + 8 cijfers). "
            "Oplossing: kies bij het downloaden ook het niveau buurten",
            source=path,
            column=code_col,
        )
    df = df.loc[~other]
    if gemeente is not None:
        df = _select_gemeente(df, gemeente, path)
    rejects = Rejects(path.name)
    n_read = len(df)
    df = rejects.add_mask(df, ~is_buurt.loc[df.index], "ongeldige_waarde", column="buurtcode")
    df = rejects.add_mask(df, df["buurtcode"].duplicated(), "dubbele_code", column="buurtcode")
    out = _finish(df, path)
    attach(out, source=path.name, n_read=n_read, rejects=rejects)
    out.attrs["overige_niveaus"] = n_other
    return out


def _finish(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    ident = ["buurtcode", "buurtnaam", "gemeentenaam", "bron_rij"]
    data = canonical_indicators(df.drop(columns=ident), source=path, rows=df["bron_rij"])
    found = list(data.attrs["indicatoren_bron"])
    if not found:
        known = ", ".join(a for ind in list(INDICATORS.values())[:4] for a in ind.aliases[:3])
        raise InputError(
            "geen bekende kerncijfers gevonden (verwacht bv. "
            f"{known}, ...; alle namen: geoprestatie.sources.indicators.INDICATORS); "
            f"gevonden kolommen: {[str(c) for c in data.columns][:15]}",
            source=path,
        )
    order = [c for c in (*INDICATORS, *LIVEABILITY_INDICATORS) if c in found]
    out = pd.concat(
        [df[["buurtcode", "buurtnaam", "gemeentenaam"]], data[order], df[["bron_rij"]]],
        axis=1,
    ).reset_index(drop=True)
    out["buurtcode"] = out["buurtcode"].astype("string")
    out["bron_rij"] = out["bron_rij"].astype("int64")
    out.attrs["indicatoren_bron"] = dict(data.attrs["indicatoren_bron"])
    out.attrs["kolommen_niet_gebruikt"] = [c for c in data.columns if c not in found]
    return out


def _from_vector(path: Path, gemeente: str | None) -> pd.DataFrame:
    gdf = read_buurten(path, gemeente=gemeente)
    found: dict[str, Any] = dict(gdf.attrs.get("indicatoren_bron", {}))
    if not found:
        raise InputError(
            "de buurtkaart heeft geen bekende kerncijfers (bv. WONINGEN, P_HUURCORP of "
            "woningvoorraad, perc_huurwoningen_in_bezit_woningcorporaties)",
            source=path,
        )
    order = [c for c in (*INDICATORS, *LIVEABILITY_INDICATORS) if c in found]
    out = pd.DataFrame(gdf[["buurtcode", "buurtnaam", "gemeentenaam", *order]])
    out["bron_rij"] = np.arange(1, len(out) + 1, dtype="int64")
    attach(out, source=path.name, n_read=len(out), rejects=Rejects(path.name))
    out.attrs["overige_niveaus"] = 0
    out.attrs["indicatoren_bron"] = found
    return out
