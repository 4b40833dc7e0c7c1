"""Loaders for the standard peace-science datasets.

Each ``load_*`` function takes either an explicit ``path`` or a ``source_dir`` (default
``$SECORDER_DATA_DIR``) laid out like ``../shared/data`` (``cow_nmc/NMC-7.0_peacesciencer.csv``
and so on); the producers' own file names (``NMC-60-abridged.csv``, ``MIDA 5.0.csv``,
``contdird.csv``, ``atop5_1ddyr.csv``, ...) are also found, directly under ``source_dir`` or in
the standard sub-folder. Files may be gzip-compressed. Columns are typed, documented
missing-value codes are nulls, and a wrong or damaged file raises
:class:`~secorder.errors.DataError` naming the file and the problem.

Missing-value codes turned into nulls
-------------------------------------
* NMC, MID (A/B/I/IP), GML, dyadic MID, trade, wars: ``-9`` (and ``-8``, "not applicable",
  in the COW war participant file).
* Polity5: ``-66``, ``-77``, ``-88`` in ``democ``, ``autoc``, ``polity`` and the component
  variables. ``polity2`` is left alone: ``-9`` is a valid score there.
* COW IGO state-year membership: ``-9`` (missing) and ``-1`` (state not a system member or
  IGO not in existence).
* ATOP: ``yrexit``/``endyr`` of ``0`` (still in effect at the end of coverage) become null.
* Empty fields and the string ``NA`` everywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal, NamedTuple

import polars as pl

from secorder.data._io import Spec, read_header, read_table, resolve_path, version_of
from secorder.data.citations import Source
from secorder.data.codes import vdem_to_cow_expr
from secorder.errors import DataError, InputError

PathLike = str | os.PathLike[str]

INT, FLT, STR, DATE = pl.Int64, pl.Float64, pl.String, pl.Date


def _ints(*names: str) -> tuple[tuple[str, type[pl.DataType]], ...]:
    return tuple((n, INT) for n in names)


def _floats(*names: str) -> tuple[tuple[str, type[pl.DataType]], ...]:
    return tuple((n, FLT) for n in names)


def _na(codes: tuple[int, ...], *names: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
    return tuple((n, codes) for n in names)


_NMC_VARS = ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc")
NMC = Spec(
    "COW National Material Capabilities",
    columns=(("ccode", INT), ("year", INT), *_floats(*_NMC_VARS)),
    optional=(("stateabb", STR), ("version", STR)),
    na_codes=_na((-9,), *_NMC_VARS),
    signature=("milex", "milper", "irst", "pec", "cinc"),
)
STATES = Spec(
    "COW state system membership",
    columns=(
        ("stateabb", STR),
        ("ccode", INT),
        ("statenme", STR),
        *_ints("styear", "stmonth", "stday", "endyear", "endmonth", "endday"),
    ),
    optional=(("version", STR),),
    signature=("statenme", "styear", "endyear", "stmonth"),
)
MAJORS = Spec(
    "COW major powers",
    columns=(("ccode", INT), *_ints("styear", "stmonth", "stday", "endyear", "endmonth", "endday")),
    optional=(("stateabb", STR), ("version", STR)),
)
GW_STATES = Spec(
    "Gleditsch-Ward state list",
    columns=(
        ("gwcode", INT),
        ("stateabb", STR),
        ("statename", STR),
        ("startdate", DATE),
        ("enddate", DATE),
    ),
    signature=("gwcode", "startdate", "enddate", "statename"),
)
CAPITALS = Spec(
    "COW state capitals",
    columns=(
        ("ccode", INT),
        ("statenme", STR),
        ("capital", STR),
        ("stdate", DATE),
        ("enddate", DATE),
        ("lat", FLT),
        ("lng", FLT),
    ),
    signature=("capital", "lat", "lng"),
)
_MID_DATES = ("stday", "stmon", "styear", "endday", "endmon", "endyear")
MIDA = Spec(
    "COW MID dispute-level (MIDA)",
    columns=_ints(
        "dispnum",
        *_MID_DATES,
        "outcome",
        "settle",
        "fatality",
        "fatalpre",
        "maxdur",
        "mindur",
        "hiact",
        "hostlev",
        "recip",
        "numa",
        "numb",
    ),
    optional=(*_ints("ongo2014", "ongo2010", "ongo2001"), ("version", STR)),
    na_codes=_na(
        (-9,),
        "stday",
        "stmon",
        "endday",
        "endmon",
        "outcome",
        "settle",
        "fatality",
        "fatalpre",
        "maxdur",
        "mindur",
        "hiact",
        "hostlev",
        "recip",
    ),
    signature=("dispnum", "outcome", "settle", "numa", "numb", "styear"),
)
MIDB = Spec(
    "COW MID participant-level (MIDB)",
    columns=(
        ("dispnum", INT),
        ("stabb", STR),
        ("ccode", INT),
        *_ints(
            *_MID_DATES,
            "sidea",
            "revstate",
            "revtype1",
            "revtype2",
            "fatality",
            "fatalpre",
            "hiact",
            "hostlev",
            "orig",
        ),
    ),
    optional=(("version", STR),),
    na_codes=_na(
        (-9,),
        "stday",
        "stmon",
        "endday",
        "endmon",
        "revstate",
        "revtype1",
        "revtype2",
        "fatality",
        "fatalpre",
        "hiact",
        "hostlev",
        "orig",
    ),
    signature=("dispnum", "ccode", "revstate", "orig", "sidea"),
)
MIDI = Spec(
    "COW MID incident-level (MIDI)",
    columns=_ints(
        "dispnum",
        "incidnum",
        *_MID_DATES,
        "duration",
        "tbi",
        "fatality",
        "fatalpre",
        "action",
        "hostlev",
        "numa",
    ),
    optional=(("version", STR),),
    na_codes=_na(
        (-9,),
        "stday",
        "stmon",
        "endday",
        "endmon",
        "duration",
        "tbi",
        "fatality",
        "fatalpre",
        "action",
        "hostlev",
    ),
    signature=("incidnum", "duration", "tbi", "action"),
)
MIDIP = Spec(
    "COW MID incident-participant-level (MIDIP)",
    columns=(
        ("dispnum", INT),
        ("incidnum", INT),
        ("stabb", STR),
        ("ccode", INT),
        *_ints(
            *_MID_DATES,
            "insidea",
            "sidea",
            "fatality",
            "fatalpre",
            "action",
            "hostlev",
            "revtype1",
            "revtype2",
        ),
    ),
    optional=(("version", STR),),
    na_codes=_na(
        (-9,),
        "stday",
        "stmon",
        "endday",
        "endmon",
        "fatality",
        "fatalpre",
        "action",
        "hostlev",
        "revtype1",
        "revtype2",
    ),
    signature=("incidnum", "insidea", "ccode"),
)
GML_DISPUTES = Spec(
    "GML MID dispute-level",
    columns=_ints(
        "dispnum",
        "styear",
        "stmon",
        "outcome",
        "settle",
        "fatality",
        "mindur",
        "maxdur",
        "hiact",
        "hostlev",
        "recip",
    ),
    na_codes=_na(
        (-9,),
        "stmon",
        "outcome",
        "settle",
        "fatality",
        "mindur",
        "maxdur",
        "hiact",
        "hostlev",
        "recip",
    ),
)
GML_PARTICIPANTS = Spec(
    "GML MID participant-level",
    columns=_ints(
        "dispnum",
        "ccode",
        "styear",
        "stmon",
        "stday",
        "endyear",
        "endmon",
        "endday",
        "sidea",
        "hiact",
        "orig",
    ),
    optional=(("obsid_start", STR), ("obsid_end", STR)),
    na_codes=_na((-9,), "stmon", "stday", "endmon", "endday", "hiact", "orig"),
    signature=("obsid_start", "obsid_end"),
)
_DD = ("sidea", "fatality", "fatalpre", "hiact", "hostlev", "orig")
GML_DIRDISP = Spec(
    "GML MID directed dispute-year",
    columns=_ints(
        "dispnum",
        "ccode1",
        "ccode2",
        "year",
        "midongoing",
        "midonset",
        *(f"{v}{i}" for v in _DD for i in (1, 2)),
    ),
    optional=(("version", STR),),
    na_codes=_na((-9,), *(f"{v}{i}" for v in _DD[1:] for i in (1, 2))),
    signature=("midongoing", "midonset", "ccode1", "ccode2"),
)
DYADIC_MID = Spec(
    "Dyadic MID (Maoz et al.)",
    columns=_ints(
        "disno",
        "statea",
        "stateb",
        "year",
        "strtyr",
        "endyear",
        "outcome",
        "settlmnt",
        "fatlev",
        "highact",
        "hihost",
        "recip",
        "sideaa",
        "sideab",
        "rolea",
        "roleb",
        "war",
    ),
    optional=(
        ("dyindex", FLT),
        ("namea", STR),
        ("nameb", STR),
        *_ints("revstata", "revstatb", "fatleva", "fatlevb", "hihosta", "hihostb", "duration"),
    ),
    na_codes=_na(
        (-9,),
        "outcome",
        "settlmnt",
        "fatlev",
        "highact",
        "hihost",
        "recip",
        "revstata",
        "revstatb",
        "fatleva",
        "fatlevb",
        "hihosta",
        "hihostb",
        "duration",
    ),
    signature=("disno", "statea", "stateb", "hihost", "fatlev"),
)
MIDLOC_A = Spec(
    "MIDLOC dispute locations",
    columns=(
        ("year", INT),
        ("dispnum", INT),
        ("midloc2_location", STR),
        ("midloc2_xlongitude", FLT),
        ("midloc2_ylatitude", FLT),
        ("midloc2_precision", INT),
    ),
    optional=(("midloc2_measuringpoint", STR), ("priogrid_cell", INT)),
    signature=("midloc2_location", "midloc2_xlongitude"),
)
MIDLOC_I = Spec(
    "MIDLOC incident locations",
    columns=(
        ("year", INT),
        ("dispnum", INT),
        ("incidnum", INT),
        ("midloc2_location", STR),
        ("midloc2_xlongitude", FLT),
        ("midloc2_ylatitude", FLT),
        ("midloc2_precision", INT),
        ("onset", INT),
    ),
    optional=(("midloc2_measuringpoint", STR), ("priogrid_cell", INT)),
    signature=("midloc2_location", "incidnum"),
)
WAR_DYAD_YEARS = Spec(
    "COW inter-state war (dyad-year)",
    columns=_ints(
        "warnum",
        "ccode1",
        "ccode2",
        "year",
        "cowinterongoing",
        "cowinteronset",
        "sidea1",
        "sidea2",
        "initiator1",
        "initiator2",
        "outcome1",
        "outcome2",
        "batdeath1",
        "batdeath2",
    ),
    optional=_ints("resume"),
    na_codes=_na((-9,), "outcome1", "outcome2", "batdeath1", "batdeath2"),
    signature=("cowinterongoing", "cowinteronset"),
)
WAR_DIRECTED = Spec(
    "COW directed dyadic inter-state war",
    columns=_ints(
        "warnum",
        "disno",
        "statea",
        "stateb",
        "warstrtyr",
        "warendyr",
        "year",
        "outcomea",
        "batdtha",
        "batdthb",
        "batdths",
    ),
    optional=_ints(
        "warstrtmnth",
        "warstrtday",
        "warendmnth",
        "warenday",
        "warolea",
        "waroleb",
        "wardyadrolea",
        "wardyadroleb",
    ),
    na_codes=_na((-9,), "outcomea", "batdtha", "batdthb", "batdths", "warstrtday", "warenday"),
    signature=("warstrtyr", "warendyr", "batdths"),
)
WAR_PARTICIPANTS = Spec(
    "COW inter-state war participants",
    columns=(
        ("warnum", INT),
        ("warname", STR),
        ("wartype", INT),
        ("ccode", INT),
        ("statename", STR),
        *_ints(
            "side",
            "startyear1",
            "endyear1",
            "startyear2",
            "endyear2",
            "initiator",
            "outcome",
            "batdeath",
        ),
    ),
    optional=(("version", STR),),
    na_codes=_na((-9, -8, -7), "startyear2", "endyear2", "endyear1", "outcome", "batdeath"),
    signature=("warname", "wartype", "batdeath"),
)
CONTIGUITY_DY = Spec(
    "COW direct contiguity (directed dyad-year)",
    columns=_ints("ccode1", "ccode2", "year", "conttype"),
    optional=(("state1ab", STR), ("state2ab", STR), ("version", STR)),
    aliases=(("state1no", "ccode1"), ("state2no", "ccode2")),
    signature=("state1no", "state2no", "conttype", "year"),
)
CONTIGUITY_PS = Spec(
    "COW direct contiguity (directed spells)",
    columns=(
        ("ccode1", INT),
        ("ccode2", INT),
        ("conttype", INT),
        ("stdate", DATE),
        ("enddate", DATE),
    ),
    signature=("conttype", "stdate", "enddate"),
)
CONTIGUITY_MASTER = Spec(
    "COW direct contiguity (master records)",
    columns=_ints("ccode1", "ccode2", "conttype", "begin", "end"),
    aliases=(("state1no", "ccode1"), ("state2no", "ccode2")),
    signature=("state1no", "conttype", "begin", "end"),
)
MINDIST = Spec(
    "CShapes minimum distance",
    columns=(("ccode1", INT), ("ccode2", INT), ("year", INT), ("mindist", FLT)),
    signature=("mindist",),
)
MINDIST_GW = Spec(
    "CShapes minimum distance (GW codes)",
    columns=(("gwcode1", INT), ("gwcode2", INT), ("year", INT), ("mindist", FLT)),
    signature=("mindist", "gwcode1"),
)
IGO_STATE_YEAR = Spec(
    "COW IGO state-year memberships",
    columns=_ints("ccode", "year"),
    optional=(("state", STR),),
    rest=INT,
    rest_exclude=("state",),
    rest_na_codes=(-9, -1),
    signature=("ccode", "year", "state", "un"),
)
IGO_DYAD_YEAR = Spec(
    "COW IGO shared memberships (dyad-year)",
    columns=_ints("ccode1", "ccode2", "year", "dyadigos"),
    signature=("dyadigos",),
)
IGO_YEAR = Spec(
    "COW IGO organisation-year",
    columns=(("ioname", STR), ("orgname", STR), ("year", INT), ("sdate", INT), ("deaddate", INT)),
    optional=(("longorgname", STR), ("ionum", INT)),
    signature=("ioname", "orgname", "sdate"),
)
IGO_COUNTS = Spec(
    "COW IGO membership counts (state-year)",
    columns=_ints(
        "ccode", "year", "sum_igo_full", "sum_igo_associate", "sum_igo_observer", "sum_igo_anytype"
    ),
    signature=("sum_igo_full",),
)
TRADE_DYADIC = Spec(
    "COW dyadic trade",
    columns=(
        ("ccode1", INT),
        ("ccode2", INT),
        ("year", INT),
        *_floats("flow1", "flow2", "smoothflow1", "smoothflow2"),
    ),
    na_codes=_na((-9,), "flow1", "flow2", "smoothflow1", "smoothflow2"),
    signature=("flow1", "flow2", "smoothflow1"),
)
TRADE_NATIONAL = Spec(
    "COW national trade",
    columns=(("ccode", INT), ("year", INT), ("imports", FLT), ("exports", FLT)),
    optional=(("stateabb", STR), ("statename", STR), ("version", STR)),
    na_codes=_na((-9,), "imports", "exports"),
    signature=("imports", "exports"),
)
_ATOP_OBS = ("defense", "offense", "neutral", "nonagg", "consul")
ATOP_DDYR = Spec(
    "ATOP directed dyad-year",
    columns=(*_ints("ccode1", "ccode2", "year"), *((f"atop_{o}", INT) for o in _ATOP_OBS)),
    aliases=(("statea", "ccode1"), ("stateb", "ccode2"), *((o, f"atop_{o}") for o in _ATOP_OBS)),
    signature=("atop_defense", "atop_consul"),
)
ATOP_MEMBER = Spec(
    "ATOP member-level",
    columns=_ints("atopid", "member", "yrent", "yrexit", "bilat", *_ATOP_OBS),
    optional=(
        *_ints("ineffect", "phase", "asymm", "intcom", "milcon", "organ1", "base"),
        ("version", STR),
    ),
    na_codes=_na((0,), "yrexit"),
    signature=("atopid", "member", "yrent", "yrexit"),
)
ATOP_ALLIANCE = Spec(
    "ATOP alliance-level",
    columns=_ints("atopid", "begyr", "endyr", "bilat", *_ATOP_OBS),
    optional=(*_ints("ineffect", "asymm", "intcom", "milcon", "organ1", "base"), ("version", STR)),
    na_codes=_na((0,), "endyr"),
    signature=("atopid", "begyr", "endyr", "mem1"),
)
_POLITY_COMPONENTS = (
    "democ",
    "autoc",
    "polity",
    "xrreg",
    "xrcomp",
    "xropen",
    "xconst",
    "parreg",
    "parcomp",
    "exrec",
    "exconst",
    "polcomp",
)
POLITY = Spec(
    "Polity5",
    columns=(
        ("ccode", INT),
        ("scode", STR),
        ("country", STR),
        ("year", INT),
        *_ints(*_POLITY_COMPONENTS),
        ("polity2", INT),
    ),
    optional=_ints("durable", "regtrans", "fragment"),
    na_codes=_na((-66, -77, -88), *_POLITY_COMPONENTS),
    signature=("polity2", "democ", "autoc", "xconst"),
)
VDEM = Spec(
    "V-Dem",
    columns=(
        ("country_text_id", STR),
        ("country_name", STR),
        ("year", INT),
        ("v2x_polyarchy", FLT),
    ),
    optional=(
        ("country_id", INT),
        ("cowcode", INT),
        ("v2x_regime", INT),
        ("v2x_polyarchy_codelow", FLT),
        ("v2x_polyarchy_codehigh", FLT),
        ("reg_type", INT),
    ),
    signature=("country_text_id", "v2x_polyarchy"),
)
DEMOCRACY = Spec(
    "Democracy scores keyed to COW codes",
    columns=(
        ("ccode", INT),
        ("year", INT),
        ("v2x_polyarchy", FLT),
        ("polity2", FLT),
        ("xm_qudsest", FLT),
    ),
    signature=("xm_qudsest", "v2x_polyarchy", "polity2"),
)
ICB_ACTOR = Spec(
    "ICB actor-level",
    columns=(
        ("crisno", INT),
        ("cracno", INT),
        ("cracid", INT),
        ("actor", STR),
        ("crisname", STR),
        *_ints("yrtrig", "motrig", "datrig", "yrterm", "moterm", "daterm", "viol"),
    ),
    optional=_ints("triggr", "trigent", "crismg", "cenvio", "sevvio", "outcom", "gravty"),
    signature=("cracid", "cracno"),
)
ICB_CRISIS = Spec(
    "ICB crisis-level",
    columns=(
        ("crisno", INT),
        ("crisname", STR),
        *_ints(
            "yrtrig", "motrig", "datrig", "yrterm", "moterm", "daterm", "viol", "crismg", "gravcr"
        ),
    ),
    optional=_ints("noactr", "geog", "cenviosy", "sevviosy", "trigent"),
    signature=("crisno", "gravcr", "noactr"),
)
TSS_RIVALRIES = Spec(
    "Thompson-Sakuwa-Suhas strategic rivalries",
    columns=(
        ("tssr_id", INT),
        ("rivalry", STR),
        *_ints(
            "ccode1",
            "ccode2",
            "start",
            "end",
            "positional",
            "spatial",
            "ideological",
            "interventionary",
            "principal",
            "aprin",
        ),
    ),
    signature=("tssr_id", "positional", "spatial"),
)
TD_RIVALRIES = Spec(
    "Thompson-Dreyer strategic rivalries",
    columns=(
        ("rivalryno", INT),
        ("rivalryname", STR),
        *_ints("ccode1", "ccode2", "styear", "endyear"),
        ("region", STR),
        ("type1", STR),
        ("type2", STR),
        ("type3", STR),
    ),
    signature=("rivalryno", "rivalryname", "type1"),
)
ARMS_RACES = Spec(
    "Gibler-Rider-Hutchison arms races",
    columns=_ints("race_id", "ccode1", "ccode2", "styear", "endyear"),
    signature=("race_id",),
)

ALL_SPECS: tuple[Spec, ...] = (
    NMC, STATES, GW_STATES, CAPITALS, MIDA, MIDB, MIDI, MIDIP, GML_DISPUTES, GML_PARTICIPANTS, GML_DIRDISP,
    DYADIC_MID, MIDLOC_A, MIDLOC_I, WAR_DYAD_YEARS, WAR_DIRECTED, WAR_PARTICIPANTS, CONTIGUITY_DY,
    CONTIGUITY_PS, CONTIGUITY_MASTER, MINDIST, MINDIST_GW, IGO_STATE_YEAR, IGO_DYAD_YEAR, IGO_YEAR, IGO_COUNTS,
    TRADE_DYADIC, TRADE_NATIONAL, ATOP_DDYR, ATOP_MEMBER, ATOP_ALLIANCE, POLITY, VDEM, DEMOCRACY, ICB_ACTOR,
    ICB_CRISIS, TSS_RIVALRIES, TD_RIVALRIES, ARMS_RACES,
)  # fmt: skip
"""Every known format (used to name the dataset a wrong file belongs to)."""


@dataclass(frozen=True)
class Dataset:
    """A dataset release: where its file is found and how it is read.

    Parameters
    ----------
    key
        Dataset key for provenance and citation.
    label
        Human-readable name.
    version
        Documented release, used when the file carries no version column.
    files
        Relative paths under a source directory, best first.
    spec
        File format.
    versions
        ``(value of the version column, release)`` pairs for files that carry one.
    strict
        Reject a file whose version column names a different known release.
    """

    key: str
    label: str
    version: str
    files: tuple[str, ...]
    spec: Spec
    versions: tuple[tuple[str, str], ...] = ()
    strict: bool = False


_NMC_RELEASES = (("2011", "5.0"), ("2021", "6.0"))
_COW_LISTS = (("2011", "2011"), ("2016", "2016"), ("2024", "2024"))
_MID_RELEASES = (("5", "5.0"), ("4", "4.0"))
_ATOP_RELEASES = (
    ("4.01", "4.01"),
    ("4.0100002", "4.01"),
    ("5", "5.0"),
    ("5.1", "5.1"),
    ("5.0999999", "5.1"),
)

DATASETS: dict[str, Dataset] = {
    "states": Dataset("cow-states", "COW state system membership", "2016", ("cow_states/states2016.csv", "states2016.csv", "states2011.csv"), STATES, _COW_LISTS),
    "majors": Dataset("cow-majors", "COW major powers", "2016", ("cow_states/majors2024.csv", "cow_states/majors2016_peacesciencer.csv", "majors2016.csv"), MAJORS, _COW_LISTS),
    "gw-states": Dataset("gw-states", "Gleditsch-Ward state list", "2017", ("cow_states/gw_states_peacesciencer.csv", "gw_states.csv"), GW_STATES),
    "capitals": Dataset("capitals", "COW state capitals (peacesciencer)", "peacesciencer", ("cow_states/cow_capitals_peacesciencer.csv",), CAPITALS),
    "nmc-7.0": Dataset("nmc", "COW National Material Capabilities", "7.0", ("cow_nmc/NMC-7.0_peacesciencer.csv", "NMC-70-abridged.csv", "NMC-70-wsupplementary.csv"), NMC, _NMC_RELEASES, strict=True),
    "nmc-6.0": Dataset("nmc", "COW National Material Capabilities", "6.0", ("cow_nmc/NMC-60-abridged.csv", "NMC-60-wsupplementary.csv"), NMC, _NMC_RELEASES, strict=True),
    "nmc-5.0": Dataset("nmc", "COW National Material Capabilities", "5.0", ("cow_nmc/NMC_5_0.csv", "NMC_5_0-wsupplementary.csv"), NMC, _NMC_RELEASES, strict=True),
    "mid-dispute": Dataset("mid", "COW Militarized Interstate Disputes (MIDA)", "5.0", ("cow_mid_5.0/MIDA_5.0.csv", "MIDA 5.0.csv"), MIDA, _MID_RELEASES, strict=True),
    "mid-participant": Dataset("mid", "COW Militarized Interstate Disputes (MIDB)", "5.0", ("cow_mid_5.0/MIDB_5.0.csv", "MIDB 5.0.csv"), MIDB, _MID_RELEASES, strict=True),
    "mid-incident": Dataset("mid", "COW Militarized Interstate Disputes (MIDI)", "5.0", ("cow_mid_5.0/MIDI_5.0.csv", "MIDI 5.0.csv"), MIDI, _MID_RELEASES, strict=True),
    "mid-incident-participant": Dataset("mid", "COW Militarized Interstate Disputes (MIDIP)", "5.0", ("cow_mid_5.0/MIDIP_5.0.csv", "MIDIP 5.0.csv"), MIDIP, _MID_RELEASES, strict=True),
    "gml-dispute": Dataset("gml", "Gibler-Miller-Little MIDs (disputes)", "2.2.1", ("gml_mid_2.2.1/gml_mid_disps.csv",), GML_DISPUTES),
    "gml-participant": Dataset("gml", "Gibler-Miller-Little MIDs (participants)", "2.2.1", ("gml_mid_2.2.1/gml_part.csv",), GML_PARTICIPANTS),
    "gml-dispute-year": Dataset("gml", "Gibler-Miller-Little MIDs (directed dispute-years)", "2.2.1", ("gml_mid_2.2.1/gml_dirdisp.csv",), GML_DIRDISP),
    "dyadic-mid": Dataset("dyadic-mid", "Dyadic MIDs (Maoz et al.)", "4.02", ("dyadic_mid_4.02/dyadic_mid_4.02.csv", "dyadic mid 4.02.csv"), DYADIC_MID),
    "midloc-dispute": Dataset("midloc", "MIDLOC dispute locations", "2.1", ("midloc_2.1/MIDLOCA_2.1.csv",), MIDLOC_A),
    "midloc-incident": Dataset("midloc", "MIDLOC incident locations", "2.1", ("midloc_2.1/MIDLOCI_2.1.csv",), MIDLOC_I),
    "war-dyad-year": Dataset("cow-war", "COW inter-state war (dyad-year)", "4.0", ("cow_interstate_war/cow_war_inter_peacesciencer.csv",), WAR_DYAD_YEARS),
    "war-directed": Dataset("dyadic-war", "COW directed dyadic inter-state war", "4.0", ("cow_interstate_war/directed_dyadic_war.csv",), WAR_DIRECTED),
    "war-participant": Dataset("cow-war", "COW inter-state war participants", "4.0", ("Inter-StateWarData_v4.0.csv",), WAR_PARTICIPANTS),
    "contiguity": Dataset("contiguity", "COW direct contiguity", "3.2", ("cow_contiguity_3.2/contdird.csv", "cow_contiguity_3.2/cow_contdir_peacesciencer.csv", "contdirs.csv"), CONTIGUITY_DY),
    "mindist": Dataset("mindist", "CShapes 2.0 minimum distance", "2.0", ("mindist_cshapes2/cow_mindist_peacesciencer.csv.gz",), MINDIST),
    "mindist-gw": Dataset("mindist", "CShapes 2.0 minimum distance (GW codes)", "2.0", ("mindist_cshapes2/gw_mindist_peacesciencer.csv.gz",), MINDIST_GW),
    "igo-state-year": Dataset("igo", "COW IGO state-year", "3.0", ("cow_igo_v3/state_year_formatv3.csv.gz", "state_year_formatv3.csv", "state_year_format3.csv"), IGO_STATE_YEAR),
    "igo-dyad-year": Dataset("igo", "COW IGO shared memberships", "3.0", ("cow_igo_v3/cow_igo_ndy_peacesciencer.csv.gz",), IGO_DYAD_YEAR),
    "igo-year": Dataset("igo", "COW IGO organisation-year", "3.0", ("cow_igo_v3/igo_year_formatv3.csv.gz", "igo_year_formatv3.csv", "igo_year_format3.csv"), IGO_YEAR),
    "igo-counts": Dataset("igo", "COW IGO membership counts", "3.0", ("cow_igo_v3/cow_igo_sy_peacesciencer.csv",), IGO_COUNTS),
    "trade-dyadic": Dataset("trade", "COW dyadic trade", "4.0", ("cow_trade_4.0/cow_trade_ndy_1950_2014_peacesciencer.csv.gz", "Dyadic_COW_4.0.csv"), TRADE_DYADIC),
    "trade-national": Dataset("trade", "COW national trade", "4.0", ("cow_trade_4.0/cow_trade_sy_peacesciencer.csv", "National_COW_4.0.csv"), TRADE_NATIONAL),
    "atop-dyad-year": Dataset("atop", "ATOP directed dyad-year", "5.1", ("atop/atop5_1_ddyr_peacesciencer.csv.gz", "atop5_1ddyr.csv"), ATOP_DDYR),
    "atop-member": Dataset("atop", "ATOP member-level", "4.01", ("atop/atop4_01_member_level.csv", "atop5_1m.csv", "atop4_01m.csv"), ATOP_MEMBER, _ATOP_RELEASES),
    "atop-alliance": Dataset("atop", "ATOP alliance-level", "4.01", ("atop/atop4_01_alliance_level.csv", "atop5_1a.csv", "atop4_01a.csv"), ATOP_ALLIANCE, _ATOP_RELEASES),
    "polity": Dataset("polity5", "Polity5", "p5v2018", ("polity5/p5v2018.csv", "p5v2018.csv"), POLITY),
    "vdem": Dataset("vdem-ert", "V-Dem Episodes of Regime Transformation", "15", ("vdem_ert_v15/ert.csv", "ert.csv"), VDEM),
    "democracy": Dataset("ccode-democracy", "V-Dem/Polity/UDS keyed to COW codes", "V-Dem 10, Polity IV 2017, QuickUDS 0.2.3", ("ccode_democracy/ccode_democracy_peacesciencer.csv",), DEMOCRACY),
    "icb-actor": Dataset("icb", "International Crisis Behavior (actor level)", "14", ("icb_v14/icb2v14.csv", "icb2v14.csv"), ICB_ACTOR),
    "icb-crisis": Dataset("icb", "International Crisis Behavior (crisis level)", "14", ("icb_v14/icb1v14.csv", "icb1v14.csv"), ICB_CRISIS),
    "tss-rivalries": Dataset("tss-rivalries", "Thompson-Sakuwa-Suhas strategic rivalries", "2021", ("rivalries_arms_races/tss_rivalries_peacesciencer.csv",), TSS_RIVALRIES),
    "td-rivalries": Dataset("td-rivalries", "Thompson-Dreyer strategic rivalries", "2012", ("rivalries_arms_races/td_rivalries_peacesciencer.csv",), TD_RIVALRIES),
    "arms-races": Dataset("arms-races", "Gibler-Rider-Hutchison arms races", "2005", ("rivalries_arms_races/grh_arms_races_peacesciencer.csv",), ARMS_RACES),
}  # fmt: skip
"""Every dataset the loaders know, by name."""


class Loaded(NamedTuple):
    """A loaded file and the provenance record for it."""

    frame: pl.DataFrame
    source: Source


def read(
    name: str,
    path: PathLike | None = None,
    source_dir: PathLike | None = None,
    spec: Spec | None = None,
) -> Loaded:
    """Load dataset ``name`` (a key of :data:`DATASETS`) with its provenance record.

    Parameters
    ----------
    name
        Dataset name, e.g. ``"nmc-7.0"``.
    path, source_dir
        Explicit file, or directory to search (default ``$SECORDER_DATA_DIR``).
    spec
        Format override (for datasets distributed in more than one layout).
    """
    ds = DATASETS[name]
    p = resolve_path(ds.label, ds.files, path, source_dir)
    df = read_table(p, spec or ds.spec, ALL_SPECS)
    found = version_of(df)
    known = dict(ds.versions).get(found) if found else None
    if ds.strict and known is not None and known != ds.version:
        raise DataError(
            f"this is {ds.label} {known} (version column {found}), not {ds.version}", field=p.name
        )
    version = known or ds.version
    return Loaded(df, Source(ds.key, ds.label, version, p.name))


def choose(value: str, options: dict[str, str], what: str) -> str:
    """``options[value]``, or an :class:`~secorder.errors.InputError` listing the choices."""
    try:
        return options[value]
    except KeyError:
        raise InputError(
            f"unknown {what} {value!r}; choose one of {', '.join(options)}", field=what
        ) from None


def load_states(
    path: PathLike | None = None, *, source_dir: PathLike | None = None
) -> pl.DataFrame:
    """COW state system membership spells (``states2016.csv``).

    Returns
    -------
    polars.DataFrame
        ``stateabb, ccode, statenme, styear, stmonth, stday, endyear, endmonth, endday``; one row
        per membership spell.
    """
    return read("states", path, source_dir).frame


def load_majors(
    path: PathLike | None = None, *, source_dir: PathLike | None = None
) -> pl.DataFrame:
    """COW major-power spells (``majors2024.csv``, ``majors2016.csv``)."""
    return read("majors", path, source_dir).frame


def load_gw_states(
    path: PathLike | None = None, *, source_dir: PathLike | None = None
) -> pl.DataFrame:
    """Gleditsch-Ward independent states: ``gwcode, stateabb, statename, startdate, enddate``."""
    return read("gw-states", path, source_dir).frame


def load_capitals(
    path: PathLike | None = None, *, source_dir: PathLike | None = None
) -> pl.DataFrame:
    """Capitals with coordinates: ``ccode, statenme, capital, stdate, enddate, lat, lng``."""
    return read("capitals", path, source_dir).frame


def load_nmc(
    path: PathLike | None = None,
    *,
    source_dir: PathLike | None = None,
    version: Literal["5.0", "6.0", "7.0"] = "7.0",
) -> pl.DataFrame:
    """COW National Material Capabilities, one row per state-year.

    Parameters
    ----------
    version
        ``"5.0"``, ``"6.0"`` or ``"7.0"``. A file whose ``version`` column names another
        release is rejected.

    Returns
    -------
    polars.DataFrame
        ``ccode, year, milex, milper, irst, pec, tpop, upop, cinc`` (and ``stateabb`` when the
        file has it). ``milex`` is thousands of current USD from 1914 (thousands of GBP before),
        ``milper``, ``tpop``, ``upop`` thousands, ``irst`` thousands of tons, ``pec`` thousands
        of coal-ton equivalents.
    """
    name = choose(version, {"5.0": "nmc-5.0", "6.0": "nmc-6.0", "7.0": "nmc-7.0"}, "NMC version")
    return read(name, path, source_dir).frame


_MID_LEVELS = {
    "dispute": "mid-dispute",
    "participant": "mid-participant",
    "incident": "mid-incident",
    "incident-participant": "mid-incident-participant",
}


def load_mid(
    path: PathLike | None = None,
    *,
    level: Literal["dispute", "participant", "incident", "incident-participant"] = "dispute",
    source_dir: PathLike | None = None,
) -> pl.DataFrame:
    """COW Militarized Interstate Disputes 5.0 (MIDA, MIDB, MIDI, MIDIP files).

    Parameters
    ----------
    level
        ``"dispute"`` (MIDA), ``"participant"`` (MIDB), ``"incident"`` (MIDI) or
        ``"incident-participant"`` (MIDIP).
    """
    return read(choose(level, _MID_LEVELS, "MID level"), path, source_dir).frame


_GML_LEVELS = {
    "dispute": "gml-dispute",
    "participant": "gml-participant",
    "dispute-year": "gml-dispute-year",
}


def load_gml(
    path: PathLike | None = None,
    *,
    level: Literal["dispute", "participant", "dispute-year"] = "dispute",
    source_dir: PathLike | None = None,
) -> pl.DataFrame:
    """Gibler-Miller-Little MIDs 2.2.1: disputes, participants, or directed dispute-years."""
    return read(choose(level, _GML_LEVELS, "GML level"), path, source_dir).frame


def load_dyadic_mid(
    path: PathLike | None = None, *, source_dir: PathLike | None = None
) -> pl.DataFrame:
    """Dyadic MIDs 4.02 (Maoz et al.): directed dyad-dispute-years, ``statea``/``stateb``."""
    return read("dyadic-mid", path, source_dir).frame


def load_midloc(
    path: PathLike | None = None,
    *,
    level: Literal["dispute", "incident"] = "dispute",
    source_dir: PathLike | None = None,
) -> pl.DataFrame:
    """MIDLOC 2.1 dispute or incident locations (``midloc2_xlongitude``, ``midloc2_ylatitude``)."""
    return read(
        choose(level, {"dispute": "midloc-dispute", "incident": "midloc-incident"}, "MIDLOC level"),
        path,
        source_dir,
    ).frame


_WAR_FORMS = {
    "dyad-year": "war-dyad-year",
    "directed-dyadic": "war-directed",
    "participant": "war-participant",
}


def load_wars(
    path: PathLike | None = None,
    *,
    form: Literal["dyad-year", "directed-dyadic", "participant"] = "dyad-year",
    source_dir: PathLike | None = None,
) -> pl.DataFrame:
    """COW inter-state wars.

    Parameters
    ----------
    form
        ``"dyad-year"``: directed dyad-years (``cow_war_inter``: ``warnum, ccode1, ccode2, year,
        cowinteronset, cowinterongoing, ...``); ``"directed-dyadic"``: the directed dyadic war
        file (``statea``, ``stateb``, ``warstrtyr``, ...); ``"participant"``: COW's own
        ``Inter-StateWarData_v4.0.csv`` (column names lower-cased).
    """
    return read(choose(form, _WAR_FORMS, "war form"), path, source_dir).frame


def load_contiguity(
    path: PathLike | None = None, *, source_dir: PathLike | None = None
) -> pl.DataFrame:
    """COW direct contiguity 3.2 as directed dyad-years of contiguous pairs.

    Reads the official directed dyad-year file (``contdird.csv``), peacesciencer's directed
    spells, or the master records (``contdirs.csv``, YYYYMM begin/end); spells are expanded
    to years. Where a pair's contiguity changes within a year, the closest type (lowest
    ``conttype``) is kept.

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, conttype`` (1 land; 2, 3, 4, 5 water of at most 12, 24, 150,
        400 miles); non-contiguous pairs are absent.
    """
    return read_contiguity(path, source_dir).frame


def read_contiguity(path: PathLike | None, source_dir: PathLike | None) -> Loaded:
    """:func:`load_contiguity` with its provenance record."""
    ds = DATASETS["contiguity"]
    p = resolve_path(ds.label, ds.files, path, source_dir)
    header = {h.lower() for h in read_header(p)}
    if "year" in header:
        loaded = read("contiguity", p)
        df = loaded.frame.select("ccode1", "ccode2", "year", "conttype")
    elif "stdate" in header:
        loaded = read("contiguity", p, spec=CONTIGUITY_PS)
        df = _expand_spells(loaded.frame, pl.col("stdate").dt.year(), pl.col("enddate").dt.year())
    else:
        loaded = read("contiguity", p, spec=CONTIGUITY_MASTER)
        df = _expand_spells(loaded.frame, pl.col("begin") // 100, pl.col("end") // 100)
    df = (
        df.filter(pl.col("conttype").is_between(1, 5))
        .group_by("ccode1", "ccode2", "year")
        .agg(pl.col("conttype").min())
    )
    return Loaded(df.sort("ccode1", "ccode2", "year"), loaded.source)


def _expand_spells(df: pl.DataFrame, start: pl.Expr, end: pl.Expr) -> pl.DataFrame:
    return (
        df.with_columns(year=pl.int_ranges(start, end + 1, dtype=pl.Int64))
        .explode("year")
        .select("ccode1", "ccode2", "year", "conttype")
    )


def load_mindist(
    path: PathLike | None = None,
    *,
    source_dir: PathLike | None = None,
    system: Literal["cow", "gw"] = "cow",
) -> pl.DataFrame:
    """CShapes 2.0 minimum distance (km) between states, non-directed (``ccode1 < ccode2``)."""
    return read(
        choose(system, {"cow": "mindist", "gw": "mindist-gw"}, "code system"), path, source_dir
    ).frame


_IGO_FORMS = {
    "state-year": "igo-state-year",
    "dyad-year": "igo-dyad-year",
    "igo-year": "igo-year",
    "state-year-counts": "igo-counts",
}


def load_igo(
    path: PathLike | None = None,
    *,
    form: Literal["state-year", "dyad-year", "igo-year", "state-year-counts"] = "state-year",
    source_dir: PathLike | None = None,
    orgs: list[str] | None = None,
) -> pl.DataFrame:
    """COW Intergovernmental Organizations v3.

    Parameters
    ----------
    form
        ``"state-year"``: one column per IGO (lower-case abbreviation, e.g. ``asean``, ``apec``,
        ``sco``) coded 0 none, 1 full, 2 associate, 3 observer, null missing or not applicable;
        ``"dyad-year"``: shared memberships ``dyadigos`` (non-directed); ``"igo-year"``:
        organisation-years with names and founding/death years; ``"state-year-counts"``.
    orgs
        With ``"state-year"``: keep only these IGOs. An IGO the file does not code raises
        :class:`~secorder.errors.DataError` (the ASEAN Regional Forum, for instance, is not
        coded in IGO v3).
    """
    return read_igo(form, path, source_dir, orgs).frame


def read_igo(
    form: str, path: PathLike | None, source_dir: PathLike | None, orgs: list[str] | None
) -> Loaded:
    """:func:`load_igo` with its provenance record."""
    name = choose(form, _IGO_FORMS, "IGO form")
    if orgs is None or form != "state-year":
        return read(name, path, source_dir)
    ds = DATASETS[name]
    p = resolve_path(ds.label, ds.files, path, source_dir)
    header = {h.lower() for h in read_header(p)} - {"ccode", "year", "state"}
    wanted = list(dict.fromkeys(o.strip().lower() for o in orgs))
    absent = [o for o in wanted if o not in header]
    if absent:
        raise DataError(
            f"IGO(s) {', '.join(absent)} not coded in COW IGO {ds.version}", field=p.name
        )
    spec = Spec(
        IGO_STATE_YEAR.label,
        columns=(*_ints("ccode", "year"), *_ints(*wanted)),
        na_codes=_na((-9, -1), *wanted),
        signature=IGO_STATE_YEAR.signature,
    )
    return read(name, p, spec=spec)


def load_trade(
    path: PathLike | None = None,
    *,
    form: Literal["dyadic", "national"] = "dyadic",
    source_dir: PathLike | None = None,
) -> pl.DataFrame:
    """COW Trade 4.0 in current million USD.

    ``"dyadic"``: non-directed ``ccode1 < ccode2``; ``flow1`` = imports of ``ccode1`` from
    ``ccode2``, ``flow2`` = imports of ``ccode2`` from ``ccode1``, plus smoothed flows.
    ``"national"``: ``ccode, year, imports, exports``.
    """
    return read(
        choose(form, {"dyadic": "trade-dyadic", "national": "trade-national"}, "trade form"),
        path,
        source_dir,
    ).frame


_ATOP_FORMS = {"dyad-year": "atop-dyad-year", "member": "atop-member", "alliance": "atop-alliance"}


def load_atop(
    path: PathLike | None = None,
    *,
    form: Literal["dyad-year", "member", "alliance"] = "dyad-year",
    source_dir: PathLike | None = None,
) -> pl.DataFrame:
    """Alliance Treaty Obligations and Provisions.

    ``"dyad-year"`` (ATOP 5.1 directed dyad-years): ``ccode1, ccode2, year`` and the obligations
    ``atop_defense, atop_offense, atop_neutral, atop_nonagg, atop_consul``; the row
    ``ccode1 -> ccode2`` records commitments *made by* ``ccode1`` *to* ``ccode2``, so a
    US -> Japan defence pledge and a Japan -> US pledge are different rows. Both the
    peacesciencer names and ATOP's own (``stateA``, ``defense``, ...) are accepted.
    ``"member"``: one row per alliance member and phase (``atopid, member, yrent, yrexit`` and
    the member's own obligations). ``"alliance"``: one row per alliance.
    """
    return read(choose(form, _ATOP_FORMS, "ATOP form"), path, source_dir).frame


def load_polity(
    path: PathLike | None = None, *, source_dir: PathLike | None = None
) -> pl.DataFrame:
    """Polity5 annual time series (Polity's own country codes; see :mod:`secorder.data.codes`)."""
    return read("polity", path, source_dir).frame


def load_vdem(path: PathLike | None = None, *, source_dir: PathLike | None = None) -> pl.DataFrame:
    """V-Dem (the ERT file or a V-Dem country-year file) with a COW ``ccode`` column.

    The code comes from V-Dem's ``COWcode`` column when the file has one, otherwise from the
    table in :data:`secorder.data.codes.VDEM_COW`.
    """
    return read_vdem(path, source_dir).frame


def read_vdem(path: PathLike | None, source_dir: PathLike | None) -> Loaded:
    """:func:`load_vdem` with its provenance record."""
    loaded = read("vdem", path, source_dir)
    df = loaded.frame
    code = (
        pl.col("cowcode")
        if "cowcode" in df.columns
        else vdem_to_cow_expr("country_text_id", "year")
    )
    return Loaded(df.with_columns(ccode=code.cast(pl.Int64)), loaded.source)


def load_democracy(
    path: PathLike | None = None, *, source_dir: PathLike | None = None
) -> pl.DataFrame:
    """COW-keyed democracy scores: ``ccode, year, v2x_polyarchy, polity2, xm_qudsest``."""
    return read("democracy", path, source_dir).frame


def load_icb(
    path: PathLike | None = None,
    *,
    level: Literal["actor", "crisis"] = "actor",
    source_dir: PathLike | None = None,
) -> pl.DataFrame:
    """International Crisis Behavior 14: actor level (``icb2``; ``cracid`` is a COW code) or crisis level (``icb1``)."""
    return read(
        choose(level, {"actor": "icb-actor", "crisis": "icb-crisis"}, "ICB level"), path, source_dir
    ).frame


def load_rivalries(
    path: PathLike | None = None,
    *,
    source: Literal["tss", "td"] = "tss",
    source_dir: PathLike | None = None,
) -> pl.DataFrame:
    """Strategic rivalry spells: Thompson-Sakuwa-Suhas (``start``, ``end``) or Thompson-Dreyer (``styear``, ``endyear``)."""
    return read(
        choose(source, {"tss": "tss-rivalries", "td": "td-rivalries"}, "rivalry source"),
        path,
        source_dir,
    ).frame


def load_arms_races(
    path: PathLike | None = None, *, source_dir: PathLike | None = None
) -> pl.DataFrame:
    """Arms races (Gibler, Rider and Hutchison 2005): ``race_id, ccode1, ccode2, styear, endyear``."""
    return read("arms-races", path, source_dir).frame
