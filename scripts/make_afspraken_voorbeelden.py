"""Generate the SYNTHETISCH example inputs of data/afspraken/<gemeente>/.

Every file written here is invented (synthetisch): no real corporation, tenant or
municipality data. Only the corporation names, the buurtcodes (CBS 2022) and, for Terneuzen,
the planned mutations of Bijlage 1 of the Raamovereenkomst (written by hand in
``plannen.csv``, not by this script) are real. The data exist so that every agreement of the
three documents can be run as a rule; their colours say nothing about the real parties.

Seeded and deterministic. Run: ``PYTHONPATH=src python scripts/make_afspraken_voorbeelden.py``
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from geoprestatie import datasets

SEED = 20261130
ROOT = Path(__file__).resolve().parents[1] / "data" / "afspraken"
LABELS = ["A++", "A+", "A", "B", "C", "D", "E", "F", "G"]
LABEL_P = [0.02, 0.04, 0.2, 0.2, 0.22, 0.14, 0.1, 0.05, 0.03]
MARK = "synthetisch"

#: per gemeente: corporations, snapshot years, size, and the actions register
SPECS: dict[str, dict[str, object]] = {
    "enschede": {
        "gemeente": "Enschede",
        "corporaties": ["Ons Huis", "De Woonplaats", "Domijn", "SJHT", "De Veste"],
        "jaren": [2019, 2020],
        "n": 500,
        "kernen": ["Enschede"],
    },
    "amersfoort": {
        "gemeente": "Amersfoort",
        "corporaties": ["de Alliantie", "Portaal", "Omnia Wonen"],
        "jaren": [2022, 2023],
        "n": 500,
        "kernen": ["Amersfoort"],
    },
    "terneuzen": {
        "gemeente": "Terneuzen",
        "corporaties": ["Clavis", "Woongoed ZVL"],
        "jaren": [2021, 2022, 2023],
        "n": 400,
        "kernen": ["Terneuzen", "Sas van Gent", "Hoek", "Axel", "Zaamslag", "Philippine"],
    },
}


def _stock(rng: np.random.Generator, spec: dict[str, object], buurten: list[str]) -> pd.DataFrame:
    n = int(spec["n"])  # type: ignore[call-overload]
    corps = list(spec["corporaties"])  # type: ignore[call-overload]
    kernen = list(spec["kernen"])  # type: ignore[call-overload]
    first = int(spec["jaren"][0])  # type: ignore[index]
    bouwjaar = rng.integers(1930, first, n)
    df = pd.DataFrame(
        {
            "vhe_id": [f"V{i:05d}" for i in range(n)],
            "corporatie": rng.choice(corps, n),
            "buurtcode": rng.choice(buurten, n),
            "kern": rng.choice(kernen, n),
            "energielabel": rng.choice(LABELS, n, p=LABEL_P),
            "bouwjaar": bouwjaar,
            "woningtype": rng.choice(["eengezins", "meergezins"], n),
            "huurprijs": np.round(rng.normal(620, 110, n).clip(380, 900), 2),
            "daeb": np.where(rng.random(n) < 0.95, "ja", "nee"),
            "conditiescore": rng.choice([1, 2, 3, 4, 5], n, p=[0.1, 0.35, 0.4, 0.12, 0.03]),
            "nultreden": np.where(rng.random(n) < 0.25, "ja", "nee"),
            "tijdelijk": np.where(rng.random(n) < 0.05, "ja", "nee"),
            "jongerenwoning": np.where(rng.random(n) < 0.08, "ja", "nee"),
            "warmtenet": np.where(rng.random(n) < 0.1, "ja", "nee"),
            "energienorm": pd.Series([None] * n, dtype=object),
            "exploitatietermijn": pd.Series([None] * n, dtype=object),
            "renovatie_jaar": pd.Series([None] * n, dtype=object),
            "energielastenverlaging": pd.Series([None] * n, dtype=object),
        }
    )
    df["maximale_huur"] = np.round(df["huurprijs"] * rng.uniform(1.0, 1.6, n), 2)
    df["streefhuur"] = np.round(df["maximale_huur"] * rng.uniform(0.66, 0.9, n), 2)
    return df


def _next_year(rng: np.random.Generator, df: pd.DataFrame, year: int) -> pd.DataFrame:
    """The stand a year later: rent increases, some label steps, a few sold, some new."""
    out = df.copy()
    n = len(out)
    rise = rng.choice([0.02, 0.025, 0.031, 0.04], n, p=[0.4, 0.3, 0.25, 0.05])
    out["huurprijs"] = np.round(out["huurprijs"] * (1 + rise), 2)
    idx = LABELS.index
    better = rng.random(n) < 0.06
    codes = np.array([idx(x) for x in out["energielabel"]])
    codes = np.where(better, np.maximum(codes - 2, 2), codes)
    out["energielabel"] = [LABELS[c] for c in codes]
    out.loc[better, "renovatie_jaar"] = str(year - 1)
    out.loc[better, "energielastenverlaging"] = [
        f"{x:.2f}" for x in rng.uniform(5, 40, int(better.sum()))
    ]
    sold = rng.random(n) < 0.02
    out = out.loc[~sold]
    k = int(0.04 * n)
    new = out.sample(k, random_state=int(rng.integers(1e9))).copy()
    new["vhe_id"] = [f"N{year}{i:04d}" for i in range(k)]
    new["bouwjaar"] = year - 1
    new["energielabel"] = rng.choice(["A++", "A+", "A"], k, p=[0.5, 0.4, 0.1])
    new["conditiescore"] = 1
    new["energienorm"] = rng.choice(
        ["BENG", "energieneutraal", "EPC 0", "bouwbesluit"], k, p=[0.5, 0.3, 0.1, 0.1]
    )
    new["exploitatietermijn"] = [str(x) for x in rng.choice([15, 40, 50, 60], k)]
    new["nultreden"] = np.where(rng.random(k) < 0.8, "ja", "nee")
    new["renovatie_jaar"] = None
    new["energielastenverlaging"] = None
    return pd.concat([out, new], ignore_index=True)


def _sales(rng: np.random.Generator, stock: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    pick = stock.sample(25, random_state=int(rng.integers(1e9)))
    jaar = rng.choice([*years, years[-1] + 1], len(pick))
    status = np.where(jaar <= years[-1], "gerealiseerd", "voorgenomen")
    return pd.DataFrame(
        {
            "vhe_id": pick["vhe_id"].to_numpy(),
            "corporatie": pick["corporatie"].to_numpy(),
            "jaar": jaar,
            "status": status,
            "gemeente_ingelicht": rng.choice(["ja", "nee"], len(pick), p=[0.3, 0.7]),
            "koper_starter": rng.choice(["ja", "nee", ""], len(pick), p=[0.5, 0.4, 0.1]),
        }
    )


def _allocations(
    rng: np.random.Generator, spec: dict[str, object], years: list[int], buurten: list[str]
) -> pd.DataFrame:
    n = 600
    corps = list(spec["corporaties"])  # type: ignore[call-overload]
    year = rng.choice(years, n)
    start = pd.to_datetime([f"{y}-01-01" for y in year])
    datum = start + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    doelgroep = rng.choice(
        ["regulier", "urgent", "statushouder", "uitstroom zorg", "herstructureringsurgent"],
        n,
        p=[0.7, 0.12, 0.08, 0.05, 0.05],
    )
    return pd.DataFrame(
        {
            "datum": datum.strftime("%d-%m-%Y"),
            "corporatie": rng.choice(corps, n),
            "doelgroep": doelgroep,
            "passend": rng.choice(["ja", "nee"], n, p=[0.93, 0.07]),
            "vrije_toewijzing": rng.choice(["ja", "nee"], n, p=[0.09, 0.91]),
            "inkomen_boven_grens": rng.choice(["ja", "nee"], n, p=[0.1, 0.9]),
            "zoektijd": np.round(rng.gamma(2.0, 5.0, n), 1),
            "inschrijftijd": np.round(rng.gamma(3.0, 12.0, n), 1),
            "huurprijs": np.round(rng.normal(560, 120, n).clip(300, 800), 2),
            "leeftijd": rng.integers(18, 90, n),
            "sociaal": "ja",
            "kern": rng.choice(list(spec["kernen"]), n),  # type: ignore[call-overload]
            "buurtcode": rng.choice(buurten, n),
            "bron": MARK,
        }
    )


def _money(
    rng: np.random.Generator, spec: dict[str, object], years: list[int], themes: list[str]
) -> pd.DataFrame:
    rows = []
    for partij in [*spec["corporaties"], "gemeente"]:  # type: ignore[misc]
        for year in years:
            for theme in themes:
                if rng.random() < 0.85:
                    rows.append((partij, year, theme, round(float(rng.uniform(5e3, 2e5)), 2)))
    return pd.DataFrame(rows, columns=["partij", "jaar", "thema", "bedrag"]).assign(bron=MARK)


def _actions(
    rng: np.random.Generator, items: list[tuple[str, ...]], monitor_date: dt.date
) -> pd.DataFrame:
    """One row per action: done on time (most), late, or still open."""
    rows = []
    for i, item in enumerate(items):
        afspraak, soort, deadline, text = item[:4]
        owner = item[4] if len(item) > 4 else ""
        due = dt.date.fromisoformat(deadline)
        r = rng.random()
        if due > monitor_date and r < 0.7:
            done = ""
        elif r < 0.75:
            done = (due - dt.timedelta(days=int(rng.integers(0, 90)))).isoformat()
        elif r < 0.88:
            done = (due + dt.timedelta(days=int(rng.integers(10, 120)))).isoformat()
        else:
            done = ""
        if done and dt.date.fromisoformat(done) > monitor_date:
            done = ""
        status = "gereed" if done else "open"
        rows.append(
            (
                f"A{i + 1:03d}",
                afspraak,
                text,
                soort,
                deadline,
                status,
                done,
                "verslag (synthetisch)" if done else "",
                owner,
            )
        )
    cols = [
        "id",
        "afspraak",
        "omschrijving",
        "soort",
        "deadline",
        "status",
        "datum_gereed",
        "bewijs",
        "eigenaar",
    ]
    return pd.DataFrame(rows, columns=cols)


def _meetings(
    afspraak: str, soort: str, per_year: int, years: list[int]
) -> list[tuple[str, str, str, str]]:
    months = {1: ["06-30"], 2: ["04-30", "10-31"], 4: ["03-31", "06-30", "09-30", "12-15"]}
    return [
        (afspraak, soort, f"{y}-{md}", f"{soort} {afspraak} {y}")
        for y in years
        for md in months.get(per_year, ["06-30"] * per_year)
    ]


def write(
    name: str,
    actions: list[tuple[str, ...]],
    kengetallen: pd.DataFrame,
    themes: list[str],
    monitor_date: dt.date,
) -> None:
    spec = SPECS[name]
    rng = np.random.default_rng([SEED, list(SPECS).index(name)])
    out = ROOT / name / "invoer"
    out.mkdir(parents=True, exist_ok=True)
    buurten = sorted(datasets.load_buurten(str(spec["gemeente"]))["buurtcode"].astype(str))
    years = list(spec["jaren"])  # type: ignore[call-overload]
    stock = _stock(rng, spec, buurten)
    stands = {years[0]: stock}
    for year in years[1:]:
        stands[year] = _next_year(rng, stands[year - 1], year)
    for year, frame in stands.items():
        frame.to_csv(out / f"voorraad_{year}_synthetisch.csv", sep=";", decimal=",", index=False)
    _sales(rng, stands[years[-1]], years).to_csv(out / "verkoop_synthetisch.csv", index=False)
    _allocations(rng, spec, years, buurten).to_csv(
        out / "toewijzingen_synthetisch.csv", sep=";", decimal=",", index=False
    )
    _money(rng, spec, years, themes).to_csv(
        out / "geld_synthetisch.csv", sep=";", decimal=",", index=False
    )
    _actions(rng, actions, monitor_date).to_csv(out / "acties_synthetisch.csv", index=False)
    kengetallen.assign(bron=MARK).to_csv(
        out / "kengetallen_synthetisch.csv", sep=";", decimal=",", index=False
    )


def _done(items: list[tuple[str, str]], soort: str = "actie") -> list[tuple[str, str, str, str]]:
    """(afspraak, deadline) pairs as actions."""
    return [(a, soort, d, f"actie bij afspraak {a}") for a, d in items]


def terneuzen() -> None:
    years = [2022, 2023]
    actions = _done(
        [
            ("1.1.2", "2022-12-31"),
            ("1.1.3", "2022-12-31"),
            ("1.1.6", "2023-12-31"),
            ("1.1.9", "2022-12-31"),
            ("1.1.10", "2022-12-31"),
            ("1.1.12", "2023-12-31"),
            ("1.1.14", "2023-12-31"),
            ("1.2.2", "2022-12-31"),
            ("1.2.3", "2022-12-31"),
            ("2.1", "2022-12-31"),
            ("2.2", "2024-12-31"),
            ("2.7", "2023-12-31"),
            ("2.8", "2023-12-31"),
            ("3.3", "2022-06-30"),
            ("3.5", "2022-12-31"),
            ("3.6", "2022-12-31"),
            ("3.7", "2023-12-31"),
            ("3.8", "2022-12-31"),
            ("4.1", "2022-12-31"),
            ("4.1", "2022-12-31"),
            ("4.3", "2023-12-31"),
            ("4.4", "2023-12-31"),
            ("4.7", "2023-12-31"),
            ("5.1", "2022-12-31"),
            ("5.3", "2022-07-01"),
            ("5.3", "2023-07-01"),
            ("5.4", "2022-12-31"),
            ("5.4", "2023-12-31"),
            ("5.9", "2023-04-01"),
        ]
    )
    actions += _meetings("1.1.3", "bouwtafel", 1, years)
    actions += _meetings("4.2", "wijkschouw", 2, years)
    actions += _meetings("4.5", "overleg", 1, years)
    actions += _meetings("5.1", "bestuurlijk overleg", 2, years)
    actions += _meetings("5.2", "werkgroep", 2, years)
    kengetallen = pd.DataFrame(
        [
            (2021, "woningvoorraad totaal", 26410, "gemeente"),
            (2023, "woningvoorraad totaal", 26690, "gemeente"),
            (2021, "sociale voorraad", 4831, "corporaties"),
            (2023, "sociale voorraad", 4799, "corporaties"),
            (2022, "uithuiszettingen huurschuld", 3, "Clavis"),
            (2022, "uithuiszettingen huurschuld", None, "Woongoed ZVL"),
        ],
        columns=["jaar", "indicator", "waarde", "partij"],
    )
    write(
        "terneuzen",
        actions,
        kengetallen,
        ["Weer Thuis projectleider", "leefbaarheid"],
        dt.date(2023, 6, 30),
    )
    out = ROOT / "terneuzen" / "invoer"
    # the stock of 1 January 2023 gets the Skaeve Huse project (4 of the 5 dwellings)
    stand = pd.read_csv(out / "voorraad_2023_synthetisch.csv", sep=";", dtype=str)
    stand.loc[stand.index[:4], "woningtype"] = "skaeve huse"
    stand.to_csv(out / "voorraad_2023_synthetisch.csv", sep=";", index=False)
    mutaties = pd.DataFrame(
        [
            ("Woongoed ZVL", 2022, "nieuwbouw", 18, "", MARK),
            ("Clavis", 2022, "nieuwbouw", 26, "", MARK),
            ("Woongoed ZVL", 2023, "nieuwbouw", 3, "Philippine hofje", MARK),
            ("Woongoed ZVL", 2023, "nieuwbouw", 9, "", MARK),
            ("Clavis", 2023, "nieuwbouw", 31, "", MARK),
            ("Clavis", 2022, "sloop", 0 + 1, "", MARK),
        ],
        columns=["corporatie", "jaar", "mutatie", "aantal", "project", "herkomst"],
    )
    mutaties.to_csv(out / "mutaties_synthetisch.csv", index=False)


def amersfoort() -> None:
    years = [2022, 2023]
    corps = list(SPECS["amersfoort"]["corporaties"])  # type: ignore[call-overload]
    actions: list[tuple[str, ...]] = list(
        _done(
            [
                ("9", "2022-12-31"),
                ("12", "2022-06-30"),
                ("13", "2022-12-31"),
                ("17", "2022-12-31"),
                ("18", "2022-12-31"),
                ("20", "2022-12-31"),
                ("21", "2022-12-31"),
                ("21", "2023-12-31"),
                ("26", "2022-12-31"),
                ("29", "2022-12-31"),
                ("30", "2022-12-31"),
                ("32", "2022-12-31"),
                ("32", "2023-12-31"),
                ("37", "2022-12-31"),
                ("38", "2022-12-31"),
                ("45", "2024-03-31"),
                ("48", "2022-09-30"),
                ("48", "2023-01-01"),
                ("50", "2022-09-30"),
                ("55", "2022-04-30"),
                ("55", "2022-10-31"),
                ("55", "2023-04-30"),
                ("55", "2023-10-31"),
            ]
        )
    )
    actions += [
        ("4", "levering", f"{y}-{md}", "cijfers toevoegingen/onttrekkingen")
        for y in years
        for md in ("07-31", "01-31")
    ]
    actions += [("46", "actie", "2022-12-31", "routekaart CO2-neutraal", c) for c in corps]
    actions += [
        ("56", "levering", f"{y}-04-01", "gegevens woningmarktmonitor", c)
        for y in years
        for c in corps
    ]
    actions += _meetings("3", "overleg", 2, years)
    actions += _meetings("24", "bestuurlijk overleg", 2, years)
    actions += _meetings("34", "rapportage", 2, years)
    actions += _meetings("47", "bijeenkomst", 2, years)
    kengetallen = pd.DataFrame(
        [
            (2022, "woningbouwplannen totaal", 4200, "gemeente"),
            (2022, "woningbouwplannen sociaal", 1302, "gemeente"),
            (2023, "woningbouwplannen totaal", 3900, "gemeente"),
            (2023, "woningbouwplannen sociaal", 1480, "gemeente"),
            (2022, "taakstelling statushouders", 70, "gemeente"),
            (2023, "taakstelling statushouders", 50, "gemeente"),
            (2022, "complexen leefbaarheidsaanpak", 3, "gemeente"),
        ],
        columns=["jaar", "indicator", "waarde", "partij"],
    )
    write(
        "amersfoort",
        actions,
        kengetallen,
        ["buurtbemiddeling", "leefbaarheid"],
        dt.date(2023, 6, 30),
    )
    rows = []
    for corp, (add, rem) in {
        "de Alliantie": (300, 180),
        "Portaal": (170, 60),
        "Omnia Wonen": (55, 1),
    }.items():
        for year, part in zip(years, (0.45, 0.55), strict=True):
            rows.append((corp, year, "nieuwbouw", round(add * part), "nee", MARK))
            rows.append((corp, year, "sloop", round(rem * part) or 1, "nee", MARK))
    pd.DataFrame(
        rows, columns=["corporatie", "jaar", "mutatie", "aantal", "tijdelijk", "herkomst"]
    ).to_csv(ROOT / "amersfoort" / "invoer" / "mutaties_synthetisch.csv", index=False)


def enschede() -> None:
    years = [2019, 2020]
    corps = list(SPECS["enschede"]["corporaties"])  # type: ignore[call-overload]
    actions: list[tuple[str, ...]] = list(
        _done(
            [
                ("1.2", "2019-03-31"),
                ("1.2", "2020-03-31"),
                ("2.2", "2020-12-31"),
                ("2.3", "2020-03-31"),
                ("2.3", "2020-03-31"),
                ("2.3", "2020-06-30"),
                ("2.3", "2020-12-31"),
                ("2.3", "2020-12-31"),
                ("3.5", "2019-03-31"),
                ("3.5", "2020-03-31"),
                ("8.1", "2020-03-31"),
                ("8.1", "2020-06-30"),
                ("8.2", "2020-12-31"),
                ("8.3", "2020-12-31"),
                ("S3", "2020-03-31"),
                ("S3", "2020-03-31"),
                ("S3", "2020-03-31"),
                ("S3", "2020-09-30"),
                ("S2", "2019-12-31"),
                ("S2", "2019-12-31"),
                ("S2", "2020-03-31"),
                ("S2", "2020-06-30"),
                ("S4", "2020-06-30"),
                ("S4", "2020-09-30"),
                ("S4", "2020-12-31"),
            ]
        )
    )
    actions += [("5.4", "warmteplan", "2020-12-31", f"pilotwarmteplan {i}") for i in (1, 2)]
    actions += [
        ("4.2", "levering", f"{y}-12-31", "potentieel te verkopen woningen", c)
        for y in years
        for c in corps
    ]
    actions += [
        ("1.6", "levering", f"{y}-{md}", "gegevens monitor", c)
        for y in years
        for md in ("05-31", "11-30")
        for c in corps
    ]
    actions += _meetings("1.3", "woondebat", 1, years)
    actions += _meetings("2.4", "projectenafstemmingsoverleg", 2, years)
    actions += _meetings("6.1", "actualisatie SIA", 1, years)
    rows = [
        (2019, "vraag internationale studenten", 1150, "werkgroep studentenhuisvesting"),
        (2020, "vraag internationale studenten", 1240, "werkgroep studentenhuisvesting"),
        (2019, "vraag studentenwoningen", 5200, "werkgroep studentenhuisvesting"),
        (2019, "aanbod studentenwoningen", 4900, "werkgroep studentenhuisvesting"),
        (2020, "vraag studentenwoningen", 5350, "werkgroep studentenhuisvesting"),
        (2019, "aandeel voorraad tot aftoppingsgrens", 0.81, "corporaties"),
        (2020, "aandeel voorraad tot aftoppingsgrens", 0.80, "corporaties"),
        (2019, "taakstelling statushouders", 40, "gemeente"),
        (2020, "taakstelling statushouders", 30, "gemeente"),
    ]
    for corp in corps:
        for ind in (
            "huisuitzettingen",
            "bedrag huurachterstand",
            "huishoudens met huurachterstand",
            "huishoudens met kinderen",
        ):
            if not (corp == "De Veste" and ind == "huishoudens met kinderen"):
                rows.append((2019, ind, 10, corp))
    kengetallen = pd.DataFrame(rows, columns=["jaar", "indicator", "waarde", "partij"])
    write("enschede", actions, kengetallen, ["leefbaarheid"], dt.date(2020, 11, 30))
    path = ROOT / "enschede" / "invoer" / "toewijzingen_synthetisch.csv"
    allocations = pd.read_csv(path, sep=";", dtype=str)
    in_2020 = allocations.index[allocations["datum"].str.endswith("2020")]
    allocations.loc[in_2020[:47], "doelgroep"] = "jongeren 18-/18+"
    allocations.to_csv(path, sep=";", index=False)


def main() -> None:
    terneuzen()
    amersfoort()
    enschede()


if __name__ == "__main__":
    main()
