"""How complete an SIA is: which criteria were skipped, why, and their share of the weight.

A criterion without data (an optional column that is absent or empty, e.g. the
Leefbaarometer outside the province of Utrecht) is left out of the SIA, and the remaining
weights are rescaled. Such a *hollow* analysis must never look whole: every output that
shows the SIA carries :meth:`SiaCompleteness.text` (report, map, PNG, console, notebook,
tables), and below :data:`MIN_WEIGHT_SHARE` of the configured weight the run stops
(:func:`check`) unless the config allows it (``[sia] onvolledig_toestaan = true``).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from geoprestatie.errors import ConfigError
from geoprestatie.sia import SiaConfig

__all__ = [
    "ALLOW_KEY",
    "MIN_WEIGHT_SHARE",
    "SiaCompleteness",
    "SkippedCriterion",
    "check",
    "pop_allow",
    "sia_completeness",
]

#: Below this share of the configured weight the run stops unless :data:`ALLOW_KEY` is set.
MIN_WEIGHT_SHARE = 0.5

#: The ``[sia]`` key that allows an incomplete SIA below :data:`MIN_WEIGHT_SHARE`.
ALLOW_KEY = "onvolledig_toestaan"

#: Where the data of a default criterion's column come from (what to add to the config).
SOURCE_HINTS: dict[str, str] = {
    "leefbaarometer_score": "Leefbaarometer-scores ([bronnen] leefbaarometer; ingebouwd "
    "alleen voor de provincie Utrecht)",
    "aandeel_corporatie": "corporatievoorraad ([bronnen] voorraad) of CBS-kerncijfers",
    "n_corporaties": "corporatievoorraad ([bronnen] voorraad)",
    "aandeel_efg": "corporatievoorraad met energielabels ([bronnen] voorraad)",
    "warmte_startjaar": "warmteplannen ([bronnen] warmte)",
    "verkoop_aandeel": "verkopen ([bronnen] verkoop)",
    "sociaaleconomische_score": "sociaaleconomische status (CBS/SCP, [bronnen] indicatoren)",
}


def _pct(share: float) -> str:
    return f"{round(share * 100):d} %"


@dataclass(frozen=True)
class SkippedCriterion:
    """A criterion of the config that the SIA could not use."""

    name: str
    label: str
    share: float  # of the configured weight, 0-1
    reason: str  # Dutch


@dataclass(frozen=True)
class SiaCompleteness:
    """The configured criteria against those the SIA used.

    Examples
    --------
    >>> c = SiaCompleteness(0.75, (SkippedCriterion("a", "Lage leefbaarheid", 0.25,
    ...     "kolom 'leefbaarometer_score' heeft geen enkele waarde"),), 4)
    >>> c.complete
    False
    >>> c.short()
    'Onvolledige SIA: 1 van 4 criteria overgeslagen (25 % van het gewicht)'
    """

    present: float  # share of the configured weight used, 0-1
    skipped: tuple[SkippedCriterion, ...]
    n_criteria: int

    @property
    def complete(self) -> bool:
        """Every configured criterion was used."""
        return not self.skipped

    def short(self) -> str:
        """One short Dutch line for titles and subtitles ("" when complete)."""
        if self.complete:
            return ""
        return (
            f"Onvolledige SIA: {len(self.skipped)} van {self.n_criteria} criteria "
            f"overgeslagen ({_pct(1 - self.present)} van het gewicht)"
        )

    def names(self) -> str:
        """The skipped criteria with their weight share: ``Lage leefbaarheid (25 %), …``."""
        return ", ".join(f"{s.label} ({_pct(s.share)})" for s in self.skipped)

    def text(self) -> str:
        """The full Dutch explanation: which criteria, why, which share ("" when complete)."""
        if self.complete:
            return ""
        why = "; ".join(f"{s.label} ({_pct(s.share)}): {s.reason}" for s in self.skipped)
        return (
            f"{self.short()}. De score rust op {_pct(self.present)} van het gewicht; de "
            f"overige gewichten zijn naar verhouding opgeschaald. Overgeslagen: {why}."
        )


def _reason(table: pd.DataFrame, column: str) -> str:
    what = (
        f"kolom {column!r} ontbreekt in de buurttabel"
        if column not in table.columns
        else f"kolom {column!r} heeft in geen enkele buurt een waarde"
    )
    hint = SOURCE_HINTS.get(column)
    return f"{what} (nodig: {hint})" if hint else what


def sia_completeness(scored: pd.DataFrame, config: SiaConfig) -> SiaCompleteness:
    """Compare the configured criteria with those :func:`geoprestatie.sia.score` used.

    A criterion counts as used when the scored frame has its ``bijdrage_<name>`` column
    (or, in ``attrs["sia_gewichten"]``, a weight).

    Examples
    --------
    >>> import pandas as pd
    >>> from geoprestatie.sia import SiaConfig
    >>> cfg = SiaConfig.from_dict({"criteria": [
    ...     {"name": "efg", "label": "E/F/G", "column": "efg", "direction": "higher",
    ...      "weight": 3},
    ...     {"name": "leef", "label": "Leefbaarheid", "column": "leefbaarometer_score",
    ...      "direction": "lower", "weight": 1, "optional": True}]})
    >>> scored = pd.DataFrame({"buurtcode": ["BU1"], "bijdrage_efg": [75.0]})
    >>> c = sia_completeness(scored, cfg)
    >>> c.present, [s.name for s in c.skipped]
    (0.75, ['leef'])
    """
    used = set(scored.attrs.get("sia_gewichten", {})) or {
        str(c).removeprefix("bijdrage_") for c in scored.columns if str(c).startswith("bijdrage_")
    }
    shares = config.weights
    skipped = tuple(
        SkippedCriterion(c.name, c.label, shares[c.name], _reason(scored, c.column))
        for c in config.criteria
        if c.name not in used
    )
    present = 1.0 - sum(s.share for s in skipped)
    return SiaCompleteness(max(present, 0.0), skipped, len(config.criteria))


def pop_allow(section: MutableMapping[str, Any], *, where: str = "") -> bool:
    """Take :data:`ALLOW_KEY` out of a ``[sia]`` table (default false); it must be a bool.

    >>> t = {"top_k": 5, "onvolledig_toestaan": True}
    >>> pop_allow(t), t
    (True, {'top_k': 5})
    """
    allow = section.pop(ALLOW_KEY, False)
    if not isinstance(allow, bool):
        raise ConfigError(f"{where}[sia] {ALLOW_KEY} is {allow!r} maar moet true of false zijn")
    return allow


def check(completeness: SiaCompleteness, *, allow: bool) -> None:
    """Stop a run whose SIA rests on less than :data:`MIN_WEIGHT_SHARE` of the weight.

    Raises
    ------
    ConfigError
        One Dutch line: which criteria, why, which share, and how to go on.
    """
    if allow or completeness.present >= MIN_WEIGHT_SHARE:
        return
    why = "; ".join(f"{s.label} ({_pct(s.share)}): {s.reason}" for s in completeness.skipped)
    raise ConfigError(
        f"de SIA rust op maar {_pct(completeness.present)} van het gewicht (minder dan de "
        f"helft): {len(completeness.skipped)} van {completeness.n_criteria} criteria hebben "
        f"geen gegevens. Overgeslagen: {why}. Voeg die gegevens toe, kies criteria die wel "
        f"gegevens hebben ([sia] criteria), of zet [sia] {ALLOW_KEY} = true om een "
        "onvolledige SIA toch te maken (elke uitvoer vermeldt het dan)"
    )
