"""The run configuration: one TOML file that says which files to use and how each stage runs.

The run config only locates files and holds each stage's table; the stage configs
(:class:`geoprestatie.join.JoinConfig`, :class:`geoprestatie.sia.SiaConfig`, ...) parse their
own tables with ``from_dict``, so the CLI, the pipeline and a notebook share one object.
Relative paths are relative to the config file. Without a config, :func:`demo_config`
describes the embedded Amersfoort demo.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoprestatie.errors import ConfigError

__all__ = ["EMBEDDED", "SECTIONS", "RunConfig", "demo_config", "example_config_text", "load_config"]

#: Known top-level tables and the keys that name files in them.
SECTIONS: dict[str, tuple[str, ...]] = {
    "project": (),
    "buurten": ("bestand",),
    "bronnen": ("voorraad", "verkoop", "leefbaarometer", "warmte", "indicatoren"),
    "koppeling": (),
    "sia": ("criteria",),
    "dia": ("vorige",),
    "prognose": ("beginstand", "plannen"),
    "afspraken": ("bestand",),
    "uitvoer": (),
}
#: Keys that may hold an inline table instead of a file name.
_INLINE_OK = {("sia", "criteria")}
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
            raise ConfigError(f"unknown section {name!r}; known sections are {list(SECTIONS)}")
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
    def synthetic(self) -> bool:
        """Whether (part of) the data is synthetic: every output then says so."""
        return bool(self.section("project").get("synthetisch", False))


def _resolve(tables: dict[str, Any], base: Path, where: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, table in tables.items():
        if name not in SECTIONS:
            raise ConfigError(
                f"{where}: unknown section [{name}]; expected one of {list(SECTIONS)}"
            )
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: [{name}] must be a table, got {table!r}")
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
                    f"{where}: [{name}] {key} was {value!r} but must be a file path (text)"
                )
            path = Path(value).expanduser()
            path = path if path.is_absolute() else (base / path)
            if not path.exists():
                raise ConfigError(f"{where}: [{name}] {key}: file not found: {path}")
            resolved[key] = path.resolve()
        out[name] = resolved
    return out


def load_config(path: str | Path) -> RunConfig:
    """Read a run config (TOML); paths in it are relative to the file.

    Raises
    ------
    ConfigError
        Invalid TOML (with line), an unknown section, a missing file (naming key and path).
    """
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"config file not found: {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text: {exc}") from None
    return RunConfig(_resolve(data, path.parent, str(path)), source=path.resolve())


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
    return RunConfig(_resolve(tomllib.loads(text), demo, "demo config"), source=None)


#: The commented example config (``geoprestatie init``); ``{demo}`` is the demo data folder.
DEMO_TEMPLATE = Path(__file__).with_name("voorbeeld_config.toml")


def example_config_text() -> str:
    """The commented example config, pointing at the embedded demo files (runs as is)."""
    from geoprestatie.datasets import data_path

    return DEMO_TEMPLATE.read_text(encoding="utf-8").replace("{demo}", data_path("demo").as_posix())
