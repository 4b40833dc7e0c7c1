"""Damaged data files: every one is a DataError naming the file (and the line or column), and
through the command line exit status 2, one line, no traceback, nothing written."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from secorder.cli import app
from secorder.data import loaders
from secorder.data._io import check_rows
from secorder.data.cli import read_gdp
from secorder.data.from_data import scenario_from_data
from secorder.errors import DataError, InputError

runner = CliRunner()

NMC_HEADER = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version"
NMC_ROW = "USA,2,1995,278000000,1620,95000,2950000,263000,91000,.1400,2021"


def nmc_file(tmp_path: Path, *rows: str, name: str = "NMC-60-abridged.csv") -> Path:
    p = tmp_path / name
    p.write_text("\n".join([NMC_HEADER, *rows]) + "\n")
    return p


def load(p: Path) -> pl.DataFrame:
    return loaders.load_nmc(p, version="6.0")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((NMC_ROW, NMC_ROW + ",1"), r"line 3 has 12 fields but the header has 11 \(a ragged row\)"),
        ((NMC_ROW, "USA,2,1996,1,2", NMC_ROW), r"line 3 has 5 fields but the header has 11"),
        ((NMC_ROW, "USA,2,1996,27800"), r"line 3 \(the last\) has 4 of the header's 11 fields; "
         "the file looks truncated"),
        ((NMC_ROW, 'USA,2,1996,"27800'), r"line 3: a quoted field is never closed; the file "
         "looks truncated"),
        ((), "the file has a header but no data rows"),
        (("", ""), "the file has a header but no data rows"),
        ((NMC_ROW.replace("1620", "lots"),), r"column 'milper', line 2: cannot read 'lots' as Float64"),
        ((NMC_ROW.replace("1995", "1995.5"),), r"column 'year', line 2: cannot read '1995.5' as Int64"),
        ((NMC_ROW.replace("1620", "inf"),), r"column 'milper', line 2: inf is not a finite number"),
        ((NMC_ROW.replace("1995", "99999999999999999999"),), r"column 'year', line 2: cannot read"),
    ],
)  # fmt: skip
def test_damaged_rows_are_named(tmp_path, rows, message):
    p = nmc_file(tmp_path, *rows)
    with pytest.raises(DataError, match=f"NMC-60-abridged.csv: {message}"):
        load(p)


def test_blank_lines_are_not_rows(tmp_path):
    p = nmc_file(tmp_path, NMC_ROW, "", NMC_ROW.replace("1995", "1996"), "", "")
    df = load(p)
    assert df["year"].to_list() == [1995, 1996]
    assert df.null_count().row(0) == (0,) * df.width


def test_quoted_fields_with_commas_and_newlines_are_one_field(tmp_path):
    p = tmp_path / "states2016.csv"
    p.write_text(
        "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday\n"
        'USA,2,"United States, of\nAmerica",1816,1,1,2016,12,31\n'
        'CAN,20,"Canada ""the north""",1920,1,10,2016,12,31\n'
    )
    df = loaders.load_states(p)
    assert df["statenme"].to_list() == ["United States, of\nAmerica", 'Canada "the north"']


def test_ragged_row_inside_gzip(tmp_path):
    gz = tmp_path / "NMC-60-abridged.csv.gz"
    gz.write_bytes(gzip.compress(f"{NMC_HEADER}\n{NMC_ROW}\n{NMC_ROW},x,y\n".encode()))
    with pytest.raises(DataError, match=r"csv.gz: line 3 has 13 fields"):
        load(gz)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_gzip_corruption(tmp_path, fixture_dir, damage):
    data = gzip.compress((fixture_dir / "atop_ddyr_small.csv").read_bytes() * 300)
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data = data[:40] + bytes(b ^ 0xFF for b in data[40:80]) + data[80:]
    else:
        data = data[:2] + b"\x00" * 50
    gz = tmp_path / "atop.csv.gz"
    gz.write_bytes(data)
    with pytest.raises(DataError, match=r"atop.csv.gz: (cannot read the file|.*gzip)"):
        loaders.load_atop(gz)


