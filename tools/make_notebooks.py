"""Write the notebooks in docs/notebooks/ (without outputs) from the cells below.

The notebooks are executed by the test suite (tests/test_notebooks.py); edit the cells here
and rerun ``python tools/make_notebooks.py`` rather than editing the .ipynb files by hand.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

OUT = Path(__file__).resolve().parents[1] / "docs" / "notebooks"

FIND_DATA = '''import os
from pathlib import Path

def find_data():
    """$SECORDER_DATA_DIR, or a shared/data folder beside the repository."""
    if os.environ.get("SECORDER_DATA_DIR"):
        return Path(os.environ["SECORDER_DATA_DIR"])
    for parent in [Path.cwd(), *Path.cwd().parents]:
        if (parent / "shared" / "data" / "cow_states").is_dir():
            return parent / "shared" / "data"
    return None

DATA = find_data()
print("data folder:", DATA or "not found: the data cells below are skipped")'''

NOTEBOOKS = {
    "01-first-run.ipynb": [
        new_markdown_cell(
            "# A first run\n\n"
            "Simulate the built-in Asia-Pacific 2000 scenario, read the outcome summary, plot the "
            "time paths, look at the crisis event log and at one run's history, and take the "
            "results as labelled arrays. Sizes are small so the notebook runs in seconds; use "
            "`runs=1000, years=30` for real work."),
        new_code_cell("import secorder\n\nsc = secorder.load_scenario(\"asia-pacific-2000\")\nsc"),
        new_code_cell("res = secorder.simulate(sc, runs=100, years=15, seed=0, workers=1)\nres"),
        new_markdown_cell("Each outcome's mean and the central 90% of runs:"),
        new_code_cell("res.summary()[[\"label\", \"unit\", \"mean\", \"q5\", \"q95\"]]"),
        new_markdown_cell(
            "The plot functions return the figure (shown below) and save it when given a path. "
            "Counts are shown as a mean yearly rate with its confidence interval and as cumulative "
            "counts per run."),
        new_code_cell("from secorder.report.plots import plot_disputes, plot_trust\n\nplot_disputes(res)"),
        new_code_cell("plot_trust(res)"),
        new_markdown_cell("Interactive versions (Plotly) of the time paths and the kinds of order:"),
        new_code_cell("from secorder.report import interactive\n\n"
                      "interactive.time_paths_figure(res, [\"militarised\", \"mean_trust\", \"arms_burden\", "
                      "\"order_index\"])"),
        new_code_cell("interactive.order_types_figure(res, run=0)"),
        new_markdown_cell("The crisis event log, and the readable history of one run:"),
        new_code_cell("res.events.head(10)"),
        new_code_cell("from secorder.report.history import run_history\n\n"
                      "print(\"\\n\".join(run_history(res, 0)[:12]))"),
        new_markdown_cell("Labelled arrays (runs x years x states) with xarray:"),
        new_code_cell("ds = res.to_xarray()\nds[\"state_milex\"].sel(state=[\"USA\", \"CHN\", \"JPN\"])"
                      ".median(\"run\").to_pandas().round(1).tail()"),
        new_code_cell("assert ds.sizes[\"run\"] == 100 and ds.sizes[\"year\"] == 15\n"
                      "assert abs(float(ds[\"mean_trust\"].mean(\"run\")[-1]) - res.system_mean[\"mean_trust\"][-1]) < 1e-12"),
    ],
    "02-compare-architectures.ipynb": [
        new_markdown_cell(
            "# Comparing architectures\n\n"
            "Run several security architectures on the same futures (common random numbers) and "
            "read the paired differences against the status quo, with confidence intervals."),
        new_code_cell("from secorder.experiments.compare import compare\n\n"
                      "cmp = compare(\"asia-pacific-2000\", [\"status-quo\", \"cooperative-forum\", \"multilayer\"],\n"
                      "              runs=100, years=15, seed=0, record=\"auto\", workers=1)\ncmp"),
        new_code_cell("tb = cmp.table([\"disputes_per_decade\", \"fatal_disputes_per_decade\", \"mean_trust_final\"])\n"
                      "tb[[\"label\", \"architecture\", \"mean\", \"diff\", \"diff_low\", \"diff_high\"]].round(3)"),
        new_markdown_cell("The paired differences, each with its 90% confidence interval:"),
        new_code_cell("from secorder.report.compare_plots import plot_paired_differences, plot_time_paths\n\n"
                      "plot_paired_differences(cmp)"),
        new_code_cell("plot_time_paths(cmp)"),
        new_markdown_cell("The same as an interactive figure (also written as `report.html` by "
                          "`secorder compare`):"),
        new_code_cell("from secorder.report import interactive\n\ninteractive.comparison_figure(cmp)"),
        new_code_cell("import numpy as np\n\n"
                      "d = cmp.paired(\"mean_trust_final\", \"cooperative-forum\")\n"
                      "row = tb[(tb.outcome == \"mean_trust_final\") & (tb.architecture == \"cooperative-forum\")]\n"
                      "assert np.isclose(d.mean(), row[\"diff\"].iloc[0])"),
    ],
    "03-panels-and-scenarios-from-data.ipynb": [
        new_markdown_cell(
            "# Panels and scenarios from data\n\n"
            "Build a state-year panel and a dyad-year panel from the peace-science datasets (COW, "
            "ATOP, MID, Polity), then a scenario for a start year and a region, and simulate it. "
            "The data are not part of the package: point `SECORDER_DATA_DIR` at them. Without "
            "them the data cells say so and do nothing."),
        new_code_cell(FIND_DATA),
        new_code_cell("from secorder import data\n\n"
                      "if DATA is not None:\n"
                      "    states = data.state_years(years=(1990, 2010), region=\"northeast-asia\", source_dir=DATA)"
                      ".add_capabilities().add_democracy()\n"
                      "    df = states.to_pandas()\n"
                      "    print(df.shape)\n"
                      "    display(df.head())\n"
                      "else:\n"
                      "    print(\"skipped: no data folder\")"),
        new_code_cell("if DATA is not None:\n"
                      "    dyads = data.dyad_years(directed=False, years=(2000, 2010), region=\"northeast-asia\","
                      " source_dir=DATA).add_mids().add_alliances()\n"
                      "    ddf = dyads.to_pandas()\n"
                      "    print(ddf.shape)\n"
                      "    print(dyads.cite()[:300])\n"
                      "else:\n"
                      "    print(\"skipped: no data folder\")"),
        new_markdown_cell("A scenario for Northeast Asia in 2003, validated like any scenario file, then simulated:"),
        new_code_cell("import secorder\nfrom secorder.data.from_data import scenario_from_data\n\n"
                      "if DATA is not None:\n"
                      "    doc = scenario_from_data(2003, region=\"northeast-asia\", source_dir=DATA)\n"
                      "    sc = secorder.validate_scenario(doc)\n"
                      "    print(sc.codes, len(sc.institutions), \"institutions\")\n"
                      "    res = secorder.simulate(sc, runs=50, years=10, seed=0, workers=1)\n"
                      "    display(res.summary()[[\"label\", \"mean\", \"q5\", \"q95\"]].head(6))\n"
                      "else:\n"
                      "    print(\"skipped: no data folder\")"),
    ],
    "04-sensitivity-sweep.ipynb": [
        new_markdown_cell(
            "# A sensitivity sweep\n\n"
            "Which parameters does an outcome depend on? A sweep (`secorder.explore`) draws parameter "
            "points over ranges inside the registry's bounds, simulates every point on the same seed "
            "(common random numbers), and writes one Parquet dataset; Morris screening then ranks "
            "the parameters. Small sizes here; see docs/exploration.md for real designs. Needs the "
            "`explore` extra."),
        new_code_cell("import secorder\n\n"
                      "meta = secorder.Params.metadata()\n"
                      "for name in (\"onset_intercept\", \"belief_noise_sd\", \"war_given_fight\"):\n"
                      "    print(f\"{name}: {meta[name]['meaning']} | range {meta[name]['range']} | {meta[name]['source']}\")"),
        new_code_cell("import tempfile\nfrom pathlib import Path\n\nfrom secorder.explore import read_sweep, sweep\n\n"
                      "spec = {\n"
                      "    \"name\": \"notebook-morris\",\n"
                      "    \"scenarios\": [\"northeast-asia-2003\"],\n"
                      "    \"architectures\": [\"status-quo\"],\n"
                      "    \"parameters\": {\"sampler\": \"morris\", \"samples\": 4, \"levels\": 4, \"seed\": 1,\n"
                      "                   \"ranges\": {\"onset_intercept\": \"registry\", \"belief_noise_sd\": \"registry\",\n"
                      "                              \"war_given_fight\": \"registry\"}},\n"
                      "    \"seeds\": [0],\n"
                      "    \"runs\": 20,\n"
                      "    \"years\": 8,\n"
                      "}\n"
                      "folder = Path(tempfile.mkdtemp()) / \"morris\"\n"
                      "sweep(spec, folder, workers=1)\n"
                      "rows = read_sweep(folder)\n"
                      "rows[[\"point\", \"run\", \"onset_intercept\", \"belief_noise_sd\", \"war_given_fight\", "
                      "\"disputes_per_decade\"]].head()"),
        new_markdown_cell("Morris screening of the dispute rate: `mu_star` is the mean absolute effect of moving "
                          "a parameter one step, `sigma` how much that effect depends on the others."),
        new_code_cell("from secorder.explore.sensitivity import sensitivity\n\n"
                      "result = sensitivity(folder, \"disputes_per_decade\")\n"
                      "result.table.round(3)"),
        new_code_cell("result.figure"),
        new_markdown_cell("The mean outcome at each design point against each parameter (one dot per point):"),
        new_code_cell("import plotly.express as px\n\n"
                      "points = rows.groupby(\"point\")[[\"onset_intercept\", \"belief_noise_sd\", \"war_given_fight\",\n"
                      "                                   \"disputes_per_decade\"]].mean().reset_index()\n"
                      "long = points.melt(id_vars=[\"point\", \"disputes_per_decade\"], var_name=\"parameter\", value_name=\"value\")\n"
                      "fig = px.scatter(long, x=\"value\", y=\"disputes_per_decade\", facet_col=\"parameter\",\n"
                      "                 labels={\"disputes_per_decade\": \"militarised disputes per decade (mean of 20 runs)\",\n"
                      "                         \"value\": \"parameter value\"})\n"
                      "fig.update_xaxes(matches=None)\nfig"),
        new_code_cell("assert rows[\"point\"].nunique() == 4 * (3 + 1)  # Morris: trajectories x (parameters + 1)\n"
                      "assert set(result.table[\"parameter\"]) == {\"onset_intercept\", \"belief_noise_sd\", \"war_given_fight\"}"),
    ],
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=cells, metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        })
        nbformat.validate(nb)
        nbformat.write(nb, OUT / name)
        print(f"wrote {(OUT / name).relative_to(OUT.parents[1])}")


if __name__ == "__main__":
    main()
