"""The state of the world as named arrays with a leading run axis.

Shapes: per state ``(R, N)``, per dyad ``(R, N, N)`` (row ``i`` is the actor, column ``j`` the
other: ``belief[r, i, j]`` is i's belief that j is aggressive), per membership ``(R, K, N)``,
per institution ``(R, K)``, per run ``(R,)``. Fixed facts of the scenario (geography, nuclear
status, institution rules) live in :class:`Static` without a run axis.

A :class:`World` is immutable in spirit: mechanisms return a dict of updated arrays and
:meth:`World.apply` returns the new world. Nothing in here draws random numbers.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from secorder.params import Params
from secorder.scenario.schema import INSTITUTION_TYPES, Scenario, great_circle_km

CONTIGUITY_CODES = {"none": 0, "sea": 1, "land": 2}
TARGET_CODES = {"none": 0, "outside": 1, "any_member": 2}
REGIME_RULE_CODES = {"none": 0, "defining": 1, "mutual_recognition": 2}
DECISION_CODES = {"consensus": 0, "majority": 1, "hegemon": 2}
INST_TYPE_CODES = {t: k for k, t in enumerate(INSTITUTION_TYPES)}
ALLIANCE_TYPE_CODES = (INST_TYPE_CODES["bilateral_alliance"], INST_TYPE_CODES["collective_defense"])
FORUM_TYPE_CODE = INST_TYPE_CODES["cooperative_forum"]
ECONOMIC_TYPE_CODE = INST_TYPE_CODES["economic"]
ALL_TYPE_CODES = tuple(INST_TYPE_CODES.values())
SECURITY_TYPE_CODES = tuple(c for c in ALL_TYPE_CODES if c != ECONOMIC_TYPE_CODE)  # every non-economic type

# Crisis outcome codes, in the order the layers can end a crisis.
OUTCOMES = ("none", "forum", "concert", "deterrence", "settlement", "dispute", "war")
OUTCOME = {name: code for code, name in enumerate(OUTCOMES)}
OPEN = -1  # a crisis that no layer has ended yet


@dataclass(frozen=True)
class Static:
    """Facts that do not vary across runs or (within a run) over time."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    start_year: int
    contiguity: np.ndarray  # (N,N) int8: 0 none, 1 sea, 2 land
    distance_km: np.ndarray  # (N,N) float, 0 on the diagonal
    nuclear: np.ndarray  # (N,) bool
    strike: np.ndarray  # (N,) float 0..1
    population: np.ndarray  # (N,)
    trend_growth: np.ndarray  # (N,)
    openness: np.ndarray  # (N,) extra yearly trade growth
    major_override: np.ndarray  # (N,) int8: -1 derive, 0 no, 1 yes
    offense_defense: float
    threat_base: float
    inst_ids: tuple[str, ...]
    inst_type: np.ndarray  # (K,) int8, codes of INST_TYPE_CODES
    inst_obligation: np.ndarray  # (K,N) each member's obligation to defend the others
    inst_target: np.ndarray  # (K,) int8
    inst_regime_rule: np.ndarray  # (K,) int8
    inst_decision: np.ndarray  # (K,) int8
    inst_transparency: np.ndarray  # (K,)
    inst_informality: np.ndarray  # (K,)
    inst_leader: np.ndarray  # (K,) int, -1 if none
    inst_founded: np.ndarray  # (K,) int, start year if unknown
    inst_charter: np.ndarray  # (K,N) bool: the members a scenario lists (a potential regime's prospective members)
    inst_potential: np.ndarray  # (K,) bool: may form during the run
    alignment_free: bool  # states may form and drop bilateral commitments

    @property
    def n_states(self) -> int:
        return len(self.codes)

    @property
    def n_institutions(self) -> int:
        return len(self.inst_ids)

    def index(self, code: str) -> int:
        try:
            return self.codes.index(code)
        except ValueError:
            raise KeyError(f"unknown state code {code!r}; known: {', '.join(self.codes)}") from None


