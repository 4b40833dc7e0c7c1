"""A simulated history: one run told year by year from its crises and changes of state.

Run ``r`` owns its random streams (:mod:`secorder.engine`), so it is replayed alone, with the
same numbers as in any batch, and every year's world is compared with the year before. What
is told, in this order within a year:

- the order when it changes (:func:`secorder.orders.classify`);
- each crisis: who challenged whom, how it ended and which institution ended it, the allies
  that joined or stayed out, battle deaths, and how trust between the two moved (the crisis
  sentences of :mod:`secorder.report.history`, shared with the dashboard's history);
- institutions that formed or dissolved, states that joined or left them, and security
  communities detected or lost;
- commitments formed or dropped by alignment, arms races that began;
- coups and armed challenges, and regimes crossing into democracy or autocracy;
- large moves of the region's mean trust.

>>> s = story("northeast-asia-2003", run=0, years=3, seed=1)
>>> s.lines()[0]
'northeast-asia-2003 (status-quo), run 0 of seed 1, from 2003'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from secorder import statesets
from secorder.architectures import Architecture, Lever
from secorder.engine import run_years
from secorder.errors import InputError
from secorder.mechanisms import initial_world
from secorder.orders import ORDER_KINDS, classify
from secorder.params import Params
from secorder.report.history import crisis_sentence
from secorder.rng import root_sequence
from secorder.scenario import Scenario
from secorder.spec import RunSpec
from secorder.world import OUTCOMES, World

PAIR_TRUST_MOVE = 0.05  # a crisis pair's trust change worth telling
MEAN_TRUST_MOVE = 0.02  # a yearly change of the region's mean trust worth telling
DEMOCRACY, AUTOCRACY = 6.0, -6.0  # Polity2 cut-offs (Marshall & Jaggers)


@dataclass(frozen=True)
class Story:
    """A run told year by year: ``years`` holds (year, sentences) for the years with news."""

    scenario: str
    architecture: str
    run: int
    seed: int
    start_year: int
    opening: str
    years: tuple[tuple[int, tuple[str, ...]], ...]

    def lines(self) -> list[str]:
        """A title line, the opening, then one line per year with news."""
        title = f"{self.scenario} ({self.architecture}), run {self.run} of seed {self.seed}, from {self.start_year}"
        return [title, self.opening, *(f"{year}: " + "; ".join(parts) for year, parts in self.years)]

    def text(self) -> str:
        """The story as plain text, one line per year."""
        return "\n".join(self.lines()) + "\n"

    def to_frame(self):
        """One row per sentence: ``year``, ``sentence``."""
        import pandas as pd

        return pd.DataFrame([{"year": y, "sentence": s} for y, parts in self.years for s in parts],
                            columns=["year", "sentence"])


def _names(codes: Sequence[str], flags: np.ndarray) -> list[str]:
    return [codes[k] for k in np.flatnonzero(flags)]


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _order(world: World, params: Params) -> str:
    return ORDER_KINDS[int(classify(world, params)[0][0])].replace("_", " ")


def year_sentences(prev: World, world: World, params: Params) -> list[str]:
    """What happened in the year that led from ``prev`` to ``world`` (one-run worlds)."""
    st = world.static
    codes, ids = st.codes, st.inst_ids
    out: list[str] = []
    before, now = _order(prev, params), _order(world, params)
    if now != before:
        out.append(f"the order became {now} (was {before})")

    for i, j in zip(*np.nonzero(world.crisis[0]), strict=True):
        outcome = OUTCOMES[int(world.outcome[0, i, j])]
        k = int(world.handled_by[0, i, j])
        text = crisis_sentence(
            codes[i], codes[j], outcome, ids[k] if k >= 0 else "",
            _names(codes, statesets.unpack(world.joined[0, i, j], len(codes))),
            _names(codes, statesets.unpack(world.abandoned[0, i, j], len(codes))),
            float(world.deaths[0, i, j]))
        t0, t1 = prev.trust[0, i, j], world.trust[0, i, j]
        if abs(t1 - t0) >= PAIR_TRUST_MOVE:
            text += f"; their trust {'fell' if t1 < t0 else 'rose'} from {t0:.2f} to {t1:.2f}"
        out.append(text)

    was, has = prev.members[0], world.members[0]
    for k, inst in enumerate(ids):
        n0, n1 = int(was[k].sum()), int(has[k].sum())
        if n0 < 2 <= n1:
            out.append(f"{inst} formed ({', '.join(_names(codes, has[k]))})")
        elif n1 < 2 <= n0:
            out.append(f"{inst} dissolved")
        else:
            joined, left = _names(codes, has[k] & ~was[k]), _names(codes, was[k] & ~has[k])
            if joined:
                out.append(f"{_and(joined)} joined {inst}")
            if left:
                out.append(f"{_and(left)} left {inst}")
        if world.community[0, k] and not prev.community[0, k]:
            out.append(f"the members of {inst} became a security community")
        elif prev.community[0, k] and not world.community[0, k]:
            out.append(f"the members of {inst} were no longer a security community")

    new = (world.aligned[0] > 0) & (prev.aligned[0] <= 0)
    gone = (world.aligned[0] <= 0) & (prev.aligned[0] > 0)
    for i, j in zip(*np.nonzero(new), strict=True):
        out.append(f"{codes[i]} committed itself to defend {codes[j]}")
    for i, j in zip(*np.nonzero(gone), strict=True):
        out.append(f"{codes[i]} dropped its commitment to {codes[j]}")
    threshold = params.arms_race_years
    races = np.triu((world.race_years[0] == threshold) & (prev.race_years[0] < threshold), k=1)
    for i, j in zip(*np.nonzero(races), strict=True):
        out.append(f"{codes[i]} and {codes[j]} entered an arms race")

    for i in np.flatnonzero(world.challenge[0]):
        out.append(f"the government of {codes[i]} was overthrown" if world.removed[0, i]
                   else f"the government of {codes[i]} survived an armed challenge")
    r0, r1 = prev.regime[0], world.regime[0]
    for i in np.flatnonzero((r1 >= DEMOCRACY) & (r0 < DEMOCRACY)):
        out.append(f"{codes[i]} became a democracy")
    for i in np.flatnonzero((r1 <= AUTOCRACY) & (r0 > AUTOCRACY)):
        out.append(f"{codes[i]} became an autocracy")

    off = ~np.eye(len(codes), dtype=bool)
    m0, m1 = prev.trust[0][off].mean(), world.trust[0][off].mean()
    if abs(m1 - m0) >= MEAN_TRUST_MOVE:
        out.append(f"mean trust in the region {'fell' if m1 < m0 else 'rose'} to {m1:.2f}")
    return out


def story(
    scenario: Scenario | str,
    run: int = 0,
    years: int = 30,
    seed: int = 0,
    params: Params | dict[str, float] | None = None,
    architecture: str | Architecture = "status-quo",
    levers: Sequence[Lever | dict] = (),
    params_file: str | Path | None = None,
    overrides_field: str = "params",
) -> Story:
    """The year-by-year history of run ``run`` (the same run as in a batch with this seed).

    ``overrides_field`` names ``params`` in error messages (the command line passes ``--set``).
    """
    if isinstance(run, bool) or not isinstance(run, int | np.integer) or run < 0:
        raise InputError([("run", f"must be a whole number >= 0, got {run!r}")])
    spec = RunSpec.build(scenario, years=years, runs=int(run) + 1, seed=seed, params=params,
                         params_file=params_file, architecture=architecture, levers=levers,
                         overrides_field=overrides_field)
    sc, p = spec.overlay.scenario, spec.params
    prev = initial_world(sc, p, 1)
    opening = f"{sc.year}: the order is {_order(prev, p)}; {len(sc.states)} states, " + (
        f"institutions {', '.join(prev.static.inst_ids)}" if prev.static.inst_ids else "no institutions")
    told = []
    for t, world in enumerate(run_years(sc, p, spec.years, root_sequence(spec.seed), np.array([run]),
                                        schedule=spec.overlay.schedule, start=prev)):
        parts = year_sentences(prev, world, p)
        if parts:
            told.append((sc.year + t, tuple(parts)))
        prev = world
    if not told:
        told.append((sc.year + spec.years - 1, ("nothing happened in this run",)))
    return Story(sc.name, spec.architecture_name, int(run), spec.seed, sc.year, opening, tuple(told))


__all__ = ["Story", "story", "year_sentences"]
