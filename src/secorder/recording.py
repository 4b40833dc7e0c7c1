"""What the engine records each year, and how chunks of runs are collected.

After every yearly step :class:`Recorder` stores, per run, the system series (counts of
crises by how they ended, battle deaths, trust, the arms burden, the order's kind, ...),
the per-institution series and, with ``record="full"``, every state's series and the crisis
event log. :class:`Collector` merges the chunks; in summary mode it keeps only each run's
outcomes (from the registry in :mod:`secorder.metrics`) and yearly sums across runs, so
memory stays bounded however many runs there are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from secorder.derived import capability, handled_counts, major_power, rival_pairs
from secorder.orders import ORDER_KINDS, classify
from secorder.params import Params
from secorder.world import CONDITIONS, OUTCOME, World
from secorder.world import OUTCOMES as CRISIS_OUTCOMES

STATE_SERIES = ("gdp", "milex", "burden", "mil_stock", "regime")
ENDED_BY = tuple(f"ended_{name}" for name in CRISIS_OUTCOMES[1:])
ORDER_SHARES = tuple(f"order_{k}" for k in ORDER_KINDS)
CONDITION_SERIES = tuple(f"condition_{c}" for c in CONDITIONS)
SYSTEM_SERIES = (
    "crises", *ENDED_BY, "militarised", "fatal", "wars", "battle_deaths", "mean_trust",
    "mean_belief", "mean_norms", "arms_burden", "arms_races_new", "ally_cost", "threat", "prd_dyads",
    "prd_disputes", "disputes_ongoing", "disputes_ended", "dispute_years", "prd_after_dispute",
    "prd_onsets_after_dispute", "prd_after_peace", "prd_onsets_after_peace", "regime_challenges", "regime_removals", "order_index", "order_layered",
    *ORDER_SHARES, *CONDITION_SERIES, "regime_formed", "communities", "leader_suspicion",
    "balancing_burden", "rival_spending", "leader_ally_cost",
)
INSTITUTION_SERIES = ("cohesion", "depth", "members", "crises_handled")


def politically_relevant(world: World, params: Params) -> np.ndarray:
    """(R,N,N) bool, upper triangle: contiguous pairs and pairs with a major power."""
    major = major_power(world, params, capability(world, params))
    contig = (world.static.contiguity > 0)[None]
    prd = contig | major[:, :, None] | major[:, None, :]
    return prd & np.triu(np.ones(prd.shape[-2:], dtype=bool), k=1)[None]


def yearly_system(world: World, params: Params) -> dict[str, np.ndarray]:
    """(R,) values of every system series for the year just simulated."""
    n = world.n_states
    off = ~np.eye(n, dtype=bool)
    crisis = world.crisis
    o = world.outcome
    from secorder.kernels import masked_code_counts

    out = {"crises": crisis.sum(axis=(1, 2)).astype(float)}
    ended = masked_code_counts(np.ascontiguousarray(crisis), np.ascontiguousarray(o), len(CRISIS_OUTCOMES))  # (R,codes)
    for name, key in zip(CRISIS_OUTCOMES[1:], ENDED_BY, strict=True):
        out[key] = ended[:, OUTCOME[name]]
    militarised = crisis & (o >= OUTCOME["deterrence"])
    out["militarised"] = ended[:, OUTCOME["deterrence"]:].sum(axis=1)
    out["fatal"] = out["ended_dispute"] + out["ended_war"]
    out["wars"] = out["ended_war"]
    out["battle_deaths"] = world.deaths.sum(axis=(1, 2))
    # contiguous copies: a strided fancy-index would change the summation order with the batch size
    out["mean_trust"] = np.ascontiguousarray(world.trust[:, off]).mean(axis=1)
    out["mean_belief"] = np.ascontiguousarray(world.belief[:, off]).mean(axis=1)
    out["arms_burden"] = world.milex.sum(axis=1) / world.gdp.sum(axis=1)
    threshold = params.arms_race_years
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)[None]
    out["arms_races_new"] = ((world.race_years == threshold) & upper).sum(axis=(1, 2)).astype(float)
    out["ally_cost"] = world.ally_cost.sum(axis=1)
    out["threat"] = world.threat.astype(float)
    prd = politically_relevant(world, params)
    pair_militarised = militarised | np.swapaxes(militarised, 1, 2)
    out["prd_dyads"] = prd.sum(axis=(1, 2)).astype(float)
    out["prd_disputes"] = (pair_militarised & prd).sum(axis=(1, 2)).astype(float)
    out.update(dispute_spells(world, pair_militarised, prd, upper))
    out["mean_norms"] = world.norms.mean(axis=1)
    out["regime_challenges"] = world.challenge.sum(axis=1).astype(float)
    out["regime_removals"] = world.removed.sum(axis=1).astype(float)
    code, layered, index = classify(world, params)
    out["order_index"] = index
    out["order_layered"] = layered.astype(float)
    for c, key in enumerate(ORDER_SHARES):
        out[key] = (code == c).astype(float)
    for c, key in enumerate(CONDITION_SERIES):
        out[key] = world.conditions[:, c]
    potential = world.static.inst_potential
    out["regime_formed"] = (
        (world.members[:, potential, :].sum(axis=2) >= 2).any(axis=1).astype(float)
        if potential.any() else np.zeros(world.n_runs)
    )
    out["communities"] = world.community.sum(axis=1).astype(float)
    out.update(counter_balancing(world, params))
    return out


def dispute_spells(world: World, onset: np.ndarray, prd: np.ndarray, upper: np.ndarray) -> dict[str, np.ndarray]:
    """(R,) dispute spells this year, counted over pairs (``onset``: a new militarised dispute, symmetric).

    ``disputes_ongoing``: disputes from earlier years that go on; ``disputes_ended``: disputes
    whose last year was the previous one; ``dispute_years``: pairs with an active dispute (new or
    ongoing). Recurrence among politically relevant pairs (``prd``, upper triangle): of the pairs
    with an active dispute last year, how many have a new onset this year, and the same for pairs
    without one.
    """
    def count(mask: np.ndarray) -> np.ndarray:
        return mask.sum(axis=(1, 2)).astype(float)

    ongoing, last = world.ongoing & upper, world.disputed_last & upper
    return {
        "disputes_ongoing": count(ongoing),
        "disputes_ended": count(last & ~ongoing),
        "dispute_years": count((onset & upper) | ongoing),
        "prd_after_dispute": count(last & prd),
        "prd_onsets_after_dispute": count(last & prd & onset),
        "prd_after_peace": count(~last & prd),
        "prd_onsets_after_peace": count(~last & prd & onset),
    }


def counter_balancing(world: World, params: Params) -> dict[str, np.ndarray]:
    """(R,) how the others respond to the leading state (O7, O11).

    ``leader_suspicion``: the others' mean belief that the leader is aggressive;
    ``balancing_burden``: mean military burden of the states that quarrel with the leader;
    ``rival_spending``: their total military spending (bn USD);
    ``leader_ally_cost``: GDP the leading state lost this year fighting for its allies (bn USD).
    """
    runs = np.arange(world.n_runs)
    lead = capability(world, params).argmax(axis=1)
    others = np.ones((world.n_runs, world.n_states), dtype=bool)
    others[runs, lead] = False
    suspicion = (world.belief[runs, :, lead] * others).sum(axis=1) / max(world.n_states - 1, 1)
    rival = rival_pairs(world)[runs, :, lead] & others
    burden = world.milex / world.gdp
    n_rivals = rival.sum(axis=1)
    return {
        "leader_suspicion": suspicion,
        "balancing_burden": np.where(n_rivals > 0, (burden * rival).sum(axis=1) / np.maximum(n_rivals, 1), 0.0),
        "rival_spending": (world.milex * rival).sum(axis=1),
        "leader_ally_cost": world.ally_cost[runs, lead],
    }


def yearly_institutions(world: World) -> dict[str, np.ndarray]:
    """(R,K) per-institution series for the year just simulated."""
    return {
        "cohesion": world.cohesion.astype(float),
        "depth": world.depth.astype(float),
        "members": world.members.sum(axis=2).astype(float),
        "crises_handled": handled_counts(world),
    }


class Recorder:
    """Collects one chunk's yearly series (and optionally states and events)."""

    def __init__(self, world: World, years: int, keep_states: bool):
        r, n, k = world.n_runs, world.n_states, world.static.n_institutions
        self.start_year = world.year
        self.system = {key: np.zeros((r, years)) for key in SYSTEM_SERIES}
        self.institutions = {key: np.zeros((r, years, k), dtype=np.float32) for key in INSTITUTION_SERIES}
        self.states = (
            {k: np.zeros((r, years, n), dtype=np.float32) for k in STATE_SERIES} if keep_states else None
        )
        self._events: list[dict[str, np.ndarray]] | None = [] if keep_states else None

    def record(self, t: int, world: World, params: Params) -> None:
        """Store year ``t``'s system, institution and (if kept) state series and crisis events."""
        for k, v in yearly_system(world, params).items():
            self.system[k][:, t] = v
        for k, v in yearly_institutions(world).items():
            self.institutions[k][:, t] = v
        if self.states is not None:
            self.states["gdp"][:, t] = world.gdp
            self.states["milex"][:, t] = world.milex
            self.states["burden"][:, t] = world.milex / world.gdp
            self.states["mil_stock"][:, t] = world.mil_stock
            self.states["regime"][:, t] = world.regime
        if self._events is not None:
            # np.nonzero's indices through the flat index: same order, about ten times faster
            r, i, j = np.unravel_index(np.flatnonzero(world.crisis), world.crisis.shape)
            self._events.append({
                "run": r, "year": np.full(r.size, self.start_year + t), "challenger": i, "target": j,
                "outcome": world.outcome[r, i, j].astype(np.int8), "deaths": world.deaths[r, i, j],
                "joined": world.joined[r, i, j], "abandoned": world.abandoned[r, i, j],
                "handled_by": world.handled_by[r, i, j], "after_dispute": world.disputed_last[r, i, j],
            })

    def events_dict(self) -> dict[str, np.ndarray] | None:
        """The crisis event log as columns (``None`` when events are not kept)."""
        if self._events is None:
            return None
        if not self._events:
            return {}
        return {k: np.concatenate([e[k] for e in self._events]) for k in self._events[0]}