@dataclass(frozen=True)
class World:
    """All state variables of R runs at one year. See the module docstring for shapes."""

    static: Static
    year: int
    # per state (R,N)
    gdp: np.ndarray
    growth: np.ndarray
    milex: np.ndarray
    milex_prev: np.ndarray
    mil_stock: np.ndarray
    arms_baseline: np.ndarray  # the Richardson "grievance" term, per unit of GDP
    start_burden: np.ndarray  # (R,N) military spending / GDP at the start (for the spending floor)
    missile_defense: np.ndarray
    missile_defense_prev: np.ndarray
    regime: np.ndarray
    regime_hazard: np.ndarray
    satisfaction: np.ndarray
    norms: np.ndarray
    reliability: np.ndarray
    threat_hit: np.ndarray  # (R,N) bool: hit by a transnational threat event this year
    # per dyad (R,N,N)
    trade: np.ndarray  # symmetric
    stakes: np.ndarray  # directed: i's stake against j
    animosity: np.ndarray  # symmetric
    trust: np.ndarray  # symmetric
    belief: np.ndarray  # directed: i's belief that j is aggressive
    belief_anchor: np.ndarray  # long-run anchor of belief
    peace_years: np.ndarray  # symmetric, years since the last militarised dispute
    fought_last: np.ndarray  # (R,N,N) int8 last year's outcome code between i and j (symmetric)
    race_years: np.ndarray  # symmetric, consecutive years of mutual fast arms growth
    # institutions
    members: np.ndarray  # (R,K,N) bool
    depth: np.ndarray  # (R,K)
    cohesion: np.ndarray  # (R,K)
    # system
    threat: np.ndarray  # (R,) transnational threat level
    # this year's crises (reset by onset each year)
    crisis: np.ndarray  # (R,N,N) bool, directed challenger i -> target j
    outcome: np.ndarray  # (R,N,N) int8, OPEN for unresolved crises, else an OUTCOME code
    fight: np.ndarray  # (R,N,N) bool, bargaining broke down into fighting
    deaths: np.ndarray  # (R,N,N) battle deaths of the crisis i->j
    joined: np.ndarray  # (R,N,N) uint64 bitmask of allies that joined the target's side
    abandoned: np.ndarray  # (R,N,N) uint64 bitmask of committed allies that stayed out
    # running tallies of this year, used by metrics
    ally_cost: np.ndarray  # (R,N) GDP lost by states fighting as allies this year
    handled_by: np.ndarray  # (R,N,N) int16 institution that ended the crisis (-1 none)
    # domestic regime security (step 2)
    hazard: np.ndarray  # (R,N) this year's effective regime-challenge hazard
    instability: np.ndarray  # (R,N) decaying memory of recent challenges
    interference: np.ndarray  # (R,N) outside interference from hostile neighbours
    challenge: np.ndarray  # (R,N) bool, a coup or armed challenge started this year
    removed: np.ndarray  # (R,N) bool, the challenge removed the government
    # socialisation (step 5), alignment (step 6), institutions (step 7)
    trust_anchor: np.ndarray  # (R,N,N) starting trust, the level trust decays back to
    community: np.ndarray  # (R,K) bool, the institution's members form a security community
    aligned: np.ndarray  # (R,N,N) commitments formed by alignment (i defends j)
    initiation: np.ndarray  # (R,N) decaying record of crises each state started (entrapment risk)
    strength: np.ndarray  # (R,K) how much of each institution's obligation binds this year
    conditions: np.ndarray  # (R,4) feasibility conditions (a)-(d) of a new regional regime

    @property
    def n_runs(self) -> int:
        return self.gdp.shape[0]

    @property
    def n_states(self) -> int:
        return self.static.n_states

    def apply(self, updates: dict[str, np.ndarray]) -> World:
        """A new world with some variables replaced; names and shapes are checked."""
        if not updates:
            return self
        own = {f.name for f in dataclasses.fields(self)}
        for name, value in updates.items():
            if name not in own or name == "static":
                raise ValueError(f"update names {name!r}, which is not a state variable of the world")
            old = getattr(self, name)
            if isinstance(old, np.ndarray) and np.shape(value) != old.shape:
                raise ValueError(f"update of {name!r} has shape {np.shape(value)}, expected {old.shape}")
        return dataclasses.replace(self, **updates)

    def take(self, runs: np.ndarray | slice) -> World:
        """The sub-world of some runs (used to check that runs are independent)."""
        return dataclasses.replace(self, **{
            f.name: getattr(self, f.name)[runs] for f in dataclasses.fields(self)
            if isinstance(getattr(self, f.name), np.ndarray)
        })

    def copy(self) -> World:
        return dataclasses.replace(
            self,
            **{f.name: getattr(self, f.name).copy() for f in dataclasses.fields(self)
               if isinstance(getattr(self, f.name), np.ndarray)},
        )


# --------------------------------------------------------------------------------------------
# Derived quantities: small pure functions, computed where needed.
#
# Institution-derived matrices are needed by several mechanisms each year but change only when
# membership, depth or cohesion change. Mechanisms never mutate arrays in place (they return
# new ones), so the identity of the input arrays is a safe cache key.
_MEMO: dict[str, tuple[tuple[object, ...], np.ndarray]] = {}


