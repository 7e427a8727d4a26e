"""Energy labels from an EP-online export, keyed on the BAG verblijfsobject-id.

The EP-online download (RVO) is a ``;``-separated CSV with one row per registered label:
``Pand_opnamedatum``, ``Pand_energieklasse``, ``Pand_registratiedatum`` (``YYYYMMDD``),
``Pand_postcode``, ``Pand_huisnummer``, ``Pand_bagverblijfsobjectid``, ... ; newer files
start with a few lines of metadata (``PublicatieDatum;...``) above the header.
:func:`read_ep_online` keeps the latest registered label per BAG id;
:func:`apply_ep_labels` fills the stock's missing labels from it and reports, per
dwelling, every label it filled and every conflict with the corporation's own label (the
corporation's label is kept: it may know of work done since the registration).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from geoprestatie.errors import DataWarning, InputError
from geoprestatie.sources._tabular import read_table
from geoprestatie.sources.bag import bag_id
from geoprestatie.sources.stock import normalise_label

__all__ = ["EP_COLUMNS", "apply_ep_labels", "read_ep_online"]

#: EP-online columns read, and their canonical names.
EP_COLUMNS: dict[str, str] = {
    "pand_bagverblijfsobjectid": "bag_id",
    "pand_energieklasse": "energielabel",
    "pand_registratiedatum": "registratiedatum",
    "pand_opnamedatum": "opnamedatum",
}


def _header_line(path: Path) -> int:
    """The line (0-based) of the header: the first naming an EP-online ``Pand_`` column."""
    with path.open("rb") as handle:
        head = handle.read(65_536).decode("utf-8", errors="replace").splitlines()
    for i, line in enumerate(head[:50]):
        if "pand_bagverblijfsobjectid" in line.casefold():
            return i
    return 0


def _dates(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    compact = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
    iso = pd.to_datetime(text, format="ISO8601", errors="coerce")
    return compact.fillna(iso)


def read_ep_online(path: str | Path) -> pd.DataFrame:
    """Read an EP-online export; the latest registered label per BAG verblijfsobject-id.

    Returns
    -------
    pandas.DataFrame
        ``bag_id`` (16 digits), ``energielabel`` (ordered categorical),
        ``registratiedatum`` (datetime), one row per BAG id.

    Raises
    ------
    InputError
        A file without ``Pand_bagverblijfsobjectid`` and ``Pand_energieklasse``.
    """
    path = Path(path)
    raw = read_table(path, skip_rows=_header_line(path) if path.suffix.lower() != ".xlsx" else 0)
    rename = {
        c: EP_COLUMNS[str(c).casefold()] for c in raw.columns if str(c).casefold() in EP_COLUMNS
    }
    df = raw.rename(columns=rename)
    if not {"bag_id", "energielabel"} <= set(df.columns):
        raise InputError(
            "verwacht een EP-online-export met de kolommen Pand_bagverblijfsobjectid en "
            f"Pand_energieklasse; gevonden: {list(map(str, raw.columns))[:10]}. Oplossing: "
            "download het totaalbestand (CSV) van EP-online (RVO)",
            source=path,
        )
    label, _ = normalise_label(df["energielabel"])
    out = pd.DataFrame(
        {
            "bag_id": bag_id(df["bag_id"]),
            "energielabel": label,
            "registratiedatum": _dates(df["registratiedatum"])
            if "registratiedatum" in df
            else pd.NaT,
        }
    )
    out = out.dropna(subset=["bag_id", "energielabel"])
    out = out.sort_values(["bag_id", "registratiedatum"], na_position="first", kind="stable")
    return out.drop_duplicates("bag_id", keep="last").reset_index(drop=True)


def apply_ep_labels(stock: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Fill missing energy labels from EP-online and report conflicts, per dwelling.

    Returns a copy of ``stock`` with ``energielabel`` filled where it was missing,
    ``energielabel_bron`` (``corporatie`` / ``EP-online`` / NA) and, in
    ``attrs["energielabel_controle"]``, one record per filled or conflicting dwelling
    (``bron_rij``, ``vhe_id``, ``bag_id``, ``label_corporatie``, ``label_ep_online``,
    ``registratiedatum``, ``uitkomst``: ``aangevuld`` or ``conflict``). A
    :class:`DataWarning` gives the counts.
    """
    out = stock.copy()
    if "bag_id" not in out:
        raise InputError(
            "de voorraad heeft geen BAG-id (kolom bag_id / verblijfsobject_id, of een adres "
            "met een BAG-extract); EP-online-labels worden op het BAG-id gekoppeld"
        )
    lookup = labels.set_index("bag_id")
    ids = out["bag_id"].astype("string")
    ep = ids.map(lookup["energielabel"].astype(object))
    when = ids.map(lookup["registratiedatum"])
    own = out["energielabel"].astype(object)
    fill = own.isna() & ep.notna()
    conflict = own.notna() & ep.notna() & (own.astype(str) != ep.astype(str))
    out["energielabel_bron"] = (
        pd.Series(pd.NA, index=out.index, dtype="string")
        .mask(own.notna(), "corporatie")
        .mask(fill, "EP-online")
    )
    filled = own.where(~fill, ep)
    out["energielabel"] = pd.Categorical(
        filled, categories=out["energielabel"].cat.categories, ordered=True
    )
    rows = out["bron_rij"] if "bron_rij" in out else pd.Series(pd.NA, index=out.index)
    hit = fill | conflict
    dates = when.dt.strftime("%Y-%m-%d") if hasattr(when, "dt") else when
    table = pd.DataFrame(
        {
            "bron_rij": rows[hit],
            "vhe_id": out.loc[hit, "vhe_id"],
            "bag_id": ids[hit],
            "label_corporatie": own[hit].astype("string"),
            "label_ep_online": ep[hit].astype("string"),
            "registratiedatum": pd.Series(dates, index=out.index)[hit],
            "uitkomst": pd.Series("conflict", index=out.index).mask(fill, "aangevuld")[hit],
        }
    ).astype(object)
    records = [
        {str(k): v for k, v in r.items()}
        for r in table.where(table.notna(), None).to_dict("records")
    ]
    out.attrs["energielabel_controle"] = records
    if records:
        first = next((r for r in records if r["uitkomst"] == "conflict"), records[0])
        warnings.warn(
            f"EP-online: {int(fill.sum())} ontbrekend(e) energielabel(s) aangevuld, "
            f"{int(conflict.sum())} conflict(en) met het label van de corporatie (dat "
            f"blijft staan), bv. vhe {first['vhe_id']!s}: corporatie "
            f"{first['label_corporatie']!s}, EP-online {first['label_ep_online']!s}",
            DataWarning,
            stacklevel=2,
        )
    return out