@dataclass
class ChunkOutput:
    """What one chunk of runs recorded: run indices, system, institution and state series, events."""

    runs: np.ndarray
    system: dict[str, np.ndarray]  # (R,T)
    institutions: dict[str, np.ndarray]  # (R,T,K)
    states: dict[str, np.ndarray] | None  # (R,T,N)
    events: dict[str, np.ndarray] | None


class Collector:
    """Merges chunk outputs; in summary mode it keeps only per-run outcomes and yearly sums."""

    def __init__(self, keep: bool, years: int, outcomes: Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]]):
        self.keep = keep
        self.years = years
        self.outcomes_of = outcomes  # (R,T) system series -> (R,) per-run outcomes
        self.runs: list[np.ndarray] = []
        self.outcomes: list[dict[str, np.ndarray]] = []
        self.system: list[dict[str, np.ndarray]] = []
        self.states: list[dict[str, np.ndarray]] = []
        self.institutions: list[dict[str, np.ndarray]] = []
        self.events: list[dict[str, np.ndarray]] = []
        self.system_sum = {k: np.zeros(years) for k in SYSTEM_SERIES}
        self.institution_sum: dict[str, np.ndarray] = {}
        self.n = 0

    def add(self, out) -> None:
        """Add one chunk's recorded output: its outcomes, running sums and (if kept) full series."""
        self.runs.append(out.runs)
        self.outcomes.append(self.outcomes_of(out.system))
        for k, v in out.system.items():
            self.system_sum[k] = fold_runs(self.system_sum[k], v)
        for k, v in out.institutions.items():
            self.institution_sum[k] = fold_runs(self.institution_sum.get(k), v)
        self.n += len(out.runs)
        if self.keep:
            self.institutions.append(out.institutions)
            self.system.append(out.system)
            self.states.append(out.states)
            if out.events:
                ev = dict(out.events)
                ev["run"] = out.runs[ev["run"]]  # chunk-local -> global run index
                self.events.append(ev)


def fold_runs(total: np.ndarray | None, values: np.ndarray) -> np.ndarray:
    """``total`` plus the rows of ``values`` (one per run), added one run at a time in run order.

    A strictly sequential sum (``np.cumsum``, unlike ``np.sum``'s pairwise blocks) over chunks
    that arrive in run order gives the same bits however the runs are split into chunks.
    """
    rows = np.asarray(values, dtype=float)
    if total is not None:
        rows = np.concatenate([np.asarray(total, dtype=float)[None], rows])
    return np.cumsum(rows, axis=0)[-1] if len(rows) else np.zeros(rows.shape[1:])


def concat_chunks(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Concatenate the chunks' arrays name by name along the run axis."""
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]} if parts else {}
