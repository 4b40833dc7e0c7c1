"""``secorder sweep``, ``secorder sensitivity`` and ``secorder discover``.

Only Typer is imported here; the engine, pandas, SALib, Dask and the EMA Workbench are
imported inside the commands, so ``secorder --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def _consoles():
    import sys

    from rich.console import Console

    return (Console(width=None if sys.stdout.isatty() else 160),
            Console(stderr=True, width=None if sys.stderr.isatty() else 160))


def sweep_command(
    spec: Annotated[Path, typer.Argument(help="Sweep spec (YAML); the format is in docs/exploration.md.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Dataset folder (default: secorder-results/sweep-NAME).")
    ] = None,
    backend: Annotated[str, typer.Option(help="local (processes on this machine) or dask.")] = "local",
    workers: Annotated[
        int | None, typer.Option(min=1, help="Local processes, or workers of a local Dask cluster (default: one per core).")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies dask).")
    ] = None,
    connect_timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds to wait for the scheduler before giving up.")
    ] = 5.0,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check the spec, print the estimate, run nothing.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No estimate or progress bar.")] = False,
    resume: Annotated[
        bool, typer.Option("--resume", help="Require an interrupted run of this sweep in --out and finish it "
                           "(re-running a sweep always reuses its finished cells).")
    ] = False,
) -> None:
    """Run a sweep (scenarios x architectures x levers x parameter points x seeds) into a Parquet dataset.

    Every finished cell is written at once, so an interrupted sweep keeps them: re-running the
    same spec into the same folder resumes it, skipping the finished cells (--resume insists
    that there is such an interrupted sweep to finish).
    """
    from secorder.explore.runner import estimate, finished_cells, sweep
    from secorder.explore.spec import load_spec

    out_console, err_console = _consoles()
    if dry_run:
        plan = load_spec(spec)
        folder = out or Path("secorder-results") / f"sweep-{plan.spec.name}"
        todo = [c for c in plan.cells if c.key not in finished_cells(folder)] if folder.is_dir() else plan.cells
        w = 1 if scheduler else (workers or __import__("os").cpu_count() or 1)
        out_console.print(estimate(plan, todo, w).describe())
        return

    def show(est, where: str) -> None:
        if not quiet:
            err_console.print(f"{where}\n{est.describe()}", highlight=False)

    res = sweep(spec, out, backend=backend, workers=workers, scheduler=scheduler, connect_timeout=connect_timeout,
                progress=not quiet, on_estimate=show, resume=resume)
    out_console.print(f"{res.cells_run:,} cells run, {res.cells_skipped:,} reused (finished earlier) in "
                      f"{res.seconds:.1f} s; dataset in {res.path}/")


def sensitivity_command(
    folder: Annotated[Path, typer.Argument(help="A sweep's dataset folder.")],
    outcome: Annotated[str, typer.Option("--outcome", help="Outcome name (see docs/exploration.md).")],
    method: Annotated[str, typer.Option(help="auto (follow the sweep's sampler), sobol or morris.")] = "auto",
    statistic: Annotated[str, typer.Option(help="mean: mean over runs; positive: share of runs above zero.")] = "mean",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for the CSV and PNG (default: FOLDER).")] = None,
) -> None:
    """Sobol indices (S1, ST with 95% confidence intervals) or Morris screening of one outcome."""
    from rich.table import Table

    from secorder.explore.sensitivity import sensitivity

    out_console, _ = _consoles()
    res = sensitivity(folder, outcome, method=method, statistic=statistic)
    paths = res.save(out or folder)
    cols = ["S1", "S1_conf", "ST", "ST_conf"] if res.method == "sobol" else ["mu_star", "mu_star_conf", "mu", "sigma"]
    for group, t in res.table.groupby(["scenario", "architecture", "levers"], sort=False):
        out_console.print(f"{res.method}: {outcome} ({statistic}) on {' / '.join(map(str, group))}")
        table = Table()
        for c in ["parameter", *cols]:
            table.add_column(c, justify="left" if c == "parameter" else "right")
        for _, row in t.iterrows():
            table.add_row(row["parameter"], *(f"{row[c]:.3g}" for c in cols))
        out_console.print(table)
    out_console.print("Written: " + ", ".join(str(p) for p in paths))


def discover_command(
    folder: Annotated[Path, typer.Argument(help="A sweep's dataset folder.")],
    outcome: Annotated[str, typer.Option("--outcome", help="Outcome name, e.g. wars_per_decade.")],
    above: Annotated[float | None, typer.Option(help="Cases of interest: outcome above this value.")] = None,
    below: Annotated[float | None, typer.Option(help="Cases of interest: outcome below this value.")] = None,
    density: Annotated[float, typer.Option(min=0.0, max=1.0, help="Density the chosen box should reach.")] = 0.8,
    peel_alpha: Annotated[float, typer.Option(min=0.001, max=0.5, help="Share of cases peeled per step.")] = 0.05,
    mass_min: Annotated[float, typer.Option(min=0.0, max=1.0, help="Smallest box, as a share of cases.")] = 0.05,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for CSVs and PNG (default: FOLDER).")] = None,
) -> None:
    """PRIM scenario discovery: the box of swept inputs in which an outcome is likely."""
    from rich.table import Table

    from secorder.explore.discover import discover

    out_console, _ = _consoles()
    res = discover(folder, outcome, above=above, below=below, density=density, peel_alpha=peel_alpha,
                   mass_min=mass_min)
    cond = res.condition.replace(" ", "")
    paths = res.save(out or folder, stem=f"discovery-{cond.replace('>', '-above-').replace('<', '-below-')}")
    out_console.print(f"PRIM box {res.chosen} for {res.condition}: coverage {res.coverage:.2f}, density "
                      f"{res.density:.2f} ({res.of_interest:,} of {res.cases:,} cases of interest)"
                      + ("" if res.reached else f"; no box reaches density {density:g}, the densest is shown"))
    table = Table()
    for c in ("input", "low", "high", "categories"):
        table.add_column(c)
    for _, row in res.box.iterrows():
        table.add_row(row["input"], *("" if row["categories"] else f"{row[c]:.4g}" for c in ("low", "high")),
                      row["categories"])
    out_console.print(table)
    out_console.print("Written: " + ", ".join(str(p) for p in paths))


def mount(app: typer.Typer) -> None:
    """Add the exploration commands to the ``secorder`` app."""
    app.command("sweep")(sweep_command)
    app.command("sensitivity")(sensitivity_command)
    app.command("discover")(discover_command)
