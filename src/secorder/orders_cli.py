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


def feasibility_command(
    scenario: Annotated[str, typer.Argument(help="Built-in scenario name or YAML path.")] = DEFAULT_SCENARIO,
    horizon: Annotated[int, typer.Option("--horizon", "-H", min=1, max=500, help="Years to look ahead.")] = 30,
    runs: Annotated[int, typer.Option("--runs", "-r", min=2, help="Monte Carlo runs.")] = 200,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Experiment seed.")] = 0,
    mechanism: Annotated[
        list[str] | None, typer.Option("--mechanism", "-m", help="Only this mechanism (repeatable): hegemony, "
                                       "collective-security, collective-defense, concert, self-help, alt-bilateral, "
                                       "linchpin.")
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override a parameter, NAME=VALUE (repeatable).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder for feasibility.csv and feasibility.png.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace --out even if it is not a secorder results folder.")
    ] = False,
) -> None:
    """Whether the seven mechanisms of the multi-layered structure would form, and last, within the horizon.

    For each (hegemony, collective security, NATO-type collective defence, concert of great
    powers, self-help, another bilateral alliance in place of the linchpin, the linchpin
    alliance itself): the share of runs in which the states build it (or keep it) within the
    horizon and still have it at the end, beside its effect once in place against the status
    quo on the same futures.
    """
    from rich.table import Table

    from secorder._atomic import check_output
    from secorder.feasibility import feasibility

    out_console, _ = _consoles()
    if out is not None:
        check_output(out, force, "--out")
    f = feasibility(scenario, horizon=horizon, runs=runs, seed=seed, params=_overrides(set_),
                    mechanisms=tuple(mechanism) if mechanism else None, overrides_field="--set")
    table = Table(title=f.label, title_justify="left")
    for col in ("mechanism", "new institutions", "P(forms)", "P(in place at horizon)", "P(survives | formed)",
                "median years to form", "Δ fatal disputes/decade", "Δ order index"):
        table.add_column(col, justify="left" if col in ("mechanism", "new institutions") else "right")

    def num(v, fmt="{:.2f}"):
        return "" if v != v else fmt.format(v)

    for row in f.table.itertuples():
        what = row.institutions if row.institutions else ("exists" if row.exists_at_start else "none")
        if row.mechanism == "linchpin":
            what = f"{row.institutions} (exists: P(kept))" if row.institutions else "none in the scenario"
        elif row.mechanism == "self-help":
            what = "no binding arrangement left"
        elif not row.institutions:
            what = "none: the scenario already has it"
        table.add_row(row.mechanism, what, num(row.p_forms), num(row.p_in_place_at_horizon),
                      num(row.p_survives_if_formed), num(row.median_years_to_form, "{:g}"),
                      f"{row.effect_fatal_disputes_per_decade:+.2f} [{row.effect_fatal_disputes_per_decade_low:+.2f}, "
                      f"{row.effect_fatal_disputes_per_decade_high:+.2f}]" if row.effect_fatal_disputes_per_decade
                      == row.effect_fatal_disputes_per_decade else "",
                      num(row.effect_order_index_final, "{:+.3f}"))
    out_console.print(table)
    if out is not None:
        from secorder._atomic import atomic_folder

        with atomic_folder(out, force=force, field="--out") as tmp:
            f.table.to_csv(tmp / "feasibility.csv", index=False)
            f.plot(tmp / "feasibility.png")
        out_console.print(f"Feasibility written to {out}/")


def mount(app: typer.Typer, parse_overrides) -> None:
    """Add ``conditions`` and ``feasibility`` to the ``secorder`` app (``parse_overrides`` reads ``--set``)."""
    global _parse_overrides
    _parse_overrides = parse_overrides
    app.command("conditions")(conditions_command)
    app.command("feasibility")(feasibility_command)
