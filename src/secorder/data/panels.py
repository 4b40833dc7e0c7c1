"""State-year and dyad-year panels with provenance.

:func:`state_years` and :func:`dyad_years` build the unit of analysis from the COW (or
Gleditsch-Ward) state system; the ``add_*`` functions join data onto it. Everything is a lazy
polars query, so a chain of additions runs as one optimised plan when the panel is collected.
A :class:`Panel` remembers every dataset file that built it; :meth:`Panel.cite` gives the
BibTeX for exactly those.

Column conventions: state-year panels are keyed by ``ccode, year``; dyad-year panels by
``ccode1, ccode2, year`` (directed: both orders; non-directed: ``ccode1 < ccode2``). State-level
variables appear once per side with suffixes ``1`` and ``2`` (``cinc1``, ``cinc2``). Indicator
columns are 0 in years the source dataset covers and null outside its coverage.
"""

from __future__ import annotations

import inspect
import json
import numbers
import os
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

import secorder.data.loaders as loaders
from secorder.data._io import atomic_write
from secorder.data.citations import Source, bibtex
from secorder.data.codes import cow_code, gw_to_cow_expr
from secorder.data.regions import region_codes
from secorder.data.registry import (
    DATASETS,
    Dataset,
    Join,
    major_power_years,
    step_datasets,
    step_names,
)
from secorder.data.registry import mid_dispute_years as mid_dispute_years  # re-exported
from secorder.errors import DataError, InputError

if TYPE_CHECKING:
    import pandas as pd

PathLike = str | os.PathLike[str]
Years = int | str | tuple[int, int] | range | Iterable[int] | None

EARTH_RADIUS_KM = 6371.0
FLAG = pl.Int8
"""Type of indicator and small-category columns (0/1 flags, contiguity type, hostility level)."""
COUNT = pl.Int16
"""Type of small counts (number of disputes, crises, shared IGOs)."""


@dataclass(frozen=True)
class Panel:
    """A state-year or dyad-year panel and the dataset files that built it.

    Parameters
    ----------
    frame
        The data, as a lazy polars query.
    unit
        ``"state-year"`` or ``"dyad-year"``.
    directed
        For dyad-years: both orders of each pair (``True``) or ``ccode1 < ccode2``.
    sources
        Dataset files used, in the order they were added.
    source_dir
        Directory the ``add_*`` methods search by default.
    """

    frame: pl.LazyFrame
    unit: Literal["state-year", "dyad-year"]
    directed: bool = False
    sources: tuple[Source, ...] = ()
    source_dir: str | None = None

    @property
    def is_dyadic(self) -> bool:
        """Whether the unit is the dyad-year."""
        return self.unit == "dyad-year"

    @property
    def columns(self) -> list[str]:
        """Column names."""
        return self.frame.collect_schema().names()

    def collect(self) -> Panel:
        """The same panel with its query executed once (later conversions reuse the result)."""
        return replace(self, frame=self.to_polars().lazy())

    def to_polars(self) -> pl.DataFrame:
        """The panel as a polars DataFrame.

        Raises
        ------
        DataError
            If the data engine fails on the data (e.g. a file with two rows for one
            dyad-year, which makes a join ambiguous), naming the sources.
        """
        try:
            return self.frame.collect()
        except pl.exceptions.PolarsError as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            files = ", ".join(s.file for s in self.sources)
            raise DataError(
                f"the data could not be joined ({first}); check the files {files}", field="panel"
            ) from None

    def to_pandas(self) -> pd.DataFrame:
        """The panel as a pandas DataFrame."""
        return self.to_polars().to_pandas()

    def write_parquet(self, path: PathLike) -> Path:
        """Write the panel to Parquet atomically; the file's metadata records the sources."""
        return write_panel(self, path)

    def cite(self) -> str:
        """BibTeX for exactly the datasets that built this panel."""
        return bibtex(self.sources)

    def describe_sources(self) -> list[dict[str, str]]:
        """The sources as plain records (dataset key, name, version, file)."""
        return [
            {"key": s.key, "label": s.label, "version": s.version, "file": s.file}
            for s in self.sources
        ]

    def filter_prd(self, **kwargs: object) -> Panel:
        """See :func:`filter_prd`."""
        return filter_prd(self, **kwargs)  # type: ignore[arg-type]


def write_panel(panel: Panel, path: PathLike, field: str = "path") -> Path:
    """Write ``panel`` to Parquet via a temporary file; sources go in the key-value metadata."""
    import pyarrow.parquet as pq

    meta = {
        b"secorder.unit": panel.unit.encode(),
        b"secorder.directed": str(panel.directed).lower().encode(),
        b"secorder.sources": json.dumps(panel.describe_sources()).encode(),
    }
    table = panel.to_polars().to_arrow()
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **meta})
    return atomic_write(path, lambda tmp: pq.write_table(table, tmp), field=field)


# ---------------------------------------------------------------------------- arguments


def parse_years(years: Years) -> list[int] | None:
    """Normalise a year selection to a sorted list (``None`` = all years).

    Accepts an int, ``"1946-2014"``, ``"1995"``, an inclusive ``(start, end)`` tuple, a
    ``range`` or any iterable of ints.

    Raises
    ------
    InputError
        For a malformed or reversed range.
    """
    if years is None:
        return None
    bad = InputError(
        f"must be a year, a range such as 1946-2014 or a list of years, got {years!r}"[:200],
        field="years",
    )
    if isinstance(years, int) and not isinstance(years, bool):
        _check_year_bounds(years, years)
        return [years]
    if isinstance(years, str):
        parts = years.replace("–", "-").split("-")
        try:
            bounds = [int(p) for p in parts]
        except ValueError:
            raise InputError(
                f"years must look like 1946-2014, got {years!r}", field="years"
            ) from None
        if len(bounds) not in (1, 2):
            raise InputError(f"years must look like 1946-2014, got {years!r}", field="years")
        years = (bounds[0], bounds[-1])
    if isinstance(years, tuple) and len(years) == 2:
        lo, hi = (_year(y) for y in years)
        if lo > hi:
            raise InputError(f"the first year ({lo}) is after the last ({hi})", field="years")
        _check_year_bounds(lo, hi)
        return list(range(lo, hi + 1))
    if isinstance(years, range) and len(years):
        _check_year_bounds(min(years), max(years))
    if isinstance(years, bool | float | bytes | dict) or not isinstance(years, Iterable):
        raise bad
    out = sorted({_year(y) for y in years})
    if not out:
        raise InputError("no years selected", field="years")
    _check_year_bounds(out[0], out[-1])
    return out


