"""The ``secorder`` command.

Every user mistake (bad scenario, unknown state code, nonsensical parameter, corrupt data
file) ends with a message naming the field and the problem on stderr and exit status 2,
without a traceback and without leaving half-written output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
import typer.core
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from secorder._atomic import OutputFolder, check_output
from secorder.errors import InputError

try:  # typer >= 0.2x ships its own copy of click
    from typer.core import _click as _click_lib
except ImportError:  # pragma: no cover - older typer uses click itself
    import click as _click_lib
_ClickException = _click_lib.exceptions.ClickException
_UsageError = _click_lib.exceptions.UsageError
_NoArgsIsHelp = getattr(_click_lib.exceptions, "NoArgsIsHelpError", ())


def _report_error(message: str) -> None:
    err_console.print(f"[bold red]error:[/bold red] {escape(message)}", highlight=False, soft_wrap=True)


def user_error_message(err: BaseException) -> str | None:
    """The one-line message for an exception the user caused, or None for a bug.

    Bad input (:class:`InputError`), operating-system errors on the user's files (a read-only
    folder, a full disk), running out of memory, and input nested too deeply are the user's to
    fix; anything else is a bug in secorder and keeps its traceback.
    """
    if isinstance(err, InputError):
        return err.format()
    if isinstance(err, MemoryError):
        return ("memory: not enough memory for this run; use fewer --runs or a smaller --chunk-size, "
                "or --record summary")
    if isinstance(err, RecursionError):
        return "input: nested too deeply to process"
    if isinstance(err, OSError) and err.errno is not None:
        where = err.filename if err.filename is not None else "file system"
        return f"{where}: {(err.strerror or str(err)).lower()}"
    from pydantic import ValidationError

    if isinstance(err, ValidationError):
        from secorder.scenario.loader import _problems

        return InputError(_problems(err, f"{err.title}: ")).format()
    return None


_python_showwarning = __import__("warnings").showwarning


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Show secorder's own notices (e.g. a chunk shrunk to fit in memory) as one line on stderr."""
    from secorder.checkpoint import CheckpointDiscarded
    from secorder.resources import ChunkShrunk

    if issubclass(category, (ChunkShrunk, CheckpointDiscarded)):
        err_console.print(f"[yellow]note:[/yellow] {escape(str(message))}", highlight=False, soft_wrap=True)
    else:
        _python_showwarning(message, category, filename, lineno, file, line)


def _report_usage_error(err) -> None:
    """One line naming the option, instead of click's framed usage panel."""
    hint = f" (see '{err.ctx.command_path} --help')" if err.ctx is not None else ""
    _report_error(f"{err.format_message()}{hint}")


