"""Execute the fenced code blocks of a Markdown page, so the documentation cannot drift.

What each kind of block means (the info string after the opening fence):

- ``python``: executed, in page order, all blocks of a page in one namespace (a script);
- ``console``: command lines. A line ``$ secorder ...`` (or, in a block without ``$`` prompts,
  any line ``secorder ...``) is run in-process through the real command and must exit 0;
  other lines (``pip install``, ``ls``, output) are not run;
- ``yaml`` / ``json``: parsed; ``text``: output, not run. A fence without a language is an
  error: every block says what it is.

Directives are HTML comments, invisible on the rendered page::

    <!-- docs-test page: runs=20 years=5 -->      every block of this page
    <!-- docs-test: exit=2 -->                    the next block only (blank lines may follow)

Directive words (several may be combined):

``runs=N``, ``years=N``
    shrink sizes: in Python, keyword arguments ``runs=...``/``years=...`` are set to N; on the
    command line, ``--runs``/``--years`` are set to N on every command that accepts them.
``sub='OLD => NEW'``
    replace text in the block before running it (repeatable), e.g. a shorter year range.
``exit=N``
    a console block's commands are expected to exit with status N (a documented error).
``file=NAME``
    write the block's text to NAME in the page's working folder (a YAML file a later
    command reads).
``data``
    the block reads ``../shared/data``; the page is skipped where the data are absent.
``plots``
    let commands write their figures. Without it, ``--no-plots`` is added to every command
    that accepts it: drawing PNGs is most of the cost of a small run, and the figures are
    tested on their own (``tests/test_cli.py``, ``tests/test_architectures.py``).
``skip='reason'``
    not run (say why).

Each page runs in a fresh working folder ``work/`` beside a link ``shared`` to the shared data
folder, so ``../shared/data`` in a page resolves as it does from a checkout.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = {"python", "console", "text", "yaml", "json"}
SIZE_KEYS = ("runs", "years")
FENCE_OPEN = re.compile(r"^(?P<indent> {0,3})```(?P<lang>[\w+-]*)[^\n`]*$")
DIRECTIVE = re.compile(r"<!--\s*docs-test(?P<page>\s+page)?\s*:(?P<body>.*?)-->", re.DOTALL)
COMMAND_PREFIXES = (("secorder",), ("python", "-m", "secorder"))
INLINE_CODE = re.compile(r"`[^`\n]*`")


class DocsError(AssertionError):
    """A block failed, or a page is malformed; the message names the page and line."""


@dataclass
class Options:
    """The directives in force for one block."""

    runs: int | None = None
    years: int | None = None
    subs: list[tuple[str, str]] = field(default_factory=list)
    exit: int = 0
    file: str | None = None
    data: bool = False
    plots: bool = False
    skip: str | None = None

    def merged(self, other: Options) -> Options:
        """These options overridden by ``other``'s (substitutions add up)."""
        return Options(
            runs=other.runs if other.runs is not None else self.runs,
            years=other.years if other.years is not None else self.years,
            subs=[*self.subs, *other.subs],
            exit=other.exit if other.exit else self.exit,
            file=other.file or self.file,
            data=self.data or other.data,
            plots=self.plots or other.plots,
            skip=other.skip or self.skip,
        )


@dataclass
class Block:
    """One fenced block: its language, text, the line of its opening fence, its options."""

    page: Path
    lang: str
    body: str
    line: int
    options: Options

    @property
    def where(self) -> str:
        return f"{self.page.name}:{self.line}"


def parse_options(text: str, where: str) -> Options:
    """The options of one directive's text (``runs=20 exit=2 sub='a => b'``)."""
    opts = Options()
    try:
        words = shlex.split(text)
    except ValueError as err:
        raise DocsError(f"{where}: cannot read directive {text.strip()!r}: {err}") from None
    for word in words:
        key, _, value = word.partition("=")
        try:
            if key in SIZE_KEYS:
                setattr(opts, key, int(value))
            elif key == "exit":
                opts.exit = int(value)
            elif key == "file" and value:
                opts.file = value
            elif key == "data" and not value:
                opts.data = True
            elif key == "plots" and not value:
                opts.plots = True
            elif key == "skip":
                opts.skip = value or "no reason given"
            elif key == "sub" and "=>" in value:
                old, new = (s.strip() for s in value.split("=>", 1))
                opts.subs.append((old, new))
            else:
                raise ValueError
        except ValueError:
            raise DocsError(f"{where}: unknown or malformed directive word {word!r}") from None
    return opts