def test_duplicate_column_names(tmp_path):
    p = tmp_path / "states.csv"
    p.write_text("stateabb,ccode,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday\n"
                 "USA,2,2,United States,1816,1,1,2016,12,31\n")  # fmt: skip
    with pytest.raises(DataError, match="states.csv: "):
        loaders.load_states(p)


def test_check_rows_returns_blank_positions(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(b"a,b\r\n1,2\r\n\r\n3,4")
    assert check_rows(p, 2) == [1]


def test_truncated_state_list_is_reported_as_such(tmp_path, mini_dir):
    data = tmp_path / "data"
    shutil.copytree(mini_dir, data)
    states = data / "cow_states" / "states2016.csv"
    lines = states.read_text().splitlines()
    states.write_text("\n".join(lines[:3]) + "\n")  # USA and RUS only: cut at a line boundary
    with pytest.raises(DataError, match=r"states2016.csv: no membership spell at all for JPN \(740\)"
                       r".*looks truncated or incomplete"):  # fmt: skip
        scenario_from_data(1995, ["USA", "JPN"], source_dir=data)
    states.write_text("\n".join(lines[:3]) + "\n" + lines[3][:12])  # cut inside a row
    with pytest.raises(DataError, match=r"states2016.csv: line 4 \(the last\) .*looks truncated"):
        scenario_from_data(1995, ["USA", "RUS"], source_dir=data)


def test_corrupt_state_spell_is_refused_before_expanding(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "states2016.csv").write_text(
        "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday\n"
        "USA,2,United States,1816,1,1,2016,12,31\n"
        "RUS,365,Russia,1816,1,1,900000000,12,31\n"
    )
    with pytest.raises(DataError, match=r"states2016.csv: data row 2: a membership spell "
                       r"1816-900000000 is not a span of years"):  # fmt: skip
        loaders_free_state_years(data)


def loaders_free_state_years(data: Path) -> None:
    from secorder.data import state_years

    state_years(source_dir=data)


# ---------------------------------------------------------------------------- --gdp


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,gdp\nUSA,7640\nXYZ,5\n", r"gdp.csv, line 3: unknown COW state code 'XYZ'"),
        ("code,gdp\nUSA,7640\nJPN,inf\n", r"gdp.csv: column 'gdp', line 3: inf is not a finite"),
        (
            "code,gdp\nUSA,7640\nJPN,-5\n",
            r"gdp.csv, line 3: gdp must be a positive number \(bn USD\) for JPN",
        ),
        ("code,gdp\nUSA,7640\n2,7000\n", r"gdp.csv, line 3: 2 is given again \(first on line 2\)"),
        ("code,gdp\nUSA,7640,1\n", r"gdp.csv: line 2 has 3 fields but the header has 2"),
        ("code,gdp\n", r"gdp.csv: the file has a header but no data rows"),
        ("code,gdp\nUSA,lots\n", r"gdp.csv: column 'gdp', line 2: cannot read 'lots'"),
    ],
)
def test_gdp_file_problems_are_blamed_on_gdp(tmp_path, text, message):
    p = tmp_path / "gdp.csv"
    p.write_text(text)
    with pytest.raises(InputError, match=message) as err:
        read_gdp(p)
    assert err.value.problems[0][0] == "--gdp"


def test_unknown_gdp_code_in_the_api_names_gdp(mini_dir):
    with pytest.raises(InputError) as err:
        scenario_from_data(1995, ["USA", "JPN"], source_dir=mini_dir, gdp={"ATLANTIS": 1.0})
    assert err.value.problems[0] == ("gdp", "unknown COW state code 'ATLANTIS'")


# ---------------------------------------------------------------------------- command line


def build(*args: str):
    return runner.invoke(app, ["data", "build", *args])


def test_cli_damaged_file_exit_2_nothing_written(tmp_path, mini_dir):
    data = tmp_path / "data"
    shutil.copytree(mini_dir, data)
    nmc = data / "cow_nmc" / "NMC-7.0_peacesciencer.csv"
    nmc.write_text(nmc.read_text() + "2,1999,1,2\n")
    out = tmp_path / "panel.parquet"
    result = build("--source-dir", str(data), "--years", "1995", "--add", "capabilities",
                   "--out", str(out))  # fmt: skip
    assert result.exit_code == 2
    assert "NMC-7.0_peacesciencer.csv: line" in result.output and "truncated" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [data]