class _SecorderGroup(typer.core.TyperGroup):
    """The root command group: every user-caused error ends as one line and exit status 2.

    Handled here (not only in :func:`main`) so the app behaves the same when invoked
    in-process, e.g. by ``typer.testing.CliRunner``.
    """

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except _UsageError as err:  # a bad option of the root command itself
            if _NoArgsIsHelp and isinstance(err, _NoArgsIsHelp):
                raise
            _report_usage_error(err)
            raise typer.Exit(2) from None

    def invoke(self, ctx):
        import warnings

        warnings.showwarning = _show_warning
        try:
            return super().invoke(ctx)
        except _UsageError as err:
            if _NoArgsIsHelp and isinstance(err, _NoArgsIsHelp):
                raise
            _report_usage_error(err)
            ctx.exit(2)
        except (_ClickException, typer.Exit, typer.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            _report_error("interrupted; the previous results (if any) were left as they were")
            ctx.exit(130)
        except Exception as err:
            message = user_error_message(err)
            if message is None:
                raise
            _report_error(message)
            ctx.exit(2)


class _LazyCommands:
    """Subcommands whose modules are imported only when the subcommand runs.

    ``lazy`` maps a name to (module, attribute, short help); the attribute is a Typer app or a
    command function. Listing them in ``--help`` uses the short help alone, so ``secorder
    --help`` does not import polars through the data layer.
    """

    lazy: dict[str, tuple[str, str, str]] = {}

    def list_commands(self, ctx):
        return [*super().list_commands(ctx), *(n for n in self.lazy if n not in self.commands)]

    def get_command(self, ctx, name):
        if name in self.lazy and name not in self.commands:
            return typer.core.TyperCommand(name, help=self.lazy[name][2], short_help=self.lazy[name][2])
        return super().get_command(ctx, name)

    def resolve_command(self, ctx, args):
        if args and args[0] in self.lazy and args[0] not in self.commands:
            self.add_command(_load_command(args[0], *self.lazy[args[0]][:2]), args[0])
        return super().resolve_command(ctx, args)


def _load_command(name: str, module: str, attribute: str) -> typer.core.TyperCommand:
    import importlib

    target = getattr(importlib.import_module(module), attribute)
    holder = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
        holder.command("_")(lambda: None)  # two commands make a group, from which the command is taken
    return typer.main.get_command(holder).commands[name]


DATA_HELP = "Build state-year and dyad-year panels from the COW, ATOP, MID, Polity, V-Dem and ICB data."
FROM_DATA_HELP = "Build a scenario for a year and states (or a region) from the peace-science data."


class _RootGroup(_LazyCommands, _SecorderGroup):
    lazy = {"data": ("secorder.data.cli", "data_app", DATA_HELP)}


class _ScenariosGroup(_LazyCommands, typer.core.TyperGroup):
    lazy = {"from-data": ("secorder.data.cli", "from_data_command", FROM_DATA_HELP)}


app = typer.Typer(
    name="secorder",
    cls=_RootGroup,
    help="Model, simulate and evaluate regional security orders.\n\n"
    "Start with `secorder run` (the built-in Asia-Pacific 2000 scenario), then "
    "`secorder scenarios list` and `secorder mechanisms list`.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
scenarios_app = typer.Typer(help="List, show and validate scenarios.", no_args_is_help=True, cls=_ScenariosGroup)
mechanisms_app = typer.Typer(help="The mechanisms of the yearly step.", no_args_is_help=True)
calibrate_app = typer.Typer(help="Calibrate model parameters to base rates.", no_args_is_help=True)
architectures_app = typer.Typer(help="Security architectures: overlays on any scenario.", no_args_is_help=True)
experiment_app = typer.Typer(help="The experiments that test the claims of the theory.", no_args_is_help=True)
app.add_typer(scenarios_app, name="scenarios")
app.add_typer(mechanisms_app, name="mechanisms")
app.add_typer(calibrate_app, name="calibrate")
app.add_typer(architectures_app, name="architectures")
app.add_typer(experiment_app, name="experiment")

# Piped output (files, tests, CI logs) gets wide tables instead of rich's 80-column default.
out_console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)

DEFAULT_SCENARIO = "asia-pacific-2000"


def _version_callback(value: bool) -> None:
    if value:
        from secorder import __version__

        typer.echo(f"secorder {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version_callback, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Model, simulate and evaluate regional security orders."""


def parse_overrides(pairs: list[str] | None) -> dict[str, float]:
    """``["name=value", ...]`` -> dict, with errors naming the option."""
    out: dict[str, float] = {}
    for item in pairs or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError([("--set", f"expected NAME=VALUE, got {item!r}")])
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise InputError([(f"--set {name.strip()}", f"value must be a number, got {value!r}")]) from None
    return out


def summary_table(summary, title: str) -> Table:
    """The summary (per outcome: mean and 90% interval) as a rich table."""
    table = Table(title=title, title_justify="left")
    table.add_column("outcome")
    table.add_column("mean", justify="right")
    table.add_column("90% interval", justify="right")
    lo, hi = summary.columns[-2], summary.columns[-1]
    for _, row in summary.iterrows():
        table.add_row(row["label"], f"{row['mean']:,.3g}", f"{row[lo]:,.3g} – {row[hi]:,.3g}")
    return table


WORKERS_HELP = "Worker processes (default: one per core); results do not depend on it."
RESUME_HELP = ("Finish an interrupted run into the same --out: repeat its options exactly; the finished chunks "
               "are reused and the results are the same as uninterrupted.")
CHECKPOINT_EVERY_HELP = ("Write finished chunks to the checkpoint beside --out every this many chunks (and when "
                         "interrupted), for --resume.")


def _levers_text(levers, prefix: str = "; ") -> str:
    """' ; levers: missile_defense JPN, opening_up CHN' (empty without levers)."""
    if not levers:
        return ""
    parts = []
    for lv in levers:
        states = getattr(lv, "states", None)
        states = list(states) if isinstance(states, list | tuple) else ([states] if states else [])
        insts = list(getattr(lv, "institutions", None) or [])
        if getattr(lv, "institution", None):
            insts.append(lv.institution)
        parts.append(f"{lv.lever} {' '.join([*states, *insts])}".strip())
    return f"{prefix}levers: {', '.join(parts)}"


class StageProgress:
    """Progress over named stages (experiments) on stderr.

    A bar with elapsed time and ETA on a terminal, one line per stage otherwise (logs, CI),
    so long commands never run silent.
    """

    def __init__(self, what: str, names: list[str], enabled: bool = True):
        self.what, self.names, self.enabled = what, names, enabled
        self.k = 0

    def __enter__(self) -> StageProgress:
        import time

        self.t0 = time.monotonic()
        self.bar = None
        if self.enabled and err_console.is_terminal:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                                console=err_console, transient=True)
            self.bar.__enter__()
            self.task = self.bar.add_task(self.what, total=len(self.names))
        return self

    def start(self, name: str) -> None:
        """Announce the next stage by name."""
        label = f"{self.what} {self.k + 1}/{len(self.names)}: {name}"
        if self.bar is not None:
            self.bar.update(self.task, description=label)
        elif self.enabled:
            err_console.print(f"{label} ...", highlight=False)

    def done(self) -> None:
        """Mark the current stage finished."""
        import time

        self.k += 1
        if self.bar is not None:
            self.bar.advance(self.task)
        elif self.enabled:
            spent = time.monotonic() - self.t0
            left = spent / self.k * (len(self.names) - self.k)
            err_console.print(f"  done; elapsed {_duration(spent)}, ETA {_duration(left)}", highlight=False)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _duration(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}m{s:02d}s" if m else f"{s}s"


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="Built-in scenario name or path to a YAML file.")] = DEFAULT_SCENARIO,
    years: Annotated[int, typer.Option("--years", "-y", min=1, max=500, help="Years to simulate.")] = 30,
    runs: Annotated[int, typer.Option("--runs", "-r", min=1, help="Monte Carlo runs.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Experiment seed (run r draws from its own streams, keyed by seed and r).")] = 0,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Results folder (default: secorder-results/SCENARIO).")
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override a parameter, NAME=VALUE (repeatable).")
    ] = None,
    architecture: Annotated[
        str, typer.Option("--architecture", "-a", help="Architecture overlay (see `secorder architectures list`).")
    ] = "status-quo",
    lever_file: Annotated[
        Path | None, typer.Option("--levers", help="YAML list of policy levers to switch on "
                                  "(see `secorder architectures levers`).")
    ] = None,
    params_file: Annotated[
        Path | None, typer.Option("--params", help="YAML or JSON file of parameter values (applied after --set).")
    ] = None,
    record: Annotated[
        str, typer.Option(help="full: keep every series and the event log; summary: bounded memory; auto.")
    ] = "auto",
    workers: Annotated[
        int | None, typer.Option(min=1, help=WORKERS_HELP)
    ] = None,
    chunk_size: Annotated[int, typer.Option(min=1, help="Runs simulated together per chunk.")] = 500,
    plots: Annotated[bool, typer.Option(help="Write PNG plots into the results folder.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or table.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace --out even if it is not a secorder results folder.")
    ] = False,
    resume: Annotated[bool, typer.Option("--resume", help=RESUME_HELP)] = False,
    checkpoint_every: Annotated[int, typer.Option(min=1, help=CHECKPOINT_EVERY_HELP)] = 4,
) -> None:
    """Simulate a scenario: progress bar, summary table, results folder (Parquet, manifest, plots).

    Long runs are checkpointed beside --out (.OUT.secorder-checkpoint, every few chunks and
    on Ctrl-C); an interrupted run leaves the previous results as they were, and the same
    command with --resume finishes it with identical results. The checkpoint is removed once
    the new results folder is in place.
    """
    from secorder.checkpoint import Checkpoint
    from secorder.engine import simulate_spec
    from secorder.spec import RunSpec

    spec = RunSpec.build(
        scenario, years=years, runs=runs, seed=seed, params=parse_overrides(set_), params_file=params_file,
        record=record, workers=workers, chunk_size=chunk_size, architecture=architecture,
        levers=_read_levers(lever_file), overrides_field="--set",
    )
    sc = spec.scenario
    out = out or Path("secorder-results") / sc.name
    check_output(out, force, "--out")
    with OutputFolder(out, force=force, field="--out") as target:  # locked for the whole run
        checkpoint = Checkpoint(target.checkpoints, spec, every=checkpoint_every, resume=resume, keep=True,
                                field="--resume", folder_field="--out", shown=str(out))
        res = simulate_spec(spec, progress=not quiet, checkpoint=checkpoint)
        from secorder.report import save_results

        folder = save_results(res, out, plots=plots, force=force)
    if not quiet:
        title = (f"{sc.name} ({res.architecture}{_levers_text(spec.levers)}): {runs:,} runs x {years} years "
                 f"from {sc.year}, seed {seed}")
        out_console.print(summary_table(res.summary(), title))
    out_console.print(f"Results written to {folder}/")


