"""The dataset registry: every dataset the data layer knows, described once.

One :class:`Dataset` entry per dataset release holds where its file is found (``files``), how it
is parsed (``spec``: columns, types, missing-value codes; alternative ``formats``), its
``version``, what to ``cite``, whether dyadic rows are ``directed``, the public loader it is
served by (``api`` and ``choice``) and, optionally, how it joins onto a panel (``join``).
Everything else is derived from :data:`DATASETS`:

* the ``load_*`` functions of :mod:`secorder.data.loaders` (one per ``api``; the ``choice``
  keyword selects among the datasets sharing it, the first one listed is the default);
* the ``add_*`` panel steps of :mod:`secorder.data.panels`, every one generated from its
  entries' :class:`Join` (a plain join declared here in full, or a named join function);
* the ``--add`` choices of ``secorder data build``;
* the BibTeX of :meth:`~secorder.data.panels.Panel.cite` (:data:`DATASET_REFERENCES`).

Adding a dataset is one entry here (plus a :class:`~secorder.data._io.Spec` when its format is
new) and its test; see the "Adding a dataset" section of ``docs/data.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import polars as pl

from secorder.data._io import Spec
from secorder.data.citations import REFERENCES
from secorder.data.codes import polity_to_cow_expr, vdem_to_cow_expr

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

GDP_SDP = Spec(
    "GDP and surplus domestic product (Anders, Fariss and Markowitz)",
    columns=(("ccode", INT), ("year", INT), *_floats("wbgdp2011est", "wbpopest", "sdpest", "wbgdppc2011est")),
    signature=("sdpest", "wbgdp2011est"),
)  # fmt: skip


# ---------------------------------------------------------------------------- entries


class Choice(NamedTuple):
    """How a loader (or panel step) shared by several datasets selects this one.

    ``keyword`` is the argument (``version``, ``level``, ``form``, ...), ``value`` this
    dataset's value of it and ``what`` the name used in error messages (``"NMC version"``).
    """

    keyword: str
    value: str
    what: str


@dataclass(frozen=True)
class Join:
    """How a dataset joins onto a panel: the ``add_<step>`` function and ``--add`` choice.

    Every step is generated from these entries (:mod:`secorder.data.panels`). A plain join is
    declared here in full: the joined ``columns``, their ``level``, a ``prepare`` normaliser,
    ``fill`` and, for dyad-level data, how they go onto non-directed dyads (``undirected``) and
    onto state-years (``per_state``). A join that is more than a lookup (several files, options,
    aggregation that needs the panel) names its join function in ``how``.

    Parameters
    ----------
    step
        Name of the panel step (``add_<step>``, and the ``--add`` choice).
    choice
        Keyword and value selecting this dataset when a step can read several
        (``add_democracy(source="vdem")``); the first dataset listed is the default.
    columns
        Data columns joined onto the panel (a plain join).
    optional
        Columns joined when the file has them.
    level
        ``"state"``: state-year data, joined on ``ccode, year`` (suffixes ``1``/``2`` on
        dyads); ``"dyad"``: dyad-year data, joined on ``ccode1, ccode2, year`` (either order
        for non-directed data).
    prepare
        Turns the loaded frame into the joined one (re-keying, spell expansion, renaming).
    fill
        Fill the joined columns with 0 within ``(first, last)`` year (``None`` = the data's
        own first or last year); ``None``: no filling.
    dyadic_only
        The step applies to dyad-year panels only.
    undirected
        Directed dyad-level data on a non-directed panel: the row ``ccode1 -> ccode2`` with
        ``ccode1 < ccode2`` as recorded (``"lower"``), or the maximum of both directions
        (``"max"``).
    per_state
        Dyad-level data on a state-year panel: a function of the prepared (lazy) frame giving
        ``ccode, year`` and the state-year columns; ``None``: the maximum of ``columns`` over
        the dyads whose ``ccode1`` is the state.
    how
        Name of the join function (in :data:`secorder.data.panels.JOINS`) that joins this
        dataset; its keyword arguments become the step's options.
    path
        The step's keyword naming an explicit file of this dataset (``"path"``; a step that
        reads several datasets in one call gives the others their own, e.g. ``"dyad_path"``).
    doc
        What the step adds, for its docstring (plain joins; a join function documents itself).
    """

    step: str
    choice: Choice | None = None
    columns: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    level: Literal["state", "dyad"] = "state"
    prepare: Callable[[pl.DataFrame], pl.DataFrame] | None = None
    fill: tuple[int | None, int | None] | None = None
    dyadic_only: bool = False
    undirected: Literal["lower", "max"] = "lower"
    per_state: Callable[[pl.LazyFrame], pl.LazyFrame] | None = None
    how: str | None = None
    path: str = "path"
    doc: str = ""

    @property
    def declarative(self) -> bool:
        """Whether the join is declared here in full (no join function)."""
        return self.how is None


@dataclass(frozen=True)
class Dataset:
    """A dataset release: where its file is found, how it is read, cited and joined.

    Parameters
    ----------
    name
        Registry name, e.g. ``"nmc-7.0"`` (used by :func:`secorder.data.loaders.read`).
    key
        Dataset key recorded in a panel's sources; releases of one dataset share it.
    label
        Human-readable name.
    version
        Documented release, used when the file carries no version column.
    files
        Relative paths under a source directory, best first (standard layout first; each is
        also tried by its bare name directly under the source directory).
    spec
        File format (columns, types, missing-value codes).
    cite
        Keys of :data:`secorder.data.citations.REFERENCES` to cite for this dataset.
    api
        Name of the public loader serving it (``"load_nmc"``).
    choice
        How that loader selects this dataset when several share it.
    doc
        First paragraph of the loader's docstring (given on the first dataset of an ``api``).
    directed
        For dyadic data: both orders of each pair (``True``) or ``ccode1 < ccode2``
        (``False``); ``None`` for other units.
    formats
        Alternative layouts of the same data, recognised by their signature columns.
    post
        Normalises the loaded frame (e.g. expands spells to years, adds COW codes).
    versions
        ``(value of the version column, release)`` pairs for files that carry one.
    strict
        Reject a file whose version column names a different known release.
    join
        How it joins onto a panel, if it does.
    """

    name: str
    key: str
    label: str
    version: str
    files: tuple[str, ...]
    spec: Spec
    cite: tuple[str, ...]
    api: str
    choice: Choice | None = None
    doc: str = ""
    directed: bool | None = None
    formats: tuple[Spec, ...] = ()
    post: Callable[[pl.DataFrame], pl.DataFrame] | None = field(default=None, compare=False)
    versions: tuple[tuple[str, str], ...] = ()
    strict: bool = False
    join: Join | None = None

    @property
    def all_formats(self) -> tuple[Spec, ...]:
        """The main format and its alternatives."""
        return (self.spec, *self.formats)

    @property
    def references(self) -> tuple[str, ...]:
        """The BibTeX entries to cite (texts, not keys)."""
        return tuple(REFERENCES[k] for k in self.cite)


# ---------------------------------------------------------------------------- normalisers


def _expand_spells(df: pl.DataFrame, start: pl.Expr, end: pl.Expr) -> pl.DataFrame:
    return (
        df.with_columns(year=pl.int_ranges(start, end + 1, dtype=pl.Int64))
        .explode("year")
        .select("ccode1", "ccode2", "year", "conttype")
    )


def contiguity_dyad_years(df: pl.DataFrame) -> pl.DataFrame:
    """Any of the three contiguity layouts as directed dyad-years of contiguous pairs.

    Spells (peacesciencer's dates, or the master records' YYYYMM) are expanded to years; where
    a pair's contiguity changes within a year the closest type (lowest ``conttype``) is kept.
    """
    if "year" in df.columns:
        df = df.select("ccode1", "ccode2", "year", "conttype")
    elif "stdate" in df.columns:
        df = _expand_spells(df, pl.col("stdate").dt.year(), pl.col("enddate").dt.year())
    else:
        df = _expand_spells(df, pl.col("begin") // 100, pl.col("end") // 100)
    return (
        df.filter(pl.col("conttype").is_between(1, 5))
        .group_by("ccode1", "ccode2", "year")
        .agg(pl.col("conttype").min())
        .sort("ccode1", "ccode2", "year")
    )


def vdem_with_cow(df: pl.DataFrame) -> pl.DataFrame:
    """Add ``ccode``: V-Dem's ``COWcode`` where the file has it, else :data:`~secorder.data.codes.VDEM_COW`."""
    code = (
        pl.col("cowcode")
        if "cowcode" in df.columns
        else vdem_to_cow_expr("country_text_id", "year")
    )
    return df.with_columns(ccode=code.cast(pl.Int64))


