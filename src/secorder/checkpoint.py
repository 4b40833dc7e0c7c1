"""Checkpoints of long runs: finished chunks kept on disk, so an interrupted run can be resumed.

A run is simulated in chunks of runs (:mod:`secorder.engine`). With a checkpoint, every
``every`` finished chunks are written to a checkpoint folder (one ``.npz`` file per chunk,
each written under a temporary name and renamed when complete), and the chunks not yet
written are flushed when the run is interrupted (Ctrl-C, SIGTERM). A killed run (SIGKILL,
power cut) loses at most the chunks since the last write.

Resuming (``resume=True``) checks that the checkpoint belongs to the same run: a hash of the
run specification (:class:`~secorder.spec.RunSpec`: scenario, architecture, levers,
parameters, years, runs, seed, record mode) and of the secorder version. The chunk size and
the number of workers are not part of it (they change no result). The finished chunks are
fed to the results in run order and only the remaining runs are simulated, so the results
are identical, to the last bit, to those of an uninterrupted run.

For ``secorder run --out DIR`` the checkpoint folder is ``.DIR.secorder-checkpoint`` beside
the output (never inside the results folder); it is removed once the new results folder is
in place (:class:`secorder._atomic.OutputFolder`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from secorder.errors import InputError
from secorder.recording import ChunkOutput

if TYPE_CHECKING:
    from secorder.spec import RunSpec

CHECKPOINT_EVERY = 4  # chunks between writes (default chunk: 500 runs)
META = "checkpoint.json"
_CHUNK = re.compile(r"^runs-(\d{12})-(\d{12})\.npz$")
_PARTS = ("system", "institutions", "states", "events")
# Settings that change no result: a run may be resumed with other values.
_NOT_HASHED = ("chunk_size", "workers")


class CheckpointDiscarded(UserWarning):
    """A checkpoint of an earlier, interrupted run was discarded (the run was not resumed)."""


def spec_hash(spec: RunSpec) -> str:
    """SHA-256 of what decides a run's results: its spec (less chunking and workers) and the version."""
    from secorder._version import __version__

    data = {k: v for k, v in spec.to_dict().items() if k not in _NOT_HASHED}
    data["secorder_version"] = __version__
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def describe(meta: dict[str, Any]) -> str:
    """A checkpoint's run in words, e.g. 'mini / status-quo: 600 of 1,000 runs x 30 years, seed 0'."""
    return (f"{meta.get('scenario')} / {meta.get('architecture')}: {meta.get('done', 0):,} of "
            f"{meta.get('runs', 0):,} runs x {meta.get('years')} years, seed {meta.get('seed')}")


