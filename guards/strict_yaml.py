"""YAML for policy files (guards.yaml, scope files, spec front matter, probes): strict and bounded.

A policy file decides what the gate lets through, so what PyYAML would quietly accept is an
error here, named with the file and line:

- a key given twice in one mapping (PyYAML keeps the last: a second ``manifest-scope:`` block
  would drop the first one's ``deny``);
- an anchor or alias (``&a``/``*a``): no policy needs one, and an alias bomb expands a few
  hundred bytes into gigabytes in whatever walks the document next (the schema validator);
- more than ``MAX_DEPTH`` levels of nesting, or more than ``max_bytes`` of text, refused
  before any parsing.

The trap: the checks run while the document is composed (events to nodes), before any Python
object exists, so nothing large or deep is ever built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from guards.config_messages import yaml_message
from guards.errors import ConfigError

MAX_BYTES = 1 << 20  # 1 MiB: a policy file is a few KiB
MAX_DEPTH = 64


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, duplicate keys and deep nesting while composing."""

    def __init__(self, stream: str, plain_strings: bool) -> None:
        super().__init__(stream)
        self._depth = 0
        if plain_strings:  # front matter: every scalar stays a string (like BaseLoader)
            self.yaml_implicit_resolvers = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        peek: Callable[[], Any] = self.peek_event  # untyped in the stubs
        event = peek()
        if isinstance(event, yaml.AliasEvent):
            raise _refused(event.start_mark, "uses an alias (*name); write the value out instead")
        if getattr(event, "anchor", None):
            raise _refused(event.start_mark, "defines an anchor (&name); remove it")
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _refused(event.start_mark, f"nests deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            hashable = key if isinstance(key, (str, int, float, bool, type(None))) else repr(key)
            if hashable in seen:
                raise _refused(key_node.start_mark, f"gives the key {key!r} twice")
            seen.add(hashable)
        return super().construct_mapping(node, deep=deep)


class Refused(ConfigError):
    """The document parses as YAML but breaks a rule of policy files (alias, duplicate key,
    depth, size): an error even where a plain syntax error is tolerated."""


class _Refused(yaml.YAMLError):
    def __init__(self, mark: Any, what: str) -> None:
        super().__init__(f"line {mark.line + 1}: {what}")


def _refused(mark: Any, what: str) -> _Refused:
    return _Refused(mark, what)


def load(
    data: bytes | str, name: str, *, max_bytes: int = MAX_BYTES, plain_strings: bool = False
) -> Any:
    """Parse one YAML document strictly; any refusal is a ConfigError naming NAME and the line.

    Empty input is ``{}``. With PLAIN_STRINGS every scalar is a string (no dates, no numbers).
    """
    size = len(data)
    if size > max_bytes:
        raise Refused(f"{name}: {size} bytes; a policy file may hold at most {max_bytes}")
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{name}: not UTF-8 text: {exc}") from exc
    if not text.strip():
        return {}
    try:  # the reader refuses control characters as soon as it is built
        loader = _StrictLoader(text, plain_strings)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML: {yaml_message(exc)}") from exc
    try:
        return loader.get_single_data()
    except (_Refused, RecursionError) as exc:
        raise Refused(f"{name}: {_short(exc)}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML: {yaml_message(exc)}") from exc
    finally:
        loader.dispose()


def _short(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return " ".join(str(exc).split())
