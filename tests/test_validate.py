"""_validate.read_toml and the config readers that use it (SIA, DIA, agreements)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from geoprestatie._validate import read_toml
from geoprestatie.agreements import read_agreements
from geoprestatie.dia import DiaConfig
from geoprestatie.errors import ConfigError
from geoprestatie.sia import SiaConfig

_SIA = (
    '[[sia.criteria]]\nname = "leef"\nlabel = "Leefbaarheid één"\n'
    'column = "leefbaarometer_score"\ndirection = "lower"\nweight = 1\n'
)
_DIA = '[dia]\nselection = "robuust"\n# buurten één\n'
_AFSPRAAK = '[[afspraak]]\nid = "A"\ntekst = "één"\npartij = "p"\nsoort = "aantal"\nnorm = 1\n'

READERS: list[tuple[str, Callable[[Path], Any], str]] = [
    ("SIA criteria", SiaConfig.from_toml, _SIA),
    ("DIA config", DiaConfig.from_toml, _DIA),
    ("afsprakenbestand", read_agreements, _AFSPRAAK),
]


@pytest.mark.parametrize(("what", "reader", "text"), READERS)
def test_cp1252_file_is_a_config_error_with_a_hint(
    tmp_path: Path, what: str, reader: Callable[[Path], Any], text: str
) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(text.encode("cp1252"))  # as Windows Notepad saves it
    with pytest.raises(ConfigError) as exc:
        reader(path)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "één" in ln)
    assert str(exc.value).startswith(f"{what} {path}: geen UTF-8-tekst (regel {line}: byte 0xe9)")
    assert "Oplossing: sla het op als UTF-8" in str(exc.value)
    path.write_bytes(text.encode("utf-8"))
    reader(path)  # the same text as UTF-8 is read


@pytest.mark.parametrize(("what", "reader", "text"), READERS)
def test_missing_and_invalid_files(
    tmp_path: Path, what: str, reader: Callable[[Path], Any], text: str
) -> None:
    with pytest.raises(ConfigError, match=f"^{what} .*nope.toml: bestand niet gevonden$"):
        reader(tmp_path / "nope.toml")
    path = tmp_path / "bad.toml"
    path.write_text(text + "weight = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{what} .*bad.toml: ongeldige TOML: .*regel \d+"):
        reader(path)


def test_read_toml_accepts_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes("\ufeffa = 'é'\n".encode())
    assert read_toml(path, what="x") == {"a": "é"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a = ?", "ongeldige waarde (regel 1, kolom 5)"),
        ("a = 1\na = 2", "een waarde staat er twee keer (aan het eind van het bestand)"),
        ('a = "x', "tekst zonder afsluitend aanhalingsteken (aan het eind van het bestand)"),
    ],
)
def test_invalid_toml_reason_is_dutch(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        read_toml(path, what="x")
    assert str(exc.value) == f"x {path}: ongeldige TOML: {message}"
