"""Run the ``secorder`` command in-process, as a user would from a shell.

:func:`invoke` calls the real entry point (:func:`secorder.cli.main`) with an argument list
under :class:`click.testing.CliRunner`, so stdout, stderr and the exit status are exactly those
of ``python -m secorder ...`` (user errors included: one line on stderr, status 2), without the
second or two a new interpreter costs. ``tests/test_cli.py`` keeps one subprocess smoke test of
the real command.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from secorder import cli


class _EntryPoint:
    """:func:`secorder.cli.main` in the shape :meth:`CliRunner.invoke` expects of a command."""

    name = "secorder"

    def main(self, args: Sequence[str] = (), prog_name: str = "secorder", **extra: object) -> None:
        saved = sys.argv
        sys.argv = [prog_name, *args]
        try:
            cli.main()
        finally:
            sys.argv = saved


def invoke(*args: str, input: str | None = None) -> Result:  # noqa: A002 - click's name
    """Run ``secorder ARGS...`` in-process; ``.exit_code``, ``.stdout`` and ``.stderr`` as from a shell."""
    runner = CliRunner()
    return runner.invoke(_EntryPoint(), [str(a) for a in args], input=input, catch_exceptions=False)  # type: ignore[arg-type]


@dataclass
class Completed:
    """The outcome of one in-process command, shaped like :class:`subprocess.CompletedProcess`."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def secorder(*args: str | Path, cwd: Path | None = None) -> Completed:
    """``secorder ARGS...`` in-process (in ``cwd`` if given), as ``subprocess.run`` would report it."""
    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
        result = invoke(*(str(a) for a in args))
    return Completed(["secorder", *map(str, args)], result.exit_code, result.stdout, result.stderr)
