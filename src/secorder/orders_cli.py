"""``secorder conditions`` and ``secorder feasibility``: whether a regional order would come about.

Only Typer is imported here; the engine and pandas are imported inside the commands, so
``secorder --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from secorder.history_cli import DEFAULT_SCENARIO, _consoles

_parse_overrides = None  # the command line's --set parser, given by mount()


def _overrides(set_: list[str] | None):
    return _parse_overrides(set_) or None if _parse_overrides is not None else None


def conditions_command(
    scenario: Annotated[str, typer.Argument(help="Built-in scenario name or YAML path.")] = DEFAULT_SCENARIO,
    architecture: Annotated[str, typer.Option("--architecture", "-a", help="Architecture overlay.")] = "status-quo",
    runs: Annotated[int, typer.Option("--runs", "-r", min=1, help="Monte Carlo runs.")] = 200,
    years: Annotated[int, typer.Option("--years", "-y", min=1, max=500, help="Years to simulate.")] = 30,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Experiment seed.")] = 0,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override a parameter, NAME=VALUE (repeatable).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder for conditions.csv and conditions.png.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace --out even if it is not a secorder results folder.")
    ] = False,
) -> None:
    """The four F2 conditions of a regional regime, computed from the run each year, with bands across runs.

    The conditions are those of the scenario's first potential regime (its charter), or of the
    whole region if it lists none: (a) existing arrangements, (b) interdependence, (c) common
    threat, (d) support of the key actors = leadership x willingness to accept rules.
    """
    from rich.table import Table

    from secorder._atomic import check_output
    from secorder.feasibility import CONDITION_LABELS, condition_paths

    out_console, _ = _consoles()
    if out is not None:
        check_output(out, force, "--out")
    p = condition_paths(scenario, years=years, runs=runs, seed=seed, params=_overrides(set_),
                        architecture=architecture, overrides_field="--set")
    first = p.table[p.table["year"] == p.table["year"].min()].set_index("condition")
    last = p.final()
    table = Table(title=f"F2 conditions of {p.charter}\n{p.label}", title_justify="left")
    for col in ("condition", f"first year {int(first['year'].iloc[0])}", f"final year {int(last['year'].iloc[0])}",
                f"final {p.level:.0%} band"):
        table.add_column(col, justify="left" if col == "condition" else "right")
    for c in last.index:
        table.add_row(CONDITION_LABELS[c], f"{first.at[c, 'mean']:.3f}", f"{last.at[c, 'mean']:.3f}",
                      f"{last.at[c, 'low']:.3f} - {last.at[c, 'high']:.3f}")
    out_console.print(table)
    if out is not None:
        from secorder._atomic import atomic_folder

        with atomic_folder(out, force=force, field="--out") as tmp:
            p.table.to_csv(tmp / "conditions.csv", index=False)
            p.plot(tmp / "conditions.png")
        out_console.print(f"Conditions written to {out}/")


def mount(app: typer.Typer, parse_overrides) -> None:
    """Add ``conditions`` to the ``secorder`` app (``parse_overrides`` reads ``--set``)."""
    global _parse_overrides
    _parse_overrides = parse_overrides
    app.command("conditions")(conditions_command)
