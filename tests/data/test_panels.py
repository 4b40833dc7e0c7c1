"""Panels on the hand-made data: units, every ``add_*`` step, provenance and output."""

from __future__ import annotations

import json

import polars as pl
import pyarrow.parquet as pq
import pytest

from secorder.data import cite
from secorder.data import panels as P
from secorder.errors import DataError, InputError

YEARS = (1990, 1996)


def at(df: pl.DataFrame, *key: int) -> dict:
    names = ["ccode1", "ccode2", "year"] if len(key) == 3 else ["ccode", "year"]
    sub = df.filter(*(pl.col(n) == v for n, v in zip(names, key, strict=True)))
    assert sub.height == 1, f"{key}: {sub.height} rows"
    return sub.row(0, named=True)


@pytest.fixture(scope="module")
def dyads(mini_dir):
    return P.dyad_years(years=YEARS, source_dir=mini_dir).collect()


@pytest.fixture(scope="module")
def states(mini_dir):
    return P.state_years(years=YEARS, source_dir=mini_dir).collect()


# ---------------------------------------------------------------- units


def test_state_years_count_and_gap(mini_dir):
    sy = P.state_years(source_dir=mini_dir).to_polars()
    assert sy.height == 915  # 201 + 201 + 157 + 68 + 69 + 68 + (86 + 65)
    japan = sy.filter(pl.col("ccode") == 740)["year"]
    assert 1945 in japan and 1946 not in japan and 1951 not in japan and 1952 in japan
    assert sy.columns == ["ccode", "stateabb", "year"]


def test_dyad_years_counts(mini_dir):
    sy = P.state_years(source_dir=mini_dir).to_polars()
    per_year = sy.group_by("year").len()
    expected = int((per_year["len"] * (per_year["len"] - 1)).sum())
    directed = P.dyad_years(source_dir=mini_dir).to_polars()
    assert directed.height == expected
    nondirected = P.dyad_years(False, source_dir=mini_dir).to_polars()
    assert nondirected.height == expected // 2
    assert (nondirected["ccode1"] < nondirected["ccode2"]).all()
    assert directed.filter(pl.col("year") == 1950).height == 30  # Japan is not a member in 1950


def test_dyad_rows_are_in_year_order_within_each_dyad(dyads):
    df = dyads.to_polars()
    assert df.height == 7 * 6 * 7
    ordered = df.group_by("ccode1", "ccode2", maintain_order=True).agg(
        pl.col("year").diff().drop_nulls().min()
    )
    assert (ordered["year"] == 1).all()


@pytest.mark.parametrize(
    "years", ["1990-1996", (1990, 1996), range(1990, 1997), [1996, 1990, 1993]]
)
def test_year_selections(mini_dir, years):
    got = sorted(P.state_years(years, source_dir=mini_dir).to_polars()["year"].unique())
    assert got[0] == 1990 and got[-1] == 1996


@pytest.mark.parametrize("bad", ["2014-1946", "1946-19x", "1-2-3", (2000, 1990)])
def test_bad_years(bad):
    with pytest.raises(InputError, match="years"):
        P.parse_years(bad)


def test_subset_and_region(mini_dir):
    sub = P.dyad_years(years=1995, subset=["USA", 740, "ROK"], source_dir=mini_dir).to_polars()
    assert sub.height == 6
    ne = P.dyad_years(years=1995, region="northeast-asia", source_dir=mini_dir).to_polars()
    assert ne.height == 30 and 713 not in ne["ccode1"]
    with pytest.raises(InputError, match="unknown COW state code 'XYZ'"):
        P.dyad_years(subset=["XYZ"], source_dir=mini_dir)


def test_gleditsch_ward_system(mini_dir):
    sy = P.state_years(system="gw", source_dir=mini_dir).to_polars()
    assert {"gwcode", "ccode"} <= set(sy.columns)
    assert 1946 in sy.filter(pl.col("gwcode") == 740)["year"]  # no occupation gap in GW
    germany = sy.filter((pl.col("gwcode") == 260) & pl.col("year").is_in([1970, 1995]))
    assert germany.sort("year")["ccode"].to_list() == [260, 255]
    dy = P.dyad_years(years=1950, system="gw", source_dir=mini_dir).to_polars()
    assert {"gwcode1", "gwcode2", "ccode1", "ccode2"} <= set(dy.columns)


