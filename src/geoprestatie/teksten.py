"""The words users read, in Dutch, in one place (shared by the CLI, pipeline and outputs).

Code, docstrings and docs are English; everything a user sees is Dutch. Text used in more
than one place lives here: display labels of the names in config files (SIA methods,
normalisations, classification schemes), the standard notices ("Let op", synthetic data)
and message templates for errors that several modules raise. Column headers and their
explanations are in :mod:`geoprestatie.output.kolommen`; help for one command stays with
that command in :mod:`geoprestatie.cli`. A module that needs a new shared sentence adds it
here, never an English or bilingual copy in its own file.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "LET_OP",
    "METHOD_LABELS",
    "NORMALISATION_LABELS",
    "SCHEME_LABELS",
    "SYNTHETIC_NOTICE",
    "label",
    "method_label",
]

#: Prefix of a warning line on the console.
LET_OP = "Let op:"

#: The notice on every output made from synthetic (demo) data.
SYNTHETIC_NOTICE = (
    "LET OP: de corporatiegegevens in deze run zijn synthetisch (demo), niet voor beleid."
)

#: SIA methods (``[sia] method``) as users read them.
METHOD_LABELS: dict[str, str] = {
    "weighted_sum": "gewogen som",
    "topsis": "TOPSIS (afstand tot het ideale en het slechtste punt)",
}

#: Normalisations of a criterion (``normalisation``) as users read them.
NORMALISATION_LABELS: dict[str, str] = {
    "minmax": "min-max (0 = laagste, 1 = hoogste buurt)",
    "rank": "rangorde",
    "zscore": "z-score (afwijking van het gemiddelde)",
    "classes": "klassen",
}

#: Classification schemes of the maps as users read them.
SCHEME_LABELS: dict[str, str] = {
    "quantiles": "kwantielen",
    "fisher_jenks": "natuurlijke breuken (Fisher-Jenks)",
    "equal_interval": "gelijke intervallen",
}


def label(name: str, labels: Mapping[str, str]) -> str:
    """The Dutch label of a configured name, or the name itself when it has none.

    Examples
    --------
    >>> label("quantiles", SCHEME_LABELS), label("mijn_schema", SCHEME_LABELS)
    ('kwantielen', 'mijn schema')
    """
    return labels.get(name, name.replace("_", " "))


def method_label(name: str) -> str:
    """The Dutch label of a SIA method.

    Examples
    --------
    >>> method_label("weighted_sum")
    'gewogen som'
    """
    return label(name, METHOD_LABELS)
