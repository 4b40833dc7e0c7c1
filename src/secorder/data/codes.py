"""Country codes: Correlates of War (COW) numeric and alphabetic codes, and crosswalks.

COW numeric codes (``ccode``) are the key of every panel. This module holds

* the COW state list (numeric code, alphabetic code, name) as of states v2016;
* the COW <-> Gleditsch-Ward (GW) crosswalk: the two systems share numbers except for the
  cases in :data:`COW_GW_RULES`; they also differ in *when* some states exist (see
  :data:`CROSSWALK_NOTES`, reproduced in ``docs/data.md``);
* the Polity5 -> COW and V-Dem -> COW code tables used to key regime data to COW codes.

Every mapping works on scalars and, for panels, as a polars expression.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from secorder.errors import InputError

COW_STATES: tuple[tuple[int, str, str], ...] = (
    (2, "USA", "United States of America"),
    (20, "CAN", "Canada"),
    (31, "BHM", "Bahamas"),
    (40, "CUB", "Cuba"),
    (41, "HAI", "Haiti"),
    (42, "DOM", "Dominican Republic"),
    (51, "JAM", "Jamaica"),
    (52, "TRI", "Trinidad and Tobago"),
    (53, "BAR", "Barbados"),
    (54, "DMA", "Dominica"),
    (55, "GRN", "Grenada"),
    (56, "SLU", "St. Lucia"),
    (57, "SVG", "St. Vincent and the Grenadines"),
    (58, "AAB", "Antigua & Barbuda"),
    (60, "SKN", "St. Kitts and Nevis"),
    (70, "MEX", "Mexico"),
    (80, "BLZ", "Belize"),
    (90, "GUA", "Guatemala"),
    (91, "HON", "Honduras"),
    (92, "SAL", "El Salvador"),
    (93, "NIC", "Nicaragua"),
    (94, "COS", "Costa Rica"),
    (95, "PAN", "Panama"),
    (100, "COL", "Colombia"),
    (101, "VEN", "Venezuela"),
    (110, "GUY", "Guyana"),
    (115, "SUR", "Suriname"),
    (130, "ECU", "Ecuador"),
    (135, "PER", "Peru"),
    (140, "BRA", "Brazil"),
    (145, "BOL", "Bolivia"),
    (150, "PAR", "Paraguay"),
    (155, "CHL", "Chile"),
    (160, "ARG", "Argentina"),
    (165, "URU", "Uruguay"),
    (200, "UKG", "United Kingdom"),
    (205, "IRE", "Ireland"),
    (210, "NTH", "Netherlands"),
    (211, "BEL", "Belgium"),
    (212, "LUX", "Luxembourg"),
    (220, "FRN", "France"),
    (221, "MNC", "Monaco"),
    (223, "LIE", "Liechtenstein"),
    (225, "SWZ", "Switzerland"),
    (230, "SPN", "Spain"),
    (232, "AND", "Andorra"),
    (235, "POR", "Portugal"),
    (240, "HAN", "Hanover"),
    (245, "BAV", "Bavaria"),
    (255, "GMY", "Germany"),
    (260, "GFR", "German Federal Republic"),
    (265, "GDR", "German Democratic Republic"),
    (267, "BAD", "Baden"),
    (269, "SAX", "Saxony"),
    (271, "WRT", "Wuerttemburg"),
    (273, "HSE", "Hesse Electoral"),
    (275, "HSG", "Hesse Grand Ducal"),
    (280, "MEC", "Mecklenburg Schwerin"),
    (290, "POL", "Poland"),
    (300, "AUH", "Austria-Hungary"),
    (305, "AUS", "Austria"),
    (310, "HUN", "Hungary"),
    (315, "CZE", "Czechoslovakia"),
    (316, "CZR", "Czech Republic"),
    (317, "SLO", "Slovakia"),
    (325, "ITA", "Italy"),
    (327, "PAP", "Papal States"),
    (329, "SIC", "Two Sicilies"),
    (331, "SNM", "San Marino"),
    (332, "MOD", "Modena"),
    (335, "PMA", "Parma"),
    (337, "TUS", "Tuscany"),
    (338, "MLT", "Malta"),
    (339, "ALB", "Albania"),
    (341, "MNG", "Montenegro"),
    (343, "MAC", "Macedonia"),
    (344, "CRO", "Croatia"),
    (345, "YUG", "Yugoslavia"),
    (346, "BOS", "Bosnia and Herzegovina"),
    (347, "KOS", "Kosovo"),
    (349, "SLV", "Slovenia"),
    (350, "GRC", "Greece"),
    (352, "CYP", "Cyprus"),
    (355, "BUL", "Bulgaria"),
    (359, "MLD", "Moldova"),
    (360, "ROM", "Romania"),
    (365, "RUS", "Russia"),
    (366, "EST", "Estonia"),
    (367, "LAT", "Latvia"),
    (368, "LIT", "Lithuania"),
    (369, "UKR", "Ukraine"),
    (370, "BLR", "Belarus"),
    (371, "ARM", "Armenia"),
    (372, "GRG", "Georgia"),
    (373, "AZE", "Azerbaijan"),
    (375, "FIN", "Finland"),
    (380, "SWD", "Sweden"),
    (385, "NOR", "Norway"),
    (390, "DEN", "Denmark"),
    (395, "ICE", "Iceland"),
    (402, "CAP", "Cape Verde"),
    (403, "STP", "Sao Tome and Principe"),
    (404, "GNB", "Guinea-Bissau"),
    (411, "EQG", "Equatorial Guinea"),
    (420, "GAM", "Gambia"),
    (432, "MLI", "Mali"),
    (433, "SEN", "Senegal"),
    (434, "BEN", "Benin"),
    (435, "MAA", "Mauritania"),
    (436, "NIR", "Niger"),
    (437, "CDI", "Ivory Coast"),
    (438, "GUI", "Guinea"),
    (439, "BFO", "Burkina Faso"),
    (450, "LBR", "Liberia"),
    (451, "SIE", "Sierra Leone"),
    (452, "GHA", "Ghana"),
    (461, "TOG", "Togo"),
    (471, "CAO", "Cameroon"),
    (475, "NIG", "Nigeria"),
    (481, "GAB", "Gabon"),
    (482, "CEN", "Central African Republic"),
    (483, "CHA", "Chad"),
    (484, "CON", "Congo"),
    (490, "DRC", "Democratic Republic of the Congo"),
    (500, "UGA", "Uganda"),
    (501, "KEN", "Kenya"),
    (510, "TAZ", "Tanzania"),
    (511, "ZAN", "Zanzibar"),
    (516, "BUI", "Burundi"),
    (517, "RWA", "Rwanda"),
    (520, "SOM", "Somalia"),
    (522, "DJI", "Djibouti"),
    (530, "ETH", "Ethiopia"),
    (531, "ERI", "Eritrea"),
    (540, "ANG", "Angola"),
    (541, "MZM", "Mozambique"),
    (551, "ZAM", "Zambia"),
    (552, "ZIM", "Zimbabwe"),
    (553, "MAW", "Malawi"),
    (560, "SAF", "South Africa"),
    (565, "NAM", "Namibia"),
    (570, "LES", "Lesotho"),
    (571, "BOT", "Botswana"),
    (572, "SWA", "Swaziland"),
    (580, "MAG", "Madagascar"),
    (581, "COM", "Comoros"),
    (590, "MAS", "Mauritius"),
    (591, "SEY", "Seychelles"),
    (600, "MOR", "Morocco"),
    (615, "ALG", "Algeria"),
    (616, "TUN", "Tunisia"),
    (620, "LIB", "Libya"),
    (625, "SUD", "Sudan"),
    (626, "SSD", "South Sudan"),
    (630, "IRN", "Iran"),
    (640, "TUR", "Turkey"),
    (645, "IRQ", "Iraq"),
    (651, "EGY", "Egypt"),
    (652, "SYR", "Syria"),
    (660, "LEB", "Lebanon"),
    (663, "JOR", "Jordan"),
    (666, "ISR", "Israel"),
    (670, "SAU", "Saudi Arabia"),
    (678, "YAR", "Yemen Arab Republic"),
    (679, "YEM", "Yemen"),
    (680, "YPR", "Yemen People's Republic"),
    (690, "KUW", "Kuwait"),
    (692, "BAH", "Bahrain"),
    (694, "QAT", "Qatar"),
    (696, "UAE", "United Arab Emirates"),
    (698, "OMA", "Oman"),
    (700, "AFG", "Afghanistan"),
    (701, "TKM", "Turkmenistan"),
    (702, "TAJ", "Tajikistan"),
    (703, "KYR", "Kyrgyzstan"),
    (704, "UZB", "Uzbekistan"),
    (705, "KZK", "Kazakhstan"),
    (710, "CHN", "China"),
    (712, "MON", "Mongolia"),
    (713, "TAW", "Taiwan"),
    (730, "KOR", "Korea"),
    (731, "PRK", "North Korea"),
    (732, "ROK", "South Korea"),
    (740, "JPN", "Japan"),
    (750, "IND", "India"),
    (760, "BHU", "Bhutan"),
    (770, "PAK", "Pakistan"),
    (771, "BNG", "Bangladesh"),
    (775, "MYA", "Myanmar"),
    (780, "SRI", "Sri Lanka"),
    (781, "MAD", "Maldives"),
    (790, "NEP", "Nepal"),
    (800, "THI", "Thailand"),
    (811, "CAM", "Cambodia"),
    (812, "LAO", "Laos"),
    (816, "DRV", "Vietnam"),
    (817, "RVN", "Republic of Vietnam"),
    (820, "MAL", "Malaysia"),
    (830, "SIN", "Singapore"),
    (835, "BRU", "Brunei"),
    (840, "PHI", "Philippines"),
    (850, "INS", "Indonesia"),
    (860, "ETM", "East Timor"),
    (900, "AUL", "Australia"),
    (910, "PNG", "Papua New Guinea"),
    (920, "NEW", "New Zealand"),
    (935, "VAN", "Vanuatu"),
    (940, "SOL", "Solomon Islands"),
    (946, "KIR", "Kiribati"),
    (947, "TUV", "Tuvalu"),
    (950, "FIJ", "Fiji"),
    (955, "TON", "Tonga"),
    (970, "NAU", "Nauru"),
    (983, "MSI", "Marshall Islands"),
    (986, "PAL", "Palau"),
    (987, "FSM", "Federated States of Micronesia"),
    (990, "WSM", "Samoa"),
)
"""COW state list, v2016: ``(ccode, stateabb, statenme)``."""

_BY_CODE: dict[int, tuple[str, str]] = {c: (a, n) for c, a, n in COW_STATES}
_BY_ABB: dict[str, int] = {a: c for c, a, _ in COW_STATES}


@dataclass(frozen=True)
class Rule:
    """``src`` becomes ``dst`` in years ``first..last`` (inclusive; ``None`` = open-ended).

    ``dst=None`` means the state has no counterpart in the target system in those years.
    Rules are tried in order; codes matching no rule keep their number.
    """

    src: int
    dst: int | None
    first: int | None = None
    last: int | None = None
    note: str = ""


COW_GW_RULES: tuple[Rule, ...] = (
    Rule(255, 255, None, 1945, "Germany (Prussia) to 1945"),
    Rule(
        255, 260, 1990, None, "unified Germany continues the GW code of the German Federal Republic"
    ),
    Rule(345, 340, None, 1915, "Serbia before Yugoslavia is GW 340"),
    Rule(345, None, 1916, 1917, "Serbia under occupation: no GW state"),
    Rule(345, 340, 2006, None, "Serbia after Montenegro's independence is GW 340"),
    Rule(679, 678, 1990, None, "unified Yemen continues the GW code of the Yemen Arab Republic"),
    Rule(946, 970, note="Kiribati (GW microstates list)"),
    Rule(947, 973, note="Tuvalu (GW microstates list)"),
    Rule(955, 972, note="Tonga (GW microstates list)"),
    Rule(970, 971, note="Nauru (GW microstates list)"),
)
"""COW -> GW code changes. All other COW codes are the same number in GW."""

GW_COW_RULES: tuple[Rule, ...] = (
    Rule(260, 255, 1990, None, "unified Germany is COW 255 (GFR 260 ends 1990-10-02)"),
    Rule(340, 345, note="Serbia is COW 345 throughout"),
    Rule(678, 679, 1990, None, "unified Yemen is COW 679"),
    Rule(970, 946, note="Kiribati"),
    Rule(971, 970, note="Nauru"),
    Rule(972, 955, note="Tonga"),
    Rule(973, 947, note="Tuvalu"),
)
"""GW -> COW code changes. All other GW codes are the same number in COW."""

POLITY_COW_RULES: tuple[Rule, ...] = (
    Rule(324, 325, note="Sardinia (Polity) is Italy (COW 325) before 1861"),
    Rule(342, 345, note="Serbia"),
    Rule(347, 345, note="Yugoslavia / Serbia and Montenegro, 1991-2006"),
    Rule(341, 347, note="Kosovo"),
    Rule(348, 341, note="Montenegro"),
    Rule(364, 365, note="USSR"),
    Rule(529, 530, note="Ethiopia from 1993"),
    Rule(525, 626, note="South Sudan"),
    Rule(626, 625, note="Sudan (North) from 2011"),
    Rule(769, 770, note="Pakistan, 1947-1971"),
    Rule(818, 816, note="unified Vietnam from 1976 (COW keeps 816)"),
    Rule(89, None, note="United Provinces of Central America: not a COW state"),
    Rule(99, None, note="Gran Colombia: not a COW state"),
    Rule(564, None, note="Orange Free State: not a COW state"),
)
"""Polity5 ``ccode`` -> COW code. All other Polity codes are the COW number."""

VDEM_COW: dict[str, int] = {
    "AFG": 700,
    "AGO": 540,
    "ALB": 339,
    "ARE": 696,
    "ARG": 160,
    "ARM": 371,
    "AUS": 900,
    "AUT": 305,
    "AZE": 373,
    "BDI": 516,
    "BEL": 211,
    "BEN": 434,
    "BFA": 439,
    "BGD": 771,
    "BGR": 355,
    "BHR": 692,
    "BIH": 346,
    "BLR": 370,
    "BOL": 145,
    "BRA": 140,
    "BRB": 53,
    "BTN": 760,
    "BWA": 571,
    "CAF": 482,
    "CAN": 20,
    "CHE": 225,
    "CHL": 155,
    "CHN": 710,
    "CIV": 437,
    "CMR": 471,
    "COD": 490,
    "COG": 484,
    "COL": 100,
    "COM": 581,
    "CPV": 402,
    "CRI": 94,
    "CUB": 40,
    "CYP": 352,
    "CZE": 316,
    "DDR": 265,
    "DEU": 255,
    "DJI": 522,
    "DNK": 390,
    "DOM": 42,
    "DZA": 615,
    "ECU": 130,
    "EGY": 651,
    "ERI": 531,
    "ESP": 230,
    "EST": 366,
    "ETH": 530,
    "FIN": 375,
    "FJI": 950,
    "FRA": 220,
    "GAB": 481,
    "GBR": 200,
    "GEO": 372,
    "GHA": 452,
    "GIN": 438,
    "GMB": 420,
    "GNB": 404,
    "GNQ": 411,
    "GRC": 350,
    "GTM": 90,
    "GUY": 110,
    "HND": 91,
    "HRV": 344,
    "HTI": 41,
    "HUN": 310,
    "IDN": 850,
    "IND": 750,
    "IRL": 205,
    "IRN": 630,
    "IRQ": 645,
    "ISL": 395,
    "ISR": 666,
    "ITA": 325,
    "JAM": 51,
    "JOR": 663,
    "JPN": 740,
    "KAZ": 705,
    "KEN": 501,
    "KGZ": 703,
    "KHM": 811,
    "KOR": 732,
    "KWT": 690,
    "LAO": 812,
    "LBN": 660,
    "LBR": 450,
    "LBY": 620,
    "LKA": 780,
    "LSO": 570,
    "LTU": 368,
    "LUX": 212,
    "LVA": 367,
    "MAR": 600,
    "MDA": 359,
    "MDG": 580,
    "MDV": 781,
    "MEX": 70,
    "MKD": 343,
    "MLI": 432,
    "MLT": 338,
    "MMR": 775,
    "MNE": 341,
    "MNG": 712,
    "MOZ": 541,
    "MRT": 435,
    "MUS": 590,
    "MWI": 553,
    "MYS": 820,
    "NAM": 565,
    "NER": 436,
    "NGA": 475,
    "NIC": 93,
    "NLD": 210,
    "NOR": 385,
    "NPL": 790,
    "NZL": 920,
    "OMN": 698,
    "PAK": 770,
    "PAN": 95,
    "PER": 135,
    "PHL": 840,
    "PNG": 910,
    "POL": 290,
    "PRK": 731,
    "PRT": 235,
    "PRY": 150,
    "QAT": 694,
    "ROU": 360,
    "RUS": 365,
    "RWA": 517,
    "SAU": 670,
    "SDN": 625,
    "SEN": 433,
    "SGP": 830,
    "SLB": 940,
    "SLE": 451,
    "SLV": 92,
    "SOM": 520,
    "SRB": 345,
    "SSD": 626,
    "STP": 403,
    "SUR": 115,
    "SVK": 317,
    "SVN": 349,
    "SWE": 380,
    "SWZ": 572,
    "SYC": 591,
    "SYR": 652,
    "TCD": 483,
    "TGO": 461,
    "THA": 800,
    "TJK": 702,
    "TKM": 701,
    "TLS": 860,
    "TTO": 52,
    "TUN": 616,
    "TUR": 640,
    "TWN": 713,
    "TZA": 510,
    "UGA": 500,
    "UKR": 369,
    "URY": 165,
    "USA": 2,
    "UZB": 704,
    "VDR": 817,
    "VEN": 101,
    "VNM": 816,
    "VUT": 935,
    "XKX": 347,
    "YEM": 679,
    "YMD": 680,
    "ZAF": 560,
    "ZMB": 551,
    "ZWE": 552,
    "ZZB": 511,
}
"""V-Dem ``country_text_id`` -> COW code (outside the year rules in :data:`VDEM_COW_RULES`).

