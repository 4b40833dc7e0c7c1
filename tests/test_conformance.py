"""Checks every registered mechanism must pass, and the documentation of every parameter.

Each mechanism is run on a *busy* world: the small scenario with a concert, a deep forum and
free alignment, simulated with low onset draws so that crises, fights, disputes, wars and
allied calls all occur; each mechanism gets its input world and uniforms of a year in which
it changes something.
"""

from __future__ import annotations

import dataclasses
import re
from typing import get_args

import numpy as np
import pytest
import yaml

from secorder.engine import step_year
from secorder.mechanisms import REGISTRY, Mechanism, get, initial_world, state_declarations
from secorder.mechanisms.base import DrawKind
from secorder.params import Params
from secorder.scenario import Scenario, load_scenario
from secorder.world import OPEN, OUTCOME, World
from tests.conftest import SMALL

ACTIVE = [m for m in REGISTRY if m.active]
WORLD_FIELDS = {v.name for v in state_declarations()}
# The documented kinds of draw and their shapes for R runs, N states and K institutions.
DRAW_SHAPES = {"run": lambda r, n, k: (r,), "state": lambda r, n, k: (r, n),
               "dyad": lambda r, n, k: (r, n, n), "institution": lambda r, n, k: (r, k),
               "membership": lambda r, n, k: (r, k, n)}
RUNS = 4


def _ids(mechs: list[Mechanism]) -> list[str]:
    return [m.name for m in mechs]


def _busy_scenario() -> Scenario:
    """The small scenario with free alignment, a cohesive concert of the three great powers,
    a deep, transparent forum and a forum with teeth, so that every layer of the yearly step has
    work to do."""
    raw = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    raw["system"] = {"alignment": "free"}
    for d in raw["dyads"]:
        if set(d["states"]) <= {"USA", "CHN", "JPN"}:
            d["trust"] = 0.9
    for s in raw["states"]:
        if s["code"] == "CHN":
            s["satisfaction"] = 0.9
    for inst in raw["institutions"]:
        if inst["id"] == "arf":
            inst.update(transparency=0.8, depth=0.8)
    raw["institutions"].append({"id": "concert", "name": "Concert", "type": "concert",
                                "members": ["USA", "CHN", "JPN"], "depth": 0.8})
    raw["institutions"].append({"id": "teeth", "name": "Forum with teeth", "type": "cooperative_forum",
                                "members": ["USA", "CHN", "JPN"], "depth": 0.5, "obligation": 0.3,
                                "target": "any_member"})
    return load_scenario(raw)


@pytest.fixture(scope="module")
def busy() -> dict[str, tuple[World, dict[str, np.ndarray]]]:
    """For each mechanism, its input world and uniforms in the first year (after the first)
    in which it changes something; low onset, bargaining, mediation and escalation draws make
    crises, fights and wars common, and North Korea fights South Korea every year."""
    p = Params()
    w = initial_world(_busy_scenario(), p, RUNS)
    md = w.missile_defense.copy()
    md[:, [2, 5]] = 0.3  # Japan and Taiwan deploy missile defence in the first year
    w = w.apply({"missile_defense": md})
    rng = np.random.default_rng(2024)
    scale = {"onset": 0.02, "bargain": 0.3, "escalate": 0.3, "mediate": 0.3}
    acted: dict[str, tuple[World, dict[str, np.ndarray]]] = {}
    last: dict[str, tuple[World, dict[str, np.ndarray]]] = {}
    for year in range(8):
        for m in REGISTRY:
            draws = {
                name: rng.random(m.draw_shape(kind, RUNS, w.n_states, w.static.n_institutions))
                * scale.get(name, 1.0)
                for name, kind in m.draws.items()
            }
            if m.name == "escalation":
                w = _add_fight(w, 3, 4)  # North Korea fights South Korea, a US protege
            up = m(w, p, draws)
            if year >= 1:
                last[m.name] = (w, draws)
                if up and m.name not in acted:
                    acted[m.name] = (w, draws)
            w = w.apply(up)
    return {name: acted.get(name, last[name]) for name in last}


