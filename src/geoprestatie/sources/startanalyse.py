"""Reader for the PBL Startanalyse aardgasvrije buurten (per buurt, as downloaded).

PBL publishes the Startanalyse 2025 per gemeente (dataportaal.pbl.nl,
``Startanalyse_aardgasvrije_buurten/2025/Gemeentes/<gemeente>.zip``); its
``<gemeente>_strategie.csv`` (``;``-separated, Dutch numbers) is a long table: per buurt one
row per indicator (``Code_Indicator``: ``V01_Strategievariant`` the strategy code such as
``s2d``, ``H16_Nat_meerkost`` national extra costs in euro per year, ``H17_Nat_meerkost_CO2``
per tonne CO2, ``H18_Nat_meerkost_WEQ`` per woningequivalent), with one column per strategy
and ``Laagste_Nationale_Kosten`` for the strategy with the lowest national costs; the buurt,
wijk and gemeente are in ``I0x_`` columns (``I03_wijkcode``, ``I05_gemeentecode`` ...);
numbers are Dutch (``1.234,5``).
:func:`read_startanalyse` turns it into heat plans per buurt (``strategie`` from the code:
``s1*`` all-electric, ``s2*``/``s3*`` warmtenet, ``s4*`` hybride) with the costs as columns
``pbl_*``, which the join carries into the buurt table (usable as SIA criteria).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from geoprestatie._validate import BUURTCODE_PATTERN
from geoprestatie.errors import DataWarning, InputError, format_rows
from geoprestatie.sources._tabular import (
    Rejects,
    attach,
    clean_code,
    parse_number,
    read_table,
    with_source_rows,
)
from geoprestatie.sources.stock import warn_rejected

__all__ = ["PBL_INDICATORS", "PBL_STRATEGY_FAMILIES", "is_startanalyse", "read_startanalyse"]

#: ``Code_Indicator`` -> canonical column (costs of the strategy with the lowest national costs)
PBL_INDICATORS: dict[str, str] = {
    "H16_Nat_meerkost": "pbl_nationale_meerkosten_eur_jaar",
    "H17_Nat_meerkost_CO2": "pbl_nationale_meerkosten_eur_ton_co2",
    "H18_Nat_meerkost_WEQ": "pbl_nationale_meerkosten_eur_weq_jaar",
}
#: first two characters of a PBL strategy code -> geoprestatie's strategy family
PBL_STRATEGY_FAMILIES: dict[str, str] = {
    "s1": "all-electric",
    "s2": "warmtenet",
    "s3": "warmtenet",
    "s4": "hybride",
}
_STRATEGY = "V01_Strategievariant"
_LOWEST = "Laagste_Nationale_Kosten"


def is_startanalyse(columns: list[str]) -> bool:
    """Whether a table has the layout of a PBL Startanalyse ``_strategie.csv``."""
    return "Code_Indicator" in columns and _LOWEST in columns


def _buurt_column(columns: list[str], path: Path) -> str:
    for col in columns:
        low = col.lower()
        if low.endswith("buurtcode") or low in ("bu_code", "buurt_code"):
            return col
    raise InputError(
        "geen kolom met buurtcodes in de PBL Startanalyse (verwacht bv. I01_buurtcode); "
        f"gevonden: {columns[:12]}",
        source=path,
    )


def read_startanalyse(path: str | Path) -> pd.DataFrame:
    """Read a PBL Startanalyse strategy table per buurt into heat plans with costs.

    Returns
    -------
    pandas.DataFrame
        One row per buurt: ``code``, ``niveau`` (``buurt``), ``startjaar`` (NA: PBL gives
        no start year), ``strategie``, ``strategie_bron`` (the PBL code), the ``pbl_*``
        columns of :data:`PBL_INDICATORS` and ``pbl_strategie_code``, ``bron_rij`` (the
        buurt's first row). Accounting per row in ``attrs``: rows of other indicators are
        not records of their own and are not counted.
    """
    path = Path(path)
    raw = read_table(path)
    columns = [str(c) for c in raw.columns]
    if not is_startanalyse(columns):
        raise InputError(
            "geen PBL Startanalyse-strategietabel (verwacht de kolommen Code_Indicator en "
            f"Laagste_Nationale_Kosten); gevonden: {columns[:12]}",
            source=path,
        )
    bu = _buurt_column(columns, path)
    df = with_source_rows(raw)
    use = df["Code_Indicator"].astype("string").str.strip().isin([_STRATEGY, *PBL_INDICATORS])
    df = df.loc[use.fillna(False).astype(bool)]
    rejects = Rejects(path.name)
    df = df.assign(code=clean_code(df[bu]))
    ind = df["Code_Indicator"].astype("string").str.strip()
    strat = df.loc[ind == _STRATEGY]
    n_read = len(strat)  # a record is a buurt (its strategy row); cost rows belong to it
    bad = ~strat["code"].str.fullmatch(BUURTCODE_PATTERN).fillna(False).astype(bool)
    strat = rejects.add_mask(strat, bad, "ongeldige_waarde", column=bu)
    strat = rejects.add_mask(strat, strat["code"].duplicated(), "dubbele_code", column=bu)
    out = pd.DataFrame(
        {
            "code": strat["code"].astype("string").to_numpy(),
            "niveau": "buurt",
            "startjaar": pd.array([pd.NA] * len(strat), dtype="Int64"),
            "pbl_strategie_code": strat[_LOWEST].astype("string").str.strip().to_numpy(),
            "bron_rij": strat["bron_rij"].to_numpy(dtype="int64"),
        }
    )
    family = out["pbl_strategie_code"].str.lower().str[:2].map(PBL_STRATEGY_FAMILIES)
    out["strategie"] = family.astype("string")
    out["strategie_bron"] = out["pbl_strategie_code"]
    for indicator, column in PBL_INDICATORS.items():
        rows = df.loc[(ind == indicator).fillna(False).astype(bool)]
        rows = rows.loc[~rows["code"].duplicated()]
        # PBL writes Dutch numbers: "." groups thousands, "," is the decimal separator
        text = rows[_LOWEST].astype("string").str.replace(".", "", regex=False)
        values, invalid = parse_number(text)
        if invalid.any():
            warnings.warn(
                f"{path.name}: {indicator}: {int(invalid.sum())} waarde(n) in "
                f"{_LOWEST} geen getal ({format_rows(rows.loc[invalid, 'bron_rij'])}); "
                "als ontbrekend gelezen",
                DataWarning,
                stacklevel=2,
            )
        per = pd.Series(values.to_numpy(), index=rows["code"].astype(str).to_numpy())
        out[column] = per.reindex(out["code"].astype(str).to_numpy()).to_numpy(dtype="float64")
    out["niveau"] = out["niveau"].astype("string")
    attach(out, source=path.name, n_read=n_read, rejects=rejects)
    warn_rejected(path.name, rejects)
    return out
