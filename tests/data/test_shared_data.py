"""Facts anyone can check, on the real datasets in ../shared/data (skipped when absent)."""

from __future__ import annotations

import csv

import polars as pl
import pytest

from secorder.data import codes, loaders
from secorder.data import panels as P
from secorder.data.from_data import scenario_from_data
from secorder.errors import DataError
from secorder.scenario.schema import Scenario

pytestmark = pytest.mark.data

STATE_YEARS_2016 = 15_951


def test_cow_state_years_counted_three_ways(shared_data):
    panel = P.state_years(source_dir=shared_data).to_polars()
    assert panel.height == STATE_YEARS_2016
    with open(shared_data / "cow_states" / "states2016.csv", newline="") as fh:
        spells = sum(int(r["endyear"]) - int(r["styear"]) + 1 for r in csv.DictReader(fh))
    assert spells == STATE_YEARS_2016  # no state has two spells in one year
    nmc6 = loaders.load_nmc(source_dir=shared_data, version="6.0")
    assert (
        nmc6.select("ccode", "year")
        .sort("ccode", "year")
        .equals(panel.select("ccode", "year").sort("ccode", "year"))
    )
    gw_years = pl.read_csv(
        shared_data / "cow_states" / "cow_gw_years_peacesciencer.csv", infer_schema_length=None
    )
    assert (
        gw_years.filter(pl.col("ccode").is_not_null() & (pl.col("year") <= 2016)).height
        == STATE_YEARS_2016
    )


def test_directed_dyad_years_1816_2014(shared_data):
    sy = P.state_years((1816, 2014), source_dir=shared_data).to_polars()
    n = sy.group_by("year").len()["len"]
    dy = P.dyad_years(years=(1816, 2014), source_dir=shared_data).to_polars()
    # every pair of members in a year, less 60 that were never members on the same day
    assert dy.height == int((n * (n - 1)).sum()) - 60 == 1_836_630
    apart = P.apart_pairs(source_dir=shared_data)
    assert apart.height == 60
    for a, b, year in ((115, 817, 1975), (210, 255, 1945)):
        assert (a, b, year) in apart.rows() and (b, a, year) in apart.rows()
        pair = (pl.col("ccode1") == a) & (pl.col("ccode2") == b) & (pl.col("year") == year)
        assert dy.filter(pair).height == 0
    netherlands_germany = (pl.col("ccode1") == 210) & (pl.col("ccode2") == 255)
    nl_de_years = set(dy.filter(netherlands_germany)["year"])
    assert 1939 in nl_de_years and 1945 not in nl_de_years and 1990 in nl_de_years
    nd = P.dyad_years(False, years=(1816, 2014), source_dir=shared_data).to_polars()
    assert nd.height == dy.height // 2
    assert (
        dy.filter(pl.col("year") == 1950)
        .filter((pl.col("ccode1") == 740) | (pl.col("ccode2") == 740))
        .height
        == 0
    )


def test_us_japan_defence_pledge_every_year_from_1952(shared_data):
    atop = loaders.load_atop(source_dir=shared_data)
    us_jp = atop.filter(
        (pl.col("ccode1") == 2) & (pl.col("ccode2") == 740) & pl.col("year").is_between(1952, 2018)
    )
    assert sorted(us_jp.filter(pl.col("atop_defense") == 1)["year"]) == list(range(1952, 2019))
    jp_us = atop.filter((pl.col("ccode1") == 740) & (pl.col("ccode2") == 2))
    assert (
        jp_us["atop_defense"].sum() == 0
    )  # Japan's treaty pledge is not a defence pledge to the US
    panel = (
        P.dyad_years(years=(1952, 2016), subset=["USA", "JPN"], source_dir=shared_data)
        .add_alliances()
        .to_polars()
    )
    assert panel.filter(pl.col("ccode1") == 2)["atop_defense"].to_list() == [1] * 65
    assert panel.filter(pl.col("ccode1") == 740)["atop_defense"].to_list() == [0] * 65


def test_korean_war_between_the_two_koreas(shared_data):
    wars = loaders.load_wars(source_dir=shared_data)
    korea = wars.filter((pl.col("ccode1") == 731) & (pl.col("ccode2") == 732))
    assert set(korea["warnum"]) == {151}
    assert korea.filter(pl.col("cowinteronset") == 1)["year"].to_list() == [1950]
    assert sorted(korea["year"]) == [1950, 1951, 1952, 1953]
    directed = loaders.load_wars(source_dir=shared_data, form="directed-dyadic")
    assert (
        directed.filter(
            (pl.col("warnum") == 151) & (pl.col("statea") == 731) & (pl.col("stateb") == 732)
        ).height
        > 0
    )
    panel = (
        P.dyad_years(years=(1949, 1954), subset=[731, 732], source_dir=shared_data)
        .add_wars()
        .to_polars()
    )
    pk = panel.filter(pl.col("ccode1") == 731).sort("year")
    assert pk["war_onset"].to_list() == [0, 1, 0, 0, 0, 0]
    assert pk["war_ongoing"].to_list() == [0, 1, 1, 1, 1, 0]