def _obligation_text(inst) -> str:
    """An institution's obligation, per member where the scenario gives them."""
    if inst.obligations:
        return ", ".join(f"{m} {inst.obligations.get(m, inst.obligation):g}" for m in inst.members)
    return f"{inst.obligation:g}"


# ------------------------------------------------------------------------------- scenarios
@scenarios_app.command("list")
def scenarios_list() -> None:
    """The built-in scenarios."""
    from secorder.scenario import builtin_names, load_scenario

    table = Table()
    for col in ("name", "year", "states", "institutions", "title"):
        table.add_column(col)
    for name in builtin_names():
        sc = load_scenario(name)
        table.add_row(name, str(sc.year), str(len(sc.states)), str(len(sc.institutions)), sc.title)
    out_console.print(table)


@scenarios_app.command("show")
def scenarios_show(
    name: Annotated[str, typer.Argument(help="Built-in name or YAML path.")],
    yaml_: Annotated[bool, typer.Option("--yaml", help="Print the scenario file itself.")] = False,
) -> None:
    """Describe a scenario: states, disputes encoded as stakes, institutions."""
    from secorder.scenario import load_scenario
    from secorder.scenario.loader import builtin_names, builtin_path

    sc = load_scenario(name)
    if yaml_:
        text = builtin_path(name).read_text() if name in builtin_names() else Path(name).read_text()
        typer.echo(text)
        return
    out_console.print(f"[bold]{sc.name}[/bold] ({sc.year}) {sc.title}\n{sc.description}\n")
    states = Table(title="States")
    for col in ("code", "name", "GDP bn", "milex bn", "regime", "nuclear", "major"):
        states.add_column(col)
    for s in sc.states:
        major = "derived" if s.major_power is None else ("yes" if s.major_power else "no")
        states.add_row(s.code, s.name, f"{s.gdp:,.4g}", f"{s.military_spending:,.3g}", f"{s.regime:g}",
                       "yes" if s.nuclear else "", major)
    out_console.print(states)
    disputes = Table(title="Stakes (disputes)")
    for col in ("pair", "issue", "stakes", "animosity", "trust"):
        disputes.add_column(col)
    for d in sc.dyads:
        if d.stakes:
            stakes = ", ".join(f"{k} {v:g}" for k, v in d.stakes.items()) if isinstance(d.stakes, dict) else f"{d.stakes:g}"
            disputes.add_row("-".join(d.states), d.issue or "", stakes, f"{d.animosity or 0:g}",
                             f"{d.trust if d.trust is not None else sc.dyad_defaults.trust:g}")
    out_console.print(disputes)
    insts = Table(title="Institutions")
    for col in ("id", "type", "members", "obligation", "transparency", "depth"):
        insts.add_column(col)
    for i in sc.institutions:
        insts.add_row(i.id, i.type, " ".join(i.members), _obligation_text(i), f"{i.transparency:g}", f"{i.depth:g}")
    out_console.print(insts)


@scenarios_app.command("validate")
def scenarios_validate(
    paths: Annotated[list[str], typer.Argument(help="YAML files (or built-in names) to check.")],
) -> None:
    """Check scenario files; every problem is reported with its field path (exit 2 if any)."""
    from secorder.scenario import load_scenario

    problems: list[tuple[str, str]] = []
    for p in paths:
        try:
            sc = load_scenario(p)
            out_console.print(f"{p}: valid ({len(sc.states)} states, {len(sc.dyads)} dyads, "
                              f"{len(sc.institutions)} institutions)")
        except InputError as err:
            problems.extend(err.problems)
    if problems:
        raise InputError(problems)


