"""Scenarios built from the hand-made data validate and carry the data's values."""

from __future__ import annotations

import pytest
import yaml

from secorder.data import from_data as sfd
from secorder.errors import InputError, ScenarioError
from secorder.scenario import load_scenario
from secorder.scenario.schema import Scenario

from .conftest import build_layout

CODES = ["USA", "CHN", "JPN", "ROK", "PRK", "RUS", "TAW"]


@pytest.fixture(scope="module")
def scenario(mini_dir):
    return sfd.scenario_from_data(1995, CODES, source_dir=mini_dir)


def by_code(scenario, code):
    return next(s for s in scenario["states"] if s["code"] == code)


def dyad(scenario, a, b):
    return next(d for d in scenario["dyads"] if set(d["states"]) == {a, b})


def institution(scenario, ident):
    return next(i for i in scenario["institutions"] if i["id"] == ident)


def test_validates_with_the_simulator_schema(scenario):
    sc = Scenario.model_validate(scenario)
    assert sc.name == "from-data-1995" and sc.year == 1995
    assert sc.codes == CODES
    assert len(sc.dyads) == 21


def test_state_values_come_from_the_data(scenario):
    usa = by_code(scenario, "USA")
    assert (usa["ccode"], usa["population"], usa["military_spending"]) == (2, 263.0, 278.0)
    assert (usa["regime"], usa["nuclear"], usa["major_power"]) == (10.0, True, True)
    assert usa["capital"] == [38.895, -77.0365]
    prk = by_code(scenario, "PRK")
    assert (prk["regime"], prk["nuclear"], prk["regime_hazard"]) == (-10.0, False, 0.03)
    assert (
        by_code(scenario, "RUS")["regime"] == 3.0
        and by_code(scenario, "RUS")["regime_hazard"] == 0.05
    )
    assert by_code(scenario, "TAW")["major_power"] is False


def test_gdp_proxy_and_floor(scenario):
    a, b, c, d = sfd.GDP_PROXY
    usa = by_code(scenario, "USA")
    assert usa["gdp"] == pytest.approx(a * 1355.6**b * 263.0**c * 278.0**d, rel=1e-3)
    taw = by_code(scenario, "TAW")  # imports missing: twice the exports
    assert taw["gdp"] == pytest.approx(a * (2 * 111.7) ** b * 21.3**c * 13.0**d, rel=1e-3)
    for s in scenario["states"]:
        assert s["gdp"] >= s["military_spending"] / sfd.MAX_MILITARY_BURDEN - 1e-6
    a2, b2, c2 = sfd.GDP_PROXY_NO_MILEX
    assert sfd.gdp_proxy(100.0, 10.0, 0.0) == pytest.approx(a2 * 100.0**b2 * 10.0**c2)
    assert sfd.gdp_proxy(None, 10.0, 0.0) == 5.0
    assert sfd.gdp_proxy(None, 10.0, 3.0) == pytest.approx(100.0)
    assert sfd.gdp_proxy(1.0, 10.0, 3.0) == pytest.approx(12.0)  # floor: 4 x military spending


def test_gdp_override(mini_dir):
    sc = sfd.scenario_from_data(
        1995, ["USA", "JPN"], source_dir=mini_dir, gdp={"USA": 7640.0, "JPN": 5546.0}
    )
    assert by_code(sc, "USA")["gdp"] == 7640.0
    assert not any(
        d.startswith("states[*].gdp") or d.startswith("states[USA].gdp")
        for d in sc["defaults_used"]
    )


def test_dyads(scenario):
    cn_tw = dyad(scenario, "CHN", "TAW")
    # stakes 0.4 rivalry + 0.2 spatial rivalry; animosity 0.4 rivalry (no war in the 30 years before)
    assert (cn_tw["contiguity"], cn_tw["stakes"], cn_tw["animosity"]) == ("sea", 0.6, 0.4)
    # peace years completed before 1995: the panel's mid_peace_years in 1994 (45, see
    # test_panels); 46 before the off-by-one fix
    assert cn_tw["issue"] == "China-Taiwan rivalry" and cn_tw["peace_years"] == 45
    korea = dyad(scenario, "ROK", "PRK")
    assert (korea["contiguity"], korea["stakes"], korea["animosity"], korea["peace_years"]) == (
        "land",
        0.6,
        0.4,  # its fatal MIDs count through peace years only, not animosity as well
        0,  # a dispute ongoing in 1994
    )
    # recent MIDs without a rivalry leave stakes at 0: they are remembered by peace years alone
    assert dyad(scenario, "RUS", "JPN")["stakes"] == 0.0
    us_jp = dyad(scenario, "USA", "JPN")
    assert (us_jp["trust"], us_jp["trade"], us_jp["contiguity"]) == (0.6, 187.8, "none")
    assert us_jp["distance_km"] == pytest.approx(10_900, rel=0.02)
    assert dyad(scenario, "USA", "CHN")["trust"] is None
    assert dyad(scenario, "USA", "CHN")["trade"] == 64.6


