"""Every example in a docstring of the package runs and prints what it shows.

Each module of ``secorder`` is imported and its docstrings' ``>>>`` examples are run with
:mod:`doctest` (NumPy-style ``Examples`` sections). A module whose optional dependency is not
installed (an extra such as ``web``) is skipped; any other import error fails.
"""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil

import pytest

import secorder

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def package_modules() -> list[str]:
    names = [secorder.__name__]
    for info in pkgutil.walk_packages(secorder.__path__, prefix=f"{secorder.__name__}."):
        if info.name.rsplit(".", 1)[-1] != "__main__":
            names.append(info.name)
    return sorted(names)


def run_examples(module_name: str) -> tuple[int, int, str]:
    """(examples attempted, failures, report) for one module."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name and not err.name.startswith(secorder.__name__):
            return 0, 0, f"skipped: optional dependency {err.name} is not installed"
        raise
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in doctest.DocTestFinder(exclude_empty=True).find(module, module_name):
        if test.examples and test.filename and "site-packages" not in test.filename:
            runner.run(test, out=out.write)
    return runner.tries, runner.failures, out.getvalue()


def test_docstring_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an example that writes files writes them here
    monkeypatch.setenv("MPLBACKEND", "Agg")
    tried, failed, reports = 0, [], []
    for name in package_modules():
        n, failures, report = run_examples(name)
        tried += n
        if failures:
            failed.append(name)
            reports.append(report)
    assert not failed, f"docstring examples fail in {', '.join(failed)}:\n" + "\n".join(reports)
    assert tried >= 10, f"only {tried} docstring examples in the package"


def test_a_wrong_example_is_caught():
    """The runner above fails on a wrong example (it is not a test that cannot fail)."""

    def wrong():
        """>>> 1 + 1
        3
        """

    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in doctest.DocTestFinder().find(wrong, "wrong", globs={}):
        runner.run(test, out=lambda s: None)
    assert runner.failures == 1


@pytest.mark.parametrize("name", ["secorder.docgen", "secorder.scenario.loader"])
def test_documented_modules_have_examples(name):
    tried, failures, _ = run_examples(name)
    assert tried > 0 and failures == 0
