"""Interactive (Plotly) figures of runs and comparisons, and self-contained HTML reports.

The same figures serve the dashboard and the HTML reports written beside the Markdown of
``compare`` and the experiments. HTML reports embed plotly.js, so they open offline.

Conventions, as in the PNG plots: bands are the central 90% of runs; paired differences carry
90% confidence intervals of the mean difference (Student t over runs); counts are shown as
mean yearly rates and cumulative counts per run rather than bands over small integers.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from secorder.metrics import OUTCOMES as OUTCOMES_BY_NAME
from secorder.orders import ORDER_KINDS
from secorder.report.series import describe

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from secorder.experiments.compare import Comparison
    from secorder.results import Results
    from secorder.web.replay import RunHistory, YearSnapshot

BAND = (0.05, 0.95)
ORDER_COLOURS = {
    "balance_of_power": "#b2182b", "hegemonic": "#ef8a62", "concert": "#fddbc7",
    "common_security": "#d1e5f0", "collective_security": "#67a9cf", "security_community": "#2166ac",
}
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf")
DEFAULT_PATHS = ("militarised", "fatal", "mean_trust", "arms_burden", "order_index", "regime_challenges")
DEFAULT_OUTCOMES = ("disputes_per_decade", "fatal_disputes_per_decade", "arms_burden_pct", "mean_trust_final",
                    "regime_challenges_per_decade", "order_index_final")


def _go():
    import plotly.graph_objects as go

    return go


def _subplots(rows: int, cols: int, titles: Sequence[str], **kw):
    from plotly.subplots import make_subplots

    return make_subplots(rows=rows, cols=cols, subplot_titles=list(titles), **kw)


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[k:k + 2], 16) for k in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _grid(n: int, cols: int = 2) -> tuple[int, int]:
    return max(1, math.ceil(n / cols)), min(cols, n)


# ------------------------------------------------------------------------------- one run set
def time_paths_figure(res: Results, variables: Sequence[str] = DEFAULT_PATHS) -> go.Figure:
    """Yearly series: mean with a 90% band for levels; mean rate and cumulative count for counts."""
    go = _go()
    rows, cols = _grid(len(variables))
    descs = [describe(v) for v in variables]
    titles = [f"{d.label} (cumulative per run)" if d.kind == "count" and res.system is not None else d.label
              for d in descs]
    fig = _subplots(rows, cols, titles, shared_xaxes=True, vertical_spacing=0.09)
    x = res.year_index
    for k, d in enumerate(descs):
        r, c = k // cols + 1, k % cols + 1
        colour = PALETTE[k % len(PALETTE)]
        per_run = None if res.system is None else res.system[d.name] * d.scale
        if d.kind == "count" and per_run is not None:
            per_run = np.cumsum(per_run, axis=1)
            unit = f"cumulative count since {res.scenario.year}"
        else:
            unit = d.unit
        mean = per_run.mean(axis=0) if per_run is not None else res.system_mean[d.name] * d.scale
        if per_run is not None:
            lo, hi = np.quantile(per_run, BAND, axis=0)
            fig.add_trace(go.Scatter(x=np.concatenate([x, x[::-1]]), y=np.concatenate([hi, lo[::-1]]),
                                     fill="toself", fillcolor=_rgba(colour, 0.2), line={"width": 0},
                                     hoverinfo="skip", name="90% of runs", legendgroup="band",
                                     showlegend=k == 0), row=r, col=c)
        fig.add_trace(go.Scatter(x=x, y=mean, mode="lines", line={"color": colour, "width": 2},
                                 name="mean across runs", legendgroup="mean", showlegend=k == 0,
                                 hovertemplate="%{x}: %{y:.3g}<extra>" + d.label + "</extra>"), row=r, col=c)
        fig.update_yaxes(title_text=unit, row=r, col=c, title_font={"size": 11})
    for c in range(1, cols + 1):
        fig.update_xaxes(title_text="year", row=rows, col=c)
    note = "band: central 90% of runs" if res.system is not None else "means only (summary record)"
    fig.update_layout(title=f"{res.scenario.name} ({res.architecture}): {res.runs:,} runs; {note}",
                      height=300 * rows + 80, legend={"orientation": "h", "y": -0.08}, margin={"t": 80})
    return fig


def distributions_figure(res: Results, outcomes: Sequence[str] = DEFAULT_OUTCOMES) -> go.Figure:
    """Histogram of each per-run outcome with its mean and 90% interval marked."""
    go = _go()
    rows, cols = _grid(len(outcomes), 3)
    fig = _subplots(rows, cols, [OUTCOMES_BY_NAME[o].label for o in outcomes], vertical_spacing=0.16)
    for k, o in enumerate(outcomes):
        r, c = k // cols + 1, k % cols + 1
        v = res.outcomes[o]
        lo, hi = np.quantile(v, BAND)
        fig.add_trace(go.Histogram(x=v, nbinsx=30, marker_color=PALETTE[0], opacity=0.75, name="runs",
                                   showlegend=k == 0, legendgroup="runs"), row=r, col=c)
        for xv, dash in ((v.mean(), "solid"), (lo, "dot"), (hi, "dot")):
            fig.add_vline(x=float(xv), line_dash=dash, line_color="#d62728", row=r, col=c)
        fig.update_xaxes(title_text=OUTCOMES_BY_NAME[o].unit, row=r, col=c)
        fig.update_yaxes(title_text="runs", row=r, col=c)
    fig.update_layout(title=f"{res.scenario.name} ({res.architecture}): outcomes across {res.runs:,} runs "
                            "(red line: mean; dotted: 5% and 95% of runs)",
                      height=280 * rows + 80, bargap=0.05, margin={"t": 80})
    return fig


def order_types_figure(res: Results, run: int | None = None) -> go.Figure:
    """Share of runs in each kind of order per year (and the path of one run, if given)."""
    go = _go()
    fig = go.Figure()
    x = res.year_index
    for kind in ORDER_KINDS:
        share = res.system_mean[f"order_{kind}"]
        fig.add_trace(go.Scatter(x=x, y=100 * share, stackgroup="orders", name=kind.replace("_", " "),
                                 line={"width": 0.5, "color": ORDER_COLOURS[kind]},
                                 hovertemplate="%{x}: %{y:.0f}% of runs<extra>" + kind.replace("_", " ") + "</extra>"))
    title = f"{res.scenario.name} ({res.architecture}): kind of order, share of {res.runs:,} runs"
    if run is not None and res.system is not None:
        codes = np.stack([res.system[f"order_{k}"][run] for k in ORDER_KINDS]).argmax(axis=0)
        fig.add_trace(go.Scatter(x=x, y=[102] * len(x), mode="markers", name=f"run {run}",
                                 marker={"symbol": "square", "size": 11,
                                         "color": [ORDER_COLOURS[ORDER_KINDS[c]] for c in codes],
                                         "line": {"width": 1, "color": "black"}},
                                 text=[ORDER_KINDS[c].replace("_", " ") for c in codes],
                                 hovertemplate="run " + str(run) + ", %{x}: %{text}<extra></extra>"))
        title += f"; squares on top: run {run}"
    fig.update_layout(title=title, xaxis_title="year", yaxis_title="% of runs", yaxis_range=[0, 106],
                      height=420, legend={"title": "order"})
    return fig


def summary_table(res: Results) -> pd.DataFrame:
    """Outcome summary with units, for display."""
    s = res.summary().reset_index()
    lo, hi = s.columns[-2], s.columns[-1]
    return pd.DataFrame({"outcome": s["label"], "unit": s["unit"], "mean": s["mean"],
                         "90% of runs, low": s[lo], "90% of runs, high": s[hi]})


# --------------------------------------------------------------------------------- comparisons
def comparison_figure(cmp: Comparison, outcomes: Sequence[str] = DEFAULT_OUTCOMES) -> go.Figure:
    """Paired differences against the baseline, each with its 90% confidence interval."""
    go = _go()
    tb = cmp.table(outcomes)
    others = [a for a in cmp.architectures if a != cmp.baseline]
    rows, cols = _grid(len(outcomes), 2)
    fig = _subplots(rows, cols, [OUTCOMES_BY_NAME[o].label for o in outcomes], vertical_spacing=0.14,
                    horizontal_spacing=0.25)
    for k, o in enumerate(outcomes):
        r, c = k // cols + 1, k % cols + 1
        sub = tb[(tb["outcome"] == o) & (tb["architecture"] != cmp.baseline)].set_index("architecture").loc[others]
        fig.add_trace(go.Scatter(
            x=sub["diff"], y=others, mode="markers", marker={"size": 9, "color": PALETTE[0]},
            error_x={"type": "data", "symmetric": False, "array": sub["diff_high"] - sub["diff"],
                     "arrayminus": sub["diff"] - sub["diff_low"]},
            name=f"mean paired difference, {cmp.level:.0%} CI", showlegend=k == 0,
            hovertemplate="%{y}: %{x:+.3g}<extra></extra>"), row=r, col=c)
        fig.add_vline(x=0, line_color="grey", line_dash="dash", row=r, col=c)
        fig.update_xaxes(title_text=f"difference vs {cmp.baseline} ({OUTCOMES_BY_NAME[o].unit})", row=r, col=c)
        fig.update_yaxes(autorange="reversed", title_text="architecture", row=r, col=c)
    fig.update_layout(
        title=f"{cmp.scenario.name}: each architecture minus {cmp.baseline} on the same {cmp.runs:,} futures "
              f"(dot: mean paired difference; bar: {cmp.level:.0%} confidence interval)",
        height=max(260, 60 + 40 * len(others)) * rows, legend={"orientation": "h", "y": -0.06},
        margin={"t": 90})
    return fig


def comparison_paths_figure(cmp: Comparison, variables: Sequence[str] = ("militarised", "mean_trust",
                                                                          "arms_burden", "order_index")) -> go.Figure:
    """Per variable: yearly means per architecture and paired differences against the baseline.

    Left: the yearly mean of each architecture; right (where runs were kept): the paired
    difference against the baseline with its 90% confidence band.
    """
    from scipy import stats

    go = _go()
    keep = all(r.system is not None for r in cmp.results.values())
    cols = 2 if keep else 1
    titles = []
    for v in variables:
        d = describe(v)
        titles.append(f"{d.label}: yearly mean")
        if keep:
            titles.append(f"{d.label}: difference vs {cmp.baseline}")
    fig = _subplots(len(variables), cols, titles, shared_xaxes=True, vertical_spacing=0.07)
    t = stats.t.ppf(0.5 + cmp.level / 2, max(cmp.runs - 1, 1))
    base = cmp.results[cmp.baseline]
    for k, v in enumerate(variables):
        d = describe(v)
        for q, (a, res) in enumerate(cmp.results.items()):
            colour = PALETTE[q % len(PALETTE)]
            fig.add_trace(go.Scatter(x=res.year_index, y=res.system_mean[v] * d.scale, mode="lines",
                                     line={"color": colour, "width": 2, "dash": "solid" if q % 2 == 0 else "dot"},
                                     name=a, legendgroup=a, showlegend=k == 0), row=k + 1, col=1)
            if keep and a != cmp.baseline:
                diff = (res.system[v] - base.system[v]) * d.scale
                m = diff.mean(axis=0)
                se = diff.std(axis=0, ddof=1) / np.sqrt(diff.shape[0]) if diff.shape[0] > 1 else 0 * m
                x = res.year_index
                fig.add_trace(go.Scatter(x=np.concatenate([x, x[::-1]]),
                                         y=np.concatenate([m + t * se, (m - t * se)[::-1]]), fill="toself",
                                         fillcolor=_rgba(colour, 0.2), line={"width": 0}, hoverinfo="skip",
                                         legendgroup=a, showlegend=False), row=k + 1, col=2)
                fig.add_trace(go.Scatter(x=x, y=m, mode="lines", line={"color": colour, "width": 2},
                                         legendgroup=a, showlegend=False, name=a), row=k + 1, col=2)
        fig.update_yaxes(title_text=d.unit, row=k + 1, col=1, title_font={"size": 11})
        if keep:
            fig.add_hline(y=0, line_color="grey", line_dash="dash", row=k + 1, col=2)
            fig.update_yaxes(title_text=f"difference ({d.unit})", row=k + 1, col=2, title_font={"size": 11})
    for c in range(1, cols + 1):
        fig.update_xaxes(title_text="year", row=len(variables), col=c)
    note = (f"right: paired difference, mean and {cmp.level:.0%} confidence band" if keep
            else "yearly means (per-run series not kept)")
    fig.update_layout(title=f"{cmp.scenario.name}: time paths on {cmp.runs:,} common futures; {note}",
                      height=260 * len(variables) + 100, legend={"title": "architecture"}, margin={"t": 80})
    return fig


def comparison_table(cmp: Comparison, outcomes: Sequence[str] = DEFAULT_OUTCOMES) -> pd.DataFrame:
    """The comparison table with readable column names."""
    tb = cmp.table(outcomes)
    pct = f"{cmp.level:.0%}"
    return pd.DataFrame({
        "outcome": tb["label"], "architecture": tb["architecture"], "mean": tb["mean"],
        f"{pct} of runs, low": tb["q_low"], f"{pct} of runs, high": tb["q_high"],
        f"difference vs {cmp.baseline}": tb["diff"], f"difference {pct} CI low": tb["diff_low"],
        f"difference {pct} CI high": tb["diff_high"],
    })


# ------------------------------------------------------------------------- networks and maps
def positions(history: RunHistory) -> tuple[np.ndarray, str]:
    """(N,2) x/y positions of the states and how they were placed.

    Capitals (longitude, latitude) when the scenario gives every one, with longitudes shifted
    to 0..360 when that keeps the region together (the Pacific); otherwise a circle.
    """
    caps = [s.capital for s in history.scenario.states]
    if all(c is not None for c in caps):
        lat = np.array([c[0] for c in caps])
        lon = np.array([c[1] for c in caps])
        shifted = np.where(lon < 0, lon + 360, lon)
        if np.ptp(shifted) < np.ptp(lon):
            lon = shifted
        return np.column_stack([lon, lat]), "capitals"
    n = len(caps)
    angle = np.pi / 2 - 2 * np.pi * np.arange(n) / n
    return np.column_stack([np.cos(angle), np.sin(angle)]), "circle"


def network_figure(history: RunHistory, year: int, geographic: bool = False) -> go.Figure:
    """Alliances, forums and institutions of one run in one year.

    States are circles; institutions are squares joined to their members (size: depth, colour:
    cohesion); a line between two states is a defence commitment (width: its strength; solid
    when mutual, dotted when one-way); crises of the year are red arrows.
    """
    go = _go()
    snap = history.at(year)
    codes = history.codes
    n = len(codes)
    if geographic:
        pos, how = positions(history)
    else:
        angle = np.pi / 2 - 2 * np.pi * np.arange(n) / n
        pos, how = np.column_stack([np.cos(angle), np.sin(angle)]), "circle"
    fig = go.Figure()
    c = snap.commitments
    for i in range(n):
        for j in range(i + 1, n):
            w = max(c[i, j], c[j, i])
            if w <= 0:
                continue
            mutual = c[i, j] > 0 and c[j, i] > 0
            fig.add_trace(go.Scatter(
                x=[pos[i, 0], pos[j, 0]], y=[pos[i, 1], pos[j, 1]], mode="lines",
                line={"width": 1 + 5 * w, "color": "#1f4e79", "dash": "solid" if mutual else "dot"},
                hoverinfo="text", showlegend=False,
                text=f"{codes[i]} defends {codes[j]}: {c[i, j]:.2f}; {codes[j]} defends {codes[i]}: {c[j, i]:.2f}"))
    spread = np.ptp(pos, axis=0).max() or 1.0
    inst_x, inst_y, inst_text, inst_size, inst_col = [], [], [], [], []
    for k, iid in enumerate(history.institution_ids):
        members = np.flatnonzero(snap.members[k])
        if members.size < 2 or history.institution_types[k] in ("bilateral_alliance",):
            continue
        centre = pos[members].mean(axis=0)
        offset = 0.08 * spread * np.array([np.cos(k * 2.4), np.sin(k * 2.4)])
        ix, iy = centre + offset
        for m in members:
            fig.add_trace(go.Scatter(x=[ix, pos[m, 0]], y=[iy, pos[m, 1]], mode="lines",
                                     line={"width": 0.6, "color": "rgba(120,120,120,0.45)"},
                                     hoverinfo="skip", showlegend=False))
        inst_x.append(ix)
        inst_y.append(iy)
        inst_size.append(12 + 22 * float(snap.depth[k]))
        inst_col.append(float(snap.cohesion[k]))
        inst_text.append(f"{iid} ({history.institution_types[k].replace('_', ' ')}): {members.size} members, "
                         f"depth {snap.depth[k]:.2f}, cohesion {snap.cohesion[k]:.2f}")
    for a, b, outcome in snap.crises:
        fig.add_annotation(x=pos[b, 0], y=pos[b, 1], ax=pos[a, 0], ay=pos[a, 1], xref="x", yref="y",
                           axref="x", ayref="y", showarrow=True, arrowhead=3, arrowwidth=2,
                           arrowcolor="#d62728", opacity=0.8, hovertext=f"crisis {codes[a]} -> {codes[b]}: {outcome}")
    if inst_x:
        fig.add_trace(go.Scatter(
            x=inst_x, y=inst_y, mode="markers", name="institution (size: depth, colour: cohesion)",
            marker={"symbol": "square", "size": inst_size, "color": inst_col, "cmin": 0, "cmax": 1,
                    "colorscale": "Viridis", "colorbar": {"title": "cohesion", "len": 0.5},
                    "line": {"width": 1, "color": "black"}},
            text=inst_text, hovertemplate="%{text}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=pos[:, 0], y=pos[:, 1], mode="markers+text", text=list(codes), textposition="top center",
        name="state (size: military spending)",
        marker={"size": 8 + 30 * np.sqrt(snap.milex / max(snap.milex.max(), 1e-9)), "color": "#f4a261",
                "line": {"width": 1, "color": "black"}},
        customdata=np.column_stack([snap.milex, snap.regime]),
        hovertemplate="%{text}: military spending %{customdata[0]:.3g} bn USD, regime %{customdata[1]:.0f}"
                      "<extra></extra>"))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line={"color": "#1f4e79", "width": 3},
                             name="defence commitment (solid: mutual, dotted: one-way)"))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line={"color": "#d62728", "width": 2},
                             name=f"crisis in {year} (arrow: challenger to target)"))
    axis = {"showgrid": geographic and how == "capitals", "zeroline": False,
            "showticklabels": geographic and how == "capitals"}
    fig.update_layout(
        title=f"{history.scenario.name} ({history.architecture}), run {history.run}, {year}: "
              f"order {snap.order.replace('_', ' ')}",
        xaxis=axis | ({"title": "longitude (degrees east)"} if geographic and how == "capitals" else {}),
        yaxis=axis | {"scaleanchor": "x"} | ({"title": "latitude"} if geographic and how == "capitals" else {}),
        height=680, legend={"orientation": "h", "y": -0.14 if geographic else -0.05}, plot_bgcolor="white")
    return fig


def map_figure(history: RunHistory, year: int) -> go.Figure:
    """The region drawn from capital coordinates (no map tiles): the network of ``year`` in place."""
    fig = network_figure(history, year, geographic=True)
    _, how = positions(history)
    if how == "circle":
        fig.update_layout(title=fig.layout.title.text + " (no capital coordinates in the scenario: states on a circle)")
    else:
        fig.update_layout(title=fig.layout.title.text + " (capitals by longitude and latitude)")
    return fig


def institutions_table(history: RunHistory, year: int) -> pd.DataFrame:
    """Members, depth and cohesion of each institution in one run-year."""
    snap: YearSnapshot = history.at(year)
    rows = []
    for k, iid in enumerate(history.institution_ids):
        members = [history.codes[m] for m in np.flatnonzero(snap.members[k])]
        rows.append({"institution": iid, "type": history.institution_types[k].replace("_", " "),
                     "members": " ".join(members), "depth": float(snap.depth[k]),
                     "cohesion": float(snap.cohesion[k])})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ HTML reports
def figures_html(figures: Sequence[go.Figure], title: str, intro: str = "") -> str:
    """One self-contained HTML page: plotly.js embedded once, then every figure."""
    import plotly.io as pio

    parts = []
    for k, fig in enumerate(figures):
        parts.append(pio.to_html(fig, full_html=False, include_plotlyjs=(k == 0), config={"displaylogo": False}))
    return (f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            "<style>body{font-family:sans-serif;max-width:1200px;margin:auto;padding:1em}</style></head>"
            f"<body><h1>{html.escape(title)}</h1><p>{html.escape(intro)}</p>\n" + "\n".join(parts) + "</body></html>\n")


def comparison_html(cmp: Comparison) -> str:
    """The interactive report of a comparison."""
    intro = (f"{len(cmp.architectures)} architectures on {cmp.runs:,} common futures x {cmp.years} years "
             f"(seed {cmp.seed}); differences are paired against {cmp.baseline}.")
    return figures_html([comparison_figure(cmp), comparison_paths_figure(cmp)],
                        f"{cmp.scenario.name}: comparison of architectures", intro)


def write_html(text: str, path: str | Path) -> Path:
    """Write the HTML ``text`` to ``path`` (UTF-8); the path."""
    path = Path(path)
    path.write_text(text, encoding="utf-8")
    return path
