"""Readers of the datasets only the agreements monitor needs (toewijzingen, geld, acties, ...).

Every dataset is described as data in :data:`MONITOR_COLUMNS` (column -> type, required,
aliases, Dutch description) so that other parts (the delivery template) can use the same
columns. :func:`read_monitor_table` reads any of them in the house style: CSV/XLSX as
Dutch Excel writes it (:mod:`geoprestatie.sources._tabular`), aliases matched like
:mod:`geoprestatie.sources.aliases`, and every row either accepted or accounted for
(``attrs["afgewezen"]``: file, row, reason, column, value). Columns not in the table are
kept as they are (as text); the rule language reads numbers and dates in them itself.

Types: ``tekst``; ``code`` (a CBS buurtcode); ``getal`` (decimal comma or point); ``geheel``
(a whole number); ``jaar`` (1900-2100); ``janee``; ``datum`` (``2022-07-01`` or
``1-7-2022``). An empty cell is missing (NA), never zero: rules on it are *onbekend*. A cell
that does not read as its type rejects the row (``ongeldige_waarde``), as does an empty cell
in a required column.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "toewijzingen.csv"
>>> _ = p.write_text("Toewijzingsdatum;Corporatie;Passend;Doelgroep;Zoektijd\\n"
...                  "1-3-2022;Clavis;ja;urgent;14,5\\n")
>>> t = read_monitor_table(p, "toewijzingen")
>>> t[["datum", "corporatie", "passend", "doelgroep", "zoektijd", "jaar"]].values.tolist()
[[Timestamp('2022-03-01 00:00:00'), 'Clavis', True, 'urgent', 14.5, 2022]]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geoprestatie._validate import require_columns
from geoprestatie.errors import ConfigError
from geoprestatie.sources._peil import check_stated_date
from geoprestatie.sources._tabular import (
    Rejects,
    attach,
    canonical_columns,
    named_sheet,
    parse_bool,
    parse_buurtcode,
    parse_number,
    read_table,
    with_source_rows,
)
from geoprestatie.sources.stock import warn_rejected

__all__ = [
    "COLUMN_TYPES",
    "MONITOR_COLUMNS",
    "MONITOR_DATASETS",
    "Column",
    "monitor_aliases",
    "read_monitor_table",
]

#: The column types and what they accept (Dutch, for messages and the template).
COLUMN_TYPES: dict[str, str] = {
    "tekst": "tekst",
    "code": "CBS-buurtcode (BU + 8 cijfers)",
    "getal": "getal (decimaalkomma of -punt)",
    "geheel": "heel getal",
    "jaar": "jaartal 1900-2100",
    "janee": "ja/nee",
    "datum": "datum (2022-07-01 of 1-7-2022)",
}


@dataclass(frozen=True)
class Column:
    """One column of a monitor dataset."""

    type: str
    required: bool
    aliases: tuple[str, ...]
    omschrijving: str
    #: the values a number can have (a negative age or rent is a typing error, not data)
    bereik: tuple[float, float] | None = None


def _c(
    kind: str,
    required: bool,
    aliases: tuple[str, ...],
    text: str,
    bereik: tuple[float, float] | None = None,
) -> Column:
    return Column(kind, required, aliases, text, bereik)


_BUURT = _c("code", False, ("bu_code", "buurt_code", "cbs_buurtcode"), "CBS-buurtcode")
_CORP = _c(
    "tekst",
    False,
    ("woningcorporatie", "corporation", "toegelaten_instelling"),
    "corporatie",
)

#: Columns per monitor dataset (the columns a delivery template offers).
MONITOR_COLUMNS: dict[str, dict[str, Column]] = {
    "toewijzingen": {
        "datum": _c(
            "datum",
            True,
            ("toewijzingsdatum", "datum_toewijzing", "ingangsdatum", "datum_verhuring"),
            "datum van de toewijzing (ingang huurcontract)",
        ),
        "corporatie": _c("tekst", True, _CORP.aliases, "de corporatie die toewees"),
        "vhe_id": _c("tekst", False, ("vhe", "vhe_nummer", "eenheid"), "de woning (vhe)"),
        "huishouden": _c("tekst", False, ("huishoudtype", "huishoudsamenstelling"), "huishoudtype"),
        "inkomensklasse": _c(
            "tekst", False, ("inkomen_klasse", "inkomensgroep", "inkomen"), "inkomensklasse"
        ),
        "passend": _c(
            "janee", False, ("passend_toegewezen", "passendheid", "passend_toewijzen"), "passend"
        ),
        "doelgroep": _c(
            "tekst",
            False,
            ("urgentie", "categorie", "voorrang", "doelgroep_toewijzing"),
            "regulier, urgent, statushouder, ...",
        ),
        "vrije_toewijzing": _c(
            "janee", False, ("vrije_toewijzingsruimte", "vrije_ruimte"), "in de vrije ruimte"
        ),
        "zoektijd": _c(
            "getal",
            False,
            ("zoektijd_maanden", "zoekduur", "actieve_zoektijd"),
            "maanden",
            (0, 1200),
        ),
        "inschrijftijd": _c(
            "getal", False, ("inschrijfduur", "inschrijftijd_maanden"), "maanden", (0, 1200)
        ),
        "huurprijs": _c(
            "getal", False, ("huur", "kale_huur", "netto_huur"), "euro per maand", (0, 10_000)
        ),
        "leeftijd": _c(
            "geheel", False, ("leeftijd_aanvrager",), "leeftijd hoofdhuurder", (14, 125)
        ),
        "sociaal": _c("janee", False, ("sociale_huur", "daeb"), "sociale huurwoning"),
        "kern": _c("tekst", False, ("woonkern", "plaats", "dorp"), "kern"),
        "buurtcode": _BUURT,
    },
    "geld": {
        "partij": _c("tekst", True, ("organisatie", "corporatie", "party"), "wie betaalt"),
        "jaar": _c("jaar", True, ("boekjaar", "year"), "jaar"),
        "thema": _c("tekst", True, ("post", "onderwerp", "categorie"), "thema / post"),
        "bedrag": _c("getal", True, ("euro", "bedrag_euro", "amount", "uitgaven"), "euro"),
        "soort": _c("tekst", False, ("fase", "status"), "begroot of gerealiseerd"),
        "buurtcode": _BUURT,
    },
    "acties": {
        "id": _c("tekst", True, ("actie", "actie_id", "nummer", "nr"), "actie-id"),
        "afspraak": _c(
            "tekst", True, ("afspraak_id", "afspraaknummer", "prestatieafspraak"), "afspraak"
        ),
        "omschrijving": _c("tekst", False, ("actie_omschrijving", "wat"), "wat"),
        "eigenaar": _c("tekst", False, ("trekker", "verantwoordelijke", "owner"), "trekker"),
        "soort": _c("tekst", False, ("type", "soort_actie"), "actie, overleg, rapportage"),
        "deadline": _c("datum", False, ("termijn", "uiterlijk", "gereed_voor"), "termijn"),
        "status": _c("tekst", False, ("stand", "voortgang"), "open, loopt, gereed"),
        "datum_gereed": _c(
            "datum", False, ("gereed_op", "afgerond_op", "datum_afgerond"), "datum gereed"
        ),
        "bewijs": _c("tekst", False, ("bron", "document", "evidence"), "verslag, besluit"),
    },
    "kengetallen": {
        "jaar": _c("jaar", True, ("peiljaar", "year"), "jaar"),
        "indicator": _c("tekst", True, ("kengetal", "onderwerp", "meting"), "wat"),
        "waarde": _c(
            "getal", False, ("aantal", "value", "bedrag"), "de waarde (leeg: niet gerapporteerd)"
        ),
        "partij": _c("tekst", False, ("corporatie", "organisatie"), "wie rapporteert"),
        "gebied": _c("tekst", False, ("kern", "wijk", "gemeente"), "gebied"),
        "buurtcode": _BUURT,
    },
}

#: Every dataset a rule can name, with what it is (Dutch).
MONITOR_DATASETS: dict[str, str] = {
    "voorraad": "de woningvoorraad (één rij per woning), gekoppeld aan buurten",
    "voorraad_peil": "voorraadstanden per peiljaar (kolom peiljaar), om jaren te vergelijken",
    "verkoop": "verkopen (voorgenomen/gerealiseerd) met de kenmerken van de woning",
    "plannen": "mutatieplannen (corporatie, jaar, mutatie, aantal, zekerheid, tijdelijk)",
    "mutaties": "gerealiseerde mutaties (zelfde kolommen als de plannen)",
    "prognose": "de prognose per jaar (beginstand, mutaties, eindstand)",
    "toewijzingen": "toewijzingen van woningen (datum, corporatie, doelgroep, passend, ...)",
    "geld": "geld: partij, jaar, thema, bedrag",
    "acties": "het actieregister: id, afspraak, eigenaar, deadline, status, datum gereed",
    "kengetallen": "gerapporteerde kengetallen per jaar (indicator, waarde)",
    "buurten": "de buurttabel (één rij per buurt met de indicatoren)",
    "warmte": "warmteplannen per buurt of wijk (startjaar, strategie)",
}


def monitor_aliases(dataset: str) -> dict[str, tuple[str, ...]]:
    """The alias table of a dataset, as :mod:`geoprestatie.sources.aliases` has them."""
    return {name: col.aliases for name, col in MONITOR_COLUMNS[dataset].items()}


def _parse(values: pd.Series, kind: str) -> tuple[pd.Series, pd.Series]:
    """Parse one column; return (values, invalid mask). Empty cells are NA, not invalid."""
    text = values.astype("string").str.strip()
    empty = text.isna() | (text == "")
    if kind == "tekst":
        return text.mask(empty), pd.Series(False, index=values.index)
    if kind == "code":
        codes, bad = parse_buurtcode(values)
        return codes, bad
    if kind == "janee":
        return parse_bool(values)
    if kind == "datum":
        iso = text.str.match(r"^\d{4}-\d{1,2}-\d{1,2}")
        out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        out[iso.fillna(False)] = pd.to_datetime(
            text[iso.fillna(False)], errors="coerce", format="%Y-%m-%d"
        )
        rest = ~iso.fillna(False) & ~empty
        out[rest] = pd.to_datetime(text[rest], errors="coerce", dayfirst=True, format="mixed")
        return out, (out.isna() & ~empty)
    number, bad = parse_number(text.mask(empty))
    number = pd.to_numeric(number, errors="coerce")
    bad = bad | (number.isna() & ~empty)
    if kind in ("geheel", "jaar"):
        bad = bad | (number.notna() & (number % 1 != 0))
        if kind == "jaar":
            bad = bad | (number.notna() & ~number.between(1900, 2100))
        return number.where(~bad).astype("Int64"), bad
    return number.astype("float64"), bad


def read_monitor_table(
    path: str | Path, dataset: str, *, sheet: str | int | None = None
) -> pd.DataFrame:
    """Read one monitor dataset file (CSV/XLSX) into its columns (:data:`MONITOR_COLUMNS`).

    Parameters
    ----------
    path
        The file.
    dataset
        One of ``toewijzingen``, ``geld``, ``acties``, ``kengetallen``.
    sheet
        The sheet of a workbook (default: the one named after the dataset, as in the
        delivery template, else the first).

    Returns
    -------
    pandas.DataFrame
        The accepted rows with their canonical columns, the user's other columns, ``bron_rij``
        and, where the dataset has a date, ``jaar`` (from ``datum``; for ``acties`` from
        ``datum_gereed``, else ``deadline``). Rejected rows in ``attrs`` (see
        :mod:`geoprestatie.sources._tabular`).

    Raises
    ------
    InputError
        A required column is missing (listing the accepted names).
    ConfigError
        An unknown dataset name.
    """
    if dataset not in MONITOR_COLUMNS:
        raise ConfigError(
            f"dataset {dataset!r} heeft geen eigen lezer; kies uit {sorted(MONITOR_COLUMNS)}"
        )
    path = Path(path)
    spec = MONITOR_COLUMNS[dataset]
    aliases = monitor_aliases(dataset)
    if sheet is None:
        sheet = named_sheet(path, [dataset])
    raw = canonical_columns(read_table(path, sheet=sheet), aliases)
    require_columns(
        raw,
        [c for c, col in spec.items() if col.required],
        source=path,
        aliases=f"geoprestatie.sources.monitoring.MONITOR_COLUMNS[{dataset!r}]",
        accepted=aliases,
    )
    rejects = Rejects(path.name)
    df = with_source_rows(raw)
    n_read = len(df)
    parsed: dict[str, pd.Series] = {}
    for name, col in spec.items():
        if name not in df.columns:
            continue
        values, bad = _parse(df[name], col.type)
        if col.bereik is not None:
            low, high = col.bereik
            bad = bad | (values.notna() & ~values.between(low, high)).fillna(False)
        if col.required:
            bad = bad | values.isna()
        df = rejects.add_mask(df, bad, "ongeldige_waarde", column=name)
        parsed[name] = values
    out = pd.DataFrame(index=df.index)
    for name in spec:
        if name in parsed:
            out[name] = parsed[name].loc[df.index]
    for extra in df.columns:
        if extra not in out.columns and extra != "bron_rij":
            out[extra] = df[extra]
    _derive_year(out, dataset)
    out["bron_rij"] = df["bron_rij"].astype("int64")
    out = out.reset_index(drop=True)
    attach(out, source=path.name, n_read=n_read, rejects=rejects)
    warn_rejected(path.name, rejects)
    return out


def _derive_year(out: pd.DataFrame, dataset: str) -> None:
    if "jaar" in out.columns:
        return
    dates = [c for c in ("datum", "datum_gereed", "deadline") if c in out.columns]
    if not dates:
        return
    year = pd.Series(pd.NA, index=out.index, dtype="Int64")
    for col in dates:
        year = year.fillna(out[col].dt.year.astype("Int64"))
    out["jaar"] = year


def stack_snapshots(frames: Mapping[int, pd.DataFrame]) -> pd.DataFrame:
    """Stock snapshots (year -> stock frame) as one frame with a ``peiljaar`` column.

    Examples
    --------
    >>> a = pd.DataFrame({"vhe_id": ["1"]}); b = pd.DataFrame({"vhe_id": ["1", "2"]})
    >>> stack_snapshots({2021: a, 2023: b})["peiljaar"].tolist()
    [2021, 2023, 2023]
    """
    parts = []
    for year, frame in sorted(frames.items()):
        part = pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).copy()
        part["peiljaar"] = np.int64(year)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["peiljaar"])
    return pd.concat(parts, ignore_index=True)


#: ``[afspraken]`` keys that name one monitor dataset file each.
FILE_KEYS: tuple[str, ...] = ("toewijzingen", "geld", "acties", "kengetallen")


def read_monitor_data(section: Mapping[str, object], *, base: Path) -> dict[str, pd.DataFrame]:
    """The monitor datasets named in an ``[afspraken]`` table, read with their accounting.

    ``toewijzingen``, ``geld``, ``acties`` and ``kengetallen`` name a file each;
    ``voorraad_peil`` is a table of stock files per peiljaar (``2021 = "voorraad_2021.csv"``),
    read with :func:`geoprestatie.sources.read_stock` and stacked with a ``peiljaar`` column;
    a ``peildatum``/``peiljaar`` column in such a file must agree with its year key.
    Relative paths are relative to ``base``.

    Raises
    ------
    ConfigError
        A ``voorraad_peil`` key that is not a year or a file that does not exist.
    """
    from geoprestatie.sources.stock import read_stock

    def resolve(value: object, key: str) -> Path:
        if not isinstance(value, str | Path) or not str(value).strip():
            raise ConfigError(f"[afspraken] {key} was {value!r} maar moet een bestandspad zijn")
        path = Path(value).expanduser()
        path = path if path.is_absolute() else base / path
        if not path.exists():
            raise ConfigError(f"[afspraken] {key}: bestand niet gevonden: {path}")
        return path

    out: dict[str, pd.DataFrame] = {}
    for key in FILE_KEYS:
        if section.get(key) is not None:
            out[key] = read_monitor_table(resolve(section[key], key), key)
    snapshots = section.get("voorraad_peil")
    if snapshots is not None:
        if not isinstance(snapshots, Mapping) or not snapshots:
            raise ConfigError(
                "[afspraken] voorraad_peil is een tabel peiljaar = bestand, bijv. "
                '[afspraken.voorraad_peil] 2021 = "voorraad_2021.csv"'
            )
        frames: dict[int, pd.DataFrame] = {}
        for year, value in snapshots.items():
            if not str(year).isdigit() or not 1900 <= int(str(year)) <= 2100:
                raise ConfigError(
                    f"[afspraken.voorraad_peil] sleutel {year!r} is geen jaartal (1900-2100)"
                )
            path = resolve(value, f"voorraad_peil.{year}")
            frames[int(str(year))] = frame = read_stock(path)
            check_stated_date(
                frame, key=f"[afspraken.voorraad_peil] {year}", source=path, year=int(str(year))
            )
        stacked = stack_snapshots(frames)
        stacked.attrs["standen"] = frames
        out["voorraad_peil"] = stacked
    return out
