"""Command-line entry points of the data layer.

``data_app`` is mounted as ``secorder data`` (``secorder data build ...``) and
:func:`from_data_command` as ``secorder scenarios from-data``. Bad option values raise
:class:`~secorder.errors.InputError`, which the top-level command prints as a one-line message
with exit status 2; outputs are written atomically.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

import secorder.data.panels as panels
from secorder.data._io import Spec, check_file_output, read_header, read_table
from secorder.data.from_data import gdp_by_code
from secorder.errors import DataError, InputError

data_app = typer.Typer(
    help="Build state-year and dyad-year panels from the COW, ATOP, MID, Polity, V-Dem and ICB data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@data_app.callback()
def _data_group() -> None:
    """Build state-year and dyad-year panels from the COW, ATOP, MID, Polity, V-Dem and ICB data."""


ADD_STEPS: dict[str, Callable[..., panels.Panel]] = {
    name: step.function for name, step in panels.STEPS.items()
}
"""Names accepted by ``--add`` and the function each runs (with its defaults), from the registry."""


def _console() -> Console:
    return Console(stderr=True, width=None if sys.stderr.isatty() else 120)


def parse_add(add: str | None, unit: str) -> list[str]:
    """Split and check an ``--add`` list."""
    steps = [s.strip().lower() for s in (add or "").split(",") if s.strip()]
    unknown = [s for s in steps if s not in ADD_STEPS]
    if unknown:
        raise InputError(
            f"unknown step(s) {', '.join(unknown)}; choose from {', '.join(ADD_STEPS)}",
            field="--add",
        )
    dyadic = [s for s in steps if panels.STEPS[s].dyadic_only]
    if unit == "state-year" and dyadic:
        raise InputError(
            f"{', '.join(dyadic)} is a dyadic measure; use --unit dyad-year", field="--add"
        )
    return list(dict.fromkeys(steps))


def parse_states(states: str | None) -> list[str] | None:
    """Split a ``--states`` list (``USA,CHN,JPN``)."""
    if states is None:
        return None
    out = [s.strip() for s in states.split(",") if s.strip()]
    if not out:
        raise InputError("no state codes given", field="--states")
    return out


@data_app.command("build")
def build_command(
    out: Annotated[Path, typer.Option("--out", help="Output Parquet file.")],
    source_dir: Annotated[
        Path | None,
        typer.Option("--source-dir", help="Data directory (default $SECORDER_DATA_DIR)."),
    ] = None,
    unit: Annotated[str, typer.Option("--unit", help="state-year or dyad-year.")] = "dyad-year",
    directed: Annotated[
        bool,
        typer.Option("--directed/--nondirected", help="Dyads in both orders, or ccode1 < ccode2."),
    ] = True,
    first: Annotated[
        int | None, typer.Option("--from", help="First year of the panel (default: the data's first).")
    ] = None,
    last: Annotated[
        int | None, typer.Option("--to", help="Last year of the panel (default: the data's last).")
    ] = None,
    years: Annotated[
        str | None,
        typer.Option("--years", hidden=True, help="Deprecated spelling of --from/--to: a range, e.g. 1946-2014."),
    ] = None,
    politically_relevant: Annotated[
        bool,
        typer.Option(
            "--politically-relevant", help="Keep contiguous dyads and dyads with a major power."
        ),
    ] = False,
    region: Annotated[
        str | None,
        typer.Option("--region", help="Region, e.g. asia-pacific, northeast-asia, europe."),
    ] = None,
    states: Annotated[
        str | None, typer.Option("--states", help="Comma-separated COW codes to keep.")
    ] = None,
    add: Annotated[
        str | None,
        typer.Option("--add", help=f"Comma-separated data to add: {', '.join(ADD_STEPS)}."),
    ] = None,
) -> None:
    """Build a panel and write it to Parquet (with the dataset sources in its metadata)."""
    if unit not in ("state-year", "dyad-year"):
        raise InputError(f"unknown unit {unit!r}; choose state-year or dyad-year", field="--unit")
    if politically_relevant and unit != "dyad-year":
        raise InputError(
            "--politically-relevant applies to dyad-years", field="--politically-relevant"
        )
    steps = parse_add(add, unit)
    check_file_output(out, field="--out")
    year_range = panels.parse_years(_year_range(first, last, years))
    subset = parse_states(states)
    rows = panels.estimate_rows(
        unit, year_range, directed=directed, subset=subset, region=region, source_dir=source_dir
    )  # type: ignore[arg-type]
    if rows > panels.MAX_PANEL_ROWS:
        raise InputError(
            f"the panel would have about {rows:,} rows (more than {panels.MAX_PANEL_ROWS:,}); "
            "narrow --from/--to, --states or --region",
            field="--from",
        )
    console = _console()
    with Progress(
        TextColumn("{task.description:<24}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(), console=console, transient=False, disable=not console.is_terminal,
    ) as progress:  # fmt: skip
        task = progress.add_task(f"{unit}s", total=len(steps) + 2)
        progress.update(task, description=f"{unit}s (~{rows:,})")
        with _engine_errors("--unit"):
            if unit == "dyad-year":
                panel = panels.dyad_years(
                    directed, year_range, subset=subset, region=region,
                    politically_relevant=politically_relevant, source_dir=source_dir,
                )  # fmt: skip
            else:
                panel = panels.state_years(
                    year_range, subset=subset, region=region, source_dir=source_dir
                )
            panel = panel.collect()
        progress.advance(task)
        for step in steps:
            progress.update(task, description=f"add {step}")
            with _engine_errors(f"--add {step}"):
                panel = ADD_STEPS[step](panel).collect()
            progress.advance(task)
        progress.update(task, description="write")
        target = panels.write_panel(panel, out, field="--out")
        progress.advance(task)
    df: pl.DataFrame = panel.to_polars()
    console.print(f"wrote {df.height:,} rows x {df.width} columns to {target}")
    for s in panel.sources:
        console.print(f"  {s.label} {s.version} ({s.file})", highlight=False)


def _year_range(first: int | None, last: int | None, years: str | None) -> str | tuple[int, int] | None:
    """--from/--to as a range.

    The old --years RANGE still works, hidden from --help, so that --years means a number of
    simulated years everywhere users see it.
    """
    if years is not None:
        if first is not None or last is not None:
            raise InputError("give --from/--to or the old --years range, not both", field="--years")
        return years
    if first is None and last is None:
        return None
    lo = first if first is not None else 1816
    hi = last if last is not None else 2100
    return (lo, hi)


@contextmanager
def _engine_errors(field: str) -> Iterator[None]:
    """Turn an error of the data engine while building into a one-line data error.

    For example, a data file with two rows for one dyad-year makes a join fail.
    """
    try:
        yield
    except DataError as exc:
        if exc.problems[0][0] != "panel":
            raise
        raise DataError(exc.problems[0][1], field=field) from None
    except pl.exceptions.PolarsError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise DataError(f"the data could not be joined ({first})", field=field) from None


def from_data_command(
    year: Annotated[int, typer.Option("--start-year", "--year", help="Start year of the scenario.")],
    out: Annotated[Path, typer.Option("--out", help="Output YAML file.")],
    states: Annotated[
        str | None,
        typer.Option("--states", help="Comma-separated COW codes, e.g. USA,CHN,JPN,ROK,PRK,RUS."),
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Region instead of --states, e.g. asia-pacific.")
    ] = None,
    source_dir: Annotated[
        Path | None,
        typer.Option("--source-dir", help="Data directory (default $SECORDER_DATA_DIR)."),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Scenario name (a slug); default from-data-YEAR.")
    ] = None,
    gdp: Annotated[
        Path | None,
        typer.Option(
            "--gdp", help="CSV with columns code,gdp (bn current USD) overriding the GDP proxy."
        ),
    ] = None,
) -> None:
    """Build a scenario for a year and states (or a region) from the peace-science data."""
    from secorder.data.from_data import scenario_from_data, write_scenario  # noqa: PLC0415

    codes = parse_states(states)
    if codes is None and region is None:
        raise InputError("give --states or --region", field="--states")
    check_file_output(out, field="--out")
    given = read_gdp(gdp) if gdp else None
    scenario = scenario_from_data(
        year,
        codes,
        region=region,
        source_dir=source_dir,
        name=name,
        gdp=given,
    )
    target = write_scenario(scenario, out, field="--out")
    console = _console()
    console.print(
        f"wrote {target}: {len(scenario['states'])} states, {len(scenario['dyads'])} dyads, "
        f"{len(scenario['institutions'])} institutions; {len(scenario['defaults_used'])} fields "
        "from documented defaults (listed under defaults_used)"
    )
    for st in scenario["states"]:
        prefix = f"states[{st['code']}].military_spending (imputed: "
        for d in scenario["defaults_used"]:
            if d.startswith(prefix):
                console.print(
                    f"military spending of {st['code']} imputed: {st['military_spending']} bn "
                    f"({d[len(prefix) : -1]})",
                    highlight=False,
                )
    if any(d.startswith("states[") and d.endswith("].gdp") for d in scenario["defaults_used"]):
        console.print(
            "GDP is a proxy from trade, population and military spending; pass --gdp for real figures"
        )


GDP_TABLE = Spec(
    "GDP table (code,gdp)",
    columns=(("code", pl.String), ("gdp", pl.Float64)),
    signature=("code", "gdp"),
)
"""The ``--gdp`` file: a COW code (alphabetic or numeric) and GDP in bn current USD per row."""


def read_gdp(path: Path) -> dict[str, float]:
    """Read a ``code,gdp`` CSV (bn current USD); every problem is blamed on ``--gdp``."""
    if not path.is_file():
        raise InputError(f"file not found: {path}", field="--gdp")
    try:
        if not {"code", "gdp"} <= {h.lower() for h in read_header(path)}:
            raise InputError(f"{path.name} needs columns code,gdp", field="--gdp")
        df = read_table(path, GDP_TABLE)
    except DataError as exc:
        raise InputError(exc.format(), field="--gdp") from None
    seen: dict[int, int] = {}
    out: dict[str, float] = {}
    for line, (code, value) in enumerate(df.select("code", "gdp").iter_rows(), start=2):
        where = f"{path.name}, line {line}"
        if code is None or value is None:
            raise InputError(f"{where}: code and gdp are both needed", field="--gdp")
        try:
            (ccode,) = gdp_by_code({code: value}, field="--gdp")
        except InputError as exc:
            raise InputError(f"{where}: {exc.problems[0][1]}", field="--gdp") from None
        if ccode in seen:
            raise InputError(
                f"{where}: {code} is given again (first on line {seen[ccode]})", field="--gdp"
            )
        seen[ccode] = line
        out[str(code)] = float(value)
    return out
