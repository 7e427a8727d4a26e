"""A poisoned run: every user-controlled string of every input holds attack payloads.

:func:`write_inputs` writes a small, complete set of run inputs (12 real Amersfoort
buurten, ~300 dwellings of four corporations, sales, heat plans, mutation plans, a
criteria file, an agreements file with rules per buurt and per woningtype, and the run
config) in which every text a user can put in is a :func:`poisoned` string: a formula
starter (``= + - @``, tab, CR) followed by script payloads for every HTML context (element
content, double- and single-quoted attributes, ``<script>`` data, URLs), quotes, template
syntax and U+2028. The folder and file names carry payloads too. Each payload names its
field (``alert('buurtnaam3')``), so a dialog or a finding says where it came from.

Used by ``tests/test_output_escape.py`` (HTML) and ``tests/test_output_formulas.py``
(CSV/XLSX).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geoprestatie import datasets

#: What starts a spreadsheet formula (OWASP CSV injection), one per poisoned field in turn.
FORMULA_LEADS: tuple[str, ...] = (
    '=HYPERLINK("http://x","a")',
    "+1",
    "-1+2",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
)

#: Template syntax that a renderer must never evaluate (jinja2 would give ``gpssti``).
SSTI = "{{7*7}}{{'gp'~'ssti'}}"


def html_payloads(tag: str) -> str:
    """Script payloads for every HTML context, each calling ``alert('<tag>')``."""
    call = f"alert('{tag}')"
    return (
        f"<script>{call}</script>"
        f'"><img src=x onerror={call}>'
        f"'><svg onload={call}>"
        f"</script><script>{call}</script>"
        f"<!--<script>{call}//-->"
        f" javascript:{call} '\" {SSTI} \u2028 \u2029"
    )


def poisoned(tag: str, lead: int = 0) -> str:
    """A formula starter (``FORMULA_LEADS[lead]``), the field's tag and every HTML payload."""
    return f"{FORMULA_LEADS[lead % len(FORMULA_LEADS)]}{tag} {html_payloads(tag)}"


def file_name(tag: str, lead: int, suffix: str) -> str:
    """A file or folder name with payloads (no ``/``: a name cannot hold one)."""
    starts = ("=1+1", "@SUM(1)", "+1", "-1+2")
    return (
        f"{starts[lead % len(starts)]}{tag}\"><img src=x onerror=alert('{tag}')>"
        f"'><svg onload=alert('{tag}')>{SSTI}{suffix}"
    )


#: Every payload marker that must never execute or be evaluated.
ALERT = "alert('"
SSTI_RESULT = "gpssti"

N_BUURTEN = 12


def _buurten() -> pd.DataFrame:
    all_ = datasets.load_buurten("Amersfoort")
    # a compact block: the buurten nearest to the centre of the first wijk
    start = all_.geometry.iloc[0].centroid
    order = all_.geometry.centroid.distance(start).sort_values().index[:N_BUURTEN]
    b = all_.loc[order, ["buurtcode", "wijkcode", "gemeentecode", "geometry"]].copy()
    b = b.reset_index(drop=True)
    b["buurtnaam"] = [poisoned(f"buurtnaam{i}", i) for i in range(len(b))]
    wijken = {w: j for j, w in enumerate(sorted(b["wijkcode"].unique()))}
    b["wijknaam"] = [poisoned(f"wijknaam{wijken[w]}", wijken[w]) for w in b["wijkcode"]]
    b["gemeentenaam"] = poisoned("gemeentenaam", 2)
    rng = np.random.default_rng(9)
    b["woningvoorraad"] = rng.integers(300, 900, len(b))
    b["leefbaarometer_score"] = rng.normal(4.0, 0.3, len(b)).round(3)
    return b


#: An extra column of the stock file whose name itself is poisoned.
KOLOM = poisoned("kolomnaam", 3)
CORPORATIONS = tuple(poisoned(f"corporatie{i}", i) for i in range(4))
WONINGTYPES = tuple(poisoned(f"woningtype{i}", i + 1) for i in range(3))


