"""Every notebook in docs/notebooks/ runs from top to bottom (small sizes, a fresh kernel).

The data notebook skips its data cells by itself when ../shared/data is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))


def test_the_four_notebooks_exist():
    names = {p.name for p in NOTEBOOKS}
    assert {"01-first-run.ipynb", "02-compare-architectures.ipynb", "03-panels-and-scenarios-from-data.ipynb",
            "04-sensitivity-sweep.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    # the kernel imports this checkout's package, and finds the data beside the repository
    src = str(ROOT / "src")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    if path.name.startswith("03") and (ROOT.parent / "shared" / "data" / "cow_states").is_dir():
        text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.output_type == "stream")
        assert "skipped" not in text  # with the data present, the data cells really ran