# ---------------------------------------------------------------------------- architectures
@architectures_app.command("list")
def architectures_list() -> None:
    """The built-in architectures, and the operations each is made of."""
    from secorder.architectures import builtin_names, load_architecture

    table = Table()
    for col in ("name", "title", "claims", "operations"):
        table.add_column(col)
    for name in builtin_names():
        a = load_architecture(name)
        table.add_row(name, a.title, " ".join(a.claims), " ".join(op.kind() for op in a.operations) or "(none)")
    out_console.print(table)
    out_console.print("Operations: `secorder architectures operations`; levers: `secorder architectures levers`.")


@architectures_app.command("show")
def architectures_show(
    name: Annotated[str, typer.Argument(help="Built-in name or YAML path.")],
    scenario: Annotated[str, typer.Option(help="Show the institutions it gives on this scenario.")] = DEFAULT_SCENARIO,
) -> None:
    """Describe an architecture and the institutions it leaves on a scenario."""
    import yaml

    from secorder.architectures import LEVERS, OPERATIONS, apply_architecture, load_architecture
    from secorder.scenario import load_scenario

    a = load_architecture(name)
    out_console.print(f"[bold]{a.name}[/bold]: {a.title}\n{a.description}\nclaims: {' '.join(a.claims)}\n")
    for k, op in enumerate(a.operations):
        out_console.print(f"{k + 1}. [bold]{op.kind()}[/bold] ({OPERATIONS[op.kind()].summary})", highlight=False)
    for lv in a.levers:
        out_console.print(f"lever [bold]{lv.lever}[/bold] ({LEVERS[lv.lever].summary})", highlight=False)
    typer.echo(yaml.safe_dump({"operations": [op.model_dump(exclude_none=True) for op in a.operations],
                               "parameters": a.parameters,
                               "levers": [lv.model_dump(exclude_none=True) for lv in a.levers]}, sort_keys=False))
    overlay = apply_architecture(load_scenario(scenario), a)
    insts = Table(title=f"Institutions on {scenario}")
    for col in ("id", "type", "members", "obligation", "depth"):
        insts.add_column(col)
    for i in overlay.scenario.institutions:
        insts.add_row(i.id, i.type, " ".join(i.members), _obligation_text(i), f"{i.depth:g}")
    out_console.print(insts)


@architectures_app.command("diff")
def architectures_diff(
    a: Annotated[str, typer.Argument(help="First architecture: built-in name or YAML path.")],
    b: Annotated[str, typer.Argument(help="Second architecture: built-in name or YAML path.")],
    scenario: Annotated[str, typer.Option(help="The scenario both are applied to.")] = DEFAULT_SCENARIO,
) -> None:
    """What changes from architecture A to B on a scenario: institutions, fields, system, parameters."""
    from secorder.architectures.diff import diff_architectures

    for line in diff_architectures(scenario, a, b).lines():
        typer.echo(line)


def _registry_table(registry, title: str) -> Table:
    table = Table(title=title, show_lines=True)
    for col in ("name", "what it does", "fields", "example"):
        table.add_column(col, overflow="fold")
    for entry in registry.values():
        fields = "\n".join(f"{f}: {d}" if f else d for f, d in entry.fields())
        table.add_row(entry.name, entry.summary, fields, json.dumps(dict(entry.example)))
    return table


@architectures_app.command("operations")
def architectures_operations() -> None:
    """The operations an architecture is written in (from the registry)."""
    from secorder.architectures import OPERATIONS

    out_console.print(_registry_table(OPERATIONS, "Architecture operations (one key per item of operations:)"))


@architectures_app.command("levers")
def architectures_levers() -> None:
    """The policy levers (from the registry), for --levers files and architectures' levers:."""
    from secorder.architectures import LEVERS

    out_console.print(_registry_table(LEVERS, "Policy levers"))


def _read_levers(path: Path | None) -> list:
    if path is None:
        return []
    from secorder.architectures import parse_levers
    from secorder.scenario.loader import read_yaml

    data = read_yaml(path)
    if isinstance(data, dict):
        data = data.get("levers", [data])
    if not isinstance(data, list):
        raise InputError([(str(path), "must hold a list of levers (or a mapping with a 'levers' list)")])
    return parse_levers(data, f"{path}: levers")


