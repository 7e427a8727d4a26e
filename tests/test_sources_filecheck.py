"""Bad tabular input, every class: one clear Dutch line, never a traceback or a silent read."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner
from shapely.geometry import Point

from geoprestatie.cli import main
from geoprestatie.errors import InputError
from geoprestatie.sources import read_sales, read_stock
from geoprestatie.sources._filecheck import sniff
from geoprestatie.sources._tabular import read_table

HEADER = "vhe_id;corporatie;x;y;huurprijs\n"
ROW = "A1;Portaal;155000;463000;612,30\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["vhe_id", "corporatie", "x", "y"])
    wb.active.append(["A1", "Portaal", 155000, 463000])
    wb.save(path)
    return path


def _gpkg(path: Path) -> Path:
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(155000, 463000)], crs=28992)
    frame.to_file(path, driver="GPKG")
    return path


def _write(data: bytes | str, name: str) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    return make


def _renamed(make: Callable[[Path], Path], name: str) -> Callable[[Path], Path]:
    """A file made with its proper suffix, then renamed to ``name``."""

    def rename(tmp: Path) -> Path:
        proper = tmp / "_src" / f"bron{Path(name).suffix}.{make.__name__.strip('_')}"
        return make(proper).rename(tmp / name)

    return rename


def _dir(tmp: Path) -> Path:
    (tmp / "map.csv").mkdir()
    return tmp / "map.csv"


# (case, how to make the file, words the message must hold: what was found and the fix)
BAD_FILES: list[tuple[str, Callable[[Path], Path], tuple[str, ...]]] = [
    ("map", _dir, ("is een map", "verwacht een CSV")),
    ("apparaat", lambda tmp: Path("/dev/zero"), ("geen gewoon bestand", "apparaat")),
    ("leeg", _write(b"", "leeg.csv"), ("leeg (0 bytes)", "kopregel")),
    ("alleen lege regels", _write("\n \n\n", "wit.csv"), ("alleen lege regels",)),
    ("alleen kopregel", _write(HEADER, "kop.csv"), ("geen rijen met gegevens",)),
    (
        "versleutelde xlsx",
        _write(OLE + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le"), "v.xlsx"),
        ("wachtwoord", "versleutelde", "Versleutelen met wachtwoord"),
    ),
    ("oude xls", _write(OLE + b"\x00" * 600, "oud.xls"), (".xls, Excel 97-2003", "sla het")),
    ("csv als xlsx", _write(HEADER + ROW, "v.xlsx"), ("tekstbestand", "hernoem", "v.csv")),
    ("xlsx als csv", _renamed(_xlsx, "v.csv"), ("Excel-werkmap (.xlsx)", "hernoem", "v.xlsx")),
    ("gpkg als csv", _renamed(_gpkg, "v.csv"), ("GeoPackage", ".gpkg")),
    ("utf-16 met bom", _write((HEADER + ROW).encode("utf-16"), "u.csv"), ("UTF-16", "CSV UTF-8")),
    (
        "utf-16 zonder bom",
        _write((HEADER + ROW).encode("utf-16-le"), "u.csv"),
        ("UTF-16", "CSV UTF-8"),
    ),
    (
        "binair",
        _write(np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8).tobytes(), "b.csv"),
        ("binaire gegevens",),
    ),
    ("pdf", _write(b"%PDF-1.7\n" + b"x" * 100, "p.csv"), ("PDF",)),
    (
        "dubbele kolomnaam",
        _write("vhe_id;Huur;x;huur\nA1;1;2;3\n", "d.csv"),
        ("dubbele kolomnaam", "kolom B 'Huur'", "kolom D 'huur'"),
    ),
    (
        "rij met te veel velden",
        _write(HEADER + ROW + "A2;Portaal;155000;463000;612;extra\n", "r.csv"),
        ("meer velden dan de kopregel",),
    ),
]


@pytest.mark.parametrize(("case", "make", "words"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_is_one_clear_dutch_line(
    tmp_path: Path, case: str, make: Callable[[Path], Path], words: tuple[str, ...]
) -> None:
    (tmp_path / "_src").mkdir()
    path = make(tmp_path)
    if case == "apparaat" and not os.path.exists(path):
        pytest.skip("no /dev/zero")
    with pytest.raises(InputError) as info:
        read_table(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    for word in words:
        assert word in message


@pytest.mark.parametrize("case", ["map", "apparaat", "versleutelde xlsx", "gpkg als csv"])
def test_cli_gives_one_line_and_a_non_zero_exit(tmp_path: Path, case: str) -> None:
    (tmp_path / "_src").mkdir()
    make = {c: m for c, m, _ in BAD_FILES}[case]
    path = make(tmp_path)
    args = ["join", "--voorraad", str(path), "--out", str(tmp_path / "uit")]
    result = CliRunner().invoke(main, args)  # --out apart: the file check, not the refusal
    assert result.exit_code != 0
    assert "Traceback" not in result.output and result.exception is not None
    assert isinstance(result.exception, SystemExit)
    assert str(path) in result.output


def test_sniff_tells_text_from_binary_and_utf16() -> None:
    assert sniff("vhe_id;x\nA1;1\n".encode("cp1252")) == "tekst"
    assert sniff("vhe;é\n".encode("utf-16-le")) == "utf16"
    assert sniff(b"\x00\x01\x02\x03garbage") == "binair"


@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity", "nan", "NaN", "1e308", "-1E400"])
def test_non_finite_rent_is_set_aside_and_counted(tmp_path: Path, value: str) -> None:
    path = tmp_path / "v.csv"
    path.write_text(HEADER + ROW + f"A2;Portaal;155000;463000;{value}\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="1 rij"):
        stock = read_stock(path)
    assert stock["vhe_id"].tolist() == ["A1"]
    (rejected,) = stock.attrs["afgewezen"]
    assert (rejected["bron_rij"], rejected["kolom"]) == (3, "huurprijs")
    assert rejected["waarde"].startswith(value) and "geen eindig getal" in rejected["waarde"]


@pytest.mark.parametrize("column", ["x", "y"])
def test_non_finite_coordinate_is_set_aside(tmp_path: Path, column: str) -> None:
    path = tmp_path / "v.csv"
    row = {"x": "A2;Portaal;inf;463000;600\n", "y": "A2;Portaal;155000;nan;600\n"}[column]
    path.write_text(HEADER + ROW + row, encoding="utf-8")
    with pytest.warns(UserWarning):
        stock = read_stock(path)
    assert [(r["bron_rij"], r["kolom"]) for r in stock.attrs["afgewezen"]] == [(3, column)]


def test_non_finite_sales_year_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "verkoop.csv"
    path.write_text("vhe_id;jaar;status\nA1;2026;gepland\nA2;inf;gepland\n", encoding="utf-8")
    with pytest.warns(UserWarning):
        sales = read_sales(path)
    assert sales["vhe_id"].tolist() == ["A1"]
    assert [(r["bron_rij"], r["kolom"]) for r in sales.attrs["afgewezen"]] == [(3, "jaar")]
