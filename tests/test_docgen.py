"""The reference tables in docs/model.md are the ones the registries generate."""

from __future__ import annotations

from pathlib import Path

import pytest

from secorder import docgen
from secorder.params import Params

MODEL = Path(__file__).resolve().parent.parent / "docs" / "model.md"


def test_committed_tables_match_the_registries():
    text = MODEL.read_text(encoding="utf-8")
    stale = docgen.stale_tables(text)
    assert not stale, f"docs/model.md: tables {stale} are out of date; run `python -m secorder.docgen --write`"


def test_every_parameter_is_in_the_model_reference():
    text = MODEL.read_text(encoding="utf-8")
    missing = [row["name"] for row in Params.table() if f"| `{row['name']}` |" not in text]
    assert not missing


def test_a_stale_table_is_detected_and_rewritten(tmp_path):
    text = MODEL.read_text(encoding="utf-8")
    edited = text.replace("| `arms_reaction` |", "| `arms_reactions` |", 1)
    assert edited != text and docgen.stale_tables(edited) == ["parameters"]
    page = tmp_path / "model.md"
    page.write_text(edited, encoding="utf-8")
    assert docgen.main(["--check", "--page", str(page)]) == 1
    assert docgen.main(["--write", "--page", str(page)]) == 0
    assert page.read_text(encoding="utf-8") == text
    assert docgen.main(["--check", "--page", str(page)]) == 0


def test_missing_markers_are_an_error(tmp_path):
    with pytest.raises(ValueError, match="BEGIN GENERATED: outcomes"):
        docgen.render("no markers here", {"outcomes": docgen.outcome_table})
    page = tmp_path / "model.md"
    page.write_text("# nothing generated\n", encoding="utf-8")
    assert docgen.main(["--check", "--page", str(page)]) == 2