def _add_fight(world: World, i: int, j: int) -> World:
    """The world with an open fight i -> j (and no crisis j -> i) in every run."""
    crisis, outcome, fight = world.crisis.copy(), world.outcome.copy(), world.fight.copy()
    crisis[:, j, i], outcome[:, j, i], fight[:, j, i] = False, 0, False
    crisis[:, i, j], outcome[:, i, j], fight[:, i, j] = True, OPEN, True
    return world.apply({"crisis": crisis, "outcome": outcome, "fight": fight})


def _arrays(world: World) -> dict[str, np.ndarray]:
    """Every array reachable from a world (its own and its static facts)."""
    out = {name: value for name, value in world.values().items() if isinstance(value, np.ndarray)}
    out.update({f"static.{f.name}": getattr(world.static, f.name)
                for f in dataclasses.fields(world.static)
                if isinstance(getattr(world.static, f.name), np.ndarray)})
    return out


def _assert_same_updates(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


# ---------------------------------------------------------------------------------------------
# Registry and metadata


def test_registry_names_unique_and_in_design_order():
    """One slot per name, ordered as the yearly step (docs/model.md, section 2)."""
    names = [m.name for m in REGISTRY]
    assert len(names) == len(set(names))

    def key(step: str) -> tuple[int, str]:
        num, sub = re.fullmatch(r"(\d+)([a-z]?)", step).groups()
        return int(num), sub

    steps = [key(m.step) for m in REGISTRY]
    assert steps == sorted(steps)
    assert len(set(steps)) == len(steps)
    assert {n for n, _ in steps} == set(range(1, 13))


def test_the_busy_world_has_every_kind_of_crisis(busy):
    """The shared fixture exercises crises, fatal fights, allied calls and last year's fights."""
    w, draws = busy["war"]
    assert w.crisis.sum() > 3
    assert (w.outcome == OUTCOME["war"]).any() or (w.outcome == OUTCOME["dispute"]).any()
    w, draws = busy["escalation"]
    up = get("escalation")(w, Params(), draws)
    assert (up["joined"] | up["abandoned"]).any()
    assert (busy["economy"][0].fought_last > 0).any()


@pytest.mark.parametrize("mech", REGISTRY, ids=_ids(REGISTRY))
class TestMetadata:
    def test_descriptive_fields(self, mech):
        """Name, step, title and summary present; func callable; draws a dict."""
        assert re.fullmatch(r"[a-z][a-z_]*", mech.name)
        assert re.fullmatch(r"\d+[a-z]?", mech.step)
        assert mech.title.strip() and mech.summary.strip()
        assert callable(mech.func)
        assert isinstance(mech.draws, dict)

    def test_tuples_of_strings(self, mech):
        """reads, writes, claims and sources are tuples of non-empty strings."""
        for attr in ("reads", "writes", "claims", "sources"):
            value = getattr(mech, attr)
            assert isinstance(value, tuple), attr
            assert all(isinstance(s, str) and s.strip() for s in value), attr
            assert len(set(value)) == len(value), attr

    def test_reads_and_writes_name_world_variables(self, mech):
        """Every variable it claims to read or write is a field of World (``year`` included)."""
        assert set(mech.reads) <= WORLD_FIELDS
        assert set(mech.writes) <= WORLD_FIELDS

    def test_draw_kinds(self, mech):
        """Declared draws have one of the documented kinds and the documented shapes."""
        assert set(mech.draws.values()) <= set(DRAW_SHAPES)
        assert set(get_args(DrawKind)) <= set(DRAW_SHAPES)
        for name, kind in mech.draws.items():
            assert re.fullmatch(r"[a-z][a-z_]*", name)
            assert mech.draw_shape(kind, 3, 5, 2) == DRAW_SHAPES[kind](3, 5, 2)


# ---------------------------------------------------------------------------------------------
# Inactive slots


def test_the_loop_skips_inactive_slots(busy):
    """The yearly loop never runs a slot marked inactive."""

    def must_not_run(world: World, params: Params, draws: dict) -> dict:
        raise AssertionError("an inactive slot was run")

    dead = Mechanism(name="dead", step="2", title="Dead", func=must_not_run, reads=(),
                     writes=(), active=False, summary="Inactive: for this test.")
    world, _ = busy["shocks"]
    out = step_year(world, Params(), {}, [dead])
    assert out.year == world.year
    assert all(out.values()[name] is value for name, value in world.values().items())  # nothing replaced


# ---------------------------------------------------------------------------------------------
# Active mechanisms


@pytest.mark.parametrize("mech", ACTIVE, ids=_ids(ACTIVE))
class TestActiveMechanism:
    def test_acts_on_the_busy_world(self, mech, busy):
        """It changes something in some year of the busy world (so the checks here bite)."""
        world, draws = busy[mech.name]
        assert mech(world, Params(), draws)

    def test_writes_only_what_it_declares(self, mech, busy):
        """Non-empty writes; every variable it returns is one it declares."""
        assert mech.writes
        world, draws = busy[mech.name]
        up = mech(world, Params(), draws)
        assert set(up) <= set(mech.writes)

    def test_deterministic(self, mech, busy):
        """Same world and draws give identical updates, also for a copy of the world."""
        world, draws = busy[mech.name]
        p = Params()
        first = mech(world, p, draws)
        _assert_same_updates(first, mech(world, p, draws))
        copied = {k: v.copy() for k, v in draws.items()}
        _assert_same_updates(first, mech(world.copy(), p, copied))

    def test_shapes_and_dtypes(self, mech, busy):
        """Every returned array has the shape and dtype of the world's variable."""
        world, draws = busy[mech.name]
        up = mech(world, Params(), draws)
        for name, value in up.items():
            old = getattr(world, name)
            if isinstance(old, np.ndarray):
                assert isinstance(value, np.ndarray), name
                assert value.shape == old.shape, name
                assert value.dtype == old.dtype, name
            else:
                assert isinstance(value, type(old) | np.integer), name
        world.apply(up)  # accepted by the world's own checks

    def test_does_not_mutate_inputs(self, mech, busy):
        """The input world (its arrays and static facts) and the draws are unchanged."""
        world, draws = busy[mech.name]
        before = {k: v.copy() for k, v in _arrays(world).items()}
        draws_before = {k: v.copy() for k, v in draws.items()}
        year = world.year
        mech(world, Params(), draws)
        after = _arrays(world)
        assert after.keys() == before.keys()
        for k in before:
            np.testing.assert_array_equal(after[k], before[k], err_msg=k)
        for k in draws:
            np.testing.assert_array_equal(draws[k], draws_before[k], err_msg=k)
        assert world.year == year

    def test_runs_are_independent(self, mech, busy):
        """Each run's update is the same when that run is stepped alone (an empty update meaning
        that run is unchanged)."""
        world, draws = busy[mech.name]
        p = Params()
        up = mech(world, p, draws)
        for r in range(world.n_runs):
            one = world.take(np.array([r]))
            alone = mech(one, p, {k: v[r:r + 1] for k, v in draws.items()})
            assert set(alone) <= set(up)
            for name, value in up.items():
                mine = alone.get(name, getattr(one, name))
                if isinstance(value, np.ndarray):
                    np.testing.assert_array_equal(mine, value[r:r + 1], err_msg=name)
                else:
                    assert mine == value

    def test_uses_only_its_own_draws(self, mech, busy):
        """It needs no draw beyond those it declares (extra names are ignored)."""
        world, draws = busy[mech.name]
        p = Params()
        declared = {k: draws[k] for k in mech.draws}
        noisy = {**declared, "unrelated": np.zeros(world.n_runs)}
        _assert_same_updates(mech(world, p, declared), mech(world, p, noisy))


# ---------------------------------------------------------------------------------------------
# Parameters


PARAMS = Params.metadata()
MECH_NAMES = {m.name for m in REGISTRY}


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_parameter_documented(name):
    """Each coefficient has a meaning, a source, a range containing its default, and belongs to
    a registered mechanism."""
    meta = PARAMS[name]
    assert isinstance(meta["meaning"], str) and len(meta["meaning"].strip()) > 5
    assert isinstance(meta["source"], str) and meta["source"].strip()
    lo, hi = meta["range"]
    assert lo <= meta["default"] <= hi
    assert isinstance(meta["default"], int | float) and np.isfinite(meta["default"])
    assert meta["mechanism"] in MECH_NAMES


def test_parameter_table_matches_metadata():
    """The documentation table lists every parameter once with its default."""
    table = Params.table()
    assert [row["name"] for row in table] == list(PARAMS)
    assert all(row["default"] == PARAMS[row["name"]]["default"] for row in table)


# ---------------------------------------------------------------------------------------------
# Declared state


def test_the_world_is_assembled_from_the_declarations(small_scenario):
    """Every variable is declared by exactly one mechanism, and the world holds exactly those,
    each with its declared shape and dtype."""
    decl = state_declarations()
    names = [v.name for v in decl]
    assert len(names) == len(set(names))
    w = initial_world(small_scenario, Params(), 3)
    assert w.variables == tuple(names)
    n, k = w.n_states, w.static.n_institutions
    for v in decl:
        value = getattr(w, v.name)
        assert np.shape(value) == v.shape(3, n, k), v.name
        assert np.asarray(value).dtype == np.dtype(v.dtype), v.name
        assert v.doc.strip(), v.name


def test_every_declared_variable_is_read_or_written():
    """No declared variable is dead weight: some mechanism reads or writes it."""
    used = {n for m in REGISTRY for n in (*m.reads, *m.writes)}
    assert [v.name for v in state_declarations() if v.name not in used] == []


def test_a_circular_initial_value_is_reported(small_scenario):
    from secorder.world import SameAs, StateVar, assemble_world

    loop = (StateVar("a", ("runs",), float, SameAs("b"), "a"), StateVar("b", ("runs",), float, SameAs("a"), "b"))
    with pytest.raises(ValueError, match="circle"):
        assemble_world(small_scenario, Params(), 2, loop)


# ---------------------------------------------------------------------------------------------
# Reads


def _poison(value):
    """Garbage of the same shape and dtype: NaN for reals, flipped flags, out-of-place codes."""
    if not isinstance(value, np.ndarray):
        return -987_654  # the year
    if value.dtype.kind == "f":
        return np.full_like(value, np.nan)
    if value.dtype.kind == "b":
        return ~value
    if value.dtype.kind == "u":
        return np.full_like(value, np.iinfo(value.dtype).max) ^ value
    return np.full_like(value, 3) if value.dtype.itemsize == 1 else np.full_like(value, 97)


@pytest.mark.parametrize("mech", ACTIVE, ids=_ids(ACTIVE))
def test_reads_only_what_it_declares(mech, busy):
    """Every variable it does not declare as read is replaced by garbage (NaN, flipped flags,
    nonsense codes): its result must not change."""
    world, draws = busy[mech.name]
    p = Params()
    clean = mech(world, p, draws)
    poisoned = world.apply({n: _poison(v) for n, v in world.values().items() if n not in mech.reads})
    dirty = mech(poisoned, p, draws)
    assert clean.keys() == dirty.keys()
    for name in clean:
        np.testing.assert_array_equal(dirty[name], clean[name], err_msg=f"{mech.name} -> {name}")


def test_the_poison_bites(busy):
    """The check above can fail: poisoning a variable a mechanism reads changes its result."""
    world, draws = busy["arms"]
    up = get("arms")(world.apply({"belief": _poison(world.belief)}), Params(), draws)
    assert np.isnan(up["milex"]).any()
    world, draws = busy["onset"]
    flipped = get("onset")(world.apply({"regime": _poison(world.regime)}), Params(), draws)
    assert not np.array_equal(flipped["crisis"], get("onset")(world, Params(), draws)["crisis"])


def test_the_model_reference_state_table_is_generated():
    """docs/model.md carries the state table generated from the declarations, unedited."""
    from pathlib import Path

    from secorder.mechanisms import state_table

    text = (Path(__file__).resolve().parent.parent / "docs" / "model.md").read_text(encoding="utf-8")
    start = "<!-- state table: generated from secorder.mechanisms.state_table() -->\n"
    assert start in text
    block = text.split(start, 1)[1].split("<!-- end of generated state table -->", 1)[0]
    assert block == state_table(), "regenerate the table in docs/model.md from secorder.mechanisms.state_table()"
