"""The dataset registry: loaders, panel steps, CLI choices and citations all derive from it."""

from __future__ import annotations

import inspect
from dataclasses import replace
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

    add_toy = panels.make_step("toy").function
    panel = data.state_years(years=(1995, 1996), subset=["USA", "CHN", "JPN"], source_dir=mini_dir)
    out = add_toy(panel, source_dir=tmp_path).to_polars()
    got = {(r["ccode"], r["year"]): r["toyscore"] for r in out.iter_rows(named=True)}
    assert got[(2, 1995)] == 1.5 and got[(710, 1995)] is None  # a missing code stays null
    assert got[(2, 1996)] is None and (740, 1995) in got
    cited = add_toy(panel, source_dir=tmp_path).cite()
    assert "% Toy scores, version 1.0 (toy_scores.csv)" in cited and "@article{miller2022" in cited


def test_every_step_is_generated_from_the_registry():
    """No hand-written add_* functions: each step is made from its entries (plain or named join)."""
    made = {step.function for step in panels.STEPS.values()}
    handwritten = [n for n, f in vars(panels).items() if n.startswith("add_") and f not in made]
    assert not handwritten
    for name, step in panels.STEPS.items():
        joins = [registry.DATASETS[d].join for d in step.datasets]
        assert len({j.how for j in joins}) == 1, name
        if joins[0].how is None:
            assert all(j.columns for j in joins), name
        else:
            assert joins[0].how in panels.JOINS, name
    plain = {n for n, s in panels.STEPS.items() if registry.DATASETS[s.datasets[0]].join.declarative}
    assert {"alliances", "contiguity", "rivalries", "capabilities", "wars"} <= plain
    assert set(panels.JOINS) == {"trade", "igos", "distance", "mids", "crises"}
    # a join function's keyword-only options become the step's keywords, in order
    assert list(inspect.signature(data.add_igos).parameters) == [
        "panel", "orgs", "shared", "path", "dyad_path", "source_dir"]
    assert list(inspect.signature(data.add_mids).parameters) == [
        "panel", "source", "peace_years", "path", "source_dir"]
    assert "peace_years" in data.add_mids.__doc__ and "``'gml'``" in data.add_mids.__doc__
    with pytest.raises(TypeError, match="unexpected keyword"):
        data.add_mids(None, peace=False)


def _add_entry(monkeypatch, entry):
    """Add ``entry`` to the registry for this test (replacing an entry of the same name)."""
    others = tuple(d for d in registry._ENTRIES if d.name != entry.name)
    monkeypatch.setattr(registry, "_ENTRIES", (*others, entry))
    monkeypatch.setitem(registry.DATASETS, entry.name, entry)


def _toy_pairs(tmp_path) -> Spec:
    """Directed toy pacts: 2 -> 740 in 1995 only, 740 -> 2 in 1996 only, 2 -> 710 in 1996."""
    (tmp_path / "toy").mkdir(exist_ok=True)
    (tmp_path / "toy" / "toy_pairs.csv").write_text(
        "ccode1,ccode2,year,pact\n2,740,1995,1\n740,2,1996,1\n2,710,1996,1\n"
    )
    return Spec(
        "Toy pacts",
        columns=(("ccode1", pl.Int64), ("ccode2", pl.Int64), ("year", pl.Int64), ("pact", pl.Int64)),
        signature=("pact",),
    )


