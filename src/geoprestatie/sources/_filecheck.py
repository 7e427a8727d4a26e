"""What a file given as a table really is (private): checked before anything is read.

A path given as a CSV or Excel file can be a directory, a device (``/dev/zero``), empty, a
password-protected workbook, an old ``.xls``, a GeoPackage, a UTF-16 text or binary data;
or a CSV called ``.xlsx`` and a workbook called ``.csv``. :func:`check_table_file` looks at
the kind of file and its first bytes only (never an unbounded read) and raises one clear
Dutch :class:`~geoprestatie.errors.InputError` naming the file, what was found, what was
expected and how to fix it.

Examples
--------
>>> sniff(b"PK\\x03\\x04rest")
'zip'
>>> sniff(b"vhe_id;x;y\\n")
'tekst'
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from geoprestatie.errors import InputError

__all__ = ["EXCEL_SUFFIXES", "check_table_file", "sniff"]

#: Suffixes read as an Excel workbook (``.xls`` is refused with advice, see below).
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_HEAD = 65_536  # bytes looked at to decide what a file is
_EXPECTED = "verwacht een CSV-bestand (tekst) of een Excel-werkmap (.xlsx)"

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"SQLite format 3\x00", "sqlite"),
    (b"%PDF", "pdf"),
    (b"\x1f\x8b", "gzip"),
    (b"PAR1", "parquet"),
    (b"\x00\x00\x27\x0a", "shapefile"),
    (b"\xff\xfe", "utf16"),
    (b"\xfe\xff", "utf16"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)

#: What each kind is, in the user's words, and how to fix it.
_FOUND: dict[str, tuple[str, str]] = {
    "sqlite": (
        "een GeoPackage/SQLite-database",
        "geef een GeoPackage als .gpkg (voorraad en verkoop mogen puntlagen zijn) of "
        "exporteer de tabel als CSV of XLSX",
    ),
    "pdf": ("een PDF-document", "exporteer de tabel als CSV of XLSX"),
    "gzip": ("een gecomprimeerd bestand (gzip)", "pak het eerst uit"),
    "parquet": ("een Parquet-bestand", "exporteer de tabel als CSV of XLSX"),
    "shapefile": ("een shapefile (.shp)", "geef de .shp met de naam .shp, of een CSV/XLSX"),
    "tiff": ("een rasterbestand (TIFF)", "geef een tabel als CSV of XLSX"),
    "utf16": (
        "tekst in UTF-16 (Excel: 'Unicode-tekst')",
        "sla het in Excel op als 'CSV UTF-8 (door komma's gescheiden)'",
    ),
    "binair": ("binaire gegevens, geen tekst", "geef een CSV-bestand of een .xlsx-werkmap"),
    "ods": (
        "een OpenDocument-rekenblad (.ods)",
        "sla het op als Excel-werkmap (.xlsx) of als CSV",
    ),
    "zip": ("een zip-archief dat geen Excel-werkmap is", "pak het uit of geef de .xlsx zelf"),
}


def sniff(head: bytes) -> str:
    """The kind of file from its first bytes: a key of the magic table, ``utf16``,
    ``binair`` or ``tekst``."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    sample = head[:_HEAD]
    if b"\x00" in sample:
        # UTF-16 without BOM: every other byte NUL in ASCII text
        odd, even = sample[1::2], sample[0::2]
        if len(sample) >= 4 and (odd.count(0) > 0.4 * len(odd) or even.count(0) > 0.4 * len(even)):
            return "utf16"
        return "binair"
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return "binair" if control > 0.01 * max(len(sample), 1) else "tekst"


def _zip_kind(path: Path) -> str:
    """``xlsx``, ``encrypted`` (impossible for a zip), ``ods`` or ``zip``."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
                return "ods"
    except (zipfile.BadZipFile, OSError):
        return "binair"
    return "zip"


def _ole_message(head: bytes) -> str:
    if "EncryptionInfo".encode("utf-16-le") in head or b"E\x00n\x00c\x00r\x00y" in head:
        return (
            "is een met een wachtwoord versleutelde Excel-werkmap; geoprestatie kan die niet "
            f"openen ({_EXPECTED}). Oplossing: open het in Excel, Bestand > Info > Werkmap "
            "beveiligen > Versleutelen met wachtwoord, maak het wachtwoord leeg en sla op"
        )
    return (
        "is een oude Excel-werkmap (.xls, Excel 97-2003) of een ander Office-bestand "
        f"({_EXPECTED}). Oplossing: open het in Excel en sla het op als .xlsx of als "
        "CSV UTF-8"
    )


def check_table_file(path: Path) -> str:
    """Check that ``path`` is a readable CSV or XLSX file; return ``"csv"`` or ``"xlsx"``.

    Raises
    ------
    FileNotFoundError
        The path does not exist.
    InputError
        A directory, device, empty file, encrypted or old workbook, mis-named or other file.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FileNotFoundError(2, "No such file", str(path)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(
            f"is een map, geen bestand ({_EXPECTED}); geef het pad van het bestand zelf",
            source=path,
        )
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"is geen gewoon bestand maar een apparaat of pipe ({_EXPECTED}); geef het pad "
            "van een bestand op schijf",
            source=path,
        )
    if info.st_size == 0:
        raise InputError(
            "het bestand is leeg (0 bytes); verwacht een kopregel met kolomnamen en rijen "
            "met gegevens. Oplossing: exporteer het bestand opnieuw",
            source=path,
        )
    with path.open("rb") as handle:
        head = handle.read(_HEAD)
    kind = sniff(head)
    named_excel = path.suffix.lower() in EXCEL_SUFFIXES
    if path.suffix.lower() == ".xls" and kind == "tekst":
        kind = "tekst"  # some systems write CSV/HTML as .xls: treated below as mis-named
    if kind == "ole":
        raise InputError(_ole_message(head), source=path)
    if kind == "zip":
        kind = _zip_kind(path)
        if kind == "xlsx":
            if not named_excel:
                raise InputError(
                    f"is een Excel-werkmap (.xlsx) met de naam {path.suffix or '(geen)'}; "
                    f"{_EXPECTED} met de juiste extensie. Oplossing: hernoem het naar "
                    f"{path.stem}.xlsx",
                    source=path,
                )
            return "xlsx"
    if kind == "tekst":
        if named_excel or path.suffix.lower() == ".xls":
            raise InputError(
                f"heet {path.suffix} maar is een tekstbestand (CSV?), geen Excel-werkmap; "
                f"Oplossing: hernoem het naar {path.stem}.csv",
                source=path,
            )
        return "csv"
    found, fix = _FOUND.get(kind, _FOUND["binair"])
    raise InputError(f"is {found}; {_EXPECTED}. Oplossing: {fix}", source=path)
