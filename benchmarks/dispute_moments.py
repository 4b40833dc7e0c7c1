"""Dispute moments, model against data, before calibration (not a speed benchmark).

    python benchmarks/dispute_moments.py            # 400 runs; prints a Markdown table
    python benchmarks/dispute_moments.py --runs 50

For the built-in ``asia-pacific-2000`` scenario (window 2000-2014) and the Asia-Pacific
scenario built from data for 1995 (window 1995-2009), the model's default parameters give:
militarised dispute onsets per 1,000 politically relevant dyad-years, the fatal share of
disputes, recurrence P(onset | a dispute active the year before) among politically relevant
pairs, and the share of all disputes carried by the four most dispute-prone pairs. The same
moments are counted in the COW MID 5.0 dyad-year data (``cow_mid_ddydisps``) for the same
states and years: a pair is politically relevant if it is directly contiguous (COW direct
contiguity, land or sea up to 400 miles) or includes a COW major power. Needs
``../shared/data`` (or ``$SECORDER_DATA_DIR``).
"""

from __future__ import annotations

import argparse
import os
from itertools import combinations
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
WINDOW = 15


def data_dir() -> Path:
    """``$SECORDER_DATA_DIR`` or ``../shared/data`` beside the repository."""
    env = os.environ.get("SECORDER_DATA_DIR")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def observed(codes: list[int], first: int, last: int, source_dir: Path) -> dict[str, float]:
    """The four moments in the MID data for these states and years (each pair once)."""
    mid = pd.read_csv(source_dir / "cow_mid_5.0" / "cow_mid_ddydisps_peacesciencer.csv")
    mid = mid[(mid.ccode1 < mid.ccode2) & mid.ccode1.isin(codes) & mid.ccode2.isin(codes)]
    cont = pd.read_csv(source_dir / "cow_contiguity_3.2" / "contdird.csv")
    majors = pd.read_csv(source_dir / "cow_states" / "majors2016_peacesciencer.csv")
    years = range(first - 1, last + 1)
    rows = []
    for y in years:
        major = set(majors[(majors.styear <= y) & (majors.endyear >= y)].ccode)
        contig = cont[(cont.year == min(y, int(cont.year.max()))) & (cont.conttype <= 5)]
        contig_pairs = set(zip(contig.state1no, contig.state2no, strict=True))
        for a, b in combinations(sorted(codes), 2):
            rows.append((a, b, y, (a, b) in contig_pairs or a in major or b in major))
    panel = pd.DataFrame(rows, columns=["a", "b", "year", "prd"])
    onset = mid[mid.cowmidonset == 1].groupby(["ccode1", "ccode2", "year"]).agg(
        onsets=("dispnum", "nunique"), fatal=("fatality", lambda f: int((f > 0).sum())))
    active = mid.groupby(["ccode1", "ccode2", "year"]).size().rename("active")
    panel = panel.join(onset, on=["a", "b", "year"]).join(active, on=["a", "b", "year"]).fillna(0)
    panel = panel.sort_values(["a", "b", "year"])
    panel["active_last"] = panel.groupby(["a", "b"]).active.shift(1).fillna(0) > 0
    w = panel[panel.year >= first]
    prd = w[w.prd]
    after = prd[prd.active_last]
    by_pair = w.groupby(["a", "b"]).onsets.sum().sort_values(ascending=False)
    return {
        "prd_rate": 1000 * prd.onsets.sum() / len(prd),
        "fatal_share": w.fatal.sum() / max(w.onsets.sum(), 1),
        "recurrence": float((after.onsets > 0).mean()) if len(after) else float("nan"),
        "top4_share": by_pair.head(4).sum() / max(by_pair.sum(), 1),
        "onsets": float(w.onsets.sum()),
    }


def simulated(scenario, years: int, runs: int, seed: int = 0) -> dict[str, float]:
    """The four moments from the model, pooled over runs and years."""
    import secorder

    res = secorder.simulate(scenario, years=years, runs=runs, seed=seed, record="full")
    s = res.system
    ev = res.events
    mil = ev[ev.outcome.isin(["deterrence", "settlement", "dispute", "war"])]
    pair = mil.apply(lambda r: tuple(sorted((str(r.challenger), str(r.target)))), axis=1)
    counts = pair.value_counts()
    return {
        "prd_rate": 1000 * s["prd_disputes"].sum() / s["prd_dyads"].sum(),
        "fatal_share": s["fatal"].sum() / max(s["militarised"].sum(), 1),
        "recurrence": s["prd_onsets_after_dispute"].sum() / max(s["prd_after_dispute"].sum(), 1),
        "top4_share": counts.head(4).sum() / max(counts.sum(), 1),
        "deterred_share": s["ended_deterrence"].sum() / max(s["militarised"].sum(), 1),
    }


def main() -> None:
    """Print the table of moments for the two scenarios."""
    import secorder
    from secorder.data.from_data import scenario_from_data

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=400)
    a = ap.parse_args()
    src = data_dir()
    built = secorder.load_scenario("asia-pacific-2000")
    cases = [("asia-pacific-2000 (built-in)", built, 2000),
             ("Asia-Pacific 1995 (from data)", secorder.load_scenario(scenario_from_data(
                 1995, region="asia-pacific", source_dir=src)), 1995)]
    print("| Scenario | Moment | Model | Data | Model / data |")
    print("|---|---|---:|---:|---:|")
    for label, sc, start in cases:
        codes = [s.ccode for s in sc.states]
        obs = observed(codes, start, start + WINDOW - 1, src)
        sim = simulated(sc, WINDOW, a.runs)
        for key, name in (("prd_rate", "Disputes per 1,000 politically relevant dyad-years"),
                          ("fatal_share", "Fatal share of disputes"),
                          ("recurrence", "P(onset | dispute active last year), politically relevant"),
                          ("top4_share", "Share of disputes in the top 4 pairs")):
            print(f"| {label} | {name} | {sim[key]:.3g} | {obs[key]:.3g} | {sim[key] / obs[key]:.2f} |")
        print(f"| {label} | Share of disputes ended by deterrence (model only) | {sim['deterred_share']:.3g} | — | — |")


if __name__ == "__main__":
    main()
