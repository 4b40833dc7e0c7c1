"""``secorder transitions`` and ``secorder story``: how orders change, and one run told year by year.

Only Typer is imported here; the engine and pandas are imported inside the commands, so
``secorder --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DEFAULT_SCENARIO = "northeast-asia-2003"


def _consoles():
    import sys

    from rich.console import Console

    return (Console(width=None if sys.stdout.isatty() else 160),
            Console(stderr=True, width=None if sys.stderr.isatty() else 160))


_parse_overrides = None  # the command line's --set parser, given by mount()


def _overrides(set_: list[str] | None):
    return _parse_overrides(set_) or None if _parse_overrides is not None else None


def transitions_command(
    source: Annotated[str, typer.Argument(help="Built-in scenario, YAML path, or a results folder written with "
                                               "--record full.")] = DEFAULT_SCENARIO,
    architecture: Annotated[str, typer.Option("--architecture", "-a", help="Architecture overlay.")] = "status-quo",
    runs: Annotated[int, typer.Option("--runs", "-r", min=1, help="Monte Carlo runs.")] = 200,
    years: Annotated[int, typer.Option("--years", "-y", min=2, max=500, help="Years to simulate.")] = 30,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Experiment seed.")] = 0,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override a parameter, NAME=VALUE (repeatable).")
    ] = None,
    min_spell: Annotated[
        int, typer.Option(min=1, help="Count a change only if the new order lasts this many years (1: every change).")
    ] = 1,
    top: Annotated[int, typer.Option(min=1, help="Paths to list.")] = 8,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder for transitions.csv, first.csv, paths.csv and "
                                  "transitions.png.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace --out even if it is not a secorder results folder.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Transitions between order types: year-to-year matrix, time to the first change, common paths.

    Simulates the scenario (every run's yearly order is kept) or reads a results folder of
    `secorder run --record full`. The orders are read from the mechanisms' state each year;
    nothing schedules a change of order.
    """
    from rich.table import Table

    from secorder._atomic import check_output
    from secorder.orders import ORDER_KINDS
    from secorder.transitions import transitions

    out_console, _ = _consoles()
    if out is not None:
        check_output(out, force, "--out")
    folder = Path(source)
    if folder.is_dir():
        res, label = folder, f"{folder}"
    else:
        from secorder.engine import simulate
        from secorder.spec import RunSpec

        spec = RunSpec.build(source, years=years, runs=runs, seed=seed, params=_overrides(set_),
                             architecture=architecture, record="full", overrides_field="--set")
        res = simulate(spec, progress=not quiet)
        label = f"{res.scenario.name} ({res.architecture}): {runs:,} runs x {years} years, seed {seed}"
    t = transitions(res, min_spell=min_spell)

    kinds = [k for k in ORDER_KINDS if t.counts.loc[k].sum() > 0 or t.counts[k].sum() > 0]
    table = Table(title=f"{label}\nyear-to-year transitions (share of each row; rows: this year, columns: next)",
                  title_justify="left")
    table.add_column("from \\ to")
    for k in kinds:
        table.add_column(k.replace("_", " "), justify="right")
    m = t.matrix
    for k in kinds:
        table.add_row(k.replace("_", " "), *(f"{m.at[k, c]:.3f}" if m.at[k, c] == m.at[k, c] else "" for c in kinds))
    out_console.print(table)
    first = Table(title="time to the first change of order", title_justify="left")
    for col in ("starting order", "runs", "share that change", "median years to the first change"):
        first.add_column(col, justify="right" if col != "starting order" else "left")
    for kind, row in t.summary().iterrows():
        med = row["median_years_to_first"]
        first.add_row(str(kind).replace("_", " "), f"{int(row['runs']):,}", f"{row['share_changed']:.2f}",
                      "" if med != med else f"{med:g}")
    out_console.print(first)
    paths = Table(title=f"most common paths (of {t.runs:,} runs)", title_justify="left")
    for col in ("path", "runs", "share"):
        paths.add_column(col, justify="left" if col == "path" else "right")
    for row in t.paths.head(top).itertuples():
        paths.add_row(row.path.replace("_", " ").replace(" -> ", " → "), f"{row.runs:,}", f"{row.share:.2f}")
    out_console.print(paths)
    if out is not None:
        from secorder._atomic import atomic_folder

        with atomic_folder(out, force=force, field="--out") as tmp:
            t.counts.to_csv(tmp / "transitions.csv")
            t.first.to_csv(tmp / "first.csv", index=False)
            t.paths.to_csv(tmp / "paths.csv", index=False)
            t.plot(tmp / "transitions.png")
        out_console.print(f"Transitions written to {out}/")


def story_command(
    scenario: Annotated[str, typer.Argument(help="Built-in scenario name or YAML path.")] = DEFAULT_SCENARIO,
    run: Annotated[int, typer.Option("--run", min=0, help="Which run (the same run as in a batch with this seed).")] = 0,
    years: Annotated[int, typer.Option("--years", "-y", min=1, max=500, help="Years to simulate.")] = 30,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Experiment seed.")] = 0,
    architecture: Annotated[str, typer.Option("--architecture", "-a", help="Architecture overlay.")] = "status-quo",
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override a parameter, NAME=VALUE (repeatable).")
    ] = None,
    design: Annotated[
        str | None, typer.Option("--design", help="A staged design (built-in name or YAML path): tell its stages too.")
    ] = None,
) -> None:
    """One run told year by year: crises and who ended them, allies, wars, trust, institutions, regimes."""
    from secorder.story import story

    out_console, _ = _consoles()
    s = story(scenario, run=run, years=years, seed=seed, params=_overrides(set_), architecture=architecture,
              overrides_field="--set", design=design)
    for line in s.lines():
        out_console.print(line, highlight=False, soft_wrap=True, markup=False)


def mount(app: typer.Typer, parse_overrides) -> None:
    """Add ``transitions`` and ``story`` to the ``secorder`` app (``parse_overrides`` reads ``--set``)."""
    global _parse_overrides
    _parse_overrides = parse_overrides
    app.command("transitions")(transitions_command)
    app.command("story")(story_command)
