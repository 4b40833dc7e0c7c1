"""Build a simulator scenario for a year and a set of states from the peace-science data.

:func:`scenario_from_data` returns a plain dict that validates as
:class:`secorder.scenario.schema.Scenario`; :func:`write_scenario` writes it as YAML. Every
value comes from a dataset where one covers it; everything else comes from the documented
defaults below and is listed in the scenario's ``defaults_used``. Only the state list and NMC
are required; any other dataset that is not found is reported in ``sources`` and its fields
fall back to defaults.

Mapping from the data
---------------------
* ``population``: NMC ``tpop`` (thousands) / 1000. ``military_spending``: NMC ``milex``
  (thousands of current USD; before 1914 thousands of GBP, converted at 4.8665 USD/GBP) / 1e6.
  Where NMC has none, it is imputed (:func:`impute_milex`: the latest figure of the previous
  10 years, else a log-log fit on military personnel and energy consumption over that year's
  states) and every imputed value is listed in ``sources`` and ``defaults_used``.
* ``gdp`` (bn current USD): supplied by the caller, or the proxy
  ``4.7 * trade**0.55 * population**0.135 * military_spending**0.465`` with ``trade`` the
  state's total trade (COW national trade, bn USD; twice the known side when imports or
  exports are missing), ``population`` in millions and ``military_spending`` in bn USD. The
  constants are a log-log least-squares fit to World Bank GDP of 22 states in 1995 and 20 in
  2010 (typical error a factor of 1.6). Without military spending:
  ``0.97 * trade**0.93 * population**0.27`` (same fit without it); without trade:
  ``military_spending / 0.03``; without either: 0.5 bn per million people. GDP is never
  below four times military spending. Always listed in ``defaults_used``.
* ``growth``: trend real GDP growth over the 10 years before ``year`` from the Anders,
  Fariss and Markowitz GDP estimates (constant 2011 USD at PPP); the default where there are
  fewer than 5 years of estimates. (Their GDP levels are not used for ``gdp``: they are PPP
  constant dollars and military spending is current dollars at market rates.)
* ``regime``: Polity5 ``polity2``; else V-Dem polyarchy rescaled ``20 * v2x_polyarchy - 10``.
* ``nuclear``: the table :data:`NUCLEAR_FIRST_TEST` (year of the first nuclear test; Israel
  by the commonly cited 1967; South Africa 1979-1991).
* ``capital``: COW capitals. ``major_power``: COW major powers.
* Dyads: ``contiguity`` from COW direct contiguity (type 1 land, 2-5 sea); ``distance_km``
  great-circle between capitals; ``trade`` COW dyadic trade (bn USD); ``stakes``
  ``= 0.4 * (ongoing strategic rivalry) + 0.2 * (spatial rivalry)``;
  ``animosity = 0.4 * rivalry + 0.3 * (an inter-state war between them in the previous 30
  years)``; ``trust`` 0.6 for pairs with an ATOP defence pledge, 0.45 for other ATOP
  obligations (else the default); ``peace_years`` the years of peace completed before the
  start year (the panel's ``mid_peace_years`` in ``year - 1``: 0 when a dispute was ongoing
  the year before); ``issue`` the rivalry's name. Recent MIDs enter through ``peace_years``
  alone (the memory the onset logit was estimated with), not through stakes or animosity as
  well, so they are not counted twice (docs/model.md, step 12).
* Institutions: ATOP alliances in effect (member level). A member's obligation is the
  strongest of its pledges: defence 0.9, offence 0.7, neutrality 0.3, non-aggression 0.2,
  consultation 0.1. ``depth = 0.2 + 0.3 integrated command + 0.2 military contact (2-3)
  + 0.15 formal organisation + 0.15 bases``. ``leader``: the member with at least twice the
  CINC of any other. IGOs in :data:`KNOWN_IGOS` present in COW IGO v3 (full members), and the
  ASEAN Regional Forum from :data:`ARF_JOINED` (not coded in IGO v3).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

import secorder.data.loaders as loaders
from secorder.data._io import DataFileNotFound, atomic_write, read_header, resolve_path
from secorder.data.codes import COW_STATES, cow_abb, cow_code, cow_name
from secorder.data.panels import capital_years, haversine_km, mid_dispute_years
from secorder.data.regions import region_codes
from secorder.data.registry import polity_by_cow
from secorder.errors import DataError, InputError

PathLike = str | os.PathLike[str]

GBP_USD = 4.8665
"""Gold-standard exchange rate used to convert NMC military spending before 1914."""

GDP_PROXY = (4.7, 0.55, 0.135, 0.465)
"""``(a, b, c, d)`` in ``gdp = a * trade**b * population**c * military_spending**d``
(bn USD; trade and military spending in bn USD, population in millions)."""

GDP_PROXY_NO_MILEX = (0.97, 0.93, 0.27)
"""``(a, b, c)`` in ``gdp = a * trade**b * population**c`` when military spending is unknown."""

MAX_MILITARY_BURDEN = 0.25
"""GDP is raised to at least ``military_spending / MAX_MILITARY_BURDEN``."""

OBLIGATION_WEIGHTS = {"defense": 0.9, "offense": 0.7, "neutral": 0.3, "nonagg": 0.2, "consul": 0.1}
"""ATOP pledge -> institution obligation (0 dialogue only .. 1 automatic defence)."""

NUCLEAR_FIRST_TEST: dict[int, tuple[int, int | None]] = {
    2: (1945, None),
    365: (1949, None),
    200: (1952, None),
    220: (1960, None),
    710: (1964, None),
    666: (1967, None),
    750: (1974, None),
    560: (1979, 1991),
    770: (1998, None),
    731: (2006, None),
}
"""COW code -> (first year as a nuclear power, last year or None)."""

STATE_DEFAULTS = {
    "growth": 0.03,
    "missile_defense": 0.0,
    "satisfaction": 0.5,
    "norms": 0.3,
    "regime": 0.0,
}
"""Documented defaults for state fields no dataset supplies."""

REGIME_HAZARD = {"democracy": 0.01, "anocracy": 0.05, "autocracy": 0.03}
"""Annual hazard of a coup or armed challenge by regime type (polity2 >= 6, -5..5, <= -6)."""

DYAD_DEFAULTS = {"trust": 0.3, "animosity": 0.1, "stakes": 0.1}
SYSTEM_DEFAULTS = {"offense_defense": 0.0, "transnational_threat": 0.3}
ALLIANCE_DEFAULTS = {"transparency": 0.3, "informality": 0.2}


@dataclass(frozen=True)
class IgoProfile:
    """How a named IGO enters a scenario (documented defaults, not data)."""

    name: str
    type: str
    obligation: float
    target: str
    regime_rule: str
    transparency: float
    informality: float
    depth: float


KNOWN_IGOS: dict[str, IgoProfile] = {
    "asean": IgoProfile("Association of Southeast Asian Nations", "mutual_recognition", 0.05, "none", "mutual_recognition", 0.3, 0.7, 0.3),
    "apec": IgoProfile("Asia-Pacific Economic Cooperation", "economic", 0.0, "none", "none", 0.4, 0.8, 0.2),
    "sco": IgoProfile("Shanghai Cooperation Organisation", "cooperative_forum", 0.1, "outside", "mutual_recognition", 0.3, 0.5, 0.3),
    "pif": IgoProfile("Pacific Islands Forum", "cooperative_forum", 0.0, "none", "none", 0.4, 0.7, 0.2),
    "saarc": IgoProfile("South Asian Association for Regional Cooperation", "cooperative_forum", 0.0, "none", "none", 0.3, 0.7, 0.2),
    "cica": IgoProfile("Conference on Interaction and Confidence-Building Measures in Asia", "cooperative_forum", 0.0, "none", "none", 0.4, 0.8, 0.1),
}  # fmt: skip
"""COW IGO v3 abbreviations looked for, with their scenario attributes."""

ARF = IgoProfile("ASEAN Regional Forum", "cooperative_forum", 0.0, "none", "none", 0.4, 0.8, 0.1)
ARF_JOINED: dict[str, int] = {
    **dict.fromkeys(
        (
            "BRU",
            "INS",
            "MAL",
            "PHI",
            "SIN",
            "THI",
            "AUL",
            "CAN",
            "JPN",
            "NEW",
            "ROK",
            "USA",
            "CHN",
            "RUS",
            "PNG",
            "LAO",
            "DRV",
        ),
        1994,
    ),
    "CAM": 1995,
    "IND": 1996,
    "MYA": 1996,
    "MON": 1998,
    "PRK": 2000,
    "PAK": 2004,
    "ETM": 2005,
    "BNG": 2006,
    "SRI": 2007,
}
"""ASEAN Regional Forum state members and the year each joined (the EU is also a member)."""


@dataclass
class _Notes:
    """Source notes and the list of defaulted fields, collected while building."""

    sources: dict[str, list[str]] = field(default_factory=dict)
    defaults: list[str] = field(default_factory=list)

    def source(self, group: str, text: str) -> None:
        self.sources.setdefault(group, []).append(text)

    def default(self, what: str) -> None:
        if what not in self.defaults:
            self.defaults.append(what)

    def per_state(self, fld: str, codes: Sequence[str], all_codes: Sequence[str]) -> None:
        """List ``fld`` as defaulted for ``codes`` (``states[*]`` when that is every state)."""
        if codes and len(codes) == len(all_codes):
            self.default(f"states[*].{fld}")
            return
        for c in codes:
            self.default(f"states[{c}].{fld}")


def _optional(
    notes: _Notes, group: str, name: str, fn: Any, *args: Any, **kwargs: Any
) -> loaders.Loaded | None:
    try:
        return fn(*args, **kwargs)
    except DataFileNotFound as exc:
        notes.source(group, f"{name}: not found ({exc.problems[0][1]}); defaults used")
        return None


def _latest(df: pl.DataFrame, keys: Sequence[str], year: int, *, lag: int) -> pl.DataFrame:
    """Per unit, the row of the latest year <= ``year`` and >= ``year - lag``."""
    return (
        df.filter(pl.col("year").is_between(year - lag, year))
        .sort("year")
        .group_by(*keys, maintain_order=True)
        .last()
    )


def _years_used(df: pl.DataFrame) -> str:
    ys = sorted(set(df["year"].to_list()))
    return "-" if not ys else str(ys[0]) if len(ys) == 1 else f"{ys[0]}-{ys[-1]}"


# --------------------------------------------------------------------------- states


def select_states(
    year: int, states: Sequence[str | int] | None, region: str | None, source_dir: PathLike | None
) -> list[int]:
    """COW codes of the scenario's states that are system members in ``year``.

    Explicit ``states`` that are not members raise :class:`~secorder.errors.InputError`;
    region members that are not are dropped. A state the state-list file has no spell for at
    all raises :class:`~secorder.errors.DataError` naming the file (it is truncated or not the
    full list), rather than calling the state a non-member.
    """
    loaded = loaders.read("states", None, source_dir)
    spells = loaded.frame
    last = int(spells["endyear"].max())  # type: ignore[arg-type]
    y = min(year, last)
    members = set(
        spells.filter((pl.col("styear") <= y) & (pl.col("endyear") >= y))["ccode"].to_list()
    )
    if states:
        wanted = list(dict.fromkeys(cow_code(s) for s in states))
        listed = set(spells["ccode"].to_list())
        unlisted = [f"{cow_abb(c)} ({c})" for c in wanted if c not in listed]
        if unlisted:
            raise DataError(
                f"no membership spell at all for {', '.join(unlisted)}: the state list has "
                f"{len(listed)} of the {len(COW_STATES)} COW states, so the file looks "
                "truncated or incomplete",
                field=loaded.source.file,
            )
        absent = [f"{cow_abb(c)} ({c})" for c in wanted if c not in members]
        if absent:
            raise InputError(
                f"not a COW system member in {year}: {', '.join(absent)}", field="states"
            )
    elif region:
        wanted = sorted(c for c in region_codes(region) if c in members)
    else:
        raise InputError("give the states or a region", field="states")
    if len(wanted) < 2:
        raise InputError(f"a scenario needs at least two states; got {len(wanted)}", field="states")
    return wanted


def _capabilities(
    year: int, codes: list[int], source_dir: PathLike | None, notes: _Notes
) -> pl.DataFrame:
    loaded = loaders.read("nmc-7.0", None, source_dir)
    nmc = _latest(loaded.frame.filter(pl.col("ccode").is_in(codes)), ["ccode"], year, lag=10)
    notes.source(
        "states",
        f"population, military spending: {loaded.source.label} {loaded.source.version}, {_years_used(nmc)}",
    )
    nmc = impute_milex(loaded.frame, nmc, lag=10)
    rate = pl.when(pl.col("year") < 1914).then(GBP_USD).otherwise(1.0)
    return nmc.select(
        "ccode",
        "cinc",
        "milex_note",
        population=pl.col("tpop") / 1_000,
        military_spending=pl.col("milex") * rate / 1e6,
    )


def impute_milex(all_nmc: pl.DataFrame, rows: pl.DataFrame, *, lag: int) -> pl.DataFrame:
    """Fill a missing NMC ``milex`` in ``rows`` (one row per state) and say how.

    The note is in ``milex_note`` (null where the value is data); the value comes from:

    1. The state's latest reported ``milex`` within ``lag`` years before the row's year,
       carried forward (nominal, so it understates growth since then).
    2. Otherwise a log-log fit over every state reporting in the row's year:
       ``ln milex = a + b ln(milper + 1) + c ln(pec + 1)`` (military personnel and energy
       consumption, which NMC codes for nearly every state), applied to the state.
    3. Otherwise (no personnel or energy figure either) 0, noted as such.
    """
    missing = rows.filter(pl.col("milex").is_null())
    if missing.is_empty():
        return rows.with_columns(milex_note=pl.lit(None, dtype=pl.String))
    filled: dict[int, tuple[float, str]] = {}
    for r in missing.iter_rows(named=True):
        c, y = r["ccode"], r["year"]
        earlier = all_nmc.filter(
            (pl.col("ccode") == c)
            & pl.col("year").is_between(y - lag, y)
            & pl.col("milex").is_not_null()
        ).sort("year")
        if earlier.height:
            last = earlier.row(-1, named=True)
            filled[c] = (float(last["milex"]), f"carried forward from {last['year']}")
            continue
        fit = _milex_fit(all_nmc.filter(pl.col("year") == y))
        if fit is not None and r["milper"] is not None and r["pec"] is not None:
            (a, b, cc), n = fit
            value = math.exp(a + b * math.log(r["milper"] + 1) + cc * math.log(r["pec"] + 1))
            filled[c] = (
                value,
                f"imputed from military personnel and energy consumption ({y} log-log fit "
                f"over {n} states)",
            )
        else:
            filled[c] = (0.0, "no military spending, personnel or energy data: 0")
    value = pl.col("ccode").replace_strict({c: v for c, (v, _) in filled.items()}, default=None)
    note = pl.col("ccode").replace_strict(
        {c: t for c, (_, t) in filled.items()}, default=None, return_dtype=pl.String
    )
    return rows.with_columns(milex=pl.coalesce("milex", value), milex_note=note)


def _milex_fit(year_rows: pl.DataFrame) -> tuple[tuple[float, float, float], int] | None:
    """Least-squares ``ln milex ~ 1 + ln(milper + 1) + ln(pec + 1)`` over one year's states."""
    ok = year_rows.drop_nulls(["milex", "milper", "pec"]).filter(pl.col("milex") > 0)
    if ok.height < 10:
        return None
    x = np.column_stack(
        [np.ones(ok.height), np.log1p(ok["milper"].to_numpy()), np.log1p(ok["pec"].to_numpy())]
    )
    coef, *_ = np.linalg.lstsq(x, np.log(ok["milex"].to_numpy()), rcond=None)
    return (float(coef[0]), float(coef[1]), float(coef[2])), ok.height