def _stock(buurten: pd.DataFrame) -> pd.DataFrame:
    rng = np.random.default_rng(20261201)
    rows = []
    inner = gpd.GeoSeries(buurten.geometry, crs=28992).buffer(-20)
    for i, geom in enumerate(inner):
        # a few buurten with small counts per corporation (suppressed in publiek/)
        n = 3 if i % 4 == 3 else 30
        pts = gpd.GeoSeries([geom], crs=28992).sample_points(n, rng=rng).iloc[0]
        for j, p in enumerate(pts.geoms):
            k = len(rows)
            rows.append(
                {
                    "vhe_id": poisoned(f"vhe{k}", k) if k < 6 else f"V{k:05d}",
                    "corporatie": CORPORATIONS[(i + j) % (2 if i % 4 == 3 else 4)],
                    "x": round(p.x, 1),
                    "y": round(p.y, 1),
                    "energielabel": "ABCDEFG"[(i * 3 + j) % 7],
                    "bouwjaar": 1950 + (j * 7) % 70,
                    "woningtype": WONINGTYPES[j % 3],
                    "huurprijs": f"{450 + (j * 37) % 500},50",
                    "daeb": "ja",
                    "conditiescore": 1 + j % 6,
                    "opmerking": poisoned(f"opmerking{k}", k),
                    # a column of the user's own, with a poisoned name (kept as extra)
                    KOLOM: poisoned(f"kolomwaarde{k}", k + 1),
                }
            )
    # two dwellings far outside every buurt: niet_gekoppeld.csv carries their texts
    for k in range(2):
        rows.append({**rows[k], "vhe_id": poisoned(f"buiten{k}", k + 3), "x": 10_000.0})
    return pd.DataFrame(rows)


def _sales(stock: pd.DataFrame) -> pd.DataFrame:
    ids = stock["vhe_id"].iloc[: len(stock) - 2 : 7]
    return pd.DataFrame(
        {
            "vhe_id": [*ids, poisoned("onbekende_vhe", 1)],
            "jaar": [2024 + i % 3 for i in range(len(ids))] + [2024],
            "status": ["voorgenomen" if i % 2 else "gerealiseerd" for i in range(len(ids))]
            + ["voorgenomen"],
        }
    )


