"""Safe output folders: what may be replaced, atomic replacement, leftovers, locking."""

from __future__ import annotations

import errno
import json
import os
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from secorder._atomic import (
    OutputFolder,
    atomic_file,
    atomic_folder,
    check_output,
    is_results_folder,
)
from secorder.cli import app
from secorder.errors import InputError
from tests.conftest import SMALL

runner = CliRunner()


def results_folder(path: Path, marker: str = "old") -> Path:
    path.mkdir(parents=True)
    (path / "manifest.json").write_text(json.dumps({"package": "secorder", "marker": marker}))
    (path / "table.csv").write_text(marker)
    return path


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("name", [".", "..", "", "./", "sub/..", "~"])
def test_protected_folders_are_refused_even_with_force(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "mine.txt").write_text("keep")
    (tmp_path / "sub").mkdir()
    with pytest.raises(InputError) as err:
        check_output(name, force=True, field="--out")
    assert err.value.problems[0][0] == "--out"
    assert (tmp_path / "mine.txt").read_text() == "keep"


def test_root_and_ancestors_of_cwd_are_refused(tmp_path, monkeypatch):
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    for target in ("/", str(tmp_path), str(tmp_path / "a")):
        with pytest.raises(InputError, match="current folder|root folder"):
            check_output(target, force=True)


def test_foreign_folder_needs_force(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    with pytest.raises(InputError, match="not a secorder results folder.*--force"):
        with atomic_folder(out) as tmp:
            (tmp / "x").write_text("new")
    assert (out / "thesis.tex").read_text() == "years of work"
    assert listing(tmp_path) == {"mine", "mine/thesis.tex"}
    with atomic_folder(out, force=True) as tmp:
        (tmp / "x").write_text("new")
    assert listing(out) == {"x", "manifest.json"}
    assert is_results_folder(out)


def test_results_folder_and_empty_folder_are_replaced(tmp_path):
    out = results_folder(tmp_path / "res")
    with atomic_folder(out) as tmp:
        (tmp / "manifest.json").write_text(json.dumps({"package": "secorder", "marker": "new"}))
    assert json.loads((out / "manifest.json").read_text())["marker"] == "new"
    assert not (out / "table.csv").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    with atomic_folder(empty) as tmp:
        (tmp / "a").write_text("a")
    assert (empty / "a").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "res"]  # no leftovers, no lock file


@pytest.mark.parametrize("manifest", ["{not json", '{"package": "other"}', "[1, 2]", ""])
def test_manifest_that_is_not_ours_is_not_replaced(tmp_path, manifest):
    out = tmp_path / "res"
    out.mkdir()
    (out / "manifest.json").write_text(manifest)
    with pytest.raises(InputError, match="not a secorder results folder"):
        check_output(out)


def test_file_and_file_in_path_are_refused(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("keep")
    with pytest.raises(InputError, match="not a folder"):
        check_output(f, force=True)
    with pytest.raises(InputError, match="is a file, so"):
        check_output(f / "res", force=True)
    assert f.read_text() == "keep"


def test_failure_inside_leaves_old_output_and_no_leftovers(tmp_path):
    out = results_folder(tmp_path / "res")
    with pytest.raises(RuntimeError):
        with atomic_folder(out) as tmp:
            (tmp / "half.csv").write_text("half")
            raise RuntimeError("boom")
    assert (out / "table.csv").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]


def test_created_parents_are_removed_again_on_failure(tmp_path):
    with pytest.raises(RuntimeError):
        with atomic_folder(tmp_path / "a" / "b" / "res"):
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_os_error_on_output_is_an_input_error_and_keeps_old(tmp_path, monkeypatch):
    out = results_folder(tmp_path / "res")
    real_rename = os.rename

    def read_only(src, dst):
        if Path(src).name == ".res.secorder-new":
            raise OSError(errno.EROFS, "Read-only file system", str(dst))
        return real_rename(src, dst)

    monkeypatch.setattr(os, "rename", read_only)
    with pytest.raises(InputError, match="read-only file system") as err:
        with atomic_folder(out, field="--out") as tmp:
            (tmp / "new").write_text("new")
    assert err.value.problems[0][0] == "--out"
    assert (out / "table.csv").read_text() == "old"