def parse_page(page: Path) -> tuple[list[Block], Options]:
    """The page's blocks with their options, and the page-level options."""
    lines = page.read_text(encoding="utf-8").splitlines()
    page_opts = Options()
    blocks_raw: list[tuple[str, list[str], int, Options]] = []
    pending: Options | None = None
    pending_line = 0
    k = 0
    while k < len(lines):
        line = lines[k]
        opening = FENCE_OPEN.match(line)
        if opening:
            lang = opening["lang"]
            indent = len(opening["indent"])
            start = k + 1
            body: list[str] = []
            k += 1
            while k < len(lines) and lines[k].strip() != "```":
                body.append(lines[k][indent:] if lines[k][:indent].strip() == "" else lines[k])
                k += 1
            if k == len(lines):
                raise DocsError(f"{page.name}:{start}: code block is never closed")
            if not lang:
                raise DocsError(f"{page.name}:{start}: code block without a language "
                                f"(use python, console, text, yaml or json)")
            if lang not in LANGUAGES:
                raise DocsError(f"{page.name}:{start}: unknown block language {lang!r} "
                                f"(known: {', '.join(sorted(LANGUAGES))})")
            blocks_raw.append((lang, body, start, pending or Options()))
            pending = None
            k += 1
            continue
        prose = INLINE_CODE.sub("", line)  # a directive quoted in `inline code` is not one
        if "<!--" in prose and "docs-test" in prose:
            text = prose
            while "-->" not in text and k + 1 < len(lines):
                k += 1
                text += "\n" + lines[k]
            for m in DIRECTIVE.finditer(text):
                opts = parse_options(m["body"], f"{page.name}:{k + 1}")
                if m["page"]:
                    page_opts = page_opts.merged(opts)
                else:
                    pending = (pending or Options()).merged(opts)
                    pending_line = k + 1
            k += 1
            continue
        if line.strip() and pending is not None:
            raise DocsError(f"{page.name}:{pending_line}: a block directive must be followed by a code block")
        k += 1
    if pending is not None:
        raise DocsError(f"{page.name}:{pending_line}: a block directive must be followed by a code block")
    blocks = [
        Block(page, lang, "\n".join(body) + "\n", line, page_opts.merged(opts))
        for lang, body, line, opts in blocks_raw
    ]
    return blocks, page_opts


# ----------------------------------------------------------------------------- python blocks


def shrink_python(code: str, options: Options) -> str:
    """``code`` with its substitutions applied and ``runs=``/``years=`` keywords set as directed."""
    for old, new in options.subs:
        if old not in code:
            raise DocsError(f"substitution {old!r} does not occur in the block")
        code = code.replace(old, new)
    for key in SIZE_KEYS:
        value = getattr(options, key)
        if value is not None:
            code = re.sub(rf"(?<![\w.]){key}(\s*)=(\s*)[0-9][0-9_]*", rf"{key}\g<1>=\g<2>{value}", code)
    return code


def run_python(block: Block, namespace: dict[str, Any]) -> None:
    """Execute a python block in ``namespace``; tracebacks point at the page's own line numbers."""
    code = shrink_python(block.body, block.options)
    compiled = compile("\n" * block.line + code, str(block.page), "exec")
    try:
        exec(compiled, namespace)  # noqa: S102 - executing our own documentation
    except Exception as err:
        first = code.strip().splitlines()[0] if code.strip() else ""
        raise DocsError(f"{block.where}: python block failed ({first!r}): {type(err).__name__}: {err}") from err


# ---------------------------------------------------------------------------- console blocks


