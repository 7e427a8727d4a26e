"""The delivery template for the parties and the check of a filled-in file.

Agreements ask the corporations to deliver their data "eenduidig via een Excel-format" with
agreed definitions. :func:`write_template` writes that workbook (xlsxwriter, as the other
workbooks of :mod:`geoprestatie.output`): a ``Toelichting`` sheet with every column's
definition, and one sheet per dataset geoprestatie reads — the stock (also the stock
snapshots per peiljaar), sales, mutation plans, realised mutations, the start stock and the
monitor datasets (toewijzingen, geld, acties, kengetallen: :data:`MONITOR_COLUMNS`) —
required columns marked (fill and comment), drop-down lists where the value set is closed
(labels, statuses, mutation types, segments, ja/nee, the corporations of the config), and
type checks for years, whole numbers, numbers, dates and buurtcodes. Every text cell is a
string cell (never a formula, :mod:`geoprestatie.output.cells`). The readers accept the
template as is: each picks the sheet named after its dataset.

:func:`check_workbook` reads a filled-in file with the readers themselves, so that what it
accepts is exactly what a run accepts, and :func:`write_marked_copy` writes a copy with the
offending cells marked (fill colour and a comment with the reason) and a ``Controle`` sheet
summarising per sheet and reason.
"""

from __future__ import annotations

import datetime as dt
import functools
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from geoprestatie._atomic import atomic_path
from geoprestatie._validate import lower_map
from geoprestatie.errors import GeoprestatieError, InputError
from geoprestatie.huur import RENT_CLASSES
from geoprestatie.output.cells import is_formula_like
from geoprestatie.prognosis import (
    CERTAINTIES,
    MUTATION_TYPES,
    PARTY_TYPES,
    read_mutation_plans,
    read_start_stock,
)
from geoprestatie.segments import ALL_SEGMENTS
from geoprestatie.sources import read_sales, read_stock
from geoprestatie.sources._tabular import REASONS
from geoprestatie.sources.aliases import SALES_ALIASES, STOCK_ALIASES
from geoprestatie.sources.monitoring import (
    COLUMN_TYPES,
    MONITOR_COLUMNS,
    monitor_aliases,
    read_monitor_table,
)
from geoprestatie.sources.sales import SALES_STATUS
from geoprestatie.sources.stock import ENERGIELABELS

__all__ = [
    "DATASETS",
    "Column",
    "Dataset",
    "Problem",
    "check_workbook",
    "write_marked_copy",
    "write_template",
]

_JA_NEE = ("ja", "nee")
_ROWS = 5000  # rows that get the drop-down lists and type checks


@dataclass(frozen=True)
class Column:
    """One column of a template sheet.

    ``kind`` is one of :data:`geoprestatie.sources.monitoring.COLUMN_TYPES` (``tekst``,
    ``code``, ``getal``, ``geheel``, ``jaar``, ``janee``, ``datum``): the type check in the
    sheet and the notation in the Toelichting. ``choices`` is a drop-down list: closed (a
    value outside it is refused) unless ``suggested``.
    """

    name: str
    definition: str
    required: bool = False
    choices: tuple[str, ...] = ()
    #: the choices are the corporations of the config
    corporations: bool = False
    kind: str = "tekst"
    #: the choices are suggestions, other values are allowed (with a notice)
    suggested: bool = False


@dataclass(frozen=True)
class Dataset:
    """One sheet of the template: the dataset, how a run reads it, its columns."""

    sheet: str
    about: str
    columns: tuple[Column, ...]
    reader: Callable[[Path], pd.DataFrame]
    aliases: Mapping[str, Sequence[str]]


