"""Small files in the exact schema of each generation of CBS wijk- en buurtcijfers.

Geometry: the real embedded CBS 2022 buurten of Enschede. Figures: SYNTHETISCH (seeded),
so that the expected canonical values can be worked out from them. The schemas follow:

- ``wijkenbuurten_2023_v1.gpkg`` (GeoPackage since 2022, layers ``buurten``/``wijken``/
  ``gemeenten``, long lower-case names; special values -99997 geheim, -99995 later):
  CBS, *Toelichting Wijk- en Buurtkaart 2022, 2023 en 2024*, sections 3 and 5;
- ``buurt_2019_v3.shp`` (shapefiles 2018-2021 and the 2022 shapefile: upper-case names of at
  most ten characters, ``BU_CODE``, ``WONINGEN``, ``WOZ``, ``P_KOOPWON``, ``P_HUURCORP``,
  ``P_HUUROVVH``, ``INK_INW2``; -99999999 geheim, -99999997 niet van toepassing);
- ``kwb-2021.xlsx`` and ``kwb-2023.csv`` (Kerncijfers wijken en buurten: ``gwb_code_10``,
  ``gwb_code_8``, ``regio``, ``gm_naam``, ``recs``, ``gwb_code``, ``ind_wbi``, ``a_inw``,
  ``a_woning``, ``g_woz``/``g_wozbag``, ``p_koopw``, ``p_huurw``, ``p_wcorpw``, ``p_ov_hw``;
  rows for Nederland, the gemeente and its wijken before the buurten; ``.`` for missing;
  the CSV with ``;`` and decimal commas);
- StatLine exports of table 85618NED/85984NED: "CSV met statistische symbolen" (titles with
  the unit in brackets, values padded with spaces, ``.`` missing, ``x`` secret) and the OData
  ``TypedDataSet`` (keys ``WijkenEnBuurten``, ``Codering_3``, ``InBezitWoningcorporatie_42``).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geoprestatie import datasets

#: buurten in the fixtures (all of Enschede unless a test takes fewer)
N_SMALL = 6


def figures(n: int | None = None, seed: int = 153) -> pd.DataFrame:
    """Synthetic kerncijfers per Enschede buurt, in CBS units (percentages, x 1000 euro).

    Row 1 has its ownership figures secret (missing), row 2 no WOZ value.
    """
    b = datasets.load_buurten("Enschede")
    b = b if n is None else b.head(n)
    rng = np.random.default_rng(seed)
    k = len(b)
    koop = rng.integers(10, 90, k).astype(float)
    corp = np.floor((100 - koop) * rng.uniform(0.3, 0.9, k))
    df = pd.DataFrame(
        {
            "buurtcode": b["buurtcode"].to_numpy(),
            "buurtnaam": b["buurtnaam"].to_numpy(),
            "wijkcode": b["wijkcode"].to_numpy(),
            "inwoners": rng.integers(50, 5000, k),
            "woningvoorraad": rng.integers(20, 2500, k),
            "woz": np.round(rng.uniform(120, 450, k)),
            "koop": koop,
            "huur": 100 - koop,
            "corp": corp,
            "overig": 100 - koop - corp,
            "socmin": np.round(rng.uniform(2, 25, k), 1),
            "inkomen": np.round(rng.uniform(18, 45, k), 1),
        }
    )
    df.loc[1, ["koop", "huur", "corp", "overig"]] = np.nan
    df.loc[2, "woz"] = np.nan
    df.attrs["geometry"] = b.geometry.to_numpy()
    return df


def _coded(values: pd.Series, code: float) -> pd.Series:
    return values.astype("float64").fillna(code)


def geopackage_2023(path: Path, fig: pd.DataFrame) -> Path:
    """``wijkenbuurten_2023_v1.gpkg``: long names, -99997 for secret values."""
    gdf = gpd.GeoDataFrame(
        {
            "buurtcode": fig["buurtcode"],
            "buurtnaam": fig["buurtnaam"],
            "wijkcode": fig["wijkcode"],
            "gemeentecode": "GM0153",
            "gemeentenaam": "Enschede",
            "indelingswijziging_wijken_en_buurten": 1,
            "water": "NEE",
            "meest_voorkomende_postcode": "7511",
            "dekkingspercentage": 1,
            "omgevingsadressendichtheid": 2500,
            "stedelijkheid_adressen_per_km2": 2,
            "aantal_inwoners": fig["inwoners"],
            "woningvoorraad": fig["woningvoorraad"],
            "gemiddelde_woningwaarde": _coded(fig["woz"], -99997),
            "percentage_koopwoningen": _coded(fig["koop"], -99997),
            "percentage_huurwoningen": _coded(fig["huur"], -99997),
            "perc_huurwoningen_in_bezit_woningcorporaties": _coded(fig["corp"], -99997),
            "perc_huurwoningen_in_bezit_overige_verhuurders": _coded(fig["overig"], -99997),
            "percentage_huishoudens_onder_of_rond_sociaal_minimum": -99995.0,  # later
            "gemiddeld_inkomen_per_inwoner": -99995.0,
            "jrstatcode": "2023" + fig["buurtcode"],
            "jaar": 2023,
        },
        geometry=fig.attrs["geometry"],
        crs=28992,
    )
    gdf.to_file(path, layer="gemeenten", driver="GPKG")  # three layers, as published
    gdf.dissolve("wijkcode").reset_index().to_file(path, layer="wijken", driver="GPKG")
    gdf.to_file(path, layer="buurten", driver="GPKG")
    return path


def shapefile_2019(path: Path, fig: pd.DataFrame) -> Path:
    """``buurt_2019_v3.shp``: upper-case, truncated names; -99999999 for secret values."""
    gdf = gpd.GeoDataFrame(
        {
            "BU_CODE": fig["buurtcode"],
            "JRSTATCODE": "2019" + fig["buurtcode"],
            "BU_NAAM": fig["buurtnaam"],
            "WK_CODE": fig["wijkcode"],
            "GM_CODE": "GM0153",
            "GM_NAAM": "Enschede",
            "IND_WBI": 1,
            "WATER": "NEE",
            "POSTCODE": "7511",
            "DEK_PERC": 1,
            "OAD": 2500,
            "STED": 2,
            "AANT_INW": fig["inwoners"],
            "WONINGEN": fig["woningvoorraad"],
            "WOZ": _coded(fig["woz"], -99999999),
            "P_KOOPWON": _coded(fig["koop"], -99999999),
            "P_HUURWON": _coded(fig["huur"], -99999999),
            "P_HUURCORP": _coded(fig["corp"], -99999999),
            "P_HUUROVVH": _coded(fig["overig"], -99999999),
            "P_HUKO_ONB": 0.0,
            "INK_INW2": _coded(fig["inkomen"], -99999997),
            "P_SOCMINH": _coded(fig["socmin"], -99999999),
            "OPP_TOT": 40,
            "OPP_LAND": 40,
            "OPP_WATER": 0,
        },
        geometry=fig.attrs["geometry"],
        crs=28992,
    )
    gdf.to_file(path)
    return path


def _kwb_rows(fig: pd.DataFrame, woz: str) -> pd.DataFrame:
    """The kwb layout: Nederland, the gemeente, its wijken, then the buurten."""
    buurt = pd.DataFrame(
        {
            "gwb_code_10": fig["buurtcode"],
            "gwb_code_8": fig["buurtcode"].str[2:].astype(int).astype(str),
            "regio": fig["buurtnaam"],
            "gm_naam": "Enschede",
            "recs": "Buurt",
            "gwb_code": fig["buurtcode"],
            "ind_wbi": "1",
            "a_inw": fig["inwoners"].astype(str),
            "a_woning": fig["woningvoorraad"].astype(str),
            woz: fig["woz"],
            "p_koopw": fig["koop"],
            "p_huurw": fig["huur"],
            "p_wcorpw": fig["corp"],
            "p_ov_hw": fig["overig"],
            "p_hh_osm": fig["socmin"],
            "g_ink_pi": fig["inkomen"],
        }
    )
    top = pd.DataFrame(
        {
            "gwb_code_10": ["NL00", "GM0153", *sorted(set(fig["wijkcode"]))],
            "regio": ["Nederland", "Enschede", *["Wijk"] * fig["wijkcode"].nunique()],
            "gm_naam": ["Nederland", "Enschede", *["Enschede"] * fig["wijkcode"].nunique()],
            "recs": ["Land", "Gemeente", *["Wijk"] * fig["wijkcode"].nunique()],
            "a_woning": "99999",
            "p_wcorpw": 29.0,
        }
    )
    top["gwb_code"] = top["gwb_code_10"]
    return pd.concat([top, buurt], ignore_index=True)


def kwb_xlsx_2021(path: Path, fig: pd.DataFrame) -> Path:
    """``kwb-2021.xlsx``: numbers as numeric cells, ``.`` as text for missing."""
    df = _kwb_rows(fig, "g_woz")
    for col in ("g_woz", "p_koopw", "p_huurw", "p_wcorpw", "p_ov_hw", "p_hh_osm", "g_ink_pi"):
        df[col] = df[col].astype(object).where(df[col].notna(), ".")
    df.to_excel(path, index=False)
    return path


def kwb_csv_2023(path: Path, fig: pd.DataFrame) -> Path:
    """``kwb-2023.csv``: ``;``-separated, decimal commas, ``.`` for missing."""
    df = _kwb_rows(fig, "g_wozbag")
    text = df.astype(object).where(df.notna(), ".").astype(str)
    text = text.apply(lambda c: c.str.replace(r"^(\d+)\.(\d+)$", r"\1,\2", regex=True))
    text.to_csv(path, sep=";", index=False)
    return path


_STATLINE_TITLES = {
    "inwoners": "Aantal inwoners (aantal)",
    "woningvoorraad": "Woningvoorraad (aantal)",
    "woz": "Gemiddelde WOZ-waarde van woningen (x 1 000 euro)",
    "koop": "Koopwoningen (%)",
    "huur": "Huurwoningen totaal (%)",
    "corp": "In bezit woningcorporatie (%)",
    "overig": "In bezit overige verhuurders (%)",
}
_ODATA_KEYS = {
    "inwoners": "AantalInwoners_5",
    "woningvoorraad": "Woningvoorraad_34",
    "woz": "GemiddeldeWOZWaardeVanWoningen_35",
    "koop": "Koopwoningen_40",
    "huur": "HuurwoningenTotaal_41",
    "corp": "InBezitWoningcorporatie_42",
    "overig": "InBezitOverigeVerhuurders_43",
}


def statline_csv(path: Path, fig: pd.DataFrame) -> Path:
    """StatLine "CSV met statistische symbolen": padded values, ``.`` missing, ``x`` secret."""
    df = pd.DataFrame(
        {
            "Wijken en buurten": fig["buurtnaam"],
            "Gemeentenaam (naam)": "Enschede                                ",
            "Soort regio (omschrijving)": "Buurt     ",
            "Codering (code)": fig["buurtcode"] + "  ",
        }
    )
    for key, title in _STATLINE_TITLES.items():
        values = fig[key].map(lambda v: "       ." if pd.isna(v) else f"{v:>10g}")
        df[title] = values
    df.loc[1, "In bezit woningcorporatie (%)"] = "         x"
    df.to_csv(path, sep=";", index=False, quoting=1)
    return path


def statline_odata(path: Path, fig: pd.DataFrame) -> Path:
    """StatLine OData ``TypedDataSet`` saved as CSV: keys with their number."""
    df = pd.DataFrame(
        {
            "ID": range(len(fig)),
            "WijkenEnBuurten": fig["buurtcode"] + "  ",
            "Gemeentenaam_1": "Enschede",
            "SoortRegio_2": "Buurt",
            "Codering_3": fig["buurtcode"],
        }
    )
    for key, name in _ODATA_KEYS.items():
        df[name] = fig[key]
    df.to_csv(path, index=False)
    return path


#: file name -> writer: one per generation and form
GENERATIONS = {
    "wijkenbuurten_2023_v1.gpkg": geopackage_2023,
    "buurt_2019_v3.shp": shapefile_2019,
    "kwb-2021.xlsx": kwb_xlsx_2021,
    "kwb-2023.csv": kwb_csv_2023,
    "statline_85618NED.csv": statline_csv,
    "statline_85618NED_odata.csv": statline_odata,
}
