"""No import cycles in the package.

Every module under ``src/secorder`` is parsed; every ``import`` and ``from ... import`` counts,
wherever it sits (module level, inside functions, under ``TYPE_CHECKING``), with relative
imports resolved. ``from pkg import name`` depends on ``pkg`` itself (its ``__init__`` runs
first) and, when ``name`` is a submodule, on that submodule too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "secorder"


def module_files(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package rooted at ``root``."""
    mods = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


def import_edges(mods: dict[str, Path]) -> dict[str, dict[str, int]]:
    """module -> {imported module of the package: line of the first such import}."""
    edges: dict[str, dict[str, int]] = {m: {} for m in mods}
    for mod, path in mods.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                candidates = [target] + [f"{target}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            for name in candidates:
                while name and name not in mods:  # `a.b.func` -> the module `a.b`
                    name = name.rpartition(".")[0]
                if name and name != mod:
                    edges[mod].setdefault(name, node.lineno)
    return edges


def strongly_connected(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """Components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(edges[w])))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def one_cycle(component: list[str], edges: dict[str, dict[str, int]]) -> list[str]:
    """A concrete cycle a -> b -> ... -> a inside a strongly connected component."""
    members = set(component)
    start = component[0]
    parent: dict[str, str] = {}
    frontier = [start]
    while frontier:  # breadth-first back to the start: the shortest cycle through it
        nxt = []
        for v in frontier:
            for w in edges[v]:
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    return [*reversed(path), start]
                if w in members and w not in parent and w != start:
                    parent[w] = v
                    nxt.append(w)
        frontier = nxt
    raise AssertionError("not a cycle")  # pragma: no cover


def describe(cycle: list[str], edges: dict[str, dict[str, int]], mods: dict[str, Path]) -> str:
    root = PACKAGE.parent
    lines = [" -> ".join(cycle)]
    for a, b in zip(cycle, cycle[1:], strict=False):
        lines.append(f"  {mods[a].relative_to(root.parent) if mods[a].is_relative_to(root.parent) else mods[a]}:"
                     f"{edges[a][b]} imports {b}")
    return "\n".join(lines)


def find_cycles(root: Path) -> tuple[list[list[str]], dict[str, dict[str, int]], dict[str, Path]]:
    mods = module_files(root)
    edges = import_edges(mods)
    return strongly_connected(edges), edges, mods


def test_no_import_cycles():
    components, edges, mods = find_cycles(PACKAGE)
    assert len(mods) > 40, "the scan found too few modules: wrong package folder?"
    report = "\n".join(describe(one_cycle(c, edges), edges, mods) for c in components)
    assert not components, f"{len(components)} import cycle(s) in src/secorder:\n{report}"


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_scanner_finds_a_cycle_through_a_function_level_relative_import(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "from pkg.sub import b\n",
        "sub/__init__.py": "",
        "sub/b.py": "def f():\n    from ..a import x\n    return x\n",
        "c.py": "import pkg.a\n",
    })
    components, edges, _ = find_cycles(root)
    assert components == [["pkg.a", "pkg.sub.b"]]
    assert one_cycle(components[0], edges) == ["pkg.a", "pkg.sub.b", "pkg.a"]


def test_scanner_counts_type_checking_imports_and_the_package_init(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "from pkg.engine import run\n",
        "engine.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import results\n",
        "results.py": "X = 1\n",
    })
    components, _, _ = find_cycles(root)
    # `from pkg import results` runs pkg/__init__, which imports the engine: a cycle
    assert components == [["pkg", "pkg.engine"]]


def test_scanner_sees_no_cycle_in_a_layered_package(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "from .top import main\n",
        "top.py": "from pkg.low import f\nimport pkg.mid\n",
        "mid.py": "from .low import f\n",
        "low.py": "import numpy\n",
    })
    components, _, _ = find_cycles(root)
    assert components == []
