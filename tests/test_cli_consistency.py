"""The command line behaves the same everywhere: option names, short flags, help, progress, reprs."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from secorder.cli import app

SMALL = str(Path(__file__).resolve().parent / "small_scenario.yaml")


def _is_option(p) -> bool:
    return getattr(p, "param_type_name", "") == "option"


def _commands(group, prefix: str = ""):
    ctx = type(typer.main.get_command(app).make_context("secorder", [], resilient_parsing=True))(group)
    for name in group.list_commands(ctx):
        cmd = group.resolve_command(ctx, [name])[1]  # loads lazily mounted commands
        if hasattr(cmd, "list_commands"):  # a group (typer ships its own click classes)
            yield from _commands(cmd, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", cmd


COMMANDS = dict(_commands(typer.main.get_command(app)))


def test_every_option_has_help():
    missing = [f"{name} {p.opts[0]}" for name, cmd in COMMANDS.items() for p in cmd.params
               if _is_option(p) and not p.hidden and not (p.help or "").strip()]
    assert not missing, missing


def test_short_flags_mean_one_thing():
    meaning: dict[str, set[str]] = {}
    for cmd in COMMANDS.values():
        for p in cmd.params:
            if _is_option(p):
                long = next((o for o in p.opts if o.startswith("--")), None)
                for short in (o for o in p.opts if not o.startswith("--")):
                    meaning.setdefault(short, set()).add(long.removesuffix("s") if long == "--architectures" else long)
    clashes = {k: v for k, v in meaning.items() if len(v) > 1}
    assert not clashes, clashes
    assert meaning["-a"] == {"--architecture"} and meaning["-y"] == {"--years"}


def test_workers_wherever_runs_happen():
    for name in ("run", "compare", "experiment run", "sweep"):
        assert any("--workers" in p.opts for p in COMMANDS[name].params), name


def test_years_is_a_count_wherever_it_is_visible():
    for name, cmd in COMMANDS.items():
        for p in cmd.params:
            if _is_option(p) and "--years" in p.opts and not p.hidden:
                assert p.type_descriptor.annotation is int, name


def test_compare_takes_repeated_or_comma_separated_architectures(tmp_path):
    r = CliRunner().invoke(app, ["compare", SMALL, "-a", "status-quo", "-a", "concert,cooperative-forum",
                                 "-r", "4", "-y", "3", "--no-plots", "-q", "--workers", "1", "-o", str(tmp_path / "c")])
    assert r.exit_code == 0, r.output
    import json

    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["architectures"] == ["status-quo", "concert", "cooperative-forum"]


def test_run_with_levers_names_them(tmp_path):
    levers = tmp_path / "levers.yaml"
    levers.write_text("- lever: missile_defense\n  states: [JPN]\n  coverage: 0.5\n")
    r = CliRunner().invoke(app, ["run", SMALL, "-r", "4", "-y", "3", "--levers", str(levers), "--no-plots",
                                 "-o", str(tmp_path / "r")], terminal_width=200)
    assert r.exit_code == 0, r.output
    assert "levers: missile_defense JPN" in r.output


def test_progress_goes_to_stderr_and_names_the_architecture(capfd):
    import secorder

    secorder.simulate(SMALL, runs=3, years=2, progress=True, architecture="concert", workers=1)
    out, err = capfd.readouterr()
    assert out == "" and "mini / concert" in err


def test_experiment_progress_lines_without_a_terminal(capfd, monkeypatch):
    from secorder import cli

    with cli.StageProgress("experiment", ["a", "b"]) as stage:
        for name in ("a", "b"):
            stage.start(name)
            stage.done()
    out, err = capfd.readouterr()
    assert "experiment 1/2: a" in err and "ETA" in err and out == ""


def test_data_build_from_to_and_deprecated_years():
    from secorder.data.cli import _year_range
    from secorder.errors import InputError

    assert _year_range(1990, 2000, None) == (1990, 2000)
    assert _year_range(None, None, "1946-2014") == "1946-2014"
    with pytest.raises(InputError, match="not both"):
        _year_range(1990, None, "1946-2014")


def test_short_reprs():
    import secorder
    from secorder.experiments.compare import compare

    sc = secorder.load_scenario("asia-pacific-2000")
    assert repr(sc) == "Scenario(name='asia-pacific-2000', year=2000, states=21, dyads=97, institutions=12)"
    cmp = compare(SMALL, ["status-quo", "concert"], runs=2, years=2, workers=1)
    assert len(repr(cmp)) < 200 and "baseline='status-quo'" in repr(cmp)
