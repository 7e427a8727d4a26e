"""Readers, one per source, each returning the canonical schema."""

from geoprestatie.sources.buurten import BUURT_COLUMNS, read_buurten

__all__ = ["BUURT_COLUMNS", "read_buurten"]
