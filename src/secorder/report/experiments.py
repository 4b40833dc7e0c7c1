"""The claims report: per claim the verdict, its tests, robustness, what would flip it, and caveats."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from secorder._atomic import atomic_folder
from secorder._version import __version__
from secorder.experiments.framework import ALPHA, ClaimResult
from secorder.experiments.robust import Robustness, construction_status

MARK = {"supported": "supported", "contradicted": "**contradicted**", "inconclusive": "inconclusive",
        "true by construction": "**true by construction**", "false by construction": "**false by construction**"}
COLOURS = {"supported": "#2a9d8f", "contradicted": "#e76f51", "inconclusive": "#8d99ae"}


def _g(x: float) -> str:
    return f"{x:,.3g}"


def status(res: ClaimResult, robust: Robustness | None) -> str:
    """The verdict as the report states it (true or false by construction where nothing could turn it)."""
    return construction_status(res.verdict, robust, tuple(res.claim.witnesses))


def claim_section(res: ClaimResult, robust: Robustness | None) -> list[str]:
    """One claim's section of the report, as Markdown lines."""
    c = res.claim
    lines = [f"## {c.id}: {c.title}", "", f"> {c.text}", "",
             f"**Verdict: {MARK[status(res, robust)]}** (rule: `{c.aggregate}` over {len(res.tests)} test(s); "
             f"scenarios {', '.join(c.scenarios)}).", "", "Arms (each the base scenario plus only its defining change):", ""]
    lines += [f"- `{name}`: {arm.describe()}" for name, arm in c.arms.items() if name in c.used_arms()]
    lines += ["", "| test | scenario | outcome | treatment | control | treatment mean | control mean | "
              "effect (90% CI) | SESOI | verdict |", "|---|---|---|---|---|---:|---:|---:|---:|---|"]
    for t in res.tests:
        e = t.evidence
        note = " (identical in every run)" if e.low == e.high == 0 else ""
        lines.append(f"| {t.test.statement} | {t.scenario} | `{t.test.outcome}` | {t.test.treatment} | {t.test.control} | "
                     f"{_g(t.treatment_mean)} | {_g(t.control_mean)} | {e.estimate:+.3g} ({e.low:+.3g}, {e.high:+.3g}) | "
                     f"{t.test.sesoi:g} | {MARK[t.verdict]}{note} |")
    lines += ["", "Effects are signed so that the claim predicts them positive (equivalence tests: treatment minus "
              "control). Smallest effects of substantive interest:", ""]
    lines += [f"- {t.statement}: {t.sesoi:g} ({t.kind}); {t.why}." for t in c.tests]
    if res.sensitivity:
        lines += ["", f"Sensitivity (each uncertain parameter at both ends of its range, {res.runs:,} runs as the "
                  "baseline):", "", "| parameter | value | claim verdict | tests that change |", "|---|---:|---|---|"]
        lines += [f"| `{s['parameter']}` | {s['value']:g} | {MARK[s['verdict']]} | "
                  f"{'; '.join(s['changes']) or 'none'} |" for s in res.sensitivity]
    if robust is not None:
        sh = robust.shares
        lines += ["", f"Robustness over {len(robust.verdicts)} parameter draws ({robust.design.method}): "
                  f"supported {sh['supported']:.0%}, contradicted {sh['contradicted']:.0%}, "
                  f"inconclusive {sh['inconclusive']:.0%}. What would flip it: {robust.flips()}.", ""]
        top = robust.deciders.head(5)
        cols = [col for col in top.columns if col != "parameter"]
        lines += ["| parameter | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
        lines += [f"| `{r['parameter']}` | " + " | ".join(f"{r[col]:+.2f}" for col in cols) + " |"
                  for _, r in top.iterrows()]
    if c.witnesses:
        lines += ["", "Settings inside the documented ranges under which the experiment gives each verdict "
                  "(checked by the test suite): " + "; ".join(
                      f"{v}: " + ", ".join(f"`{k}`={x:g}" for k, x in s.items()) for v, s in c.witnesses.items()) + "."]
    if c.notes:
        lines += ["", c.notes]
    if c.caveats:
        lines += ["", f"Caveat: {c.caveats}"]
    return lines + [""]


def forest_plot(results: Sequence[ClaimResult], path: Path) -> Path:
    """Every test's effect in units of its SESOI with its 90% interval, coloured by verdict."""
    from secorder.report.plots import _pyplot, save_figure

    plt = _pyplot()
    rows = [(f"{r.claim.id} {t.test.treatment} vs {t.test.control} ({t.scenario.split('-')[-1]})",
             t.evidence, t.test.sesoi, t.verdict) for r in results for t in r.tests]
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(rows) + 1.4))
    for k, (_, e, d, v) in enumerate(rows):
        lo, hi, est = (np.clip(x / d, -12, 12) for x in (e.low, e.high, e.estimate))
        ax.plot([lo, hi], [k, k], color=COLOURS[v], lw=2)
        ax.plot(est, k, "o", color=COLOURS[v], ms=4)
    for x, style in ((0, "-"), (1, ":"), (-1, ":")):
        ax.axvline(x, color="0.5", lw=0.8, ls=style)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("effect / SESOI (the claim predicts > 1; clipped at +-12)")
    for v, col in COLOURS.items():
        ax.plot([], [], color=col, lw=2, label=v)
    ax.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    save_figure(fig, path)
    return path


