"""``secorder data build`` and ``secorder scenarios from-data``."""

from __future__ import annotations

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from secorder.data.cli import data_app, from_data_command, parse_add, read_gdp
from secorder.errors import InputError
from secorder.scenario import load_scenario
from tests.cli_invoke import secorder

runner = CliRunner()


def test_build_with_runner(tmp_path, mini_dir):
    out = tmp_path / "dy.parquet"
    result = runner.invoke(
        data_app,
        [
            "build",
            "--source-dir",
            str(mini_dir),
            "--years",
            "1990-1996",
            "--add",
            "capabilities,alliances,mids",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    df = pl.read_parquet(out)
    assert df.height == 294
    assert {"cinc1", "atop_defense", "mid_onset", "mid_peace_years3"} <= set(df.columns)


def test_build_state_years_nondirected_options(tmp_path, mini_dir):
    out = tmp_path / "sy.parquet"
    result = runner.invoke(
        data_app,
        [
            "build",
            "--source-dir",
            str(mini_dir),
            "--unit",
            "state-year",
            "--years",
            "1995",
            "--add",
            "democracy,trade",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert pl.read_parquet(out).height == 7
    out2 = tmp_path / "nd.parquet"
    result = runner.invoke(
        data_app,
        [
            "build",
            "--source-dir",
            str(mini_dir),
            "--nondirected",
            "--years",
            "1995",
            "--region",
            "northeast-asia",
            "--politically-relevant",
            "--out",
            str(out2),
        ],
    )
    assert result.exit_code == 0, result.output
    assert pl.read_parquet(out2).height == 15  # 6 states, all pairs relevant


def test_parse_add():
    assert parse_add("mids, capabilities,mids", "dyad-year") == ["mids", "capabilities"]
    with pytest.raises(InputError, match="unknown step.*weather"):
        parse_add("weather", "dyad-year")
    with pytest.raises(InputError, match="dyadic"):
        parse_add("distance", "state-year")


def test_runner_raises_input_errors(tmp_path, mini_dir):
    result = runner.invoke(
        data_app,
        [
            "build",
            "--source-dir",
            str(mini_dir),
            "--years",
            "2014-1946",
            "--out",
            str(tmp_path / "x.parquet"),
        ],
    )
    assert isinstance(result.exception, InputError)
    assert not (tmp_path / "x.parquet").exists()


def test_secorder_data_build(tmp_path, mini_dir):
    out = tmp_path / "panel.parquet"
    done = secorder(
        "data",
        "build",
        "--source-dir",
        str(mini_dir),
        "--years",
        "1994-1996",
        "--add",
        "contiguity,trade",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert pl.read_parquet(out).height == 126
    assert "COW direct contiguity" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "country-year"], "unknown unit 'country-year'"),
        (["--add", "weather"], "unknown step(s) weather"),
        (["--states", "USA,XYZ"], "unknown COW state code 'XYZ'"),
        (["--unit", "state-year", "--politically-relevant"], "applies to dyad-years"),
    ],
)
def test_build_option_errors(tmp_path, mini_dir, args, message):
    out = tmp_path / "panel.parquet"
    result = runner.invoke(
        data_app, ["build", "--source-dir", str(mini_dir), "--out", str(out), *args]
    )
    assert isinstance(result.exception, InputError)
    assert message in str(result.exception)
    assert not out.exists()


def test_secorder_data_build_bad_years(tmp_path, mini_dir):
    out = tmp_path / "panel.parquet"
    done = secorder(
        "data", "build", "--source-dir", str(mini_dir), "--out", str(out), "--years", "2014-1946"
    )
    assert done.returncode == 2
    assert "years: the first year (2014) is after the last (1946)" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_secorder_data_build_corrupt_file(tmp_path, mini_dir):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "states2016.csv").write_text("stateabb,ccode\nUSA,two\n")
    done = secorder("data", "build", "--source-dir", str(bad), "--out", str(tmp_path / "p.parquet"))
    assert done.returncode == 2
    assert "states2016.csv: missing column(s) statenme" in done.stderr


def test_secorder_scenarios_from_data(tmp_path, mini_dir):
    out = tmp_path / "scenario.yaml"
    gdp = tmp_path / "gdp.csv"
    gdp.write_text("code,gdp\nUSA,7640\nJPN,5546\n")
    done = secorder(
        "scenarios", "from-data", "--year", "1995", "--states", "USA,CHN,JPN,ROK,PRK,RUS,TAW",
        "--source-dir", str(mini_dir), "--out", str(out), "--name", "ne-asia-1995", "--gdp", str(gdp),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    sc = load_scenario(out)
    assert sc.name == "ne-asia-1995" and len(sc.states) == 7
    assert sc.state("USA").gdp == 7640


def test_secorder_scenarios_from_data_unknown_state(tmp_path, mini_dir):
    out = tmp_path / "scenario.yaml"
    done = secorder(
        "scenarios",
        "from-data",
        "--year",
        "1995",
        "--states",
        "USA,XYZ",
        "--source-dir",
        str(mini_dir),
        "--out",
        str(out),
    )
    assert done.returncode == 2
    assert "states: unknown COW state code 'XYZ'" in done.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give --states or --region"),
        (["--region", "atlantis"], "unknown region 'atlantis'"),
        (["--states", "USA,JPN", "--gdp", "missing.csv"], "file not found"),
    ],
)
def test_from_data_option_errors(tmp_path, mini_dir, args, message):
    app = typer.Typer()
    app.command()(from_data_command)
    out = tmp_path / "scenario.yaml"
    result = runner.invoke(
        app, ["--year", "1995", "--source-dir", str(mini_dir), "--out", str(out), *args]
    )
    assert isinstance(result.exception, InputError)
    assert message in str(result.exception)
    assert not out.exists()


def test_read_gdp(tmp_path):
    p = tmp_path / "gdp.csv"
    p.write_text("code,gdp\nUSA,7640\nJPN,-1\n")
    with pytest.raises(InputError, match="gdp must be a positive number"):
        read_gdp(p)
    p.write_text("state,value\nUSA,1\n")
    with pytest.raises(InputError, match="needs columns code,gdp"):
        read_gdp(p)