def test_unwritable_parent_is_an_input_error(tmp_path, monkeypatch):
    def denied(self, *a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", denied)
    with pytest.raises(InputError, match="permission denied"):
        with atomic_folder(tmp_path / "x" / "res"):
            pass


def test_leftovers_of_a_killed_save_are_cleaned_or_restored(tmp_path):
    out = tmp_path / "res"
    # killed between "old aside" and "new in": the old output is restored, the half-new dropped
    results_folder(tmp_path / ".res.secorder-old", "old")
    (tmp_path / ".res.secorder-new").mkdir()
    (tmp_path / ".res.secorder-new" / "half").write_text("x")
    with OutputFolder(out):
        assert (out / "table.csv").read_text() == "old"
        assert not (tmp_path / ".res.secorder-old").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]
    # killed after "new in": the old copy is simply removed
    results_folder(tmp_path / ".res.secorder-old", "older")
    with atomic_folder(out) as tmp:
        (tmp / "fresh").write_text("1")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]
    assert (out / "fresh").exists()


def test_second_writer_fails_clearly_while_first_holds_the_lock(tmp_path):
    out = tmp_path / "res"
    errors: list[BaseException] = []
    with OutputFolder(out) as first:
        def other() -> None:
            try:
                with atomic_folder(out):
                    pass
            except BaseException as err:  # noqa: BLE001 - collected for the assertion
                errors.append(err)

        t = threading.Thread(target=other)
        t.start()
        t.join()
        (first.work / "mine").write_text("first")
        first.commit()
    assert len(errors) == 1 and isinstance(errors[0], InputError)
    assert "another secorder process" in str(errors[0])
    assert listing(out) == {"mine", "manifest.json"}


def test_results_folders_respect_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_folder(tmp_path / "res") as tmp:
            (tmp / "a").write_text("a")
    finally:
        os.umask(old)
    assert (tmp_path / "res").stat().st_mode & 0o777 == 0o755


def test_checkpoints_survive_a_failure_and_are_dropped_on_success(tmp_path):
    """The checkpoint lives beside the output (never inside it): kept when the work fails, while
    the half-written work folder goes; removed once new results are in place."""
    out = results_folder(tmp_path / "res", "old")
    with pytest.raises(KeyboardInterrupt):
        with OutputFolder(out) as target:
            assert target.checkpoints == tmp_path / ".res.secorder-checkpoint"
            target.checkpoints.mkdir()
            (target.checkpoints / "chunk-0.npz").write_bytes(b"1")
            (target.work / "half.csv").write_text("half")
            raise KeyboardInterrupt
    assert (out / "table.csv").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".res.secorder-checkpoint", "res"]
    with OutputFolder(out) as target:
        assert target.has_checkpoints()
        with atomic_folder(out) as tmp:  # re-entrant: writes into the held work folder
            assert tmp == target.work
            (tmp / "done").write_text("1")
    assert listing(out) == {"done", "manifest.json"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]


def test_atomic_file(tmp_path):
    with atomic_file(tmp_path / "sub" / "panel.parquet") as tmp:
        tmp.write_text("data")
    assert (tmp_path / "sub" / "panel.parquet").read_text() == "data"
    with pytest.raises(InputError, match="is a folder"):
        with atomic_file(tmp_path / "sub", field="--out"):
            pass
    with pytest.raises(InputError, match="already exists"):
        with atomic_file(tmp_path / "sub" / "panel.parquet", overwrite=False):
            pass
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["panel.parquet"]


def test_cli_out_dot_refuses_and_keeps_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.csv").write_text("precious")
    r = runner.invoke(app, ["run", str(SMALL), "--runs", "4", "--years", "2", "-q", "--no-plots", "--out", "."])
    assert r.exit_code == 2
    assert "--out" in r.output and "current folder" in r.output
    assert listing(tmp_path) == {"data.csv"}


def test_cli_foreign_folder_needs_force(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.md").write_text("notes")
    args = ["run", str(SMALL), "--runs", "4", "--years", "2", "-q", "--no-plots", "--out", str(out)]
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and "--force" in r.output
    assert listing(out) == {"notes.md"}
    r = runner.invoke(app, [*args, "--force"])
    assert r.exit_code == 0, r.output
    assert is_results_folder(out) and not (out / "notes.md").exists()
    r = runner.invoke(app, args)  # now a results folder: replaced without --force
    assert r.exit_code == 0, r.output
