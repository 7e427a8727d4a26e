"""Command-line interface: one subcommand per stage, each a thin call into the library."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from geoprestatie import __version__
from geoprestatie.errors import DataWarning, GeoprestatieError


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn user-fixable errors into one clear line and data warnings into notes."""
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DataWarning)
            yield
    except GeoprestatieError as exc:
        raise click.ClickException(str(exc)) from None
    except FileNotFoundError as exc:
        raise click.ClickException(f"file not found: {exc.filename or exc}") from None
    finally:
        # re-emitted only after the recording context is closed
        for w in caught:
            if issubclass(w.category, DataWarning):
                click.echo(f"Let op: {w.message}", err=True)
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def _handled(func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _user_errors():
            return func(*args, **kwargs)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geoprestatie")
def main() -> None:
    """geoprestatie: data, priorities (SIA/DIA), prognoses and agreement monitoring
    per CBS buurt for Dutch housing performance agreements (prestatieafspraken)."""


@main.command()
@click.option(
    "--gemeente",
    default=None,
    help="Municipality name or GM code (case-insensitive); default: all in the file.",
)
@click.option(
    "--buurten",
    "buurten_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A CBS wijk- en buurtkaart file (GPKG, SHP, GeoJSON); default: embedded CBS 2022.",
)
@click.option("--layer", default=None, help="Layer in a multi-layer file.")
@click.option("--crs", default=None, help="CRS to assume when the file has none, e.g. EPSG:28992.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("maps/buurten.html"),
    show_default=True,
    help="HTML file to write.",
)
@_handled
def buurten(
    gemeente: str | None, buurten_file: Path | None, layer: str | None, crs: str | None, out: Path
) -> None:
    """Write an interactive map of CBS buurten (tooltips with name and code)."""
    from geoprestatie import datasets, maps
    from geoprestatie._atomic import write_text
    from geoprestatie.sources import read_buurten

    if buurten_file is None:
        gdf = datasets.load_buurten(gemeente)
    else:
        gdf = read_buurten(buurten_file, layer=layer, gemeente=gemeente, crs=crs)
    title = f"Buurten {gemeente}" if gemeente else "Buurten"
    m = maps.buurten_map(gdf, title=title)
    write_text(out, m.get_root().render())
    n_gem = gdf["gemeentecode"].nunique()
    click.echo(f"{len(gdf)} buurten in {n_gem} gemeente(n) -> {out}")


_DEMO = {
    "voorraad": "demo/voorraad_synthetisch.csv",
    "verkoop": "demo/verkoop_synthetisch.csv",
    "warmte": "demo/warmte_synthetisch.csv",
}


@main.command()
@click.option(
    "--buurten",
    "buurten_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A CBS wijk- en buurtkaart file; default: embedded CBS 2022.",
)
@click.option(
    "--gemeente",
    default=None,
    help="Municipality name or GM code; default Amersfoort with the embedded buurten.",
)
@click.option(
    "--voorraad",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Stock file (CSV/XLSX/GPKG), one row per dwelling.",
)
@click.option(
    "--verkoop",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Sales file (CSV/XLSX).",
)
@click.option(
    "--leefbaarometer",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Leefbaarometer per buurt (CSV/XLSX) or a GeoTIFF grid; default: the "
    "embedded real scores (province of Utrecht).",
)
@click.option(
    "--warmte",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Heat-transition plans per buurt/wijk (CSV/XLSX) or polygons (GPKG).",
)
@click.option(
    "--tolerantie",
    "tolerance_m",
    type=float,
    default=50.0,
    show_default=True,
    help="Metres within which a point outside all buurten goes to the nearest one.",
)
@click.option(
    "--huurjaar",
    "huur_jaar",
    type=int,
    default=2024,
    show_default=True,
    help="Year of the rent limits for the rent classes.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output/join"),
    show_default=True,
    help="Folder for buurttabel.gpkg, buurttabel.csv and niet_gekoppeld.csv.",
)
@_handled
def join(
    buurten_file: Path | None,
    gemeente: str | None,
    voorraad: Path | None,
    verkoop: Path | None,
    leefbaarometer: Path | None,
    warmte: Path | None,
    tolerance_m: float,
    huur_jaar: int,
    out: Path,
) -> None:
    """Join the parties' data to buurten, print the accounting, write the buurt table.

    Without any of --voorraad/--verkoop/--leefbaarometer/--warmte it runs on the
    SYNTHETISCHE demo data of Amersfoort (data/demo/).
    """
    from geoprestatie import datasets
    from geoprestatie._atomic import atomic_path
    from geoprestatie.join import JoinConfig, join_sources
    from geoprestatie.sources import (
        read_buurten,
        read_heat_plans,
        read_liveability,
        read_sales,
        read_stock,
    )

    demo = all(f is None for f in (voorraad, verkoop, leefbaarometer, warmte))
    if buurten_file is None:
        gemeente = gemeente or "Amersfoort"
        b = datasets.load_buurten(gemeente)
    else:
        b = read_buurten(buurten_file, gemeente=gemeente)
    if demo:
        names = set(b["gemeentenaam"].astype(str))
        if names != {"Amersfoort"}:
            raise click.UsageError(
                "the demo data (used when no --voorraad/--verkoop/--leefbaarometer/--warmte "
                f"is given) is for Amersfoort only; the buurten are of {sorted(names)}"
            )
        click.echo("Let op: SYNTHETISCHE demodata (data/demo/), niet voor beleid.")
        voorraad, verkoop, warmte = (datasets.data_path(_DEMO[k]) for k in _DEMO)
    config = JoinConfig(tolerance_m=tolerance_m, huur_jaar=huur_jaar)
    indicators = None
    gm = sorted(set(b["gemeentenaam"].astype(str)))
    try:
        indicators = datasets.load_indicators(gm[0]) if len(gm) == 1 else None
    except GeoprestatieError:
        indicators = None  # no embedded indicators for this municipality
    live = read_liveability(leefbaarometer, buurten=b) if leefbaarometer else None
    if live is None and indicators is not None:
        live, indicators = indicators, None
    result = join_sources(
        b,
        stock=read_stock(voorraad) if voorraad else None,
        sales=read_sales(verkoop) if verkoop else None,
        liveability=live,
        heat=read_heat_plans(warmte, buurten=b) if warmte else None,
        indicators=indicators,
        config=config,
    )
    click.echo(str(result.report))
    out.mkdir(parents=True, exist_ok=True)
    with atomic_path(out / "buurttabel.gpkg") as tmp:
        result.table.to_file(tmp, layer="buurten", driver="GPKG")
    with atomic_path(out / "buurttabel.csv") as tmp:
        result.table.drop(columns=result.table.geometry.name).to_csv(tmp, index=False)
    with atomic_path(out / "niet_gekoppeld.csv") as tmp:
        result.report.not_joined.to_csv(tmp, index=False)
    click.echo(f"{len(result.table)} buurten -> {out}/buurttabel.gpkg, buurttabel.csv")
