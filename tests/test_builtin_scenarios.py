"""The built-in scenarios: they load by name and encode what docs/scenarios.md says they encode."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import yaml

from secorder.scenario import builtin_names, load_scenario, validate_scenario
from secorder.scenario.schema import Dyad, Institution, Scenario, great_circle_km

AP2000 = "asia-pacific-2000"
AP2024 = "asia-pacific-2024"
NEA2003 = "northeast-asia-2003"
BUILTINS = (AP2000, AP2024, NEA2003)

COW_CODES = {
    "USA": 2, "RUS": 365, "CHN": 710, "MON": 712, "TAW": 713, "PRK": 731, "ROK": 732,
    "JPN": 740, "IND": 750, "MYA": 775, "THI": 800, "CAM": 811, "LAO": 812, "DRV": 816,
    "MAL": 820, "SIN": 830, "BRU": 835, "PHI": 840, "INS": 850, "AUL": 900, "PNG": 910,
    "NEW": 920,
}  # fmt: skip
ASEAN = {"BRU", "CAM", "INS", "LAO", "MAL", "MYA", "PHI", "SIN", "THI", "DRV"}
AP2000_STATES = ASEAN | {
    "AUL",
    "CHN",
    "JPN",
    "PRK",
    "ROK",
    "MON",
    "NEW",
    "PNG",
    "RUS",
    "USA",
    "TAW",
}
AP2024_STATES = AP2000_STATES | {"IND"}
MAJOR_POWERS = {"USA", "RUS", "CHN", "JPN"}

SOURCE_KEYS = {
    "states.gdp", "states.growth", "states.military_spending", "states.population",
    "states.regime", "states.regime_hazard", "states.satisfaction", "states.nuclear",
    "states.missile_defense", "states.capital", "dyads.contiguity", "dyads.trade",
    "dyads.stakes", "dyads.animosity", "dyads.trust", "institutions", "system",
}  # fmt: skip


@cache
def scenario(name: str) -> Scenario:
    return load_scenario(name)


def dyad(sc: Scenario, a: str, b: str) -> Dyad:
    for d in sc.dyads:
        if set(d.states) == {a, b}:
            return d
    raise AssertionError(f"{sc.name}: no dyad {a}-{b}")


def stake(sc: Scenario, d: Dyad, side: str) -> float:
    if isinstance(d.stakes, dict):
        return d.stakes.get(side, sc.dyad_defaults.stakes)
    return sc.dyad_defaults.stakes if d.stakes is None else d.stakes


def trust(sc: Scenario, a: str, b: str) -> float:
    d = dyad(sc, a, b)
    return sc.dyad_defaults.trust if d.trust is None else d.trust


def institution(sc: Scenario, inst_id: str) -> Institution:
    for inst in sc.institutions:
        if inst.id == inst_id:
            return inst
    raise AssertionError(f"{sc.name}: no institution {inst_id!r}")


def sig_figs(x: float) -> int:
    """Significant figures of a number as written (trailing zeros of integers do not count)."""
    if x == 0:
        return 0
    return len(Decimal(repr(float(x))).normalize().as_tuple().digits)


# --- loading -----------------------------------------------------------------------------------


def test_all_builtins_are_shipped():
    assert set(BUILTINS) <= set(builtin_names())


@pytest.mark.parametrize("name", BUILTINS)
def test_loads_by_name(name):
    sc = scenario(name)
    assert sc.name == name
    assert sc.title and sc.description
    assert sc.parameters == {}


@pytest.mark.parametrize("name, year", [(AP2000, 2000), (AP2024, 2024), (NEA2003, 2003)])
def test_year(name, year):
    assert scenario(name).year == year


# --- states ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [(AP2000, AP2000_STATES), (AP2024, AP2024_STATES)])
def test_asia_pacific_states(name, expected):
    sc = scenario(name)
    assert len(sc.states) == len(expected)
    assert set(sc.codes) == expected


def test_northeast_asia_states_in_order():
    assert scenario(NEA2003).codes == ["USA", "CHN", "JPN", "RUS", "ROK", "PRK"]


@pytest.mark.parametrize("name", BUILTINS)
def test_cow_numeric_codes(name):
    for st in scenario(name).states:
        assert st.ccode == COW_CODES[st.code], st.code


@pytest.mark.parametrize("name", BUILTINS)
def test_major_powers_set_explicitly(name):
    for st in scenario(name).states:
        assert st.major_power is (st.code in MAJOR_POWERS), st.code


@pytest.mark.parametrize(
    "name, nuclear",
    [
        (AP2000, {"USA", "RUS", "CHN"}),
        (NEA2003, {"USA", "RUS", "CHN"}),
        (AP2024, {"USA", "RUS", "CHN", "PRK", "IND"}),
    ],
)
def test_nuclear_states(name, nuclear):
    assert {st.code for st in scenario(name).states if st.nuclear} == nuclear


def test_missile_defence_absent_in_2000_and_deployed_in_2024():
    assert all(st.missile_defense == 0 for st in scenario(AP2000).states)
    sc = scenario(AP2024)
    for code in ("USA", "JPN", "ROK"):
        assert sc.state(code).missile_defense > 0, code


def test_balance_of_power_shifted_between_2000_and_2024():
    old, new = scenario(AP2000), scenario(AP2024)

    def ratio(sc, field):
        return getattr(sc.state("CHN"), field) / getattr(sc.state("USA"), field)

    assert ratio(new, "gdp") > 3 * ratio(old, "gdp")
    assert ratio(new, "military_spending") > 3 * ratio(old, "military_spending")
    assert 15_000 <= new.state("CHN").gdp <= 20_000
    assert 250 <= new.state("CHN").military_spending <= 350
    assert 25_000 <= new.state("USA").gdp <= 30_000
    assert 800 <= new.state("USA").military_spending <= 1_000


@pytest.mark.parametrize("name", BUILTINS)
def test_capitals_or_distances_for_every_pair(name):
    sc = scenario(name)
    if all(st.capital is not None for st in sc.states):
        return
    with_distance = {frozenset(d.states) for d in sc.dyads if d.distance_km is not None}
    codes = sc.codes
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            assert frozenset((a, b)) in with_distance, (
                f"{a}-{b} has neither capitals nor a distance"
            )


@pytest.mark.parametrize("name", BUILTINS)
def test_every_state_has_a_capital(name):
    assert all(st.capital is not None for st in scenario(name).states)


@pytest.mark.parametrize("name", BUILTINS)
def test_capitals_are_plausible(name):
    sc = scenario(name)

    def km(a, b):
        return great_circle_km(sc.state(a).capital, sc.state(b).capital)

    assert 150 < km("ROK", "PRK") < 250  # Seoul-Pyongyang
    assert 1_000 < km("JPN", "ROK") < 1_300  # Tokyo-Seoul
    assert km("USA", "CHN") > 10_000  # Washington-Beijing
    if "AUL" in sc.codes:
        assert sc.state("AUL").capital[0] < 0 < sc.state("JPN").capital[0]


# --- field groups and rounding --------------------------------------------------------------------


@pytest.mark.parametrize("name", BUILTINS)
def test_source_note_for_each_field_group(name):
    sources = scenario(name).sources
    missing = SOURCE_KEYS - set(sources)
    assert not missing, f"no source note for {sorted(missing)}"
    for key in SOURCE_KEYS:
        assert len(sources[key].strip()) >= 20, key


def test_sig_figs_helper():
    assert sig_figs(10300) == 3
    assert sig_figs(0.024) == 2
    assert sig_figs(45.5) == 3
    assert sig_figs(12345) == 5
    assert sig_figs(0.0435) == 3
    assert sig_figs(1.2345) == 5


@pytest.mark.parametrize("name", BUILTINS)
def test_money_figures_are_rounded(name):
    sc = scenario(name)
    figures = [(f"{st.code}.gdp", st.gdp) for st in sc.states]
    figures += [(f"{st.code}.military_spending", st.military_spending) for st in sc.states]
    figures += [("-".join(d.states) + ".trade", d.trade) for d in sc.dyads]
    too_precise = [(label, x) for label, x in figures if sig_figs(x) > 3]
    assert not too_precise


# --- dyads -------------------------------------------------------------------------------------------

# (scenario, side a, side b, word in the issue, side with the larger stake or None)
DISPUTES = [
    (AP2000, "ROK", "PRK", "Korean peninsula", None),
    (AP2000, "USA", "PRK", "Korean peninsula", "PRK"),
    (AP2000, "CHN", "TAW", "Taiwan", "CHN"),
    (AP2000, "USA", "CHN", "Taiwan", "CHN"),
    (AP2000, "CHN", "JPN", "Senkaku", None),
    (AP2000, "TAW", "JPN", "Senkaku", None),
    (AP2000, "CHN", "DRV", "South China Sea", None),
    (AP2000, "CHN", "PHI", "South China Sea", "PHI"),
    (AP2000, "CHN", "MAL", "South China Sea", None),
    (AP2000, "CHN", "BRU", "South China Sea", None),
    (AP2000, "TAW", "PHI", "South China Sea", None),
    (AP2000, "DRV", "PHI", "South China Sea", None),
    (AP2000, "JPN", "RUS", "Kuril", "JPN"),
    (AP2000, "JPN", "ROK", "Dokdo", "ROK"),
    (AP2024, "ROK", "PRK", "Korean peninsula", None),
    (AP2024, "USA", "PRK", "Korean peninsula", "PRK"),
    (AP2024, "CHN", "TAW", "Taiwan", "CHN"),
    (AP2024, "USA", "CHN", "Taiwan", None),
    (AP2024, "CHN", "JPN", "Senkaku", None),
    (AP2024, "CHN", "DRV", "South China Sea", None),
    (AP2024, "CHN", "PHI", "South China Sea", "PHI"),
    (AP2024, "CHN", "MAL", "South China Sea", None),
    (AP2024, "CHN", "BRU", "South China Sea", None),
    (AP2024, "JPN", "RUS", "Kuril", "JPN"),
    (AP2024, "JPN", "ROK", "Dokdo", "ROK"),
    (AP2024, "CHN", "IND", "border", None),
    (NEA2003, "ROK", "PRK", "Korean peninsula", None),
    (NEA2003, "USA", "PRK", "Korean peninsula", "PRK"),
    (NEA2003, "USA", "CHN", "Taiwan", "CHN"),
    (NEA2003, "CHN", "JPN", "Senkaku", None),
    (NEA2003, "JPN", "RUS", "Kuril", "JPN"),
    (NEA2003, "JPN", "ROK", "Dokdo", "ROK"),
]


@pytest.mark.parametrize("name, a, b, word, larger", DISPUTES)
def test_dispute_stakes(name, a, b, word, larger):
    sc = scenario(name)
    d = dyad(sc, a, b)
    assert d.issue and word.lower() in d.issue.lower(), d.issue
    assert stake(sc, d, a) > 0 and stake(sc, d, b) > 0
    if larger is not None:
        assert isinstance(d.stakes, dict) and set(d.stakes) == {a, b}
        smaller = b if larger == a else a
        assert stake(sc, d, larger) > stake(sc, d, smaller)


@pytest.mark.parametrize("name", BUILTINS)
def test_stakes_name_their_issue(name):
    sc = scenario(name)
    for d in sc.dyads:
        if stake(sc, d, d.states[0]) > 0 or stake(sc, d, d.states[1]) > 0:
            assert d.issue, f"{'-'.join(d.states)} has stakes but no issue"


@pytest.mark.parametrize("name", BUILTINS)
def test_korean_peninsula_is_the_sharpest_rivalry(name):
    sc = scenario(name)
    d = dyad(sc, "ROK", "PRK")
    assert d.contiguity == "land"
    assert d.animosity >= 0.7 and trust(sc, "ROK", "PRK") <= 0.1
    assert d.animosity == max((x.animosity or 0.0) for x in sc.dyads)


@pytest.mark.parametrize("name", BUILTINS)
def test_dokdo_moderate_stakes_low_animosity(name):
    sc = scenario(name)
    d = dyad(sc, "JPN", "ROK")
    assert 0.2 <= max(stake(sc, d, "JPN"), stake(sc, d, "ROK")) <= 0.6
    assert d.animosity <= 0.3
    assert d.animosity < dyad(sc, "ROK", "PRK").animosity


@pytest.mark.parametrize("name", BUILTINS)
def test_allies_trust_more_than_adversaries(name):
    sc = scenario(name)
    assert sc.dyad_defaults.trust == 0.3
    assert trust(sc, "USA", "JPN") >= 0.7
    assert trust(sc, "USA", "ROK") > sc.dyad_defaults.trust
    assert trust(sc, "ROK", "PRK") < 0.1 and trust(sc, "USA", "PRK") < 0.1
    if "AUL" in sc.codes:
        assert trust(sc, "USA", "AUL") >= 0.8


@pytest.mark.parametrize("name", BUILTINS)
def test_major_trade_pairs_have_trade(name):
    sc = scenario(name)
    pairs = [
        ("USA", "CHN"),
        ("USA", "JPN"),
        ("CHN", "JPN"),
        ("USA", "ROK"),
        ("CHN", "ROK"),
        ("JPN", "ROK"),
    ]
    if "TAW" in sc.codes:
        pairs += [("CHN", "TAW"), ("USA", "TAW"), ("TAW", "JPN")]
    for a, b in pairs:
        assert dyad(sc, a, b).trade > 10, f"{a}-{b}"


@pytest.mark.parametrize(
    "name, pair, kind",
    [
        (AP2000, ("CHN", "TAW"), "sea"),
        (AP2000, ("JPN", "RUS"), "sea"),
        (AP2000, ("CHN", "PRK"), "land"),
        (AP2000, ("MAL", "SIN"), "land"),
        (AP2024, ("CHN", "IND"), "land"),
        (AP2024, ("USA", "RUS"), "sea"),
        (NEA2003, ("RUS", "PRK"), "land"),
        (NEA2003, ("CHN", "ROK"), "sea"),
    ],
)
def test_contiguity(name, pair, kind):
    assert dyad(scenario(name), *pair).contiguity == kind


def test_northeast_asia_lists_every_pair():
    sc = scenario(NEA2003)
    assert len(sc.dyads) == 15


# --- institutions -----------------------------------------------------------------------------------

COMMON_2000 = {
    "us-japan": ("bilateral_alliance", {"USA", "JPN"}),
    "us-rok": ("bilateral_alliance", {"USA", "ROK"}),
    "anzus": ("bilateral_alliance", {"USA", "AUL"}),
    "us-philippines": ("bilateral_alliance", {"USA", "PHI"}),
    "us-thailand": ("bilateral_alliance", {"USA", "THI"}),
    "china-dprk": ("bilateral_alliance", {"CHN", "PRK"}),
    "asean": ("mutual_recognition", ASEAN),
    "arf": ("cooperative_forum", AP2000_STATES - {"TAW"}),
    "apec": ("economic", AP2000_STATES - {"CAM", "LAO", "MYA", "MON", "PRK"}),
}
EXPECTED_INSTITUTIONS = {
    AP2000: COMMON_2000,
    AP2024: {
        **COMMON_2000,
        "arf": ("cooperative_forum", AP2024_STATES - {"TAW"}),
        "sco": ("mutual_recognition", {"CHN", "RUS", "IND"}),
        "quad": ("cooperative_forum", {"USA", "JPN", "AUL", "IND"}),
        "aukus": ("bilateral_alliance", {"USA", "AUL"}),
        "russia-dprk": ("bilateral_alliance", {"RUS", "PRK"}),
    },
    NEA2003: {
        "us-japan": ("bilateral_alliance", {"USA", "JPN"}),
        "us-rok": ("bilateral_alliance", {"USA", "ROK"}),
        "china-dprk": ("bilateral_alliance", {"CHN", "PRK"}),
        "arf": ("cooperative_forum", {"USA", "CHN", "JPN", "RUS", "ROK", "PRK"}),
        "apec": ("economic", {"USA", "CHN", "JPN", "RUS", "ROK"}),
        "six-party-talks": ("cooperative_forum", {"USA", "CHN", "JPN", "RUS", "ROK", "PRK"}),
    },
}
CASES = [(name, iid, kind, members) for name, insts in EXPECTED_INSTITUTIONS.items() for iid, (kind, members) in insts.items()]  # fmt: skip


@pytest.mark.parametrize("name, inst_id, kind, members", CASES)
def test_institution_members(name, inst_id, kind, members):
    inst = institution(scenario(name), inst_id)
    assert inst.type == kind
    assert set(inst.members) == members
    assert inst.founded is not None


@pytest.mark.parametrize("name", BUILTINS)
def test_alliances_defend_and_forums_do_not(name):
    for inst in scenario(name).institutions:
        if inst.type == "bilateral_alliance":
            assert inst.target == "outside", inst.id
            assert set(inst.obligations) == set(inst.members), inst.id
        if inst.type in ("cooperative_forum", "economic", "mutual_recognition"):
            assert inst.obligation == 0 and not inst.obligations, inst.id


@pytest.mark.parametrize("name", BUILTINS)
def test_us_japan_is_asymmetric(name):
    inst = institution(scenario(name), "us-japan")
    assert inst.obligations["USA"] > inst.obligations["JPN"] > 0
    assert inst.leader == "USA"


def test_japan_obligation_grew_after_2015():
    assert (
        institution(scenario(AP2024), "us-japan").obligations["JPN"]
        > institution(scenario(AP2000), "us-japan").obligations["JPN"]
    )


@pytest.mark.parametrize("name", (AP2000, AP2024))
def test_new_zealand_has_no_us_guarantee(name):
    sc = scenario(name)
    for inst in sc.institutions:
        if inst.type in ("bilateral_alliance", "collective_defense") and "USA" in inst.members:
            assert "NEW" not in inst.members, inst.id


@pytest.mark.parametrize("name", (AP2000, AP2024))
def test_taiwan_relations_act_is_a_weak_commitment(name):
    inst = institution(scenario(name), "us-taiwan")
    assert set(inst.members) == {"USA", "TAW"}
    assert 0 < inst.obligations["USA"] < institution(scenario(name), "us-japan").obligations["USA"]
    assert inst.informality >= 0.8


@pytest.mark.parametrize("name, inst_id", [(AP2000, "asean"), (AP2024, "asean"), (AP2024, "sco")])
def test_mutual_recognition_rule(name, inst_id):
    inst = institution(scenario(name), inst_id)
    assert inst.regime_rule == "mutual_recognition"
    assert inst.decision_rule == "consensus"


@pytest.mark.parametrize("name", BUILTINS)
def test_forums_are_informal_and_shallow(name):
    for iid in ("arf", "six-party-talks"):
        try:
            inst = institution(scenario(name), iid)
        except AssertionError:
            continue
        assert inst.decision_rule == "consensus"
        assert inst.informality >= 0.8 and inst.depth <= 0.2 and inst.transparency <= 0.3


def test_russia_dprk_treaty_has_mutual_assistance():
    inst = institution(scenario(AP2024), "russia-dprk")
    assert inst.founded == 2024
    assert min(inst.obligations.values()) >= 0.4


@pytest.mark.parametrize("name, level", [(AP2000, 0.3), (NEA2003, 0.35), (AP2024, 0.4)])
def test_transnational_threat(name, level):
    system = scenario(name).system
    assert system.transnational_threat == pytest.approx(level)
    assert system.offense_defense == 0


# --- the documentation -----------------------------------------------------------------------------

DOC = Path(__file__).resolve().parent.parent / "docs" / "scenarios.md"


@pytest.mark.skipif(not DOC.exists(), reason="docs/scenarios.md not present")
def test_minimal_example_in_the_docs_validates():
    block = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block, "no yaml example in docs/scenarios.md"
    sc = validate_scenario(yaml.safe_load(block.group(1)))
    assert sc.codes == ["USA", "ROK", "PRK"]


@pytest.mark.skipif(not DOC.exists(), reason="docs/scenarios.md not present")
@pytest.mark.parametrize("name", BUILTINS)
def test_docs_give_the_right_counts(name):
    sc = scenario(name)
    row = f"| `{name}` | {sc.year} | {len(sc.states)} | {len(sc.dyads)} | {len(sc.institutions)} |"
    assert row in DOC.read_text(encoding="utf-8")
