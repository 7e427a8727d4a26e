"""The run configuration: one TOML file that says which files to use and how each stage runs.

The run config only locates files and holds each stage's table; the stage configs
(:class:`geoprestatie.join.JoinConfig`, :class:`geoprestatie.sia.SiaConfig`, ...) parse their
own tables with ``from_dict``, so the CLI, the pipeline and a notebook share one object.
Relative paths are relative to the config file. Without a config, :func:`demo_config`
describes the embedded Amersfoort demo.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoprestatie._validate import read_toml
from geoprestatie.errors import ConfigError

__all__ = [
    "EMBEDDED",
    "SECTIONS",
    "RunConfig",
    "demo_config",
    "example_config_text",
    "load_config",
    "validate",
]

#: Known top-level tables and the keys that name files in them.
SECTIONS: dict[str, tuple[str, ...]] = {
    "project": (),
    "buurten": ("bestand",),
    "bronnen": (
        "voorraad",
        "verkoop",
        "leefbaarometer",
        "warmte",
        "indicatoren",
        "bag",
        "ep_online",
    ),
    "koppeling": (),
    "sia": ("criteria",),
    "dia": ("vorige",),
    "prognose": ("beginstand", "plannen", "programma", "behoefte", "realisaties"),
    "afspraken": (
        "bestand",
        "vorige",
        "toewijzingen",
        "geld",
        "acties",
        "kengetallen",
        "mutaties",
    ),
    "uitvoer": (),
}
#: Keys of the sections this module owns, with their type; the stage sections
#: ([koppeling], [sia], [dia], [prognose]) are checked by the stages' own ``from_dict``.
_OWN_KEYS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "project": {"naam": str, "synthetisch": bool, "datum": dt.date},
    "buurten": {"bestand": str, "laag": str, "gemeente": str, "crs": str},
    "bronnen": {**{k: str for k in SECTIONS["bronnen"]}, "corporatie": str},
    "afspraken": {
        "bestand": str,
        "jaar": int,
        "peildatum": dt.date,
        "vorige": str,
        "toewijzingen": str,
        "geld": str,
        "acties": str,
        "kengetallen": str,
        "mutaties": str,
        "voorraad_peil": dict,
    },
    "uitvoer": {
        "min_woningen": int,
        "individuele_woningen": bool,
        "csv": str,
        "cdn": bool,
        "pdf": bool,
        "rapport_gemeenten": int,
    },
}
#: File keys of stage sections, removed before the stage's ``from_dict`` sees the table.
_STAGE_FILE_KEYS = {
    "sia": ("criteria",),
    "dia": ("vorige",),
    "prognose": ("beginstand", "plannen", "peildatum", "programma", "behoefte", "realisaties"),
}
#: Keys that may hold an inline table instead of a file name.
_INLINE_OK = {("sia", "criteria")}
#: CSV dialects of ``[uitvoer] csv`` (see ``geoprestatie.output._sheets.DIALECTS``).
CSV_DIALECTS = ("nl", "internationaal")
#: Values of ``[bronnen] indicatoren`` that mean the embedded CBS/Leefbaarometer indicators.
EMBEDDED = ("ingebouwd", "embedded")


@dataclass(frozen=True)
class RunConfig:
    """Everything a run needs, with file paths resolved.

    Attributes
    ----------
    tables
        The TOML tables by section name (paths already resolved to absolute ``Path``).
    source
        The config file, or ``None`` for the embedded demo.
    """

    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Path | None = None

    def section(self, name: str) -> dict[str, Any]:
        """The table of a section (empty when absent)."""
        if name not in SECTIONS:
            raise ConfigError(f"onbekende sectie {name!r}; bekende secties zijn {list(SECTIONS)}")
        return dict(self.tables.get(name, {}))

    def path(self, section: str, key: str) -> Path | None:
        """A file named in the config, or ``None`` when not given."""
        value = self.section(section).get(key)
        return Path(value) if value is not None else None

    @property
    def name(self) -> str:
        """The project name shown in titles."""
        return str(self.section("project").get("naam", "geoprestatie"))

    @property
    def date(self) -> dt.date:
        """The run's date on every output (report, workbook, GeoPackage, PDF).

        ``[project] datum`` if given, else the ``SOURCE_DATE_EPOCH`` environment variable
        (seconds since 1970, the reproducible-builds convention), else today. With either
        of the first two the same inputs give byte-identical files on any day.
        """
        given = self.section("project").get("datum")
        if isinstance(given, dt.date):
            return given if not isinstance(given, dt.datetime) else given.date()
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        return dt.date.today()

    @property
    def synthetic(self) -> bool:
        """Whether (part of) the data is synthetic: every output then says so."""
        return bool(self.section("project").get("synthetisch", False))


def _resolve(tables: dict[str, Any], base: Path, where: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, table in tables.items():
        if name not in SECTIONS:
            raise ConfigError(
                f"{where}: onbekende sectie [{name}]; verwacht een van {list(SECTIONS)}"
            )
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: [{name}] moet een tabel zijn, maar is {table!r}")
        resolved = dict(table)
        for key in SECTIONS[name]:
            value = resolved.get(key)
            if value is None or ((name, key) in _INLINE_OK and not isinstance(value, str)):
                continue  # e.g. [sia] criteria given inline as a list of tables
            if name == "bronnen" and key == "indicatoren" and value in EMBEDDED:
                resolved[key] = "ingebouwd"
                continue
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(
                    f"{where}: [{name}] {key} is {value!r} maar moet een bestandsnaam (tekst) zijn"
                )
            path = Path(value).expanduser()
            path = path if path.is_absolute() else (base / path)
            if not path.exists():
                raise ConfigError(f"{where}: [{name}] {key}: bestand niet gevonden: {path}")
            resolved[key] = path.resolve()
        out[name] = resolved
    return out


def _type_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "tekst",
        bool: "true of false",
        int: "een geheel getal",
        dt.date: "een datum als 2023-06-30",
        dict: "een tabel",
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " of ".join(names.get(k, k.__name__) for k in kinds)


def validate(config: RunConfig, *, where: str) -> None:
    """Check every section before a run: unknown keys, wrong types, stage configs.

    Raises
    ------
    ConfigError
        Naming the file, the section, the key, the value and what is allowed.
    """
    for name, keys in _OWN_KEYS.items():
        table = config.tables.get(name, {})
        unknown = sorted(set(table) - set(keys))
        if unknown:
            raise ConfigError(
                f"{where}: [{name}] heeft onbekende sleutel(s) {unknown}; "
                f"geldig zijn {sorted(keys)}"
            )
        for key, kind in keys.items():
            value = table.get(key)
            if value is None or isinstance(value, Path):
                continue
            # bool is an int in Python: a TOML true is no number, a number no boolean
            wrong = isinstance(value, bool) != (kind is bool) or not isinstance(value, kind)
            if wrong:
                raise ConfigError(
                    f"{where}: [{name}] {key} is {value!r} maar moet {_type_name(kind)} zijn"
                )
    minimum = config.tables.get("uitvoer", {}).get("min_woningen")
    if minimum is not None and minimum < 1:
        raise ConfigError(
            f"{where}: [uitvoer] min_woningen is {minimum} maar moet >= 1 zijn: gepubliceerde "
            "uitvoer laat cijfers van buurten met te weinig woningen altijd weg"
        )
    detail = config.tables.get("uitvoer", {}).get("rapport_gemeenten")
    if detail is not None and detail < 0:
        raise ConfigError(
            f"{where}: [uitvoer] rapport_gemeenten is {detail} maar moet >= 0 zijn (boven dit "
            "aantal gemeenten vat het rapport samen per gemeente)"
        )
    dialect = config.tables.get("uitvoer", {}).get("csv")
    if dialect is not None and dialect not in CSV_DIALECTS:
        raise ConfigError(
            f"{where}: [uitvoer] csv is {dialect!r} maar moet een van {list(CSV_DIALECTS)} zijn "
            "(nl: ; en decimale komma voor Nederlandse Excel; internationaal: , en punt)"
        )
    _validate_stages(config, where=where)


def _validate_stages(config: RunConfig, *, where: str) -> None:
    """Build each stage config once, so that its errors come before any work is done."""
    from geoprestatie import dia, join, prognosis

    def stage_table(name: str) -> dict[str, Any]:
        table = dict(config.tables.get(name, {}))
        for key in _STAGE_FILE_KEYS.get(name, ()):
            table.pop(key, None)
        return table

    checks = (
        ("koppeling", join.JoinConfig.from_dict),
        ("dia", dia.DiaConfig.from_dict),
        ("prognose", prognosis.PrognosisConfig.from_dict),
    )
    for name, build in checks:
        try:
            build(stage_table(name))
        except ConfigError as exc:
            raise ConfigError(f"{where}: [{name}] {exc}") from None
    # [sia] is checked by the pipeline against the buurt table's columns


def load_config(path: str | Path) -> RunConfig:
    """Read a run config (TOML); paths in it are relative to the file.

    Raises
    ------
    ConfigError
        Invalid TOML (with line), an unknown section, a missing file (naming key and path).
    """
    path = Path(path)
    data = read_toml(path, what="runconfiguratie")
    config = RunConfig(_resolve(data, path.parent, str(path)), source=path.resolve())
    validate(config, where=str(path))
    return config


def demo_config() -> RunConfig:
    """The embedded Amersfoort demo: real CBS buurten and Leefbaarometer, synthetic stock.

    Examples
    --------
    >>> cfg = demo_config()
    >>> cfg.synthetic, cfg.section("buurten")["gemeente"], cfg.section("bronnen")["indicatoren"]
    (True, 'Amersfoort', 'ingebouwd')
    """
    from geoprestatie.datasets import data_path

    demo = data_path("demo")
    text = DEMO_TEMPLATE.read_text(encoding="utf-8").replace("{demo}", demo.as_posix())
    config = RunConfig(_resolve(tomllib.loads(text), demo, "demo config"), source=None)
    validate(config, where="demo config")
    return config


#: The commented example config (``geoprestatie init``); ``{demo}`` is the demo data folder.
DEMO_TEMPLATE = Path(__file__).with_name("voorbeeld_config.toml")


def example_config_text() -> str:
    """The commented example config, pointing at the embedded demo files (runs as is)."""
    from geoprestatie.datasets import data_path

    return DEMO_TEMPLATE.read_text(encoding="utf-8").replace("{demo}", data_path("demo").as_posix())
