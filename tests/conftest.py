"""Shared fixtures: a small hand-written scenario and worlds built from it."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

from secorder.mechanisms import initial_world
from secorder.params import Params
from secorder.scenario import load_scenario

HERE = Path(__file__).resolve().parent
SMALL = HERE / "small_scenario.yaml"


# Property tests: Hypothesis's default count for tests that set none, per tier; tests that set
# their own count write the full tier's as ``max_examples=examples(N)``.
settings.register_profile("fast", max_examples=25)
settings.register_profile("full", max_examples=100)
_TIER = {"full": False}


def examples(full: int) -> int:
    """``max_examples`` for a property test: ``full`` with ``--all``, a quarter (at least 5) by default."""
    return full if _TIER["full"] else max(5, full // 4)


def pytest_configure(config: pytest.Config) -> None:
    """Choose the tier's Hypothesis profile; apply the coverage floor to the full suite only.

    A run of selected tests (paths, ``-k``, ``-m`` or ``--lf`` given) still reports coverage but
    cannot meet a floor set for the whole suite, so it does not fail on it (the floor is given
    on the command line, as ``.ci/run`` does: ``--cov=secorder --cov-fail-under=88``).
    """
    _TIER["full"] = full_tier(config)
    settings.load_profile("full" if _TIER["full"] else "fast")
    cov = config.pluginmanager.getplugin("_cov")
    if cov is None or getattr(cov, "options", None) is None:
        return
    selected = (
        config.args_source != pytest.Config.ArgsSource.TESTPATHS
        or config.option.keyword
        or config.option.markexpr
        or getattr(config.option, "lf", False)
    )
    if selected:
        cov.options.cov_fail_under = 0


def shared_data_dir() -> Path:
    """../shared/data beside the repository, or $SECORDER_DATA_DIR."""
    env = os.environ.get("SECORDER_DATA_DIR")
    return Path(env) if env else HERE.parent.parent / "shared" / "data"


@pytest.fixture(scope="session")
def small_scenario():
    return load_scenario(SMALL)


@pytest.fixture
def params() -> Params:
    return Params()


@pytest.fixture
def small_world(small_scenario, params):
    """Four runs of the small scenario at its start year."""
    return initial_world(small_scenario, params, runs=4)


def uniforms(seed: int, shape: tuple[int, ...]) -> np.ndarray:
    return np.random.default_rng(seed).random(shape)


def pytest_addoption(parser):
    parser.addoption("--all", action="store_true", default=False, dest="all_tiers",
                     help="Full tier: also run the tests marked slow or browser (CI runs it).")
    parser.addoption("--browser", action="store_true", default=False,
                     help="Also run the browser tests of the dashboard (included in --all).")


def full_tier(config: pytest.Config) -> bool:
    """Whether this run is the full tier (``--all``): slow and browser tests, more examples."""
    return bool(config.getoption("all_tiers"))


def pytest_collection_modifyitems(config, items):
    """Skip ``slow`` and ``browser`` tests in the default (fast) tier.

    They run with ``--all`` (CI's full tier); ``--browser`` adds the browser tests alone, and a
    ``-m`` expression selects by marker explicitly (``-m slow`` runs exactly the slow tests).
    """
    if full_tier(config) or config.option.markexpr:
        return
    slow = pytest.mark.skip(reason="slow: run with --all (CI's full tier runs it)")
    browser = pytest.mark.skip(reason="browser: run with --browser or --all (CI runs it)")
    for item in items:
        if "browser" in item.keywords and not config.getoption("--browser"):
            item.add_marker(browser)
        elif "slow" in item.keywords and "browser" not in item.keywords:
            item.add_marker(slow)