@app.command("compare")
def compare_cmd(
    scenario: Annotated[str, typer.Argument(help="Built-in scenario name or YAML path.")] = DEFAULT_SCENARIO,
    architectures: Annotated[
        list[str], typer.Option("--architecture", "--architectures", "-a",
                                help="Architecture names or YAML paths: repeat -a, or separate with commas.")
    ] = ["status-quo,cooperative-forum,multilayer"],  # noqa: B006 - typer reads the default, never mutates it
    baseline: Annotated[str | None, typer.Option(help="Architecture to pair against (default: the first).")] = None,
    runs: Annotated[int, typer.Option("--runs", "-r", min=2, help="Runs per architecture (the same futures).")] = 1000,
    years: Annotated[int, typer.Option("--years", "-y", min=1, max=500, help="Years to simulate.")] = 30,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Experiment seed (run r uses child r).")] = 0,
    lever_file: Annotated[
        Path | None, typer.Option("--levers", help="YAML list of levers switched on in every architecture.")
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override a parameter, NAME=VALUE (repeatable).")
    ] = None,
    params_file: Annotated[
        Path | None, typer.Option("--params", help="YAML or JSON file of parameter values (applied after --set).")
    ] = None,
    workers: Annotated[int | None, typer.Option(min=1, help=WORKERS_HELP)] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder (default: secorder-results/compare-SCENARIO).")] = None,
    plots: Annotated[bool, typer.Option(help="Write PNG plots and the interactive report.html.")] = True,
    attribute: Annotated[
        str | None, typer.Option("--attribute", help="Outcome whose difference to the baseline to attribute: each "
                                 "mechanism switched off in turn on the same random numbers, and the dyads.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or table.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace --out even if it is not a secorder results folder.")
    ] = False,
    resume: Annotated[bool, typer.Option("--resume", help=RESUME_HELP)] = False,
    checkpoint_every: Annotated[int, typer.Option(min=1, help=CHECKPOINT_EVERY_HELP)] = 4,
) -> None:
    """Compare architectures on common random numbers: means, 90% intervals, paired differences.

    Checkpointed like `secorder run` (beside --out, per architecture); the same command with
    --resume finishes an interrupted comparison with identical results.
    """
    from secorder.checkpoint import CheckpointSet
    from secorder.experiments.compare import KEY_OUTCOMES, WORKLOAD, compare
    from secorder.scenario import load_scenario

    sc = load_scenario(scenario)
    out = out or Path("secorder-results") / f"compare-{sc.name}"
    check_output(out, force, "--out")
    names = [a.strip() for item in architectures for a in item.split(",") if a.strip()]
    levers = _read_levers(lever_file)
    cmp_args = {"levers": levers, "params": parse_overrides(set_) or None, "params_file": None}
    if params_file is not None:
        from secorder.spec import read_params_file

        cmp_args["params_file"] = read_params_file(params_file)  # checked before any run
    if attribute is not None:
        from secorder.metrics import OUTCOMES

        if attribute not in OUTCOMES:
            raise InputError([("--attribute", f"unknown outcome {attribute!r}; known: {', '.join(OUTCOMES)}")])
    with OutputFolder(out, force=force, field="--out") as target:  # locked for the whole comparison
        def checkpoints(specs):
            return CheckpointSet(target.checkpoints, specs, every=checkpoint_every, resume=resume, keep=True,
                                 field="--resume", folder_field="--out", shown=str(out))

        cmp = compare(sc, names, runs=runs, years=years, seed=seed, baseline=baseline, progress=not quiet,
                      record="auto", overrides_field="--set", workers=workers, checkpoint=checkpoints, **cmp_args)
        attributions = []
        if attribute is not None:
            from secorder.experiments.attribution import attribute as attribute_difference

            attributions = [attribute_difference(sc, cmp.results[a].spec.architecture, cmp.results[cmp.baseline]
                                                 .spec.architecture, attribute, runs=runs, years=years, seed=seed,
                                                 workers=workers, **cmp_args)
                            for a in cmp.architectures if a != cmp.baseline]
        from secorder.report import save_comparison

        folder = save_comparison(cmp, out, plots=plots, force=force, attributions=attributions)
        if not quiet:
            for att in attributions:
                out_console.print(att.summary())
                if not att.dyads.empty:
                    top = att.dyads.head(3)
                    out_console.print("  dyads: " + ", ".join(f"{r.dyad} {r.difference:+.3g}" for r in top.itertuples()))
    if not quiet:
        tb = cmp.table([*KEY_OUTCOMES, *WORKLOAD])
        table = Table(title=f"{sc.name}{_levers_text(levers, ' with ')}: {runs:,} common futures x {years} "
                            f"years, seed {seed}; "
                            f"difference vs {cmp.baseline} with 90% CI", title_justify="left")
        for col in ("outcome", "architecture", "mean", "90% interval", "difference (90% CI)"):
            table.add_column(col, justify="right" if col != "outcome" and col != "architecture" else "left")
        for _, row in tb.iterrows():
            diff = "" if row["architecture"] == cmp.baseline else (
                f"{row['diff']:+.3g} ({row['diff_low']:+.3g}, {row['diff_high']:+.3g})")
            table.add_row(row["label"], row["architecture"], f"{row['mean']:.3g}",
                          f"{row['q_low']:.3g} – {row['q_high']:.3g}", diff)
        out_console.print(table)
    out_console.print(f"Comparison written to {folder}/")


# ------------------------------------------------------------------------------ experiments
@experiment_app.command("list")
def experiment_list() -> None:
    """The claims in the catalogue: id, title, scenarios, arms and tests."""
    from secorder.experiments.claims import CLAIMS

    table = Table()
    for col in ("claim", "title", "scenarios", "arms", "tests"):
        table.add_column(col)
    for c in CLAIMS.values():
        table.add_row(c.id, c.title, " ".join(c.scenarios), ", ".join(c.used_arms()), str(len(c.tests)))
    out_console.print(table)