def test_politically_relevant(mini_dir):
    prd = P.dyad_years(years=1995, politically_relevant=True, source_dir=mini_dir)
    df = prd.to_polars()
    # excluded: Taiwan-North Korea and Taiwan-South Korea (no major power, not contiguous)
    assert df.height == 42 - 4
    assert df.filter((pl.col("ccode1") == 713) & (pl.col("ccode2") == 731)).height == 0
    assert df.filter((pl.col("ccode1") == 731) & (pl.col("ccode2") == 732)).height == 1
    assert df.columns == ["ccode1", "ccode2", "year"]
    assert {s.key for s in prd.sources} == {"cow-states", "contiguity", "cow-majors"}


# ---------------------------------------------------------------- state-level data


def test_capabilities(dyads, states):
    df = dyads.add_capabilities().to_polars()
    r = at(df, 2, 740, 1995)
    assert (r["cinc1"], r["cinc2"], r["tpop2"]) == (
        pytest.approx(0.14),
        pytest.approx(0.051),
        125_500,
    )
    assert at(df, 713, 2, 1994)["irst1"] is None
    assert at(df, 2, 731, 1996)["milex2"] is None
    assert at(df, 2, 740, 1990)["cinc1"] is None  # outside the fixture's years
    sy = states.add_capabilities(version="6.0").to_polars()
    assert at(sy, 710, 1996)["milper"] == 2840


def test_major_powers(dyads):
    df = dyads.add_major_powers().to_polars()
    assert (at(df, 740, 731, 1990)["major1"], at(df, 740, 731, 1992)["major1"]) == (0, 1)


def test_democracy_sources(mini_dir, states):
    polity = states.add_democracy().to_polars()
    assert at(polity, 365, 1990)["polity2"] == -9  # Polity's USSR (364) keyed to COW 365
    assert at(polity, 365, 1992)["polity"] is None and at(polity, 365, 1992)["polity2"] == 5
    vdem = states.add_democracy(source="vdem").to_polars()
    assert at(vdem, 713, 1995)["v2x_polyarchy"] == pytest.approx(0.62)
    cd = (
        P.dyad_years(years=1995, source_dir=mini_dir)
        .add_democracy(source="ccode_democracy")
        .to_polars()
    )
    assert at(cd, 710, 713, 1995)["polity22"] == 7
    with pytest.raises(InputError, match="unknown democracy source"):
        states.add_democracy(source="freedom-house")


def test_trade_direction_and_dependence(dyads, states):
    gdp = pl.DataFrame({"ccode": [2, 710], "year": [1995, 1995], "gdp": [7_640_000.0, 734_000.0]})
    df = dyads.add_trade(gdp=gdp).to_polars()
    us_cn, cn_us = at(df, 2, 710, 1995), at(df, 710, 2, 1995)
    assert (us_cn["imports1"], us_cn["imports2"], us_cn["trade"]) == (48_500, 16_100, 64_600)
    assert (cn_us["imports1"], cn_us["imports2"]) == (16_100, 48_500)
    assert us_cn["dependence1"] == pytest.approx(64_600 / 7_640_000)
    assert cn_us["dependence1"] == pytest.approx(64_600 / 734_000)
    assert at(df, 713, 710, 1995)["trade"] is None  # a missing flow is not zero
    smooth = dyads.add_trade(smoothed=True).to_polars()
    assert at(smooth, 710, 713, 1995)["imports2"] == 3_100
    sy = states.add_trade(gdp=gdp).to_polars()
    assert at(sy, 2, 1995)["trade"] == 770_900 + 584_700
    assert at(sy, 2, 1995)["openness"] == pytest.approx((770_900 + 584_700) / 7_640_000)
    assert at(sy, 713, 1995)["trade"] is None
    with pytest.raises(InputError, match="gdp frame needs columns"):
        dyads.add_trade(gdp=pl.DataFrame({"ccode": [2]}))