def console_commands(body: str) -> list[list[str]]:
    """The secorder commands of a console block, as argument lists after ``secorder``."""
    lines = body.splitlines()
    prompted = any(line.startswith("$ ") for line in lines)
    joined: list[str] = []
    current: str | None = None
    for line in lines:
        if current is not None:
            current += " " + line.strip()
        elif prompted and line.startswith("$ "):
            current = line[2:].strip()
        elif not prompted and line.strip() and not line.lstrip().startswith("#"):
            current = line.strip()
        else:
            continue
        if current.endswith("\\"):
            current = current[:-1]
            continue
        joined.append(current)
        current = None
    commands = []
    for text in joined:
        words = shlex.split(text, comments=True)
        for prefix in COMMAND_PREFIXES:
            if tuple(words[: len(prefix)]) == prefix:
                commands.append(words[len(prefix):])
                break
    return commands


def _command_for(args: list[str]):
    """The click command that ``secorder ARGS`` runs (the innermost subcommand named in ARGS)."""
    import typer

    from secorder.cli import app

    cmd = typer.main.get_command(app)
    for word in args:
        if not hasattr(cmd, "commands") or word.startswith("-"):
            continue
        sub = cmd.commands.get(word)
        if sub is None:
            break
        cmd = sub
    return cmd


def shrink_command(args: list[str], options: Options) -> list[str]:
    """``args`` with ``--runs``/``--years`` set as directed and ``--no-plots`` unless ``plots``.

    Only options the command accepts are added.
    """
    params = _command_for(args).params
    out = list(args)
    flags = {o for p in params for o in (*getattr(p, "opts", []), *getattr(p, "secondary_opts", []))}
    if not options.plots and "--no-plots" in flags and not {"--plots", "--no-plots"} & set(out):
        out.append("--no-plots")
    sizes = {key: getattr(options, key) for key in SIZE_KEYS if getattr(options, key) is not None}
    if not sizes:
        return out
    accepted = {opt for p in params for opt in getattr(p, "opts", [])}
    for key, value in sizes.items():
        flag = f"--{key}"
        if flag not in accepted:
            continue
        names = {o for p in params if flag in getattr(p, "opts", []) for o in p.opts}
        kept: list[str] = []
        skip_next = False
        for word in out:
            if skip_next:
                skip_next = False
                continue
            if word in names:
                skip_next = True
                continue
            if any(word.startswith(n + "=") for n in names):
                continue
            kept.append(word)
        out = [*kept, flag, str(value)]
    return out


def run_console(block: Block) -> int:
    """Run the block's secorder commands in-process; the number run."""
    from tests.cli_invoke import invoke

    commands = console_commands(substituted(block))
    for args in commands:
        args = shrink_command(args, block.options)
        result = invoke(*args)
        if result.exit_code != block.options.exit:
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
            raise DocsError(
                f"{block.where}: `secorder {shlex.join(args)}` exited {result.exit_code}, "
                f"expected {block.options.exit}:\n{tail}"
            )
    return len(commands)


# ------------------------------------------------------------------------------------- pages


def substituted(block: Block) -> str:
    """The block's text with its ``sub=`` substitutions applied."""
    body = block.body
    for old, new in block.options.subs:
        if old not in body:
            raise DocsError(f"{block.where}: substitution {old!r} does not occur in the block")
        body = body.replace(old, new)
    return body


def run_block(block: Block, namespace: dict[str, Any], workdir: Path) -> None:
    """Run or check one block in ``workdir`` (the current directory)."""
    if block.options.skip:
        return
    if block.lang == "python":
        run_python(block, namespace)
        return
    if block.lang == "console":
        run_console(block)
        return
    body = substituted(block)
    if block.lang == "yaml":
        try:
            yaml.safe_load(body)
        except yaml.YAMLError as err:
            raise DocsError(f"{block.where}: YAML block does not parse: {err}") from None
    elif block.lang == "json":
        try:
            json.loads(body)
        except ValueError as err:
            raise DocsError(f"{block.where}: JSON block does not parse: {err}") from None
    if block.options.file:
        (workdir / block.options.file).write_text(body, encoding="utf-8")


def run_page(page: Path, workdir: Path) -> int:
    """Run every block of ``page`` in order in ``workdir`` (already the current directory)."""
    blocks, _ = parse_page(page)
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    for block in blocks:
        run_block(block, namespace, workdir)
    return len(blocks)