@experiment_app.command("run")
def experiment_run(
    names: Annotated[list[str], typer.Argument(help="Claim ids (e.g. O11 C3), or 'all'.")],
    runs: Annotated[int, typer.Option("--runs", "-r", min=2, help="Runs per arm.")] = 200,
    years: Annotated[int, typer.Option("--years", "-y", min=1, max=500, help="Years to simulate.")] = 30,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Experiment seed (run r uses child r).")] = 0,
    sensitivity: Annotated[
        bool, typer.Option(help="Rerun each claim with each uncertain parameter at both ends of its range.")
    ] = False,
    draws: Annotated[
        int, typer.Option(min=0, help="Parameter draws for robust verdicts (0: none; the issue's target is 256).")
    ] = 0,
    robust_runs: Annotated[
        int | None, typer.Option(min=2, help="Runs per arm at each draw (default: --runs).")
    ] = None,
    sampler: Annotated[str, typer.Option(help="Robust design: lhs (shared, PRIM boxes) or sobol (per claim).")] = "lhs",
    sample_file: Annotated[
        Path | None, typer.Option("--sample", help="CSV/Parquet of parameter draws (e.g. a posterior) instead.")
    ] = None,
    params_file: Annotated[
        Path | None, typer.Option("--params", help="YAML or JSON file of parameter values (applied after --set).")
    ] = None,
    workers: Annotated[int | None, typer.Option(min=1, help=WORKERS_HELP)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or verdict table.")] = False,
    out: Annotated[Path, typer.Option("--out", "-o", help="Report folder.")] = Path("secorder-results/experiments"),
    force: Annotated[
        bool, typer.Option("--force", help="Replace --out even if it is not a secorder results folder.")
    ] = False,
) -> None:
    """Judge the claims and write a Markdown report with verdicts, robustness and a figure.

    See docs/architectures.md for the verdict rules and docs/performance.md for timings.
    """
    from secorder.experiments.claims import CLAIMS
    from secorder.experiments.framework import run_catalogue
    from secorder.report.experiments import write_report

    chosen = list(CLAIMS) if names == ["all"] else names
    unknown = [n for n in chosen if n not in CLAIMS]
    if unknown:
        raise InputError([("NAMES", f"unknown claim(s) {unknown}; known: {', '.join(CLAIMS)} or 'all'")])
    if sampler not in ("lhs", "sobol"):
        raise InputError([("--sampler", f"must be lhs or sobol, got {sampler!r}")])
    pfile = None
    if params_file is not None:
        from secorder.spec import read_params_file

        pfile = read_params_file(params_file)  # read and checked once, before any run
    sample = None
    if sample_file is not None:
        from secorder.experiments.robust import read_sample

        sample = read_sample(sample_file)  # checked before any run
    check_output(out, force, "--out")
    claims = [CLAIMS[n] for n in chosen]
    robust = None
    with OutputFolder(out, force=force, field="--out"):  # locked for the whole experiment
        with StageProgress("claim", chosen, enabled=not quiet) as stage:
            started = iter(chosen[1:])
            if chosen:
                stage.start(chosen[0])

            def advance(_claim: str) -> None:
                stage.done()
                nxt = next(started, None)
                if nxt is not None:
                    stage.start(nxt)

            results = run_catalogue(claims, runs=runs, years=years, seed=seed, sensitivity=sensitivity,
                                    params_file=pfile, workers=workers, on_claim=advance)
        if draws or sample is not None:
            from secorder.experiments.robust import robust_catalogue

            if not quiet:
                err_console.print(f"robust verdicts: {draws or sample.n_points} draws x {robust_runs or runs} runs per arm")
            robust = robust_catalogue(claims, draws=draws, runs=robust_runs or runs, years=years, seed=seed,
                                      sampler=sampler, sample_file=sample_file,
                                      params=dict(pfile.values) if pfile else None, workers=workers or 1)
        from secorder.experiments.attribution import dispute_concentration

        caveats = []
        for sc in dict.fromkeys(s for c in claims for s in c.scenarios):
            share, rows = dispute_concentration(sc, runs=runs, years=years, seed=seed)
            caveats.append(f"{sc}, status quo: {share:.0%} of all militarised disputes come from three dyads ("
                           + ", ".join(f"{d} {x:.0%}" for d, x in rows) + "); claims judged on regional dispute "
                           "counts are mostly claims about them.")
        folder = write_report(results, out, robust=robust, force=force, caveats=caveats,
                              command="secorder experiment run " + " ".join(names))
    if quiet:
        out_console.print(f"Report written to {folder}/README.md")
        return
    table = Table(title="Verdicts")
    for col in ("claim", "verdict", "title"):
        table.add_column(col)
    for r in results:
        table.add_row(r.claim.id, r.verdict, r.claim.title)
    out_console.print(table)
    out_console.print(f"Report written to {folder}/README.md")


# ------------------------------------------------------------------------------- mechanisms
@mechanisms_app.command("list")
def mechanisms_list(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list owned state, reads, writes, draws and parameters.")] = False,
) -> None:
    """The yearly step in its fixed order, with each mechanism's claims, sources and status."""
    from secorder.mechanisms import REGISTRY

    table = Table(title="The yearly step (fixed order)", show_lines=verbose)
    for col in ("step", "mechanism", "status", "claims", "what it does", "sources"):
        table.add_column(col)
    for m in REGISTRY:
        what = m.summary
        if verbose and m.active:
            what += f"\nowns: {', '.join(v.name for v in m.owns) or '-'}"
            what += f"\nreads: {', '.join(m.reads)}\nwrites: {', '.join(m.writes)}"
            if m.draws:
                what += f"\ndraws: {', '.join(f'{name} ({kind})' for name, kind in m.draws.items())}"
            if m.parameters():
                what += f"\nparameters: {', '.join(m.parameters())}"
        table.add_row(m.step, m.name, "active" if m.active else "[yellow]inactive[/yellow]",
                      " ".join(m.claims), what, "; ".join(m.sources))
    out_console.print(table)


@app.command("blocs")
def blocs(
    scenario: Annotated[str, typer.Argument(help="Built-in scenario name or YAML path.")] = DEFAULT_SCENARIO,
    architecture: Annotated[str, typer.Option("--architecture", "-a", help="Architecture overlay.")] = "status-quo",
    seed: Annotated[int, typer.Option(min=0, help="Seed of the local search (more than 22 states).")] = 0,
) -> None:
    """Predicted two-bloc alignment at the start (Axelrod-Bennett landscape theory)."""
    import numpy as np

    from secorder.landscape import explain_split
    from secorder.mechanisms import initial_world
    from secorder.mechanisms.alignment import bloc_propensity, landscape_blocs
    from secorder.spec import RunSpec

    spec = RunSpec.build(scenario, architecture=architecture, runs=1, years=1)
    overlay, params = spec.overlay, spec.params
    world = initial_world(overlay.scenario, params, 1)
    res = landscape_blocs(world, params, rng=np.random.default_rng(seed))
    a, b = res.blocs()
    out_console.print(f"{overlay.scenario.name} ({overlay.architecture.name}), {res.method} search, "
                      f"energy {res.energy:.4g}\n  bloc 1: {' '.join(a)}\n  bloc 2: {' '.join(b) or '(none)'}")
    why = explain_split(res, bloc_propensity(world, params))
    if why:
        out_console.print(f"note: {why}", highlight=False, soft_wrap=True)
    if len(res.local_minima) > 1:
        out_console.print(f"{len(res.local_minima)} stable configurations; the next best has energy "
                          f"{res.local_minima[1][1]:.4g}")


@app.command("parameters")
def parameters(
    mechanism: Annotated[str | None, typer.Option(help="Only this mechanism's parameters.")] = None,
) -> None:
    """Every model coefficient: default, range, meaning and source."""
    from secorder.params import Params

    rows = [r for r in Params.table() if mechanism is None or r["mechanism"] == mechanism]
    if not rows:
        raise InputError([("--mechanism", f"no parameters for {mechanism!r}")])
    table = Table(show_lines=False)
    for col in ("name", "mechanism", "default", "range", "meaning", "source"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["name"], r["mechanism"], f"{r['default']:g}", f"{r['range'][0]:g} – {r['range'][1]:g}",
                      r["meaning"], r["source"])
    out_console.print(table)


@app.command("outcomes")
def outcomes_cmd(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list the recorded series each reads.")] = False,
) -> None:
    """Every per-run outcome: label, unit, which direction is better, and its definition."""
    from secorder.metrics import outcome_table

    table = Table(show_lines=False)
    cols = ("name", "label", "unit", "better", "definition") + (("reads",) if verbose else ())
    for col in cols:
        table.add_column(col, overflow="fold")
    for r in outcome_table():
        table.add_row(*(r[c] for c in cols))
    out_console.print(table)


# -------------------------------------------------------------------------------- dashboard
@app.command("dashboard")
def dashboard(
    port: Annotated[int | None, typer.Option("--port", "-p", min=1, max=65535,
                                             help="Port to serve on (default: a free one).")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on (localhost only by default).")] = "127.0.0.1",
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Data folder for building scenarios from data "
                                                     "(default $SECORDER_DATA_DIR).")
    ] = None,
) -> None:
    """Start the local web dashboard and print its address (Ctrl-C stops it)."""
    from secorder.web import launch

    proc, url = launch(port, host, data_dir, stdout=sys.stderr)
    out_console.print(f"secorder dashboard at {url}  (Ctrl-C to stop)")
    try:
        proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait(timeout=10)


