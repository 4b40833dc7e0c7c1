"""Figures a reader can read: labelled axes, explained bands, returned figures, offline HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

import secorder
from secorder.experiments.compare import compare
from secorder.report import compare_plots, interactive, plots

SMALL = Path(__file__).resolve().parent / "small_scenario.yaml"


@pytest.fixture(scope="module")
def res():
    return secorder.simulate(SMALL, runs=12, years=6, seed=1, record="full", workers=1)


@pytest.fixture(scope="module")
def cmp():
    return compare(SMALL, ["status-quo", "cooperative-forum", "concert"], runs=12, years=6, seed=1,
                   record="auto", workers=1)


def _axes_labelled(fig) -> None:
    for ax in fig.axes:
        if not ax.has_data():
            continue
        assert ax.get_ylabel(), f"axis without y label: {ax.get_title()!r}"
        assert ax.get_xlabel() or not ax.get_xticklabels(), f"axis without x label: {ax.get_title()!r}"


@pytest.mark.parametrize("plot", [plots.plot_military_spending, plots.plot_disputes, plots.plot_trust])
def test_run_plots_return_labelled_figures_and_save(res, plot, tmp_path):
    fig = plot(res, tmp_path / "x.png")
    assert (tmp_path / "x.png").stat().st_size > 1000
    _axes_labelled(fig)
    title = fig.texts[0].get_text() if fig.texts else " ".join(ax.get_title() for ax in fig.axes)
    assert "90%" in title or any("90%" in ax.get_title() for ax in fig.axes)  # bands are explained
    assert plot(res) is not None  # no path: just the figure


def test_disputes_show_rates_and_cumulative_counts_not_bands_over_counts(res):
    fig = plots.plot_disputes(res)
    left, right = fig.axes
    assert "confidence interval of the mean" in left.get_title()
    assert "Cumulative" in right.get_title()
    cumulative = right.get_lines()[1].get_ydata()  # militarised disputes, mean cumulative count
    assert (cumulative[1:] >= cumulative[:-1]).all()


@pytest.mark.parametrize("plot", list(compare_plots.PLOTS.values()))
def test_comparison_plots_labelled(cmp, plot):
    fig = plot(cmp)
    if plot is not compare_plots.plot_workload:
        _axes_labelled(fig)


def test_paired_difference_plot_draws_the_table(cmp):
    fig = compare_plots.plot_paired_differences(cmp)
    ax = fig.axes[0]
    tb = cmp.table(["disputes_per_decade"]).set_index("architecture")
    xs = ax.get_lines()[0].get_xdata()
    assert list(xs) == pytest.approx([tb.loc["cooperative-forum", "diff"], tb.loc["concert", "diff"]])


def test_time_paths_differences_need_per_run_series(cmp):
    assert len(compare_plots.plot_time_paths(cmp).axes) == 8  # levels and paired differences
    means_only = compare(SMALL, ["status-quo", "concert"], runs=5, years=4, seed=1, workers=1)
    fig = compare_plots.plot_time_paths(means_only)
    assert len(fig.axes) == 4 and "means only" in fig.texts[0].get_text()


@pytest.mark.slow  # test_compare_table_and_files writes report.html in the fast tier
def test_comparison_folder_has_offline_html_report(cmp, tmp_path):
    from secorder.report import save_comparison

    folder = save_comparison(cmp, tmp_path / "cmp")
    text = (folder / "report.html").read_text()
    assert "<script src=\"http" not in text and "cdn.plot.ly" not in text.split("</script>")[-1]
    assert "Plotly.newPlot" in text and len(text) > 1_000_000  # plotly.js embedded
    assert {"paired_differences.png", "report.html"} <= set((folder / "manifest.json").read_text().split('"'))


def test_interactive_figures_have_titles_and_axis_titles(res, cmp):
    for fig in (interactive.time_paths_figure(res), interactive.distributions_figure(res),
                interactive.order_types_figure(res, run=0), interactive.comparison_figure(cmp),
                interactive.comparison_paths_figure(cmp)):
        assert fig.layout.title.text
        assert any(getattr(fig.layout, k).title.text for k in fig.layout if k.startswith("yaxis"))
