"""`secorder --help` stays fast: the command line imports the heavy libraries only where used."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

HEAVY = ("pandas", "scipy", "polars", "matplotlib", "pyarrow", "dask", "SALib", "ema_workbench", "numba")


def modules_after(statement: str) -> set[str]:
    """Top-level modules loaded by ``statement`` in a fresh interpreter."""
    code = f"{statement}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return set(out.stdout.split())


def test_importing_the_cli_imports_no_heavy_library():
    loaded = modules_after("import secorder.cli")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_importing_secorder_is_lazy_but_complete():
    assert not modules_after("import secorder") & set(HEAVY)
    loaded = modules_after("import secorder\nsecorder.simulate, secorder.Params, secorder.__version__")
    assert {"numpy", "scipy"} <= loaded
    import secorder

    assert set(secorder.__all__) <= set(dir(secorder))
    for name in secorder.__all__:
        assert getattr(secorder, name) is not None


def test_lazy_subcommands_keep_their_help_and_run():
    from secorder.cli import DATA_HELP, FROM_DATA_HELP, app
    from secorder.data.cli import data_app, from_data_command

    assert DATA_HELP == data_app.info.help
    assert FROM_DATA_HELP == from_data_command.__doc__.strip()
    runner = CliRunner()
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0 and "data" in top.output and "sweep" in top.output
    assert "build" in runner.invoke(app, ["data", "--help"]).output
    assert "--year" in runner.invoke(app, ["scenarios", "from-data", "--help"]).output
    bad = runner.invoke(app, ["data", "build", "--out", "x.parquet", "--add", "nonsense"])
    assert bad.exit_code == 2 and "unknown step(s) nonsense" in bad.output