# ------------------------------------------------------------------------------- calibration
@calibrate_app.command("onset")
def calibrate_onset_cmd(
    scenario: Annotated[str, typer.Argument(help="Built-in scenario name or YAML path.")] = DEFAULT_SCENARIO,
    target: Annotated[float, typer.Option(help="New disputes per 1,000 politically relevant dyad-years.")] = 17.1,
    runs: Annotated[int, typer.Option("--runs", "-r", min=10, help="Runs per evaluation.")] = 400,
    years: Annotated[int, typer.Option("--years", "-y", min=1, max=500, help="Years to simulate.")] = 30,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Experiment seed (run r uses child r).")] = 0,
) -> None:
    """Find the onset intercept whose simulated dispute rate matches the base rate."""
    from secorder.calibration import calibrate_onset_intercept

    res = calibrate_onset_intercept(scenario, target=target, runs=runs, years=years, seed=seed)
    out_console.print(
        f"onset_intercept = {res.intercept:.4f} gives {res.rate:.2f} disputes per 1,000 politically "
        f"relevant dyad-years (target {target}) after {res.evaluations} evaluations"
    )


def _window(text: str, field: str = "--window") -> tuple[int, int]:
    """``START-END`` (years) -> (start, end)."""
    a, sep, b = text.partition("-")
    try:
        return (int(a), int(b)) if sep else (int(a), int(a))
    except ValueError:
        raise InputError(f"{text!r} is not START-END (e.g. 1990-2004)", field=field) from None


