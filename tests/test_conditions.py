"""The F2 conditions computed from the run (mechanisms/conditions.py) and `secorder conditions`."""

from __future__ import annotations

import numpy as np

import secorder
from secorder.mechanisms import conditions, initial_world
from secorder.params import Params
from secorder.scenario import load_scenario
from secorder.world import CONDITIONS, OUTCOME
from tests.cli_invoke import secorder as run_cli

C = {name: k for k, name in enumerate(CONDITIONS)}


def state(code, lon, **kw):
    base = {"code": code, "name": code, "gdp": 100.0, "growth": 0.03, "population": 10.0,
            "military_spending": 2.0, "regime": 0.0, "capital": [0.0, lon], "satisfaction": 0.5}
    base.update(kw)
    return base


def world(dyads=(), institutions=(), runs=2, **extra):
    """Three charter states (AAA a major power) and an outsider DDD."""
    states = [state("AAA", 0, gdp=1000.0, military_spending=50.0, major_power=True), state("BBB", 5),
              state("CCC", 10), state("DDD", 15)]
    insts = [{"id": "reg", "name": "Regime", "type": "cooperative_forum", "status": "potential",
              "members": ["AAA", "BBB", "CCC"]}, *institutions]
    sc = load_scenario({"name": "hand-made", "year": 2000, "states": states, "dyads": list(dyads),
                        "institutions": insts, **extra})
    return initial_world(sc, Params(), runs)


def of_regime(w, params=None):
    return conditions.yearly_conditions(w, params or Params())[:, 0]  # (R, 6): the potential regime's charter


def test_every_condition_is_bounded_and_recorded():
    res = secorder.simulate("northeast-asia-2003", years=6, runs=12, seed=0)
    for c in CONDITIONS:
        v = np.asarray(res.system[f"condition_{c}"])
        assert ((v >= 0) & (v <= 1)).all()
        assert res.outcomes[f"condition_{c}_mean"].shape == (12,)
    # computed from the run: they move across runs and years (the old inputs (a) and (c) were fixed)
    for c in ("threat", "leadership", "willingness", "arrangements"):
        assert np.asarray(res.system[f"condition_{c}"]).std() > 0, c


def test_no_trade_no_interdependence_and_trade_raises_it():
    w = world()
    assert np.allclose(of_regime(w)[:, C["interdependence"]], 0.0)
    traded = world(dyads=[{"states": ["AAA", "BBB"], "trade": 5.0}, {"states": ["BBB", "CCC"], "trade": 5.0}])
    assert (of_regime(traded)[:, C["interdependence"]] > 0.1).all()


def test_shared_threat_events_raise_common_threat():
    w = world()
    base = of_regime(w)[:, C["threat"]]
    hit = w.threat_hit.copy()
    hit[:, :3] = True  # every charter state hit by the same event
    more = of_regime(w.apply({"threat": np.full(w.n_runs, 0.6), "threat_hit": hit}))[:, C["threat"]]
    assert (more > base + 0.2).all()


def test_a_common_outside_adversary_raises_common_threat_an_inside_one_does_not():
    w = world()
    base = of_regime(w)[:, C["threat"]]
    fought = w.fought_last.copy()
    fought[:, 0, 3] = fought[:, 3, 0] = OUTCOME["war"]  # AAA fought the outsider DDD
    fought[:, 1, 3] = fought[:, 3, 1] = OUTCOME["war"]  # and so did BBB
    outside = of_regime(w.apply({"fought_last": fought}))[:, C["threat"]]
    assert (outside > base + 0.5).all()
    inside = w.fought_last.copy()
    inside[:, 0, 1] = inside[:, 1, 0] = OUTCOME["war"]  # a war between two charter states
    assert np.allclose(of_regime(w.apply({"fought_last": inside}))[:, C["threat"]], base)


def test_hub_and_spokes_lower_the_major_powers_wish_to_lead():
    trusting = {"dyad_defaults": {"trust": 0.8}}
    alone = of_regime(world(**trusting))[:, C["leadership"]]
    spokes = [{"id": f"a{k}", "name": f"A{k}", "type": "bilateral_alliance", "members": ["AAA", c], "depth": 0.5}
              for k, c in enumerate(["BBB", "CCC"])]
    hub = of_regime(world(institutions=spokes, **trusting))[:, C["leadership"]]
    assert (alone > 0.5).all() and (hub < alone - 0.2).all()


def test_insecure_governments_are_more_willing_and_support_combines_both_parts():
    w = world()
    calm = of_regime(w)
    shaky = of_regime(w.apply({"hazard": np.full_like(w.hazard, 0.05)}))
    assert (shaky[:, C["willingness"]] > calm[:, C["willingness"]] + 0.2).all()
    for c in (calm, shaky):
        assert np.allclose(c[:, C["support"]], np.sqrt(c[:, C["leadership"]] * c[:, C["willingness"]]))


def test_the_formation_reads_the_computed_conditions():
    """A potential regime whose charter feels a common war forms more often than one at peace."""
    w = world(runs=400)
    fought = w.fought_last.copy()
    for i in range(3):
        fought[:, i, 3] = fought[:, 3, i] = OUTCOME["war"]
    from secorder.mechanisms import institutions

    p = Params().replace(formation_intercept=-3.0)
    calm = institutions.formation_probability(of_regime(w, p), p)
    war = institutions.formation_probability(of_regime(w.apply({"fought_last": fought}), p), p)
    assert (war > 2 * calm).all()


def test_conditions_command_prints_and_writes(tmp_path):
    out = tmp_path / "cond"
    r = run_cli("conditions", "northeast-asia-2003", "--runs", "6", "--years", "3", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "(c) common threat" in r.stdout and "willingness" in r.stdout
    assert {p.name for p in out.iterdir()} >= {"conditions.csv", "conditions.png"}
    import pandas as pd

    df = pd.read_csv(out / "conditions.csv")
    assert list(df.columns) == ["year", "condition", "mean", "median", "low", "high"]
    assert set(df["condition"]) == set(CONDITIONS)


def test_conditions_command_bad_input_exits_2_and_writes_nothing(tmp_path):
    out = tmp_path / "cond"
    r = run_cli("conditions", "no-such-scenario", "--runs", "5", "--years", "3", "--out", out)
    assert r.returncode == 2 and "no-such-scenario" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()
    r = run_cli("conditions", "--set", "leadership_slope=-4", "--runs", "5", "--years", "3", "--out", out)
    assert r.returncode == 2 and "leadership_slope" in r.stderr
    assert not out.exists()
