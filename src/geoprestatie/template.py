"""The delivery template for the parties and the check of a filled-in file.

Agreements ask the corporations to deliver their data "eenduidig via een Excel-format" with
agreed definitions. :func:`write_template` writes that workbook: a ``Toelichting`` sheet
with every column's definition, and one sheet per dataset geoprestatie reads (``Voorraad``,
``Verkoop``, ``Plannen``), required columns marked (fill and comment), drop-down lists for
labels, statuses, mutation types, ja/nee and the corporations of the config. The readers
accept the template as is (each picks its own sheet).

:func:`check_workbook` reads a filled-in file with the readers themselves, so that what it
accepts is exactly what a run accepts, and :func:`write_marked_copy` writes a copy with the
offending cells marked (fill colour and a comment with the reason) and a ``Controle`` sheet
summarising per sheet and reason.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from geoprestatie._validate import lower_map
from geoprestatie.errors import GeoprestatieError, InputError
from geoprestatie.huur import RENT_CLASSES
from geoprestatie.output.cells import is_formula_like
from geoprestatie.prognosis import CERTAINTIES, MUTATION_TYPES, read_mutation_plans
from geoprestatie.sources import read_sales, read_stock
from geoprestatie.sources._tabular import REASONS
from geoprestatie.sources.aliases import SALES_ALIASES, STOCK_ALIASES
from geoprestatie.sources.sales import SALES_STATUS
from geoprestatie.sources.stock import ENERGIELABELS

__all__ = ["DATASETS", "Column", "Problem", "check_workbook", "write_marked_copy", "write_template"]

_JA_NEE = ("ja", "nee")
_ROWS = 5000  # rows that get the drop-down lists


@dataclass(frozen=True)
class Column:
    """One column of a template sheet."""

    name: str
    definition: str
    required: bool = False
    choices: tuple[str, ...] = ()
    #: the choices are the corporations of the config
    corporations: bool = False


_CORP = Column("corporatie", "Naam van de corporatie (eigenaar)", True, corporations=True)
_ADDRESS = (
    Column("postcode", "Postcode, bijv. 3811AB (met adres: een BAG-extract nodig)"),
    Column("huisnummer", "Huisnummer, eventueel met letter/toevoeging (12, 12A, 12-2)"),
    Column("huisletter", "Huisletter volgens de BAG"),
    Column("toevoeging", "Huisnummertoevoeging volgens de BAG"),
    Column("bag_id", "BAG verblijfsobject-id (16 cijfers)"),
    Column("x", "X-coördinaat in RD New (EPSG:28992), meters"),
    Column("y", "Y-coördinaat in RD New (EPSG:28992), meters"),
    Column("buurtcode", "CBS-buurtcode, BU + 8 cijfers (als er geen adres of x/y is)"),
)

#: Sheet name -> its columns, in order.
DATASETS: dict[str, tuple[Column, ...]] = {
    "Voorraad": (
        Column("vhe_id", "Nummer van de verhuureenheid (uniek per corporatie)", True),
        _CORP,
        *_ADDRESS,
        Column("energielabel", "Energielabel (A++++ t/m G)", choices=ENERGIELABELS),
        Column("bouwjaar", "Bouwjaar (jaartal)"),
        Column("woningtype", "Woningtype (eengezins, meergezins, ...)"),
        Column("huurprijs", "Kale huur per maand in euro"),
        Column("daeb", "DAEB-woning (ja/nee)", choices=_JA_NEE),
        Column(
            "conditiescore",
            "Conditiescore NEN 2767 (1 t/m 6)",
            choices=("1", "2", "3", "4", "5", "6"),
        ),
    ),
    "Verkoop": (
        Column("vhe_id", "Nummer van de verhuureenheid (zoals in de voorraad)", True),
        _CORP,
        Column("jaar", "Jaar van (voorgenomen) verkoop", True),
        Column("status", "voorgenomen of gerealiseerd", True, choices=tuple(SALES_STATUS)),
        *_ADDRESS,
    ),
    "Plannen": (
        _CORP,
        Column("jaar", "Jaar van oplevering / mutatie", True),
        Column("mutatie", "Soort mutatie", True, choices=MUTATION_TYPES),
        Column("aantal", "Aantal woningen (positief; het teken volgt de soort)", True),
        Column("zekerheid", "Planstatus", choices=CERTAINTIES),
        Column("tijdelijk", "Tijdelijke woningen (ja/nee)", choices=_JA_NEE),
        Column("huurklasse", "Huurklasse", choices=tuple(RENT_CLASSES)),
        Column("buurtcode", "CBS-buurtcode, BU + 8 cijfers"),
        Column("project", "Projectnaam"),
    ),
}


def _text_stays_text(ws: Any) -> None:
    """Make every text cell of ``ws`` a string cell: never a formula (openpyxl reads text
    starting with ``=`` as one), with Excel's quote prefix when it looks like one."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.quotePrefix = is_formula_like(cell.value)


