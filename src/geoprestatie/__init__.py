"""geoprestatie: Dutch housing performance agreements per CBS buurt.

Load CBS buurten and the parties' data, join them, prioritise buurten (SIA),
delineate investment areas (DIA), project the stock and check the agreements.

The submodules load on first use, so ``import geoprestatie as gp`` is cheap and a
notebook can write ``gp.pipeline.run(gp.config.demo_config())`` or ``gp.maps.sia_map(result)``
without importing each module.

Examples
--------
>>> import geoprestatie as gp
>>> gp.config.demo_config().name
'SIA Amersfoort (demo)'
>>> "maps" in dir(gp)
True
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

from geoprestatie._version import __version__

if TYPE_CHECKING:  # for type checkers and IDEs; at runtime they load in __getattr__
    from geoprestatie import (
        agreements,
        config,
        datasets,
        dia,
        errors,
        huur,
        join,
        output,
        pipeline,
        prognosis,
        result,
        sia,
        sources,
    )
    from geoprestatie.output import maps, plots, report

#: The public submodules by short name (``gp.maps``), imported on first attribute access.
_MODULES: dict[str, str] = {
    **{
        name: f"geoprestatie.{name}"
        for name in (
            "agreements",
            "config",
            "datasets",
            "dia",
            "errors",
            "huur",
            "join",
            "output",
            "pipeline",
            "prognosis",
            "result",
            "sia",
            "sources",
        )
    },
    # the renderers live in the output layer; notebooks keep writing gp.maps.sia_map(result)
    **{name: f"geoprestatie.output.{name}" for name in ("maps", "plots", "report")},
}
SUBMODULES: tuple[str, ...] = tuple(sorted(_MODULES))

__all__ = [
    "SUBMODULES",
    "__version__",
    "agreements",
    "config",
    "datasets",
    "dia",
    "errors",
    "huur",
    "join",
    "maps",
    "output",
    "pipeline",
    "plots",
    "prognosis",
    "report",
    "result",
    "sia",
    "sources",
]


def __getattr__(name: str) -> ModuleType:
    """Import a submodule on first use (``gp.maps``); other names raise AttributeError."""
    if name in _MODULES:
        module = importlib.import_module(_MODULES[name])
        globals()[name] = module  # later lookups skip __getattr__
        return module
    raise AttributeError(
        f"module {__name__!r} has no attribute {name!r}; submodules are {list(SUBMODULES)}"
    )


def __dir__() -> list[str]:
    return sorted({*globals(), *SUBMODULES})
