"""The secorder dashboard (a Streamlit script; start it with ``secorder dashboard``).

Layout: the sidebar builds a run request (scenario, architectures, levers, parameters, size);
the main area runs it with a progress bar and a cancel button, then shows one view at a time
(summary, time paths, distributions, comparison, network, map, order, events, downloads).
Every user mistake is shown as a one-line message in the page; unexpected errors are logged
on the server and shown as one line, and the server keeps serving.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import streamlit as st

from secorder.errors import InputError
from secorder.web import inputs, runs

log = logging.getLogger("secorder.web")
VIEWS = ("Summary", "Time paths", "Distributions", "Comparison", "Network", "Map", "Order", "Events",
         "Downloads")
MAX_RUNS = 20_000
MAX_YEARS = 200


def _problem(err: InputError) -> None:
    st.error(f"Input error: {err.format()}", icon="⚠️")


# ------------------------------------------------------------------------------------ sidebar
def scenario_picker():
    """The scenario, from a built-in name, the data, or an upload; None while there is none."""
    from secorder.scenario import builtin_names, load_scenario

    st.sidebar.header("Scenario")
    source = st.sidebar.radio("Source", ("Built-in", "From data", "Upload YAML"), horizontal=True, key="source")
    if source == "Built-in":
        name = st.sidebar.selectbox("Built-in scenario", builtin_names(), key="builtin")
        return load_scenario(name), None
    if source == "Upload YAML":
        up = st.sidebar.file_uploader(
            f"Scenario file (YAML, at most {inputs.MAX_UPLOAD_BYTES // 1000:,} kB)", key="upload",
            help="Validated as `secorder scenarios validate` does; problems are listed with their field.")
        if up is None:
            st.info("Upload a scenario YAML file in the sidebar (see `secorder scenarios show NAME --yaml`).")
            return None, None
        try:
            sc = inputs.scenario_from_upload(up.getvalue(), up.name)
        except InputError as err:
            _problem(err)
            return None, None
        return sc, inputs.scenario_yaml(sc)
    return _from_data()


def _from_data():
    from secorder.data.regions import region_names

    default_dir = os.environ.get("SECORDER_DATA_DIR", "")
    data_dir = st.sidebar.text_input("Data folder", default_dir, key="data_dir",
                                     help="The peace-science data (laid out like shared/data); "
                                          "default $SECORDER_DATA_DIR.")
    year = st.sidebar.number_input("Start year", min_value=1816, max_value=2030, value=2003, step=1, key="data_year")
    region = st.sidebar.selectbox("Region", region_names(), index=1, key="data_region")
    if st.sidebar.button("Build scenario from data", key="build"):
        from secorder.data.from_data import scenario_from_data
        from secorder.scenario import validate_scenario

        if not data_dir or not Path(data_dir).is_dir():
            _problem(InputError([("data folder", f"{data_dir or '(empty)'} is not a folder")]))
            return None, None
        try:
            with st.spinner(f"Building {region} {year} from the data"):
                doc = scenario_from_data(int(year), region=region, source_dir=data_dir)
                sc = validate_scenario(doc, source="scenario from data")
        except InputError as err:
            _problem(err)
            return None, None
        st.session_state["built"] = (sc, inputs.scenario_yaml(sc))
    built = st.session_state.get("built")
    if built is None:
        st.info("Choose a year and a region in the sidebar and build a scenario from the data.")
        return None, None
    return built


def parameter_controls(scenario) -> dict[str, float]:
    """Controls bounded by the registry's ranges, one mechanism at a time.

    Rendering all 118 on every interaction would slow the page. Returns the current value of
    every parameter.
    """
    from secorder.params import Params

    st.sidebar.header("Parameters")
    changed: dict[str, float] = st.session_state.setdefault("param_changes", {})
    up = st.sidebar.file_uploader("Parameter file (YAML or JSON: name: value)", key="param_file",
                                  help="For example a calibrated set; values outside their ranges are refused.")
    if up is not None and st.session_state.get("param_file_applied") != up.file_id:
        try:
            loaded = inputs.params_from_upload(up.getvalue(), up.name, scenario.parameters)
            changed.update(loaded)
            for k in loaded:
                st.session_state.pop(f"p_{k}", None)  # the controls show the loaded values
            st.session_state["param_file_applied"] = up.file_id
            st.sidebar.success(f"{len(loaded)} parameters loaded from {up.name}")
        except InputError as err:
            _problem(err)
    base = Params().replace(**scenario.parameters).to_dict()
    values = {**base, **changed}
    by_mech: dict[str, list[dict]] = {}
    for row in inputs.parameter_rows():
        by_mech.setdefault(row["mechanism"], []).append(row)

    def label(mech: str) -> str:
        n = sum(1 for r in by_mech[mech] if values[r["name"]] != base[r["name"]])
        return f"{mech} ({len(by_mech[mech])} parameters{f', {n} changed' if n else ''})"

    mech = st.sidebar.selectbox("Mechanism", list(by_mech), format_func=label, key="param_mech",
                                help="Each mechanism's coefficients; hover a control for its meaning and source.")

    def remember(name: str) -> None:
        changed[name] = float(st.session_state[f"p_{name}"])

    for row in by_mech[mech]:
        name = row["name"]
        lo, hi = row["range"]
        key = f"p_{name}"
        if key not in st.session_state:
            st.session_state[key] = float(values[name])
        st.sidebar.number_input(
            name, min_value=float(lo), max_value=float(hi), key=key, format="%.4g", step=(hi - lo) / 100 or 0.01,
            on_change=remember, args=(name,),
            help=f"{row['meaning']}. Range {lo:g} to {hi:g}; default {row['default']:g}. Source: {row['source']}")
    if any(values[k] != base[k] for k in values):
        if st.sidebar.button("Reset all parameters", key="param_reset"):
            changed.clear()
            for k in list(st.session_state):
                if str(k).startswith("p_"):
                    del st.session_state[k]
            st.rerun()
    return {**base, **changed}


def sidebar_request():
    """Build the run request from the sidebar; None when it is not complete or valid."""
    from secorder.architectures import builtin_names as arch_names
    from secorder.params import Params

    sc, sc_yaml = scenario_picker()
    if sc is None:
        return None, None
    st.sidebar.header("Architecture and levers")
    archs = st.sidebar.multiselect(
        "Architectures (one: a run; several: a comparison against the first)", arch_names(),
        default=["status-quo"], key="archs")
    levers_yaml = st.sidebar.text_area(
        "Levers (YAML list, as for --levers)", key="levers", height=90,
        placeholder="- lever: missile_defense\n  states: [JPN]\n  coverage: 0.5")
    st.sidebar.header("Size")
    runs_n = st.sidebar.number_input("Runs", min_value=2, max_value=MAX_RUNS, value=200, step=50, key="runs")
    years = st.sidebar.number_input("Years", min_value=1, max_value=MAX_YEARS, value=30, step=5, key="years")
    seed = st.sidebar.number_input("Seed", min_value=0, max_value=2**31 - 1, value=0, step=1, key="seed")
    values = parameter_controls(sc)
    if not archs:
        st.warning("Pick at least one architecture in the sidebar.")
        return None, sc
    try:
        inputs.levers_from_text(levers_yaml)
        defaults = Params().replace(**sc.parameters).to_dict()
        overrides = inputs.overrides_tuple(values, defaults)
        inputs.check_parameters(dict(overrides), sc)
    except InputError as err:
        _problem(err)
        return None, sc
    req = inputs.RunRequest(
        scenario=sc.name, scenario_yaml=sc_yaml, architectures=tuple(archs), runs=int(runs_n),
        years=int(years), seed=int(seed), overrides=overrides, levers_yaml=levers_yaml)
    return req, sc


# ------------------------------------------------------------------------------------ running
def run_or_fetch(req):
    """Run the request when asked (with progress and cancel); return the cached outcome if any."""
    cached = runs.CACHE.get(req.key())
    col1, col2 = st.columns([1, 4])
    clicked = col1.button("Run", type="primary", key="run", disabled=cached is not None)
    if cached is not None:
        col2.caption(f"Results ready (kept in the cache under key {req.key()}; change the set-up to run again).")
        return cached
    if clicked:
        st.session_state["pending"] = req.key()
    if st.session_state.get("pending") != req.key():
        col2.caption("Set up the run in the sidebar, then press Run.")
        return None
    if st.button("Cancel", key="cancel"):
        st.session_state.pop("pending", None)
        st.warning("Run cancelled; nothing was kept.")
        return None
    bar = st.progress(0.0, text="starting")

    def progress(arch: str, fraction: float) -> None:
        bar.progress(fraction, text=f"{arch}: {fraction:.0%} of run-years")

    try:
        outcome, _ = runs.execute(req, on_progress=progress)
    finally:
        st.session_state.pop("pending", None)
    bar.empty()
    st.rerun()
    return outcome


# -------------------------------------------------------------------------------------- views
def show_views(outcome) -> None:
    """The chosen result view (summary, time paths, distributions, comparison, network, map, ...)."""
    from secorder.report import interactive as fig

    req = outcome.request
    views = [v for v in VIEWS if v != "Comparison" or req.is_comparison]
    view = st.radio("View", views, horizontal=True, key="view")
    arch = req.architectures[0]
    if req.is_comparison and view not in ("Comparison", "Downloads"):
        arch = st.selectbox("Architecture to show", req.architectures, key="arch_view")
    res = outcome.single(arch)
    if view == "Summary":
        st.subheader(f"Outcomes: mean and central 90% of {res.runs:,} runs")
        st.dataframe(fig.summary_table(res), hide_index=True)
        if req.is_comparison:
            st.subheader(f"Paired differences against {outcome.results.baseline}")
            st.dataframe(fig.comparison_table(outcome.results), hide_index=True)
    elif view == "Time paths":
        from secorder.report.series import SERIES

        chosen = st.multiselect("Series", list(SERIES), default=list(fig.DEFAULT_PATHS), key="paths",
                                format_func=lambda k: SERIES[k].label)
        if chosen:
            st.plotly_chart(fig.time_paths_figure(res, chosen), key="fig_paths")
    elif view == "Distributions":
        from secorder.metrics import OUTCOMES as OUTCOMES_BY_NAME

        chosen = st.multiselect("Outcomes", list(OUTCOMES_BY_NAME), default=list(fig.DEFAULT_OUTCOMES),
                                key="dists", format_func=lambda k: OUTCOMES_BY_NAME[k].label)
        if chosen:
            st.plotly_chart(fig.distributions_figure(res, chosen), key="fig_dists")
    elif view == "Comparison":
        st.plotly_chart(fig.comparison_figure(outcome.results), key="fig_cmp")
        st.plotly_chart(fig.comparison_paths_figure(outcome.results), key="fig_cmp_paths")
    elif view in ("Network", "Map"):
        history_view(outcome, res, arch, geographic=view == "Map")
    elif view == "Order":
        run = st.number_input("Highlight run", 0, res.runs - 1, 0, key="order_run")
        st.plotly_chart(fig.order_types_figure(res, run=int(run)), key="fig_order")
    elif view == "Events":
        events_view(res)
    elif view == "Downloads":
        downloads_view(outcome, res)


def _history(outcome, arch: str, run: int):
    from secorder.web.replay import replay_run

    store = st.session_state.setdefault("histories", {})
    key = (outcome.request.key(), arch, run)
    if key not in store:
        req = outcome.request
        store.clear()  # one replay kept per session: they are cheap to redo
        store[key] = replay_run(runs.request_scenario(req), run, req.years, seed=req.seed,
                                params=dict(req.overrides) or None, architecture=arch,
                                levers=inputs.levers_from_text(req.levers_yaml))
    return store[key]


def history_view(outcome, res, arch: str, geographic: bool) -> None:
    """One replayed run in a chosen year: its network of relations and institutions, or its map."""
    from secorder.report import interactive as fig

    c1, c2 = st.columns(2)
    run = int(c1.number_input("Run", 0, res.runs - 1, 0, key="net_run"))
    first, last = int(res.year_index[0]), int(res.year_index[-1])
    year = int(c2.slider("Year", first, last, last, key="net_year")) if last > first else first
    history = _history(outcome, arch, run)
    if geographic:
        st.plotly_chart(fig.map_figure(history, year), key="fig_map")
    else:
        st.plotly_chart(fig.network_figure(history, year), key="fig_network")
        st.caption("Institutions in this run and year (depth: how far integration has gone; "
                   "cohesion: how united the members are)")
        st.dataframe(fig.institutions_table(history, year), hide_index=True)


def events_view(res) -> None:
    """The crisis event log, filterable, with one run's history."""
    from secorder.report.history import run_history

    ev = res.events
    st.caption(f"{len(ev):,} crises in {res.runs:,} runs. Filter:")
    c1, c2, c3, c4 = st.columns(4)
    run = c1.number_input("Run (-1: all)", -1, res.runs - 1, -1, key="ev_run")
    first, last = int(res.year_index[0]), int(res.year_index[-1])
    years = c2.slider("Years", first, last, (first, last), key="ev_years") if last > first else (first, last)
    states = c3.multiselect("State involved", res.codes, key="ev_states")
    outcomes = c4.multiselect("Outcome", list(ev["outcome"].cat.categories) if len(ev) else [], key="ev_out")
    sel = ev[(ev["year"] >= years[0]) & (ev["year"] <= years[1])]
    if run >= 0:
        sel = sel[sel["run"] == run]
    if states:
        sel = sel[sel["challenger"].isin(states) | sel["target"].isin(states)]
    if outcomes:
        sel = sel[sel["outcome"].isin(outcomes)]
    st.dataframe(sel.head(5000), hide_index=True, key="events_table")
    st.caption(f"{len(sel):,} crises match" + (" (first 5,000 shown)" if len(sel) > 5000 else ""))
    if run >= 0:
        st.subheader(f"Run {run}: what happened")
        st.markdown("\n".join(f"- {line}" for line in run_history(res, int(run))))