def _memo(name: str, deps: tuple[object, ...], compute) -> np.ndarray:
    hit = _MEMO.get(name)
    if hit is not None and len(hit[0]) == len(deps) and all(a is b for a, b in zip(hit[0], deps, strict=True)):
        return hit[1]
    value = compute()
    _MEMO[name] = (deps, value)
    return value


def proximity(static: Static, params: Params) -> np.ndarray:
    """(N,N) loss-of-strength factor exp(-distance / decay); 1 on the diagonal."""
    return np.exp(-static.distance_km / params.distance_decay_km)


def capability(world: World, params: Params) -> np.ndarray:
    """(R,N) capability share: weighted mix of military-stock and GDP shares (CINC-style).

    Several mechanisms and measures need it each year; it is computed once per state of the
    stock and GDP arrays.
    """
    return _memo("capability", (world.mil_stock, world.gdp, params), lambda: _capability(world, params))


def _capability(world: World, params: Params) -> np.ndarray:
    w = params.capability_military_weight
    mil = world.mil_stock / np.maximum(world.mil_stock.sum(axis=1, keepdims=True), 1e-12)
    eco = world.gdp / world.gdp.sum(axis=1, keepdims=True)
    return w * mil + (1.0 - w) * eco


def major_power(world: World, params: Params, cap: np.ndarray | None = None) -> np.ndarray:
    """(R,N) major-power flag: the scenario's setting, else a capability share above a threshold."""
    cap = capability(world, params) if cap is None else cap
    derived = cap >= params.major_power_share
    override = world.static.major_override
    return np.where(override < 0, derived, override == 1)


def commitments(world: World) -> np.ndarray:
    """(R,N,N) directed commitment of i to defend j against an outsider.

    The strongest alliance obligation linking them, each weighted by how much of the alliance
    binds this year (its strength), and any commitment formed by alignment.
    """
    return _memo(
        "commitments", (world.static, world.members, world.strength, world.aligned),
        lambda: np.maximum(_commitments(world), world.aligned),
    )


def _commitments(world: World) -> np.ndarray:
    st = world.static
    is_alliance = np.isin(st.inst_type, ALLIANCE_TYPE_CODES)
    if not is_alliance.any():
        return np.zeros_like(world.trust)
    m = world.members[:, is_alliance, :].astype(float)  # (R,Ka,N)
    ob = st.inst_obligation[is_alliance] * m * world.strength[:, is_alliance, None]  # (R,Ka,N)
    commit = np.zeros_like(world.trust)
    for q in range(ob.shape[1]):  # loop over alliances (a handful), not states or runs
        np.maximum(commit, ob[:, q, :, None] * m[:, q, None, :], out=commit)
    n = st.n_states
    commit[:, np.arange(n), np.arange(n)] = 0.0
    return commit


def allied(world: World) -> np.ndarray:
    """(R,N,N) bool: the pair share an alliance (either direction)."""
    c = commitments(world)
    return (c > 0) | (np.swapaxes(c, 1, 2) > 0)


def shared_transparency(world: World) -> np.ndarray:
    """(R,N,N) strongest transparency x depth of a cooperative forum both belong to."""
    st = world.static
    forum = st.inst_type == FORUM_TYPE_CODE
    weight = np.where(forum, st.inst_transparency, 0.0)
    return _memo(
        "shared_transparency", (world.static, world.members, world.depth),
        lambda: _max_shared(world.members, world.depth * weight[None, :], forum),
    )


def shared_membership(world: World, type_codes: tuple[int, ...]) -> np.ndarray:
    """(R,N,N) deepest shared membership among institutions of the given types (0 if none)."""
    sel = np.isin(world.static.inst_type, type_codes)
    return _memo(
        f"shared_membership{tuple(sorted(type_codes))}", (world.static, world.members, world.depth),
        lambda: _max_shared(world.members, world.depth, sel),
    )


def _max_shared(members: np.ndarray, strength: np.ndarray, selected: np.ndarray) -> np.ndarray:
    """(R,N,N) max over selected institutions of strength[k] for pairs that are both members."""
    r, _, n = members.shape
    out = np.zeros((r, n, n))
    for q in np.flatnonzero(selected & members.any(axis=(0, 2))):  # a handful of institutions
        m = members[:, q, :]
        weighted = m * strength[:, q, None]  # (R,N): strength for members, 0 otherwise
        np.maximum(out, weighted[:, :, None] * m[:, None, :], out=out)
    return out


# --------------------------------------------------------------------------------------------
# Building the world from a scenario.


