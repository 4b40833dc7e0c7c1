"""Every arm of the architecture comparison acts: at default parameters each built-in differs
from the status quo on its own defining outcome, and each differs from the status quo only by
its defining change (``architectures diff``)."""

from __future__ import annotations

import numpy as np
import pytest

import secorder
from secorder.architectures import apply_architecture, builtin_names, load_architecture
from secorder.architectures.diff import diff_architectures
from secorder.mechanisms import alignment, initial_world
from secorder.params import Params
from tests.cli_invoke import secorder as cli

SCENARIO = "asia-pacific-2000"
RUNS, YEARS, SEED = 30, 15, 1

# each arm's defining outcome and how it compares with the status quo's ("!=" where either way is plausible)
DEFINING = {
    "alt-bilateral": ("rival_spending_final_bn", "!="),     # the linchpin's partner allied elsewhere
    "balance-of-power": ("share_balance_of_power", ">"),
    "bilateral-alliances": ("layered_share", "<"),           # no forum layer beside the alliances
    "collective-defense": ("ended_deterrence_per_decade", ">"),
    "collective-security": ("ally_cost_bn", ">"),            # a coalition assembles against aggressors
    "concert": ("ended_concert_per_decade", ">"),            # the concert mediates
    "cooperative-forum": ("ally_cost_bn", "<"),              # no ally fights
    "hegemony": ("ended_deterrence_per_decade", ">"),        # the hub deters
    "multilayer": ("ended_forum_per_decade", ">"),           # the preventive forum prevents
    "security-community": ("mean_trust_final", ">"),
    "self-help": ("share_balance_of_power", ">"),
}


@pytest.fixture(scope="module")
def outcomes():
    out = {}
    for arch in builtin_names():
        res = secorder.simulate(SCENARIO, architecture=arch, runs=RUNS, years=YEARS, seed=SEED, record="summary")
        out[arch] = {k: float(np.mean(v)) for k, v in res.outcomes.items()}
    return out


def test_every_builtin_arm_has_a_defining_outcome():
    assert set(DEFINING) == set(builtin_names()) - {"status-quo"}


@pytest.mark.slow  # twelve simulations (shared by the module)
@pytest.mark.parametrize("arch", sorted(DEFINING))
def test_each_arm_differs_from_the_status_quo_on_its_defining_outcome(arch, outcomes):
    name, how = DEFINING[arch]
    mine, base = outcomes[arch][name], outcomes["status-quo"][name]
    assert {"!=": mine != base, ">": mine > base, "<": mine < base}[how], (arch, name, mine, base)


@pytest.mark.slow
def test_balance_of_power_differs_from_self_help(outcomes):
    bop, sh = outcomes["balance-of-power"], outcomes["self-help"]
    assert bop["ended_deterrence_per_decade"] != sh["ended_deterrence_per_decade"]


def test_balance_of_power_realigns_at_default_parameters():
    """Some pair's alignment propensity is above the threshold in the starting world, so
    commitments form as soon as states reconsider."""
    overlay = apply_architecture(secorder.load_scenario(SCENARIO), "balance-of-power")
    p = Params().replace(**overlay.parameters)
    w = initial_world(overlay.scenario, p, 1)
    assert w.static.alignment_free
    formed = alignment.realign(w, p, np.zeros(w.aligned.shape))
    assert (formed > 0).any()


def test_common_threat_is_the_strongest_shared_enemy():
    t = np.zeros((1, 3, 3))
    t[0, 0, 2], t[0, 1, 2] = 0.04, 0.09  # both fear state 2
    common = alignment.common_threat(t)
    assert common[0, 0, 1] == pytest.approx(0.06) and common[0, 1, 0] == pytest.approx(0.06)
    assert common[0, 0, 2] == 0.0  # 2 is not its own common enemy


def test_hegemony_allies_only_states_that_would_accept():
    sc = secorder.load_scenario(SCENARIO)
    hub = {i.members[1] for i in apply_architecture(sc, "hegemony").scenario.institutions if i.id.startswith("hub-")}
    assert {"JPN", "ROK", "AUL", "PHI", "THI", "TAW"} <= hub  # the leader's allies stay with it
    assert not {"RUS", "CHN", "PRK", "MYA"} & hub  # great powers keep their autonomy; distrust, quarrels
    kept = {i.id for i in apply_architecture(sc, "hegemony").scenario.institutions}
    assert {"china-dprk", "fpda", "asean", "arf"} <= kept  # other states' institutions stay


def test_multilayer_is_the_status_quo_plus_a_preventive_forum():
    d = diff_architectures(SCENARIO, "status-quo", "multilayer")
    assert not d.only_in_a and not d.only_in_b and not d.system and not d.parameters
    assert set(d.changed) == {"arf"} and d.changed["arf"]["depth"] == (0.15, 0.5)


def test_diff_of_an_architecture_with_itself_is_empty():
    d = diff_architectures(SCENARIO, "concert", load_architecture("concert"))
    assert d.empty and "no difference" in d.lines()[-1]


def test_diff_lists_removed_and_added_institutions_and_settings():
    d = diff_architectures(SCENARIO, "self-help", "balance-of-power")
    assert d.system == {"alignment": ("fixed", "free")}
    assert d.parameters["bandwagon_weight"] == (0.3, 0.0)
    d = diff_architectures(SCENARIO, "status-quo", "concert")
    assert "concert" in d.only_in_b and "us-japan" in d.only_in_a and "arf" not in d.only_in_a


def test_architectures_diff_command():
    r = cli("architectures", "diff", "status-quo", "multilayer")
    assert r.returncode == 0 and "arf.depth: 0.15 -> 0.5" in r.stdout
    r = cli("architectures", "diff", "status-quo", "no-such-arm")
    assert r.returncode == 2 and "no-such-arm" in r.stderr and "Traceback" not in r.stderr
