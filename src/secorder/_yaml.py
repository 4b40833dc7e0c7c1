"""Strict, bounded YAML for user files (scenarios, architectures, levers).

``yaml.safe_load`` is safe from code execution but not from nonsense or exhaustion: a repeated
key silently keeps the last value, ``[[[[...]]]]`` ten thousand deep ends in a RecursionError,
an integer of thousands of digits raises a bare ValueError, and an "alias bomb" (a few lines
whose anchors refer to each other) expands to billions of nodes once validated. This loader
rejects all of these while parsing, with the line and column:

- duplicate keys in a mapping;
- nesting deeper than :data:`MAX_DEPTH` levels;
- more than :data:`MAX_ALIASES` aliases, or a document whose size with every alias expanded
  exceeds :data:`MAX_NODES` nodes;
- integers of more than :data:`MAX_INT_DIGITS` digits;
- text longer than :data:`MAX_BYTES`.

Errors are :class:`YAMLLimitError` (a :class:`yaml.MarkedYAMLError`), so callers report them
like any syntax error.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_BYTES = 20_000_000
MAX_DEPTH = 40
MAX_ALIASES = 1_000
MAX_NODES = 1_000_000
MAX_INT_DIGITS = 30


class YAMLLimitError(yaml.MarkedYAMLError):
    """A document that parses but breaks one of the limits above (or repeats a key)."""


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, deep nesting, alias bombs and huge integers."""

    def __init__(self, stream: Any):
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise YAMLLimitError(None, None, f"more than {MAX_ALIASES:,} aliases (*name)",
                                     self.peek_event().start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YAMLLimitError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                 self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self) -> Node | None:
        node = super().get_single_node()
        if node is not None:
            _check_expanded_size(node)
        return node

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                if isinstance(key_node, ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    key = self.construct_object(key_node, deep=True)
                    try:
                        if key in seen:
                            raise YAMLLimitError(
                                "while reading a mapping", node.start_mark,
                                f"duplicate key {key!r} (first at line {seen[key].line + 1})",
                                key_node.start_mark)
                        seen[key] = key_node.start_mark
                    except TypeError:  # unhashable key: the base class reports it
                        pass
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: ScalarNode) -> int:
        digits = sum(ch.isalnum() for ch in str(node.value).removeprefix("0x").removeprefix("0o").removeprefix("0b"))
        if digits > MAX_INT_DIGITS:
            raise YAMLLimitError(None, None, f"an integer of {digits:,} digits is too large", node.start_mark)
        return super().construct_yaml_int(node)


StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_yaml_int)
StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_yaml_map)


def _check_expanded_size(root: Node) -> None:
    """Count nodes with every alias expanded (memoised per node, so a bomb is cheap to detect)."""
    sizes: dict[int, int] = {}
    # iterative post-order walk: composed graphs may share nodes (aliases) but have no cycles
    # except through recursive anchors, which SafeLoader cannot construct anyway
    stack: list[tuple[Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            total = 1 + sum(sizes[id(c)] for c in children)
            if total > MAX_NODES:
                raise YAMLLimitError(None, None, f"expands to more than {MAX_NODES:,} values (alias bomb?)",
                                     node.start_mark)
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YAMLLimitError(None, None, "an anchor refers to itself", node.start_mark)
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) not in sizes:
                stack.append((child, False))


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def load(text: str) -> Any:
    """Parse one YAML document strictly; raises :class:`yaml.YAMLError` (incl. the limits)."""
    if len(text) > MAX_BYTES:
        raise YAMLLimitError(None, None, f"is larger than {MAX_BYTES // 1_000_000} MB", None)
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader


__all__ = ["MAX_ALIASES", "MAX_DEPTH", "MAX_INT_DIGITS", "MAX_NODES", "StrictLoader", "YAMLLimitError", "load"]
