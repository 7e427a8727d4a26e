"""Click's own words in Dutch (_click_nl): help, usage errors, restored afterwards."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from geoprestatie._click_nl import CATALOGUE, PLURALS, dutch_click
from geoprestatie.cli import _Group, main

#: English words click prints in help and errors; none may reach a geoprestatie user.
ENGLISH = re.compile(
    r"Usage|Options|Commands|Arguments|Show this|Show the|\bdefault\b|\brequired\b|Error|"
    r"Try '|No such|Missing|Invalid|Did you mean|is not|does not|unexpected|requires|"
    r"\bTEXT\b|INTEGER|FLOAT|\bFILE\b|DIRECTORY|\bPATH\b|\bCOMMAND\b|\bARGS\b|OPTIONS"
)

COMMANDS = [
    "buurten",
    "join",
    "sia",
    "prognose",
    "monitor",
    "run",
    "init",
    "sjabloon",
    "controleer",
]

#: Click sentences only a programmer meets (bad declarations, shells, editors, Windows).
NOT_FOR_USERS = {
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}",
    "Couldn't detect Bash version, shell completion is not supported.",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "{editor}: Editing failed",
    "{editor}: Editing failed: {e}",
    "Windows error: {error}",
    "Unknown color {colour!r}",
    "Unknown standard stream '{name}'",
    "Error: {message}",  # termui's prompt error; the same id as exceptions' (translated)
}


def _click_messages() -> tuple[set[str], set[tuple[str, str]]]:
    """Every literal gettext id in the installed click's source."""
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if node.func.id == "_" and args and isinstance(args[0], str):
                singles.add(args[0])
            elif node.func.id == "ngettext" and len(args) >= 2:
                plurals.add((str(args[0]), str(args[1])))
    return singles, plurals


def test_every_click_sentence_a_user_can_meet_is_translated() -> None:
    singles, plurals = _click_messages()
    assert len(singles) > 40  # the parse found click's messages
    missing = sorted(singles - set(CATALOGUE) - NOT_FOR_USERS)
    assert missing == [], f"click sentences without Dutch: {missing}"
    assert sorted(plurals - set(PLURALS)) == []
    # and the catalogue has no ids click does not use (typos never match); "required" is
    # looked up through a variable (``_(extra["required"])``)
    assert sorted(set(CATALOGUE) - singles) == ["required"]
    for english, dutch in CATALOGUE.items():  # the same placeholders, so .format works
        assert re.findall(r"\{\w+", english) == re.findall(r"\{\w+", dutch), english


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help_is_dutch_only(command: list[str]) -> None:
    res = CliRunner().invoke(main, [*command, "--help"], prog_name="geoprestatie")
    assert res.exit_code == 0
    assert res.output.startswith("Gebruik: geoprestatie")
    assert "Opties:" in res.output and "Toon deze uitleg en stop." in res.output
    assert ENGLISH.search(res.output) is None, ENGLISH.findall(res.output)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "Fout: Onbekende optie '--bogus'."),
        (["sia", "--bla"], "Fout: Onbekende optie '--bla'. Bedoelt u '--layer'?"),
        (["spelen"], "Fout: Onbekende opdracht 'spelen'."),
        (["sia"], "Fout: Ontbrekende optie '--tabel'."),
        (["sia", "--out"], "Fout: Optie '--out' heeft een waarde nodig."),
        (["sia", "--tabel", "geen.gpkg"], "Fout: Ongeldige waarde voor '--tabel': Bestand "),
        (["prognose", "--eindjaar", "x"], "'x' is geen geldig geheel getal."),
        (["run", "--csv", "xx"], "'xx' is niet een van 'nl', 'internationaal'."),
        (["run", "a", "b"], "Fout: Onverwacht extra argument (b)"),
        (["controleer"], "Fout: Ontbrekend argument 'BESTAND'."),
    ],
)
def test_usage_errors_are_dutch_only(args: list[str], message: str) -> None:
    res = CliRunner().invoke(main, args, prog_name="geoprestatie")
    assert res.exit_code == 2
    assert message in res.output
    if args != ["sia", "--out"]:  # click shows no usage for an option without its value
        assert "Gebruik: geoprestatie" in res.output and "voor uitleg." in res.output
    assert ENGLISH.search(res.output) is None, ENGLISH.findall(res.output)


def test_missing_argument_is_dutch_and_click_is_english_again_afterwards() -> None:
    @click.group(cls=_Group)
    def tool() -> None:
        """A group like geoprestatie's."""

    @tool.command()
    @click.argument("bestand")
    def lees(bestand: str) -> None:
        """Read one file."""

    res = CliRunner().invoke(tool, ["lees"])
    assert res.exit_code == 2
    assert "Fout: Ontbrekend argument 'BESTAND'." in res.output
    assert ENGLISH.search(res.output) is None, ENGLISH.findall(res.output)
    # another click program in the same process still speaks its own (English) words
    assert click.exceptions.NoSuchOption("--x").format_message() == "No such option '--x'."
    with dutch_click():
        assert click.exceptions.NoSuchOption("--x").format_message() == "Onbekende optie '--x'."
    assert click.formatting._("Usage:") == "Usage:"