def polity_by_cow(df: pl.DataFrame) -> pl.DataFrame:
    """Polity5 rows re-keyed to COW codes.

    Where two series meet, the one already on the COW code wins; non-COW states are dropped.
    """
    return (
        df.with_columns(_native=pl.col("ccode"), ccode=polity_to_cow_expr("ccode", "year"))
        .drop_nulls("ccode")
        .sort(pl.col("_native") != pl.col("ccode"), "_native")
        .unique(["ccode", "year"], keep="first", maintain_order=True)
        .drop("_native")
    )


def major_power_years(df: pl.DataFrame) -> pl.DataFrame:
    """Major-power spells as state-years with ``major = 1``."""
    return (
        df.with_columns(year=pl.int_ranges("styear", pl.col("endyear") + 1, dtype=pl.Int64))
        .explode("year")
        .select("ccode", "year")
        .unique()
        .sort("ccode", "year")
        .with_columns(major=pl.lit(1, dtype=pl.Int8))
    )


def gdp_levels(df: pl.DataFrame) -> pl.DataFrame:
    """The Anders-Fariss-Markowitz estimates in levels (the file holds ``ln(x + 1)``).

    ``gdp_ppp`` and ``sdp_ppp`` in million 2011 USD at purchasing power parity, ``gdppc_ppp``
    in 2011 USD.
    """
    level = {"gdp_ppp": "wbgdp2011est", "sdp_ppp": "sdpest", "gdppc_ppp": "wbgdppc2011est"}
    scale = {"gdp_ppp": 1e6, "sdp_ppp": 1e6, "gdppc_ppp": 1.0}
    return df.select(
        "ccode",
        "year",
        *(((pl.col(src).exp() - 1) / scale[name]).alias(name) for name, src in level.items()),
    )


def war_dyad_years(df: pl.DataFrame) -> pl.DataFrame:
    """Directed war dyad-years: ``war_onset``, ``war_ongoing`` (one row per dyad-year)."""
    return df.group_by("ccode1", "ccode2", "year").agg(
        war_onset=pl.col("cowinteronset").max().cast(pl.Int8),
        war_ongoing=pl.col("cowinterongoing").max().cast(pl.Int8),
    )


