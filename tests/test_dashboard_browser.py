"""The dashboard as a user meets it: the real server on a free port, driven in headless Chromium.

Runs with ``--browser`` or ``--all`` (CI's full tier, where .ci/run installs Debian's chromium). Skipped,
with the reason, when Playwright or chromium is missing.
"""

from __future__ import annotations

import shutil
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HERE = Path(__file__).resolve().parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
TIMEOUT_MS = 90_000


def _wait_healthy(url: str, proc, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"dashboard server exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"dashboard at {url} not healthy after {seconds} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pytest.importorskip("streamlit")
    from secorder.web import launch

    log_path = tmp_path_factory.mktemp("dashboard") / "server.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc, url = launch(stdout=log, stderr=log)
    try:
        _wait_healthy(url, proc)
        yield url, log_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except Exception:  # noqa: BLE001
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium); CI installs it")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(server, browser):
    url, _ = server
    pg = browser.new_page(viewport={"width": 1400, "height": 1000})
    pg.set_default_timeout(TIMEOUT_MS)
    pg.goto(url)
    pg.get_by_text("secorder: regional security orders").wait_for()
    yield pg
    pg.close()


def _set_number(page, label: str, value: int) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Enter")


def _choose_view(page, view: str) -> None:
    page.locator("[data-testid=stRadio]").filter(has_text="View").get_by_text(view, exact=True).click()


def _wait_idle(page) -> None:
    page.wait_for_timeout(300)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden")


def _assert_log_clean(server) -> None:
    _, log_path = server
    text = log_path.read_text()
    assert "Traceback" not in text, text[-3000:]


def test_small_scenario_end_to_end(page, server):
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.locator("[data-testid=stSelectbox]").filter(has_text="Built-in scenario").click()
    page.get_by_role("option", name="northeast-asia-2003").click()
    _set_number(page, "Runs", 20)
    _set_number(page, "Years", 8)
    _wait_idle(page)
    page.get_by_role("button", name="Run", exact=True).click()
    page.locator("[data-testid=stRadio]").filter(has_text="View").wait_for()
    assert page.get_by_text("Outcomes: mean and central 90% of 20 runs").is_visible()
    for view in ("Time paths", "Network", "Map"):
        _choose_view(page, view)
        _wait_idle(page)
        chart = page.locator("[data-testid=stPlotlyChart] .main-svg").first
        chart.wait_for()
        assert page.locator("[data-testid=stPlotlyChart] .scatterlayer .trace").count() > 0, view
    # the map (last view) labels the states and names the run and year it shows
    page.locator("[data-testid=stPlotlyChart] text").filter(has_text="ROK").first.wait_for()
    page.locator("[data-testid=stPlotlyChart] text").filter(has_text="run 0, 2010").first.wait_for()
    _choose_view(page, "Events")
    _wait_idle(page)
    page.locator("[data-testid=stDataFrame]").first.wait_for()
    _set_number(page, "Run (-1: all)", 1)
    page.get_by_text("Run 1: what happened").wait_for()
    assert page.get_by_text("the order is").first.is_visible()
    _choose_view(page, "Downloads")
    page.get_by_text("secorder run northeast-asia-2003").wait_for()
    _assert_log_clean(server)


def test_bad_uploads_show_their_error_in_the_page(page, server, tmp_path):
    page.locator("[data-testid=stSidebar]").get_by_text("Upload YAML", exact=True).click()
    page.get_by_text("Scenario file (YAML").wait_for()
    uploader = (page.locator("[data-testid=stFileUploader]").filter(has_text="Scenario file")
                .locator("input[type=file]"))
    bad = tmp_path / "broken.yaml"
    bad.write_text("name: broken\nstates: [1, 2\n")
    uploader.set_input_files(str(bad))
    page.get_by_text("broken.yaml: is not valid YAML").wait_for()
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text((HERE / "small_scenario.yaml").read_text().replace("gdp: 11,", "gdp: -11,"))
    uploader.set_input_files(str(invalid))
    page.get_by_text("states[3].gdp").first.wait_for()
    big = tmp_path / "huge.yaml"
    big.write_text("# padding\n" * 150_000)
    uploader.set_input_files(str(big))
    page.get_by_text("huge.yaml: is too large").wait_for()
    assert page.locator("[data-testid=stException]").count() == 0
    _assert_log_clean(server)


