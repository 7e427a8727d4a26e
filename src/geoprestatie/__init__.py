"""geoprestatie: Dutch housing performance agreements per CBS buurt.

Load CBS buurten and the parties' data, join them, prioritise buurten (SIA),
delineate investment areas (DIA), project the stock and check the agreements.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("geoprestatie")
except PackageNotFoundError:  # running from a checkout without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
