"""Every loader on a hand-made file in the producer's format."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from secorder.data import loaders
from secorder.errors import DataError, InputError


def row(df: pl.DataFrame, **where: object) -> dict:
    sub = df.filter(*(pl.col(k) == v for k, v in where.items()))
    assert sub.height == 1, f"{where}: {sub.height} rows"
    return sub.row(0, named=True)


def test_states_and_majors(fixture_dir):
    states = loaders.load_states(fixture_dir / "states_small.csv")
    assert states.height == 8
    assert row(states, ccode=740, styear=1952)["stmonth"] == 4
    majors = loaders.load_majors(fixture_dir / "majors_small.csv")
    assert set(majors["ccode"]) == {2, 365, 710, 740}


def test_gw_states_dates(fixture_dir):
    gw = loaders.load_gw_states(fixture_dir / "gw_states_small.csv")
    assert gw.schema["startdate"] == pl.Date
    assert row(gw, gwcode=732)["startdate"] == dt.date(1948, 8, 15)


def test_capitals(fixture_dir):
    caps = loaders.load_capitals(fixture_dir / "capitals_small.csv")
    assert row(caps, capital="Moscow")["lat"] == pytest.approx(55.7558)


def test_nmc_missing_codes_become_null(fixture_dir):
    nmc = loaders.load_nmc(fixture_dir / "nmc_small.csv", version="6.0")
    assert nmc.height == 28
    assert row(nmc, ccode=713, year=1994)["irst"] is None
    assert row(nmc, ccode=731, year=1996)["milex"] is None
    assert row(nmc, ccode=2, year=1995)["milex"] == 278_000_000
    assert nmc["milex"].min() > 0


def test_nmc_version_is_checked(fixture_dir):
    with pytest.raises(
        DataError,
        match=r"nmc_small.csv: this is COW National Material Capabilities 6.0 \(version column 2021\), not 7.0",
    ):
        loaders.load_nmc(fixture_dir / "nmc_small.csv", version="7.0")


def test_nmc_unknown_version(fixture_dir):
    with pytest.raises(InputError, match="unknown NMC version '8.0'"):
        loaders.load_nmc(fixture_dir / "nmc_small.csv", version="8.0")  # type: ignore[arg-type]


def test_mid_files(fixture_dir):
    a = loaders.load_mid(fixture_dir / "mida_small.csv")
    assert row(a, dispnum=9002)["stday"] is None
    assert row(a, dispnum=9002)["outcome"] is None
    b = loaders.load_mid(fixture_dir / "midb_small.csv", level="participant")
    prk = row(b, dispnum=9002, ccode=731)
    assert (prk["stday"], prk["revtype2"], prk["fatality"]) == (None, None, 1)
    assert row(b, dispnum=9002, ccode=732)["fatality"] is None
    i = loaders.load_mid(fixture_dir / "midi_small.csv", level="incident")
    assert row(i, incidnum=9001001)["tbi"] is None
    ip = loaders.load_mid(fixture_dir / "midip_small.csv", level="incident-participant")
    assert row(ip, incidnum=9001002, ccode=2)["fatalpre"] is None


def test_gml_and_dyadic_mid(fixture_dir):
    gml = loaders.load_gml(fixture_dir / "gml_dirdisp_small.csv", level="dispute-year")
    assert row(gml, ccode1=710, ccode2=713, year=1996)["fatalpre1"] is None
    dy = loaders.load_dyadic_mid(fixture_dir / "dyadic_mid_small.csv")
    assert dy.height == 4
    assert row(dy, statea=713, stateb=710, year=1995)["fatleva"] is None


def test_midloc(fixture_dir):
    loc = loaders.load_midloc(fixture_dir / "midloc_a_small.csv")
    assert row(loc, dispnum=9001)["midloc2_ylatitude"] == pytest.approx(24.5)
    assert loc["priogrid_cell"].null_count() == 1


def test_wars_three_forms(fixture_dir):
    dy = loaders.load_wars(fixture_dir / "wars_dy_small.csv")
    assert row(dy, ccode1=2, ccode2=731, year=1950)["batdeath1"] is None
    directed = loaders.load_wars(fixture_dir / "directed_war_small.csv", form="directed-dyadic")
    assert set(directed["statea"]) == {731, 732}
    part = loaders.load_wars(fixture_dir / "war_participants_small.csv", form="participant")
    assert part.columns[:3] == ["warnum", "warname", "wartype"]
    assert part["startyear2"].null_count() == 3  # -8, not applicable
    assert row(part, ccode=2)["batdeath"] is None  # -9, unknown


def test_contiguity_three_formats_agree(fixture_dir):
    dy = loaders.load_contiguity(fixture_dir / "contdird_small.csv")
    spells = loaders.load_contiguity(fixture_dir / "contdir_spells_small.csv")
    master = loaders.load_contiguity(fixture_dir / "contdirs_small.csv")
    assert dy.columns == ["ccode1", "ccode2", "year", "conttype"]
    assert dy.height == 48
    assert dy.equals(spells)
    directed_master = pl.concat(
        [master, master.select(ccode1="ccode2", ccode2="ccode1", year="year", conttype="conttype")]
    )
    assert directed_master.sort("ccode1", "ccode2", "year").equals(dy)


def test_mindist(fixture_dir):
    md = loaders.load_mindist(fixture_dir / "mindist_small.csv")
    assert row(md, ccode1=710, ccode2=713)["mindist"] == pytest.approx(130.5)


def test_igo_state_year_codes(fixture_dir):
    igo = loaders.load_igo(fixture_dir / "igo_sy_small.csv")
    assert row(igo, ccode=710, year=1995)["sco"] is None  # -1: not yet in existence
    assert row(igo, ccode=731, year=1996)["un"] is None  # -9: missing
    assert row(igo, ccode=732, year=1995)["asean"] == 3  # observer
    assert "state" not in {c for c in igo.columns if igo.schema[c] == pl.Int64}


def test_igo_named_orgs_and_absent_org(fixture_dir):
    igo = loaders.load_igo(fixture_dir / "igo_sy_small.csv", orgs=["APEC", "sco"])
    assert igo.columns == ["ccode", "year", "apec", "sco"]
    with pytest.raises(DataError, match="IGO.*arf not coded in COW IGO 3.0"):
        loaders.load_igo(fixture_dir / "igo_sy_small.csv", orgs=["ARF"])


def test_igo_dyad_year(fixture_dir):
    ndy = loaders.load_igo(fixture_dir / "igo_ndy_small.csv", form="dyad-year")
    assert row(ndy, ccode1=2, ccode2=740, year=1995)["dyadigos"] == 61


def test_trade(fixture_dir):
    dyadic = loaders.load_trade(fixture_dir / "trade_ndy_small.csv")
    assert row(dyadic, ccode1=710, ccode2=713)["flow2"] is None
    national = loaders.load_trade(fixture_dir / "trade_sy_small.csv", form="national")
    assert row(national, ccode=713)["imports"] is None
    assert row(national, ccode=731)["exports"] is None


def test_atop_forms(fixture_dir, tmp_path):
    dy = loaders.load_atop(fixture_dir / "atop_ddyr_small.csv")
    assert row(dy, ccode1=2, ccode2=740, year=1995)["atop_defense"] == 1
    assert row(dy, ccode1=740, ccode2=2, year=1995)["atop_defense"] == 0
    raw = tmp_path / "atop5_1ddyr.csv"
    raw.write_text(
        "stateA,stateB,year,atopally,defense,offense,neutral,nonagg,consul,shareob\n2,740,1995,1,1,0,0,0,1,1\n"
    )
    assert loaders.load_atop(raw).row(0, named=True)["atop_defense"] == 1
    members = loaders.load_atop(fixture_dir / "atop_member_small.csv", form="member")
    assert row(members, atopid=9101, member=2)["yrexit"] is None  # 0: still in effect
    assert row(members, atopid=9105, member=2)["yrexit"] == 1910


def test_polity_special_codes(fixture_dir):
    p = loaders.load_polity(fixture_dir / "polity_small.csv")
    rus = row(p, ccode=365, year=1992)
    assert (rus["democ"], rus["autoc"], rus["polity"], rus["xconst"]) == (None, None, None, None)
    assert rus["polity2"] == 5
    ussr = row(p, ccode=364, year=1990)
    assert ussr["polity2"] == -9 and ussr["polity"] == -9  # -9 is a score, not a missing code


def test_vdem_gets_cow_codes(fixture_dir):
    v = loaders.load_vdem(fixture_dir / "vdem_ert_small.csv")
    assert row(v, country_text_id="TWN")["ccode"] == 713
    assert row(v, country_text_id="KOR")["ccode"] == 732
    assert row(v, country_text_id="DEU")["ccode"] == 260  # West Germany in 1970
    assert row(v, country_text_id="HKG")["ccode"] is None
    assert row(v, country_text_id="RUS")["v2x_polyarchy"] == pytest.approx(0.42)


def test_democracy(fixture_dir):
    d = loaders.load_democracy(fixture_dir / "democracy_small.csv")
    assert row(d, ccode=713)["polity2"] == 7


def test_icb_levels(fixture_dir):
    actors = loaders.load_icb(fixture_dir / "icb2_small.csv")
    assert row(actors, crisno=903)["yrterm"] is None
    crises = loaders.load_icb(fixture_dir / "icb1_small.csv", level="crisis")
    assert row(crises, crisno=901)["gravcr"] == 3


def test_rivalries_and_arms_races(fixture_dir):
    tss = loaders.load_rivalries(fixture_dir / "tss_small.csv")
    assert row(tss, tssr_id=901)["interventionary"] is None
    td = loaders.load_rivalries(fixture_dir / "td_small.csv", source="td")
    assert row(td, rivalryno=901)["type1"] == "spatial"
    races = loaders.load_arms_races(fixture_dir / "arms_races_small.csv")
    assert races.row(0, named=True)["styear"] == 1897


def test_loaders_find_the_standard_layout(mini_dir):
    assert loaders.load_nmc(source_dir=mini_dir).height == 28
    assert loaders.load_nmc(source_dir=mini_dir, version="6.0").height == 28
    assert loaders.load_atop(source_dir=mini_dir).height == 20  # gzip
    assert loaders.load_wars(source_dir=mini_dir, form="participant").height == 3


def test_provenance_records_version_and_file(mini_dir):
    loaded = loaders.read("nmc-6.0", source_dir=mini_dir)
    assert (loaded.source.key, loaded.source.version, loaded.source.file) == (
        "nmc",
        "6.0",
        "NMC-60-abridged.csv",
    )
    assert loaders.read("nmc-7.0", source_dir=mini_dir).source.via_peacesciencer


def test_gdp_estimates_and_levels(fixture_dir):
    from secorder.data.registry import gdp_levels

    g = loaders.load_gdp(fixture_dir / "gdp_sdp_small.csv")
    assert g.height == 4 and row(g, ccode=731)["wbgdp2011est"] is None
    lv = gdp_levels(g)
    assert row(lv, ccode=2, year=1995)["gdp_ppp"] == pytest.approx((2.71828182846**30.13 - 1) / 1e6)
    assert row(lv, ccode=731)["gdp_ppp"] is None