def test_cli_duplicate_rows_fail_the_join_cleanly(tmp_path, mini_dir):
    data = tmp_path / "data"
    shutil.copytree(mini_dir, data)
    atop = data / "atop" / "atop5_1_ddyr_peacesciencer.csv.gz"
    text = gzip.decompress(atop.read_bytes()).decode()
    atop.write_bytes(gzip.compress((text + text.splitlines()[1] + "\n").encode()))
    out = tmp_path / "panel.parquet"
    result = build("--source-dir", str(data), "--years", "1995", "--add", "alliances",
                   "--out", str(out))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "--add alliances" in result.output and "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ("1-999999999", "spans 999,999,999 years; years must lie between 1 and 9999"),
        ("0-2000", "years must lie between 1 and 9999"),
    ],
)
def test_cli_huge_year_range_refused_up_front(tmp_path, mini_dir, years, message):
    out = tmp_path / "panel.parquet"
    result = build("--source-dir", str(mini_dir), "--years", years, "--out", str(out))
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


def test_cli_panel_size_estimate(tmp_path, mini_dir, monkeypatch):
    from secorder.data import panels

    monkeypatch.setattr(panels, "MAX_PANEL_ROWS", 100)
    result = build("--source-dir", str(mini_dir), "--years", "1990-1996", "--out",
                   str(tmp_path / "p.parquet"))  # fmt: skip
    assert result.exit_code == 2
    assert "the panel would have about 294 rows (more than 100)" in result.output
    assert panels.estimate_rows("dyad-year", (1990, 1996), source_dir=mini_dir) == 294
    assert panels.estimate_rows("dyad-year", 1995, directed=False, source_dir=mini_dir) == 21
    assert panels.estimate_rows("state-year", 1995, source_dir=mini_dir) == 7


@pytest.mark.parametrize("command", ["build", "from-data"])
def test_cli_out_naming_an_existing_folder(tmp_path, mini_dir, command):
    folder = tmp_path / "existing"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    if command == "build":
        result = build("--source-dir", str(mini_dir), "--out", str(folder))
    else:
        result = runner.invoke(app, ["scenarios", "from-data", "--year", "1995", "--states",
                                     "USA,JPN", "--source-dir", str(mini_dir), "--out", str(folder)])  # fmt: skip
    assert result.exit_code == 2
    assert "--out: " in result.output and "is an existing folder; name a file" in result.output
    assert "Traceback" not in result.output
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]


def test_cli_gdp_unknown_code_blames_gdp(tmp_path, mini_dir):
    gdp = tmp_path / "gdp.csv"
    gdp.write_text("code,gdp\nUSA,7640\nXYZ,1\n")
    out = tmp_path / "s.yaml"
    result = runner.invoke(app, ["scenarios", "from-data", "--year", "1995", "--states", "USA,JPN",
                                 "--source-dir", str(mini_dir), "--gdp", str(gdp), "--out", str(out)])  # fmt: skip
    assert result.exit_code == 2
    assert "--gdp: gdp.csv, line 3: unknown COW state code 'XYZ'" in result.output
    assert "--states" not in result.output and not out.exists()


def test_api_duplicate_rows_fail_the_join_as_data_error(tmp_path, mini_dir):
    from secorder.data import dyad_years

    data = tmp_path / "data"
    shutil.copytree(mini_dir, data)
    atop = data / "atop" / "atop5_1_ddyr_peacesciencer.csv.gz"
    text = gzip.decompress(atop.read_bytes()).decode()
    atop.write_bytes(gzip.compress((text + text.splitlines()[1] + "\n").encode()))
    panel = dyad_years(years=1995, source_dir=data).add_alliances()
    with pytest.raises(DataError, match=r"panel: the data could not be joined .*atop5_1_ddyr"):
        panel.to_polars()
