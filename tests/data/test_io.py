"""Reading, validation and error messages of the file layer."""

from __future__ import annotations

import gzip
import shutil

import polars as pl
import pytest

from secorder.data import loaders
from secorder.data._io import ENV_VAR, DataFileNotFound, atomic_write, read_header, resolve_path
from secorder.errors import DataError, InputError


def test_data_error_is_an_input_error():
    assert issubclass(DataError, InputError)
    assert issubclass(DataFileNotFound, DataError)


def test_explicit_path_missing_names_the_file(tmp_path):
    with pytest.raises(DataFileNotFound, match="NMC_nope.csv"):
        loaders.load_nmc(tmp_path / "NMC_nope.csv")


def test_no_path_no_source_dir_no_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    with pytest.raises(DataFileNotFound, match=ENV_VAR):
        loaders.load_states()


def test_source_dir_missing(tmp_path):
    with pytest.raises(DataFileNotFound, match="source directory not found"):
        loaders.load_states(source_dir=tmp_path / "absent")


def test_source_dir_without_the_file_lists_the_names_tried(tmp_path):
    with pytest.raises(DataFileNotFound, match="states2016.csv"):
        loaders.load_states(source_dir=tmp_path)


def test_standard_layout_and_producer_names_are_found(tmp_path, fixture_dir):
    flat = tmp_path / "flat"
    flat.mkdir()
    shutil.copyfile(fixture_dir / "midb_small.csv", flat / "MIDB 5.0.csv")
    assert loaders.load_mid(source_dir=flat, level="participant").height == 13
    nested = tmp_path / "nested" / "cow_mid_5.0"
    nested.mkdir(parents=True)
    shutil.copyfile(fixture_dir / "midb_small.csv", nested / "MIDB_5.0.csv")
    assert loaders.load_mid(source_dir=tmp_path / "nested", level="participant").height == 13


def test_env_var_is_the_default_source_dir(monkeypatch, mini_dir):
    monkeypatch.setenv(ENV_VAR, str(mini_dir))
    assert loaders.load_states().height == 8


def test_gzip_is_read_directly(tmp_path, fixture_dir):
    gz = tmp_path / "atop.csv.gz"
    with open(fixture_dir / "atop_ddyr_small.csv", "rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    df = loaders.load_atop(gz)
    assert df.height == 20
    assert read_header(gz)[:3] == ["ccode1", "ccode2", "year"]


def test_truncated_gzip_is_reported(tmp_path, fixture_dir):
    gz = tmp_path / "bad.csv.gz"
    payload = (fixture_dir / "atop_ddyr_small.csv").read_bytes() * 200
    data = gzip.compress(payload)
    gz.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match=r"bad.csv.gz: .*(gzip|end of file)"):
        loaders.load_atop(gz)


def test_empty_file(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_text("")
    with pytest.raises(DataError, match="empty.csv: the file is empty"):
        loaders.load_states(p)


def test_wrong_dataset_is_named(fixture_dir):
    with pytest.raises(DataError) as err:
        loaders.load_nmc(fixture_dir / "polity_small.csv")
    msg = str(err.value)
    assert "polity_small.csv" in msg
    assert "missing column(s) milex" in msg
    assert "this looks like a Polity5 file" in msg


def test_mid_participant_file_given_as_dispute_file(fixture_dir):
    with pytest.raises(DataError, match="COW MID participant-level"):
        loaders.load_mid(fixture_dir / "midb_small.csv", level="dispute")


def test_renamed_column_is_reported(tmp_path, fixture_dir):
    text = (fixture_dir / "nmc_small.csv").read_text().replace("cinc", "cinc_score", 1)
    p = tmp_path / "nmc_renamed.csv"
    p.write_text(text)
    with pytest.raises(DataError, match="nmc_renamed.csv: missing column.* cinc "):
        loaders.load_nmc(p, version="6.0")


def test_unparseable_value_names_column_and_line(tmp_path, fixture_dir):
    lines = (fixture_dir / "nmc_small.csv").read_text().splitlines()
    lines[2] = lines[2].replace("1995", "199x", 1)
    p = tmp_path / "nmc_bad.csv"
    p.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        DataError, match=r"nmc_bad.csv: column 'year', line 3: cannot read '199x' as Int64"
    ):
        loaders.load_nmc(p, version="6.0")


def test_whole_floats_in_an_integer_column_are_accepted(tmp_path, fixture_dir):
    text = (
        (fixture_dir / "states_small.csv")
        .read_text()
        .replace(",2016,12,31,2016\nRUS", ",2016.0,12,31,2016\nRUS")
    )
    p = tmp_path / "states_float.csv"
    p.write_text(text)
    df = loaders.load_states(p)
    assert df.schema["endyear"] == pl.Int64
    assert df["endyear"][0] == 2016


def test_tab_separated_file_is_rejected(tmp_path):
    p = tmp_path / "states.tsv"
    p.write_text("stateabb\tccode\tstatenme\nUSA\t2\tUnited States\n")
    with pytest.raises(DataError, match="not a comma-separated file"):
        loaders.load_states(p)


def test_byte_order_mark_is_ignored(fixture_dir):
    assert (fixture_dir / "icb2_small.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    df = loaders.load_icb(fixture_dir / "icb2_small.csv", level="actor")
    assert df.columns[0] == "crisno"
    assert df.height == 6


def test_cached_reads_are_independent_copies(fixture_dir):
    a = loaders.load_states(fixture_dir / "states_small.csv")
    a.drop_in_place("ccode")
    b = loaders.load_states(fixture_dir / "states_small.csv")
    assert "ccode" in b.columns


def test_resolve_prefers_explicit_path(tmp_path, fixture_dir):
    p = resolve_path("x", ["nope.csv"], fixture_dir / "states_small.csv", tmp_path)
    assert p.name == "states_small.csv"


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.parquet"

    def boom(tmp):
        tmp.write_text("partial")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, boom)
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_into_missing_directory(tmp_path):
    with pytest.raises(DataError, match="output directory does not exist"):
        atomic_write(tmp_path / "no" / "out.txt", lambda tmp: tmp.write_text("x"))
