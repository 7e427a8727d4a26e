"""Plan statuses and their realisation assumptions (probability and delay).

A plan row has a status (``zekerheid``): by default ``hard``, ``zacht``, ``ambitie`` and
``idee``; a config may add its own (``[prognose.status.<naam>]``). Each status carries

* ``scenario``: the narrowest scenario that includes it (``hard`` < ``zacht`` < ``alles``);
* ``kans``: the probability that a plan row of this status is realised at all;
* ``vertraging``: the probabilities of a delay of 0, 1, 2, ... years (summing to 1).

The defaults (:data:`DEFAULT_STATUSES`) are documented assumptions, not measurements; see
``docs/prognosis.md``. ``hard`` is certain and on time by default, so that a hard-only run
equals the deterministic projection; set its ``kans`` to the measured realisation rate
(:func:`geoprestatie.realisation.realisation_rates`) to be stricter.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from geoprestatie.errors import ConfigError

__all__ = [
    "DEFAULT_STATUSES",
    "SCENARIO_ORDER",
    "PlanStatus",
    "UncertaintyConfig",
    "parse_statuses",
]

#: Scenarios from narrow to wide; a status belongs to its own scenario and every wider one.
SCENARIO_ORDER: tuple[str, ...] = ("hard", "zacht", "alles")


@dataclass(frozen=True)
class PlanStatus:
    """Realisation assumption of one plan status.

    Examples
    --------
    >>> PlanStatus("zacht", scenario="zacht", kans=0.7, vertraging=(0.5, 0.5)).max_delay
    1
    """

    naam: str
    scenario: str = "alles"
    kans: float = 1.0
    vertraging: tuple[float, ...] = (1.0,)

    def __post_init__(self) -> None:
        where = f"status {self.naam!r}"
        if not self.naam or self.naam != self.naam.strip().lower():
            raise ConfigError(
                f"{where}: de naam moet tekst in kleine letters zijn, zonder spaties eromheen"
            )
        if self.scenario not in SCENARIO_ORDER:
            raise ConfigError(
                f"{where}: `scenario` is {self.scenario!r}; verwacht een van {list(SCENARIO_ORDER)}"
            )
        if not 0.0 <= self.kans <= 1.0 or math.isnan(self.kans):
            raise ConfigError(
                f"{where}: `kans` is {self.kans!r}; verwacht een fractie 0..1 (bijv. 0.75)"
            )
        delays = self.vertraging
        if not delays or any(not 0.0 <= p <= 1.0 for p in delays):
            raise ConfigError(
                f"{where}: `vertraging` is {list(delays)}; verwacht de kansen op 0, 1, 2, ... jaar "
                "vertraging, bijv. [0.6, 0.3, 0.1]"
            )
        if abs(sum(delays) - 1.0) > 1e-6:
            raise ConfigError(
                f"{where}: `vertraging` {list(delays)} telt op tot {sum(delays):.4g}; de kansen "
                "op 0, 1, 2, ... jaar vertraging moeten samen 1 zijn"
            )

    @property
    def max_delay(self) -> int:
        """The longest delay (years) with a non-zero probability."""
        return max(i for i, p in enumerate(self.vertraging) if p > 0)

    @property
    def certain(self) -> bool:
        """Realised for sure and on time."""
        return self.kans == 1.0 and self.max_delay == 0


#: Documented default assumptions (docs/prognosis.md); override per status in the config.
DEFAULT_STATUSES: dict[str, PlanStatus] = {
    "hard": PlanStatus("hard", scenario="hard", kans=1.0, vertraging=(1.0,)),
    "zacht": PlanStatus("zacht", scenario="zacht", kans=0.75, vertraging=(0.5, 0.3, 0.2)),
    "ambitie": PlanStatus("ambitie", scenario="alles", kans=0.4, vertraging=(0.3, 0.3, 0.2, 0.2)),
    "idee": PlanStatus("idee", scenario="alles", kans=0.4, vertraging=(0.3, 0.3, 0.2, 0.2)),
}

_STATUS_KEYS = {"scenario", "kans", "vertraging"}


def parse_statuses(table: Mapping[str, Any]) -> dict[str, PlanStatus]:
    """The default statuses updated with a ``[status.<naam>]`` TOML table.

    A known status keeps the defaults of the keys not given; a new one defaults to
    scenario ``alles``, kans 1 and no delay.

    Examples
    --------
    >>> s = parse_statuses({"zacht": {"kans": 0.5}, "in_procedure": {"scenario": "zacht"}})
    >>> s["zacht"].kans, s["zacht"].vertraging, s["in_procedure"].scenario
    (0.5, (0.5, 0.3, 0.2), 'zacht')
    """
    out = dict(DEFAULT_STATUSES)
    for raw_name, values in table.items():
        name = str(raw_name).strip().lower()
        if not isinstance(values, Mapping):
            raise ConfigError(f"status.{raw_name} moet een tabel zijn met {sorted(_STATUS_KEYS)}")
        unknown = sorted(set(values) - _STATUS_KEYS)
        if unknown:
            raise ConfigError(
                f"status.{raw_name}: onbekende sleutel(s) {unknown}; "
                f"verwacht {sorted(_STATUS_KEYS)}"
            )
        base = out.get(name, PlanStatus(name))
        try:
            delay = values.get("vertraging", base.vertraging)
            out[name] = PlanStatus(
                name,
                scenario=str(values.get("scenario", base.scenario)),
                kans=float(values.get("kans", base.kans)),
                vertraging=tuple(float(p) for p in delay),
            )
        except (TypeError, ValueError) as exc:
            if isinstance(exc, ConfigError):
                raise
            raise ConfigError(
                f"status.{raw_name}: `kans` moet een getal zijn en `vertraging` een lijst "
                "getallen, bijv. kans = 0.75, vertraging = [0.5, 0.3, 0.2]"
            ) from None
    return out


@dataclass(frozen=True)
class UncertaintyConfig:
    """Options of the Monte Carlo simulation (``[prognose.onzekerheid]``).

    Parameters
    ----------
    simulaties
        Number of simulations (default 10,000).
    seed
        Seed of the random generator: the same seed gives the same bands.
    percentielen
        The three percentiles of the band (default 10, 50, 90).

    Examples
    --------
    >>> UncertaintyConfig.from_dict({"simulaties": 500, "seed": 1}).simulaties
    500
    """

    simulaties: int = 10_000
    seed: int = 20200101
    percentielen: tuple[int, int, int] = (10, 50, 90)
    statussen: Mapping[str, PlanStatus] = field(default_factory=lambda: dict(DEFAULT_STATUSES))

    def __post_init__(self) -> None:
        if not 1 <= self.simulaties <= 1_000_000:
            raise ConfigError(
                f"`simulaties` is {self.simulaties!r}; verwacht een geheel getal 1..1000000"
            )
        lo, mid, hi = self.percentielen
        if not 0 <= lo <= mid <= hi <= 100:
            raise ConfigError(
                f"`percentielen` is {list(self.percentielen)}; verwacht drie oplopende "
                "getallen 0..100, bijv. [10, 50, 90]"
            )

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, statussen: Mapping[str, PlanStatus] | None = None
    ) -> UncertaintyConfig:
        """Build from the ``[prognose.onzekerheid]`` table."""
        known = {"simulaties", "seed", "percentielen"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(
                f"onzekerheid: onbekende sleutel(s) {unknown}; verwacht {sorted(known)}"
            )
        pct = tuple(int(p) for p in data.get("percentielen", (10, 50, 90)))
        if len(pct) != 3:
            raise ConfigError(
                f"onzekerheid: `percentielen` is {list(pct)}; verwacht er drie, bijv. [10, 50, 90]"
            )
        for key in ("simulaties", "seed"):
            value = data.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ConfigError(f"onzekerheid: `{key}` is {value!r}; verwacht een geheel getal")
        return cls(
            simulaties=int(data.get("simulaties", 10_000)),
            seed=int(data.get("seed", 20200101)),
            percentielen=(pct[0], pct[1], pct[2]),
            statussen=dict(statussen if statussen is not None else DEFAULT_STATUSES),
        )