def _national_trade(
    year: int, codes: list[int], source_dir: PathLike | None, notes: _Notes
) -> dict[int, float]:
    loaded = _optional(
        notes, "states", "COW national trade", loaders.read, "trade-national", None, source_dir
    )
    if loaded is None:
        return {}
    t = _latest(loaded.frame.filter(pl.col("ccode").is_in(codes)), ["ccode"], year, lag=10)
    total = (
        pl.when(pl.col("imports").is_null()).then(2 * pl.col("exports"))
        .when(pl.col("exports").is_null()).then(2 * pl.col("imports"))
        .otherwise(pl.col("imports") + pl.col("exports"))
    )  # fmt: skip
    t = t.select("ccode", "year", trade=total / 1_000).drop_nulls("trade")
    notes.source(
        "states",
        f"GDP proxy trade: {loaded.source.label} {loaded.source.version}, {_years_used(t)}",
    )
    return dict(t.select("ccode", "trade").iter_rows())


def gdp_proxy(trade_bn: float | None, population_m: float, military_bn: float) -> float:
    """GDP proxy in bn current USD (see the module notes)."""
    pop = max(population_m, 0.01)
    if trade_bn is not None and trade_bn > 0 and military_bn > 0:
        a, b, c, d = GDP_PROXY
        gdp = a * trade_bn**b * pop**c * military_bn**d
    elif trade_bn is not None and trade_bn > 0:
        a, b, c = GDP_PROXY_NO_MILEX
        gdp = a * trade_bn**b * pop**c
    elif military_bn > 0:
        gdp = military_bn / 0.03
    else:
        gdp = 0.5 * pop
    return max(gdp, military_bn / MAX_MILITARY_BURDEN)


