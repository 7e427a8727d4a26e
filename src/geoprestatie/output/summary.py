"""Short summaries of a run: the console lines of ``geoprestatie run`` and the Jupyter view."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from geoprestatie.output import report
from geoprestatie.output.html import escape
from geoprestatie.result import RunResult

__all__ = ["summary", "summary_html"]


def summary_html(result: RunResult, *, top: int = 10) -> str:
    """A short HTML summary of a run: top buurten, DIAs and the traffic lights.

    This is what Jupyter shows for a :class:`RunResult`. It shows no dwelling counts, so
    no privacy threshold applies.

    Examples
    --------
    >>> from geoprestatie.config import demo_config
    >>> from geoprestatie.pipeline import run
    >>> page = summary_html(run(demo_config()))  # doctest: +SKIP
    >>> "Top 10 buurten" in page and "synthetisch" in page  # doctest: +SKIP
    True
    """
    parts = [f"<h3>{escape(result.config.name)}</h3>"]
    if result.config.synthetic:
        parts.append(
            '<p style="color:#7a0177;font-weight:700">Let op: de corporatiegegevens in deze '
            "run zijn synthetisch.</p>"
        )
    whole = result.completeness
    if not whole.complete:
        parts.append(f'<p style="color:#b30000;font-weight:700">{escape(whole.text())}</p>')
    scored = result.prioritised
    k = int(result.sia_config.top_k)
    best = scored[scored["sia_geschikt"].astype(bool)].sort_values("sia_rang").head(top)
    best = pd.DataFrame(best.drop(columns="geometry"))
    columns = {"sia_rang": "Rang", "buurtnaam": "Buurt", "sia_score": "SIA-score"}
    if {"kans_top_k", "rang_p05", "rang_p95", "robuust"} <= set(best.columns):
        best["rang_interval"] = [
            f"{a:.0f}–{b:.0f}" for a, b in zip(best["rang_p05"], best["rang_p95"], strict=True)
        ]
        best["robuust"] = best["robuust"].map({True: "ja", False: "nee"})
        columns |= {
            "kans_top_k": f"Kans top {k}",
            "rang_interval": "Rang (5–95%)",
            "robuust": "Robuust",
        }
    n_ok = int(scored["sia_geschikt"].sum())
    parts.append(
        f"<p>Top {len(best)} buurten ({n_ok} van {len(scored)} buurten geschikt; "
        f"kans in top {k} over de gewichtstrekkingen)</p>"
    )
    parts.append(report.html_table(best, columns=columns, decimals=2))
    areas = result.dia_result.areas
    if len(areas):
        dias = pd.DataFrame(areas.drop(columns="geometry"))
        dias["buurtnamen"] = dias["buurtnamen"].map(
            lambda v: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v
        )
        parts.append(f"<p>DIA's ({len(dias)})</p>")
        parts.append(
            report.html_table(
                dias,
                columns={
                    "dia_id": "DIA",
                    "dia_naam": "Naam",
                    "n_buurten": "Buurten",
                    "buurtnamen": "Buurtnamen",
                },
            )
        )
    else:
        parts.append("<p>DIA's: geen</p>")
    if result.monitor is not None:
        counts = result.monitor.table["status"].value_counts()
        lights = ", ".join(
            f"{int(counts.get(s, 0))} {s}" for s in ("groen", "oranje", "rood", "onbekend")
        )
        parts.append(f"<p>Afspraken: {lights}</p>")
    parts.append(
        '<p style="color:#555">Kaarten: <code>gp.maps.sia_map(result)</code>, '
        "<code>gp.maps.prognose_map(result)</code>; monitor: "
        "<code>gp.report.monitor_html(result)</code>.</p>"
    )
    return "<div>" + "".join(parts) + "</div>"


def _short(text: str, limit: int = 70) -> str:
    """Cut ``text`` at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _written_text(written: list[Path]) -> str:
    """``Uitvoer in <map>/: publiek/ (…), intern/ (…), run.json``: each file once, by folder."""
    if not written:
        return "Geen uitvoer geschreven."
    root = Path(os.path.commonpath([p.parent for p in written]))
    by_folder: dict[str, list[str]] = {}
    for p in written:
        rel = p.parent.relative_to(root).as_posix()
        by_folder.setdefault("" if rel == "." else rel + "/", []).append(p.name)
    parts = [
        f"{folder} ({', '.join(names)})" if folder else ", ".join(names)
        for folder, names in sorted(by_folder.items(), key=lambda kv: (kv[0] == "", kv[0]))
    ]
    return f"Uitvoer in {root}/: " + "; ".join(parts)


def summary(result: RunResult, written: list[Path], *, seconds: float | None = None) -> str:
    """The closing lines of ``geoprestatie run``: outputs, top buurten, DIAs, red agreements."""
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    lines = [f"Klaar{took}. {_written_text(written)}"]
    if result.config.synthetic:
        lines.append("LET OP: de corporatiegegevens in deze run zijn synthetisch.")
    whole = result.completeness
    if not whole.complete:
        lines.append(f"LET OP: {whole.short()}: {whole.names()}.")
    ranked = result.prioritised[result.prioritised["sia_rang"].notna()]
    top = ranked.sort_values("sia_rang").head(5)
    # plain columns: GeoDataFrame.itertuples copies the geometry of every row it gives
    names = [
        f"{int(rang)}. {naam} ({score:.1f}{', robuust' if robuust else ''})"
        for rang, naam, score, robuust in zip(
            top["sia_rang"], top["buurtnaam"], top["sia_score"], top["robuust"], strict=True
        )
    ]
    lines.append("Top 5 buurten: " + ("; ".join(names) or "geen (geen buurt geschikt)"))
    areas = result.dia_result.areas
    if len(areas):
        lines.append(
            f"DIA's ({len(areas)}): "
            + "; ".join(
                f"{i} {naam} ({n} buurten)"
                for i, naam, n in zip(
                    areas["dia_id"], areas["dia_naam"], areas["n_buurten"], strict=True
                )
            )
        )
    else:
        lines.append(
            "DIA's: geen (geen aaneengesloten prioriteitsbuurten die aan de eisen voldoen)"
        )
    if result.monitor is not None:
        table = result.monitor.table
        red = table[table["status"] == "rood"]
        unknown = table[table["status"] == "onbekend"]
        if len(red):
            lines.append(
                "Rood: "
                + "; ".join(
                    f"{r['afspraak_id']} {_short(str(r['tekst']))}" for r in red.to_dict("records")
                )
            )
        else:
            lines.append("Rood: geen afspraken")
        if len(unknown):
            lines.append("Onbekend (gegevens ontbreken): " + ", ".join(unknown["afspraak_id"]))
    return "\n".join(lines)
