"""Dashboard timings: page interactive after server start, and a 200-run x 30-year run's results.

Usage (needs the web and test extras and Debian's chromium)::

    python benchmarks/bench_dashboard.py [--repeat 3]

For each repeat it starts a fresh server and measures

- ``interactive``: from starting the server process to the page showing its Run button
  (server start-up, first page load, first script run);
- ``first run``: from pressing Run on the built-in scenario (200 runs x 30 years, one worker)
  to the outcome summary being shown;
- ``cached``: the same request again in a new browser tab (served from the run cache).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from secorder.web import launch  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def wait_healthy(url: str, seconds: float = 120) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(url)


def once(browser) -> dict[str, float]:
    t0 = time.perf_counter()
    proc, url = launch(stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))  # noqa: SIM115
    try:
        wait_healthy(url)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(120_000)
        page.goto(url)
        run = page.get_by_role("button", name="Run", exact=True)
        run.wait_for()
        t_interactive = time.perf_counter() - t0
        box = page.get_by_label("Runs", exact=True)
        box.fill("200")
        box.press("Enter")
        page.wait_for_timeout(300)
        page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden")
        t1 = time.perf_counter()
        run.click()
        page.get_by_text("Outcomes: mean and central 90% of 200 runs").wait_for()
        t_run = time.perf_counter() - t1
        other = browser.new_page()
        other.set_default_timeout(120_000)
        other.goto(url)
        other.get_by_role("button", name="Run", exact=True).wait_for()
        box = other.get_by_label("Runs", exact=True)
        t2 = time.perf_counter()
        box.fill("200")
        box.press("Enter")
        other.get_by_text("Results ready").wait_for()
        t_cached = time.perf_counter() - t2
        return {"interactive": t_interactive, "first run": t_run, "cached": t_cached}
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for k in range(args.repeat):
            r = once(browser)
            rows.append(r)
            print(f"repeat {k + 1}: " + ", ".join(f"{name} {v:.2f} s" for name, v in r.items()), flush=True)
        browser.close()
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} cores)")
    for name in rows[0]:
        vals = [r[name] for r in rows]
        print(f"{name:12s} median {statistics.median(vals):.2f} s (min {min(vals):.2f}, max {max(vals):.2f})")


if __name__ == "__main__":
    main()