def test_igo_v3_asia_pacific_organisations(shared_data):
    with pytest.raises(DataError, match="arf not coded"):
        loaders.load_igo(
            source_dir=shared_data, orgs=["ARF"]
        )  # the ASEAN Regional Forum (1994) is not in IGO v3
    igo = loaders.load_igo(source_dir=shared_data, orgs=["apec", "sco", "asean"])
    assert igo.filter(pl.col("apec") == 1)["year"].min() == 1989
    founders = sorted(igo.filter((pl.col("apec") == 1) & (pl.col("year") == 1989))["ccode"])
    assert founders == [2, 20, 732, 740, 800, 820, 830, 835, 840, 850, 900, 920]
    shanghai_five = sorted(igo.filter((pl.col("sco") == 1) & (pl.col("year") == 1996))["ccode"])
    assert shanghai_five == [365, 702, 703, 705, 710]
    assert igo.filter(pl.col("asean") == 1)["year"].min() == 1967


def test_igo_counts_match_the_published_state_year_counts(shared_data):
    sy = P.state_years(source_dir=shared_data).add_igos().to_polars()
    counts = loaders.load_igo(source_dir=shared_data, form="state-year-counts")
    both = sy.join(counts, on=["ccode", "year"])
    assert both.height == 15_557
    assert (both["igo_memberships"] == both["sum_igo_full"]).all()


def test_dispute_counts_for_known_dyads(shared_data):
    dd = P.mid_dispute_years(loaders.load_mid(source_dir=shared_data, level="participant"))
    ps = pl.read_csv(shared_data / "cow_mid_5.0" / "cow_mid_dirdisps_peacesciencer.csv")
    dyadic = loaders.load_dyadic_mid(source_dir=shared_data)

    def disputes(df, a, b, c1="ccode1", c2="ccode2", num="dispnum"):
        return set(df.filter((pl.col(c1) == a) & (pl.col(c2) == b))[num])

    china_taiwan = disputes(dd, 710, 713)
    assert len(china_taiwan) == 27
    assert (
        china_taiwan
        == disputes(ps, 710, 713)
        == disputes(dyadic, 710, 713, "statea", "stateb", "disno")
    )
    us_china = disputes(dd, 2, 710)
    assert len(us_china) == 40
    assert us_china - disputes(ps, 2, 710) == {
        4680
    }  # 2013-14: the US and China on opposite sides in 2014
    panel = (
        P.dyad_years(years=(1816, 2014), subset=[710, 713], source_dir=shared_data)
        .add_mids()
        .to_polars()
    )
    assert panel.filter(pl.col("ccode1") == 710)["mid_onsets"].sum() == 27


def test_mid_construction_agrees_with_peacesciencer(shared_data):
    dd = P.mid_dispute_years(loaders.load_mid(source_dir=shared_data, level="participant"))
    ps = pl.read_csv(shared_data / "cow_mid_5.0" / "cow_mid_dirdisps_peacesciencer.csv")
    key = ["dispnum", "ccode1", "ccode2", "year"]
    common = dd.join(ps, on=key)
    assert common.height == ps.height  # every peacesciencer dispute-year is found
    assert dd.height - ps.height < 0.01 * ps.height
    assert (common["onset"] == common["disponset"]).mean() > 0.99


def test_contiguity_formats_agree(shared_data):
    official = loaders.load_contiguity(source_dir=shared_data)
    spells = loaders.load_contiguity(
        shared_data / "cow_contiguity_3.2" / "cow_contdir_peacesciencer.csv"
    )
    assert official.height == 82_440
    assert official.equals(spells)


def test_crosswalk_matches_the_cow_gw_state_years(shared_data):
    gw = pl.read_csv(
        shared_data / "cow_states" / "cow_gw_years_peacesciencer.csv", infer_schema_length=None
    )
    both = gw.drop_nulls(["ccode", "gwcode"])
    assert both.select(codes.cow_to_gw_expr("ccode", "year"))["gwcode"].equals(both["gwcode"])


def test_polity_and_vdem_keyed_to_cow(shared_data):
    polity = (
        P.state_years(years=(1985, 1995), subset=[365, 816], source_dir=shared_data)
        .add_democracy()
        .to_polars()
    )
    assert (
        polity.filter((pl.col("ccode") == 365) & (pl.col("year") == 1985))["polity2"].item() == -7
    )  # Polity's USSR, 364
    assert (
        polity.filter((pl.col("ccode") == 816) & (pl.col("year") == 1995))["polity2"].item() == -7
    )  # Polity's 818
    vdem = loaders.load_vdem(source_dir=shared_data).drop_nulls("ccode")
    keyed = (
        loaders.load_democracy(source_dir=shared_data)
        .drop_nulls("v2x_polyarchy")
        .filter(pl.col("year") >= 1900)
    )
    m = keyed.join(
        vdem.select("ccode", "year", v15="v2x_polyarchy"), on=["ccode", "year"], how="left"
    )
    assert m["v15"].is_not_null().mean() > 0.995
    assert m.drop_nulls("v15").select(pl.corr("v2x_polyarchy", "v15")).item() > 0.99