def _regimes(
    year: int, codes: list[int], source_dir: PathLike | None, notes: _Notes
) -> dict[int, float]:
    out: dict[int, float] = {}
    polity = _optional(notes, "states", "Polity5", loaders.read, "polity", None, source_dir)
    if polity is not None:
        p = _latest(
            polity_by_cow(polity.frame).filter(pl.col("ccode").is_in(codes)).drop_nulls("polity2"),
            ["ccode"],
            year,
            lag=5,
        )
        out.update({int(c): float(v) for c, v in p.select("ccode", "polity2").iter_rows()})
        notes.source("states", f"regime: {polity.source.label} polity2, {_years_used(p)}")
    missing = [c for c in codes if c not in out]
    if missing:
        vdem = _optional(notes, "states", "V-Dem", loaders.read, "vdem", None, source_dir)
        if vdem is not None:
            v = _latest(
                vdem.frame.filter(pl.col("ccode").is_in(missing)).drop_nulls("v2x_polyarchy"),
                ["ccode"],
                year,
                lag=5,
            )
            found = {
                int(c): round(20 * float(x) - 10, 2)
                for c, x in v.select("ccode", "v2x_polyarchy").iter_rows()
            }
            out.update(found)
            if found:
                names = ", ".join(cow_abb(c) for c in found)
                notes.source(
                    "states",
                    f"regime (V-Dem polyarchy x20-10) for {names}: {vdem.source.label} {vdem.source.version}",
                )
    return out


