"""Running what the dashboard asks for: progress, cancel, a cache keyed by the run request.

The cache lives in the server process, so every browser session shares it: the same request
(scenario, architectures, parameters, levers, runs, years, seed) is simulated once.
"""

from __future__ import annotations

import io
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from secorder.errors import InputError
from secorder.scenario import Scenario, load_scenario
from secorder.web.inputs import RunRequest, levers_from_text, scenario_from_upload

CACHE_ENTRIES = 8


class Cancelled(Exception):
    """The user cancelled a run."""


@dataclass
class Outcome:
    """A finished request: its results (one architecture) or comparison (several)."""

    request: RunRequest
    results: object  # Results or Comparison

    @property
    def comparison(self):
        """The Comparison, or None for a single architecture."""
        return self.results if self.request.is_comparison else None

    def single(self, architecture: str | None = None):
        """The Results of one architecture."""
        if self.request.is_comparison:
            return self.results.results[architecture or self.results.baseline]
        return self.results


class ResultCache:
    """A small least-recently-used cache of outcomes, safe across sessions (threads)."""

    def __init__(self, entries: int = CACHE_ENTRIES):
        self.entries = entries
        self._items: OrderedDict[str, Outcome] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Outcome | None:
        """The cached outcome of a request key (marked most recently used), or None."""
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, outcome: Outcome) -> None:
        """Cache an outcome, dropping the least recently used beyond the size limit."""
        with self._lock:
            self._items[outcome.request.key()] = outcome
            self._items.move_to_end(outcome.request.key())
            while len(self._items) > self.entries:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


CACHE = ResultCache()


def request_scenario(req: RunRequest) -> Scenario:
    """The request's scenario: a built-in by name, or the uploaded YAML, validated."""
    if req.scenario_yaml is None:
        return load_scenario(req.scenario)
    return scenario_from_upload(req.scenario_yaml.encode("utf-8"), f"{req.scenario}.yaml", limit=10**8)


def execute(req: RunRequest, on_progress: Callable[[str, float], None] | None = None,
            cache: ResultCache = CACHE) -> tuple[Outcome, bool]:
    """Run a request (or take it from the cache); returns the outcome and whether it was cached.

    ``on_progress(label, fraction)`` is called as run-years finish; raising from it (for
    instance :class:`Cancelled`) stops the run and nothing is cached.
    """
    hit = cache.get(req.key())
    if hit is not None:
        return hit, True
    from secorder.engine import simulate
    from secorder.experiments.compare import Comparison

    sc = request_scenario(req)
    levers = levers_from_text(req.levers_yaml)
    params = dict(req.overrides) or None
    total = req.runs * req.years * len(req.architectures)
    done = 0
    results = {}
    for a in req.architectures:
        def advance(k: int, arch: str = a) -> None:
            nonlocal done
            done += k
            if on_progress is not None:
                on_progress(arch, min(done / total, 1.0))

        results[a] = simulate(sc, years=req.years, runs=req.runs, seed=req.seed, params=params,
                              architecture=a, levers=levers, workers=req.workers,
                              record="full" if not req.is_comparison else "auto", progress=advance)
    if req.is_comparison:
        names = [r.architecture for r in results.values()]
        if len(set(names)) != len(names):
            raise InputError([("architectures", f"each architecture must appear once, got {names}")])
        value = Comparison(sc, next(iter(results.values())).architecture, req.runs, req.years, req.seed,
                           {r.architecture: r for r in results.values()})
    else:
        value = results[req.architectures[0]]
    outcome = Outcome(req, value)
    cache.put(outcome)
    return outcome, False


def results_zip(outcome: Outcome) -> bytes:
    """The results folder and the reproducing command with its input files, as a zip.

    The folder holds the tables, the manifest, the PNG figures and the HTML report.
    """
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        from secorder.report import save_comparison, save_results

        save = save_comparison if outcome.request.is_comparison else save_results
        folder = save(outcome.results, Path(tmp) / "results")
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted(folder.rglob("*")):
                if p.is_file():
                    zf.write(p, f"results/{p.relative_to(folder)}")
            zf.writestr("command.txt", outcome.request.command_line(out="results") + "\n")
            for name, text in outcome.request.files().items():
                zf.writestr(name, text)
    return buf.getvalue()
