"""Fixtures for the data-layer tests: hand-made files laid out like ../shared/data."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "data"

# fixture file -> path in the standard layout (``.gz`` targets are compressed on the way)
LAYOUT = {
    "states_small.csv": "cow_states/states2016.csv",
    "majors_small.csv": "cow_states/majors2024.csv",
    "gw_states_small.csv": "cow_states/gw_states_peacesciencer.csv",
    "capitals_small.csv": "cow_states/cow_capitals_peacesciencer.csv",
    "nmc_small.csv": "cow_nmc/NMC-60-abridged.csv",
    "mida_small.csv": "cow_mid_5.0/MIDA_5.0.csv",
    "midb_small.csv": "cow_mid_5.0/MIDB_5.0.csv",
    "midi_small.csv": "cow_mid_5.0/MIDI_5.0.csv",
    "midip_small.csv": "cow_mid_5.0/MIDIP_5.0.csv",
    "gml_dirdisp_small.csv": "gml_mid_2.2.1/gml_dirdisp.csv",
    "dyadic_mid_small.csv": "dyadic_mid_4.02/dyadic_mid_4.02.csv",
    "midloc_a_small.csv": "midloc_2.1/MIDLOCA_2.1.csv",
    "wars_dy_small.csv": "cow_interstate_war/cow_war_inter_peacesciencer.csv",
    "directed_war_small.csv": "cow_interstate_war/directed_dyadic_war.csv",
    "war_participants_small.csv": "Inter-StateWarData_v4.0.csv",
    "contdird_small.csv": "cow_contiguity_3.2/contdird.csv",
    "mindist_small.csv": "mindist_cshapes2/cow_mindist_peacesciencer.csv.gz",
    "igo_sy_small.csv": "cow_igo_v3/state_year_formatv3.csv.gz",
    "igo_ndy_small.csv": "cow_igo_v3/cow_igo_ndy_peacesciencer.csv.gz",
    "trade_ndy_small.csv": "cow_trade_4.0/cow_trade_ndy_1950_2014_peacesciencer.csv.gz",
    "trade_sy_small.csv": "cow_trade_4.0/cow_trade_sy_peacesciencer.csv",
    "atop_ddyr_small.csv": "atop/atop5_1_ddyr_peacesciencer.csv.gz",
    "atop_member_small.csv": "atop/atop4_01_member_level.csv",
    "polity_small.csv": "polity5/p5v2018.csv",
    "vdem_ert_small.csv": "vdem_ert_v15/ert.csv",
    "democracy_small.csv": "ccode_democracy/ccode_democracy_peacesciencer.csv",
    "icb2_small.csv": "icb_v14/icb2v14.csv",
    "icb1_small.csv": "icb_v14/icb1v14.csv",
    "tss_small.csv": "rivalries_arms_races/tss_rivalries_peacesciencer.csv",
    "td_small.csv": "rivalries_arms_races/td_rivalries_peacesciencer.csv",
    "arms_races_small.csv": "rivalries_arms_races/grh_arms_races_peacesciencer.csv",
}


def build_layout(root: Path, skip: tuple[str, ...] = ()) -> Path:
    """Copy the fixtures into ``root`` under the standard names; NMC 7.0 is the 6.0 fixture
    without ``stateabb``/``version`` (as in peacesciencer's conversion)."""
    for name, rel in LAYOUT.items():
        if name in skip:
            continue
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".gz"):
            with open(FIXTURES / name, "rb") as src, gzip.open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
        else:
            shutil.copyfile(FIXTURES / name, target)
    nmc7 = pl.read_csv(FIXTURES / "nmc_small.csv").drop("stateabb", "version")
    nmc7.write_csv(root / "cow_nmc" / "NMC-7.0_peacesciencer.csv")
    return root


@pytest.fixture(scope="session")
def fixture_dir() -> Path:
    """The committed hand-made fixture files."""
    return FIXTURES


@pytest.fixture(scope="session")
def mini_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory in the standard layout, built from the fixtures."""
    return build_layout(tmp_path_factory.mktemp("mini_data"))


def shared_dir() -> Path:
    """``../shared/data`` beside the repository, or ``$SECORDER_DATA_DIR``."""
    env = os.environ.get("SECORDER_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real datasets; the test is skipped when they are absent."""
    root = shared_dir()
    if not (root / "cow_states" / "states2016.csv").is_file():
        pytest.skip(f"shared data not found at {root}")
    return root