def gdp_by_code(gdp: Mapping[str | int, float] | None, field: str = "gdp") -> dict[int, float]:
    """Caller-supplied GDP (bn current USD) keyed by COW code, checked.

    The codes must be known and given once, the values positive finite numbers. Errors name
    ``field`` (the ``gdp`` argument, or ``--gdp``).
    """
    out: dict[int, float] = {}
    for k, v in (gdp or {}).items():
        try:
            code = cow_code(k)
        except InputError:
            raise InputError(f"unknown COW state code {k!r}", field=field) from None
        if code in out:
            raise InputError(f"{cow_abb(code)} is given twice", field=field)
        try:
            value = float(v)
        except (TypeError, ValueError):
            raise InputError(f"gdp must be a number for {k}, got {v!r}", field=field) from None
        if not math.isfinite(value) or value <= 0:
            raise InputError(
                f"gdp must be a positive number (bn USD) for {k}, got {v!r}", field=field
            )
        out[code] = value
    return out


GROWTH_WINDOW = 10
"""Years over which a state's trend real GDP growth is measured (ending the year before)."""


def _growth(
    year: int, codes: list[int], source_dir: PathLike | None, notes: _Notes
) -> dict[int, float]:
    """Trend real GDP growth per year over the :data:`GROWTH_WINDOW` years before ``year``.

    From the Anders-Fariss-Markowitz GDP estimates (constant 2011 USD, so growth is real);
    states with fewer than 5 years of estimates in the window keep the default.
    """
    loaded = _optional(
        notes, "states", "GDP estimates (Anders, Fariss and Markowitz)", loaders.read, "gdp-sdp",
        None, source_dir,
    )  # fmt: skip
    if loaded is None:
        return {}
    window = loaded.frame.filter(
        pl.col("ccode").is_in(codes)
        & pl.col("year").is_between(year - 1 - GROWTH_WINDOW, year - 1)
        & pl.col("wbgdp2011est").is_not_null()
    ).sort("year")
    spans = window.group_by("ccode").agg(
        first=pl.col("year").first(),
        last=pl.col("year").last(),
        ln_first=pl.col("wbgdp2011est").first(),
        ln_last=pl.col("wbgdp2011est").last(),
    )
    out: dict[int, float] = {}
    for r in spans.iter_rows(named=True):
        if r["last"] - r["first"] >= 5:
            rate = math.exp((r["ln_last"] - r["ln_first"]) / (r["last"] - r["first"])) - 1
            out[int(r["ccode"])] = round(min(max(rate, -0.3), 0.3), 4)
    if out:
        notes.source(
            "states",
            f"growth: trend real GDP growth {year - 1 - GROWTH_WINDOW}-{year - 1}, "
            f"{loaded.source.label} {loaded.source.version}",
        )
    return out


def _hazard(regime: float) -> float:
    kind = "democracy" if regime >= 6 else "autocracy" if regime <= -6 else "anocracy"
    return REGIME_HAZARD[kind]


def _capitals(
    year: int, codes: list[int], source_dir: PathLike | None, notes: _Notes
) -> dict[int, tuple[float, float]]:
    loaded = _optional(notes, "states", "COW capitals", loaders.read, "capitals", None, source_dir)
    if loaded is None:
        return {}
    caps = _latest(
        capital_years(loaded.frame).filter(pl.col("ccode").is_in(codes)), ["ccode"], year, lag=10
    )
    notes.source("states", f"capitals: {loaded.source.label}")
    return {
        int(c): (round(float(la), 4), round(float(lo), 4))
        for c, la, lo in caps.select("ccode", "lat", "lng").iter_rows()
    }


def _majors(
    year: int, codes: list[int], source_dir: PathLike | None, notes: _Notes
) -> set[int] | None:
    loaded = _optional(
        notes, "states", "COW major powers", loaders.read, "majors", None, source_dir
    )
    if loaded is None:
        return None
    m = loaded.frame
    y = min(year, int(m["endyear"].max()))  # type: ignore[arg-type]
    notes.source("states", f"major powers: {loaded.source.label} (version {loaded.source.version})")
    return set(
        m.filter((pl.col("styear") <= y) & (pl.col("endyear") >= y))["ccode"].to_list()
    ) & set(codes)