V-Dem ids without a COW state (HKG, PSB, PSE, PSG, SML) are absent."""

VDEM_COW_RULES: tuple[tuple[str, int | None, int | None, int | None], ...] = (
    ("DEU", 255, None, 1945),
    ("DEU", None, 1946, 1948),
    ("DEU", 260, 1949, 1989),
    ("CZE", 315, None, 1992),
    ("YEM", 678, None, 1989),
)
"""Year-dependent V-Dem ids ``(id, ccode, first, last)``: V-Dem's Germany series is West
Germany 1949-1989, its Czech Republic series is Czechoslovakia to 1992, and its Yemen series
is the Yemen Arab Republic to 1989."""

CROSSWALK_NOTES: tuple[tuple[str, str, str], ...] = (
    (
        "Korea",
        "730 KOR 1887-1905 (ends 1905-11-17)",
        "730 KOR 1816-1910 (ends 1910-08-22)",
    ),
    ("North Korea", "731 PRK from 1948-09-09", "731 PRK from 1948-09-09"),
    ("South Korea", "732 ROK from 1949-06-29", "732 ROK from 1948-08-15"),
    ("Taiwan", "713 TAW from 1949-12-08", "713 TAW from 1949-12-08"),
    (
        "China",
        "710 CHN from 1860-10-25 (ROC government to 1949)",
        "710 CHN from 1816",
    ),
    (
        "Vietnam",
        "816 DRV from 1954-07-21, continues as unified Vietnam",
        "816 DRV from 1954-05-01, continues as unified Vietnam",
    ),
    ("Republic of Vietnam", "817 RVN 1954-06-04 to 1975-04-30", "817 RVN 1954-05-01 to 1975-04-30"),
    (
        "Russia / USSR",
        "365 RUS 1816- (one code for Russia, the USSR and the Russian Federation)",
        "365 RUS 1816- (same)",
    ),
    (
        "Germany",
        "255 GMY 1816-1945 and 1990-; 260 GFR 1955-1990; 265 GDR 1954-1990",
        "255 1816-1945; 260 GFR 1949- (continues as unified Germany); 265 GDR 1949-1990",
    ),
    ("Japan", "740 JPN 1860-1945-08-14 and 1952-04-28-", "740 JPN 1816- (no occupation gap)"),
    (
        "Yemen",
        "678 YAR 1926-1990; 679 YEM 1990-; 680 YPR 1967-1990",
        "678 1918- (continues as unified Yemen); 680 1967-1990",
    ),
    (
        "Serbia / Yugoslavia",
        "345 YUG 1878- (Serbia, Yugoslavia, Serbia)",
        "340 Serbia 1878-1915 and 2006-; 345 Yugoslavia 1918-2006",
    ),
)
"""``(state, COW, Gleditsch-Ward)`` rows for the cases that trip up merges (docs/data.md)."""


def _rule_expr(code: pl.Expr, year: pl.Expr, rules: tuple[Rule, ...]) -> pl.Expr:
    chain: pl.Then | pl.ChainedThen | None = None
    for r in rules:
        cond = code == r.src
        if r.first is not None:
            cond = cond & (year >= r.first)
        if r.last is not None:
            cond = cond & (year <= r.last)
        value = pl.lit(r.dst, dtype=pl.Int64)
        chain = pl.when(cond).then(value) if chain is None else chain.when(cond).then(value)
    return code.cast(pl.Int64) if chain is None else chain.otherwise(code.cast(pl.Int64))


def _rule_scalar(code: int, year: int, rules: tuple[Rule, ...]) -> int | None:
    for r in rules:
        if (
            r.src == code
            and (r.first is None or year >= r.first)
            and (r.last is None or year <= r.last)
        ):
            return r.dst
    return code


def cow_to_gw(ccode: int, year: int) -> int | None:
    """Gleditsch-Ward code of COW state ``ccode`` in ``year`` (``None``: no GW counterpart).

    Examples
    --------
    Unified Germany is 255 in COW and 260 in Gleditsch-Ward, which keeps West Germany's code:

    >>> cow_to_gw(255, 1995)
    260
    >>> gw_to_cow(260, 1995)
    255
    """
    return _rule_scalar(ccode, year, COW_GW_RULES)


def gw_to_cow(gwcode: int, year: int) -> int | None:
    """COW code of GW state ``gwcode`` in ``year`` (``None``: no COW counterpart)."""
    return _rule_scalar(gwcode, year, GW_COW_RULES)


def cow_to_gw_expr(code: str | pl.Expr = "ccode", year: str | pl.Expr = "year") -> pl.Expr:
    """Polars expression (named ``gwcode``) mapping COW codes to GW codes, year by year."""
    return _rule_expr(_as_expr(code), _as_expr(year), COW_GW_RULES).alias("gwcode")


def gw_to_cow_expr(code: str | pl.Expr = "gwcode", year: str | pl.Expr = "year") -> pl.Expr:
    """Polars expression (named ``ccode``) mapping GW codes to COW codes, year by year."""
    return _rule_expr(_as_expr(code), _as_expr(year), GW_COW_RULES).alias("ccode")


def polity_to_cow_expr(code: str | pl.Expr = "ccode", year: str | pl.Expr = "year") -> pl.Expr:
    """Polars expression (named ``ccode``) mapping Polity5 country codes to COW codes."""
    return _rule_expr(_as_expr(code), _as_expr(year), POLITY_COW_RULES).alias("ccode")


def vdem_to_cow_expr(
    text_id: str | pl.Expr = "country_text_id", year: str | pl.Expr = "year"
) -> pl.Expr:
    """Polars expression (named ``ccode``) mapping V-Dem ``country_text_id`` to COW codes, year by year."""
    tid, yr = _as_expr(text_id), _as_expr(year)
    base = tid.replace_strict(VDEM_COW, default=None, return_dtype=pl.Int64)
    chain: pl.Then | pl.ChainedThen | None = None
    for vid, ccode, first, last in VDEM_COW_RULES:
        cond = tid == vid
        if first is not None:
            cond = cond & (yr >= first)
        if last is not None:
            cond = cond & (yr <= last)
        value = pl.lit(ccode, dtype=pl.Int64)
        chain = pl.when(cond).then(value) if chain is None else chain.when(cond).then(value)
    return (base if chain is None else chain.otherwise(base)).alias("ccode")


def _as_expr(x: str | pl.Expr) -> pl.Expr:
    return pl.col(x) if isinstance(x, str) else x


def cow_code(code: str | int) -> int:
    """COW numeric code for an alphabetic (``"ROK"``) or numeric (``732``, ``"732"``) code.

    Examples
    --------
    >>> cow_code("ROK"), cow_code("732"), cow_abb(713), cow_name(713)
    (732, 732, 'TAW', 'Taiwan')

    Raises
    ------
    InputError
        If the code is not in the COW state list.
    """
    if isinstance(code, int) or (isinstance(code, str) and code.strip().isdigit()):
        number = int(code)
        if number in _BY_CODE:
            return number
    elif isinstance(code, str) and code.strip().upper() in _BY_ABB:
        return _BY_ABB[code.strip().upper()]
    raise InputError(f"unknown COW state code {code!r}", field="states")


def cow_abb(ccode: int) -> str:
    """COW alphabetic code of ``ccode`` (e.g. 732 -> ``"ROK"``)."""
    return _lookup(ccode)[0]


def cow_name(ccode: int) -> str:
    """COW state name of ``ccode`` (e.g. 713 -> ``"Taiwan"``)."""
    return _lookup(ccode)[1]


def _lookup(ccode: int) -> tuple[str, str]:
    try:
        return _BY_CODE[int(ccode)]
    except (KeyError, ValueError):
        raise InputError(f"unknown COW state code {ccode!r}", field="states") from None


def cow_abb_expr(code: str | pl.Expr = "ccode") -> pl.Expr:
    """Polars expression giving the COW alphabetic code of a numeric code column."""
    return _as_expr(code).replace_strict(
        {c: a for c, a, _ in COW_STATES}, default=None, return_dtype=pl.String
    )
