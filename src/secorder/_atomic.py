"""Safe output: results folders and files are replaced atomically, never anything else.

Every command that writes output (``run``, ``compare``, ``experiment run``, ``data build``,
``scenarios from-data``) goes through this module. The rules:

- An existing output *folder* is replaced only if it is a secorder results folder (its
  ``manifest.json`` says ``"package": "secorder"``), if it is empty, or if ``force`` is given.
- Some folders are never replaced, even with ``force``: ``/``, the home folder, the current
  folder and any folder that contains it (so ``--out .`` and ``--out ..`` are refused).
- A replacement is atomic: everything is written into a sibling ``.NAME.secorder-new`` folder;
  at the end the old output is renamed to ``.NAME.secorder-old``, the new one is renamed in and
  the old one is removed. A save killed at any moment leaves either the old or the new output
  in place; the next writer to the same output cleans up (or restores) the leftovers.
- Writers to one output are serialised by a lock file ``.NAME.secorder-lock`` beside it
  (``fcntl.flock``); a second writer fails at once with a clear message instead of waiting.
- Folders are created with the normal permissions (the umask applies), not 0700.
- Every OS error on the output (read-only folder, a file where a folder should be, disk full,
  a name too long) becomes an :class:`~secorder.errors.InputError` naming the output.

API
---
``check_output(out, force=False, field="out") -> Path``
    Validate an output folder without touching anything; call it *before* long work so a
    bad ``--out`` fails in a second, not after an hour.
``atomic_folder(out, force=False, field="out")``
    Context manager yielding an empty work folder; on success it replaces ``out``, on error it
    is removed (``out`` untouched)::

        with atomic_folder("results/run-1", force=False, field="--out") as tmp:
            (tmp / "table.csv").write_text(...)
            (tmp / "manifest.json").write_text(json.dumps({"package": "secorder", ...}))

    A folder written without a ``manifest.json`` gets a minimal one, so it can be replaced
    later without ``--force``.
``OutputFolder(out, force=False, field="out")``
    The same, held across a long computation: ``with OutputFolder(out) as target:`` locks
    the output for the whole block; ``target.checkpoints`` is the output's checkpoint folder
    ``.NAME.secorder-checkpoint`` beside it (:mod:`secorder.checkpoint`), kept when the block
    fails or is interrupted (so a resumed run can pick it up) and removed once new output
    is in place. Inside the block, ``atomic_folder(out)`` (e.g. in ``Results.save``) writes
    into the held work folder and commits it.
``atomic_file(out, field="out", overwrite=True)``
    Context manager yielding a temporary file path beside ``out`` (for single-file outputs such
    as a Parquet panel or a scenario YAML); on success it is renamed onto ``out``. An ``out``
    that is an existing folder is refused.
``is_results_folder(path) -> bool``
    Whether ``path`` is a folder whose ``manifest.json`` marks it as secorder output.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from secorder.errors import InputError

try:  # POSIX; elsewhere writers are not serialised (documented in docs/reliability.md)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

MANIFEST = "manifest.json"
NEW_SUFFIX = ".secorder-new"
OLD_SUFFIX = ".secorder-old"
LOCK_SUFFIX = ".secorder-lock"
CHECKPOINT_SUFFIX = ".secorder-checkpoint"
MANIFEST_MAX_BYTES = 50_000_000  # a manifest larger than this is not ours

_held = threading.local()  # resolved output path -> OutputFolder held by this thread


# ------------------------------------------------------------------------------ checks
def is_results_folder(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` is a folder with a ``manifest.json`` saying ``"package": "secorder"``."""
    manifest = Path(path) / MANIFEST
    try:
        if not manifest.is_file() or manifest.stat().st_size > MANIFEST_MAX_BYTES:
            return False
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("package") == "secorder"


def _resolve(out: str | os.PathLike[str], field: str) -> Path:
    text = os.fspath(out)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if not text.strip():
        raise InputError([(field, "is empty; name an output folder")])
    if "\x00" in text:
        raise InputError([(field, "contains a NUL character")])
    try:
        path = Path(text).expanduser().absolute()
    except (OSError, RuntimeError) as err:  # e.g. no home folder for '~', cwd removed
        raise InputError([(field, f"cannot be resolved: {_reason(err)}")]) from None
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError([(field, f"{os.fsencode(text).decode('utf-8', 'backslashreplace')} is not valid UTF-8; "
                                  "use a name in UTF-8")]) from None
    return path


