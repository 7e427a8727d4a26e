"""QGIS layer styles inside a GeoPackage (private; used by ``gpkg``).

A QGIS style (QML) per layer, stored as the layer's default in the ``layer_styles`` table
that QGIS itself reads and writes (the QGIS OGR provider's ``saveStyle``: an attribute
table with ``f_table_catalog``, ``f_table_schema``, ``f_table_name``, ``f_geometry_column``,
``styleName``, ``styleQML``, ``styleSLD``, ``useAsDefault``, ``description``, ``owner``,
``ui``, ``update_time``; QGIS loads the row with ``useAsDefault = 1`` when the layer is
opened). Each QML holds a rule-based renderer (the classes and colours of the web map) and
the Dutch field aliases (``<aliases>``). The XML is built with :mod:`xml.etree`, so every
label and alias is escaped.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd
from matplotlib.colors import to_rgba

__all__ = ["Rule", "layer_styles", "qml", "write_styles"]

#: The QGIS version whose QML layout is written (3.28 LTR reads and writes this form).
QGIS_VERSION = "3.28.0-Firenze"


@dataclass(frozen=True)
class Rule:
    """One rule of a rule-based renderer: features matching ``expression`` get this symbol.

    ``fill`` is a colour (``"#ffeda0"``) or ``None`` for no fill (an outline only);
    ``expression`` a QGIS expression or ``"ELSE"`` (features no other rule matched).
    """

    label: str
    expression: str
    fill: str | None
    outline: str = "#6e6e6e"
    outline_width: float = 0.2
    outline_style: str = "solid"


def _rgba(colour: str) -> str:
    r, g, b, a = (round(255 * v) for v in to_rgba(colour))
    return f"{r},{g},{b},{a}"


def _options(parent: ET.Element, values: Mapping[str, str]) -> None:
    box = ET.SubElement(parent, "Option", type="Map")
    for name, value in values.items():
        ET.SubElement(box, "Option", type="QString", name=name, value=value)


def _symbol(parent: ET.Element, name: str, rule: Rule) -> None:
    symbol = ET.SubElement(
        parent,
        "symbol",
        type="fill",
        name=name,
        alpha="1",
        clip_to_extent="1",
        force_rhr="0",
    )
    layer = ET.SubElement(symbol, "layer", {"class": "SimpleFill"}, enabled="1", locked="0")
    layer.set("pass", "0")
    _options(
        layer,
        {
            "color": _rgba(rule.fill) if rule.fill else "255,255,255,0",
            "style": "solid" if rule.fill else "no",
            "outline_color": _rgba(rule.outline),
            "outline_style": rule.outline_style,
            "outline_width": f"{rule.outline_width:g}",
            "outline_width_unit": "MM",
            "joinstyle": "bevel",
        },
    )


def qml(rules: Sequence[Rule], aliases: Mapping[str, str]) -> str:
    """A QGIS style document for a polygon layer: rule-based symbols and field aliases.

    Examples
    --------
    >>> text = qml([Rule("hoog", '"x" > 1', "#ff0000"), Rule("rest", "ELSE", None)],
    ...            {"x": "Waarde <x>"})
    >>> root = ET.fromstring(text.split("\\n", 1)[1])
    >>> [r.get("label") for r in root.iter("rule")], root.find("aliases/alias").get("name")
    (['hoog', 'rest'], 'Waarde <x>')
    """
    root = ET.Element("qgis", version=QGIS_VERSION, styleCategories="AllStyleCategories")
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        type="RuleRenderer",
        symbollevels="0",
        enableorderby="0",
        forceraster="0",
    )
    tree = ET.SubElement(renderer, "rules", key="{geoprestatie-root}")
    symbols = ET.SubElement(renderer, "symbols")
    for i, rule in enumerate(rules):
        ET.SubElement(
            tree,
            "rule",
            key=f"{{geoprestatie-{i}}}",
            symbol=str(i),
            label=rule.label,
            filter=rule.expression,
        )
        _symbol(symbols, str(i), rule)
    box = ET.SubElement(root, "aliases")
    for i, (field, alias) in enumerate(aliases.items()):
        ET.SubElement(box, "alias", field=field, index=str(i), name=alias)
    ET.SubElement(root, "layerGeometryType").text = "2"
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body


def quote_field(name: str) -> str:
    """A field name as a QGIS expression identifier: ``"naam"`` (quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


def class_rules(
    field: str,
    bins: Sequence[float],
    lower: float,
    labels: Sequence[str],
    colours: Sequence[str],
) -> list[Rule]:
    """One rule per class of ``field``: ``lower <= x <= bins[0]``, then ``bins[i-1] < x <=
    bins[i]`` (the classes of :func:`mapclassify` and the web map).

    Examples
    --------
    >>> [r.expression for r in class_rules("s", [10, 20], 0, ["a", "b"], ["#fff", "#000"])]
    ['"s" >= 0 AND "s" <= 10', '"s" > 10 AND "s" <= 20']
    """
    f = quote_field(field)
    rules = []
    edges = [lower, *bins]
    for i, (label, colour) in enumerate(zip(labels, colours, strict=True)):
        lo, hi = edges[i], edges[i + 1]
        op = ">=" if i == 0 else ">"
        rules.append(Rule(label, f"{f} {op} {lo!r} AND {f} <= {hi!r}", colour))
    return rules


def layer_styles(styles: Mapping[str, tuple[str, str]], geometry_column: str) -> pd.DataFrame:
    """The rows of the ``layer_styles`` table: ``layer -> (qml, description)``."""
    now = dt.datetime(2000, 1, 1)  # fixed: the same inputs give the same file
    rows = [
        {
            "f_table_catalog": "",
            "f_table_schema": "",
            "f_table_name": layer,
            "f_geometry_column": geometry_column,
            "styleName": f"geoprestatie {layer}"[:30],
            "styleQML": text,
            "styleSLD": "",
            "useAsDefault": True,
            "description": description,
            "owner": "",
            "ui": "",
            "update_time": now,
        }
        for layer, (text, description) in styles.items()
    ]
    return pd.DataFrame(rows)


def geometry_column(gpkg: Path, layer: str) -> str:
    """The geometry column of a GeoPackage layer (``gpkg_geometry_columns``)."""
    with sqlite3.connect(gpkg) as con:
        row = con.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)
        ).fetchone()
    return str(row[0]) if row else "geom"


def write_styles(gpkg: Path, styles: Mapping[str, tuple[str, str]]) -> None:
    """Add a ``layer_styles`` table with one default style per layer (``layer -> (qml,
    description)``), as QGIS does: an attribute table registered in ``gpkg_contents``."""
    import pyogrio

    if not styles:
        return
    column = geometry_column(gpkg, next(iter(styles)))
    pyogrio.write_dataframe(
        layer_styles(styles, column),
        gpkg,
        layer="layer_styles",
        driver="GPKG",
        append=False,
    )
