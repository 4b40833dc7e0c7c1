"""The documentation is executable and its links resolve.

- Every ```python block of docs/tutorial.md runs, in order, in one namespace, in a temporary
  working directory (the blocks carry their own assertions).
- Every relative link and image in docs/*.md points to a file that exists (links to
  docs/data.md are skipped while that page does not exist yet).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
TUTORIAL = DOCS / "tutorial.md"

FENCE = re.compile(r"^```([\w+-]*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
# [text](target) and ![alt](target); the target ends at whitespace or ')'
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
# links whose target page is written separately and may not exist yet
OPTIONAL_TARGETS = {"data.md"}


def python_blocks(text: str) -> list[str]:
    """The bodies of the ```python blocks, in order."""
    return [body for lang, body in FENCE.findall(text) if lang == "python"]


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


def test_tutorial_has_python_blocks():
    blocks = python_blocks(TUTORIAL.read_text(encoding="utf-8"))
    assert len(blocks) >= 5


def test_tutorial_python_blocks_run(tmp_path, monkeypatch):
    """Run the tutorial's Python as one script, block by block, in a fresh folder."""
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict[str, object] = {"__name__": "__tutorial__"}
    for k, block in enumerate(python_blocks(TUTORIAL.read_text(encoding="utf-8")), start=1):
        code = compile(block, f"{TUTORIAL.name} python block {k}", "exec")
        try:
            exec(code, namespace)  # noqa: S102 - executing our own documentation
        except Exception as err:  # re-raise with the block's number and first line
            first = block.strip().splitlines()[0] if block.strip() else ""
            raise AssertionError(f"python block {k} of {TUTORIAL.name} failed ({first!r}): {err!r}") from err


@pytest.mark.parametrize("page", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_relative_links_resolve(page: Path):
    missing = []
    for target in relative_targets(page.read_text(encoding="utf-8")):
        if not target:
            continue
        path = (page.parent / target).resolve()
        if path.exists():
            continue
        if Path(target).name in OPTIONAL_TARGETS:
            continue
        missing.append(target)
    assert not missing, f"{page.name} links to missing files: {missing}"


def test_tutorial_images_are_small():
    for target in relative_targets(TUTORIAL.read_text(encoding="utf-8")):
        if target.endswith(".png"):
            size = os.path.getsize(DOCS / target)
            assert size < 200_000, f"{target} is {size:,} bytes"