FLAG, COUNT = pl.Int8, pl.Int16  # indicator and small-count columns (as in secorder.data.panels)


def _years_of_spells(df: pl.DataFrame | pl.LazyFrame, start: pl.Expr, end: pl.Expr) -> pl.LazyFrame:
    return (
        df.lazy().with_columns(year=pl.int_ranges(start, end + 1, dtype=pl.Int64)).explode("year")
    )


ATOP_OBLIGATIONS = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")


def atop_obligations(df: pl.DataFrame) -> pl.DataFrame:
    """ATOP directed dyad-years with ``atop_ally`` (any obligation), all as 0/1 flags."""
    return df.with_columns(atop_ally=pl.max_horizontal(ATOP_OBLIGATIONS)).with_columns(
        pl.col(*ATOP_OBLIGATIONS, "atop_ally").cast(FLAG)
    )


def atop_state_counts(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Per state-year: states it pledged to defend, and states it has any obligation with."""
    return lf.group_by(pl.col("ccode1").alias("ccode"), "year").agg(
        atop_defense_partners=pl.col("atop_defense").cast(COUNT).sum(),
        atop_allies=(pl.col("atop_ally") > 0).sum().cast(COUNT),
    )


def contiguity_flags(df: pl.DataFrame) -> pl.DataFrame:
    """Contiguity dyad-years with ``conttype`` as a small integer."""
    return df.with_columns(pl.col("conttype").cast(FLAG))


def contiguity_state_counts(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Per state-year: land neighbours (type 1) and contiguous neighbours (types 1-5)."""
    return lf.group_by(pl.col("ccode1").alias("ccode"), "year").agg(
        land_neighbours=(pl.col("conttype") == 1).sum().cast(COUNT),
        contiguous_neighbours=pl.len().cast(COUNT),
    )


RIVALRY_TYPES = ("positional", "spatial", "ideological", "interventionary")


def _rivalry_years(spells: pl.DataFrame) -> pl.DataFrame:
    """Non-directed rivalry-years (``ccode1 < ccode2``) with type flags, from 1816."""
    return (
        _years_of_spells(spells, pl.max_horizontal(pl.col("start"), pl.lit(1816)), pl.col("end"))
        .with_columns(
            pl.min_horizontal("ccode1", "ccode2").alias("_lo"),
            pl.max_horizontal("ccode1", "ccode2").alias("_hi"),
        )
        .group_by("_lo", "_hi", "year")
        .agg(pl.col(f"rivalry_{t}").max() for t in RIVALRY_TYPES)
        .rename({"_lo": "ccode1", "_hi": "ccode2"})
        .with_columns(rivalry=pl.lit(1, dtype=FLAG))
        .collect()
    )


def tss_rivalry_years(df: pl.DataFrame) -> pl.DataFrame:
    """Thompson-Sakuwa-Suhas spells as rivalry-years (types from its 0/1 columns)."""
    return _rivalry_years(
        df.select(
            "ccode1",
            "ccode2",
            "start",
            "end",
            *(pl.col(t).fill_null(0).cast(FLAG).alias(f"rivalry_{t}") for t in RIVALRY_TYPES),
        )
    )


def td_rivalry_years(df: pl.DataFrame) -> pl.DataFrame:
    """Thompson-Dreyer spells as rivalry-years (types from ``type1``-``type3``)."""
    types = [pl.col(f"type{i}").str.to_lowercase() for i in (1, 2, 3)]
    return _rivalry_years(
        df.select(
            "ccode1",
            "ccode2",
            start=pl.col("styear"),
            end=pl.col("endyear"),
            **{
                f"rivalry_{t}": pl.any_horizontal(ty == t for ty in types)
                .fill_null(False)
                .cast(FLAG)
                for t in RIVALRY_TYPES
            },
        )
    )


def rivalry_state_counts(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Per state-year: the number of ongoing rivalries."""
    both = pl.concat(
        [lf.select(ccode="ccode1", year="year"), lf.select(ccode="ccode2", year="year")]
    )
    return both.group_by("ccode", "year").agg(rivalries=pl.len().cast(COUNT))


def mid_dispute_years(midb: pl.DataFrame) -> pl.DataFrame:
    """Directed dispute-years from MIDB participant records.

    Every side-A participant is paired with every side-B participant in each year both take
    part (participants with several spells, or who change sides, are handled spell by spell).

    Returns
    -------
    polars.DataFrame
        ``dispnum, ccode1, ccode2, year, onset`` (1 in the pair's first joint year),
        ``fatality1, fatality2, hostlev1, hostlev2, sidea1, orig1``.
    """
    part = _years_of_spells(
        midb.select(
            "dispnum", "ccode", "sidea", "styear", "endyear", "fatality", "hostlev", "orig"
        ),
        pl.col("styear"),
        pl.col("endyear"),
    ).drop("styear", "endyear")
    a = part.rename(
        {
            "ccode": "ccode1",
            "sidea": "sidea1",
            "fatality": "fatality1",
            "hostlev": "hostlev1",
            "orig": "orig1",
        }
    )
    b = part.select(
        "dispnum", "year", ccode2="ccode", sidea2="sidea", fatality2="fatality", hostlev2="hostlev"
    )
    pairs = a.join(b, on=["dispnum", "year"]).filter(
        (pl.col("sidea1") != pl.col("sidea2")) & (pl.col("ccode1") != pl.col("ccode2"))
    )
    return (
        pairs.group_by("dispnum", "ccode1", "ccode2", "year")
        .agg(
            pl.col("fatality1", "fatality2", "hostlev1", "hostlev2", "orig1").max(),
            pl.col("sidea1").max(),
        )
        .with_columns(
            onset=(pl.col("year") == pl.col("year").min().over("dispnum", "ccode1", "ccode2")).cast(
                pl.Int64
            )
        )
        .sort("dispnum", "ccode1", "ccode2", "year")
        .collect()
    )


def _dispute_year_columns(dd: pl.DataFrame, fatal: pl.Expr, hostlev: pl.Expr) -> pl.DataFrame:
    """The common layout: ``dispnum, ccode1, ccode2, year, onset, fatal, hostlev, war``."""
    return dd.select(
        "dispnum",
        "ccode1",
        "ccode2",
        "year",
        "onset",
        fatal=fatal.cast(pl.Int64),
        hostlev=hostlev.cast(pl.Int64),
    ).with_columns(war=(pl.col("hostlev") == 5).cast(pl.Int64))


_SIDES_FATAL = pl.max_horizontal("fatality1", "fatality2") > 0
_SIDES_HOSTLEV = pl.max_horizontal("hostlev1", "hostlev2")


def cow_mid_dispute_years(midb: pl.DataFrame) -> pl.DataFrame:
    """COW MIDB participants as directed dispute-years in the common layout."""
    return _dispute_year_columns(mid_dispute_years(midb), _SIDES_FATAL, _SIDES_HOSTLEV)


def gml_mid_dispute_years(df: pl.DataFrame) -> pl.DataFrame:
    """GML directed dispute-years in the common layout."""
    return _dispute_year_columns(df.rename({"midonset": "onset"}), _SIDES_FATAL, _SIDES_HOSTLEV)


def dyadic_mid_dispute_years(df: pl.DataFrame) -> pl.DataFrame:
    """Maoz et al. dyadic MIDs in the common layout (a war coded as hostility level 5)."""
    dd = df.rename({"disno": "dispnum", "statea": "ccode1", "stateb": "ccode2"}).with_columns(
        onset=(pl.col("year") == pl.col("strtyr")).cast(pl.Int64)
    )
    hostlev = pl.when(pl.col("war") == 1).then(5).otherwise(pl.col("hihost"))
    return _dispute_year_columns(dd, pl.col("fatlev") > 0, hostlev)


# ---------------------------------------------------------------------------- the registry

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
_NMC_DOC = """COW National Material Capabilities, one row per state-year.

``ccode, year, milex, milper, irst, pec, tpop, upop, cinc`` (and ``stateabb`` when the file
has it). ``milex`` is thousands of current USD from 1914 (thousands of GBP before),
``milper``, ``tpop``, ``upop`` thousands, ``irst`` thousands of tons, ``pec`` thousands of
coal-ton equivalents. A file whose ``version`` column names another release is rejected."""
_NMC_COLUMNS = ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc")


def _nmc(version: str, files: tuple[str, ...], doc: str = "") -> Dataset:
    return Dataset(
        f"nmc-{version}", "nmc", "COW National Material Capabilities", version, files, NMC,
        cite=("singer1972", "singer1987"), api="load_nmc",
        choice=Choice("version", version, "NMC version"), doc=doc,
        versions=_NMC_RELEASES, strict=True,
        join=Join("capabilities", Choice("version", version, "NMC version"), columns=_NMC_COLUMNS),
    )  # fmt: skip


_RIVALRY_JOIN: dict[str, Any] = {
    "columns": ("rivalry", *(f"rivalry_{t}" for t in RIVALRY_TYPES)),
    "level": "dyad",
    "fill": (1816, None),
    "per_state": rivalry_state_counts,
    "doc": "Dyads get ``rivalry`` (ongoing) and the type flags ``rivalry_positional``, "
    "``rivalry_spatial``, ``rivalry_ideological``, ``rivalry_interventionary``; state-years "
    "get ``rivalries`` (number ongoing).",
}

_ENTRIES: tuple[Dataset, ...] = (
    Dataset(
        "states", "cow-states", "COW state system membership", "2016",
        ("cow_states/states2016.csv", "states2016.csv", "states2011.csv"), STATES,
        cite=("cow2017states",), api="load_states", versions=_COW_LISTS,
        doc="COW state system membership spells (``states2016.csv``): ``stateabb, ccode, "
        "statenme, styear, stmonth, stday, endyear, endmonth, endday``, one row per spell.",
    ),
    Dataset(
        "majors", "cow-majors", "COW major powers", "2016",
        ("cow_states/majors2024.csv", "cow_states/majors2016_peacesciencer.csv", "majors2016.csv"),
        MAJORS, cite=("cow2017states",), api="load_majors", versions=_COW_LISTS,
        doc="COW major-power spells (``majors2024.csv``, ``majors2016.csv``).",
        join=Join("major_powers", columns=("major",), prepare=major_power_years, fill=(1816, None)),
    ),
    Dataset(
        "gw-states", "gw-states", "Gleditsch-Ward state list", "2017",
        ("cow_states/gw_states_peacesciencer.csv", "gw_states.csv"), GW_STATES,
        cite=("gleditsch1999",), api="load_gw_states",
        doc="Gleditsch-Ward independent states: ``gwcode, stateabb, statename, startdate, enddate``.",
    ),
    Dataset(
        "capitals", "capitals", "COW state capitals (peacesciencer)", "peacesciencer",
        ("cow_states/cow_capitals_peacesciencer.csv",), CAPITALS,
        cite=("miller2022",), api="load_capitals",
        doc="Capitals with coordinates: ``ccode, statenme, capital, stdate, enddate, lat, lng``.",
        join=Join("distance", how="distance", path="capitals_path"),
    ),
    _nmc("7.0", ("cow_nmc/NMC-7.0_peacesciencer.csv", "NMC-70-abridged.csv", "NMC-70-wsupplementary.csv"), _NMC_DOC),
    _nmc("6.0", ("cow_nmc/NMC-60-abridged.csv", "NMC-60-wsupplementary.csv")),
    _nmc("5.0", ("cow_nmc/NMC_5_0.csv", "NMC_5_0-wsupplementary.csv")),
    Dataset(
        "mid-dispute", "mid", "COW Militarized Interstate Disputes (MIDA)", "5.0",
        ("cow_mid_5.0/MIDA_5.0.csv", "MIDA 5.0.csv"), MIDA, cite=("palmer2022",),
        api="load_mid", choice=Choice("level", "dispute", "MID level"),
        versions=_MID_RELEASES, strict=True,
        doc="COW Militarized Interstate Disputes 5.0 (MIDA, MIDB, MIDI, MIDIP files).",
    ),
    Dataset(
        "mid-participant", "mid", "COW Militarized Interstate Disputes (MIDB)", "5.0",
        ("cow_mid_5.0/MIDB_5.0.csv", "MIDB 5.0.csv"), MIDB, cite=("palmer2022",),
        api="load_mid", choice=Choice("level", "participant", "MID level"),
        versions=_MID_RELEASES, strict=True,
        join=Join("mids", Choice("source", "cow", "MID source"), how="mids", prepare=cow_mid_dispute_years),
    ),
    Dataset(
        "mid-incident", "mid", "COW Militarized Interstate Disputes (MIDI)", "5.0",
        ("cow_mid_5.0/MIDI_5.0.csv", "MIDI 5.0.csv"), MIDI, cite=("palmer2022",),
        api="load_mid", choice=Choice("level", "incident", "MID level"),
        versions=_MID_RELEASES, strict=True,
    ),
    Dataset(
        "mid-incident-participant", "mid", "COW Militarized Interstate Disputes (MIDIP)", "5.0",
        ("cow_mid_5.0/MIDIP_5.0.csv", "MIDIP 5.0.csv"), MIDIP, cite=("palmer2022",),
        api="load_mid", choice=Choice("level", "incident-participant", "MID level"),
        versions=_MID_RELEASES, strict=True,
    ),
    Dataset(
        "gml-dispute", "gml", "Gibler-Miller-Little MIDs (disputes)", "2.2.1",
        ("gml_mid_2.2.1/gml_mid_disps.csv",), GML_DISPUTES, cite=("gibler2016",),
        api="load_gml", choice=Choice("level", "dispute", "GML level"),
        doc="Gibler-Miller-Little MIDs 2.2.1: disputes, participants, or directed dispute-years.",
    ),
    Dataset(
        "gml-participant", "gml", "Gibler-Miller-Little MIDs (participants)", "2.2.1",
        ("gml_mid_2.2.1/gml_part.csv",), GML_PARTICIPANTS, cite=("gibler2016",),
        api="load_gml", choice=Choice("level", "participant", "GML level"),
    ),
    Dataset(
        "gml-dispute-year", "gml", "Gibler-Miller-Little MIDs (directed dispute-years)", "2.2.1",
        ("gml_mid_2.2.1/gml_dirdisp.csv",), GML_DIRDISP, cite=("gibler2016",),
        api="load_gml", choice=Choice("level", "dispute-year", "GML level"), directed=True,
        join=Join("mids", Choice("source", "gml", "MID source"), how="mids", prepare=gml_mid_dispute_years),
    ),
    Dataset(
        "dyadic-mid", "dyadic-mid", "Dyadic MIDs (Maoz et al.)", "4.02",
        ("dyadic_mid_4.02/dyadic_mid_4.02.csv", "dyadic mid 4.02.csv"), DYADIC_MID,
        cite=("maoz2019",), api="load_dyadic_mid", directed=True,
        doc="Dyadic MIDs 4.02 (Maoz et al.): directed dyad-dispute-years, ``statea``/``stateb``.",
        join=Join(
            "mids", Choice("source", "dyadic", "MID source"), how="mids",
            prepare=dyadic_mid_dispute_years,
        ),
    ),
    Dataset(
        "midloc-dispute", "midloc", "MIDLOC dispute locations", "2.1",
        ("midloc_2.1/MIDLOCA_2.1.csv",), MIDLOC_A, cite=("braithwaite2010",),
        api="load_midloc", choice=Choice("level", "dispute", "MIDLOC level"),
        doc="MIDLOC 2.1 dispute or incident locations (``midloc2_xlongitude``, ``midloc2_ylatitude``).",
    ),
    Dataset(
        "midloc-incident", "midloc", "MIDLOC incident locations", "2.1",
        ("midloc_2.1/MIDLOCI_2.1.csv",), MIDLOC_I, cite=("braithwaite2010",),
        api="load_midloc", choice=Choice("level", "incident", "MIDLOC level"),
    ),
    Dataset(
        "war-dyad-year", "cow-war", "COW inter-state war (dyad-year)", "4.0",
        ("cow_interstate_war/cow_war_inter_peacesciencer.csv",), WAR_DYAD_YEARS,
        cite=("sarkees2010",), api="load_wars", choice=Choice("form", "dyad-year", "war form"),
        directed=True,
        doc="COW inter-state wars: ``\"dyad-year\"``, directed dyad-years (``cow_war_inter``: "
        "``warnum, ccode1, ccode2, year, cowinteronset, cowinterongoing, ...``); "
        "``\"directed-dyadic\"``, the directed dyadic war file (``statea``, ``stateb``, "
        "``warstrtyr``, ...); ``\"participant\"``, COW's own ``Inter-StateWarData_v4.0.csv`` "
        "(column names lower-cased).",
        join=Join(
            "wars", columns=("war_onset", "war_ongoing"), level="dyad",
            prepare=war_dyad_years, fill=(1816, 2007),
        ),
    ),
    Dataset(
        "war-directed", "dyadic-war", "COW directed dyadic inter-state war", "4.0",
        ("cow_interstate_war/directed_dyadic_war.csv",), WAR_DIRECTED,
        cite=("sarkees2010", "maoz2019"), api="load_wars",
        choice=Choice("form", "directed-dyadic", "war form"), directed=True,
    ),
    Dataset(
        "war-participant", "cow-war", "COW inter-state war participants", "4.0",
        ("Inter-StateWarData_v4.0.csv",), WAR_PARTICIPANTS, cite=("sarkees2010",),
        api="load_wars", choice=Choice("form", "participant", "war form"),
    ),
    Dataset(
        "contiguity", "contiguity", "COW direct contiguity", "3.2",
        ("cow_contiguity_3.2/contdird.csv", "cow_contiguity_3.2/cow_contdir_peacesciencer.csv", "contdirs.csv"),
        CONTIGUITY_DY, cite=("stinnett2002",), api="load_contiguity", directed=True,
        formats=(CONTIGUITY_PS, CONTIGUITY_MASTER), post=contiguity_dyad_years,
        doc="COW direct contiguity 3.2 as directed dyad-years of contiguous pairs: ``ccode1, "
        "ccode2, year, conttype`` (1 land; 2, 3, 4, 5 water of at most 12, 24, 150, 400 miles); "
        "non-contiguous pairs are absent. Reads the official directed dyad-year file "
        "(``contdird.csv``), peacesciencer's directed spells, or the master records "
        "(``contdirs.csv``, YYYYMM begin/end); spells are expanded to years, and where a "
        "pair's contiguity changes within a year the closest type is kept.",
        join=Join(
            "contiguity", columns=("conttype",), level="dyad", prepare=contiguity_flags,
            fill=(None, None), per_state=contiguity_state_counts,
            doc="Dyads get ``conttype`` (0 not contiguous, 1 land, 2-5 water of at most 12, 24, "
            "150, 400 miles). State-years get ``land_neighbours`` (type 1) and "
            "``contiguous_neighbours`` (types 1-5).",
        ),
    ),
    Dataset(
        "mindist", "mindist", "CShapes 2.0 minimum distance", "2.0",
        ("mindist_cshapes2/cow_mindist_peacesciencer.csv.gz",), MINDIST,
        cite=("schvitz2022", "weidmann2010"), api="load_mindist",
        choice=Choice("system", "cow", "code system"), directed=False,
        doc="CShapes 2.0 minimum distance (km) between states, non-directed (``ccode1 < ccode2``).",
        join=Join("distance", how="distance", dyadic_only=True),
    ),
    Dataset(
        "mindist-gw", "mindist", "CShapes 2.0 minimum distance (GW codes)", "2.0",
        ("mindist_cshapes2/gw_mindist_peacesciencer.csv.gz",), MINDIST_GW,
        cite=("schvitz2022", "weidmann2010"), api="load_mindist",
        choice=Choice("system", "gw", "code system"), directed=False,
    ),
    Dataset(
        "igo-state-year", "igo", "COW IGO state-year", "3.0",
        ("cow_igo_v3/state_year_formatv3.csv.gz", "state_year_formatv3.csv", "state_year_format3.csv"),
        IGO_STATE_YEAR, cite=("pevehouse2020",), api="load_igo",
        choice=Choice("form", "state-year", "IGO form"),
        doc="COW Intergovernmental Organizations v3: ``\"state-year\"``, one column per IGO "
        "(lower-case abbreviation, e.g. ``asean``, ``apec``, ``sco``) coded 0 none, 1 full, "
        "2 associate, 3 observer, null missing or not applicable; ``\"dyad-year\"``, shared "
        "memberships ``dyadigos`` (non-directed); ``\"igo-year\"``, organisation-years with "
        "names and founding/death years; ``\"state-year-counts\"``.",
        join=Join("igos", how="igos"),
    ),
    Dataset(
        "igo-dyad-year", "igo", "COW IGO shared memberships", "3.0",
        ("cow_igo_v3/cow_igo_ndy_peacesciencer.csv.gz",), IGO_DYAD_YEAR, cite=("pevehouse2020",),
        api="load_igo", choice=Choice("form", "dyad-year", "IGO form"), directed=False,
        join=Join("igos", how="igos", path="dyad_path"),
    ),
    Dataset(
        "igo-year", "igo", "COW IGO organisation-year", "3.0",
        ("cow_igo_v3/igo_year_formatv3.csv.gz", "igo_year_formatv3.csv", "igo_year_format3.csv"),
        IGO_YEAR, cite=("pevehouse2020",), api="load_igo",
        choice=Choice("form", "igo-year", "IGO form"),
    ),
    Dataset(
        "igo-counts", "igo", "COW IGO membership counts", "3.0",
        ("cow_igo_v3/cow_igo_sy_peacesciencer.csv",), IGO_COUNTS, cite=("pevehouse2020",),
        api="load_igo", choice=Choice("form", "state-year-counts", "IGO form"),
    ),
    Dataset(
        "trade-dyadic", "trade", "COW dyadic trade", "4.0",
        ("cow_trade_4.0/cow_trade_ndy_1950_2014_peacesciencer.csv.gz", "Dyadic_COW_4.0.csv"),
        TRADE_DYADIC, cite=("barbieri2009", "barbieri2016"), api="load_trade",
        choice=Choice("form", "dyadic", "trade form"), directed=False,
        doc="COW Trade 4.0 in current million USD. ``\"dyadic\"``: non-directed ``ccode1 < "
        "ccode2``; ``flow1`` = imports of ``ccode1`` from ``ccode2``, ``flow2`` = imports of "
        "``ccode2`` from ``ccode1``, plus smoothed flows. ``\"national\"``: ``ccode, year, "
        "imports, exports``.",
        join=Join("trade", how="trade"),
    ),
    Dataset(
        "trade-national", "trade", "COW national trade", "4.0",
        ("cow_trade_4.0/cow_trade_sy_peacesciencer.csv", "National_COW_4.0.csv"), TRADE_NATIONAL,
        cite=("barbieri2009", "barbieri2016"), api="load_trade",
        choice=Choice("form", "national", "trade form"), join=Join("trade", how="trade"),
    ),
    Dataset(
        "atop-dyad-year", "atop", "ATOP directed dyad-year", "5.1",
        ("atop/atop5_1_ddyr_peacesciencer.csv.gz", "atop5_1ddyr.csv"), ATOP_DDYR,
        cite=("leeds2002",), api="load_atop", choice=Choice("form", "dyad-year", "ATOP form"),
        directed=True,
        doc="Alliance Treaty Obligations and Provisions. ``\"dyad-year\"`` (ATOP 5.1 directed "
        "dyad-years): ``ccode1, ccode2, year`` and the obligations ``atop_defense, "
        "atop_offense, atop_neutral, atop_nonagg, atop_consul``; the row ``ccode1 -> ccode2`` "
        "records commitments *made by* ``ccode1`` *to* ``ccode2``. Both the peacesciencer "
        "names and ATOP's own (``stateA``, ``defense``, ...) are accepted. ``\"member\"``: one "
        "row per alliance member and phase (``atopid, member, yrent, yrexit`` and the member's "
        "own obligations). ``\"alliance\"``: one row per alliance.",
        join=Join(
            "alliances", columns=(*ATOP_OBLIGATIONS, "atop_ally"), level="dyad",
            prepare=atop_obligations, fill=(None, None), undirected="max",
            per_state=atop_state_counts,
            doc="Dyads get ``atop_defense, atop_offense, atop_neutral, atop_nonagg, atop_consul`` "
            "and ``atop_ally`` (any obligation). On a directed panel the row ``ccode1 -> ccode2`` "
            "holds the commitments ``ccode1`` made to ``ccode2`` (so US -> Japan has a defence "
            "pledge, Japan -> US does not); on a non-directed panel each column is 1 if either "
            "side made the pledge. State-years get ``atop_defense_partners`` (states this one "
            "pledged to defend) and ``atop_allies`` (states it has any obligation with).",
        ),
    ),
    Dataset(
        "atop-member", "atop", "ATOP member-level", "4.01",
        ("atop/atop4_01_member_level.csv", "atop5_1m.csv", "atop4_01m.csv"), ATOP_MEMBER,
        cite=("leeds2002",), api="load_atop", choice=Choice("form", "member", "ATOP form"),
        versions=_ATOP_RELEASES,
    ),
    Dataset(
        "atop-alliance", "atop", "ATOP alliance-level", "4.01",
        ("atop/atop4_01_alliance_level.csv", "atop5_1a.csv", "atop4_01a.csv"), ATOP_ALLIANCE,
        cite=("leeds2002",), api="load_atop", choice=Choice("form", "alliance", "ATOP form"),
        versions=_ATOP_RELEASES,
    ),
    Dataset(
        "polity", "polity5", "Polity5", "p5v2018", ("polity5/p5v2018.csv", "p5v2018.csv"), POLITY,
        cite=("marshall2020",), api="load_polity",
        doc="Polity5 annual time series (Polity's own country codes; see :mod:`secorder.data.codes`).",
        join=Join(
            "democracy", Choice("source", "polity", "democracy source"), columns=("polity2", "democ", "autoc", "polity"),
            prepare=polity_by_cow,
        ),
    ),
    Dataset(
        "vdem", "vdem-ert", "V-Dem Episodes of Regime Transformation", "15",
        ("vdem_ert_v15/ert.csv", "ert.csv"), VDEM, cite=("maerz2023", "coppedge2025"),
        api="load_vdem", post=vdem_with_cow,
        doc="V-Dem (the ERT file or a V-Dem country-year file) with a COW ``ccode`` column, from "
        "V-Dem's ``COWcode`` column when the file has one, otherwise from the table in "
        ":data:`secorder.data.codes.VDEM_COW`.",
        join=Join(
            "democracy", Choice("source", "vdem", "democracy source"), columns=("v2x_polyarchy",),
            optional=("v2x_regime",), prepare=lambda df: df.drop_nulls("ccode"),
        ),
    ),
    Dataset(
        "democracy", "ccode-democracy", "V-Dem/Polity/UDS keyed to COW codes",
        "V-Dem 10, Polity IV 2017, QuickUDS 0.2.3",
        ("ccode_democracy/ccode_democracy_peacesciencer.csv",), DEMOCRACY,
        cite=("coppedge2020", "marshall2017", "pemstein2010", "marquez2016"),
        api="load_democracy",
        doc="COW-keyed democracy scores: ``ccode, year, v2x_polyarchy, polity2, xm_qudsest``.",
        join=Join(
            "democracy", Choice("source", "ccode_democracy", "democracy source"),
            columns=("v2x_polyarchy", "polity2", "xm_qudsest"),
        ),
    ),
    Dataset(
        "icb-actor", "icb", "International Crisis Behavior (actor level)", "14",
        ("icb_v14/icb2v14.csv", "icb2v14.csv"), ICB_ACTOR, cite=("brecher2000", "brecher2021"),
        api="load_icb", choice=Choice("level", "actor", "ICB level"),
        doc="International Crisis Behavior 14: actor level (``icb2``; ``cracid`` is a COW code) "
        "or crisis level (``icb1``).",
        join=Join("crises", how="crises"),
    ),
    Dataset(
        "icb-crisis", "icb", "International Crisis Behavior (crisis level)", "14",
        ("icb_v14/icb1v14.csv", "icb1v14.csv"), ICB_CRISIS, cite=("brecher2000", "brecher2021"),
        api="load_icb", choice=Choice("level", "crisis", "ICB level"),
    ),
    Dataset(
        "tss-rivalries", "tss-rivalries", "Thompson-Sakuwa-Suhas strategic rivalries", "2021",
        ("rivalries_arms_races/tss_rivalries_peacesciencer.csv",), TSS_RIVALRIES,
        cite=("thompson2021",), api="load_rivalries",
        choice=Choice("source", "tss", "rivalry source"),
        doc="Strategic rivalry spells: Thompson-Sakuwa-Suhas (``start``, ``end``) or "
        "Thompson-Dreyer (``styear``, ``endyear``).",
        join=Join("rivalries", Choice("source", "tss", "rivalry source"), prepare=tss_rivalry_years, **_RIVALRY_JOIN),
    ),
    Dataset(
        "td-rivalries", "td-rivalries", "Thompson-Dreyer strategic rivalries", "2012",
        ("rivalries_arms_races/td_rivalries_peacesciencer.csv",), TD_RIVALRIES,
        cite=("thompson2012",), api="load_rivalries",
        choice=Choice("source", "td", "rivalry source"),
        join=Join("rivalries", Choice("source", "td", "rivalry source"), prepare=td_rivalry_years, **_RIVALRY_JOIN),
    ),
    Dataset(
        "gdp-sdp", "gdp-sdp", "GDP and surplus domestic product (Anders, Fariss and Markowitz)",
        "ISQ 2020", ("gdp_sdp/cow_sdp_gdp_peacesciencer.csv",), GDP_SDP, cite=("anders2020",),
        api="load_gdp",
        doc="GDP, population and surplus domestic product estimates (Anders, Fariss and "
        "Markowitz 2020) by COW state-year, as peacesciencer distributes them: natural logs of "
        "(value + 1) of GDP and SDP in 2011 USD at purchasing power parity, population and GDP "
        "per capita (``wbgdp2011est, wbpopest, sdpest, wbgdppc2011est``).",
        join=Join("gdp", columns=("gdp_ppp", "sdp_ppp", "gdppc_ppp"), prepare=gdp_levels),
    ),
    Dataset(
        "arms-races", "arms-races", "Gibler-Rider-Hutchison arms races", "2005",
        ("rivalries_arms_races/grh_arms_races_peacesciencer.csv",), ARMS_RACES,
        cite=("gibler2005",), api="load_arms_races", directed=False,
        doc="Arms races (Gibler, Rider and Hutchison 2005): ``race_id, ccode1, ccode2, styear, endyear``.",
    ),
)  # fmt: skip

DATASETS: dict[str, Dataset] = {d.name: d for d in _ENTRIES}
"""Every dataset the data layer knows, by registry name."""

ALL_SPECS: tuple[Spec, ...] = tuple(dict.fromkeys(s for d in _ENTRIES for s in d.all_formats))
"""Every known format (used to name the dataset a wrong file belongs to)."""

DATASET_REFERENCES: dict[str, tuple[str, ...]] = {d.key: d.cite for d in _ENTRIES}
"""References (keys of :data:`~secorder.data.citations.REFERENCES`) for each dataset key."""


def family(api: str) -> list[Dataset]:
    """The datasets served by loader ``api``, default first."""
    members = [d for d in _ENTRIES if d.api == api]
    if not members:
        raise KeyError(api)
    return members


def loader_names() -> list[str]:
    """Names of the public loaders, in registry order."""
    return list(dict.fromkeys(d.api for d in _ENTRIES))


def step_names() -> list[str]:
    """Names of the panel steps (``add_<name>``), in registry order."""
    return list(dict.fromkeys(d.join.step for d in _ENTRIES if d.join is not None))


def step_datasets(step: str) -> list[Dataset]:
    """The datasets a panel step reads, default first."""
    return [d for d in _ENTRIES if d.join is not None and d.join.step == step]