# ---------------------------------------------------------------- dyadic data


def test_alliances_are_directed(mini_dir, dyads, states):
    df = dyads.add_alliances().to_polars()
    us_jp, jp_us = at(df, 2, 740, 1995), at(df, 740, 2, 1995)
    assert (us_jp["atop_defense"], us_jp["atop_consul"], us_jp["atop_ally"]) == (1, 1, 1)
    assert (jp_us["atop_defense"], jp_us["atop_nonagg"], jp_us["atop_ally"]) == (0, 1, 1)
    assert at(df, 2, 710, 1995)["atop_defense"] == 0
    assert at(df, 2, 740, 1990)["atop_defense"] is None  # before the fixture's coverage
    nd = P.dyad_years(False, years=1995, source_dir=mini_dir).add_alliances().to_polars()
    assert at(nd, 2, 740, 1995)["atop_defense"] == 1 and at(nd, 2, 740, 1995)["atop_nonagg"] == 1
    sy = states.add_alliances().to_polars()
    assert (
        at(sy, 2, 1995)["atop_defense_partners"],
        at(sy, 740, 1995)["atop_defense_partners"],
    ) == (2, 0)
    assert at(sy, 740, 1995)["atop_allies"] == 1


def test_igos(dyads, states):
    df = dyads.add_igos(orgs=["APEC", "SCO"]).to_polars()
    r = at(df, 2, 740, 1995)
    assert (r["igo_apec1"], r["igo_apec2"], r["igo_sco1"], r["igo_shared"]) == (1, 1, None, 61)
    assert at(df, 740, 2, 1995)["igo_shared"] == 61  # non-directed data match both orders
    assert at(df, 365, 710, 1996)["igo_sco1"] == 1
    with pytest.raises(DataError, match="arf not coded"):
        dyads.add_igos(orgs=["ARF"])
    sy = states.add_igos().to_polars()
    assert at(sy, 2, 1995)["igo_memberships"] == 2  # APEC and UN; SCO not yet in existence


def test_contiguity(dyads, states):
    df = dyads.add_contiguity().to_polars()
    assert at(df, 365, 710, 1995)["conttype"] == 1
    assert at(df, 713, 710, 1995)["conttype"] == 4
    assert at(df, 2, 740, 1995)["conttype"] == 0
    assert at(df, 2, 740, 1990)["conttype"] is None  # outside the file's years
    sy = states.add_contiguity().to_polars()
    assert (at(sy, 365, 1995)["land_neighbours"], at(sy, 365, 1995)["contiguous_neighbours"]) == (
        2,
        4,
    )


def test_distance(mini_dir, dyads, states):
    from secorder.scenario.schema import great_circle_km

    df = dyads.add_distance().to_polars()
    r = at(df, 2, 740, 1995)
    assert r["mindist"] == pytest.approx(1234.5)
    assert r["capdist"] == pytest.approx(
        great_circle_km((38.895, -77.0365), (35.6762, 139.6503)), rel=1e-9
    )
    assert at(df, 740, 2, 1995)["capdist"] == pytest.approx(r["capdist"])
    caps = P.capital_years(P.loaders.load_capitals(source_dir=mini_dir))
    assert (
        caps.filter((pl.col("ccode") == 365) & (pl.col("year") == 1918))["capital"].item()
        == "Moscow"
    )
    with pytest.raises(InputError, match="dyadic measure"):
        states.add_distance()
    with pytest.raises(InputError, match="unknown distance kind"):
        dyads.add_distance(kind=["road"])


