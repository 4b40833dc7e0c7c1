"""The peace-science data layer: loaders, panels, citations and scenarios from data.

Load the standard datasets as their producers distribute them (or as laid out in
``../shared/data``), build state-year and dyad-year panels with polars, add capabilities,
democracy, alliances, IGOs, trade, contiguity, distance, disputes, wars, rivalries and crises,
cite exactly the datasets used, and build a simulator scenario for any year::

    from secorder import data

    panel = (
        data.dyad_years(years=(1946, 2014), source_dir="../shared/data")
        .add_capabilities()
        .add_alliances()
        .add_mids()
    )
    df = panel.to_polars()
    print(panel.cite())

    scenario = data.scenario_from_data(1995, ["USA", "CHN", "JPN"], source_dir="../shared/data")

Every dataset is described once in :mod:`secorder.data.registry`; the ``load_*`` loaders, the
``add_*`` steps, the ``--add`` choices and the citations are derived from it.
"""

from __future__ import annotations

from collections.abc import Iterable

from secorder.data._io import ENV_VAR, DataFileNotFound
from secorder.data.citations import Source, bibtex
from secorder.data.codes import (
    COW_GW_RULES,
    COW_STATES,
    CROSSWALK_NOTES,
    GW_COW_RULES,
    POLITY_COW_RULES,
    VDEM_COW,
    cow_abb,
    cow_code,
    cow_name,
    cow_to_gw,
    cow_to_gw_expr,
    gw_to_cow,
    gw_to_cow_expr,
    polity_to_cow_expr,
    vdem_to_cow_expr,
)
from secorder.data.from_data import scenario_from_data, write_scenario
from secorder.data.loaders import LOADERS, read
from secorder.data.panels import (
    STEPS,
    Panel,
    dyad_years,
    filter_prd,
    mid_dispute_years,
    parse_years,
    state_years,
)
from secorder.data.regions import region_codes, region_names
from secorder.data.registry import DATASETS, Dataset

# The loaders and the add_* steps are generated from the dataset registry.
globals().update(LOADERS)
globals().update({step.function.__name__: step.function for step in STEPS.values()})


def cite(panel_or_sources: Panel | Iterable[Source]) -> str:
    """BibTeX for exactly the datasets behind a panel (or a list of sources)."""
    sources = panel_or_sources.sources if isinstance(panel_or_sources, Panel) else panel_or_sources
    return bibtex(sources)


__all__ = [
    "COW_GW_RULES",
    "COW_STATES",
    "CROSSWALK_NOTES",
    "DATASETS",
    "ENV_VAR",
    "GW_COW_RULES",
    "POLITY_COW_RULES",
    "STEPS",
    "VDEM_COW",
    "DataFileNotFound",
    "Dataset",
    "Panel",
    "Source",
    "cite",
    "cow_abb",
    "cow_code",
    "cow_name",
    "cow_to_gw",
    "cow_to_gw_expr",
    "dyad_years",
    "filter_prd",
    "gw_to_cow",
    "gw_to_cow_expr",
    "mid_dispute_years",
    "parse_years",
    "polity_to_cow_expr",
    "read",
    "region_codes",
    "region_names",
    "scenario_from_data",
    "state_years",
    "vdem_to_cow_expr",
    "write_scenario",
    *LOADERS,
    *(step.function.__name__ for step in STEPS.values()),
]