def write_template(path: str | Path, *, corporations: Sequence[str] = ()) -> Path:
    """Write the delivery template (XLSX) to ``path`` and return it."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    book = openpyxl.Workbook()
    info = book.active
    info.title = "Toelichting"
    info.append(["blad", "kolom", "verplicht", "betekenis", "toegestane waarden"])
    lists = book.create_sheet("Lijsten")
    required_fill = PatternFill("solid", fgColor="FFD966")
    for sheet, columns in DATASETS.items():
        ws = book.create_sheet(sheet, index=len(book.sheetnames) - 1)
        ws.append([c.name for c in columns])
        for i, col in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=i)
            cell.font = Font(bold=True)
            choices = tuple(corporations) if col.corporations else col.choices
            if col.required:
                cell.fill = required_fill
                cell.comment = Comment("verplicht", "geoprestatie")
            info.append(
                [
                    sheet,
                    col.name,
                    "ja" if col.required else "nee",
                    col.definition,
                    ", ".join(choices),
                ]
            )
            if choices:
                column = lists.max_column + (1 if lists["A1"].value is not None else 0)
                for r, value in enumerate(choices, start=1):
                    lists.cell(row=r, column=column, value=value)
                letter = openpyxl.utils.get_column_letter(column)
                rule = DataValidation(
                    type="list",
                    formula1=f"=Lijsten!${letter}$1:${letter}${len(choices)}",
                    allow_blank=not col.required,
                    showErrorMessage=True,
                    errorTitle="Ongeldige waarde",
                    error=f"Kies een waarde uit de lijst ({col.name}).",
                )
                target = openpyxl.utils.get_column_letter(i)
                rule.add(f"{target}2:{target}{_ROWS + 1}")
                ws.add_data_validation(rule)
        ws.freeze_panes = "A2"
    for cell in info[1]:
        cell.font = Font(bold=True)
    info.append([])
    info.append(
        [
            "Geel gemarkeerde kolommen zijn verplicht; rij 1 is de kopregel, "
            "gegevens vanaf rij 2. Geef elke woning een ligging: x/y, een adres of "
            "BAG-id (met een BAG-extract) of een buurtcode."
        ]
    )
    lists.sheet_state = "hidden"
    for ws in book.worksheets:
        _text_stays_text(ws)
    book.save(path)
    return path


@dataclass(frozen=True)
class Problem:
    """One problem found in a filled-in file."""

    sheet: str
    row: int
    column: str | None
    value: str | None
    reason: str


def _reader(sheet: str) -> Callable[[Path], pd.DataFrame]:
    readers: dict[str, Callable[[Path], Any]] = {
        "Voorraad": read_stock,
        "Verkoop": read_sales,
        "Plannen": read_mutation_plans,
    }
    return readers[sheet]


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
                frame = _reader(sheet)(path)
        except GeoprestatieError as exc:
            if "geen rijen met gegevens" in str(exc):
                continue  # an empty sheet: nothing delivered for this dataset
            problems.append(Problem(sheet, 1, None, None, str(exc)))
            continue
        for record in frame.attrs.get("afgewezen", []):
            reason = REASONS.get(record["reden"], record["reden"]).split(" / ")[0]
            problems.append(
                Problem(sheet, int(record["bron_rij"]), record["kolom"], record["waarde"], reason)
            )
    return problems


def _column_index(header: list[Any], canonical: str | None, sheet: str) -> int | None:
    if canonical is None:
        return None
    names = [str(h) if h is not None else "" for h in header]
    aliases = {**STOCK_ALIASES, **SALES_ALIASES}
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
    shutil.copyfile(path, target)
    book = openpyxl.load_workbook(target)
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
    book.save(target)
    return target