def test_mid_dispute_years_pairs_sides(mini_dir):
    dd = P.mid_dispute_years(P.loaders.load_mid(source_dir=mini_dir, level="participant"))
    assert (dd["ccode1"] != dd["ccode2"]).all()
    pairs = set(dd.filter(pl.col("dispnum") == 9001).select("ccode1", "ccode2", "year").iter_rows())
    assert pairs == {
        (710, 713, 1995),
        (713, 710, 1995),
        (710, 713, 1996),
        (713, 710, 1996),
        (710, 2, 1996),
        (2, 710, 1996),
    }
    switch = set(
        dd.filter(pl.col("dispnum") == 9006).select("ccode1", "ccode2", "year").iter_rows()
    )
    assert switch == {
        (365, 710, 1990),
        (710, 365, 1990),
        (740, 365, 1991),
        (365, 740, 1991),
        (740, 710, 1991),
        (710, 740, 1991),
    }


def test_mids_dyadic(dyads):
    df = dyads.add_mids().to_polars()
    cn_tw95, cn_tw96 = at(df, 710, 713, 1995), at(df, 710, 713, 1996)
    assert (
        cn_tw95["mid_onset"],
        cn_tw95["mid_ongoing"],
        cn_tw95["mid_hostlev"],
        cn_tw95["mid_fatal"],
    ) == (1, 1, 4, 0)
    assert (cn_tw96["mid_onset"], cn_tw96["mid_ongoing"]) == (0, 1)
    assert at(df, 2, 710, 1996)["mid_onset"] == 1  # the US joins in 1996: a new dyadic dispute
    assert at(df, 2, 713, 1996)["mid_ongoing"] == 0  # same side
    assert at(df, 731, 732, 1994)["mid_fatal"] == 1
    assert at(df, 2, 740, 1995)["mid_onset"] == 0
    # peace years: Russia-Japan disputes ongoing in 1904-1905, 1991 and 1993
    py = (
        df.filter((pl.col("ccode1") == 365) & (pl.col("ccode2") == 740))
        .sort("year")["mid_peace_years"]
        .to_list()
    )
    assert py == [85, 0, 1, 0, 1, 2, 3]
    assert at(df, 365, 740, 1996)["mid_peace_years3"] == 27
    # China-Taiwan: no dispute before 1995, counted from Taiwan's entry in 1949
    assert (
        at(df, 710, 713, 1994)["mid_peace_years"] == 45
        and at(df, 710, 713, 1996)["mid_peace_years"] == 0
    )


def test_mids_war_and_states(mini_dir, states):
    early = (
        P.dyad_years(years=(1903, 1906), subset=["RUS", "JPN"], source_dir=mini_dir)
        .add_mids()
        .to_polars()
    )
    r = at(early, 740, 365, 1904)
    assert (r["mid_war"], r["mid_fatal"], r["mid_onset"], r["mid_hostlev"]) == (1, 1, 1, 5)
    assert at(early, 740, 365, 1906)["mid_war"] == 0
    sy = states.add_mids().to_polars()
    assert (
        at(sy, 365, 1990)["mid_onset"],
        at(sy, 365, 1991)["mid_onset"],
        at(sy, 365, 1991)["mid_ongoing"],
    ) == (1, 0, 1)
    assert at(sy, 740, 1991)["mid_onsets"] == 1
    assert at(sy, 365, 1992)["mid_peace_years"] == 1


def test_mid_sources(mini_dir):
    panel = P.dyad_years(years=(1995, 1996), subset=["CHN", "TAW"], source_dir=mini_dir)
    gml = panel.add_mids(source="gml").to_polars()
    dyadic = panel.add_mids(source="dyadic").to_polars()
    for df in (gml, dyadic):
        assert at(df, 710, 713, 1995)["mid_onset"] == 1 and at(df, 710, 713, 1996)["mid_onset"] == 0
    with pytest.raises(InputError, match="unknown MID source"):
        panel.add_mids(source="icews")


