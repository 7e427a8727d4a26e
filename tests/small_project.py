"""A small own project on disk, for the small-data and reproducibility tests.

Buurten: a row-major grid of 1 km squares in RD New (codes ``BU9999nnnn``, 3 per row);
stock: a given number of dwellings per buurt (two corporations, labels A-G in turn), all
SYNTHETISCH; optional sales, mutation plans and one agreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

CORPORATIONS = ("Woonstede", "Thuis Wonen")


def grid(n: int) -> gpd.GeoDataFrame:
    """``n`` buurten of 1 km, three per row."""
    rows = []
    for i in range(n):
        r, c = divmod(i, 3)
        rows.append(
            {
                "buurtcode": f"BU9999{i:04d}",
                "buurtnaam": f"Buurt {i}",
                "wijkcode": f"WK9999{r:02d}",
                "gemeentecode": "GM9999",
                "gemeentenaam": "Testdorp",
                "geometry": box(
                    150_000 + c * 1000, 450_000 - r * 1000, 151_000 + c * 1000, 451_000 - r * 1000
                ),
            }
        )
    return gpd.GeoDataFrame(rows, crs=28992)


def _stock(buurten: gpd.GeoDataFrame, dwellings: Sequence[int]) -> pd.DataFrame:
    rows = []
    for i, n in enumerate(dwellings):
        centre = buurten.geometry.iloc[i].centroid
        for j in range(n):
            rows.append(
                {
                    "vhe_id": f"V{i:02d}-{j:04d}",
                    "corporatie": CORPORATIONS[j % 2],
                    "x": round(centre.x - 400 + 10 * (j % 80), 1),  # inside the buurt
                    "y": round(centre.y - 400 + 10 * (j // 80), 1),
                    "energielabel": "ABCDEFG"[(i + j) % 7],
                    "bouwjaar": 1950 + 5 * i,
                    "huurprijs": 550.0 + 10 * (j % 60),
                }
            )
    return pd.DataFrame(rows)


def write_project(
    folder: Path,
    dwellings: Sequence[int],
    *,
    sales: bool = False,
    plans: bool = False,
    rules: bool = False,
    default_criteria: bool = False,
    top_k: int = 3,
    min_buurten: int = 2,
    extra: str = "",
) -> Path:
    """Write the files and ``project.toml`` into ``folder``; return the config path.

    One buurt per entry of ``dwellings`` (its number of corporation dwellings; a project
    without any dwelling has no stock file). ``default_criteria`` uses the documented
    default SIA set instead of two criteria on the stock. ``extra`` is appended to the config.
    """
    folder.mkdir(parents=True, exist_ok=True)
    buurten = grid(len(dwellings))
    buurten.to_file(folder / "buurten.gpkg", layer="buurten")
    stock = _stock(buurten, dwellings)
    lines = ['[project]\nnaam = "Klein project"', '[buurten]\nbestand = "buurten.gpkg"']
    bronnen = []
    if len(stock):
        stock.to_csv(folder / "bezit.csv", index=False)
        bronnen.append('voorraad = "bezit.csv"')
    if sales and len(stock):
        first = stock["vhe_id"].iloc[0]
        pd.DataFrame({"vhe_id": [first], "jaar": [2026], "status": ["voorgenomen"]}).to_csv(
            folder / "verkoop.csv", index=False
        )
        bronnen.append('verkoop = "verkoop.csv"')
    if bronnen:
        lines.append("[bronnen]\n" + "\n".join(bronnen))
    sia = f"[sia]\ntop_k = {top_k}\n"
    if default_criteria:  # stock only: most default criteria have no data (allowed here)
        sia += "onvolledig_toestaan = true\n"
    if not default_criteria:
        sia += (
            '[[sia.criteria]]\nname = "efg"\nlabel = "Aandeel E/F/G"\ncolumn = "aandeel_efg"\n'
            'direction = "higher"\nweight = 2\n'
            '[[sia.criteria]]\nname = "bouwjaar"\nlabel = "Oude voorraad"\n'
            'column = "bouwjaar_mediaan"\ndirection = "lower"\nweight = 1\n'
        )
    lines.append(sia + "[sia.robustness]\ndraws = 40")
    lines.append(f'[dia]\nselection = "top_k"\nmin_buurten = {min_buurten}')
    if plans and len(stock):
        corporation = str(stock["corporatie"].iloc[0])
        pd.DataFrame(
            {
                "corporatie": [corporation],
                "jaar": [2026],
                "mutatie": ["nieuwbouw"],
                "aantal": [3],
                "buurtcode": [buurten["buurtcode"].iloc[0]],
            }
        ).to_csv(folder / "plannen.csv", index=False)
        lines.append('[prognose]\nplannen = "plannen.csv"\npeildatum = "2026-01-01"')
    if rules:
        (folder / "afspraken.toml").write_text(
            '[[afspraak]]\nid = "V1"\ntekst = "Geen verkoop van F/G"\npartij = "corporaties"\n'
            'soort = "verbod"\ndataset = "verkoop"\n'
            'verboden_als = [{ kolom = "energielabel", op = "in", waarde = ["F", "G"] }]\n',
            encoding="utf-8",
        )
        lines.append('[afspraken]\nbestand = "afspraken.toml"')
    lines.append("[uitvoer]\npdf = false")
    cfg = folder / "project.toml"
    cfg.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return cfg
