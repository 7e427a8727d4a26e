"""Every accepted column alias of the parties' files, in one place.

Canonical names are Dutch (the users' words). Matching ignores case, accents and
surrounding spaces, and treats spaces, hyphens, dots and underscores alike (``VHE-nummer``,
``vhe nummer`` and ``vhe_nummer`` are one name); the canonical name itself is always
accepted. The first alias found in a file wins. To accept another spelling, add it here
(and nowhere else).

Examples
--------
>>> "label" in STOCK_ALIASES["energielabel"]
True
"""

from __future__ import annotations

__all__ = [
    "ADDRESS_ALIASES",
    "HEAT_ALIASES",
    "LIVEABILITY_ALIASES",
    "LOCATION_ALIASES",
    "SALES_ALIASES",
    "STAND_ALIASES",
    "STOCK_ALIASES",
]

#: Location columns shared by stock and sales: RD New ``x``/``y``, WGS84 ``lon``/``lat``
#: or a CBS ``buurtcode``.
LOCATION_ALIASES: dict[str, tuple[str, ...]] = {
    "x": ("x_rd", "rd_x", "xcoord", "x_coord", "x-coordinaat", "x_coordinaat", "rdx"),
    "y": ("y_rd", "rd_y", "ycoord", "y_coord", "y-coordinaat", "y_coordinaat", "rdy"),
    "lon": ("longitude", "lng", "long", "lengtegraad"),
    "lat": ("latitude", "breedtegraad"),
    "buurtcode": ("bu_code", "buurt_code", "cbs_buurtcode", "statcode"),
}

#: Addresses and BAG ids (stock and sales without coordinates; a BAG extract). The BAG
#: GeoPackage names them ``identificatie``, ``postcode``, ``huisnummer``, ``huisletter``,
#: ``toevoeging``; EP-online ``Pand_bagverblijfsobjectid``, ``Pand_postcode``, ...
ADDRESS_ALIASES: dict[str, tuple[str, ...]] = {
    "bag_id": (
        "identificatie",
        "verblijfsobject_id",
        "verblijfsobjectid",
        "vbo_id",
        "bag_vbo_id",
        "bag_verblijfsobject_id",
        "bagverblijfsobjectid",
        "pand_bagverblijfsobjectid",
        "adresseerbaar_object_id",
        "bag_nummer",
    ),
    "postcode": ("pc6", "postcode6", "post_code", "pand_postcode"),
    "huisnummer": ("huisnr", "hnr", "huis_nummer", "pand_huisnummer"),
    "huisletter": ("letter", "huis_letter", "pand_huisletter"),
    "toevoeging": (
        "huisnummertoevoeging",
        "huisnummer_toevoeging",
        "toev",
        "huisnr_toev",
        "huisnummer_toev",
        "pand_huisnummer_toev",
        "pand_huisnummertoevoeging",
    ),
    "x": LOCATION_ALIASES["x"],
    "y": LOCATION_ALIASES["y"],
}

#: Stock (one row per dwelling, vhe = verhuureenheid).
STOCK_ALIASES: dict[str, tuple[str, ...]] = {
    "vhe_id": ("vhe", "vhe_nr", "vhe_nummer", "vhenummer", "eenheid", "eenheidnummer", "id"),
    "corporatie": ("corporation", "woningcorporatie", "toegelaten_instelling", "eigenaar"),
    **LOCATION_ALIASES,
    **{k: v for k, v in ADDRESS_ALIASES.items() if k not in LOCATION_ALIASES},
    "energielabel": ("label", "energie_label", "ei_label", "energy_label"),
    "bouwjaar": ("bouwjaar_vhe", "construction_year", "jaar_bouw"),
    "woningtype": ("type", "woning_type", "type_woning", "dwelling_type"),
    "huurprijs": ("kale_huur", "netto_huur", "huur", "rent", "kalehuur"),
    "daeb": ("daeb_status", "is_daeb"),
    "conditiescore": ("conditie", "nen2767", "nen_2767", "conditiemeting", "condition"),
}

#: Sales (planned or realised).
SALES_ALIASES: dict[str, tuple[str, ...]] = {
    "vhe_id": STOCK_ALIASES["vhe_id"],
    "corporatie": STOCK_ALIASES["corporatie"],
    **LOCATION_ALIASES,
    **{k: v for k, v in ADDRESS_ALIASES.items() if k not in LOCATION_ALIASES},
    "jaar": ("verkoopjaar", "year", "jaar_verkoop"),
    "status": ("verkoopstatus", "status_verkoop", "fase"),
}

#: Per-buurt liveability (Leefbaarometer) tables; dimension columns named
#: ``leefbaarometer_<dimensie>`` are kept as they are.
LIVEABILITY_ALIASES: dict[str, tuple[str, ...]] = {
    "buurtcode": LOCATION_ALIASES["buurtcode"],
    # "afw" is the deviation from the national mean, not the score (see sources.indicators)
    "leefbaarometer_score": ("lbm", "lbm_score", "leefbarometer_score", "score", "leefbaarheid"),
    "leefbaarometer_klasse": ("lbm_klasse", "klasse", "kl", "leefbarometer_klasse"),
    # listed so that JAAR / Jaar / year are found too: without it the latest year was not
    # chosen and the first row of each buurt (the oldest year) kept
    "jaar": ("year", "peiljaar"),
}

#: Heat-transition plans (Transitievisie Warmte, wijkuitvoeringsplan, PBL Startanalyse).
HEAT_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("buurtcode", "wijkcode", "bu_code", "wk_code", "statcode"),
    "startjaar": ("start", "start_jaar", "jaar", "periode", "planperiode", "start_periode"),
    "strategie": (
        "warmtestrategie",
        "warmte_strategie",
        "alternatief",
        "pbl_laagste_strategie",
        "strategy",
    ),
}

#: The date or year a file says its rows stand at (a stock snapshot, a start stock). A
#: config value for the same thing must agree with it (``sources._peil``).
STAND_ALIASES: dict[str, tuple[str, ...]] = {
    "peildatum": ("peil_datum", "datum_stand", "standdatum", "stand_per", "reference_date"),
    "peiljaar": ("peil_jaar", "jaar_stand", "standjaar"),
}