_CORP = Column("corporatie", "Naam van de corporatie (eigenaar)", True, corporations=True)
_BUURT = Column("buurtcode", "CBS-buurtcode, BU + 8 cijfers", kind="code")
_ADDRESS = (
    Column("postcode", "Postcode, bijv. 3811AB (met adres: een BAG-extract nodig)"),
    Column("huisnummer", "Huisnummer, eventueel met letter/toevoeging (12, 12A, 12-2)"),
    Column("huisletter", "Huisletter volgens de BAG"),
    Column("toevoeging", "Huisnummertoevoeging volgens de BAG"),
    Column("bag_id", "BAG verblijfsobject-id (16 cijfers)"),
    Column("x", "X-coördinaat in RD New (EPSG:28992), meters", kind="getal"),
    Column("y", "Y-coördinaat in RD New (EPSG:28992), meters", kind="getal"),
    Column("buurtcode", "CBS-buurtcode, BU + 8 cijfers (als er geen adres of x/y is)", kind="code"),
)
_PLAN_COLUMNS = (
    _CORP,
    Column("jaar", "Jaar van oplevering / mutatie", True, kind="jaar"),
    Column("mutatie", "Soort mutatie", True, choices=MUTATION_TYPES),
    Column("aantal", "Aantal woningen (positief; het teken volgt de soort)", True, kind="geheel"),
    Column("zekerheid", "Planstatus", choices=CERTAINTIES),
    Column("tijdelijk", "Tijdelijke woningen (ja/nee)", choices=_JA_NEE, kind="janee"),
    Column("huurklasse", "Huurklasse", choices=tuple(RENT_CLASSES)),
    Column("segment", "Marktsegment", choices=ALL_SEGMENTS),
    Column("partijtype", "Soort partij", choices=PARTY_TYPES),
    _BUURT,
    Column("project", "Projectnaam"),
)
#: Drop-down lists of the monitor datasets: (dataset, column) -> (choices, suggested only).
_MONITOR_CHOICES: dict[tuple[str, str], tuple[tuple[str, ...], bool]] = {
    ("acties", "status"): (("open", "loopt", "gereed"), True),
    ("geld", "soort"): (("begroot", "gerealiseerd"), True),
}


def _monitor_columns(dataset: str) -> tuple[Column, ...]:
    """The template columns of a monitor dataset, from :data:`MONITOR_COLUMNS`."""
    out = []
    for name, col in MONITOR_COLUMNS[dataset].items():
        choices, suggested = _MONITOR_CHOICES.get((dataset, name), ((), False))
        if col.type == "janee":
            choices = _JA_NEE
        out.append(
            Column(
                name,
                col.omschrijving[:1].upper() + col.omschrijving[1:],
                col.required,
                choices=choices,
                corporations=name == "corporatie",
                kind=col.type,
                suggested=suggested,
            )
        )
    return tuple(out)


def _monitor(sheet: str, about: str) -> Dataset:
    name = sheet.lower()
    return Dataset(
        sheet,
        about,
        _monitor_columns(name),
        functools.partial(read_monitor_table, dataset=name),
        monitor_aliases(name),
    )


_STOCK_SALES = {**STOCK_ALIASES, **SALES_ALIASES}

#: Sheet name -> its dataset, in order.
DATASETS: dict[str, Dataset] = {
    d.sheet: d
    for d in (
        Dataset(
            "Voorraad",
            "De woningvoorraad, één rij per woning ([bronnen] voorraad). Ook voor de "
            "voorraadstanden per peiljaar ([afspraken.voorraad_peil]): één bestand per "
            "peiljaar, met de peildatum ingevuld.",
            (
                Column("vhe_id", "Nummer van de verhuureenheid (uniek per corporatie)", True),
                _CORP,
                *_ADDRESS,
                Column("energielabel", "Energielabel (A++++ t/m G)", choices=ENERGIELABELS),
                Column("bouwjaar", "Bouwjaar (jaartal)", kind="jaar"),
                Column("woningtype", "Woningtype (eengezins, meergezins, ...)"),
                Column("huurprijs", "Kale huur per maand in euro", kind="getal"),
                Column("daeb", "DAEB-woning (ja/nee)", choices=_JA_NEE, kind="janee"),
                Column(
                    "conditiescore",
                    "Conditiescore NEN 2767 (1 t/m 6)",
                    choices=("1", "2", "3", "4", "5", "6"),
                    kind="geheel",
                ),
                Column(
                    "peildatum",
                    "Datum van de stand (moet passen bij [prognose] peildatum en het "
                    "peiljaar in [afspraken.voorraad_peil])",
                    kind="datum",
                ),
            ),
            read_stock,
            _STOCK_SALES,
        ),
        Dataset(
            "Verkoop",
            "Voorgenomen en gerealiseerde verkopen ([bronnen] verkoop).",
            (
                Column("vhe_id", "Nummer van de verhuureenheid (zoals in de voorraad)", True),
                _CORP,
                Column("jaar", "Jaar van (voorgenomen) verkoop", True, kind="jaar"),
                Column("status", "voorgenomen of gerealiseerd", True, choices=tuple(SALES_STATUS)),
                *_ADDRESS,
            ),
            read_sales,
            _STOCK_SALES,
        ),
        Dataset(
            "Plannen",
            "Mutatieplannen voor de prognose ([prognose] plannen).",
            _PLAN_COLUMNS,
            read_mutation_plans,
            {},
        ),
        Dataset(
            "Mutaties",
            "Gerealiseerde mutaties, zelfde kolommen als de plannen ([afspraken] mutaties).",
            _PLAN_COLUMNS,
            functools.partial(read_mutation_plans, sheet="mutaties"),
            {},
        ),
        Dataset(
            "Beginstand",
            "De beginvoorraad per corporatie (en buurt) op de peildatum ([prognose] beginstand).",
            (
                _CORP,
                _BUURT,
                Column("aantal", "Aantal woningen op de peildatum", True, kind="geheel"),
                Column("tijdelijk", "Waarvan tijdelijke woningen", kind="geheel"),
                Column(
                    "peildatum",
                    "Datum van de stand, in elke rij dezelfde (of [prognose] peildatum)",
                    True,
                    kind="datum",
                ),
            ),
            read_start_stock,
            {},
        ),
        _monitor("Toewijzingen", "Toewijzingen van woningen ([afspraken] toewijzingen)."),
        _monitor("Geld", "Bedragen per partij, jaar en thema ([afspraken] geld)."),
        _monitor("Acties", "Het actieregister met termijnen ([afspraken] acties)."),
        _monitor("Kengetallen", "Gerapporteerde kengetallen per jaar ([afspraken] kengetallen)."),
    )
}

