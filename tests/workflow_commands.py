"""Parse GitHub Actions workflow commands the way the runner does (actions/runner ActionCommand.cs).

A line is a command when, after TrimStart, it starts with ``::``; the command info runs to the
next ``::``; its name is the text up to the first space; properties are split on ``,`` and each
on its first ``=``; data and properties are then unescaped (``%25`` last).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

LINE_BREAK = re.compile(r"\r\n|\r|\n")  # .NET StreamReader.ReadLine

_DATA = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
_PROP = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))


@dataclass(frozen=True)
class Command:
    name: str
    properties: dict[str, str] = field(default_factory=dict)
    data: str = ""


def unescape(text: str, table: tuple[tuple[str, str], ...]) -> str:
    for code, char in table:
        text = text.replace(code, char)
    return text


def parse(line: str) -> Command | None:
    """The command on LINE, or None when the runner would print it as plain text."""
    line = line.lstrip()
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    info, data = line[2:end], line[end + 2 :]
    name, _, props = info.partition(" ")
    properties = {}
    for item in filter(None, props.split(",")):
        key, _, value = item.partition("=")
        properties[key] = unescape(value, _PROP)
    return Command(name, properties, unescape(data, _DATA))


def commands(text: str | Iterable[str]) -> list[Command]:
    """Every command in TEXT (stdout or stderr), in order."""
    lines = LINE_BREAK.split(text) if isinstance(text, str) else list(text)
    found = [parse(line) for line in lines]
    return [c for c in found if c is not None]


def command_like_lines(text: str) -> list[str]:
    """Every line the runner reads as a command (it splits output on CR and LF only)."""
    return [line for line in LINE_BREAK.split(text) if line.lstrip().startswith("::")]


def hidden_starts(text: str) -> list[str]:
    """Pieces of a line, after any other Unicode line break (U+2028, U+0085, VT, FF, ...),
    that would start a command if something split there: erring on the strict side."""
    pieces = [p for line in LINE_BREAK.split(text) for p in line.splitlines()[1:]]
    return [p for p in pieces if p.lstrip().startswith("::")]
