"""One progress bar for long work: a rich bar on stderr with an ETA, a caller's callback, or nothing.

Used by the engine (run-years) and by sweeps (cells); rich is imported only when a bar is shown,
so importing this module costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Callable


class ProgressBar:
    """Context manager giving ``advance(k)``: a bar counting ``unit``, a callback, or a no-op.

    ``enabled`` is ``True`` (show a bar on stderr), ``False`` (nothing) or a callable, which
    receives every ``k`` itself instead of a bar.
    """

    def __init__(self, enabled: bool | Callable[[int], None], total: int, label: str, unit: str):
        self.enabled, self.total, self.label, self.unit = enabled, total, label, unit
        self._bar = None

    def __enter__(self) -> Callable[[int], None]:
        if callable(self.enabled):
            return self.enabled
        if not self.enabled or self.total <= 0:
            return lambda k: None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn(self.unit),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=Console(stderr=True),
        )
        self._bar.__enter__()
        task = self._bar.add_task(self.label, total=self.total)
        return lambda k: self._bar.advance(task, k)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