def build_static(scenario: Scenario) -> Static:
    states = scenario.states
    n = len(states)
    codes = tuple(s.code for s in states)
    idx = {c: i for i, c in enumerate(codes)}
    contig = np.zeros((n, n), dtype=np.int8)
    dist = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a, b = states[i].capital, states[j].capital
            if a is not None and b is not None:
                dist[i, j] = dist[j, i] = max(great_circle_km(a, b), 10.0)
    for d in scenario.dyads:
        i, j = idx[d.states[0]], idx[d.states[1]]
        contig[i, j] = contig[j, i] = CONTIGUITY_CODES[d.contiguity]
        if d.distance_km is not None:
            dist[i, j] = dist[j, i] = d.distance_km
    insts = scenario.institutions
    k = len(insts)
    oblig = np.zeros((k, n))
    charter = np.zeros((k, n), dtype=bool)
    for q, inst in enumerate(insts):
        for c in inst.members:
            oblig[q, idx[c]] = inst.obligations.get(c, inst.obligation)
            charter[q, idx[c]] = True
    return Static(
        codes=codes,
        names=tuple(s.name for s in states),
        start_year=scenario.year,
        contiguity=contig,
        distance_km=dist,
        nuclear=np.array([s.nuclear for s in states], dtype=bool),
        strike=np.array(
            [s.strike_capability if s.strike_capability is not None else float(s.nuclear) for s in states]
        ),
        population=np.array([s.population for s in states], dtype=float),
        trend_growth=np.array([s.growth for s in states], dtype=float),
        openness=np.array([s.openness for s in states], dtype=float),
        major_override=np.array(
            [-1 if s.major_power is None else int(s.major_power) for s in states], dtype=np.int8
        ),
        offense_defense=scenario.system.offense_defense,
        threat_base=scenario.system.transnational_threat,
        inst_ids=tuple(i.id for i in insts),
        inst_type=np.array([INST_TYPE_CODES[i.type] for i in insts], dtype=np.int8),
        inst_obligation=oblig,
        inst_target=np.array([TARGET_CODES[i.target] for i in insts], dtype=np.int8),
        inst_regime_rule=np.array([REGIME_RULE_CODES[i.regime_rule] for i in insts], dtype=np.int8),
        inst_decision=np.array([DECISION_CODES[i.decision_rule] for i in insts], dtype=np.int8),
        inst_transparency=np.array([i.transparency for i in insts], dtype=float),
        inst_informality=np.array([i.informality for i in insts], dtype=float),
        inst_leader=np.array([idx[i.leader] if i.leader else -1 for i in insts], dtype=int),
        inst_founded=np.array([i.founded or scenario.year for i in insts], dtype=int),
        inst_charter=charter,
        inst_potential=np.array([i.status == "potential" for i in insts], dtype=bool),
        alignment_free=scenario.system.alignment == "free",
    )


def _dyad_matrices(scenario: Scenario) -> dict[str, np.ndarray]:
    n = len(scenario.states)
    idx = {s.code: i for i, s in enumerate(scenario.states)}
    dd = scenario.dyad_defaults
    out = {
        "trade": np.zeros((n, n)),
        "stakes": np.full((n, n), dd.stakes),
        "animosity": np.full((n, n), dd.animosity),
        "trust": np.full((n, n), dd.trust),
        "peace_years": np.full((n, n), float(dd.peace_years)),
    }
    for d in scenario.dyads:
        a, b = d.states
        i, j = idx[a], idx[b]
        out["trade"][i, j] = out["trade"][j, i] = d.trade
        if isinstance(d.stakes, dict):
            out["stakes"][i, j] = d.stakes.get(a, dd.stakes)
            out["stakes"][j, i] = d.stakes.get(b, dd.stakes)
        elif d.stakes is not None:
            out["stakes"][i, j] = out["stakes"][j, i] = d.stakes
        for name in ("animosity", "trust", "peace_years"):
            v = getattr(d, name)
            if v is not None:
                out[name][i, j] = out[name][j, i] = v
    for m in out.values():
        np.fill_diagonal(m, 0.0)
    np.fill_diagonal(out["trust"], 1.0)
    return out


def initial_belief(stakes: np.ndarray, animosity: np.ndarray, trust: np.ndarray) -> np.ndarray:
    """Starting belief that the other is aggressive: rises with animosity and the other's claims.

    A documented modelling choice: 0.1 + 0.5 * animosity + 0.3 * (other's stake against me) *
    (1 - trust), clipped to [0.02, 0.98].
    """
    b = 0.1 + 0.5 * animosity + 0.3 * np.swapaxes(stakes, -1, -2) * (1.0 - trust)
    b = np.clip(b, 0.02, 0.98)
    n = b.shape[-1]
    b[..., np.arange(n), np.arange(n)] = 0.0
    return b