def is_nuclear(ccode: int, year: int) -> bool:
    """Whether ``ccode`` was a nuclear power in ``year`` (see :data:`NUCLEAR_FIRST_TEST`)."""
    first, last = NUCLEAR_FIRST_TEST.get(ccode, (None, None))
    return first is not None and first <= year and (last is None or year <= last)


def _states(
    year: int,
    codes: list[int],
    source_dir: PathLike | None,
    gdp: Mapping[str, float] | None,
    notes: _Notes,
) -> tuple[list[dict[str, Any]], dict[int, float]]:
    caps = _capabilities(year, codes, source_dir, notes)
    absent = [cow_abb(c) for c in codes if c not in set(caps["ccode"].to_list())]
    if absent:
        raise InputError(f"no NMC data for {', '.join(absent)} in or before {year}", field="states")
    cap = {int(r["ccode"]): r for r in caps.iter_rows(named=True)}
    trade = _national_trade(year, codes, source_dir, notes)
    regimes = _regimes(year, codes, source_dir, notes)
    growth = _growth(year, codes, source_dir, notes)
    capitals = _capitals(year, codes, source_dir, notes)
    majors = _majors(year, codes, source_dir, notes)
    given = gdp_by_code(gdp)
    abbs = [cow_abb(c) for c in codes]
    out, proxied, no_regime, imputed, no_capital = [], [], [], [], []
    for c, abb in zip(codes, abbs, strict=True):
        row = cap[c]
        milex = row["military_spending"] or 0.0
        if row["milex_note"] is not None:
            imputed.append(f"{abb} {milex:.3f} bn ({row['milex_note']})")
            notes.default(f"states[{abb}].military_spending (imputed: {row['milex_note']})")
        pop = row["population"] if row["population"] else 0.01
        if c in given:
            g = given[c]
        else:
            proxied.append(abb)
            g = gdp_proxy(trade.get(c), pop, milex)
        regime = regimes.get(c)
        if regime is None:
            no_regime.append(abb)
            regime = STATE_DEFAULTS["regime"]
        if c not in capitals:
            no_capital.append(abb)
        out.append(
            {
                "code": abb,
                "ccode": c,
                "name": cow_name(c),
                "gdp": round(max(g, milex / MAX_MILITARY_BURDEN, 0.01), 3),
                "growth": growth.get(c, STATE_DEFAULTS["growth"]),
                "population": round(pop, 3),
                "military_spending": round(milex, 3),
                "nuclear": is_nuclear(c, year),
                "strike_capability": None,
                "missile_defense": STATE_DEFAULTS["missile_defense"],
                "regime": float(regime),
                "regime_hazard": _hazard(regime),
                "satisfaction": STATE_DEFAULTS["satisfaction"],
                "norms": STATE_DEFAULTS["norms"],
                "capital": list(capitals[c]) if c in capitals else None,
                "major_power": None if majors is None else c in majors,
            }
        )
    notes.source(
        "states",
        "nuclear: table of first nuclear tests (secorder.data.from_data.NUCLEAR_FIRST_TEST)",
    )
    notes.per_state("gdp", proxied, abbs)
    notes.per_state("regime", no_regime, abbs)
    if imputed:
        notes.source("states", f"military spending imputed (NMC has none): {'; '.join(imputed)}")
    notes.per_state("growth", [cow_abb(c) for c in codes if c not in growth], abbs)
    for fld in ("missile_defense", "regime_hazard", "satisfaction", "norms"):
        notes.default(f"states[*].{fld}")
    cinc = {c: float(cap[c]["cinc"] or 0.0) for c in codes}
    return out, cinc


# --------------------------------------------------------------------------- dyads


def _pair_table(
    year: int, codes: list[int], source_dir: PathLike | None, notes: _Notes
) -> pl.DataFrame:
    """One row per unordered pair (``a`` before ``b`` in ``codes``) with all dyadic data."""
    order = {c: i for i, c in enumerate(codes)}
    pairs = pl.DataFrame(
        [(a, b) for a, b in combinations(codes, 2)],
        schema={"a": pl.Int64, "b": pl.Int64},
        orient="row",
    ).with_columns(lo=pl.min_horizontal("a", "b"), hi=pl.max_horizontal("a", "b"))
    pairs = pairs.join(_contiguity(year, codes, source_dir, notes), on=["lo", "hi"], how="left")
    pairs = pairs.join(_dyad_trade(year, codes, source_dir, notes), on=["lo", "hi"], how="left")
    pairs = pairs.join(_mid_history(year, codes, source_dir, notes), on=["lo", "hi"], how="left")
    pairs = pairs.join(_rivalries(year, codes, source_dir, notes), on=["lo", "hi"], how="left")
    pairs = pairs.join(_wars(year, codes, source_dir, notes), on=["lo", "hi"], how="left")
    pairs = pairs.join(_alliance_pairs(year, codes, source_dir, notes), on=["lo", "hi"], how="left")
    return pairs.sort(pl.col("a").replace_strict(order), pl.col("b").replace_strict(order))


