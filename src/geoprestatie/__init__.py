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
from importlib.metadata import PackageNotFoundError, version
from types import ModuleType
from typing import TYPE_CHECKING

try:
    __version__ = version("geoprestatie")
except PackageNotFoundError:  # running from a checkout without install
    __version__ = "0.0.0+unknown"

if TYPE_CHECKING:  # for type checkers and IDEs; at runtime they load in __getattr__
    from geoprestatie import (
        agreements,
        config,
        datasets,
        dia,
        errors,
        huur,
        join,
        maps,
        pipeline,
        plots,
        privacy,
        prognosis,
        report,
        sia,
        sources,
    )

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
    "pipeline",
    "plots",
    "privacy",
    "prognosis",
    "report",
    "sia",
    "sources",
]
#: The public submodules, imported on first attribute access.
SUBMODULES: tuple[str, ...] = tuple(n for n in __all__ if n not in {"SUBMODULES", "__version__"})


def __getattr__(name: str) -> ModuleType:
    """Import a submodule on first use (``gp.maps``); other names raise AttributeError."""
    if name in SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module  # later lookups skip __getattr__
        return module
    raise AttributeError(
        f"module {__name__!r} has no attribute {name!r}; submodules are {list(SUBMODULES)}"
    )


def __dir__() -> list[str]:
    return sorted({*globals(), *SUBMODULES})
