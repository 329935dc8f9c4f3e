"""Rust attribute contents as meta items: ``ignore``, ``ignore = "why"``, ``cfg(any(unix, x))``,
``cfg_attr(windows, ignore, should_panic(expected = "boom"))`` (pure).

The traps: an identifier may be written raw (``r#ignore`` is ``ignore``); an attribute's argument
is a raw token tree, and anything that is not a meta item (a macro's arbitrary tokens) is kept
as an opaque ``Meta`` with ``raw`` set, never guessed at.
"""

from __future__ import annotations

import re
from dataclasses import field

from guards.core.records import record

_TOKEN = re.compile(
    r"""\s*(?:(?P<str>r?\#*"(?:[^"\\]|\\.)*"\#*)|(?P<path>(?:r\#)?[A-Za-z_]\w*(?:\s*::\s*(?:r\#)?[A-Za-z_]\w*)*)
    |(?P<punct>[(),=])|(?P<other>[^\s(),=]+))""",
    re.VERBOSE | re.DOTALL,
)

RAW = re.compile(r"(^|::)r#")


@record
class Meta:
    path: str
    value: str | None = None
    args: tuple[Meta, ...] | None = None
    raw: bool = False  # not a meta item: opaque tokens
    source: str = field(default="", compare=False)  # the cfg_attr it was expanded from

    @property
    def name(self) -> str:
        return self.path.rpartition("::")[2]


def parse(source: str) -> Meta:
    """The meta item of an attribute's text (without ``#[`` and ``]``)."""
    tokens = _tokens(source)
    try:
        meta, rest = _item(tokens)
    except (IndexError, ValueError):
        return Meta(source.strip(), raw=True)
    return meta if not rest else Meta(source.strip(), raw=True)


def _tokens(source: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    pos = 0
    while pos < len(source.rstrip()):
        match = _TOKEN.match(source, pos)
        if match is None or match.lastgroup is None:
            return [("other", source)]
        text = match.group(match.lastgroup)
        found.append((match.lastgroup, _path(text) if match.lastgroup == "path" else text))
        pos = match.end()
    return found


def _path(text: str) -> str:
    """A path as Rust names it: no spaces, and a raw identifier is the identifier
    (``#[r#ignore]`` ignores a test as ``#[ignore]`` does)."""
    return RAW.sub(r"\1", re.sub(r"\s+", "", text))


def _item(tokens: list[tuple[str, str]]) -> tuple[Meta, list[tuple[str, str]]]:
    kind, text = tokens[0]
    if kind != "path":
        raise ValueError(text)
    rest = tokens[1:]
    if rest[:1] == [("punct", "=")]:
        value_kind, value = rest[1]
        if value_kind not in {"str", "other", "path"}:
            raise ValueError(value)
        return Meta(text, _unquote(value) if value_kind == "str" else value), rest[2:]
    if rest[:1] == [("punct", "(")]:
        args, rest = _list(rest[1:])
        return Meta(text, None, args), rest
    return Meta(text), rest


def _list(tokens: list[tuple[str, str]]) -> tuple[tuple[Meta, ...], list[tuple[str, str]]]:
    items: list[Meta] = []
    while tokens[0] != ("punct", ")"):
        if tokens[0][0] in {"str", "other"}:
            items.append(Meta(tokens[0][1], raw=True))
            tokens = tokens[1:]
        else:
            item, tokens = _item(tokens)
            items.append(item)
        if tokens[0] == ("punct", ","):
            tokens = tokens[1:]
        elif tokens[0] != ("punct", ")"):
            raise ValueError(tokens[0][1])
    return tuple(items), tokens[1:]


def _unquote(text: str) -> str:
    body = text.lstrip("r").strip("#")
    return body[1:-1]