def _empty_pairs(**cols: type[pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema={"lo": pl.Int64, "hi": pl.Int64, **cols})


def _undirected(df: pl.DataFrame, a: str = "ccode1", b: str = "ccode2") -> pl.DataFrame:
    return df.with_columns(lo=pl.min_horizontal(a, b), hi=pl.max_horizontal(a, b))


def _contiguity(
    year: int, codes: list[int], source_dir: PathLike | None, notes: _Notes
) -> pl.DataFrame:
    loaded = _optional(
        notes, "dyads", "COW contiguity", loaders.read, "contiguity", None, source_dir
    )
    if loaded is None:
        notes.default("dyads[*].contiguity")
        return _empty_pairs(conttype=pl.Int64)
    cont = loaded.frame.filter(pl.col("ccode1").is_in(codes) & pl.col("ccode2").is_in(codes))
    y = min(year, int(loaded.frame["year"].max()))  # type: ignore[arg-type]
    notes.source("dyads", f"contiguity: {loaded.source.label} {loaded.source.version}, {y}")
    return (
        _undirected(cont.filter(pl.col("year") == y))
        .group_by("lo", "hi")
        .agg(pl.col("conttype").min())
    )


def _dyad_trade(
    year: int, codes: list[int], source_dir: PathLike | None, notes: _Notes
) -> pl.DataFrame:
    loaded = _optional(
        notes, "dyads", "COW dyadic trade", loaders.read, "trade-dyadic", None, source_dir
    )
    if loaded is None:
        notes.default("dyads[*].trade")
        return _empty_pairs(trade=pl.Float64)
    lo, hi = (int(v) for v in (loaded.frame["year"].min(), loaded.frame["year"].max()))  # type: ignore[arg-type]
    if year < lo:
        notes.source("dyads", f"trade: {loaded.source.label} starts in {lo}; defaults used")
        notes.default("dyads[*].trade")
        return _empty_pairs(trade=pl.Float64)
    y = min(year, hi)
    t = loaded.frame.filter(
        (pl.col("year") == y) & pl.col("ccode1").is_in(codes) & pl.col("ccode2").is_in(codes)
    )
    notes.source(
        "dyads",
        f"trade: {loaded.source.label} {loaded.source.version}, {y} (pairs absent from the file: 0)",
    )
    return _undirected(t).select(
        "lo", "hi", trade=(pl.col("flow1").fill_null(0) + pl.col("flow2").fill_null(0)) / 1_000
    )


def _mid_history(
    year: int, codes: list[int], source_dir: PathLike | None, notes: _Notes
) -> pl.DataFrame:
    schema = {"last_mid": pl.Int64}
    loaded = _optional(
        notes, "dyads", "COW MID participants", loaders.read, "mid-participant", None, source_dir
    )
    if loaded is None:
        notes.default("dyads[*].peace_years")
        return _empty_pairs(**schema)
    dd = mid_dispute_years(loaded.frame.filter(pl.col("ccode").is_in(codes)))
    end = int(loaded.frame["endyear"].max())  # type: ignore[arg-type]
    notes.source("dyads", f"peace years: {loaded.source.label} {loaded.source.version} (to {end})")
    dd = _undirected(dd.filter(pl.col("ccode1") < pl.col("ccode2")))
    return dd.filter(pl.col("year") < year).group_by("lo", "hi").agg(last_mid=pl.col("year").max())


def _rivalries(
    year: int, codes: list[int], source_dir: PathLike | None, notes: _Notes
) -> pl.DataFrame:
    loaded = _optional(
        notes, "dyads", "strategic rivalries", loaders.read, "tss-rivalries", None, source_dir
    )
    if loaded is None:
        notes.default("dyads[*].stakes (rivalry part)")
        return _empty_pairs(rivalry=pl.String, spatial=pl.Int64)
    r = loaded.frame.filter(
        pl.col("ccode1").is_in(codes)
        & pl.col("ccode2").is_in(codes)
        & (pl.col("start") <= year)
        & (pl.col("end") >= year)
    )
    notes.source("dyads", f"rivalries, issues: {loaded.source.label} ({loaded.source.version})")
    return (
        _undirected(r)
        .group_by("lo", "hi")
        .agg(rivalry=pl.col("rivalry").first(), spatial=pl.col("spatial").fill_null(0).max())
    )


def _wars(year: int, codes: list[int], source_dir: PathLike | None, notes: _Notes) -> pl.DataFrame:
    loaded = _optional(notes, "dyads", "COW wars", loaders.read, "war-dyad-year", None, source_dir)
    if loaded is None:
        return _empty_pairs(war30=pl.Int64)
    w = loaded.frame.filter(
        pl.col("ccode1").is_in(codes)
        & pl.col("ccode2").is_in(codes)
        & pl.col("year").is_between(year - 30, year - 1)
    )
    notes.source("dyads", f"wars (animosity): {loaded.source.label} {loaded.source.version}")
    return _undirected(w).group_by("lo", "hi").agg(war30=pl.lit(1, dtype=pl.Int64))


def _alliance_pairs(
    year: int, codes: list[int], source_dir: PathLike | None, notes: _Notes
) -> pl.DataFrame:
    loaded = _optional(
        notes, "dyads", "ATOP dyad-years", loaders.read, "atop-dyad-year", None, source_dir
    )
    if loaded is None:
        return _empty_pairs(defense=pl.Int64, ally=pl.Int64)
    y = min(year, int(loaded.frame["year"].max()))  # type: ignore[arg-type]
    a = loaded.frame.filter(
        (pl.col("year") == y) & pl.col("ccode1").is_in(codes) & pl.col("ccode2").is_in(codes)
    )
    notes.source("dyads", f"trust (alliances): {loaded.source.label} {loaded.source.version}, {y}")
    obs = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]
    return (
        _undirected(a)
        .group_by("lo", "hi")
        .agg(defense=pl.col("atop_defense").max(), ally=pl.max_horizontal(obs).max())
    )


def _contiguity_label(conttype: int | None) -> str:
    if conttype == 1:
        return "land"
    return "sea" if conttype is not None and 2 <= conttype <= 5 else "none"


def _issue(rivalry: str | None) -> str | None:
    return None if rivalry is None else re.sub(r"\s+\d+$", "", rivalry) + " rivalry"


