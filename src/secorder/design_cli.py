"""``secorder design``: list, show, validate and run staged designs.

Only Typer is imported here; the engine and pandas are imported inside the commands, so
``secorder --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

design_app = typer.Typer(help="Staged designs: an institution built stage by stage, on triggers from the run.",
                         no_args_is_help=True)

_parse_overrides = None  # the command line's --set parser, given by mount()


def _consoles():
    import sys

    from rich.console import Console

    return (Console(width=None if sys.stdout.isatty() else 160),
            Console(stderr=True, width=None if sys.stderr.isatty() else 160))


@design_app.command("list")
def design_list() -> None:
    """The designs shipped with secorder."""
    from rich.table import Table

    from secorder.designs import builtin_designs, load_design

    out, _ = _consoles()
    table = Table(title="built-in designs", title_justify="left")
    for col in ("name", "scenario", "stages", "title"):
        table.add_column(col)
    for name in builtin_designs():
        d = load_design(name)
        table.add_row(name, d.scenario or "", " → ".join(s.kind for s in d.stages), d.title)
    out.print(table)


def _stage_rows(design) -> list[tuple[str, ...]]:
    rows = []
    for k, s in enumerate(design.stages):
        fail = ""
        if s.fails_if is not None:
            o = s.on_failure
            what = {"retry": f"retry after {o.after} years (at most {o.attempts} attempts)",
                    "revert": "undo it and stop there", "abandon": "dissolve the institution"}[o.action]
            fail = f"if {s.fails_if.describe()}: {what}"
        rows.append((str(k + 1), s.name or s.kind, s.kind, s.trigger.describe(), fail))
    return rows


@design_app.command("show")
def design_show(
    design: Annotated[str, typer.Argument(help="Built-in design name or YAML path.")],
) -> None:
    """A design's stages: what each does, its trigger and what happens if it fails; and its sources."""
    from rich.table import Table

    from secorder.designs import load_design

    out, _ = _consoles()
    d = load_design(design)
    table = Table(title=f"{d.name}: {d.title}", title_justify="left")
    for col in ("#", "stage", "kind", "trigger", "on failure"):
        table.add_column(col)
    for row in _stage_rows(d):
        table.add_row(*row)
    out.print(table)
    if d.description:
        out.print(d.description, highlight=False)
    for s in d.sources:
        out.print(f"source: {s}", highlight=False, markup=False)


@design_app.command("validate")
def design_validate(
    designs: Annotated[list[str], typer.Argument(help="Design YAML files (or built-in names).")],
    scenario: Annotated[str | None, typer.Option("--scenario", help="Check state codes, institutions and "
                                                 "variables against this scenario (default: the design's own).")
                        ] = None,
) -> None:
    """Check design files: stage kinds and fields, order of stages, triggers, and codes on a scenario."""
    from secorder.designs import load_design, plan_design
    from secorder.scenario import load_scenario

    out, _ = _consoles()
    for src in designs:
        d = load_design(src)
        where = scenario or d.scenario
        if where is None:
            out.print(f"ok: {d.name} ({len(d.stages)} stages; no scenario to check codes against: give --scenario)")
            continue
        plan_design(d, load_scenario(where), src if Path(src).is_file() else d.name)
        out.print(f"ok: {d.name} ({len(d.stages)} stages) on {where}", highlight=False)


def _years_shown(years, n: int = 6) -> list[int]:
    import numpy as np

    idx = np.unique(np.linspace(0, len(years) - 1, min(n, len(years))).round().astype(int))
    return [int(years[i]) for i in idx]


@design_app.command("run")
def design_run(
    designs: Annotated[list[str], typer.Argument(help="Design YAML files or built-in names (one or more).")],
    scenario: Annotated[str | None, typer.Option("--scenario", help="Built-in scenario or YAML path "
                                                 "(default: the designs' own).")] = None,
    years: Annotated[int, typer.Option("--years", "-y", min=1, max=500, help="Years to simulate.")] = 30,
    runs: Annotated[int, typer.Option("--runs", "-r", min=2, help="Monte Carlo runs (each design and the "
                                      "baseline see the same futures).")] = 200,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Experiment seed.")] = 0,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override a parameter, NAME=VALUE (repeatable).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder for reach.csv, stages.csv, comparison.csv, "
                                  "outcomes.parquet, reach.png and manifest.json.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace --out even if it is not a secorder results folder.")
    ] = False,
    reference: Annotated[
        str, typer.Option("--baseline", help="Take paired differences from this: no-design, or one of the designs.")
    ] = "no-design",
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Worker processes (default: one per core, at most one per "
                                 "chunk of 500 runs); results do not depend on it.")
    ] = None,
) -> None:
    """Simulate designs: the share of runs reaching each stage by each year, and outcomes paired with no design.

    Every design and the baseline without one are run with the same seed, so run r of each
    sees the same shocks; differences are paired run by run (90% confidence intervals).
    """
    from rich.table import Table

    from secorder._atomic import check_output
    from secorder.designs import BASELINE, run_designs

    console, _ = _consoles()
    if out is not None:
        check_output(out, force, "--out")
    overrides = (_parse_overrides(set_) or None) if _parse_overrides is not None else None
    cmp = run_designs(designs, scenario, years=years, runs=runs, seed=seed, params=overrides, workers=workers,
                      reference=reference)
    shown = _years_shown(cmp.baseline.year_index)
    for run in cmp.runs.values():
        reach = run.reach()
        table = Table(title=f"{run.name} on {cmp.scenario.name}: share of {runs:,} runs that reached each stage "
                      f"by the start of the year (seed {cmp.seed})", title_justify="left")
        for col in ("#", "stage", "trigger", *map(str, shown), "ever", "failed", "in place at end"):
            table.add_column(col, justify="left" if col in ("stage", "trigger") else "right")
        stages = run.stages()
        for row in stages.itertuples():
            part = reach[reach["stage"] == row.stage].set_index("year")["reached"]
            table.add_row(str(row.stage), row.label, row.trigger, *(f"{part[y]:.2f}" for y in shown),
                          f"{row.reached:.2f}", f"{row.failed:.2f}", f"{row.in_place_final:.2f}")
        console.print(table)
    t = cmp.table()
    table = Table(title=f"outcomes: mean per design, and paired difference from {cmp.reference} [90% CI]",
                  title_justify="left")
    table.add_column("outcome")
    for name in [BASELINE, *cmp.designs]:
        table.add_column(name, justify="right")
    for _outcome, part in t.groupby("outcome", sort=False):
        cells = []
        for name in [BASELINE, *cmp.designs]:
            r = part[part["design"] == name].iloc[0]
            cells.append(f"{r['mean']:.3g}" if name == cmp.reference else
                         f"{r['mean']:.3g} ({r['diff']:+.3g} [{r['diff_low']:+.3g}, {r['diff_high']:+.3g}])")
        table.add_row(part["label"].iloc[0], *cells)
    console.print(table)
    if out is not None:
        cmp.save(out, force=force)
        console.print(f"Design results written to {out}/")


def mount(app: typer.Typer, parse_overrides) -> None:
    """Add ``design`` to the ``secorder`` app (``parse_overrides`` reads ``--set``)."""
    global _parse_overrides
    _parse_overrides = parse_overrides
    app.add_typer(design_app, name="design")