def _names(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(n.strip() for n in text.split(",") if n.strip())


@calibrate_app.command("targets")
def calibrate_targets_cmd(
    region: Annotated[str, typer.Argument(help="Region (secorder data regions).")],
    window: Annotated[str, typer.Option("--window", "-w", help="Training window START-END.")] = "1990-2014",
    source_dir: Annotated[Path | None, typer.Option("--source-dir", help="Data folder (default: $SECORDER_DATA_DIR).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """The target moments a region's history gives over a window, with bootstrap errors."""
    from secorder.validation.targets import MOMENTS, data_moments

    start, end = _window(window)
    dm = data_moments(region, start, end, source_dir=source_dir)
    if as_json:
        out_console.print_json(json.dumps(dm.to_dict()))
        return
    table = Table(title=f"Targets: {region} {start}-{end} ({len(dm.states)} states)")
    for col in ("target", "value", "se", "unit"):
        table.add_column(col)
    for k, v in dm.values.items():
        note = " *" if k in dm.notes else ""
        table.add_row(k + note, f"{v:.4g}", f"{dm.se[k]:.2g}", MOMENTS[k].unit)
    out_console.print(table)
    for k, note in dm.notes.items():
        out_console.print(f"* {k}: {note}")


@calibrate_app.command("fit")
def calibrate_fit_cmd(
    region: Annotated[str, typer.Argument(help="Region (secorder data regions).")],
    window: Annotated[str, typer.Option("--window", "-w", help="Training window START-END.")] = "1990-2014",
    targets: Annotated[str | None, typer.Option("--targets", help="Comma-separated target moments (default: the standard nine).")] = None,
    free: Annotated[str | None, typer.Option("--free", help="Comma-separated free parameters (default: the standard nine).")] = None,
    ranges: Annotated[list[str] | None, typer.Option("--range", help="Narrower prior range NAME=LO:HI (repeatable).")] = None,
    runs: Annotated[int, typer.Option("--runs", "-r", min=2, help="Runs per evaluation.")] = 200,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Seed (the same for every candidate).")] = 0,
    starts: Annotated[int, typer.Option("--starts", min=1, help="Nelder-Mead starts (current values + Latin hypercube).")] = 2,
    max_evaluations: Annotated[int, typer.Option("--max-evaluations", min=2, help="Simulations the search may use.")] = 120,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Worker processes per simulation.")] = 1,
    source_dir: Annotated[Path | None, typer.Option("--source-dir", help="Data folder (default: $SECORDER_DATA_DIR).")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder: params.yaml, fit.csv, plots.")] = Path("secorder-results/calibration"),
    force: Annotated[bool, typer.Option("--force", help="Replace --out even if it is not a secorder results folder.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or table.")] = False,
    plots: Annotated[bool, typer.Option(help="Write the diagnostic PNG plots.")] = True,
) -> None:
    """Calibrate free parameters to a region's target moments (simulated method of moments)."""
    from secorder.validation.calibrate import (
        DEFAULT_FREE,
        DEFAULT_TARGETS,
        build_problem,
        calibrate,
        parse_ranges,
        write_calibration,
    )

    start, end = _window(window)
    check_output(out, force, "--out")
    problem = build_problem(region, start, end, targets=_names(targets) or DEFAULT_TARGETS,
                            free=_names(free) or DEFAULT_FREE, ranges=parse_ranges(ranges or []),
                            runs=runs, seed=seed, workers=workers, source_dir=source_dir)
    cal = calibrate(problem, starts=starts, max_evaluations=max_evaluations, progress=not quiet)
    write_calibration(cal, out, force=force, plots=plots)
    if quiet:
        return
    table = Table(title=f"Fit: {region} {start}-{end}, J = {cal.distance:.3g} after {cal.evaluations} simulations")
    for col in ("target", "data", "se", "simulated", "z"):
        table.add_column(col)
    for r in cal.fit_table():
        table.add_row(r["target"], f"{r['data']:.4g}", f"{r['se']:.2g}", f"{r['simulated']:.4g}", f"{r['z']:+.1f}")
    out_console.print(table)
    for k, v in cal.values.items():
        out_console.print(f"{k} = {v:.4g} (se {cal.se[k]:.2g})")
    out_console.print(f"parameter file: {out / 'params.yaml'}")


def _origins(text: str | None) -> tuple[int, ...] | None:
    """``1970,1975`` or ``1970-2005/5`` -> origin years."""
    if text is None:
        return None
    try:
        if "/" in text or ("-" in text and "," not in text):
            span, _, step = text.partition("/")
            a, _, b = span.partition("-")
            return tuple(range(int(a), int(b or a) + 1, int(step or 5)))
        return tuple(int(t) for t in text.split(",") if t.strip())
    except ValueError:
        raise InputError(f"{text!r} is not a list of years (1970,1980) or a range (1970-2005/5)",
                         field="--origins") from None


@app.command("backtest")
def backtest_cmd(
    region: Annotated[str, typer.Argument(help="Region (secorder data regions).")],
    origins: Annotated[str | None, typer.Option("--origins", help="Origin years: 1970,1980 or 1970-2005/5 (default 1970-2005/5).")] = None,
    horizon: Annotated[int, typer.Option("--horizon", min=1, max=50, help="Years simulated after each origin.")] = 10,
    runs: Annotated[int, typer.Option("--runs", "-r", min=2, help="Runs per forecast.")] = 200,
    calib_runs: Annotated[int, typer.Option("--calib-runs", min=2, help="Runs per calibration evaluation.")] = 60,
    calib_evaluations: Annotated[int, typer.Option("--calib-evaluations", min=2, help="Simulations per calibration.")] = 30,
    no_calibrate: Annotated[bool, typer.Option("--no-calibrate", help="Forecast with the registry defaults.")] = False,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Seed.")] = 0,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Worker processes per simulation.")] = 1,
    source_dir: Annotated[Path | None, typer.Option("--source-dir", help="Data folder (default: $SECORDER_DATA_DIR).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Report folder (default: secorder-results/backtest-REGION).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --out even if it is not a secorder results folder.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    plots: Annotated[bool, typer.Option(help="Write the report's PNG plots.")] = True,
) -> None:
    """Rolling-origin backtest: calibrate before each origin, forecast, score against history and baselines."""
    from secorder.validation.backtest import DEFAULT_ORIGINS, Settings, backtest, criteria
    from secorder.validation.report import write_backtest

    out = out or Path(f"secorder-results/backtest-{region}")
    check_output(out, force, "--out")
    settings = Settings(horizon=horizon, runs=runs, calib_runs=calib_runs, calib_evaluations=calib_evaluations,
                        seed=seed, workers=workers, calibrate=not no_calibrate)
    results = backtest(region, _origins(origins) or DEFAULT_ORIGINS, settings, source_dir=source_dir,
                       progress=not quiet)
    write_backtest(results, settings, out, force=force, plots=plots)
    if quiet:
        return
    table = Table(title=f"Backtest {region}: dyad-window scores")
    for col in ("origin", "Brier model", "Brier logit", "AUC model", "AUC logit", "criteria met"):
        table.add_column(col)
    for r in results:
        c = criteria(r)
        table.add_row(str(r.origin), f"{r.dyad_window['model']['brier']:.4f}", f"{r.dyad_window['logit']['brier']:.4f}",
                      f"{r.dyad_window['model']['roc_auc']:.3f}", f"{r.dyad_window['logit']['roc_auc']:.3f}",
                      f"{sum(c.values())}/{len(c)}")
    out_console.print(table)
    out_console.print(f"report: {out / 'report.md'}")


def _mount_explore_commands() -> None:
    from secorder.explore.cli import mount

    mount(app)
    from secorder.history_cli import mount as mount_history

    mount_history(app, parse_overrides)
    from secorder.design_cli import mount as mount_designs

    mount_designs(app, parse_overrides)
    from secorder.orders_cli import mount as mount_orders

    mount_orders(app, parse_overrides)


_mount_explore_commands()


def main() -> None:
    """Entry point: run the app, turning input errors into exit status 2 without a traceback."""
    import signal

    def _terminate(signum, frame):  # SIGTERM cleans up like Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as err:
        message = user_error_message(err)
        if message is None:
            raise
        _report_error(message)
        sys.exit(2)


if __name__ == "__main__":
    main()