def _year(y: object) -> int:
    if isinstance(y, bool) or not isinstance(y, numbers.Integral):
        raise InputError(f"a year must be a whole number, got {y!r}"[:200], field="years")
    return int(y)


FIRST_YEAR, LAST_YEAR = 1, 9999
"""Bounds of a year anywhere in the data layer (panel keys pack the year in four digits)."""


def _check_year_bounds(lo: int, hi: int) -> None:
    """Refuse years outside :data:`FIRST_YEAR`..:data:`LAST_YEAR` before any list is built."""
    if lo < FIRST_YEAR or hi > LAST_YEAR:
        raise InputError(
            f"{lo}-{hi} spans {hi - lo + 1:,} years; years must lie between {FIRST_YEAR} and "
            f"{LAST_YEAR} (the state system data cover 1816-2024)",
            field="years",
        )


MAX_PANEL_ROWS = 50_000_000
"""Largest panel :func:`estimate_rows` lets ``secorder data build`` start (about 0.4 GB per
8-byte column; all directed COW dyad-years 1816-2016 are 1.8 million rows)."""


def estimate_rows(
    unit: Literal["state-year", "dyad-year"],
    years: Years = None,
    *,
    directed: bool = True,
    subset: Iterable[str | int] | None = None,
    region: str | None = None,
    system: Literal["cow", "gw"] = "cow",
    source_dir: PathLike | None = None,
) -> int:
    """Rows of the bare panel (before ``politically_relevant``).

    They are counted from the state list, without building the dyads.
    """
    base = state_years(years, subset=subset, region=region, system=system, source_dir=source_dir)
    per_year = base.frame.group_by("year").agg(n=pl.len().cast(pl.Int64)).collect()["n"]
    if unit == "state-year":
        return int(per_year.sum())
    pairs = per_year * (per_year - 1)
    return int(pairs.sum() if directed else (pairs // 2).sum())


def _codes(subset: Iterable[str | int] | None, region: str | None) -> set[int] | None:
    keep: set[int] | None = None
    if isinstance(subset, str | int):  # one code, not an iterable of characters
        subset = [subset]
    if subset is not None:
        if not isinstance(subset, Iterable):
            raise InputError(f"must be a list of COW codes, got {subset!r}"[:200], field="subset")
        keep = {cow_code(c) for c in subset}
    if region is not None:
        r = set(region_codes(region))
        keep = r if keep is None else keep & r
    return keep


def _dir(panel: Panel, source_dir: PathLike | None) -> PathLike | None:
    return source_dir if source_dir is not None else panel.source_dir


def _add(panel: Panel, frame: pl.LazyFrame, *sources: Source) -> Panel:
    new = tuple(s for s in sources if s not in panel.sources)
    return replace(panel, frame=frame, sources=panel.sources + new)


def _require_new(panel: Panel, columns: Sequence[str]) -> None:
    clash = [c for c in columns if c in panel.columns]
    if clash:
        raise InputError(f"the panel already has column(s) {', '.join(clash)}", field="panel")


def step_dataset(step: str, value: str | None = None) -> Dataset:
    """The registry entry panel step ``step`` reads for choice ``value`` (default: the first).

    Raises
    ------
    InputError
        For a value the step does not offer, listing the choices.
    """
    members = step_datasets(step)
    if value is None:
        return members[0]
    by_value = {d.join.choice.value: d for d in members if d.join and d.join.choice}
    if value not in by_value:
        what = next(iter(by_value.values())).join.choice.what  # type: ignore[union-attr]
        raise InputError(
            f"unknown {what} {value!r}; choose one of {', '.join(by_value)}",
            field=members[0].join.choice.keyword,  # type: ignore[union-attr]
        )
    return by_value[value]


def _dyadic_only(panel: Panel, what: str) -> None:
    if not panel.is_dyadic:
        raise InputError(
            f"{what} is a dyadic measure; build the panel with dyad_years()", field="unit"
        )


# ---------------------------------------------------------------------------- units


def _system_years(
    system: str, path: PathLike | None, source_dir: PathLike | None
) -> tuple[pl.DataFrame, Source]:
    if system == "cow":
        loaded = loaders.read("states", path, source_dir)
        _check_spells(loaded, "styear", "endyear")
        sy = (
            loaded.frame.with_columns(
                year=pl.int_ranges("styear", pl.col("endyear") + 1, dtype=pl.Int64)
            )
            .explode("year")
            .select("ccode", "stateabb", "year")
            .unique(["ccode", "year"], keep="first")
        )
        return sy, loaded.source
    if system == "gw":
        loaded = loaders.read("gw-states", path, source_dir)
        spells = loaded.frame.with_columns(
            _start=pl.col("startdate").dt.year().cast(pl.Int64),
            _end=pl.col("enddate").dt.year().cast(pl.Int64),
        )
        _check_spells(loaders.Loaded(spells, loaded.source), "_start", "_end")
        sy = (
            spells.with_columns(year=pl.int_ranges("_start", pl.col("_end") + 1, dtype=pl.Int64))
            .explode("year")
            .select("gwcode", "stateabb", "year")
            .unique(["gwcode", "year"], keep="first")
            .with_columns(ccode=gw_to_cow_expr("gwcode", "year"))
        )
        return sy, loaded.source
    raise InputError(f"unknown state system {system!r}; choose 'cow' or 'gw'", field="system")


def _spell_dates(
    system: str, path: PathLike | None, source_dir: PathLike | None
) -> tuple[pl.DataFrame, str]:
    """Membership spells with their first and last day: ``key, start, end`` (and the key name)."""
    if system == "gw":
        df = loaders.read("gw-states", path, source_dir).frame
        return df.select(key="gwcode", start="startdate", end="enddate"), "gwcode"
    df = loaders.read("states", path, source_dir).frame
    day = {  # an invalid day falls back to the first or last day of the year
        "start": pl.date("styear", "stmonth", "stday").fill_null(pl.date("styear", 1, 1)),
        "end": pl.date("endyear", "endmonth", "endday").fill_null(pl.date("endyear", 12, 31)),
    }
    safe = df.with_columns(
        pl.col("stmonth", "endmonth").clip(1, 12), pl.col("stday", "endday").clip(1, 31)
    )
    return safe.select(pl.col("ccode").alias("key"), **day), "ccode"


def apart_pairs(
    system: str = "cow", path: PathLike | None = None, source_dir: PathLike | None = None
) -> pl.DataFrame:
    """Pairs of states that were both system members in a year but never on the same day.

    For example Suriname, from 1975-11-25, and the Republic of Vietnam, to 1975-04-30.

    Only a state whose spell starts or ends inside a year can miss another that year, so the
    pairs come from those few partial state-years.

    Returns
    -------
    polars.DataFrame
        ``key1, key2, year`` in both orders (keys are COW or GW codes, as the system).
    """
    spells, _ = _spell_dates(system, path, source_dir)
    year = pl.col("year")
    first, last = pl.date(year, 1, 1), pl.date(year, 12, 31)
    edges = pl.concat(
        [spells.with_columns(year=pl.col("start").dt.year()),
         spells.with_columns(year=pl.col("end").dt.year())]
    ).unique()  # fmt: skip
    partial = (
        edges.with_columns(
            a=pl.when(pl.col("start").dt.year() == year).then("start").otherwise(first),
            b=pl.when(pl.col("end").dt.year() == year).then("end").otherwise(last),
        )
        .filter((pl.col("a") > first) | (pl.col("b") < last))
        .select(pl.col("key").cast(pl.Int64), pl.col("year").cast(pl.Int64), "a", "b")
    )
    both = partial.join(partial, on="year", suffix="2").filter(pl.col("key") != pl.col("key2"))
    overlap = pl.max_horizontal("a", "a2") <= pl.min_horizontal("b", "b2")
    return (
        both.group_by("key", "key2", "year")
        .agg(overlap.any().alias("_met"))
        .filter(~pl.col("_met"))
        .select(key1="key", key2="key2", year="year")
        .sort("key1", "key2", "year")
    )


def _check_spells(loaded: loaders.Loaded, start: str, end: str) -> None:
    """Membership spells must run forwards within the year bounds.

    A corrupt state list could otherwise expand to billions of state-years.
    """
    df = loaded.frame
    bad = df.with_row_index("_row").filter(
        ~pl.col(start).is_between(FIRST_YEAR, LAST_YEAR)
        | ~pl.col(end).is_between(FIRST_YEAR, LAST_YEAR)
        | (pl.col(end) < pl.col(start))
    )
    if bad.height:
        r = bad.row(0, named=True)
        raise DataError(
            f"data row {r['_row'] + 1}: a membership spell {r[start]}-{r[end]} is not a span of "
            f"years between {FIRST_YEAR} and {LAST_YEAR}",
            field=loaded.source.file,
        )


def state_years(
    years: Years = None,
    *,
    subset: Iterable[str | int] | None = None,
    region: str | None = None,
    system: Literal["cow", "gw"] = "cow",
    source_dir: PathLike | None = None,
    path: PathLike | None = None,
) -> Panel:
    """Every state-year of the state system.

    Parameters
    ----------
    years
        Years to keep (see :func:`parse_years`); default all.
    subset
        COW codes (numeric or alphabetic) to keep.
    region
        Region name (see :mod:`secorder.data.regions`).
    system
        ``"cow"`` (COW states v2016; keyed by ``ccode``) or ``"gw"`` (Gleditsch-Ward; keyed by
        ``gwcode``, with the COW equivalent in ``ccode``, null where none).
    source_dir, path
        Where the state list is found.

    Returns
    -------
    Panel
        ``ccode, stateabb, year`` (plus ``gwcode`` for GW), sorted by code and year.
    """
    sy, source = _system_years(system, path, source_dir)
    key = "gwcode" if system == "gw" else "ccode"
    lf = _filter_units(sy.lazy(), years, subset, region).sort(key, "year")
    return Panel(
        lf, "state-year", False, (source,), None if source_dir is None else str(source_dir)
    )


def _filter_units(
    lf: pl.LazyFrame, years: Years, subset: Iterable[str | int] | None, region: str | None
) -> pl.LazyFrame:
    ylist = parse_years(years)
    if ylist is not None:
        lf = lf.filter(pl.col("year").is_in(ylist))
    keep = _codes(subset, region)
    if keep is not None:
        lf = lf.filter(pl.col("ccode").is_in(sorted(keep)))
    return lf


def dyad_years(
    directed: bool = True,
    years: Years = None,
    *,
    subset: Iterable[str | int] | None = None,
    region: str | None = None,
    politically_relevant: bool = False,
    system: Literal["cow", "gw"] = "cow",
    source_dir: PathLike | None = None,
    path: PathLike | None = None,
) -> Panel:
    """Every dyad-year of the state system, built by joining state-years on the year.

    Parameters
    ----------
    directed
        Both orders of each pair (default) or only ``ccode1 < ccode2``.
    years, subset, region, system, source_dir, path
        As for :func:`state_years`; ``subset`` and ``region`` keep dyads whose *both* members
        qualify.
    politically_relevant
        Keep only contiguous dyads (any COW contiguity type) and dyads with a COW major power
        (see :func:`filter_prd`).

    Notes
    -----
    A pair whose states were both members in a year but never on the same day (one left
    before the other joined, e.g. 115-817 in 1975 and 210-255 in 1945; see
    :func:`apart_pairs`) has no dyad-year that year, as in peacesciencer's
    ``create_dyadyears()``.

    Returns
    -------
    Panel
        ``ccode1, ccode2, year`` (plus ``gwcode1, gwcode2`` for GW), ordered by ``ccode1``, year,
        ``ccode2`` (so each dyad's rows are in year order).
    """
    years = parse_years(years)  # once: an iterator of years cannot be read twice
    base = state_years(
        years, subset=subset, region=region, system=system, source_dir=source_dir, path=path
    )
    key = "gwcode" if system == "gw" else "ccode"
    keys = [key] if system == "cow" else ["gwcode", "ccode"]
    left = base.frame.select(*(pl.col(k).alias(f"{k}1") for k in keys), "year")
    right = base.frame.select(*(pl.col(k).alias(f"{k}2") for k in keys), "year")
    pairs = left.join(right, on="year", how="inner", maintain_order="left_right")
    cond = (
        pl.col(f"{key}1") != pl.col(f"{key}2")
        if directed
        else pl.col(f"{key}1") < pl.col(f"{key}2")
    )
    apart = _within(apart_pairs(system, path, source_dir), years, subset, region, system)
    if apart.height:  # members in the same year, never on the same day: not a dyad-year
        never = apart.select(_dyad_key("key1", "key2"))["_key"]
        cond = cond & ~_dyad_key(f"{key}1", f"{key}2").is_in(never.implode())
    order = [f"{key}1", f"{key}2", "year"]
    lf = pairs.filter(cond).select(order if system == "cow" else [*order, "ccode1", "ccode2"])
    panel = Panel(lf, "dyad-year", directed, base.sources, base.source_dir)
    return filter_prd(panel) if politically_relevant else panel


def _within(
    apart: pl.DataFrame,
    years: Years,
    subset: Iterable[str | int] | None,
    region: str | None,
    system: str,
) -> pl.DataFrame:
    """The apart pairs inside the panel's years and states (often none: no filter needed)."""
    ylist = parse_years(years)
    if ylist is not None:
        apart = apart.filter(pl.col("year").is_in(ylist))
    keep = _codes(subset, region) if system == "cow" else None
    if keep is not None:
        apart = apart.filter(
            pl.col("key1").is_in(sorted(keep)) & pl.col("key2").is_in(sorted(keep))
        )
    return apart


def filter_prd(panel: Panel, *, max_conttype: int = 5, source_dir: PathLike | None = None) -> Panel:
    """Keep politically relevant dyads: contiguous, or at least one side a COW major power.

    Parameters
    ----------
    max_conttype
        Highest COW contiguity type that counts (1 = land only ... 5 = up to 400 miles of
        water, the default, as in peacesciencer's ``filter_prd``).
    """
    _dyadic_only(panel, "political relevance")
    sd = _dir(panel, source_dir)
    cont = loaders.read("contiguity", None, sd)
    majors = _major_years(sd)
    close = (
        cont.frame.lazy()
        .filter(pl.col("conttype") <= max_conttype)
        .with_columns(_prd_c=pl.lit(True))
    )
    lf = _join_dyad(panel, close, ["_prd_c"], directed_data=True)
    lf = _join_state(
        replace(panel, frame=lf), majors.frame.lazy().with_columns(_prd_m=pl.lit(True)), ["_prd_m"]
    )
    keep = pl.any_horizontal(pl.col("_prd_c", "_prd_m1", "_prd_m2").fill_null(False))
    lf = lf.filter(keep).drop("_prd_c", "_prd_m1", "_prd_m2")
    return _add(panel, lf, cont.source, majors.source)


# ---------------------------------------------------------------------------- join helpers


def _state_key(code: str) -> pl.Expr:
    return (pl.col(code).cast(pl.Int64) * 10_000 + pl.col("year")).alias("_key")


def _dyad_key(a: str | pl.Expr, b: str | pl.Expr) -> pl.Expr:
    a = pl.col(a) if isinstance(a, str) else a
    b = pl.col(b) if isinstance(b, str) else b
    return ((a.cast(pl.Int64) * 1_000 + b) * 10_000 + pl.col("year")).alias("_key")


def _left_join(lf: pl.LazyFrame, key: pl.Expr, data: pl.LazyFrame) -> pl.LazyFrame:
    """Left join on one packed integer key (codes below 1000, years below 10000).

    Faster than joining on two or three columns, and the panel's row order is kept.
    """
    return (
        lf.with_columns(key)
        .join(data, on="_key", how="left", maintain_order="left", validate="m:1")
        .drop("_key")
    )


def _join_state(panel: Panel, data: pl.LazyFrame, cols: Sequence[str]) -> pl.LazyFrame:
    """Join state-year columns onto the panel (suffixes 1 and 2 on dyads)."""
    data = data.select("ccode", "year", *cols).unique(
        ["ccode", "year"], keep="first", maintain_order=True
    )
    if not panel.is_dyadic:
        _require_new(panel, cols)
        return _left_join(panel.frame, _state_key("ccode"), data.select(_state_key("ccode"), *cols))
    _require_new(panel, _sides(cols))
    lf = panel.frame
    for i in (1, 2):
        side = data.select(_state_key("ccode"), *(pl.col(c).alias(f"{c}{i}") for c in cols))
        lf = _left_join(lf, _state_key(f"ccode{i}"), side)
    return lf


def _join_dyad(
    panel: Panel, data: pl.LazyFrame, cols: Sequence[str], *, directed_data: bool
) -> pl.LazyFrame:
    """Join dyad-year columns; non-directed data (``ccode1 < ccode2``) match either order."""
    _require_new(panel, cols)
    data = data.select(_dyad_key("ccode1", "ccode2"), *cols)
    if directed_data:
        return _left_join(panel.frame, _dyad_key("ccode1", "ccode2"), data)
    lo, hi = pl.min_horizontal("ccode1", "ccode2"), pl.max_horizontal("ccode1", "ccode2")
    return _left_join(panel.frame, _dyad_key(lo, hi), data)


def _join_unit(panel: Panel, data: pl.LazyFrame, cols: Sequence[str]) -> pl.LazyFrame:
    """Join columns keyed like the panel (``ccode1, ccode2, year`` or ``ccode, year``)."""
    if panel.is_dyadic:
        return _join_dyad(panel, data, cols, directed_data=True)
    _require_new(panel, cols)
    return _left_join(panel.frame, _state_key("ccode"), data.select(_state_key("ccode"), *cols))


def _undirect(data: pl.LazyFrame, cols: Sequence[str]) -> pl.LazyFrame:
    """Collapse directed rows to ``ccode1 < ccode2`` taking the maximum of each column."""
    return (
        data.with_columns(
            pl.min_horizontal("ccode1", "ccode2").alias("_lo"),
            pl.max_horizontal("ccode1", "ccode2").alias("_hi"),
        )
        .group_by("_lo", "_hi", "year")
        .agg(pl.col(c).max() for c in cols)
        .rename({"_lo": "ccode1", "_hi": "ccode2"})
    )


def _coverage(df: pl.DataFrame, col: str = "year") -> tuple[int, int]:
    return int(df[col].min()), int(df[col].max())  # type: ignore[arg-type]


def _fill_within(
    cols: Iterable[str], span: tuple[int, int], value: int | float = 0
) -> list[pl.Expr]:
    inside = pl.col("year").is_between(*span)
    return [
        pl.when(inside).then(pl.col(c).fill_null(value)).otherwise(pl.col(c)).alias(c) for c in cols
    ]


def _expand(
    df: pl.DataFrame | pl.LazyFrame, start: str | pl.Expr, end: str | pl.Expr
) -> pl.LazyFrame:
    s = pl.col(start) if isinstance(start, str) else start
    e = pl.col(end) if isinstance(end, str) else end
    return df.lazy().with_columns(year=pl.int_ranges(s, e + 1, dtype=pl.Int64)).explode("year")


def _sides(cols: Sequence[str]) -> list[str]:
    return [f"{c}{i}" for i in (1, 2) for c in cols]


# ---------------------------------------------------------------------------- state-level data


def _major_years(source_dir: PathLike | None, path: PathLike | None = None) -> loaders.Loaded:
    loaded = loaders.read("majors", path, source_dir)
    return loaders.Loaded(major_power_years(loaded.frame), loaded.source)


def capital_years(capitals: pl.DataFrame) -> pl.DataFrame:
    """Capital coordinates per state-year (the later spell wins in a year with a move)."""
    return (
        _expand(capitals, pl.col("stdate").dt.year(), pl.col("enddate").dt.year())
        .sort("ccode", "year", "stdate")
        .group_by("ccode", "year")
        .agg(pl.col("lat").last(), pl.col("lng").last(), pl.col("capital").last())
        .collect()
    )


def haversine_km(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr) -> pl.Expr:
    """Great-circle distance in km (Earth radius 6,371 km) as a polars expression."""
    p1, p2 = lat1.radians(), lat2.radians()
    dlat, dlon = p2 - p1, (lon2 - lon1).radians()
    h = (dlat / 2).sin() ** 2 + p1.cos() * p2.cos() * (dlon / 2).sin() ** 2
    return 2 * EARTH_RADIUS_KM * h.sqrt().arcsin()


def _with_dependence(
    panel: Panel, lf: pl.LazyFrame, gdp: pl.DataFrame | pd.DataFrame
) -> pl.LazyFrame:
    g = gdp if isinstance(gdp, pl.DataFrame) else pl.from_pandas(gdp)
    missing = {"ccode", "year", "gdp"} - set(g.columns)
    if missing:
        raise InputError(
            f"the gdp frame needs columns ccode, year, gdp; missing {', '.join(sorted(missing))}",
            field="gdp",
        )
    g = g.lazy().select(
        pl.col("ccode").cast(pl.Int64),
        pl.col("year").cast(pl.Int64),
        pl.col("gdp").cast(pl.Float64),
    )
    tmp = replace(panel, frame=lf)
    lf = _join_state(tmp, g.rename({"gdp": "_gdp"}), ["_gdp"])
    if panel.is_dyadic:
        return lf.with_columns(
            dependence1=pl.col("trade") / pl.col("_gdp1"),
            dependence2=pl.col("trade") / pl.col("_gdp2"),
        ).drop("_gdp1", "_gdp2")
    return lf.with_columns(openness=pl.col("trade") / pl.col("_gdp")).drop("_gdp")


# ---------------------------------------------------------------------------- conflict


_MID_COLS = ["mid_onset", "mid_onsets", "mid_ongoing", "mid_fatal", "mid_war", "mid_hostlev"]


def _mid_aggregate(dd: pl.LazyFrame, keys: Sequence[str]) -> pl.LazyFrame:
    return dd.group_by(*keys, "year").agg(
        mid_onset=pl.col("onset").max().cast(FLAG),
        mid_onsets=pl.col("onset").sum().cast(COUNT),
        mid_ongoing=pl.lit(1, dtype=FLAG),
        mid_fatal=pl.col("fatal").max().cast(FLAG),
        mid_war=pl.col("war").max().cast(FLAG),
        mid_hostlev=pl.col("hostlev").max().cast(FLAG),
    )


def _first_years(source_dir: PathLike | None) -> dict[int, int]:
    """First year of COW system membership of every state."""
    states = loaders.read("states", None, source_dir).frame
    return dict(states.group_by("ccode").agg(pl.col("styear").min()).iter_rows())


def _peace_years(
    lf: pl.LazyFrame, events: pl.LazyFrame, keys: Sequence[str], start: pl.Expr, prefix: str
) -> pl.LazyFrame:
    """Years since the last event year (0 in an event year); before any event, since ``start``.

    The panel's rows of each unit must be in year order (as built by :func:`dyad_years` and
    :func:`state_years`).
    """
    unit = (pl.col(keys[0]) * 1_000 + pl.col(keys[1])) if len(keys) == 2 else pl.col(keys[0])
    last = events.select(unit.alias("_unit"), "year", _last=pl.col("year")).sort("_unit", "year")
    py = (pl.col("year") - pl.coalesce(pl.col("_last"), start)).cast(pl.Int32)
    return (
        lf.with_columns(unit.alias("_unit"))
        .join_asof(last, on="year", by="_unit", strategy="backward", check_sortedness=False)
        .drop("_unit")
        .with_columns(py.alias(f"{prefix}_peace_years"))
        .with_columns(
            (pl.col(f"{prefix}_peace_years") ** 2).alias(f"{prefix}_peace_years2"),
            (pl.col(f"{prefix}_peace_years") ** 3).alias(f"{prefix}_peace_years3"),
        )
        .drop("_last")
    )


# ---------------------------------------------------------------------------- steps from the registry


class JoinInputs:
    """What a join function reads: the step's datasets, loaded on demand, sources recorded.

    Parameters
    ----------
    chosen
        The dataset the step's choice keyword selected (the default one when it has none).
    paths
        The step's file keywords (``path``, ``dyad_path``, ...) and the files given for them.
    source_dir
        Directory searched for the files.
    """

    def __init__(
        self, chosen: Dataset, paths: dict[str, PathLike | None], source_dir: PathLike | None
    ):
        self.chosen = chosen
        self.source_dir = source_dir
        self.sources: list[Source] = []
        self._paths = paths

    def path(self, name: str) -> PathLike | None:
        """The explicit file given for dataset ``name`` (by its ``Join.path`` keyword), if any."""
        join = DATASETS[name].join
        return self._paths.get(join.path if join is not None else "path")

    def record(self, source: Source) -> None:
        """Record a source read outside :meth:`read` (for :meth:`Panel.cite`)."""
        if source not in self.sources:
            self.sources.append(source)

    def read(self, name: str | None = None) -> pl.DataFrame:
        """Dataset ``name`` (default: the chosen one) normalised by its join's ``prepare``."""
        ds = self.chosen if name is None else DATASETS[name]
        loaded = loaders.read(ds.name, self.path(ds.name), self.source_dir)
        self.record(loaded.source)
        prepare = ds.join.prepare if ds.join is not None else None
        return prepare(loaded.frame) if prepare is not None else loaded.frame


JoinFunction = Callable[..., pl.LazyFrame]
JOINS: dict[str, JoinFunction] = {}
"""Join functions by name, for registry entries whose ``Join.how`` names one.

A join function takes the panel and its :class:`JoinInputs` (plus keyword-only options, which
become the step's keywords) and returns the panel's query with the new columns.
"""


def join_function(name: str) -> Callable[[JoinFunction], JoinFunction]:
    """Register a join function under ``name`` (referenced by ``Join(how=name)``)."""

    def register(fn: JoinFunction) -> JoinFunction:
        if name in JOINS:
            raise RuntimeError(f"join function {name!r} registered twice")
        JOINS[name] = fn
        return fn

    return register


def _plain_join(panel: Panel, join: Join, inputs: JoinInputs, directed: bool) -> pl.LazyFrame:
    """The join an entry declares in full: a lookup by state- or dyad-year, then the fill.

    State-level data are joined on ``ccode, year`` (suffixes ``1``/``2`` on dyads); dyad-level
    data on the dyad (either order for non-directed data; directed data onto a non-directed
    panel as ``join.undirected`` says), or aggregated to state-years by ``join.per_state`` (by
    default the maximum over the dyads whose ``ccode1`` is the state).
    """
    data = inputs.read()
    cols = [*join.columns, *(c for c in join.optional if c in data.columns)]
    if join.level == "state":
        lf = _join_state(panel, data.lazy(), cols)
        added = _sides(cols) if panel.is_dyadic else cols
    elif panel.is_dyadic:
        dyads = data.lazy()
        if directed and not panel.directed and join.undirected == "max":
            dyads = _undirect(dyads, cols)
        lf = _join_dyad(panel, dyads, cols, directed_data=directed)
        added = cols
    else:
        if join.per_state is not None:
            per_state = join.per_state(data.lazy())
        else:
            per_state = (
                data.lazy()
                .rename({"ccode1": "ccode"})
                .group_by("ccode", "year")
                .agg(pl.col(cols).max())
            )
        added = [c for c in per_state.collect_schema().names() if c not in ("ccode", "year")]
        lf = _join_state(panel, per_state, added)
    if join.fill is not None:
        lo, hi = _coverage(data)
        span = (join.fill[0] if join.fill[0] is not None else lo,
                join.fill[1] if join.fill[1] is not None else hi)  # fmt: skip
        lf = lf.with_columns(_fill_within(added, span))
    return lf


@join_function("trade")
def _trade(
    panel: Panel,
    inputs: JoinInputs,
    *,
    gdp: pl.DataFrame | pd.DataFrame | None = None,
    smoothed: bool = False,
) -> pl.LazyFrame:
    """Add COW trade (current million USD) and, given GDP, trade dependence.

    Dyads get ``imports1`` (imports of ``ccode1`` from ``ccode2``), ``imports2`` and
    ``trade = imports1 + imports2`` from the dyadic file; state-years get ``imports``,
    ``exports`` and ``trade = imports + exports`` from the national file. Missing flows stay
    null (COW does not code them as zero).

    Parameters
    ----------
    gdp
        Optional frame with ``ccode, year, gdp`` in current million USD. Dyads then get
        ``dependence1 = trade / gdp1`` and ``dependence2 = trade / gdp2``; state-years get
        ``openness = trade / gdp``.
    smoothed
        Use COW's smoothed flows instead of the reported ones (dyads).
    """
    if panel.is_dyadic:
        f1, f2 = ("smoothflow1", "smoothflow2") if smoothed else ("flow1", "flow2")
        data = (
            inputs.read("trade-dyadic")
            .lazy()
            .select("ccode1", "ccode2", "year", pl.col(f1).alias("_f1"), pl.col(f2).alias("_f2"))
        )
        _require_new(panel, ["imports1", "imports2", "trade"])
        lower = pl.col("ccode1") < pl.col("ccode2")
        lf = _join_dyad(panel, data, ["_f1", "_f2"], directed_data=False).with_columns(
            imports1=pl.when(lower).then(pl.col("_f1")).otherwise(pl.col("_f2")),
            imports2=pl.when(lower).then(pl.col("_f2")).otherwise(pl.col("_f1")),
        )
        lf = lf.drop("_f1", "_f2").with_columns(trade=pl.col("imports1") + pl.col("imports2"))
    else:
        national = inputs.read("trade-national").lazy()
        data = national.with_columns(trade=pl.col("imports") + pl.col("exports"))
        lf = _join_state(panel, data, ["imports", "exports", "trade"])
    if gdp is not None:
        lf = _with_dependence(panel, lf, gdp)
    return lf


@join_function("igos")
def _igos(
    panel: Panel, inputs: JoinInputs, *, orgs: Sequence[str] = (), shared: bool = True
) -> pl.LazyFrame:
    """Add COW IGO v3 memberships.

    ``path`` is the state-year membership file, ``dyad_path`` the dyad-year shared-membership
    file.

    Parameters
    ----------
    orgs
        IGOs by their COW abbreviation (``"ASEAN"``, ``"APEC"``, ``"SCO"``, ...): adds
        ``igo_<org>`` (``igo_<org>1``, ``igo_<org>2`` on dyads) coded 0 none, 1 full,
        2 associate, 3 observer, null where COW codes missing or not applicable. IGO v3 does
        not code the ASEAN Regional Forum; asking for it raises
        :class:`~secorder.errors.DataError`.
    shared
        Dyads: add ``igo_shared`` (IGOs in which both are full members). State-years: add
        ``igo_memberships`` (number of full memberships).
    """
    lf = panel.frame
    if orgs:
        path = inputs.path("igo-state-year")
        loaded = loaders.read_igo("state-year", path, inputs.source_dir, list(orgs))
        inputs.record(loaded.source)
        cols = [c for c in loaded.frame.columns if c not in ("ccode", "year")]
        data = loaded.frame.lazy().select(
            "ccode", "year", *(pl.col(c).cast(FLAG).alias(f"igo_{c}") for c in cols)
        )
        lf = _join_state(panel, data, [f"igo_{c}" for c in cols])
    if shared and panel.is_dyadic:
        data = (
            inputs.read("igo-dyad-year")
            .lazy()
            .select("ccode1", "ccode2", "year", igo_shared=pl.col("dyadigos").cast(COUNT))
        )
        lf = _join_dyad(replace(panel, frame=lf), data, ["igo_shared"], directed_data=False)
    elif shared:
        members = inputs.read("igo-state-year")
        orgs_all = [c for c in members.columns if c not in ("ccode", "year", "state")]
        data = members.lazy().select(
            "ccode", "year", igo_memberships=pl.sum_horizontal(pl.col(orgs_all) == 1).cast(COUNT)
        )
        lf = _join_state(replace(panel, frame=lf), data, ["igo_memberships"])
    return lf


@join_function("distance")
def _distance(
    panel: Panel,
    inputs: JoinInputs,
    *,
    kind: Sequence[Literal["mindist", "capdist"]] = ("mindist", "capdist"),
) -> pl.LazyFrame:
    """Add distances in km.

    ``mindist`` (CShapes 2.0 minimum distance, 1886-2019; file ``path``) and ``capdist``
    (great-circle distance between capitals; file ``capitals_path``).

    Parameters
    ----------
    kind
        Which of the two to add.
    """
    unknown = set(kind) - {"mindist", "capdist"}
    if unknown:
        raise InputError(
            f"unknown distance kind(s) {', '.join(sorted(unknown))}; choose mindist, capdist",
            field="kind",
        )
    lf = panel.frame
    if "mindist" in kind:
        lf = _join_dyad(panel, inputs.read("mindist").lazy(), ["mindist"], directed_data=False)
    if "capdist" in kind:
        caps = (
            capital_years(inputs.read("capitals"))
            .lazy()
            .select("ccode", "year", _lat=pl.col("lat"), _lng=pl.col("lng"))
        )
        _require_new(panel, ["capdist"])
        lf = _join_state(replace(panel, frame=lf), caps, ["_lat", "_lng"])
        lf = lf.with_columns(
            capdist=haversine_km(pl.col("_lat1"), pl.col("_lng1"), pl.col("_lat2"), pl.col("_lng2"))
        ).drop("_lat1", "_lng1", "_lat2", "_lng2")
    return lf


@join_function("mids")
def _mids(panel: Panel, inputs: JoinInputs, *, peace_years: bool = True) -> pl.LazyFrame:
    """Add militarized interstate disputes.

    ``source="cow"``: COW MID 5.0, directed dispute-years built from MIDB (every side-A x
    side-B pair in each year both take part); ``"gml"``: Gibler-Miller-Little 2.2.1 directed
    dispute-years; ``"dyadic"``: Maoz et al. dyadic MIDs 4.02 (pairs that actually confronted
    each other). Each source's entry normalises it to directed dispute-years (``prepare``).

    Columns: ``mid_onset`` (a dispute between the pair began that year), ``mid_onsets``
    (number of such disputes), ``mid_ongoing``, ``mid_fatal`` (an ongoing dispute with
    fatalities), ``mid_war`` (hostility level 5), ``mid_hostlev`` (highest hostility level,
    0 without a dispute). State-years get the same for the state's disputes with anyone.

    Parameters
    ----------
    peace_years
        Add ``mid_peace_years`` (years since the last year with a dispute ongoing; counted from
        the later of the two states' entry into the system before any dispute) and its square
        and cube (Carter and Signorino 2010).
    """
    dd = inputs.read()
    span = _coverage(dd)
    _require_new(panel, [*_MID_COLS, "mid_peace_years"])
    if panel.is_dyadic:
        keys = ["ccode1", "ccode2"]
        agg = _mid_aggregate(dd.lazy(), keys)
    else:
        keys = ["ccode"]
        state = (
            dd.lazy()
            .rename({"ccode1": "ccode"})
            .group_by("dispnum", "ccode", "year")
            .agg(pl.col("fatal", "hostlev", "war").max())
            .with_columns(
                onset=(pl.col("year") == pl.col("year").min().over("dispnum", "ccode")).cast(
                    pl.Int64
                )
            )
        )
        agg = _mid_aggregate(state, keys)
    lf = _join_unit(panel, agg, _MID_COLS)
    lf = lf.with_columns(_fill_within(_MID_COLS, span))
    if peace_years:
        first = _first_years(inputs.source_dir)
        start = pl.max_horizontal(
            *(pl.col(k).replace_strict(first, default=None, return_dtype=pl.Int64) for k in keys)
        )
        lf = _peace_years(lf, agg, keys, start, "mid").with_columns(
            pl.when(pl.col("year").is_between(*span)).then(pl.col(c)).otherwise(None).alias(c)
            for c in ("mid_peace_years", "mid_peace_years2", "mid_peace_years3")
        )
    return lf


@join_function("crises")
def _crises(panel: Panel, inputs: JoinInputs) -> pl.LazyFrame:
    """Add International Crisis Behavior (v14) crises from the actor-level file.

    A dyad is in a crisis in a year when both states are crisis actors in the same ICB crisis
    and the year lies within both actors' trigger-to-termination spans (allies who are both
    crisis actors count too). Dyads get ``icb_crisis`` (ongoing), ``icb_onset`` (first joint
    year), ``icb_crises`` (number ongoing) and ``icb_violence`` (highest ICB ``viol``,
    1 none ... 4 full-scale war); state-years get ``icb_crisis``, ``icb_onsets`` and
    ``icb_violence``.
    """
    actors = (
        inputs.read()
        .drop_nulls(["cracid", "yrtrig"])
        .select(
            "crisno",
            ccode="cracid",
            start="yrtrig",
            end=pl.coalesce("yrterm", "yrtrig"),
            viol="viol",
        )
    )
    span = (int(actors["start"].min()), int(actors["end"].max()))  # type: ignore[arg-type]
    ay = _expand(actors, "start", "end").select("crisno", "ccode", "year", "viol", "start")
    if panel.is_dyadic:
        b = ay.select("crisno", "year", ccode2="ccode", viol2="viol", start2="start")
        pairs = (
            ay.rename({"ccode": "ccode1"})
            .join(b, on=["crisno", "year"])
            .filter(pl.col("ccode1") != pl.col("ccode2"))
        )
        agg = pairs.group_by("ccode1", "ccode2", "year").agg(
            icb_crisis=pl.lit(1, dtype=FLAG),
            icb_onset=(pl.col("year") == pl.max_horizontal("start", "start2")).any().cast(FLAG),
            icb_crises=pl.col("crisno").n_unique().cast(COUNT),
            icb_violence=pl.max_horizontal("viol", "viol2").max().cast(FLAG),
        )
        cols = ["icb_crisis", "icb_onset", "icb_crises"]
    else:
        agg = ay.group_by("ccode", "year").agg(
            icb_crisis=pl.lit(1, dtype=FLAG),
            icb_onsets=(pl.col("year") == pl.col("start")).sum().cast(COUNT),
            icb_violence=pl.col("viol").max().cast(FLAG),
        )
        cols = ["icb_crisis", "icb_onsets"]
    return _join_unit(panel, agg, [*cols, "icb_violence"]).with_columns(_fill_within(cols, span))


@dataclass(frozen=True)
class Step:
    """One ``add_*`` panel step: its function, the datasets it reads and where it applies."""

    name: str
    function: Callable[..., Panel]
    datasets: tuple[str, ...]
    dyadic_only: bool


def make_step(step: str) -> Step:
    """Build ``add_<step>`` from the registry entries whose ``Join.step`` is ``step``.

    The function takes the panel, the choice keyword (when the step reads one of several
    datasets), the join function's options, one file keyword per dataset (``Join.path``) and
    ``source_dir``; it loads what the join reads and records those sources on the panel.

    Raises
    ------
    RuntimeError
        When the entries disagree (two join functions, an unknown one, or a plain join that
        names no columns).
    """
    members = step_datasets(step)
    first = members[0].join
    assert first is not None
    hows = {d.join.how for d in members if d.join is not None}
    if len(hows) != 1:
        raise RuntimeError(f"panel step {step!r}: its datasets name different join functions")
    how = first.how
    if how is not None and how not in JOINS:
        raise RuntimeError(f"panel step {step!r}: no join function {how!r} in panels.JOINS")
    if how is None and not all(d.join is not None and d.join.columns for d in members):
        raise RuntimeError(f"panel step {step!r}: a plain join must name its columns")
    join_fn = JOINS[how] if how is not None else None
    options = [] if join_fn is None else [
        p for p in inspect.signature(join_fn).parameters.values() if p.kind is p.KEYWORD_ONLY
    ]  # fmt: skip
    choice = first.choice
    path_keywords = sorted(
        {d.join.path for d in members if d.join is not None}, key=lambda k: (k != "path", k)
    )
    dyadic_only = any(d.join is not None and d.join.dyadic_only for d in members)

    def add(panel: Panel, **kw: Any) -> Panel:
        value = kw.pop(choice.keyword, None) if choice is not None else None
        paths = {k: kw.pop(k, None) for k in path_keywords}
        source_dir = kw.pop("source_dir", None)
        chosen = {o.name: kw.pop(o.name) for o in options if o.name in kw}
        if kw:
            raise TypeError(f"add_{step}() got unexpected keyword(s) {', '.join(kw)}")
        ds = step_dataset(step, value)
        if dyadic_only:
            _dyadic_only(panel, step)
        inputs = JoinInputs(ds, paths, _dir(panel, source_dir))
        if join_fn is not None:
            lf = join_fn(panel, inputs, **chosen)
        else:
            assert ds.join is not None
            lf = _plain_join(panel, ds.join, inputs, directed=bool(ds.directed))
        return _add(panel, lf, *inputs.sources)

    kw_only = inspect.Parameter.KEYWORD_ONLY
    params = [
        inspect.Parameter("panel", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="Panel"),
    ]
    if choice is not None:
        params.append(inspect.Parameter(choice.keyword, kw_only, default=choice.value))
    params += [o.replace(kind=kw_only) for o in options]
    params += [inspect.Parameter(k, kw_only, default=None) for k in path_keywords]
    params.append(inspect.Parameter("source_dir", kw_only, default=None))
    add.__name__ = add.__qualname__ = f"add_{step}"
    add.__module__ = __name__
    add.__doc__ = _step_doc(step, members, join_fn, path_keywords)
    add.__signature__ = inspect.Signature(params, return_annotation="Panel")  # type: ignore[attr-defined]
    return Step(step, add, tuple(d.name for d in members), dyadic_only)


def _step_doc(
    step: str,
    members: Sequence[Dataset],
    join_fn: JoinFunction | None,
    path_keywords: Sequence[str],
) -> str:
    """The generated step's docstring: what it adds, then every keyword it takes."""
    first = members[0].join
    assert first is not None
    if join_fn is not None:
        text = inspect.cleandoc(join_fn.__doc__ or f"Add {step}.")
        text, _, own = text.partition("Parameters\n----------\n")
        lines = [text.rstrip(), ""]
    else:
        labels = ", ".join(dict.fromkeys(d.label for d in members))
        lines = [f"Add {labels} to the panel.", ""]
        if first.doc:
            lines += [textwrap.fill(first.doc, 92), ""]
        own = ""
    lines += ["Parameters", "----------", "panel", "    A state-year or dyad-year panel."]
    if first.choice is not None:
        lines.append(first.choice.keyword)
        for i, d in enumerate(members):
            j = d.join
            assert j is not None and j.choice is not None
            cols = ", ".join(f"``{c}``" for c in (*j.columns, *j.optional))
            default = " (default)" if i == 0 else ""
            what = f": {cols}" if cols else ""
            lines.append(f"    ``{j.choice.value!r}``{default}: {d.label} {d.version}{what}.")
    if own:
        lines.append(own.rstrip())
    for k in path_keywords:
        which = [d.label for d in members if d.join is not None and d.join.path == k]
        what = "the data file" if len(path_keywords) == 1 else f"the file of {', '.join(which)}"
        lines += [k, f"    An explicit path to {what}."]
    lines += [
        "source_dir",
        "    Directory searched for the files (default: the panel's, then ``$SECORDER_DATA_DIR``).",
        "",
        "Returns",
        "-------",
        "Panel",
    ]
    if join_fn is None:
        cols = ", ".join(f"``{c}``" for c in (*first.columns, *first.optional))
        where = (
            "(suffixes 1 and 2 on dyads)"
            if first.level == "state"
            else "(on state-years: any dyad of the state)"
            if first.per_state is None
            else "(on state-years: as described above)"
        )
        fill = " 0 within the data's coverage, null outside;" if first.fill is not None else ""
        lines.append(f"    With {cols} {where};{fill} its source recorded for :meth:`Panel.cite`.")
    else:
        lines.append("    With the columns above; the sources recorded for :meth:`Panel.cite`.")
    return "\n".join(lines)


STEPS: dict[str, Step] = {name: make_step(name) for name in step_names()}
"""Every ``add_*`` step, by name (the ``--add`` choices of ``secorder data build``)."""


def _method(fn: Callable[..., Panel]) -> Callable[..., Panel]:
    def method(self: Panel, **kwargs: Any) -> Panel:
        return fn(self, **kwargs)

    method.__name__ = method.__qualname__ = fn.__name__
    method.__doc__ = f"See :func:`{fn.__name__}`."
    return method


for _step in STEPS.values():
    globals()[_step.function.__name__] = _step.function
    setattr(Panel, _step.function.__name__, _method(_step.function))


def _dispute_years(
    source: str, path: PathLike | None, source_dir: PathLike | None
) -> tuple[pl.DataFrame, Source]:
    """Normalised directed dispute-years: dispnum, ccode1, ccode2, year, onset, fatal, hostlev, war."""
    dataset = step_dataset("mids", source)
    loaded = loaders.read(dataset.name, path, source_dir)
    # each MID source's registry entry brings its file into the common layout
    return dataset.join.prepare(loaded.frame), loaded.source
