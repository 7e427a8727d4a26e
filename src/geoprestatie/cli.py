"""Command-line interface: one subcommand per stage, each a thin call into the library."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from geoprestatie._version import __version__
from geoprestatie.errors import DataWarning, GeoprestatieError


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn user-fixable errors into one clear line; print data warnings as they happen."""
    original = warnings.showwarning

    def show(message: Any, category: Any, filename: Any, lineno: Any, *args: Any) -> None:
        if issubclass(category, DataWarning):
            click.echo(f"Let op: {message}", err=True)
        else:
            original(message, category, filename, lineno, *args)

    with warnings.catch_warnings():
        warnings.simplefilter("always", DataWarning)
        warnings.showwarning = show  # type: ignore[assignment]
        try:
            yield
        except GeoprestatieError as exc:
            raise click.ClickException(str(exc)) from None
        except FileNotFoundError as exc:
            raise click.ClickException(f"file not found: {exc.filename or exc}") from None


def _handled(func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _user_errors():
            return func(*args, **kwargs)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _buurten_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options that choose the buurten, shared by every command that needs them."""
    options = (
        click.option(
            "--buurten",
            "buurten_file",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="A CBS wijk- en buurtkaart file (GPKG, SHP, GeoJSON; 2018+); "
            "default: the embedded CBS 2022 buurten.",
        ),
        click.option(
            "--gemeente",
            default=None,
            help="Municipality name or GM code (case-insensitive); default: all buurten.",
        ),
        click.option("--layer", default=None, help="Layer of a multi-layer buurten file."),
        click.option(
            "--crs",
            default=None,
            help="CRS to assume when the buurten file has none, e.g. EPSG:28992.",
        ),
    )
    for option in reversed(options):
        func = option(func)
    return func


def _load_buurten(
    buurten_file: Path | None, gemeente: str | None, layer: str | None, crs: str | None
) -> Any:
    """The buurten chosen by :func:`_buurten_options`."""
    from geoprestatie import datasets
    from geoprestatie.sources import read_buurten

    if buurten_file is None:
        return datasets.load_buurten(gemeente)
    return read_buurten(buurten_file, layer=layer, gemeente=gemeente, crs=crs)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geoprestatie")
def main() -> None:
    """geoprestatie: data, priorities (SIA/DIA), prognoses and agreement monitoring
    per CBS buurt for Dutch housing performance agreements (prestatieafspraken)."""


@main.command()
@_buurten_options
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("maps/buurten.html"),
    show_default=True,
    help="HTML file to write.",
)
@_handled
def buurten(
    buurten_file: Path | None, gemeente: str | None, layer: str | None, crs: str | None, out: Path
) -> None:
    """Write an interactive map of CBS buurten (tooltips with name and code)."""
    from geoprestatie._atomic import write_text
    from geoprestatie.output import maps

    gdf = _load_buurten(buurten_file, gemeente, layer, crs)
    title = f"Buurten {gemeente}" if gemeente else "Buurten"
    m = maps.buurten_map(gdf, title=title)
    write_text(out, m.get_root().render())
    n_gem = gdf["gemeentecode"].nunique()
    click.echo(f"{len(gdf)} buurten in {n_gem} gemeente(n) -> {out}")


@main.command()
@click.option(
    "--beginstand",
    "start_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Start stock table (CSV/XLSX): corporatie, [buurtcode], aantal, [peildatum].",
)
@click.option(
    "--plannen",
    "plans_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Mutation plans (CSV/XLSX): corporatie, jaar, mutatie, aantal, [buurtcode, "
    "zekerheid, tijdelijk].",
)
@click.option(
    "--scenario",
    type=click.Choice(["hard", "zacht", "alles"]),
    default=None,
    help="hard (default); zacht = hard + zacht; alles = hard + zacht + ambitie.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="TOML with a [prognose] table: scenario, eindjaar, huurstijging, [[prognose.doelen]], "
    "[prognose.huurgrenzen.<jaar>]. Options given on the command line win.",
)
@click.option(
    "--voorraad",
    "stock_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Stock file (CSV/XLSX/GPKG, one row per dwelling, with huurprijs; as for `join`) "
    "for the prognosis per rent class.",
)
@click.option("--peildatum", default=None, help="Date of the start stock if the file has none.")
@click.option("--eindjaar", type=int, default=None, help="Last year (default: last plan year).")
@_buurten_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("prognose"),
    show_default=True,
    help="Output folder.",
)
@_handled
def prognose(
    start_file: Path,
    plans_file: Path,
    scenario: str | None,
    config_file: Path | None,
    stock_file: Path | None,
    peildatum: str | None,
    eindjaar: int | None,
    buurten_file: Path | None,
    gemeente: str | None,
    layer: str | None,
    crs: str | None,
    out: Path,
) -> None:
    """Project the stock per corporation (and buurt) per year from mutation plans.

    Writes prognose.csv and prognose.xlsx (sheets prognose, per_corporatie, totaal,
    samenvatting, and doelen / huurklassen when asked), samenvatting.csv, doelen.csv (targets
    from --config), huurklassen.csv (with --voorraad) and, when buurtcodes are given, one map
    per year in kaarten/.

    Demo (synthetisch, with the real Amersfoort 2022-2023 plan totals): --beginstand
    data/demo/beginstand_amersfoort.csv --plannen data/demo/plannen_amersfoort_2022_2023.csv.
    """
    import dataclasses
    import tomllib

    import pandas as pd

    from geoprestatie import prognosis as pg
    from geoprestatie._atomic import atomic_path, write_text
    from geoprestatie.errors import ConfigError

    config = pg.PrognosisConfig()
    if config_file is not None:
        try:
            data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_file}: invalid TOML: {exc}") from None
        config = pg.PrognosisConfig.from_dict(data.get("prognose", {}))
    if scenario is not None:
        config = dataclasses.replace(config, scenario=scenario)
    if eindjaar is not None:
        config = dataclasses.replace(config, eindjaar=eindjaar)
    scenario = config.scenario

    start = pg.read_start_stock(start_file, peildatum=peildatum)
    plans = pg.read_mutation_plans(plans_file)
    result = pg.project(start, plans, config=config)
    per_corp = pg.aggregate(result, by=("corporatie",))
    total = pg.aggregate(result, by=())
    summary = pg.summary_table(result)
    extra: dict[str, pd.DataFrame] = {}
    if config.targets:
        extra["doelen"] = pg.target_gaps(result, config=config)
    if stock_file is not None:
        from geoprestatie.sources import read_stock

        # rows the reader sets aside are named in a DataWarning ("Let op: ...")
        stock = read_stock(stock_file)
        extra["huurklassen"] = pg.rent_class_prognosis(stock, result, plans, config=config)

    out.mkdir(parents=True, exist_ok=True)
    with atomic_path(out / "prognose.csv") as tmp:
        result.to_csv(tmp, index=False)
    with atomic_path(out / "samenvatting.csv") as tmp:
        summary.to_csv(tmp)
    with atomic_path(out / "prognose.xlsx") as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xw:
        result.to_excel(xw, sheet_name="prognose", index=False)
        per_corp.to_excel(xw, sheet_name="per_corporatie", index=False)
        total.to_excel(xw, sheet_name="totaal", index=False)
        summary.to_excel(xw, sheet_name="samenvatting")
        for name, frame in extra.items():
            frame.to_excel(xw, sheet_name=name, index=False)
    for name, frame in extra.items():
        with atomic_path(out / f"{name}.csv") as tmp:
            frame.to_csv(tmp, index=False)
    # the demo data marks itself synthetisch (column herkomst): say so on every map
    synthetic = any(b"synthetisch" in f.read_bytes().lower() for f in (start_file, plans_file))
    title_suffix = " (synthetische gegevens)" if synthetic else ""
    maps_written = 0
    if "buurtcode" in result.columns and result["buurtcode"].notna().any():
        from geoprestatie.output.maps import prognose_map

        codes = set(result["buurtcode"].dropna().astype(str))
        buurten = _load_buurten(buurten_file, gemeente, layer, crs)
        buurten = buurten[buurten["buurtcode"].isin(codes)]
        if buurten.empty:
            click.echo(
                "Let op: geen van de buurtcodes staat in de buurtenkaart; geen kaarten", err=True
            )
        else:
            for year in sorted(set(result["jaar"].astype(int))):
                m = prognose_map(
                    result,
                    buurten,
                    years=[year],
                    title=f"Prognose sociale huurvoorraad {year}{title_suffix}",
                )
                write_text(out / "kaarten" / f"prognose_{year}.html", m.get_root().render())
                maps_written += 1
    years = sorted(set(result["jaar"].astype(int)))
    click.echo(
        f"prognose {years[0]}-{years[-1]} (scenario {scenario}), {result['corporatie'].nunique()} "
        f"corporatie(s), {len(result)} rijen -> {out}/prognose.csv, prognose.xlsx"
        + (f", {maps_written} kaart(en)" if maps_written else "")
        + "".join(f", {name}.csv" for name in extra)
    )
    if synthetic:
        click.echo("Let op: de invoer bevat synthetische gegevens (zie de bestanden)", err=True)
    click.echo(summary.to_string())


def _rejected_rows(*frames: Any) -> Any:
    """The rows the readers set aside (``attrs["afgewezen"]``), one table for all files."""
    import pandas as pd

    from geoprestatie.sources._tabular import ATTR_REJECTED, REJECT_COLUMNS

    records = [r for f in frames if f is not None for r in f.attrs.get(ATTR_REJECTED, [])]
    table = pd.DataFrame(records, columns=list(REJECT_COLUMNS))
    table["bron_rij"] = table["bron_rij"].astype("Int64")
    return table


@main.command()
@click.option(
    "--afspraken",
    "agreements_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Agreements file (TOML, [[afspraak]] tables).",
)
@click.option(
    "--voorraad",
    "stock_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Stock file (CSV/XLSX/GPKG), one row per dwelling, as for `join`.",
)
@click.option(
    "--verkoop",
    "sales_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Sales file (CSV/XLSX/GPKG): vhe_id, jaar, status; as for `join`.",
)
@click.option(
    "--prognose",
    "prognosis_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="prognose.csv written by `geoprestatie prognose`.",
)
@click.option(
    "--jaar",
    type=int,
    default=None,
    help="Monitored year: rent limits (huurgrens) of this year are used.",
)
@_buurten_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("monitor"),
    show_default=True,
    help="Output folder.",
)
@_handled
def monitor(
    agreements_file: Path,
    stock_file: Path | None,
    sales_file: Path | None,
    prognosis_file: Path | None,
    jaar: int | None,
    buurten_file: Path | None,
    gemeente: str | None,
    layer: str | None,
    crs: str | None,
    out: Path,
) -> None:
    """Check the agreements (stoplicht: groen/oranje/rood/onbekend).

    Writes monitor.csv, monitor.md, monitor.html, overtredingen.csv (the offending
    records per afspraak) and afgewezen.csv (input rows the readers could not use: file,
    row, reason). Rules whose data is not given are reported as onbekend.

    Demo (synthetisch): --afspraken, --voorraad, --verkoop from data/demo/ with a prognosis
    of data/demo/plannen_amersfoort_2022_2023.csv and --jaar 2023.
    """
    from geoprestatie import agreements as ag
    from geoprestatie._atomic import atomic_path
    from geoprestatie.output.monitor import write_monitor
    from geoprestatie.prognosis import read_prognosis
    from geoprestatie.sources import read_sales, read_stock

    rules = ag.read_agreements(agreements_file)
    # rows a reader sets aside are named in a DataWarning ("Let op: ...", one line per file);
    # the stock and sales are joined to the buurten as in `run`, so both monitor the same
    # dwellings, and every row not used is written to afgewezen.csv (file, row, reason)
    stock = read_stock(stock_file) if stock_file else None
    sales = read_sales(sales_file) if sales_file else None
    rejected = _rejected_rows(stock, sales)
    if stock is not None or sales is not None:
        from geoprestatie.join import join_sources

        buurten = _load_buurten(buurten_file, gemeente, layer, crs)
        joined = join_sources(buurten, stock=stock, sales=sales)
        stock, sales = joined.usable("voorraad"), joined.usable("verkoop")
        rejected = joined.report.not_joined.drop(columns="bron")
    prognosis = read_prognosis(prognosis_file) if prognosis_file else None
    result = ag.monitor(rules, stock=stock, sales=sales, prognosis=prognosis, jaar=jaar)
    write_monitor(result, out)
    with atomic_path(out / "afgewezen.csv") as tmp:
        rejected.to_csv(tmp, index=False)
    counts = result.table["status"].value_counts()
    click.echo(
        f"{len(rules)} afspraken: "
        + ", ".join(f"{s} {int(counts.get(s, 0))}" for s in ag.STATUSES)
        + f" -> {out}/monitor.csv, monitor.md, monitor.html"
        + (f", afgewezen.csv ({len(rejected)} rij(en) niet gebruikt)" if len(rejected) else "")
    )


_DEMO = {
    "voorraad": "demo/voorraad_synthetisch.csv",
    "verkoop": "demo/verkoop_synthetisch.csv",
    "warmte": "demo/warmte_synthetisch.csv",
}


@main.command()
@_buurten_options
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
    layer: str | None,
    crs: str | None,
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
    SYNTHETISCHE demo data of Amersfoort (data/demo/). With the embedded buurten and no
    --gemeente, the buurten of Amersfoort are used.
    """
    from geoprestatie import datasets
    from geoprestatie._atomic import atomic_path
    from geoprestatie.join import JoinConfig, join_sources
    from geoprestatie.sources import (
        read_heat_plans,
        read_liveability,
        read_sales,
        read_stock,
    )

    demo = all(f is None for f in (voorraad, verkoop, leefbaarometer, warmte))
    if buurten_file is None and gemeente is None:
        gemeente = "Amersfoort"  # the embedded demo data is of Amersfoort
    b = _load_buurten(buurten_file, gemeente, layer, crs)
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


def _write_table(frame: Any, target: Path) -> Path:
    """Write a (Geo)DataFrame atomically: GPKG (one layer, named after the file) or CSV."""
    from geoprestatie._atomic import atomic_path

    with atomic_path(target) as tmp:
        if target.suffix == ".gpkg":
            tmp.unlink()  # GDAL creates the GeoPackage itself
            frame.to_file(tmp, layer=target.stem, driver="GPKG")
        else:
            plain = frame.drop(columns="geometry") if "geometry" in frame.columns else frame
            plain.to_csv(tmp, index=False)
    return target


@main.command()
@click.option(
    "--tabel",
    "table_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    required=True,
    help="Buurt table (GPKG or other vector file), one row per buurt.",
)
@click.option("--layer", default=None, help="Layer in a multi-layer file.")
@click.option(
    "--criteria",
    "criteria_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="TOML with [sia] criteria and [dia] settings; default: the shipped default set.",
)
@click.option(
    "--vorige-dia",
    "previous",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="An earlier dia_gebieden.gpkg/.csv (or buurtcode,dia_id CSV) to compare with.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("uitvoer/sia"),
    show_default=True,
    help="Output folder.",
)
@_handled
def sia(
    table_file: Path,
    layer: str | None,
    criteria_file: Path | None,
    previous: Path | None,
    out: Path,
) -> None:
    """Prioritise buurten (SIA) and delineate investment areas (DIA).

    Writes sia_buurten (scores, ranks, contributions, robustness, DIA per buurt),
    dia_gebieden (dissolved DIAs with aggregates) as GPKG and CSV, the one-at-a-time
    weight sweep and, with --vorige-dia, the comparison with the earlier DIAs.
    """
    import geopandas as gpd

    from geoprestatie import dia as dia_mod
    from geoprestatie import sia as sia_mod
    from geoprestatie._validate import to_rd_new

    if criteria_file is None:
        criteria_file = sia_mod.DEFAULT_CRITERIA_TOML
    sia_cfg = sia_mod.SiaConfig.from_toml(criteria_file)
    dia_cfg = dia_mod.DiaConfig.from_toml(criteria_file)
    table = to_rd_new(gpd.read_file(table_file, layer=layer), source=table_file)
    prioritised = sia_mod.prioritise(table, sia_cfg)
    result = dia_mod.delineate(prioritised, dia_cfg)
    sweep = sia_mod.weight_sweep(table, sia_cfg)

    written = [
        _write_table(result.buurten, out / "sia_buurten.gpkg"),
        _write_table(result.buurten, out / "sia_buurten.csv"),
        _write_table(result.areas, out / "dia_gebieden.csv"),
        _write_table(sweep, out / "sia_gewichtsgevoeligheid.csv"),
    ]
    if len(result.areas):
        written.append(_write_table(result.areas, out / "dia_gebieden.gpkg"))
    if previous is not None:
        cmp = dia_mod.compare_dia(dia_mod.read_dia_set(previous), result)
        written.append(_write_table(cmp, out / "dia_vergelijking.csv"))

    b = result.buurten
    click.echo(
        f"{int(b['sia_geschikt'].sum())} van {len(b)} buurten geschikt; "
        f"{int(b['robuust'].sum())} robuust in de top {prioritised.attrs['top_k']} "
        f"({sia_cfg.robustness.draws} trekkingen); {len(result.areas)} DIA('s)"
    )
    for note in result.notes:  # skipped criteria are reported as DataWarnings by sia.score
        click.echo(f"Let op: DIA: {note}", err=True)
    for path in written:
        click.echo(f"-> {path}")


@main.command()
@click.argument(
    "config_file",
    required=False,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="[CONFIG.toml]",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("maps"),
    show_default=True,
    help="Output folder (created if needed; other files in it are left alone).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite the outputs of an earlier run in --out.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the final summary.")
@_handled
def run(config_file: Path | None, out: Path, force: bool, quiet: bool) -> None:
    """Run the whole job: load, join, SIA, DIA, prognosis, monitor, outputs.

    Without CONFIG.toml it runs the embedded Amersfoort demo (real CBS buurten and
    Leefbaarometer scores, SYNTHETIC corporation data). `geoprestatie init` writes a
    commented config to start from. Outputs in --out: sia.html, prognose.html,
    monitor.html, rapport.html, sia.png, dia.png, prognose.png, geoprestatie.gpkg,
    tabellen.xlsx and CSV tables.
    """
    import time

    from geoprestatie import pipeline
    from geoprestatie.config import demo_config, load_config
    from geoprestatie.output.summary import summary
    from geoprestatie.progress import StageProgress

    started = time.perf_counter()
    pipeline.check_output_folder(out, force=force)
    config = demo_config() if config_file is None else load_config(config_file)
    say = None if quiet else StageProgress()
    if say is not None:
        what = "demo (synthetische corporatiegegevens)" if config_file is None else config_file
        say(f"geoprestatie run: {what}")
    try:
        result = pipeline.run(config, progress=say)
        written = pipeline.write_outputs(result, out, force=force, progress=say)
    finally:
        if say is not None:
            say.close()
    click.echo(summary(result, written, seconds=time.perf_counter() - started))


@main.command()
@click.argument(
    "path",
    required=False,
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("geoprestatie.toml"),
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@_handled
def init(path: Path, force: bool) -> None:
    """Write a commented example config (and criteria.toml beside it) to start from.

    As written it runs the embedded demo; replace the file paths by your own files.
    """
    from geoprestatie import sia
    from geoprestatie._atomic import write_text
    from geoprestatie.config import example_config_text

    criteria = path.with_name("criteria.toml")
    for target in (path, criteria):
        if target.exists() and not force:
            raise click.ClickException(f"{target} already exists; use --force to overwrite it")
    write_text(path, example_config_text())
    write_text(criteria, sia.DEFAULT_CRITERIA_TOML.read_text(encoding="utf-8"))
    click.echo(f"Written {path} and {criteria}. Run: geoprestatie run {path}")