def downloads_view(outcome, res) -> None:
    """The reproducing command and the downloads (results zip, outcome table, summary)."""
    from secorder.report import interactive as fig

    req = outcome.request
    st.subheader("Reproduce")
    st.code(req.command_line(out="results"), language="bash")
    if req.files():
        st.caption("The command reads these files (included in the zip): " + ", ".join(req.files()))
    st.subheader("Download")
    if st.button("Prepare the results folder (zip)", key="prep_zip"):
        with st.spinner("Writing tables, manifest and figures"):
            st.session_state["zip"] = (req.key(), runs.results_zip(outcome))
    ready = st.session_state.get("zip")
    if ready and ready[0] == req.key():
        st.download_button("Download results.zip", ready[1], file_name=f"secorder-{req.scenario}.zip",
                           mime="application/zip", key="dl_zip")
    st.download_button("Outcome table (CSV)", res.to_pandas("outcomes").to_csv(index=False),
                       file_name="outcomes.csv", mime="text/csv", key="dl_outcomes")
    st.download_button("Summary (CSV)", res.summary().to_csv(), file_name="summary.csv", mime="text/csv",
                       key="dl_summary")
    if res.record == "full":
        st.download_button("Crisis event log (CSV)", res.events.to_csv(index=False), file_name="events.csv",
                           mime="text/csv", key="dl_events")
    figures = [fig.time_paths_figure(res), fig.distributions_figure(res), fig.order_types_figure(res)]
    if req.is_comparison:
        figures = [fig.comparison_figure(outcome.results), fig.comparison_paths_figure(outcome.results), *figures]
    st.download_button("Figures (interactive HTML, opens offline)",
                       fig.figures_html(figures, f"{req.scenario}: secorder figures"),
                       file_name="figures.html", mime="text/html", key="dl_html")


# --------------------------------------------------------------------------------------- page
def main() -> None:
    """The dashboard page: inputs in the sidebar, the run, the views."""
    st.set_page_config(page_title="secorder dashboard", layout="wide")
    st.title("secorder: regional security orders")
    try:
        req, _ = sidebar_request()
        if req is None:
            return
        n = len(req.architectures)
        st.markdown(f"**{req.scenario}** · {', '.join(req.architectures)} · {req.runs:,} runs × {req.years} "
                    f"years · seed {req.seed}" + (f" · {len(req.overrides)} parameters changed" if req.overrides
                                                  else "") + (" · comparison" if n > 1 else ""))
        outcome = run_or_fetch(req)
        if outcome is not None:
            show_views(outcome)
    except InputError as err:
        _problem(err)
    except Exception as err:  # noqa: BLE001 - keep serving; the server log has the details
        log.exception("dashboard error")
        print(f"secorder dashboard: unexpected {type(err).__name__}: {err}", file=sys.stderr)
        st.error(f"Something went wrong ({type(err).__name__}: {err}). The server keeps running; "
                 "please report this with the reproducing command.")


main()