def write_report(results: Sequence[ClaimResult], out: str | Path, robust: Mapping[str, Robustness] | None = None,
                 force: bool = False, caveats: Sequence[str] = (), command: str = "secorder experiment run all") -> Path:
    """README.md (every claim), verdicts.json, verdicts.png and manifest.json, atomically."""
    robust = robust or {}
    first = results[0]
    with atomic_folder(out, force=force) as tmp:
        lines = ["# The claims: what the model says", "",
                 f"Generated by `{command}` (secorder {__version__}): {first.runs:,} runs per arm x {first.years} "
                 f"years on common random numbers, seed {first.seed}. Each test is judged by one-sided tests at "
                 f"{ALPHA:g} with Holm's correction across the claim's tests and a smallest effect of substantive "
                 "interest (SESOI); see docs/architectures.md for the rules. A claim that no setting inside the "
                 "documented parameter ranges could contradict is reported as true by construction, not as supported.",
                 ""]
        if robust:
            any_r = next(iter(robust.values()))
            lines += [f"Robustness: {len(any_r.verdicts)} parameter draws ({any_r.design.method}) over the uncertain "
                      "parameters' documented ranges. \"True (false) by construction\" means that neither these draws "
                      "nor a declared witness contradicted the claim by an effect of the opposite sign (supported "
                      "it); with few draws these labels are provisional.", ""]
        lines += ["| claim | verdict | supported / contradicted / inconclusive across draws | what would flip it |",
                  "|---|---|---|---|"]
        summary = {}
        for r in results:
            rb = robust.get(r.claim.id)
            st = status(r, rb)
            shares = (" / ".join(f"{rb.shares[v]:.0%}" for v in ("supported", "contradicted", "inconclusive"))
                      if rb else "not run")
            lines.append(f"| [{r.claim.id}](#{r.claim.id.lower()}-{_anchor(r.claim.title)}) {r.claim.title} | "
                         f"{MARK[st]} | {shares} | {rb.flips() if rb else ''} |")
            summary[r.claim.id] = {"verdict": r.verdict, "status": st,
                                   "tests": [t.verdict for t in r.tests],
                                   **({"robust": rb.shares} if rb else {})}
        lines += ["", "![Every test's effect in units of its SESOI](verdicts.png)", ""]
        if caveats:
            lines += ["## Caveats", "", *[f"- {c}" for c in caveats], ""]
        for r in results:
            lines += claim_section(r, robust.get(r.claim.id))
        forest_plot(results, tmp / "verdicts.png")
        (tmp / "README.md").write_text("\n".join(lines))
        (tmp / "verdicts.json").write_text(json.dumps(summary, indent=2) + "\n")
        (tmp / "manifest.json").write_text(json.dumps(
            {"package": "secorder", "version": __version__, "kind": "experiments", "runs": first.runs,
             "years": first.years, "seed": first.seed, "verdicts": {k: v["status"] for k, v in summary.items()}},
            indent=2) + "\n")
    return Path(out)


def _anchor(title: str) -> str:
    return "-".join("".join(ch for ch in title.lower() if ch.isalnum() or ch == " ").split())


__all__ = ["claim_section", "forest_plot", "status", "write_report"]
