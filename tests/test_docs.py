"""The documentation is executable and its links resolve.

- Every code block of README.md, CONTRIBUTING.md and docs/**/*.md (except docs/notebooks) is
  run or checked by ``tests/docblocks.py``: Python blocks execute in order in one namespace per
  page, ``secorder`` command lines run in-process and must exit 0 (or the status a directive
  names), YAML and JSON blocks parse, and every block names its language.
- Every relative link and image in those pages points to a file that exists.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests import docblocks
from tests.conftest import shared_data_dir

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TUTORIAL = DOCS / "tutorial.md"


def documentation_pages() -> list[Path]:
    pages = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted(DOCS.rglob("*.md"))]
    return [p for p in pages if p.exists() and "notebooks" not in p.relative_to(ROOT).parts]


PAGES = documentation_pages()
PAGE_IDS = [str(p.relative_to(ROOT)) for p in PAGES]
# The long walk-throughs run whole simulations, comparisons and sweeps: CI's full tier (--all)
# runs their blocks; every other page runs in the default tier.
SLOW_PAGES = {"docs/tutorial.md", "docs/architectures.md", "docs/exploration.md"}
RUN_PAGES = [
    pytest.param(p, id=i, marks=[pytest.mark.slow] if i in SLOW_PAGES else [])
    for p, i in zip(PAGES, PAGE_IDS, strict=True)
]

# [text](target) and ![alt](target); the target ends at whitespace or ')'
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```([\w+-]*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def strip_code(text: str) -> str:
    """The text without fenced blocks and inline code, where link syntax means nothing."""
    text = FENCE.sub("", text)
    return re.sub(r"`[^`\n]*`", "", text)


def relative_targets(text: str) -> list[str]:
    out = []
    for target in LINK.findall(strip_code(text)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # http:, https:, mailto:, or an anchor on the same page
        out.append(target.split("#", 1)[0])
    return out


@pytest.fixture
def page_workdir(tmp_path, monkeypatch) -> Path:
    """A fresh current directory ``work/`` with ``../shared`` pointing at the shared data."""
    work = tmp_path / "work"
    work.mkdir()
    data = shared_data_dir()
    if data.exists():
        (tmp_path / "shared").mkdir()
        (tmp_path / "shared" / "data").symlink_to(data, target_is_directory=True)
    monkeypatch.chdir(work)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return work


@pytest.mark.parametrize("page", RUN_PAGES)
def test_page_code_blocks_run(page: Path, page_workdir: Path):
    """Run the page's blocks in order; each failure names the page and the block's line."""
    blocks, _ = docblocks.parse_page(page)
    if any(b.options.data for b in blocks) and not shared_data_dir().exists():
        pytest.skip(f"{page.name} reads ../shared/data, which is absent")
    try:
        docblocks.run_page(page, page_workdir)
    finally:
        if "matplotlib.pyplot" in __import__("sys").modules:
            import matplotlib.pyplot as plt

            plt.close("all")


def test_every_page_is_covered():
    """README, the tutorial and the model reference are among the executed pages."""
    names = set(PAGE_IDS)
    assert {"README.md", "docs/tutorial.md", "docs/model.md"} <= names
    assert SLOW_PAGES <= names
    assert len(docblocks.parse_page(TUTORIAL)[0]) >= 20


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_relative_links_resolve(page: Path):
    missing = []
    for target in relative_targets(page.read_text(encoding="utf-8")):
        if target and not (page.parent / target).resolve().exists():
            missing.append(target)
    assert not missing, f"{page.name} links to missing files: {missing}"


def test_tutorial_images_are_small():
    for target in relative_targets(TUTORIAL.read_text(encoding="utf-8")):
        if target.endswith(".png"):
            size = os.path.getsize(DOCS / target)
            assert size < 200_000, f"{target} is {size:,} bytes"


# ------------------------------------------------------------------- the harness itself


def write(tmp_path: Path, text: str) -> Path:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    return page


def test_harness_reads_directives_and_blocks(tmp_path):
    page = write(tmp_path, (
        "<!-- docs-test page: runs=7 -->\n# Title\n\n"
        "```python\nx = f(runs=1000, years=30)\n```\n\n"
        "<!-- docs-test: years=3 exit=2 sub='a => b' -->\n\n"
        "```console\n$ secorder run --runs 1000\noutput line\n```\n"
        "```text\nsecorder run is output here\n```\n"
    ))
    blocks, page_opts = docblocks.parse_page(page)
    assert [b.lang for b in blocks] == ["python", "console", "text"]
    assert [b.line for b in blocks] == [4, 10, 14]
    assert page_opts.runs == 7
    assert docblocks.shrink_python(blocks[0].body, blocks[0].options) == "x = f(runs=7, years=30)\n"
    second = blocks[1].options
    assert (second.runs, second.years, second.exit, second.subs) == (7, 3, 2, [("a", "b")])
    assert blocks[2].options.exit == 0  # a block directive applies to the next block only
    assert docblocks.console_commands(blocks[1].body) == [["run", "--runs", "1000"]]
    assert docblocks.shrink_command(["run", "--runs", "1000"], second) == [
        "run", "--no-plots", "--runs", "7", "--years", "3"]
    assert docblocks.shrink_command(["run", "--plots"], second)[:2] == ["run", "--plots"]
    # a command without --runs/--years keeps its arguments
    assert docblocks.shrink_command(["scenarios", "list"], second) == ["scenarios", "list"]


def test_harness_console_lines_without_prompts():
    body = "pip install . && secorder run\nsecorder compare x -a a,b \\\n    --runs 10   # a comment\nls\n"
    assert docblocks.console_commands(body) == [["compare", "x", "-a", "a,b", "--runs", "10"]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("```\nx\n```\n", "without a language"),
        ("```ruby\nx\n```\n", "unknown block language 'ruby'"),
        ("```python\nx = 1\n", "never closed"),
        ("<!-- docs-test: runs=5 -->\nSome prose.\n```python\nx = 1\n```\n", "must be followed by a code block"),
        ("<!-- docs-test: speed=fast -->\n```python\nx = 1\n```\n", "unknown or malformed directive word 'speed=fast'"),
        ("Quoted: `<!-- docs-test: exit=2 -->`.\n```\nx\n```\n", "without a language"),  # quoted, not a directive
    ],
)
def test_harness_rejects_malformed_pages(tmp_path, text, message):
    with pytest.raises(docblocks.DocsError, match=re.escape(message)):
        docblocks.parse_page(write(tmp_path, text))


def test_harness_reports_the_failing_block(tmp_path, page_workdir):
    page = write(tmp_path, "Text.\n\n```python\nx = 1\n```\n\n```python\nassert x == 2, 'x is not 2'\n```\n")
    with pytest.raises(docblocks.DocsError, match=r"page.md:7: python block failed .*x is not 2"):
        docblocks.run_page(page, page_workdir)


def test_harness_checks_exit_status(tmp_path, page_workdir):
    ok = write(tmp_path, "<!-- docs-test: exit=2 -->\n```console\n$ secorder run --set war_given_fight=2\n```\n")
    docblocks.run_page(ok, page_workdir)
    bad = write(tmp_path, "```console\n$ secorder run --set war_given_fight=2\nerror: ...\n```\n")
    with pytest.raises(docblocks.DocsError, match=r"exited 2, expected 0"):
        docblocks.run_page(bad, page_workdir)
