"""Writing a results folder atomically: into a temporary folder beside it, moved at the end."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_folder(out: str | Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces ``out``, on any error it is removed.

    So an interrupted or failed save never leaves a half-written results folder.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        from secorder.errors import InputError

        raise InputError([(str(out), "exists and is not a folder")])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        yield tmp
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
