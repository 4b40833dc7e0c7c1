"""COW codes, the COW <-> Gleditsch-Ward crosswalk, Polity and V-Dem keys, regions."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from secorder.data import codes
from secorder.data.regions import region_codes, region_names
from secorder.errors import InputError


@pytest.mark.parametrize(
    ("given_code", "number"),
    [
        ("USA", 2),
        ("rok", 732),
        ("PRK", 731),
        ("TAW", 713),
        ("DRV", 816),
        ("RVN", 817),
        (365, 365),
        ("740", 740),
    ],
)
def test_cow_code(given_code, number):
    assert codes.cow_code(given_code) == number


def test_cow_abb_and_name():
    assert codes.cow_abb(713) == "TAW"
    assert codes.cow_name(731) == "North Korea"
    assert codes.cow_abb(255) == "GMY"


@pytest.mark.parametrize("bad", ["XYZ", 999, "", "12a"])
def test_unknown_code_is_an_input_error(bad):
    with pytest.raises(InputError, match="unknown COW state code"):
        codes.cow_code(bad)


def test_state_list_is_complete_and_unique():
    numbers = [c for c, _, _ in codes.COW_STATES]
    abbs = [a for _, a, _ in codes.COW_STATES]
    assert len(numbers) == len(set(numbers)) == 217
    assert len(abbs) == len(set(abbs))


@pytest.mark.parametrize(
    ("ccode", "year", "gw"),
    [
        (255, 1900, 255),  # Germany (Prussia)
        (255, 1995, 260),  # unified Germany keeps the GFR's GW code
        (260, 1970, 260),
        (265, 1970, 265),
        (345, 1900, 340),  # Serbia
        (345, 1950, 345),  # Yugoslavia
        (345, 2010, 340),
        (345, 1916, None),
        (679, 1995, 678),  # unified Yemen
        (365, 1950, 365),  # USSR: same code
        (730, 1890, 730),
        (731, 1995, 731),
        (732, 1995, 732),
        (713, 1995, 713),
        (816, 1980, 816),
        (817, 1965, 817),
        (970, 2000, 971),  # Nauru (GW microstates list)
        (946, 2000, 970),  # Kiribati
    ],
)
def test_cow_to_gw(ccode, year, gw):
    assert codes.cow_to_gw(ccode, year) == gw


@pytest.mark.parametrize(
    ("gw", "year", "ccode"),
    [
        (260, 1995, 255),
        (260, 1970, 260),
        (340, 2010, 345),
        (678, 1995, 679),
        (678, 1980, 678),
        (971, 2000, 970),
    ],
)
def test_gw_to_cow(gw, year, ccode):
    assert codes.gw_to_cow(gw, year) == ccode


@given(st.sampled_from([c for c, _, _ in codes.COW_STATES]), st.integers(1816, 2024))
def test_crosswalk_round_trips(ccode, year):
    # The GFR (260) and the YAR (678) end in 1990, when their successors (COW 255 and 679)
    # take over their GW codes; from 1990 on those GW codes map to the successors.
    assume(not (ccode in (260, 678) and year >= 1990))
    gw = codes.cow_to_gw(ccode, year)
    if gw is not None:
        assert codes.gw_to_cow(gw, year) == ccode


def test_crosswalk_expressions_match_scalars():
    df = pl.DataFrame({"ccode": [255, 255, 345, 679, 2], "year": [1900, 1995, 2010, 1995, 1995]})
    got = df.select(codes.cow_to_gw_expr("ccode", "year"))["gwcode"].to_list()
    assert got == [codes.cow_to_gw(c, y) for c, y in df.iter_rows()]
    back = (
        df.with_columns(gwcode=pl.Series(got))
        .select(codes.gw_to_cow_expr("gwcode", "year"))["ccode"]
        .to_list()
    )
    assert back == [255, 255, 345, 679, 2]


def test_crosswalk_notes_cover_the_hard_cases():
    names = {row[0] for row in codes.CROSSWALK_NOTES}
    assert {
        "North Korea",
        "South Korea",
        "Korea",
        "Taiwan",
        "Vietnam",
        "Republic of Vietnam",
        "Russia / USSR",
        "Germany",
    } <= names


def test_polity_codes_to_cow():
    df = pl.DataFrame(
        {
            "ccode": [818, 364, 342, 347, 529, 769, 2, 99],
            "year": [1995, 1980, 2010, 1995, 2000, 1960, 1995, 1825],
        }
    )
    assert df.select(codes.polity_to_cow_expr())["ccode"].to_list() == [
        816,
        365,
        345,
        345,
        530,
        770,
        2,
        None,
    ]


def test_vdem_ids_to_cow():
    df = pl.DataFrame(
        {
            "country_text_id": [
                "USA",
                "KOR",
                "PRK",
                "TWN",
                "VNM",
                "VDR",
                "RUS",
                "DEU",
                "DEU",
                "DEU",
                "CZE",
                "CZE",
                "YEM",
                "YEM",
                "HKG",
            ],
            "year": [
                1995,
                1995,
                1995,
                1995,
                1995,
                1965,
                1950,
                1930,
                1970,
                1995,
                1980,
                1995,
                1980,
                1995,
                1995,
            ],
        }
    )
    got = df.select(codes.vdem_to_cow_expr())["ccode"].to_list()
    assert got == [2, 732, 731, 713, 816, 817, 365, 255, 260, 255, 315, 316, 678, 679, None]


def test_regions():
    ne = region_codes("northeast-asia")
    assert ne == {2, 710, 740, 365, 732, 731}
    ap = region_codes("Asia-Pacific")
    assert {713, 816, 900, 20} <= ap
    assert not ({750, 770, 771, 780} & ap)  # the ARF's South Asian members are not in it
    assert 200 in region_codes("europe") and 2 in region_codes("americas")
    assert "asia-pacific" in region_names()


def test_unknown_region():
    with pytest.raises(InputError, match="unknown region 'atlantis'"):
        region_codes("atlantis")