def test_alliances_with_directed_obligations(scenario):
    us_jp = institution(scenario, "atop-9101")
    assert us_jp["type"] == "bilateral_alliance" and us_jp["members"] == ["USA", "JPN"]
    assert us_jp["obligations"] == {"USA": 0.9, "JPN": 0.2}
    assert (us_jp["leader"], us_jp["decision_rule"], us_jp["depth"], us_jp["founded"]) == (
        "USA",
        "hegemon",
        0.5,
        1960,
    )
    assert institution(scenario, "atop-9102")["depth"] == 1.0
    ids = {i["id"] for i in scenario["institutions"]}
    assert "atop-9104" not in ids  # signed 1996
    assert "atop-9105" not in ids  # ended 1910


def test_igos_and_arf(scenario):
    apec = institution(scenario, "apec")
    assert apec["members"] == ["USA", "CHN", "JPN", "ROK", "TAW"] and apec["type"] == "economic"
    arf = institution(scenario, "arf")
    assert arf["members"] == ["USA", "CHN", "JPN", "ROK", "RUS"]
    assert not any(i["id"] in ("asean", "sco") for i in scenario["institutions"])
    assert any(d.startswith("institutions[arf]") for d in scenario["defaults_used"])


def test_no_arf_before_1994(mini_dir):
    sc = sfd.scenario_from_data(1993, ["USA", "JPN"], source_dir=mini_dir)
    assert "arf" not in {i["id"] for i in sc["institutions"]}


def test_defaults_and_sources_are_listed(scenario):
    used = scenario["defaults_used"]
    for item in (
        "states[*].gdp",
        "states[*].growth",
        "states[*].regime_hazard",
        "states[*].satisfaction",
        "states[*].norms",
        "system.transnational_threat",
        "dyad_defaults",
    ):
        assert item in used
    assert not any(
        u.startswith("states[*].regime") and u != "states[*].regime_hazard" for u in used
    )
    assert {"states", "dyads", "institutions", "system"} <= set(scenario["sources"])
    assert "Polity5" in scenario["sources"]["states"]


def test_missing_optional_dataset_falls_back_to_defaults(tmp_path):
    root = build_layout(tmp_path, skip=("tss_small.csv", "polity_small.csv"))
    sc = sfd.scenario_from_data(1995, ["CHN", "TAW"], source_dir=root)
    Scenario.model_validate(sc)
    assert "strategic rivalries: not found" in sc["sources"]["dyads"]
    assert "dyads[*].stakes (rivalry part)" in sc["defaults_used"]
    assert by_code(sc, "TAW")["regime"] == pytest.approx(20 * 0.62 - 10)  # V-Dem fallback


def test_region_selection(mini_dir):
    sc = sfd.scenario_from_data(1950, region="northeast-asia", source_dir=mini_dir)
    assert [s["code"] for s in sc["states"]] == [
        "USA",
        "RUS",
        "CHN",
        "PRK",
        "ROK",
    ]  # no Japan in 1950


@pytest.mark.parametrize(
    ("states", "message"),
    [
        (["USA", "XYZ"], "unknown COW state code 'XYZ'"),
        (["USA", "JPN"], "not a COW system member in 1950: JPN"),
        (["USA"], "at least two states"),
    ],
)
def test_bad_state_lists(mini_dir, states, message):
    with pytest.raises(InputError, match=message):
        sfd.scenario_from_data(1950, states, source_dir=mini_dir)


def test_no_nmc_data_for_the_year(mini_dir):
    with pytest.raises(InputError, match="no NMC data for JPN in or before 1960"):
        sfd.scenario_from_data(1960, ["USA", "JPN"], source_dir=mini_dir)


def test_write_and_reload(tmp_path, scenario):
    out = sfd.write_scenario(scenario, tmp_path / "s.yaml")
    assert yaml.safe_load(out.read_text())["name"] == "from-data-1995"
    assert load_scenario(out).codes == CODES


def test_invalid_scenario_is_not_written(tmp_path, scenario):
    bad = {**scenario, "name": "Not A Slug"}
    with pytest.raises(ScenarioError, match="name"):
        sfd.write_scenario(bad, tmp_path / "s.yaml")
    assert list(tmp_path.iterdir()) == []


def test_nuclear_table():
    assert sfd.is_nuclear(731, 2006) and not sfd.is_nuclear(731, 2005)
    assert sfd.is_nuclear(560, 1985) and not sfd.is_nuclear(560, 1995)