def initial_world(scenario: Scenario, params: Params, runs: int) -> World:
    """The world at the scenario's start year, replicated over ``runs`` runs.

    The Richardson baseline (grievance) of each state is set so that its starting spending is
    the fixed point of the arms equation given the starting threats: the scenario's year is
    taken as an equilibrium, and spending then moves only when threats, beliefs, missile
    defence or the economy move.
    """
    from secorder.mechanisms.arms import perceived_threat  # local: arms imports world

    static = build_static(scenario)
    n, k = static.n_states, static.n_institutions
    dy = _dyad_matrices(scenario)

    def rep(a: np.ndarray, dtype=float) -> np.ndarray:
        return np.broadcast_to(np.asarray(a, dtype=dtype), (runs, *np.shape(a))).copy()

    gdp = np.array([s.gdp for s in scenario.states], dtype=float)
    milex = np.array([s.military_spending for s in scenario.states], dtype=float)
    md = np.array([s.missile_defense for s in scenario.states], dtype=float)
    belief = initial_belief(dy["stakes"], dy["animosity"], dy["trust"])
    inst_depth = np.array([i.depth for i in scenario.institutions], dtype=float).reshape(k)
    members = static.inst_charter & ~static.inst_potential[:, None]
    zeros_dyad = np.zeros((runs, n, n))
    world = World(
        static=static,
        year=scenario.year,
        gdp=rep(gdp),
        growth=rep(static.trend_growth),
        milex=rep(milex),
        milex_prev=rep(milex),
        mil_stock=rep(milex / params.military_depreciation),
        arms_baseline=np.zeros((runs, n)),
        start_burden=rep(milex / gdp),
        missile_defense=rep(md),
        missile_defense_prev=rep(md),
        regime=rep([s.regime for s in scenario.states]),
        regime_hazard=rep([s.regime_hazard for s in scenario.states]),
        satisfaction=rep([s.satisfaction for s in scenario.states]),
        norms=rep([s.norms for s in scenario.states]),
        reliability=np.full((runs, n), params.reliability_initial),
        threat_hit=np.zeros((runs, n), dtype=bool),
        trade=rep(dy["trade"]),
        stakes=rep(dy["stakes"]),
        animosity=rep(dy["animosity"]),
        trust=rep(dy["trust"]),
        belief=rep(belief),
        belief_anchor=rep(belief),
        peace_years=rep(dy["peace_years"]),
        fought_last=np.zeros((runs, n, n), dtype=np.int8),
        race_years=zeros_dyad.copy(),
        members=rep(members, bool),
        depth=rep(inst_depth),
        cohesion=np.ones((runs, k)),
        threat=np.full(runs, static.threat_base),
        crisis=np.zeros((runs, n, n), dtype=bool),
        outcome=np.zeros((runs, n, n), dtype=np.int8),
        fight=np.zeros((runs, n, n), dtype=bool),
        deaths=zeros_dyad.copy(),
        joined=np.zeros((runs, n, n), dtype=np.uint64),
        abandoned=np.zeros((runs, n, n), dtype=np.uint64),
        ally_cost=np.zeros((runs, n)),
        handled_by=np.full((runs, n, n), -1, dtype=np.int16),
        hazard=rep([s.regime_hazard for s in scenario.states]),
        instability=np.zeros((runs, n)),
        interference=np.zeros((runs, n)),
        challenge=np.zeros((runs, n), dtype=bool),
        removed=np.zeros((runs, n), dtype=bool),
        trust_anchor=rep(dy["trust"]),
        community=np.zeros((runs, k), dtype=bool),
        aligned=np.zeros((runs, n, n)),
        initiation=np.zeros((runs, n)),
        strength=np.ones((runs, k)),
        conditions=np.zeros((runs, 4)),
    )
    from secorder.mechanisms.institutions import cohesion, institution_strength

    coh = cohesion(world)
    world = world.apply({"cohesion": coh, "strength": institution_strength(world.static, world.members, coh, params)})
    # Grievance term g_i so that the starting spending is the arms equation's fixed point:
    # 0 = k * T_i - alpha * x_i + g_i  ->  g_i = alpha * x_i - k * T_i, per unit of GDP.
    threat = perceived_threat(world, params)
    g = params.arms_fatigue * world.milex - params.arms_reaction * (1.0 - params.arms_norm_damping * world.norms) * threat
    return world.apply({"arms_baseline": g / world.gdp})