def test_a_dyadic_dataset_is_one_entry_too(tmp_path, monkeypatch, mini_dir):
    """Directed dyad-year data: joined per direction, either direction on undirected dyads, counted per state."""
    spec = _toy_pairs(tmp_path)

    def partners(lf: pl.LazyFrame) -> pl.LazyFrame:
        return lf.group_by(pl.col("ccode1").alias("ccode"), "year").agg(pacts=pl.len())

    entry = registry.Dataset(
        "toy-pacts", "toy-pacts", "Toy pacts", "1.0", ("toy/toy_pairs.csv",), spec,
        cite=("miller2022",), api="load_toy_pacts", directed=True,
        join=registry.Join("toy_pacts", columns=("pact",), level="dyad", fill=(None, None),
                           undirected="max", per_state=partners),
    )  # fmt: skip
    _add_entry(monkeypatch, entry)
    add = panels.make_step("toy_pacts").function
    kw = {"years": (1995, 1996), "subset": ["USA", "CHN", "JPN"], "source_dir": mini_dir}

    directed = add(data.dyad_years(True, **kw), source_dir=tmp_path).to_polars()
    got = {(r["ccode1"], r["ccode2"], r["year"]): r["pact"] for r in directed.iter_rows(named=True)}
    assert got[(2, 740, 1995)] == 1 and got[(740, 2, 1995)] == 0  # the pledge has a direction
    assert got[(740, 2, 1996)] == 1 and got[(2, 740, 1996)] == 0 and got[(2, 710, 1995)] == 0

    both = add(data.dyad_years(False, **kw), source_dir=tmp_path).to_polars()
    got = {(r["ccode1"], r["ccode2"], r["year"]): r["pact"] for r in both.iter_rows(named=True)}
    assert got[(2, 740, 1995)] == 1 and got[(2, 740, 1996)] == 1  # either direction counts
    lower = replace(entry, join=replace(entry.join, undirected="lower"))
    _add_entry(monkeypatch, lower)
    both = panels.make_step("toy_pacts").function(data.dyad_years(False, **kw), source_dir=tmp_path)
    got = {(r["ccode1"], r["ccode2"], r["year"]): r["pact"] for r in both.to_polars().iter_rows(named=True)}
    assert got[(2, 740, 1995)] == 1 and got[(2, 740, 1996)] == 0  # the ccode1 < ccode2 row only

    states = add(data.state_years(**kw), source_dir=tmp_path).to_polars()
    got = {(r["ccode"], r["year"]): r["pacts"] for r in states.iter_rows(named=True)}
    assert got[(2, 1996)] == 1 and got[(740, 1996)] == 1 and got[(710, 1995)] == 0
    assert "pacts" in states.columns and "pact" not in states.columns


def test_a_special_join_is_a_named_function(tmp_path, monkeypatch, mini_dir):
    """An entry naming a join function gets a step whose options are the function's keywords."""
    spec = _toy_pairs(tmp_path)

    def busiest(panel, inputs, *, at_least: int = 1):
        """Add ``busy``: states with at least ``at_least`` pacts that year."""
        counts = (
            inputs.read().lazy().group_by(pl.col("ccode1").alias("ccode"), "year")
            .agg(busy=(pl.len() >= at_least).cast(pl.Int8))
        )
        return panels._join_state(panel, counts, ["busy"])

    monkeypatch.setitem(panels.JOINS, "busiest", busiest)
    entry = registry.Dataset(
        "toy-pacts", "toy-pacts", "Toy pacts", "1.0", ("toy/toy_pairs.csv",), spec,
        cite=("miller2022",), api="load_toy_pacts", directed=True,
        join=registry.Join("busy", how="busiest"),
    )  # fmt: skip
    _add_entry(monkeypatch, entry)
    add = panels.make_step("busy").function
    assert list(inspect.signature(add).parameters) == ["panel", "at_least", "path", "source_dir"]
    assert add.__doc__.startswith("Add ``busy``")
    panel = data.state_years(years=(1995, 1996), subset=["USA", "JPN"], source_dir=mini_dir)
    out = add(panel, source_dir=tmp_path, at_least=1).to_polars()
    assert out.filter(pl.col("busy") == 1).select("ccode", "year").rows() == [(2, 1995), (2, 1996), (740, 1996)]
    assert add(panel, source_dir=tmp_path, at_least=2).to_polars()["busy"].drop_nulls().sum() == 0
    assert "% Toy pacts, version 1.0" in add(panel, source_dir=tmp_path).cite()


def test_inconsistent_entries_are_refused(monkeypatch):
    spec = Spec("Toy", columns=(("ccode", pl.Int64), ("year", pl.Int64)))
    no_columns = registry.Dataset("toy-a", "toy", "Toy", "1", ("a.csv",), spec, cite=("miller2022",),
                                  api="load_toy", join=registry.Join("toy"))
    _add_entry(monkeypatch, no_columns)
    with pytest.raises(RuntimeError, match="must name its columns"):
        panels.make_step("toy")
    unknown = replace(no_columns, join=registry.Join("toy", how="nowhere"))
    _add_entry(monkeypatch, unknown)
    with pytest.raises(RuntimeError, match="no join function 'nowhere'"):
        panels.make_step("toy")
    other = replace(no_columns, name="toy-b", join=registry.Join("toy", how="trade"))
    _add_entry(monkeypatch, other)
    with pytest.raises(RuntimeError, match="different join functions"):
        panels.make_step("toy")
