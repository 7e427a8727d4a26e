"""Click's own words in Dutch: a gettext catalogue for the messages click itself prints.

Click wraps every sentence it prints (``Usage:``, ``Options``, ``Missing argument``,
``Invalid value for …``, ``No such option …``) in :func:`gettext.gettext`, bound in each
click module as ``_`` (and ``ngettext``) at import. Standard gettext would look a compiled
``.mo`` catalogue up through the process-wide text domain and the user's ``LANGUAGE``/``LANG``
environment, so a Dutch CLI would depend on the machine's locale and change every other
gettext user in the process. Instead :func:`dutch_click` points click's ``_`` and
``ngettext`` at a :class:`ClickNl` translation (a :class:`gettext.NullTranslations` with this
module's catalogue) for the duration of one CLI call and restores them afterwards, so a
library user's own click programs in the same process are untouched. A sentence missing from
the catalogue stays English; ``tests/test_cli.py`` runs ``--help``, a bad option, a bad
value and a missing argument and fails on any English word click adds.
"""

from __future__ import annotations

import gettext
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["CATALOGUE", "PLURALS", "ClickNl", "dutch_click"]

#: Click's sentences (click 8.x, ``gettext`` message ids) and their Dutch text.
CATALOGUE: dict[str, str] = {
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Positional arguments": "Argumenten",
    "Show this message and exit.": "Toon deze uitleg en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "%(prog)s, version %(version)s": "%(prog)s versie %(version)s",
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Zie '{command} {option}' voor uitleg.",
    "Aborted!": "Afgebroken!",
    "Missing command.": "Geen opdracht gegeven.",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende parameter",
    "Missing {param_type}": "Ontbrekende {param_type}",
    "Missing parameter: {param_name}": "Ontbrekende parameter: {param_name}",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "unknown error": "onbekende fout",
    "Could not open file {filename!r}: {message}": (
        "Kan bestand {filename!r} niet openen: {message}"
    ),
    "Option {name!r} does not take a value.": "Optie {name!r} neemt geen waarde.",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} neemt {nargs} waarden.",
    "Invalid start character for option ({option})": (
        "Ongeldig eerste teken voor een optie ({option})"
    ),
    "Value must be an iterable.": "De waarde moet een reeks zijn.",
    "default: {default}": "standaard: {default}",
    "required": "verplicht",
    "env var: {var}": "omgevingsvariabele: {var}",
    "(dynamic)": "(dynamisch)",
    "deprecated": "verouderd",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "Choice({choices})": "Keuze({choices})",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand, geen map.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map, geen bestand.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan niet gelezen worden.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan niet geschreven worden.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} kan niet uitgevoerd worden.",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} is geen geldige ja/nee-waarde. Toegestaan: {states}"
    ),
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
    "Press any key to continue...": "Druk op een toets om door te gaan...",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: The two entered values do not match.": "Fout: de twee waarden zijn niet gelijk.",
    "Error: invalid input": "Fout: ongeldige invoer",
    "d": "d",  # days in a progress bar's time left ("2d 01:00:00")
}

#: Click's singular/plural sentences and their Dutch singular/plural.
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Onverwacht extra argument ({args})",
        "Onverwachte extra argumenten ({args})",
    ),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Bedoelt u {possibility}?",
        "(Bedoelt u een van: {possibilities}?)",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} is niet {choice}.",
        "{value!r} is niet een van {choices}.",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "Optie {name!r} heeft een waarde nodig.",
        "Optie {name!r} heeft {nargs} waarden nodig.",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Neemt {nargs} waarden, maar er is 1 gegeven.",
        "Neemt {nargs} waarden, maar er zijn er {len} gegeven.",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "{len_type} waarden zijn nodig, maar er is {len_value} gegeven.",
        "{len_type} waarden zijn nodig, maar er zijn er {len_value} gegeven.",
    ),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): (
        "{value!r} heeft niet de vorm {format}.",
        "{value!r} heeft geen van de vormen {formats}.",
    ),
}

#: The click modules that bind ``_`` / ``ngettext`` at import.
_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click._termui_impl",
)


class ClickNl(gettext.NullTranslations):
    """A translation from :data:`CATALOGUE` and :data:`PLURALS` (English when missing).

    Examples
    --------
    >>> nl = ClickNl()
    >>> nl.gettext("Usage:"), nl.gettext("Something new")
    ('Gebruik:', 'Something new')
    >>> nl.ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)
    'Bedoelt u {possibility}?'
    """

    def gettext(self, message: str) -> str:
        return CATALOGUE.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        one, many = PLURALS.get((msgid1, msgid2), (msgid1, msgid2))
        return one if n == 1 else many


@contextmanager
def dutch_click() -> Iterator[None]:
    """Let click speak Dutch inside the ``with`` block; restore its functions afterwards.

    Examples
    --------
    >>> import click
    >>> with dutch_click():
    ...     click.exceptions.NoSuchOption("--x").format_message()
    "Onbekende optie '--x'."
    >>> click.exceptions.NoSuchOption("--x").format_message()
    "No such option '--x'."
    """
    nl = ClickNl()
    saved: list[tuple[Any, str, Any]] = []
    try:
        for name in _CLICK_MODULES:
            module = importlib.import_module(name)
            for attr, func in (("_", nl.gettext), ("ngettext", nl.ngettext)):
                if hasattr(module, attr):
                    saved.append((module, attr, getattr(module, attr)))
                    setattr(module, attr, func)
        yield
    finally:
        for module, attr, func in reversed(saved):
            setattr(module, attr, func)