def _protected(path: Path) -> str | None:
    """Why ``path`` must never be replaced, or None."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        real = path
    if real == Path(real.anchor):
        return "is the root folder"
    try:
        home = Path.home().resolve()
    except (KeyError, RuntimeError, OSError):
        home = None
    if home is not None and real == home:
        return "is your home folder"
    try:
        cwd = Path.cwd().resolve()
    except OSError:
        return None
    if cwd == real:
        return "is the current folder"
    if cwd.is_relative_to(real):
        return "contains the current folder"
    return None


def check_output(out: str | os.PathLike[str], force: bool = False, field: str = "out") -> Path:
    """Validate an output folder (nothing is created); return it as an absolute path.

    Raises :class:`InputError` if ``out`` is protected (``/``, home, the current folder or one
    containing it), is a file, or is a non-empty folder that is not secorder output and
    ``force`` is false.
    """
    path = _resolve(out, field)
    why = _protected(path)
    if why:
        raise InputError([(field, f"{out} {why}; it is never replaced (name a new folder, e.g. results/run-1)")])
    try:
        if path.is_symlink() and not path.exists():
            raise InputError([(field, f"{out} is a broken symbolic link; remove it or choose another folder")])
        if path.exists() and not path.is_dir():
            raise InputError([(field, f"{out} exists and is not a folder; remove it or choose another folder")])
        blocker = next((p for p in path.parents if p.exists() or p.is_symlink()), None)
        if blocker is not None and not blocker.is_dir():
            raise InputError([(field, f"{blocker} is a file, so {out} cannot be created inside it")])
        if path.is_dir() and not force and not is_results_folder(path) and any(path.iterdir()):
            raise InputError([(field, f"{out} exists and is not a secorder results folder (no secorder "
                                      "manifest.json); choose another folder, or pass --force to replace it")])
    except OSError as err:
        raise InputError([(field, f"cannot inspect {out}: {_reason(err)}")]) from None
    return path


def _reason(err: BaseException) -> str:
    if isinstance(err, OSError):
        text = err.strerror or str(err)
        if err.errno == errno.EROFS:
            text = "read-only file system"
        return text[0].lower() + text[1:] if text else type(err).__name__
    return str(err)


def _os_error(field: str, out: Path | str, err: OSError) -> InputError:
    where = f" ({err.filename})" if getattr(err, "filename", None) and str(err.filename) != str(out) else ""
    return InputError([(field, f"cannot write {out}: {_reason(err)}{where}")])


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path)


# ------------------------------------------------------------------------------ folders
class OutputFolder:
    """An output folder held (locked) while it is being produced; see the module docstring."""

    def __init__(self, out: str | os.PathLike[str], force: bool = False, field: str = "out"):
        self.field = field
        self.shown = os.fspath(out) if not isinstance(out, bytes) else os.fsdecode(out)
        self.force = force
        self.path = check_output(out, force, field)
        name = self.path.name
        self.work = self.path.with_name(f".{name}{NEW_SUFFIX}")
        self.old = self.path.with_name(f".{name}{OLD_SUFFIX}")
        self.lock_path = self.path.with_name(f".{name}{LOCK_SUFFIX}")
        self.checkpoints = self.path.with_name(f".{name}{CHECKPOINT_SUFFIX}")
        self._lock_fd: int | None = None
        self._created: list[Path] = []
        self.committed = False

    def has_checkpoints(self) -> bool:
        try:
            return self.checkpoints.is_dir() and any(self.checkpoints.iterdir())
        except OSError:
            return False

    # -- lifecycle
    def __enter__(self) -> OutputFolder:
        key = str(self.path)
        held = _held_map()
        if key in held:
            raise InputError([(self.field, f"{self.shown} is already being written by this process")])
        try:
            missing = [p for p in [self.path.parent, *self.path.parent.parents] if not p.exists()]
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._created = missing  # innermost first, removed again if nothing is committed
            self._lock()
        except OSError as err:
            raise _os_error(self.field, self.shown, err) from None
        try:
            # check again under the lock: another writer may have changed it meanwhile
            check_output(self.path, self.force, self.field)
            self._recover()
            if self.work.exists():
                _remove(self.work)
            self.work.mkdir()
        except OSError as err:
            self._release()
            raise _os_error(self.field, self.shown, err) from None
        except BaseException:
            self._release()
            raise
        held[key] = self
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        _held_map().pop(str(self.path), None)
        try:
            if not self.committed:
                _remove(self.work)  # half-written; a checkpoint beside it is kept for a resumed run
        except OSError:
            pass  # the next writer cleans up; never mask the original error
        finally:
            self._release()

    def _release(self) -> None:
        self._unlock()
        if not self.committed:
            for p in self._created:  # parents this writer created, if still empty
                try:
                    p.rmdir()
                except OSError:
                    break

    def clear_work(self) -> None:
        """Empty the work folder."""
        for p in self.work.iterdir():
            _remove(p)

    def commit(self) -> Path:
        """Move the work folder into place (old output aside, new in, old and checkpoint removed)."""
        try:
            if not (self.work / MANIFEST).exists():
                (self.work / MANIFEST).write_text(json.dumps({"package": "secorder"}) + "\n", encoding="utf-8")
            replaced = self.path.exists() or self.path.is_symlink()
            if replaced:
                os.rename(self.path, self.old)
            try:
                os.rename(self.work, self.path)
            except OSError:
                if replaced:
                    os.rename(self.old, self.path)
                raise
            self.committed = True
            if replaced:
                _remove(self.old)
            _remove(self.checkpoints)  # the results it was kept for are in place
        except OSError as err:
            raise _os_error(self.field, self.shown, err) from None
        return self.path

    # -- internals
    def _recover(self) -> None:
        """Clean up after a writer killed mid-save (we hold the lock, so it is gone)."""
        if self.old.exists() or self.old.is_symlink():
            if self.path.exists() or self.path.is_symlink():
                _remove(self.old)  # killed after the new output was renamed in
            else:
                os.rename(self.old, self.path)  # killed between the two renames: restore

    def _lock(self) -> None:
        if fcntl is None:  # pragma: no cover
            return
        while True:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise InputError([(self.field, f"{self.shown} is being written by another secorder process "
                                               f"(lock {self.lock_path.name}); wait for it to finish or "
                                               "choose another folder")]) from None
            except BaseException:
                os.close(fd)
                raise
            # the previous holder may have removed the lock file after we opened it: retry
            try:
                same = os.fstat(fd).st_ino == os.stat(self.lock_path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self._lock_fd = fd
                return
            os.close(fd)

    def _unlock(self) -> None:
        if self._lock_fd is None:
            return
        try:
            self.lock_path.unlink(missing_ok=True)
        except OSError:
            pass
        os.close(self._lock_fd)  # closing releases the flock
        self._lock_fd = None


def _held_map() -> dict[str, OutputFolder]:
    if not hasattr(_held, "folders"):
        _held.folders = {}
    return _held.folders


@contextmanager
def atomic_folder(out: str | os.PathLike[str], force: bool = False, field: str = "out") -> Iterator[Path]:
    """Yield an empty work folder; on success it replaces ``out``; on error ``out`` is untouched.

    If this thread already holds ``out`` (an enclosing :class:`OutputFolder`), the held work
    folder is used and committed.
    """
    held = _held_map().get(str(_resolve(out, field)))
    if held is not None:
        held.clear_work()
        try:
            yield held.work
        except OSError as err:
            raise _os_error(held.field, held.shown, err) from None
        held.commit()
        return
    with OutputFolder(out, force=force, field=field) as target:
        try:
            yield target.work
        except OSError as err:
            raise _os_error(field, target.shown, err) from None
        target.commit()


# ------------------------------------------------------------------------------ files
@contextmanager
def atomic_file(out: str | os.PathLike[str], field: str = "out", overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``out``; on success it is renamed onto ``out``.

    ``out`` must not be an existing folder (nor protected); with ``overwrite=False`` an
    existing file is refused too. The parent folder is created if needed.
    """
    path = _resolve(out, field)
    shown = os.fspath(out)
    try:
        if path.is_dir():
            raise InputError([(field, f"{shown} is a folder; name a file to write")])
        if path.exists() and not overwrite:
            raise InputError([(field, f"{shown} already exists; choose another file name")])
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _os_error(field, shown, err) from None
    tmp = path.with_name(f".{path.name}{NEW_SUFFIX}-{os.getpid()}-{threading.get_ident()}")
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as err:
        raise _os_error(field, shown, err) from None
    finally:
        try:
            _remove(tmp)
        except OSError:
            pass


__all__ = ["OutputFolder", "atomic_file", "atomic_folder", "check_output", "is_results_folder"]