def _dyads(
    year: int,
    codes: list[int],
    states: list[dict[str, Any]],
    source_dir: PathLike | None,
    first: dict[int, int],
    notes: _Notes,
) -> list[dict[str, Any]]:
    table = _pair_table(year, codes, source_dir, notes)
    capital = {s["ccode"]: s["capital"] for s in states}
    out = []
    for r in table.iter_rows(named=True):
        a, b = r["a"], r["b"]
        rival, spatial = r["rivalry"] is not None, bool(r["spatial"])
        stakes = 0.4 * rival + 0.2 * spatial
        animosity = 0.4 * rival + 0.3 * bool(r["war30"])
        trust = 0.6 if r["defense"] else 0.45 if r["ally"] else None
        since = (
            r["last_mid"]
            if r["last_mid"] is not None
            else max(first.get(a, year), first.get(b, year))
        )
        dyad: dict[str, Any] = {
            "states": [cow_abb(a), cow_abb(b)],
            "contiguity": _contiguity_label(r["conttype"]),
            "distance_km": _distance(capital[a], capital[b]),
            "trade": round(float(r["trade"] or 0.0), 3),
            "stakes": round(stakes, 3),
            "animosity": round(animosity, 3),
            "trust": trust,
            "issue": _issue(r["rivalry"]),
            # completed years of peace before the start year: the panel's peace years in year - 1
            "peace_years": int(min(max(year - 1 - since, 0), 200)),
        }
        out.append(dyad)
    if any(d["trust"] is None for d in out):
        notes.default("dyads[*].trust (pairs without an ATOP obligation: dyad_defaults.trust)")
    if any(d["distance_km"] is None for d in out):
        notes.default("dyads[*].distance_km (no capital: 5000 km)")
        for d in out:
            d["distance_km"] = d["distance_km"] or 5000.0
    return out


def _distance(a: list[float] | None, b: list[float] | None) -> float | None:
    if a is None or b is None:
        return None
    km = pl.select(haversine_km(pl.lit(a[0]), pl.lit(a[1]), pl.lit(b[0]), pl.lit(b[1]))).item()
    return round(max(float(km), 1.0), 1)


# --------------------------------------------------------------------------- institutions


def _alliances(
    year: int, codes: list[int], cinc: dict[int, float], source_dir: PathLike | None, notes: _Notes
) -> list[dict[str, Any]]:
    loaded = _optional(
        notes, "institutions", "ATOP member-level", loaders.read, "atop-member", None, source_dir
    )
    if loaded is None:
        return []
    m = loaded.frame
    last = int(m["yrent"].max())  # type: ignore[arg-type]
    y = min(year, last)
    live = m.filter((pl.col("yrent") <= y) & (pl.col("yrexit").is_null() | (pl.col("yrexit") >= y)))
    size = live.group_by("atopid").agg(n_all=pl.col("member").n_unique())
    mine = live.filter(pl.col("member").is_in(codes))
    ob = pl.max_horizontal(*(pl.col(k) * w for k, w in OBLIGATION_WEIGHTS.items()))
    optional = [c for c in ("intcom", "milcon", "organ1", "base") if c in m.columns]
    per = mine.group_by("atopid", "member").agg(
        *(pl.col(c).max() for c in (*optional, "defense", "offense", "neutral")),
        obligation=ob.max(),
        founded=pl.col("yrent").min(),
    )
    notes.source(
        "institutions",
        f"alliances: {loaded.source.label} {loaded.source.version}, in effect in {y}",
    )
    out = []
    order = {c: i for i, c in enumerate(codes)}
    for (atopid,), grp in (
        per.join(size, on="atopid").sort("atopid").group_by(["atopid"], maintain_order=True)
    ):
        grp = grp.sort(pl.col("member").replace_strict(order))
        if grp.height < 2:
            continue
        out.append(_alliance(int(atopid), grp, cinc))
    if out:
        for k in ALLIANCE_DEFAULTS:
            notes.default(f"institutions[atop-*].{k}")
    return out


def _leader(members: list[int], cinc: dict[int, float]) -> int | None:
    ranked = sorted(members, key=lambda c: cinc.get(c, 0.0), reverse=True)
    top, second = cinc.get(ranked[0], 0.0), cinc.get(ranked[1], 0.0)
    return ranked[0] if top > 0 and top >= 2 * second else None


def _alliance(atopid: int, grp: pl.DataFrame, cinc: dict[int, float]) -> dict[str, Any]:
    members = [int(c) for c in grp["member"]]
    obligations = {
        cow_abb(int(c)): round(float(o), 2)
        for c, o in grp.select("member", "obligation").iter_rows()
    }
    n_all = int(grp["n_all"][0])
    defense = bool(grp["defense"].max())
    kind = (
        "bilateral_alliance"
        if n_all == 2
        else "collective_defense"
        if defense
        else "cooperative_forum"
    )
    pledges = bool(grp.select(pl.max_horizontal("defense", "offense", "neutral")).to_series().max())
    col = {
        c: int(grp[c].max() or 0)
        for c in ("intcom", "milcon", "organ1", "base")
        if c in grp.columns
    }
    depth = 0.2 + 0.3 * (col.get("intcom", 0) > 0) + 0.2 * (col.get("milcon", 0) >= 2)
    depth += 0.15 * (col.get("organ1", 0) > 0) + 0.15 * (col.get("base", 0) > 0)
    leader = _leader(members, cinc)
    abbs = [cow_abb(c) for c in members]
    shown = ", ".join(abbs[:4]) + (f", +{len(abbs) - 4}" if len(abbs) > 4 else "")
    outside = f"; {n_all} members in all" if n_all > len(abbs) else ""
    return {
        "id": f"atop-{atopid}",
        "name": f"ATOP alliance {atopid} ({shown}{outside})",
        "type": kind,
        "members": abbs,
        "leader": None if leader is None else cow_abb(leader),
        "obligation": max(obligations.values()),
        "obligations": obligations,
        "target": "outside" if pledges else "none",
        "regime_rule": "none",
        "decision_rule": "consensus" if leader is None else "hegemon",
        "transparency": ALLIANCE_DEFAULTS["transparency"],
        "informality": ALLIANCE_DEFAULTS["informality"],
        "depth": round(min(depth, 1.0), 2),
        "founded": int(grp["founded"].min()),  # type: ignore[arg-type]
    }


