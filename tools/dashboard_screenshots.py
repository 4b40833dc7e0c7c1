"""Take the dashboard screenshots shown in docs/dashboard.md.

Starts the dashboard on a free port, drives it in Debian's headless Chromium and writes
docs/img/dashboard-*.png. Usage (from the repository root, with the web and test extras)::

    python tools/dashboard_screenshots.py
"""

from __future__ import annotations

import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from secorder.web import launch  # noqa: E402

IMG = ROOT / "docs" / "img"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def wait_healthy(url: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


def settle(page) -> None:
    page.wait_for_timeout(400)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden")
    page.wait_for_timeout(1200)


def number(page, label: str, value: int) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Enter")
    settle(page)


def view(page, name: str) -> None:
    page.locator("[data-testid=stRadio]").filter(has_text="View").get_by_text(name, exact=True).click()
    settle(page)


def chart(page) -> None:
    """Wait for the first figure to draw and scroll it into view."""
    fig = page.locator("[data-testid=stPlotlyChart]").first
    fig.locator(".main-svg").first.wait_for()
    page.wait_for_timeout(1500)
    fig.scroll_into_view_if_needed()
    page.wait_for_timeout(500)


def shot(page, name: str) -> None:
    path = IMG / f"dashboard-{name}.png"
    page.screenshot(path=str(path), full_page=False)
    print(f"wrote {path.relative_to(ROOT)}")


def main() -> None:
    proc, url = launch()
    try:
        wait_healthy(url)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1050})
            page.set_default_timeout(120_000)
            page.goto(url)
            page.get_by_text("secorder: regional security orders").wait_for()
            number(page, "Runs", 200)
            page.get_by_role("button", name="Run", exact=True).click()
            page.locator("[data-testid=stRadio]").filter(has_text="View").wait_for()
            settle(page)
            shot(page, "summary")
            view(page, "Time paths")
            chart(page)
            shot(page, "time-paths")
            view(page, "Network")
            chart(page)
            shot(page, "network")
            view(page, "Map")
            chart(page)
            shot(page, "map")
            view(page, "Events")
            number(page, "Run (-1: all)", 3)
            shot(page, "events")
            arch = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]")
            for name in ("cooperative-forum", "multilayer"):
                arch.locator("input").fill(name)
                arch.locator("input").press("Enter")
                settle(page)
            page.keyboard.press("Escape")
            page.get_by_role("button", name="Run", exact=True).click()
            page.locator("[data-testid=stRadio]").filter(has_text="View").wait_for()
            settle(page)
            view(page, "Comparison")
            chart(page)
            shot(page, "comparison")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=15)


if __name__ == "__main__":
    main()