#: Type checks of the sheets (xlsxwriter data validation) and their Dutch error text.
_CHECKS: dict[str, tuple[dict[str, Any], str]] = {
    "jaar": (
        {"validate": "integer", "criteria": "between", "minimum": 1900, "maximum": 2100},
        "Een jaartal van 1900 tot en met 2100.",
    ),
    "geheel": (
        {"validate": "integer", "criteria": ">=", "value": 0},
        "Een heel getal van 0 of meer.",
    ),
    "getal": (
        {"validate": "decimal", "criteria": "between", "minimum": -1e15, "maximum": 1e15},
        "Een getal (decimaalkomma).",
    ),
    "datum": (
        {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(1900, 1, 1),
            "maximum": dt.date(2100, 12, 31),
        },
        "Een datum, bijv. 1-7-2022.",
    ),
    "code": (
        {"validate": "length", "criteria": "==", "value": 10},
        "Een CBS-buurtcode: BU en 8 cijfers, bijv. BU03070100.",
    ),
}


class _Book:
    """The xlsxwriter workbook of the template with its formats and the list sheet."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.header = workbook.add_format(
            {"bold": True, "bottom": 1, "bg_color": "#e8e8e8", "text_wrap": True}
        )
        self.required = workbook.add_format(
            {"bold": True, "bottom": 1, "bg_color": "#FFD966", "text_wrap": True}
        )
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.quoted = workbook.add_format({"quote_prefix": True})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.lists: dict[tuple[str, ...], str] = {}

    def text(self, ws: Any, row: int, col: int, value: str, fmt: Any = None) -> None:
        """A string cell (never a formula; Excel's quote prefix when it looks like one)."""
        ws.write_string(row, col, value, self.quoted if is_formula_like(value) else fmt)

    def list_range(self, choices: tuple[str, ...]) -> str:
        """The range of the hidden ``Lijsten`` sheet that will hold ``choices``."""
        if choices not in self.lists:
            letter = _letter(len(self.lists))
            self.lists[choices] = f"=Lijsten!${letter}$1:${letter}${len(choices)}"
        return self.lists[choices]

    def write_lists(self) -> None:
        """The hidden ``Lijsten`` sheet (last): one column per drop-down list."""
        ws = self.workbook.add_worksheet("Lijsten")
        for column, choices in enumerate(self.lists):
            for r, value in enumerate(choices):
                self.text(ws, r, column, value)
        ws.hide()


def _letter(column: int) -> str:
    """Excel column letter of a 0-based column (``0`` -> ``A``, ``27`` -> ``AB``)."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _validation(book: _Book, col: Column, choices: tuple[str, ...]) -> dict[str, Any] | None:
    """The data validation of one column: its drop-down list, else its type check."""
    if choices:
        closed = not col.suggested
        rule: dict[str, Any] = {"validate": "list", "source": book.list_range(choices)}
        message = "Kies een waarde uit de lijst." + ("" if closed else " Andere mag ook.")
        rule["error_type"] = "stop" if closed else "information"
    elif col.kind in _CHECKS:
        check, message = _CHECKS[col.kind]
        rule = dict(check)
    else:
        return None
    rule.update(
        ignore_blank=True,
        error_title="Ongeldige waarde",
        error_message=f"{col.name}: {message}"[:255],
        input_title=col.name[:32],
        input_message=col.definition[:255],
    )
    return rule


def _dataset_sheet(book: _Book, dataset: Dataset, corporations: tuple[str, ...]) -> None:
    ws = book.workbook.add_worksheet(dataset.sheet)
    for c, col in enumerate(dataset.columns):
        book.text(ws, 0, c, col.name, book.required if col.required else book.header)
        if col.required:
            ws.write_comment(0, c, "verplicht", {"author": "geoprestatie"})
        ws.set_column(c, c, max(12, len(col.name) + 3), book.date if col.kind == "datum" else None)
        choices = corporations if col.corporations else col.choices
        rule = _validation(book, col, choices)
        if rule is not None:
            ws.data_validation(1, c, _ROWS, c, rule)
    ws.freeze_panes(1, 0)


def _toelichting(book: _Book, corporations: tuple[str, ...]) -> None:
    ws = book.workbook.add_worksheet("Toelichting")
    ws.write_string(0, 0, "Aanleversjabloon geoprestatie", book.title)
    notes = [
        "Elk tabblad is een dataset; lever alleen de tabbladen die de afspraken vragen en "
        "laat de andere leeg. Rij 1 is de kopregel, gegevens vanaf rij 2.",
        "Geel gemarkeerde kolommen zijn verplicht. Keuzelijsten en typecontroles staan op "
        f"de eerste {_ROWS} rijen.",
        "Geef elke woning een ligging: x/y, een adres of BAG-id (met een BAG-extract) of "
        "een buurtcode.",
        "Controleer een ingevuld bestand met: geoprestatie controleer BESTAND",
    ]
    for r, note in enumerate(notes, start=1):
        book.text(ws, r, 0, note)
    row = len(notes) + 2
    for dataset in DATASETS.values():
        book.text(ws, row, 0, dataset.sheet, book.header)
        book.text(ws, row, 1, dataset.about)
        row += 1
    row += 1
    headers = ("blad", "kolom", "verplicht", "betekenis", "notatie", "toegestane waarden")
    for c, text in enumerate(headers):
        book.text(ws, row, c, text, book.header)
    first = row
    for dataset in DATASETS.values():
        for col in dataset.columns:
            row += 1
            choices = corporations if col.corporations else col.choices
            allowed = ", ".join(choices) + (" (of een andere)" if col.suggested else "")
            cells = (dataset.sheet, col.name, "ja" if col.required else "nee", col.definition)
            for c, text in enumerate((*cells, COLUMN_TYPES.get(col.kind, col.kind), allowed)):
                book.text(ws, row, c, text)
    for c, width in enumerate((14, 18, 10, 70, 26, 40)):
        ws.set_column(c, c, width)
    ws.autofilter(first, 0, row, len(headers) - 1)
    ws.freeze_panes(first + 1, 0)


def write_template(path: str | Path, *, corporations: Sequence[str] = ()) -> Path:
    """Write the delivery template (XLSX) to ``path`` (atomically) and return it.

    ``corporations`` become the drop-down list of every ``corporatie`` column (free text
    without them).

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> p = write_template(Path(tempfile.mkdtemp()) / "aanlevering.xlsx", corporations=["Portaal"])
    >>> openpyxl.load_workbook(p).sheetnames[:4]
    ['Toelichting', 'Voorraad', 'Verkoop', 'Plannen']
    """
    import xlsxwriter

    path = Path(path)
    names = tuple(dict.fromkeys(str(c).strip() for c in corporations if str(c).strip()))
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with atomic_path(path) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), options)
        book = _Book(workbook)
        _toelichting(book, names)
        for dataset in DATASETS.values():
            _dataset_sheet(book, dataset, names)
        book.write_lists()
        workbook.close()
    return path


@dataclass(frozen=True)
class Problem:
    """One problem found in a filled-in file."""

    sheet: str
    row: int
    column: str | None
    value: str | None
    reason: str


def _text_stays_text(ws: Any) -> None:
    """Make every text cell of an openpyxl sheet a string cell: never a formula (openpyxl
    writes text starting with ``=`` as one), with Excel's quote prefix when it looks like one."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.quotePrefix = is_formula_like(cell.value)


def _present(path: Path) -> list[str]:
    from geoprestatie.sources._excel import sheet_headers

    names = {n.casefold(): n for n in sheet_headers(path)}
    return [sheet for sheet in DATASETS if sheet.casefold() in names]


def check_workbook(path: str | Path) -> list[Problem]:
    """Check every dataset sheet of a filled-in template with the readers themselves.

    Returns one :class:`Problem` per rejected row (its reason, column and value) and one
    per sheet that cannot be read at all (row 1: the header or the whole sheet).
    """
    path = Path(path)
    problems: list[Problem] = []
    sheets = _present(path)
    if not sheets:
        raise InputError(
            f"geen van de tabbladen {list(DATASETS)} gevonden; verwacht een ingevuld "
            "sjabloon (geoprestatie sjabloon)",
            source=path,
        )
    for sheet in sheets:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                frame = DATASETS[sheet].reader(path)
        except GeoprestatieError as exc:
            if "geen rijen met gegevens" in str(exc):
                continue  # an empty sheet: nothing delivered for this dataset
            problems.append(Problem(sheet, 1, None, None, str(exc)))
            continue
        for record in frame.attrs.get("afgewezen", []):
            reason = REASONS.get(record["reden"], record["reden"])
            problems.append(
                Problem(sheet, int(record["bron_rij"]), record["kolom"], record["waarde"], reason)
            )
    return problems


def _column_index(header: list[Any], canonical: str | None, sheet: str) -> int | None:
    if canonical is None:
        return None
    names = [str(h) if h is not None else "" for h in header]
    dataset = next((d for d in DATASETS.values() if d.sheet.casefold() == sheet.casefold()), None)
    aliases = dataset.aliases if dataset is not None else {}
    mapped = lower_map(names, {canonical: aliases.get(canonical, ())})
    for i, name in enumerate(names):
        if name == canonical or mapped.get(name) == canonical:
            return i + 1
    return None


def write_marked_copy(path: str | Path, problems: Sequence[Problem], target: str | Path) -> Path:
    """Copy ``path`` to ``target`` with each problem's cell (or row) marked and commented,
    plus a ``Controle`` sheet listing every problem and the counts per sheet and reason."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    target = Path(target)
    book = openpyxl.load_workbook(path)
    red = PatternFill("solid", fgColor="F4B6B6")
    by_lower = {n.casefold(): n for n in book.sheetnames}
    for p in problems:
        ws = book[by_lower[p.sheet.casefold()]]
        header = [c.value for c in ws[1]]
        col = _column_index(header, p.column, p.sheet)
        cells = [ws.cell(row=p.row, column=col)] if col else list(ws[p.row])[: len(header)]
        for cell in cells:
            cell.fill = red
        cells[0].comment = Comment(p.reason + (f": {p.value}" if p.value else ""), "geoprestatie")
    for ws in book.worksheets:  # the user's text stays text when someone edits the copy
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "s" and is_formula_like(str(cell.value)):
                    cell.quotePrefix = True
    if "Controle" in book.sheetnames:
        del book["Controle"]
    summary = book.create_sheet("Controle", 0)
    summary.append(["blad", "rij", "kolom", "waarde", "probleem"])
    for p in problems:
        summary.append([p.sheet, p.row, p.column, p.value, p.reason])
    summary.append([])
    summary.append(["blad", "probleem", "aantal"])
    counts: dict[tuple[str, str], int] = {}
    for p in problems:
        counts[(p.sheet, p.reason)] = counts.get((p.sheet, p.reason), 0) + 1
    for (sheet, reason), n in counts.items():
        summary.append([sheet, reason, n])
    for row in (summary[1], summary[len(problems) + 3]):
        for cell in row:
            cell.font = Font(bold=True)
    _text_stays_text(summary)
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target