def _plans(buurten: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for i, code in enumerate(buurten["buurtcode"].iloc[:6]):
        for jaar in (2024, 2025):
            rows.append(
                {
                    "corporatie": CORPORATIONS[i % 4],
                    "jaar": jaar,
                    "mutatie": ("nieuwbouw", "sloop", "verkoop")[(i + jaar) % 3],
                    "aantal": 2 + (i * 5 + jaar) % 40,
                    "zekerheid": "hard",
                    "tijdelijk": "nee",
                    "buurtcode": code,
                    "project": poisoned(f"project{i}", i),
                    "woningtype": WONINGTYPES[i % 3],
                    "herkomst": poisoned(f"herkomst{i}", i + 2),
                }
            )
    return pd.DataFrame(rows)


def _toml_str(value: str) -> str:
    """A TOML basic string (escapes for ``\\``, ``"`` and control characters)."""
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch in "\u2028\u2029\x7f":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _criteria() -> str:
    criteria = [
        ("leefbaarheid", "leefbaarometer_score", "lower"),
        ("efg", "aandeel_efg", "higher"),
        ("bezit", "aandeel_corporatie", "higher"),
        ("verkoop", "verkoop_aandeel", "higher"),
    ]
    parts = [
        '[sia]\nmethod = "weighted_sum"\ntop_k = 4\n',
        "[sia.robustness]\ndraws = 50\nseed = 1\n",
    ]
    for i, (name, column, direction) in enumerate(criteria):
        parts.append(
            "[[sia.criteria]]\n"
            f'name = "{name}"\nlabel = {_toml_str(poisoned(f"criterium_{name}", i))}\n'
            f'column = "{column}"\ndirection = "{direction}"\nweight = {1 + i}\n'
            'normalisation = "rank"\nmissing = "neutral"\n'
        )
    return "\n".join(parts)


def _agreement(i: int, body: str) -> str:
    head = "\n".join(
        f"{key} = {_toml_str(poisoned(f'afspraak{i}_{key}', i + j))}"
        for j, key in enumerate(("id", "tekst", "partij", "bron", "thema"))
    )
    return f"[[afspraak]]\n{head}\n{textwrap.dedent(body).strip()}\n"


def _agreements() -> str:
    corp = _toml_str(CORPORATIONS[0])
    return "\n".join(
        [
            _agreement(
                0,
                """
                soort = "verbod"
                dataset = "verkoop"
                verboden_als = [{ kolom = "energielabel", op = "in", waarde = ["F", "G"] }]
                """,
            ),
            _agreement(
                1,
                f"""
                soort = "aantal"
                dataset = "verkoop"
                selectie = [{{ kolom = "corporatie", op = "==", waarde = {corp} }}]
                vergelijking = "<="
                norm = 1
                """,
            ),
            _agreement(
                2,
                """
                soort = "regel"
                dataset = "voorraad"
                meting = "aandeel(energielabel <= 'C')"
                norm = 0.6
                marge = 0.1
                per = "buurtcode"
                """,
            ),
            _agreement(
                5,
                """
                soort = "regel"
                dataset = "voorraad"
                meting = "aantal(woningtype != 'x')"
                norm = 20
                per = "buurtcode"
                """,
            ),
            _agreement(
                3,
                """
                soort = "regel"
                dataset = "voorraad"
                meting = "gemiddelde(huurprijs)"
                vergelijking = "<="
                norm = 600
                per = ["corporatie", "woningtype"]
                """,
            ),
            _agreement(
                4,
                """
                soort = "prognose"
                doel = "netto_groei"
                van = 2024
                tot = 2025
                norm = 10
                """,
            ),
        ]
    )


def write_inputs(root: Path) -> Path:
    """Write the poisoned inputs under ``root``; return the run config's path."""
    folder = root / file_name("map", 0, "")
    folder.mkdir(parents=True)
    b = _buurten()
    names = {
        "buurten": file_name("bestand_buurten", 0, ".gpkg"),
        "voorraad": file_name("bestand_voorraad", 1, ".csv"),
        "verkoop": file_name("bestand_verkoop", 2, ".csv"),
        "warmte": file_name("bestand_warmte", 3, ".csv"),
        "plannen": file_name("bestand_plannen", 0, ".csv"),
        "criteria": file_name("bestand_criteria", 1, ".toml"),
        "afspraken": file_name("bestand_afspraken", 2, ".toml"),
    }
    frame = gpd.GeoDataFrame(b, geometry="geometry", crs=28992)
    frame.to_file(folder / names["buurten"], layer="buurten")
    stock = _stock(b)
    stock.to_csv(folder / names["voorraad"], sep=";", index=False)
    _sales(stock).to_csv(folder / names["verkoop"], sep=";", index=False)
    pd.DataFrame(
        {
            "code": b["buurtcode"],
            "startjaar": [2026 + i % 4 for i in range(len(b))],
            # a strategy is a registered word; a poisoned one is set aside and reported
            "strategie": [
                poisoned(f"strategie{i}", i) if i % 3 == 0 else "Warmtenet" for i in range(len(b))
            ],
        }
    ).to_csv(folder / names["warmte"], sep=";", index=False)
    _plans(b).to_csv(folder / names["plannen"], sep=";", index=False)
    (folder / names["criteria"]).write_text(_criteria(), encoding="utf-8")
    (folder / names["afspraken"]).write_text(_agreements(), encoding="utf-8")
    config = folder / "config.toml"
    paths = {k: _toml_str(v) for k, v in names.items()}
    config.write_text(
        textwrap.dedent(
            f"""
            [project]
            naam = {_toml_str(poisoned("projectnaam", 0))}
            synthetisch = true

            [buurten]
            bestand = {paths["buurten"]}

            [bronnen]
            voorraad = {paths["voorraad"]}
            verkoop = {paths["verkoop"]}
            warmte = {paths["warmte"]}

            [sia]
            criteria = {paths["criteria"]}

            [dia]
            selection = "top_k"
            min_buurten = 2
            max_buurten = 4

            [prognose]
            plannen = {paths["plannen"]}
            peildatum = "2024-01-01"

            [afspraken]
            bestand = {paths["afspraken"]}
            jaar = 2025

            [uitvoer]
            pdf = false
            """
        ),
        encoding="utf-8",
    )
    return config
