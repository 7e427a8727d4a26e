"""The column glossary: every column a user sees, with its Dutch header, explanation and format.

One place for the words of the tables (``tabellen.xlsx``: headers and the "Toelichting"
sheet) and the GeoPackage (QGIS field aliases). Columns keep their canonical names in the
CSV files and GeoPackage fields (they are the contract between the stages and what a
re-read needs); users see the Dutch header. :func:`describe` knows

* fixed columns (``buurtcode``, ``sia_score``, …), some with a meaning per table
  (``jaar`` is the year of the buurt map in the buurt table, the prognosis year in the
  prognosis);
* families (``woningen_<corporatie>``, ``bijdrage_<criterium>``, ``huur_<klasse>``,
  ``voorraad_<jaar>``, CBS ``…_percentage`` and ``afstand_tot_…_km``);
* anything else: a readable header, the type from the data and an honest explanation
  ("kolom uit de invoer") — never an empty cell in the Toelichting.

A new output column gets its entry in :data:`COLUMNS` (or :data:`BY_TABLE`), nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from geoprestatie.sources.indicators import INDICATORS, LIVEABILITY_INDICATORS

__all__ = ["BY_TABLE", "COLUMNS", "FORMATS", "THEMES", "Kolom", "describe", "humanise"]

#: Number kinds -> Excel number format (stored locale-independently; Excel shows the
#: user's separators, so ``#,##0.0`` reads ``1.234,5`` in Dutch Excel).
FORMATS: dict[str, str | None] = {
    "text": None,
    "code": None,
    "bool": None,
    "count": "#,##0",
    "int": "#,##0",
    "year": "0",
    "num1": "#,##0.0",
    "num2": "#,##0.00",
    "num3": "0.000",
    "share": "0.0%",
    "percent": "0.0",
    "euro": '"€" #,##0',
    "keuro": '"€" #,##0" k"',
}

#: Themes of the buurt table, in sheet order (one sheet per theme in ``tabellen.xlsx``).
THEMES: tuple[str, ...] = (
    "Buurten",
    "Corporatiebezit",
    "Huur en verkoop",
    "Kerncijfers CBS",
    "Leefbaarheid",
    "Warmte",
    "SIA",
    "SIA-bijdragen",
    "Overig",
)


@dataclass(frozen=True)
class Kolom:
    """One column as users see it.

    Attributes
    ----------
    kop
        Dutch header (XLSX header, QGIS alias).
    uitleg
        One or two sentences: what the value is, its unit and source.
    soort
        Kind of value, a key of :data:`FORMATS`.
    thema
        Theme of a buurt-table column (a :data:`THEMES` entry).
    """

    kop: str
    uitleg: str
    soort: str = "text"
    thema: str = "Overig"


def _k(kop: str, uitleg: str, soort: str = "text", thema: str = "Overig") -> Kolom:
    return Kolom(kop, uitleg, soort, thema)


_B, _C, _H, _K, _L, _W, _S = (
    "Buurten",
    "Corporatiebezit",
    "Huur en verkoop",
    "Kerncijfers CBS",
    "Leefbaarheid",
    "Warmte",
    "SIA",
)

#: Fixed columns by canonical name.
COLUMNS: dict[str, Kolom] = {
    # buurt identity (CBS wijk- en buurtkaart)
    "buurtcode": _k("Buurtcode", "CBS-code van de buurt: BU + 8 cijfers.", "code", _B),
    "buurtnaam": _k("Buurt", "Naam van de buurt volgens CBS.", "text", _B),
    "wijkcode": _k("Wijkcode", "CBS-code van de wijk: WK + 6 cijfers.", "code", _B),
    "wijknaam": _k("Wijk", "Naam van de wijk volgens CBS.", "text", _B),
    "gemeentecode": _k("Gemeentecode", "CBS-code van de gemeente: GM + 4 cijfers.", "code", _B),
    "gemeentenaam": _k("Gemeente", "Naam van de gemeente.", "text", _B),
    "jaar": _k("Jaar indeling", "Jaar van de CBS wijk- en buurtkaart (de indeling).", "year", _B),
    "oppervlakte_ha": _k("Oppervlakte (ha)", "Oppervlakte van het gebied in hectare.", "num1", _B),
    # corporation stock (join of the stock files)
    "woningen_corporaties": _k(
        "Corporatiewoningen",
        "Aantal woningen van de corporaties in de buurt (uit de voorraadbestanden).",
        "count",
        _C,
    ),
    "n_corporaties": _k(
        "Aantal corporaties", "Aantal corporaties met woningen in de buurt.", "int", _C
    ),
    "aandeel_corporatie": _k(
        "Aandeel corporatiewoningen",
        "Corporatiewoningen gedeeld door de woningvoorraad volgens CBS.",
        "share",
        _C,
    ),
    "aandeel_efg": _k(
        "Aandeel label E/F/G",
        "Aandeel van de corporatiewoningen met een bekend energielabel dat E, F of G is.",
        "share",
        _C,
    ),
    "bouwjaar_mediaan": _k(
        "Bouwjaar (mediaan)", "Middelste bouwjaar van de corporatiewoningen.", "year", _C
    ),
    "verkoop_gepland": _k(
        "Verkoop gepland",
        "Aantal corporatiewoningen met een voorgenomen verkoop (verkoopbestand).",
        "count",
        _H,
    ),
    "verkoop_aandeel": _k(
        "Aandeel verkoop gepland",
        "Voorgenomen verkopen gedeeld door het aantal corporatiewoningen.",
        "share",
        _H,
    ),
    # CBS kerncijfers (embedded indicators or the user's own)
    "aantal_inwoners": _k("Inwoners", "Aantal inwoners (CBS kerncijfers).", "count", _K),
    "woningvoorraad": _k(
        "Woningvoorraad (CBS)", "Aantal woningen volgens CBS (alle eigenaren).", "count", _K
    ),
    "gemiddelde_woningwaarde": _k(
        "Gemiddelde WOZ-waarde (x € 1.000)",
        "Gemiddelde WOZ-waarde van de woningen in duizenden euro's (CBS).",
        "int",
        _K,
    ),
    "gemiddelde_huishoudensgrootte": _k(
        "Gemiddelde huishoudensgrootte",
        "Gemiddeld aantal personen per huishouden (CBS).",
        "num1",
        _K,
    ),
    "aardgasverbruik_m3_gemiddeld": _k(
        "Aardgasverbruik (m³, gemiddeld)",
        "Gemiddeld jaarlijks aardgasverbruik per woning in m³ (CBS).",
        "count",
        _K,
    ),
    "elektriciteitsverbruik_kwh_gemiddeld": _k(
        "Elektriciteitsverbruik (kWh, gemiddeld)",
        "Gemiddeld jaarlijks elektriciteitsverbruik per woning in kWh (CBS).",
        "count",
        _K,
    ),
    "social_economische_score_gemiddeld": _k(
        "Sociaal-economische score",
        "Gemiddelde sociaal-economische status score van de huishoudens (CBS; 0 is het "
        "landelijk gemiddelde, negatief is lager).",
        "num3",
        _K,
    ),
    "geluid_van_weg": _k(
        "Geluid wegverkeer",
        "Geluidsblootstelling door wegverkeer (RIVM), zoals in de bron "
        "(zie data/indicatoren/README.md).",
        "num1",
        _L,
    ),
    "geluid_van_treinverkeer": _k(
        "Geluid treinverkeer",
        "Geluidsblootstelling door treinverkeer (RIVM), zoals in de bron "
        "(zie data/indicatoren/README.md).",
        "num1",
        _L,
    ),
    # Leefbaarometer
    "leefbaarometer_score": _k(
        "Leefbaarometer",
        "Leefbaarometer-score van de buurt (ministerie van BZK); hoger is leefbaarder.",
        "num3",
        _L,
    ),
    "leefbaarometer_klasse": _k(
        "Leefbaarometer-klasse", "Klasse 1 (zeer onvoldoende) tot 9 (uitstekend).", "int", _L
    ),
    "leefbaarometer_dekking": _k(
        "Leefbaarometer-dekking",
        "Deel van de buurt dat door rastercellen met een score is bedekt.",
        "share",
        _L,
    ),
    "leefbaarometer_mediaan": _k(
        "Leefbaarometer (mediaan)", "Mediaan van de rastercellen in de buurt.", "num3", _L
    ),
    "leefbaarometer_fysieke_omgeving": _k(
        "Leefbaarometer: fysieke omgeving",
        "Bijdrage van de fysieke omgeving aan de Leefbaarometer-score (afwijking van het "
        "landelijk gemiddelde).",
        "num3",
        _L,
    ),
    "leefbaarometer_fysieke_overlast": _k(
        "Leefbaarometer: overlast en onveiligheid",
        "Bijdrage van overlast en onveiligheid aan de Leefbaarometer-score.",
        "num3",
        _L,
    ),
    "leefbaarometer_sociale_samenhang": _k(
        "Leefbaarometer: sociale samenhang",
        "Bijdrage van de sociale samenhang aan de Leefbaarometer-score.",
        "num3",
        _L,
    ),
    "leefbaarometer_voorzieningen": _k(
        "Leefbaarometer: voorzieningen",
        "Bijdrage van de voorzieningen aan de Leefbaarometer-score.",
        "num3",
        _L,
    ),
    "leefbaarometer_woningvoorraad": _k(
        "Leefbaarometer: woningvoorraad",
        "Bijdrage van de woningvoorraad aan de Leefbaarometer-score.",
        "num3",
        _L,
    ),
    # heat transition
    "warmte_startjaar": _k(
        "Startjaar warmtetransitie",
        "Jaar waarin de buurt volgens de transitievisie warmte van het aardgas gaat.",
        "year",
        _W,
    ),
    "warmte_strategie": _k(
        "Warmtestrategie", "Beoogd alternatief voor aardgas (bijv. warmtenet).", "text", _W
    ),
    # SIA
    "sia_score": _k(
        "SIA-score (0–100)",
        "Prioriteitsscore van de buurt: de som van de bijdragen van de criteria; leeg als de "
        "buurt niet geschikt is.",
        "num1",
        _S,
    ),
    "sia_gewicht_aanwezig": _k(
        "SIA-gewicht aanwezig",
        "Deel van het ingestelde gewicht waarop de score rust; onder 100 % zijn criteria "
        "zonder gegevens overgeslagen (zie de Toelichting).",
        "share",
        _S,
    ),
    "sia_rang": _k("SIA-rang", "Plaats in de prioriteitsvolgorde (1 = hoogste score).", "int", _S),
    "sia_geschikt": _k(
        "Geschikt", "Of de buurt meedoet in de prioritering (zie Reden).", "bool", _S
    ),
    "sia_reden": _k(
        "Reden", "Waarom de buurt wel of niet geschikt is voor de prioritering.", "text", _S
    ),
    "kans_top_k": _k(
        "Kans in de top",
        "Aandeel van de trekkingen met willekeurige gewichten waarin de buurt in de top staat "
        "(robuustheid).",
        "share",
        _S,
    ),
    "rang_p05": _k(
        "Rang (5e percentiel)", "Beste rang in 95 % van de trekkingen (5e percentiel).", "int", _S
    ),
    "rang_p95": _k("Rang (95e percentiel)", "Slechtste rang in 95 % van de trekkingen.", "int", _S),
    "robuust": _k(
        "Robuust",
        "De buurt staat in de top, ook als de gewichten binnen redelijke grenzen variëren.",
        "bool",
        _S,
    ),
    "wat_nodig_l1": _k(
        "Nodige gewichtsverschuiving",
        "Kleinste verschuiving van de gewichten die de buurt in of uit de top brengt: de som "
        "van de veranderingen van de gewichtsaandelen (6 procentpunt van het ene naar het "
        "andere criterium is 0,12).",
        "num2",
    ),
    "wat_nodig_tekst": _k(
        "Wat nodig is",
        "Wat er met de gewichten moet veranderen om de buurt in of uit de top te brengen.",
    ),
    "betrouwbaarheid": _k(
        "Betrouwbaarheid",
        "Of de centrale gewichten de buurt ook op rang 1 zetten (1 = ja, 0 = nee; leeg zonder "
        "centrale gewichten).",
        "num2",
    ),
    "dia_rol": _k(
        "Rol in de DIA", "Waarom de buurt in de DIA valt (bijvoorbeeld prioriteitsbuurt)."
    ),
    "dia_id": _k("DIA", "Code van het investeringsgebied (DIA) waar de buurt in valt.", "code", _S),
    "dia_naam": _k("DIA-naam", "Naam van het investeringsgebied (DIA).", "text", _S),
    "dia_reden": _k("DIA-toelichting", "Waarom de buurt wel of niet in een DIA valt.", "text", _S),
    # DIA areas
    "n_buurten": _k("Buurten", "Aantal buurten in het gebied.", "int"),
    "buurtcodes": _k("Buurtcodes", "De CBS-codes van de buurten in het gebied.", "text"),
    "buurtnamen": _k("Buurtnamen", "De namen van de buurten in het gebied.", "text"),
    "leefbaarometer_gemiddeld": _k(
        "Leefbaarometer (gemiddeld)", "Gemiddelde Leefbaarometer-score van de buurten.", "num3"
    ),
    "warmte_startjaren": _k(
        "Startjaren warmtetransitie", "De startjaren van de buurten in het gebied.", "text"
    ),
    "warmte_strategieen": _k(
        "Warmtestrategieën", "De warmtestrategieën van de buurten in het gebied.", "text"
    ),
    "sia_score_gemiddeld": _k(
        "SIA-score (gemiddeld)", "Gemiddelde SIA-score van de buurten in het gebied.", "num1"
    ),
    "kans_top_k_gemiddeld": _k(
        "Kans in de top (gemiddeld)",
        "Gemiddelde kans in de top van de buurten in het gebied.",
        "share",
    ),
    "n_robuust": _k("Robuuste buurten", "Aantal robuuste buurten in het gebied.", "int"),
    "n_geschikt": _k(
        "Geschikte buurten", "Aantal buurten dat aan de voorwaarden van de SIA voldoet.", "int"
    ),
    # DIA comparison
    "dia_id_oud": _k("Vorige DIA", "Code van het overeenkomende gebied in de vorige set.", "code"),
    "status": _k("Status", "Uitkomst (zie de toelichting van het blad).", "text"),
    "n_buurten_oud": _k("Buurten (vorige)", "Aantal buurten in het vorige gebied.", "int"),
    "overlap": _k(
        "Overlap", "Deel van de buurten dat in beide gebieden ligt (Jaccard-index).", "share"
    ),
    "buurten_erbij": _k("Buurten erbij", "Buurten die nieuw in het gebied liggen.", "text"),
    "buurten_eraf": _k("Buurten eraf", "Buurten die niet meer in het gebied liggen.", "text"),
    # join accounting
    "bron": _k("Bron", "Het soort invoer (voorraad, verkoop, leefbaarometer, warmte, …).", "text"),
    "bestand": _k("Bestand", "Het invoerbestand.", "text"),
    "eenheid": _k("Eenheid", "Wat één record in het bestand is (woning, buurt, …).", "text"),
    "gelezen": _k("Gelezen", "Aantal records dat is gelezen.", "count"),
    "gekoppeld": _k("Gekoppeld", "Aantal records dat aan een buurt is gekoppeld.", "count"),
    "waarvan_dichtstbij": _k(
        "Waarvan dichtstbijzijnde buurt",
        "Gekoppeld aan de dichtstbijzijnde buurt binnen de tolerantie (punt net buiten elke "
        "buurt).",
        "count",
    ),
    "niet_gekoppeld": _k(
        "Niet gekoppeld", "Aantal records dat niet gebruikt kon worden (zie de redenen).", "count"
    ),
    "bron_rij": _k("Rij in bestand", "Rijnummer zoals in het bestand (kopregel = rij 1).", "int"),
    "reden": _k("Reden", "Waarom het record niet is gebruikt.", "text"),
    "kolom": _k("Kolom", "De kolom in het bestand met de waarde die niet klopt.", "text"),
    "waarde": _k("Waarde", "De waarde zoals in het bestand.", "text"),
    "aantal": _k("Aantal", "Aantal records.", "count"),
    # prognosis
    "corporatie": _k("Corporatie", "Naam van de woningcorporatie.", "text"),
    "woningen": _k("Woningen", "Aantal woningen van de corporatie in de buurt.", "count"),
    "beginstand": _k("Beginstand", "Voorraad aan het begin van het jaar (woningen).", "count"),
    "eindstand": _k("Eindstand", "Voorraad aan het eind van het jaar (woningen).", "count"),
    "verandering": _k(
        "Verandering", "Eindstand van het laatste jaar min de beginstand van het eerste.", "count"
    ),
    "nieuwbouw": _k("Nieuwbouw", "Toevoeging door nieuwbouw (woningen).", "count"),
    "transformatie": _k("Transformatie", "Toevoeging door transformatie.", "count"),
    "aankoop": _k("Aankoop", "Toevoeging door aankoop.", "count"),
    "deliberalisatie": _k(
        "Deliberalisatie", "Toevoeging door terugzetten van vrije sector naar sociaal.", "count"
    ),
    "splitsing": _k("Splitsing", "Saldo van het splitsen van woningen.", "count"),
    "sloop": _k("Sloop", "Onttrekking door sloop (negatief).", "count"),
    "verkoop": _k("Verkoop", "Onttrekking door verkoop (negatief).", "count"),
    "liberalisatie": _k(
        "Liberalisatie", "Onttrekking door overgang naar de vrije sector (negatief).", "count"
    ),
    "samenvoeging": _k("Samenvoeging", "Saldo van het samenvoegen van woningen.", "count"),
    "saldo": _k(
        "Saldo (netto opgegeven)",
        "Gepubliceerde netto ontwikkeling (plus of min), niet gesplitst naar mutatiesoort.",
        "count",
    ),
    # adaptive programming (docs/prognosis.md)
    "niveau": _k("Niveau", "Gebiedsniveau: gemeente, wijk of buurt.", "text"),
    "gebied": _k("Gebied", "Code van de wijk of buurt (gemeente: de hele gemeente).", "code"),
    "segment": _k(
        "Segment",
        "Marktsegment: sociale huur, middenhuur, vrije huur, koop betaalbaar / midden / duur.",
        "text",
    ),
    "groei": _k("Groei", "Groei sinds het begin als alle plannen op tijd komen.", "count"),
    "behoefte": _k("Behoefte", "Woningen waarmee het segment dit jaar moet groeien.", "count"),
    "behoefte_cumulatief": _k(
        "Behoefte cumulatief", "Behoefte opgeteld vanaf het eerste jaar.", "count"
    ),
    "aanbod": _k("Plannen", "Geplande woningen in het jaar (alles op tijd).", "count"),
    "aanbod_cumulatief": _k(
        "Plannen cumulatief", "Geplande woningen opgeteld, als alles op tijd komt.", "count"
    ),
    "tekort": _k(
        "Tekort", "Cumulatieve behoefte min cumulatieve plannen (negatief: overschot).", "count"
    ),
    "signaal": _k("Signaal", "tekort, overschot of in balans (binnen de marge).", "text"),
    "zeker": _k(
        "Zeker", "Ook het gunstige of ongunstige verloop (band) valt buiten de marge.", "bool"
    ),
    "vanaf": _k("Vanaf", "Eerste jaar waarin het signaal geldt.", "year"),
    "zekerheid": _k(
        "Planstatus", "Status van het plan: hard, zacht, ambitie, idee of eigen.", "text"
    ),
    "richting": _k("Richting", "toevoeging of onttrekking.", "text"),
    "gepland": _k("Gepland", "Woningen gepland in het jaar.", "count"),
    "gerealiseerd": _k("Gerealiseerd", "Woningen gerealiseerd in het jaar.", "count"),
    "realisatiegraad": _k("Realisatiegraad", "Gerealiseerd gedeeld door gepland.", "share"),
    "scenario": _k("Scenario", "hard, zacht (hard + zacht) of alles.", "text"),
    "statussen": _k("Statussen", "De planstatussen die het scenario meetelt.", "text"),
    "tijdelijk_beginstand": _k(
        "Tijdelijk: beginstand", "Tijdelijke woningen aan het begin van het jaar.", "count"
    ),
    "tijdelijk_toevoeging": _k("Tijdelijk: toevoeging", "Tijdelijke woningen erbij.", "count"),
    "tijdelijk_onttrekking": _k(
        "Tijdelijk: onttrekking", "Tijdelijke woningen eraf (negatief).", "count"
    ),
    "tijdelijk_eindstand": _k(
        "Tijdelijk: eindstand", "Tijdelijke woningen aan het eind van het jaar.", "count"
    ),
    # monitor
    "afspraak_id": _k("Afspraak", "Nummer van de afspraak in de prestatieafspraken.", "code"),
    "tekst": _k("Tekst", "De afspraak zoals in het afsprakenbestand.", "text"),
    "partij": _k("Partij", "Wie de afspraak nakomt.", "text"),
    "gemeten": _k("Gemeten", "De gemeten waarde.", "num2"),
    "norm": _k("Norm", "De waarde die de afspraak vraagt.", "num2"),
    "toelichting": _k("Toelichting", "Hoe de status tot stand komt.", "text"),
    "n_overtredingen": _k("Overtredingen", "Aantal records dat de afspraak overtreedt.", "count"),
    "soort": _k("Soort regel", "verbod, aandeel, aantal of prognose.", "text"),
    "vergelijking": _k("Vergelijking", "Hoe gemeten en norm worden vergeleken.", "text"),
}

#: Columns with simulated bands (``<kolom>_p10``, ``<kolom>_gemiddeld`` ...).
_BANDED = ("eindstand", "groei", "aanbod_cumulatief", "tekort")

#: Columns whose meaning depends on the table (``tabel -> column -> Kolom``).
BY_TABLE: dict[str, dict[str, Kolom]] = {
    "prognose": {"jaar": _k("Jaar", "Jaar van de prognose.", "year")},
    "prognose_scenarios": {"jaar": _k("Eindjaar", "Laatste jaar van de prognose.", "year")},
    "behoefte_tekort": {"jaar": _k("Jaar", "Jaar van de behoefte en de plannen.", "year")},
    "bijsturen": {
        "jaar": _k("Tot en met", "Laatste jaar van de vergelijking.", "year"),
        "toelichting": _k("Toelichting", "Behoefte, plannen en band in woorden.", "text"),
        "aanbod_p50": _k("Plannen p50", "Cumulatieve plannen: 50e percentiel.", "count"),
    },
    "realisatie": {
        "corporatie": _k("Partij", "Corporatie, ontwikkelaar of gemeente.", "text"),
        "jaar": _k("Jaar", "Jaar van de realisatie.", "year"),
    },
    "programma_banden": {
        "jaar": _k("Jaar", "Stand aan het eind van dit jaar.", "year"),
        "mutatie": _k(
            "Verandering in het jaar", "Verandering in het jaar (alles op tijd).", "count"
        ),
    },
    "monitor": {
        "status": _k(
            "Status",
            "groen (afspraak gehaald), oranje (bijna), rood (niet gehaald) of onbekend "
            "(gegevens ontbreken).",
            "text",
        ),
        "bron": _k("Bron", "Waar de afspraak staat (document en paragraaf).", "text"),
    },
    "dia_vergelijking": {
        "status": _k(
            "Status",
            "ongewijzigd, gewijzigd, nieuw of vervallen ten opzichte van de vorige set.",
            "text",
        )
    },
}

#: Rent classes of ``huur_<klasse>`` (see ``geoprestatie.huur``).
_RENT: dict[str, str] = {
    "goedkoop": "kale huur tot en met de kwaliteitskortingsgrens",
    "betaalbaar_laag": "kale huur boven de kwaliteitskortingsgrens, tot en met de lage "
    "aftoppingsgrens",
    "betaalbaar_hoog": "kale huur tot en met de hoge aftoppingsgrens",
    "duur": "kale huur tot en met de liberalisatiegrens",
    "vrije_sector": "kale huur boven de liberalisatiegrens",
    "onbekend": "huur onbekend",
}

_PARTICLES = {"de", "het", "van", "der", "den", "en", "op", "aan"}


def humanise(name: str) -> str:
    """A readable header from a canonical name: ``aantal_inwoners`` -> ``Aantal inwoners``.

    Examples
    --------
    >>> humanise("afstand_tot_grote_supermarkt_km"), humanise("de_alliantie")
    ('Afstand tot grote supermarkt km', 'De alliantie')
    """
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else str(name)


def _corporation(slug: str) -> str:
    words = slug.replace("_", " ").split()
    return " ".join(w if w in _PARTICLES or len(w) < 3 else w[:1].upper() + w[1:] for w in words)


def _family(name: str, labels: Mapping[str, str]) -> Kolom | None:
    """Columns of a known family (prefix or suffix), or ``None``."""
    if name.startswith("woningen_"):
        corp = _corporation(name.removeprefix("woningen_"))
        return _k(f"Woningen {corp}", f"Aantal woningen van {corp} in het gebied.", "count", _C)
    if name.startswith("huur_") and name.removeprefix("huur_") in _RENT:
        klasse = name.removeprefix("huur_")
        return _k(
            f"Huur {klasse.replace('_', ' ')}",
            f"Aantal corporatiewoningen met {_RENT[klasse]} (grenzen van het huurjaar).",
            "count",
            _H,
        )
    if name.startswith("bijdrage_"):
        crit = name.removeprefix("bijdrage_")
        label = labels.get(crit, humanise(crit))
        return _k(
            f"Bijdrage {label}",
            f"Punten die het criterium '{label}' aan de SIA-score bijdraagt (gewicht maal "
            "genormaliseerde waarde).",
            "num2",
            "SIA-bijdragen",
        )
    if name.startswith("kans_rang_") and name.removeprefix("kans_rang_").isdigit():
        rank = name.removeprefix("kans_rang_")
        return _k(
            f"Kans op rang {rank}",
            f"Aandeel van de trekkingen met willekeurige gewichten waarin de buurt rang {rank} "
            "heeft.",
            "share",
        )
    if name.startswith("centraal_gewicht_"):
        crit = name.removeprefix("centraal_gewicht_")
        label = labels.get(crit, humanise(crit))
        return _k(
            f"Centraal gewicht {label}",
            f"Gemiddeld gewichtsaandeel van '{label}' in de trekkingen waarin de buurt eerste "
            "is (leeg als dat nooit zo is).",
            "share",
        )
    if name.startswith("voorraad_") and name.removeprefix("voorraad_").isdigit():
        year = name.removeprefix("voorraad_")
        return _k(
            f"Voorraad {year}", f"Corporatiewoningen aan het eind van {year} (prognose).", "count"
        )
    band = re.fullmatch(r"(.+)_(p\d{1,2}|gemiddeld)", name)
    if band and band.group(1) == "mutatie":
        band = None if name.endswith("gemiddeld") else band
        if band:
            q = band.group(2)
            return _k(f"Verandering in het jaar {q}", f"{q} van de simulaties.", "count")
    if band and band.group(1) in _BANDED:
        what, q = band.groups()
        base = COLUMNS[what].kop
        if q == "gemiddeld":
            return _k(f"{base} gemiddeld", f"{base}: gemiddelde van de simulaties.", "num1")
        return _k(
            f"{base} {q}",
            f"{base}: {q.removeprefix('p')}e percentiel van de simulaties (realisatiekans en "
            "vertraging per planstatus).",
            "count",
        )
    if name.endswith("_percentage"):
        what = humanise(name.removesuffix("_percentage"))
        what = re.sub(r"tussen (\d+) (\d+)$", r"tussen \1 en \2 jaar", what)  # an age band
        return _k(f"{what} (%)", f"{what}, in procenten (CBS kerncijfers).", "percent", _K)
    if name.startswith("afstand_tot_") and name.endswith("_km"):
        what = name.removeprefix("afstand_tot_").removesuffix("_km").replace("_", " ")
        return _k(
            f"Afstand tot {what} (km)",
            f"Gemiddelde afstand over de weg tot de dichtstbijzijnde {what} (CBS nabijheid).",
            "num1",
            _K,
        )
    return None


def _summary_column(name: str) -> Kolom:
    """Columns of the prognosis summary: the period (row labels), corporations, Totaal."""
    if re.fullmatch(r"\d{4}(-\d{4})?", name):
        return _k(f"Mutatie {name}", f"De soort mutatie; aantallen over de jaren {name}.", "text")
    who = "alle corporaties samen" if name.lower() == "totaal" else name
    return _k(name, f"Aantal woningen van {who} over de periode (+ erbij, − eraf).", "count")


#: Units of :data:`geoprestatie.sources.indicators.INDICATORS` -> kinds of :data:`FORMATS`.
_UNIT_KINDS = {"aantal": "count", "euro": "euro", "aandeel 0-1": "share", "score": "num3"}


def _indicator(name: str) -> Kolom | None:
    """A canonical CBS or Leefbaarometer indicator, with the label its registry gives."""
    if name in LIVEABILITY_INDICATORS:
        found, theme, source = LIVEABILITY_INDICATORS[name], _L, "Leefbaarometer 3.0 (BZK)"
    elif name in INDICATORS:
        found, theme, source = INDICATORS[name], _K, "CBS, Kerncijfers wijken en buurten"
    else:
        return None
    kop = found.label.removesuffix(" (CBS)")
    unit = {"aandeel 0-1": "aandeel", "aantal": "aantal"}.get(found.unit, found.unit)
    return _k(
        kop, f"{found.label}; {unit}. Bron: {source}.", _UNIT_KINDS.get(found.unit, "num2"), theme
    )


def _kind_of(values: pd.Series | None) -> str:
    if values is None:
        return "text"
    if pd.api.types.is_bool_dtype(values):
        return "bool"
    if pd.api.types.is_integer_dtype(values):
        return "int"
    if pd.api.types.is_float_dtype(values):
        return "num2"
    return "text"


#: columns holding a year (printed 2026, not 2.026) besides those ending in "jaar"
YEAR_NAMES = frozenset({"vanaf", "van", "tot", "tm", "peildatum_jaar"})


def is_year_column(name: object) -> bool:
    """Whether a column holds years: ``jaar``, ``eindjaar``, ``jaar_start``, ``vanaf`` ...

    >>> [is_year_column(c) for c in ("jaar", "eindjaar", "jaar_start", "vanaf", "woningen")]
    [True, True, True, True, False]
    """
    text = str(name).lower()
    return text.endswith("jaar") or text.startswith("jaar_") or text in YEAR_NAMES


def describe(
    name: str,
    *,
    table: str | None = None,
    values: pd.Series | None = None,
    labels: Mapping[str, str] | None = None,
) -> Kolom:
    """The Dutch header, explanation, kind and theme of a column.

    Parameters
    ----------
    name
        Canonical column name.
    table
        The table it is in (``buurttabel``, ``prognose``, …): some columns mean something
        else per table.
    values
        The column's values: the kind of an unknown column is taken from their type.
    labels
        Criterion labels (``criterium -> label``) for ``bijdrage_*`` columns.

    Examples
    --------
    >>> describe("aandeel_efg").kop, describe("aandeel_efg").soort
    ('Aandeel label E/F/G', 'share')
    >>> describe("jaar", table="prognose").uitleg
    'Jaar van de prognose.'
    >>> describe("woningen_de_alliantie").kop
    'Woningen de Alliantie'
    >>> describe("bijdrage_leefbaarheid", labels={"leefbaarheid": "Leefbaarometer"}).kop
    'Bijdrage Leefbaarometer'
    >>> k = describe("mijn_indicator", values=pd.Series([1.5]))
    >>> k.kop, k.soort, k.uitleg
    ('Mijn indicator', 'num2', 'Kolom uit de invoer (mijn_indicator), zonder vaste toelichting.')
    >>> describe("eindjaar", values=pd.Series([2030])).soort  # 2030, not 2.030
    'year'
    """
    name = str(name)
    if table is not None and name in BY_TABLE.get(table, {}):
        return BY_TABLE[table][name]
    if table == "prognose_samenvatting":
        return _summary_column(name)
    if name in COLUMNS:
        return COLUMNS[name]
    indicator = _indicator(name)
    if indicator is not None:
        return indicator
    family = _family(name, labels or {})
    if family is not None:
        return family
    kind = "year" if is_year_column(name) else _kind_of(values)
    return _k(humanise(name), f"Kolom uit de invoer ({name}), zonder vaste toelichting.", kind)
