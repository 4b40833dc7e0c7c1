r"""Reference tables of the documentation, generated from the registries.

The parameter table (from :class:`secorder.params.Params`), the mechanism table (from
:data:`secorder.mechanisms.REGISTRY`) and the outcome table (from the outcome registry,
:func:`secorder.metrics.outcome_table`) are written into ``docs/model.md`` between marker comments::

    <!-- BEGIN GENERATED: parameters (python -m secorder.docgen --write) -->
    ...
    <!-- END GENERATED: parameters -->

and a test fails when the committed text differs from what the registries give. After
changing a registry, regenerate with::

    python -m secorder.docgen --write      # rewrite the tables in docs/model.md
    python -m secorder.docgen --check      # exit 1 and name the stale tables if any differ

Examples
--------
>>> from secorder.docgen import markdown_table
>>> print(markdown_table(["Name", "Value"], [["`a|b`", 1.5]], align="l:"))
| Name | Value |
|---|---:|
| `a\|b` | 1.5 |
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

MODEL_PAGE = Path("docs") / "model.md"


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[Any]], align: str = "") -> str:
    """A GitHub-flavoured Markdown table; ``align`` has one letter per column, ``l`` or ``:`` (right).

    Pipes inside cells are escaped so that they do not split the cell.
    """
    align = align.ljust(len(header), "l")
    rule = "|" + "|".join("---:" if a == ":" else "---" for a in align) + "|"

    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", rule]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _number(x: float) -> str:
    return f"{x:g}"


# ------------------------------------------------------------------------------- the tables


def parameter_tables() -> str:
    """Every parameter, one table per mechanism in the order of the yearly step."""
    from secorder.mechanisms import REGISTRY
    from secorder.params import Params

    rows = Params.table()
    by_mechanism: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_mechanism.setdefault(row["mechanism"], []).append(row)
    titles = {m.name: f"{m.step}. {m.title}" for m in REGISTRY}
    unknown = sorted(set(by_mechanism) - set(titles))
    if unknown:
        raise ValueError(f"parameters documented under unknown mechanism(s): {', '.join(unknown)}")
    sections = []
    for m in REGISTRY:
        if m.name not in by_mechanism:
            continue
        table = markdown_table(
            ["Name", "Default", "Range", "Meaning", "Source"],
            ([f"`{r['name']}`", _number(r["default"]), f"{_number(r['range'][0])} – {_number(r['range'][1])}",
              r["meaning"], r["source"]] for r in by_mechanism[m.name]),
            align="l:",
        )
        sections.append(f"#### {titles[m.name]} (`{m.name}`)\n\n{table}")
    return "\n\n".join(sections)


def _draw_text(draws: dict[str, str]) -> str:
    shapes = {"run": "(1)", "state": "(N)", "dyad": "(N, N)", "institution": "(K)", "membership": "(K, N)"}
    if not draws:
        return "—"
    return ", ".join(f"{name.replace('_', ' ')} `{shapes.get(kind, kind)}`" for name, kind in draws.items())


def mechanism_table() -> str:
    """The yearly step: one row per registered mechanism, in order."""
    from secorder.mechanisms import REGISTRY

    return markdown_table(
        ["Step", "Mechanism", "Module", "Named draws (uniforms, per run and year)", "Claims", "Sources"],
        ([m.step, m.title, f"`{m.name}`", _draw_text(dict(getattr(m, "draws", {}) or {})),
          ", ".join(m.claims) or "—", "; ".join(m.sources) or "—"] for m in REGISTRY),
    )


def outcome_table() -> str:
    """The per-run outcomes of the outcome registry, in the order ``Results.summary()`` lists them."""
    from secorder.metrics import outcome_table as rows

    return markdown_table(
        ["Name", "Label", "Unit", "Better", "Definition", "Reads"],
        ([f"`{r['name']}`", r["label"], r["unit"], r["better"], r["definition"],
          ", ".join(f"`{s}`" for s in r["reads"].split(", "))] for r in rows()),
    )


TABLES: dict[str, Callable[[], str]] = {
    "parameters": parameter_tables,
    "mechanisms": mechanism_table,
    "outcomes": outcome_table,
}
"""Name of each generated block in ``docs/model.md`` -> the function that writes it."""


# ---------------------------------------------------------------------- markers in the page


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<begin><!-- BEGIN GENERATED: {name}\b[^\n]*-->\n)(?P<body>.*?)(?P<end><!-- END GENERATED: {name} -->)",
        re.DOTALL,
    )


def render(text: str, tables: dict[str, Callable[[], str]] | None = None) -> str:
    """``text`` with the body between each pair of markers replaced by the generated table.

    Raises ``ValueError`` if a table's markers are missing.
    """
    for name, make in (tables or TABLES).items():
        pattern = _pattern(name)
        if not pattern.search(text):
            raise ValueError(f"no '<!-- BEGIN GENERATED: {name} -->' ... '<!-- END GENERATED: {name} -->' markers")
        body = make().rstrip("\n") + "\n"
        text = pattern.sub(lambda m, body=body: m["begin"] + body + m["end"], text, count=1)
    return text


def stale_tables(text: str) -> list[str]:
    """Names of the generated tables whose committed text differs from the registries."""
    out = []
    for name in TABLES:
        if render(text, {name: TABLES[name]}) != text:
            out.append(name)
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m secorder.docgen --write | --check [--page docs/model.md]``."""
    parser = argparse.ArgumentParser(prog="python -m secorder.docgen", description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="rewrite the generated tables in the page")
    mode.add_argument("--check", action="store_true", help="exit 1 if a generated table is out of date")
    parser.add_argument("--page", type=Path, default=MODEL_PAGE, help="the page holding the tables (%(default)s)")
    args = parser.parse_args(argv)
    text = args.page.read_text(encoding="utf-8")
    try:
        new = render(text)
    except ValueError as err:
        print(f"{args.page}: {err}", file=sys.stderr)
        return 2
    if args.check:
        stale = stale_tables(text)
        if stale:
            print(f"{args.page}: generated table(s) out of date: {', '.join(stale)}; "
                  f"run `python -m secorder.docgen --write`", file=sys.stderr)
            return 1
        print(f"{args.page}: generated tables up to date")
        return 0
    if new != text:
        args.page.write_text(new, encoding="utf-8")
        print(f"{args.page}: generated tables rewritten")
    else:
        print(f"{args.page}: generated tables already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