def test_full_panel_with_every_addition(shared_data):
    panel = (
        P.dyad_years(years=(1990, 1995), region="northeast-asia", source_dir=shared_data)
        .add_capabilities().add_democracy().add_alliances().add_igos(orgs=["APEC"]).add_trade()
        .add_contiguity().add_distance().add_mids().add_wars().add_rivalries().add_crises()
    )  # fmt: skip
    df = panel.to_polars()
    assert df.height == 6 * 5 * 6
    r = df.filter(
        (pl.col("ccode1") == 710) & (pl.col("ccode2") == 365) & (pl.col("year") == 1995)
    ).row(0, named=True)
    assert r["conttype"] == 1 and r["mindist"] == 0.0
    assert 5_000 < r["capdist"] < 6_000
    assert {s.key for s in panel.sources} == {
        "cow-states", "nmc", "polity5", "atop", "igo", "trade", "contiguity", "mindist", "capitals", "mid",
        "cow-war", "tss-rivalries", "icb",
    }  # fmt: skip
    assert "@article{gibler2005," not in panel.cite() and "@book{brecher2000," in panel.cite()


def test_scenario_for_the_asia_pacific_in_1995(shared_data):
    sc = scenario_from_data(1995, region="asia-pacific", source_dir=shared_data)
    model = Scenario.model_validate(sc)
    assert "TAW" in model.codes and "ETM" not in model.codes  # Timor-Leste is not yet a state
    us_jp = next(
        i
        for i in sc["institutions"]
        if i["type"] == "bilateral_alliance" and set(i["members"]) == {"USA", "JPN"}
    )
    assert us_jp["obligations"]["USA"] == 0.9 and us_jp["obligations"]["JPN"] < 0.9
    assert {i["id"] for i in sc["institutions"]} >= {"asean", "apec", "arf"}
    china = model.state("CHN")
    assert china.nuclear and china.major_power and china.regime == -7


def test_from_data_peace_years_are_the_panels_of_the_year_before(shared_data):
    codes = ["USA", "CHN", "JPN", "ROK", "PRK", "RUS"]
    sc = scenario_from_data(1995, codes, source_dir=shared_data)
    ccode = {s["code"]: s["ccode"] for s in sc["states"]}
    panel = P.dyad_years(years=1994, subset=codes, source_dir=shared_data).add_mids().to_polars()
    py = {(r["ccode1"], r["ccode2"]): r["mid_peace_years"] for r in panel.iter_rows(named=True)}
    for d in sc["dyads"]:
        a, b = (ccode[c] for c in d["states"])
        assert d["peace_years"] == min(py[(a, b)], 200), d["states"]
    assert any(d["peace_years"] == 0 for d in sc["dyads"])  # a dispute ongoing in 1994


def test_from_data_imputes_missing_military_spending(shared_data):
    # NMC 7.0 has no North Korean milex after 2001
    sc = scenario_from_data(2010, ["USA", "CHN", "ROK", "PRK"], source_dir=shared_data)
    prk = next(s for s in sc["states"] if s["code"] == "PRK")
    assert prk["military_spending"] == 2.049  # 2001's figure, carried forward
    assert (
        "states[PRK].military_spending (imputed: carried forward from 2001)" in sc["defaults_used"]
    )
    assert "PRK 2.049 bn (carried forward from 2001)" in sc["sources"]["states"]
    assert not any(d.startswith("states[USA].military_spending") for d in sc["defaults_used"])
    later = scenario_from_data(2015, ["USA", "CHN", "ROK", "PRK"], source_dir=shared_data)
    prk = next(s for s in later["states"] if s["code"] == "PRK")
    note = next(d for d in later["defaults_used"] if d.startswith("states[PRK].military"))
    assert "military personnel and energy consumption (2015 log-log fit over" in note
    assert 0.5 < prk["military_spending"] < 20  # a plausible size, not 0
    Scenario.model_validate(later)


def test_gdp_estimates_give_growth_and_a_panel_step(shared_data):
    sc = scenario_from_data(2000, ["USA", "CHN", "JPN", "RUS"], source_dir=shared_data)
    growth = {s["code"]: s["growth"] for s in sc["states"]}
    assert 0.02 < growth["USA"] < 0.045 and growth["CHN"] > growth["USA"] > growth["JPN"]
    assert growth["RUS"] < 0  # the 1990s contraction
    assert not any("growth" in d for d in sc["defaults_used"])
    assert "growth: trend real GDP growth 1989-1999" in sc["sources"]["states"]
    panel = P.state_years(2000, subset=["USA", "CHN"], source_dir=shared_data).add_gdp()
    df = panel.to_polars()
    us = df.filter(pl.col("ccode") == 2).row(0, named=True)
    assert 1.2e7 < us["gdp_ppp"] < 1.7e7  # million 2011 USD at PPP
    assert "@article{anders2020," in panel.cite()