def _igo_institution(
    key: str, profile: IgoProfile, members: list[str], founded: int | None
) -> dict[str, Any]:
    return {
        "id": key,
        "name": profile.name,
        "type": profile.type,
        "members": members,
        "leader": None,
        "obligation": profile.obligation,
        "target": profile.target,
        "regime_rule": profile.regime_rule,
        "decision_rule": "consensus",
        "transparency": profile.transparency,
        "informality": profile.informality,
        "depth": profile.depth,
        "founded": founded,
    }


def _igos(
    year: int, codes: list[int], source_dir: PathLike | None, notes: _Notes
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    path = _optional(
        notes, "institutions", "COW IGO v3", resolve_path, "COW IGO state-year",
        loaders.DATASETS["igo-state-year"].files, None, source_dir,
    )  # fmt: skip
    if path is not None:
        header = {h.lower() for h in read_header(path)}
        present = [k for k in KNOWN_IGOS if k in header]
        loaded = loaders.read_igo("state-year", path, None, present)
        sy = loaded.frame.filter(pl.col("ccode").is_in(codes))
        y = min(year, int(loaded.frame["year"].max()))  # type: ignore[arg-type]
        notes.source(
            "institutions",
            f"IGOs: {loaded.source.label} {loaded.source.version}, full members in {y}",
        )
        order = {c: i for i, c in enumerate(codes)}
        for key in present:
            members = sorted(
                sy.filter((pl.col("year") == y) & (pl.col(key) == 1))["ccode"].to_list(),
                key=order.__getitem__,
            )
            ever = loaded.frame.filter(pl.col(key).is_in([1, 2, 3]))["year"]
            if len(members) >= 2:
                out.append(
                    _igo_institution(
                        key, KNOWN_IGOS[key], [cow_abb(c) for c in members], int(ever.min())
                    )
                )  # type: ignore[arg-type]
                for attr in ("obligation", "transparency", "informality", "depth", "type"):
                    notes.default(f"institutions[{key}].{attr}")
    arf = [cow_abb(c) for c in codes if ARF_JOINED.get(cow_abb(c), 9999) <= year]
    if len(arf) >= 2:
        out.append(_igo_institution("arf", ARF, arf, 1994))
        notes.default(
            "institutions[arf] (not coded in COW IGO v3: membership from ARF_JOINED, attributes from defaults)"
        )
    return out


# --------------------------------------------------------------------------- assembly


def scenario_from_data(
    year: int,
    states: Sequence[str | int] | None = None,
    *,
    region: str | None = None,
    source_dir: PathLike | None = None,
    name: str | None = None,
    gdp: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Build a scenario for ``year`` from the peace-science data.

    Parameters
    ----------
    year
        The start year.
    states
        COW codes (alphabetic or numeric); or give ``region``.
    region
        A region name from :mod:`secorder.data.regions` (states in the system that year).
    source_dir
        Data directory (default ``$SECORDER_DATA_DIR``).
    name
        Scenario name (a slug); default ``from-data-<year>``.
    gdp
        GDP in bn current USD by state code, overriding the proxy.

    Returns
    -------
    dict
        A scenario that validates as :class:`secorder.scenario.schema.Scenario`.
    """
    codes = select_states(year, states, region, source_dir)
    notes = _Notes()
    state_rows, cinc = _states(year, codes, source_dir, gdp, notes)
    first = dict(
        loaders.read("states", None, source_dir)
        .frame.group_by("ccode")
        .agg(pl.col("styear").min())
        .iter_rows()
    )
    dyads = _dyads(year, codes, state_rows, source_dir, first, notes)
    institutions = _alliances(year, codes, cinc, source_dir, notes) + _igos(
        year, codes, source_dir, notes
    )
    for k in SYSTEM_DEFAULTS:
        notes.default(f"system.{k}")
    notes.default("dyad_defaults")
    notes.source("system", "documented defaults (offense_defense 0, transnational_threat 0.3)")
    label = (
        f"region {region}"
        if region and not states
        else f"states {', '.join(s['code'] for s in state_rows)}"
    )
    slug = name or f"from-data-{year}"
    return {
        "name": slug,
        "title": f"Scenario from data, {year}",
        "description": f"Built by secorder.data.scenario_from_data for {year}, {label}.",
        "year": year,
        "sources": {k: "; ".join(v) for k, v in notes.sources.items()},
        "defaults_used": notes.defaults,
        "system": dict(SYSTEM_DEFAULTS),
        "states": state_rows,
        "dyad_defaults": dict(DYAD_DEFAULTS),
        "dyads": dyads,
        "institutions": institutions,
        "parameters": {},
    }


def validate(scenario: Mapping[str, Any]) -> Any:
    """Validate with the simulator's schema; returns the ``Scenario`` object.

    Raises
    ------
    secorder.errors.ScenarioError
        Naming each field that does not validate.
    """
    from secorder.scenario.loader import validate_scenario

    return validate_scenario(scenario, source="scenario from data")


def write_scenario(scenario: Mapping[str, Any], out: PathLike, field: str = "out") -> Path:
    """Validate ``scenario`` and write it as YAML atomically (no partial file on failure)."""
    validate(scenario)
    text = yaml.safe_dump(dict(scenario), sort_keys=False, allow_unicode=True, width=100)
    return atomic_write(out, lambda tmp: tmp.write_text(text, encoding="utf-8"), field=field)
