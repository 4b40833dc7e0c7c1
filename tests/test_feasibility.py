"""Decision rules for building, joining and leaving, and `secorder feasibility` (issue 13, item 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import secorder
from secorder.feasibility import (
    SEVEN,
    _with_institutions,
    candidate_institutions,
    feasibility,
    linchpin_id,
)
from secorder.mechanisms import conditions, initial_world, institutions
from secorder.params import Params
from secorder.scenario import load_scenario
from secorder.world import OUTCOME
from tests.cli_invoke import secorder as run_cli


def state(code, lon, **kw):
    base = {"code": code, "name": code, "gdp": 100.0, "growth": 0.03, "population": 10.0,
            "military_spending": 2.0, "regime": 0.0, "capital": [0.0, lon], "satisfaction": 0.5}
    base.update(kw)
    return base


def concert_world(runs=4, **extra):
    """Three great powers with a potential concert, and a would-be hegemon DDD outside it."""
    majors = [state(c, 10.0 * k, gdp=1000.0, military_spending=30.0, major_power=True)
              for k, c in enumerate(["AAA", "BBB", "CCC"])]
    sc = load_scenario({
        "name": "concert-after-war", "year": 1816,
        "states": [*majors, state("DDD", 30.0, gdp=1500.0, military_spending=60.0, major_power=True)],
        "dyad_defaults": {"trust": 0.5},
        "institutions": [{"id": "concert", "name": "Concert", "type": "concert", "status": "potential",
                          "members": ["AAA", "BBB", "CCC"], "informality": 0.7}],
        **extra,
    })
    return initial_world(sc, Params(), runs)


def decide(w, form_u=0.0, accede_u=0.99):
    """Step 6c then step 7 with hand-made uniforms (form_u=0: an initiative every year)."""
    w = w.apply(conditions.step(w, Params(), {}))
    draws = {"form": np.full((w.n_runs, w.static.n_institutions), form_u),
             "accede": np.full((w.n_runs, w.static.n_institutions, w.n_states), accede_u)}
    return w, institutions.step(w, Params(), draws)


def after_war(w):
    fought = w.fought_last.copy()
    for i in range(3):
        fought[:, i, 3] = fought[:, 3, i] = OUTCOME["war"]
    return w.apply({"fought_last": fought})


def test_a_concert_forms_after_a_war_against_a_would_be_hegemon():
    w, up = decide(after_war(concert_world()))
    assert (w.inst_value[:, 0, :3] > 0).all()
    assert up["members"][:, 0, :3].all() and not up["members"][:, 0, 3].any()


def test_no_concert_without_the_common_war_even_with_an_initiative_every_year():
    w, up = decide(concert_world())
    assert (w.inst_value[:, 0, :3] <= 0).all()
    assert not up["members"][:, 0].any()


def test_a_concert_needs_every_great_power():
    w = after_war(concert_world())
    trust = w.trust.copy()
    trust[:, 2, :] = trust[:, :, 2] = 0.0  # CCC trusts no one: its value turns negative
    w = w.apply({"trust": trust})
    fought = w.fought_last.copy()
    fought[:, 2, 3] = fought[:, 3, 2] = 0
    w, up = decide(w.apply({"fought_last": fought}))
    assert (w.inst_value[:, 0, 2] < 0).all() and (w.inst_value[:, 0, :2] > 0).all()
    assert not up["members"][:, 0].any()  # two of three accept, but a concert needs all the majors


def test_concert_formation_in_simulated_worlds_follows_the_conditions():
    """Whole runs: with the would-be hegemon feared by all three (animosity), the concert forms; with no
    quarrel it never does."""
    feared = [{"states": [c, "DDD"], "animosity": 0.9} for c in ("AAA", "BBB", "CCC")]
    base = {"name": "concert-sim", "year": 1816, "dyad_defaults": {"trust": 0.5},
            "parameters": {"formation_intercept": -2.0},
            "states": [*[state(c, 10.0 * k, gdp=1000.0, military_spending=30.0, major_power=True)
                         for k, c in enumerate(["AAA", "BBB", "CCC"])],
                       state("DDD", 30.0, gdp=1500.0, military_spending=60.0, major_power=True)],
            "institutions": [{"id": "concert", "name": "Concert", "type": "concert", "status": "potential",
                              "members": ["AAA", "BBB", "CCC"], "informality": 0.7}]}
    war = secorder.simulate({**base, "dyads": feared}, years=8, runs=20, seed=3)
    peace = secorder.simulate(base, years=8, runs=20, seed=3)
    assert war.outcomes["regime_formed_final"].mean() >= 0.5
    assert peace.outcomes["regime_formed_final"].max() == 0.0


def test_a_partner_whose_value_turns_negative_leaves_a_bilateral_alliance():
    sc = load_scenario({"name": "pair", "year": 2000, "states": [state("AAA", 0), state("BBB", 5)],
                        "dyad_defaults": {"trust": 0.0},
                        "institutions": [{"id": "ab", "name": "AB", "type": "bilateral_alliance",
                                          "members": ["AAA", "BBB"], "obligation": 0.8}]})
    w = initial_world(sc, Params(), 3)
    w, up = decide(w, accede_u=0.0)  # the leave draw always below a positive chance
    assert (w.inst_value[:, 0] < 0).all()
    assert not up["members"][:, 0].any()
    w, up = decide(initial_world(sc, Params(), 3), accede_u=0.999)
    assert up["members"][:, 0].all()  # leaving is a chance, not a certainty


def _flip_japan(data: dict, prefs: dict) -> dict:
    data = {**data, "states": [dict(s) for s in data["states"]]}
    for s in data["states"]:
        if s["code"] == "JPN":
            s["form_preference"] = prefs
    return data


@pytest.fixture(scope="module")
def nea():
    return load_scenario("northeast-asia-2003")


def test_japans_preference_over_form_moves_its_value_of_the_alternatives(nea):
    """Flipping Japan's preference moves its value of the alt-bilateral alliance and of collective
    defence by exactly the preference weight times the change, in the expected direction."""
    p = Params()
    flipped = load_scenario(_flip_japan(nea.model_dump(), {"bilateral": -0.5, "multilateral_alliance": 0.5}))
    for arm, form, sign in (("alt-bilateral", "bilateral", -1), ("collective-defense", "multilateral_alliance", +1)):
        values = []
        for sc in (nea, flipped):
            s2 = _with_institutions(sc, candidate_institutions(sc, arm))
            w = initial_world(s2, p, 1)
            v = conditions.conditions_and_values(w, p)[1]
            values.append(v[0, len(sc.institutions), s2.codes.index("JPN")])
        before = nea.state("JPN").form_preference.get(form, 0.0)
        after = flipped.state("JPN").form_preference.get(form, 0.0)
        assert np.sign(after - before) == sign
        assert values[1] - values[0] == pytest.approx(p.form_preference_weight * (after - before))


def test_builtin_preferences_are_documented_and_neutral_by_default(nea):
    assert nea.state("JPN").form_preference["bilateral"] > 0
    assert nea.state("CHN").form_preference["forum"] > 0
    assert nea.state("RUS").form_preference == {}
    assert "form_preference" in " ".join(nea.sources)
    w = initial_world(nea, Params(), 1)
    assert w.static.form_preference.shape == (6, 6)


def test_candidates_and_linchpin(nea):
    assert linchpin_id(nea) == "us-japan"
    concert = candidate_institutions(nea, "concert")
    assert [i.type for i in concert] == ["concert"] and concert[0].status == "potential"
    assert candidate_institutions(nea, "self-help") == []
    assert [c.name for c in SEVEN] == ["hegemony", "collective-security", "collective-defense", "concert",
                                       "self-help", "alt-bilateral", "linchpin"]


def test_feasibility_table(nea):
    f = feasibility(nea, horizon=4, runs=6, seed=0, mechanisms=("concert", "linchpin", "self-help"))
    t = f.table.set_index("mechanism")
    assert list(t.index) == ["concert", "self-help", "linchpin"]
    for col in ("p_forms", "p_in_place_at_horizon"):
        assert t[col].between(0, 1).all()
    assert t.at["linchpin", "exists_at_start"] and t.at["linchpin", "p_forms"] == 1.0
    assert np.isfinite(t.at["concert", "effect_fatal_disputes_per_decade"])
    assert (t["p_in_place_at_horizon"] <= t["p_forms"]).all()


@pytest.mark.slow
def test_japans_preference_moves_the_feasibility_of_the_alt_bilateral_alliance(nea):
    kw = {"horizon": 20, "runs": 120, "seed": 0, "mechanisms": ("alt-bilateral",)}
    base = feasibility(nea, **kw).table.iloc[0]
    against = load_scenario(_flip_japan(nea.model_dump(), {"bilateral": -0.5}))
    flipped = feasibility(against, **kw).table.iloc[0]
    assert flipped["p_forms"] < base["p_forms"]


def test_feasibility_command_columns(tmp_path):
    out = tmp_path / "feas"
    r = run_cli("feasibility", "northeast-asia-2003", "--horizon", "3", "--runs", "4", "-m", "concert",
                "-m", "linchpin", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "P(forms)" in r.stdout and "linchpin" in r.stdout
    df = pd.read_csv(out / "feasibility.csv")
    for col in ("mechanism", "p_forms", "p_in_place_at_horizon", "p_survives_if_formed",
                "effect_fatal_disputes_per_decade", "effect_order_index_final"):
        assert col in df.columns
    assert (out / "feasibility.png").exists()


@pytest.mark.parametrize("args, field", [
    (("no-such-scenario",), "no-such-scenario"),
    (("northeast-asia-2003", "--horizon", "0"), "--horizon"),
    (("northeast-asia-2003", "--horizon", "many"), "--horizon"),
    (("northeast-asia-2003", "-m", "empire"), "empire"),
    (("northeast-asia-2003", "--set", "quorum_concert=2"), "quorum_concert"),
])
def test_feasibility_command_bad_input(tmp_path, args, field):
    out = tmp_path / "feas"
    r = run_cli("feasibility", *args, "--runs", "3", "--horizon", "2", "--out", out) if "--horizon" not in args \
        else run_cli("feasibility", *args, "--runs", "3", "--out", out)
    assert r.returncode == 2, r.stdout
    assert field in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()
