"""The dataset registry: loaders, panel steps, CLI choices and citations all derive from it."""

from __future__ import annotations

import inspect
from pathlib import Path

import polars as pl
import pytest

from secorder import data
from secorder.data import cli, loaders, panels, registry
from secorder.data._io import Spec
from secorder.data.citations import REFERENCES, Source, bibtex
from secorder.errors import InputError

DOCS = Path(__file__).resolve().parents[2] / "docs" / "data.md"


def test_every_entry_is_complete_and_citable():
    for name, ds in registry.DATASETS.items():
        assert ds.name == name
        assert ds.files and ds.spec in registry.ALL_SPECS, name
        assert ds.cite and all(k in REFERENCES for k in ds.cite), name
        assert ds.api.startswith("load_"), name
    by_key: dict[str, set[tuple[str, ...]]] = {}
    for ds in registry.DATASETS.values():
        by_key.setdefault(ds.key, set()).add(ds.cite)
    assert all(len(v) == 1 for v in by_key.values()), "releases of one dataset cite alike"


def test_one_loader_per_api_with_its_choices():
    assert set(loaders.LOADERS) == set(registry.loader_names())
    assert len(loaders.LOADERS) == 22
    for api, fn in loaders.LOADERS.items():
        assert getattr(data, api) is fn and api in data.__all__
        members = registry.family(api)
        params = inspect.signature(fn).parameters
        assert list(params)[0] == "path" and "source_dir" in params
        if members[0].choice is not None:
            kw = members[0].choice.keyword
            assert params[kw].default == members[0].choice.value
            for d in members:
                assert repr(d.choice.value) in fn.__doc__
    with pytest.raises(InputError, match=r"unknown ATOP form 'x'; choose one of dyad-year, member"):
        data.load_atop(form="x")
    with pytest.raises(TypeError, match="unexpected keyword"):
        data.load_states(version="2016")


def test_steps_cli_choices_and_panel_methods_agree():
    assert list(cli.ADD_STEPS) == registry.step_names() == list(panels.STEPS)
    for name, step in panels.STEPS.items():
        fn = step.function
        assert fn.__name__ == f"add_{name}"
        assert getattr(panels, fn.__name__) is fn and getattr(data, fn.__name__) is fn
        assert callable(getattr(panels.Panel, fn.__name__))
        assert all(registry.DATASETS[d].join.step == name for d in step.datasets)
    assert panels.STEPS["distance"].dyadic_only and not panels.STEPS["capabilities"].dyadic_only
    with pytest.raises(InputError, match="distance is a dyadic measure"):
        cli.parse_add("capabilities,distance", "state-year")


def test_declared_step_signatures():
    sig = inspect.signature(data.add_capabilities)
    assert sig.parameters["version"].default == "7.0"
    assert "source" in inspect.signature(data.add_democracy).parameters
    assert "'ccode_democracy'" in data.add_democracy.__doc__
    assert set(inspect.signature(data.add_wars).parameters) == {"panel", "path", "source_dir"}


def test_sources_carry_their_references(mini_dir):
    loaded = loaders.read("nmc-6.0", source_dir=mini_dir)
    assert loaded.source.references == tuple(REFERENCES[k] for k in ("singer1972", "singer1987"))
    text = bibtex([loaded.source])
    assert "@incollection{singer1972," in text and "miller2022" not in text
    assert registry.DATASET_REFERENCES["nmc"] == ("singer1972", "singer1987")
    # a hand-made source without references still renders its comment line
    assert bibtex([Source("x", "X data", "1", "x.csv")]).startswith("% X data, version 1 (x.csv)")


def test_docs_list_every_loader_and_step():
    text = DOCS.read_text(encoding="utf-8")
    for api in loaders.LOADERS:
        assert f"`{api}(" in text, api
    for step in panels.STEPS:
        assert f"`add_{step}(" in text, step


def test_adding_a_dataset_is_one_entry(tmp_path, monkeypatch, mini_dir):
    """A new entry gives a loader, a panel step and its citation with no other code."""
    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "toy_scores.csv").write_text(
        "ccode,year,toyscore\n2,1995,1.5\n710,1995,-9\n740,1996,2.0\n"
    )
    spec = Spec(
        "Toy scores",
        columns=(("ccode", pl.Int64), ("year", pl.Int64), ("toyscore", pl.Float64)),
        na_codes=(("toyscore", (-9,)),),
        signature=("toyscore",),
    )
    entry = registry.Dataset(
        "toy", "toy", "Toy scores", "1.0", ("toy/toy_scores.csv",), spec,
        cite=("miller2022",), api="load_toy", doc="Toy state-year scores.",
        join=registry.Join("toy", columns=("toyscore",)),
    )  # fmt: skip
    monkeypatch.setattr(registry, "_ENTRIES", (*registry._ENTRIES, entry))
    monkeypatch.setitem(registry.DATASETS, "toy", entry)

    load_toy = loaders.make_loader("load_toy")
    df = load_toy(source_dir=tmp_path)
    assert df["toyscore"].to_list() == [1.5, None, 2.0]
    assert "Toy state-year scores." in load_toy.__doc__ and "-9" in load_toy.__doc__

    add_toy = panels.declared_step("toy")
    panel = data.state_years(years=(1995, 1996), subset=["USA", "CHN", "JPN"], source_dir=mini_dir)
    out = add_toy(panel, source_dir=tmp_path).to_polars()
    got = {(r["ccode"], r["year"]): r["toyscore"] for r in out.iter_rows(named=True)}
    assert got[(2, 1995)] == 1.5 and got[(710, 1995)] is None  # a missing code stays null
    assert got[(2, 1996)] is None and (740, 1995) in got
    cited = add_toy(panel, source_dir=tmp_path).cite()
    assert "% Toy scores, version 1.0 (toy_scores.csv)" in cited and "@article{miller2022" in cited
