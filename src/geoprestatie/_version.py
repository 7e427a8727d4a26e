"""The installed version of geoprestatie (one place, so modules need not import the package)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("geoprestatie")
except PackageNotFoundError:  # running from a checkout without install
    __version__ = "0.0.0+unknown"