def test_wars(mini_dir):
    df = P.dyad_years(years=(1950, 1952), source_dir=mini_dir).add_wars().to_polars()
    assert (at(df, 731, 732, 1950)["war_onset"], at(df, 731, 732, 1951)["war_onset"]) == (1, 0)
    assert at(df, 731, 732, 1951)["war_ongoing"] == 1 and at(df, 731, 732, 1952)["war_ongoing"] == 0
    sy = P.state_years(years=1950, source_dir=mini_dir).add_wars().to_polars()
    assert at(sy, 2, 1950)["war_onset"] == 1 and at(sy, 710, 1950)["war_onset"] == 0


def test_rivalries(dyads, states):
    df = dyads.add_rivalries().to_polars()
    r = at(df, 713, 710, 1995)
    assert (
        r["rivalry"],
        r["rivalry_spatial"],
        r["rivalry_ideological"],
        r["rivalry_interventionary"],
    ) == (1, 1, 1, 0)
    assert (at(df, 2, 710, 1995)["rivalry"], at(df, 2, 710, 1996)["rivalry"]) == (0, 1)
    assert at(states.add_rivalries().to_polars(), 710, 1996)["rivalries"] == 2
    td = dyads.add_rivalries(source="td").to_polars()
    assert at(td, 710, 713, 1995)["rivalry_spatial"] == 1 and at(td, 2, 710, 1996)["rivalry"] == 0


def test_crises(dyads, states):
    df = dyads.add_crises().to_polars()
    r95, r96 = at(df, 710, 713, 1995), at(df, 710, 713, 1996)
    assert (r95["icb_crisis"], r95["icb_onset"], r95["icb_violence"]) == (1, 1, 2)
    assert (r96["icb_crisis"], r96["icb_onset"]) == (1, 0)
    assert at(df, 2, 710, 1996)["icb_onset"] == 1
    assert at(df, 2, 710, 1995)["icb_crisis"] == 0
    assert at(df, 2, 710, 1990)["icb_crisis"] is None  # outside the file's years
    sy = states.add_crises().to_polars()
    assert (at(sy, 2, 1996)["icb_crisis"], at(sy, 2, 1996)["icb_onsets"]) == (1, 2)


# ---------------------------------------------------------------- provenance and output


def test_chaining_records_exactly_the_sources(dyads):
    panel = dyads.add_capabilities().add_alliances().add_contiguity().add_mids()
    keys = [s.key for s in panel.sources]
    assert keys == ["cow-states", "nmc", "atop", "contiguity", "mid"]
    bib = panel.cite()
    assert bib == cite(panel)
    for key in (
        "cow2017states",
        "singer1972",
        "leeds2002",
        "stinnett2002",
        "palmer2022",
        "miller2022",
    ):
        assert f"{{{key}," in bib
    assert "pevehouse2020" not in bib and "marshall2020" not in bib
    assert "% COW National Material Capabilities, version 7.0 (NMC-7.0_peacesciencer.csv)" in bib


def test_functions_and_methods_agree(dyads):
    assert P.add_contiguity(dyads).to_polars().equals(dyads.add_contiguity().to_polars())


def test_adding_twice_is_an_error(dyads):
    with pytest.raises(InputError, match="already has column"):
        dyads.add_contiguity().add_contiguity()


def test_write_parquet_with_metadata(tmp_path, dyads):
    panel = dyads.add_contiguity()
    out = panel.write_parquet(tmp_path / "panel.parquet")
    back = pl.read_parquet(out)
    assert back.equals(panel.to_polars())
    meta = pq.read_schema(out).metadata
    assert meta[b"secorder.unit"] == b"dyad-year"
    assert [s["key"] for s in json.loads(meta[b"secorder.sources"])] == ["cow-states", "contiguity"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["panel.parquet"]


def test_to_pandas(states):
    pdf = states.to_pandas()
    assert list(pdf.columns) == ["ccode", "stateabb", "year"] and len(pdf) == 49


def test_dyad_years_accept_an_iterator_of_years(mini_dir):
    a = P.dyad_years(years=iter([1995, 1996]), source_dir=mini_dir).to_polars()
    b = P.dyad_years(years=(1995, 1996), source_dir=mini_dir).to_polars()
    assert a.equals(b) and a.height > 0