class Checkpoint:
    """A checkpoint folder for one run; see the module docstring.

    ``folder`` is created if needed. ``resume``: pick up the finished chunks found there (the
    folder must hold a checkpoint of the same run); otherwise whatever is there is discarded.
    ``keep``: leave the folder after a successful run (the caller removes it once the results
    are safe, as :class:`~secorder._atomic.OutputFolder` does); otherwise it is removed when
    the run finishes. ``field`` and ``folder_field`` name the resume option and the folder in
    error messages; ``shown`` is how the output is named to the user.
    """

    def __init__(self, folder: str | os.PathLike[str], spec: RunSpec, every: int = CHECKPOINT_EVERY,
                 resume: bool = False, keep: bool = False, field: str = "resume", folder_field: str = "checkpoint",
                 shown: str | None = None):
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise InputError([("checkpoint_every", f"must be a whole number >= 1, got {every!r}")])
        self.folder = Path(folder)
        self.spec = spec
        self.every = every
        self.resume = resume
        self.keep = keep
        self.field = field
        self.folder_field = folder_field
        self.shown = shown or str(self.folder)
        self.hash = spec_hash(spec)
        self.done = 0  # runs finished and written
        self._pending: list[ChunkOutput] = []
        self._finished: list[tuple[int, int, Path]] = []

    # ------------------------------------------------------------------------------ opening
    def open(self) -> int:
        """Check or start the checkpoint; return the number of runs already finished (0 unless resuming)."""
        meta = self._read_meta()
        if self.resume:
            if meta is None:
                raise InputError([(self.field, f"there is no interrupted run to resume for {self.shown} (no "
                                               "checkpoint); run without --resume")])
            if meta.get("spec_hash") != self.hash:
                raise InputError([(self.field, f"the checkpoint for {self.shown} is of a different run "
                                               f"({describe(meta)}); repeat the interrupted run's options exactly, "
                                               "or run without --resume to start again")])
            self._finished = self._finished_prefix()
            self.done = self._finished[-1][1] if self._finished else 0
            return self.done
        if meta is not None or self.folder.exists():
            if meta is not None and meta.get("done"):
                warnings.warn(f"{self.folder_field}: discarded the checkpoint of an interrupted run ({describe(meta)}); "
                              "pass --resume to finish such a run instead of starting again",
                              CheckpointDiscarded, stacklevel=3)
            self._remove_folder()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise InputError([(self.folder_field, f"cannot create the checkpoint {self.folder}: "
                                           f"{err.strerror or err}")]) from None
        self._write_meta()
        return 0

    def finished_chunks(self) -> Iterator[ChunkOutput]:
        """The chunks finished before the interruption, in run order (read one at a time)."""
        for _, _, path in self._finished:
            try:
                yield read_chunk(path)
            except (OSError, ValueError, KeyError, zipfile.BadZipFile) as err:
                raise InputError([(self.field, f"the checkpoint file {path.name} for {self.shown} is damaged "
                                               f"({err}); run without --resume to start again")]) from None

    # ------------------------------------------------------------------------------ writing
    def add(self, out: ChunkOutput) -> None:
        """Note a finished chunk (in run order); write the pending ones every ``every`` chunks."""
        self._pending.append(out)
        if len(self._pending) >= self.every:
            self.flush()

    def flush(self) -> None:
        """Write the chunks finished since the last write."""
        try:
            for out in self._pending:
                start, stop = int(out.runs[0]), int(out.runs[-1]) + 1
                write_chunk(self.folder / f"runs-{start:012d}-{stop:012d}.npz", out)
                self.done = stop
            self._pending.clear()
            self._write_meta()
        except OSError as err:
            raise InputError([(self.folder_field, f"cannot write the checkpoint {self.folder}: "
                                           f"{err.strerror or err}")]) from None

    def finish(self) -> None:
        """The run is complete: drop the checkpoint unless the caller keeps it until its results are safe."""
        self._pending.clear()
        if not self.keep:
            self._remove_folder()

    # ------------------------------------------------------------------------------ internals
    def _read_meta(self) -> dict[str, Any] | None:
        try:
            meta = json.loads((self.folder / META).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        return meta if isinstance(meta, dict) and meta.get("kind") == "checkpoint" else None

    def _write_meta(self) -> None:
        spec = self.spec
        meta = {"package": "secorder", "kind": "checkpoint", "spec_hash": self.hash,
                "scenario": spec.scenario.name, "architecture": spec.architecture_name, "runs": spec.runs,
                "years": spec.years, "seed": spec.seed, "done": self.done}
        _write_atomic(self.folder / META, lambda p: p.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8"))

    def _finished_prefix(self) -> list[tuple[int, int, Path]]:
        """Chunk files covering runs 0, 1, ... without a gap (anything after a gap is ignored)."""
        found = []
        for p in self.folder.iterdir():
            m = _CHUNK.match(p.name)
            if m:
                found.append((int(m.group(1)), int(m.group(2)), p))
        found.sort()
        prefix, upto = [], 0
        for start, stop, p in found:
            if start != upto or stop > self.spec.runs:
                break
            prefix.append((start, stop, p))
            upto = stop
        return prefix

    def _remove_folder(self) -> None:
        _remove_tree(self.folder, self.folder_field)


class CheckpointSet:
    """Checkpoints of several runs under one folder, one sub-folder per run.

    The runs are e.g. the architectures of a comparison (``00-status-quo``, ``01-concert``, ...).
    ``resume``: the folder must hold the checkpoint of at least one of the runs; each run with
    a checkpoint continues from it (which must be of the same run), the others start. Without
    ``resume`` anything in the folder is discarded. The arguments are those of
    :class:`Checkpoint`; :meth:`open` checks every run's checkpoint before any is simulated.
    """

    def __init__(self, folder: str | os.PathLike[str], specs: list[RunSpec], every: int = CHECKPOINT_EVERY,
                 resume: bool = False, keep: bool = False, field: str = "resume", folder_field: str = "checkpoint",
                 shown: str | None = None):
        self.folder = Path(folder)
        self.resume, self.keep, self.field, self.folder_field = resume, keep, field, folder_field
        self.shown = shown or str(self.folder)
        self.checkpoints = [
            Checkpoint(self.folder / f"{k:02d}-{re.sub(r'[^A-Za-z0-9_.-]', '_', spec.architecture_name)}", spec,
                       every=every, keep=True, field=field, folder_field=folder_field, shown=self.shown)
            for k, spec in enumerate(specs)
        ]

    def open(self) -> list[Checkpoint]:
        """Check (resume) or clear the folder; the runs' checkpoints, in order, ready for the engine."""
        found = [ck for ck in self.checkpoints if ck._read_meta() is not None]
        if self.resume:
            if not found:
                raise InputError([(self.field, f"there is no interrupted run to resume for {self.shown} (no "
                                               "checkpoint); run without --resume")])
            for ck in found:
                ck.resume = True
                ck.open()  # refuses a checkpoint of another run, before anything is simulated
        else:
            if found:
                done = ", ".join(describe(meta) for meta in (ck._read_meta() for ck in found) if meta)
                warnings.warn(f"{self.folder_field}: discarded the checkpoint of an interrupted run ({done}); "
                              "pass --resume to finish such a run instead of starting again",
                              CheckpointDiscarded, stacklevel=3)
            _remove_tree(self.folder, self.folder_field)
        return self.checkpoints

    def finish(self) -> None:
        """All runs are complete: drop the folder unless the caller keeps it until its results are safe."""
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)


def _remove_tree(folder: Path, field: str) -> None:
    try:
        shutil.rmtree(folder)
    except FileNotFoundError:
        pass
    except OSError as err:
        raise InputError([(field, f"cannot remove the old checkpoint {folder}: {err.strerror or err}")]) from None


def write_chunk(path: Path, out: ChunkOutput) -> None:
    """Write one chunk's recorded output as an ``.npz`` file (atomically)."""
    arrays: dict[str, np.ndarray] = {"runs": np.asarray(out.runs)}
    for part in _PARTS:
        values = getattr(out, part)
        arrays[f"has.{part}"] = np.array(values is not None)
        for k, v in (values or {}).items():
            arrays[f"{part}.{k}"] = np.asarray(v)

    def save(tmp: Path) -> None:
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)

    _write_atomic(path, save)


def read_chunk(path: Path) -> ChunkOutput:
    """Read a chunk written by :func:`write_chunk`."""
    with np.load(path, allow_pickle=False) as z:
        data = {k: z[k] for k in z.files}
    parts: dict[str, dict[str, np.ndarray] | None] = {}
    for part in _PARTS:
        if bool(data[f"has.{part}"]):
            prefix = f"{part}."
            parts[part] = {k[len(prefix):]: v for k, v in data.items() if k.startswith(prefix)}
        else:
            parts[part] = None
    return ChunkOutput(data["runs"], parts["system"], parts["institutions"], parts["states"], parts["events"])


def _write_atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


__all__ = ["CHECKPOINT_EVERY", "Checkpoint", "CheckpointDiscarded", "CheckpointSet", "read_chunk", "spec_hash", "write_chunk"]
