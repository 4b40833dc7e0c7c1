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


def year_sentences(prev: World, world: World, params: Params, skip: Sequence[int] = ()) -> list[str]:
    """What happened in the year that led from ``prev`` to ``world`` (one-run worlds).

    Institutions at the indices ``skip`` are not told (a staged design's slots: the design tells them).
    """
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
        if k in skip:
            continue
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
    design: str | Path | dict | None = None,
) -> Story:
    """The year-by-year history of run ``run`` (the same run as in a batch with this seed).

    ``overrides_field`` names ``params`` in error messages (the command line passes ``--set``).
    With a staged ``design`` (:mod:`secorder.designs`), the run is that of ``secorder design
    run`` and the story tells each stage reached, failed, undone or abandoned.
    """
    if isinstance(run, bool) or not isinstance(run, int | np.integer) or run < 0:
        raise InputError([("run", f"must be a whole number >= 0, got {run!r}")])
    plan = hook = None
    if design is not None:
        from secorder.designs import load_design, plan_design
        from secorder.designs.runner import Controller
        from secorder.scenario import load_scenario

        d = load_design(design)
        plan = plan_design(d, load_scenario(scenario), str(design) if isinstance(design, str | Path) else d.name)
        scenario = plan.scenario
    spec = RunSpec.build(scenario, years=years, runs=int(run) + 1, seed=seed, params=params,
                         params_file=params_file, architecture=architecture, levers=levers,
                         overrides_field=overrides_field)
    sc, p = spec.overlay.scenario, spec.params
    if plan is not None:
        ids = [i.id for i in sc.institutions]
        if [ids[k] if k < len(ids) else None for k in plan.slots] != [f"{plan.institution_id}-s{n + 1}"
                                                                    for n in range(len(plan.slots))]:
            raise InputError([("architecture", f"{spec.architecture_name} removes or reorders the scenario's "
                               f"institutions, which the design {plan.design.name} builds on; tell a design's "
                               "story under an architecture that only adds institutions (such as status-quo)")])
        hook = Controller(plan, 1, spec.years, p, log=True)
    prev = initial_world(sc, p, 1)
    shown = [i for k, i in enumerate(prev.static.inst_ids) if not prev.static.inst_planned[k]]
    opening = f"{sc.year}: the order is {_order(prev, p)}; {len(sc.states)} states, " + (
        f"institutions {', '.join(shown)}" if shown else "no institutions")
    told = []
    for t, world in enumerate(run_years(sc, p, spec.years, root_sequence(spec.seed), np.array([run]),
                                        schedule=spec.overlay.schedule, start=prev,
                                        before_year=hook.before_year if hook is not None else None)):
        parts = year_sentences(prev, world, p, plan.slots if plan is not None else ())
        if hook is not None:
            parts = [*_design_sentences(hook, sc.year + t, world), *parts]
        if parts:
            told.append((sc.year + t, tuple(parts)))
        prev = world
    if not told:
        told.append((sc.year + spec.years - 1, ("nothing happened in this run",)))
    return Story(sc.name, spec.architecture_name, int(run), spec.seed, sc.year, opening, tuple(told))


def _design_sentences(hook, year: int, world: World) -> list[str]:
    """The design's changes at the start of ``year`` (from the stage machine's log), and its institution's end."""
    plan, out = hook.plan, []
    name, iid = plan.design.name, plan.institution_id
    codes = world.static.codes
    for when, _, old, new, failed, ended, retry in hook.log:
        if when != year:
            continue
        if new == old + 1:
            sp = plan.stages[new - 1]
            text = f"{name} reached stage {new}, {sp.label} ({plan.design.stages[new - 1].trigger.describe()})"
            if sp.kind == "create":
                text += f": {iid} created ({', '.join(_names(codes, world.members[0, sp.slot]))})"
            out.append(text)
        elif failed:
            st = plan.design.stages[old - 1]
            why = st.fails_if.describe() if st.fails_if is not None else ""
            if new == 0 and ended and st.on_failure.action == "abandon":
                rest = f"{iid} dissolved and the design abandoned"
            elif ended:
                rest = f"undone; the design stops at stage {new}" if new else f"undone; {iid} dissolved, no more attempts"
            else:
                rest = f"undone, to be tried again from {retry}"
            out.append(f"{name} stage {old} ({plan.stages[old - 1].label}) failed ({why}): {rest}")
    return out


__all__ = ["Story", "story", "year_sentences"]
