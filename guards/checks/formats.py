"""Read configuration and manifest files into plain data: TOML, INI, JSON with comments, YAML.

tsconfig.json and .eslintrc are JSONC (comments and trailing commas allowed): comments are
removed by a scanner that knows strings, never by a regex over the whole text. A leading UTF-8
BOM is dropped, as npm, TypeScript and ESLint drop it (``JSON.parse`` alone would refuse it). A
file that cannot be read is a GuardsError naming it: what it says cannot be judged. The TOML and
YAML parsers are imported by the first file of their format, not by every run.

A file that parses can still hold any shape: where its tool wants a table (Cargo's
``[target.'cfg(unix)']``, ruff's ``per-file-ignores``) and finds a string, the tool refuses the
file. ``table`` and ``tables`` read a key so, raising Shape where the value is something else;
``shaped`` wraps a file's reader so that a Shape names the file: a GuardsError, never a crash.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from guards.core import shallow_json
from guards.errors import GuardsError

if TYPE_CHECKING:
    import configparser

T = TypeVar("T")
TRAILING_COMMA = re.compile(r",(\s*[}\]])")
STRING = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""")  # on one line
COMMENT_TOKENS = re.compile(rf"{STRING.pattern}|//[^\n]*|/\*.*?(?:\*/|\Z)", re.S)


def toml(data: bytes, path: str) -> dict[str, Any]:
    from guards.tomlread import tomllib  # parsers load when a file of their format is read

    try:
        doc: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
        return doc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise GuardsError(f"{path}: not valid TOML ({exc})") from exc


def ini(data: bytes, path: str) -> configparser.RawConfigParser:
    import configparser

    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read_string(data.decode("utf-8"), path)
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise GuardsError(f"{path}: not a valid INI file ({exc})") from exc
    return parser


def jsonc(data: bytes, path: str) -> Any:
    try:
        text = strip_comments(data.decode("utf-8-sig"))
        return shallow_json.loads(TRAILING_COMMA.sub(r"\1", text)) if text.strip() else {}
    except (ValueError, UnicodeDecodeError) as exc:
        raise GuardsError(f"{path}: not valid JSON ({exc})") from exc


def yaml_doc(data: bytes, path: str) -> Any:
    import yaml  # PyYAML (~15 ms) loads only when a YAML file is read

    try:
        return yaml.safe_load(data.decode("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise GuardsError(f"{path}: not valid YAML ({exc})") from exc


def strip_comments(text: str) -> str:
    """TEXT with its ``//`` and ``/* */`` comments blanked, line breaks kept (a line stays the
    line it was): one pass of COMMENT_TOKENS, in which a string literal (``"..."`` or
    ``'...'``) matches first, so a comment marker inside one is text (``"https://x"``)."""
    return COMMENT_TOKENS.sub(_blank_comment, text)


def _blank_comment(match: re.Match[str]) -> str:
    token = match.group(0)
    return token if token[0] in "\"'" else "\n" * token.count("\n")


def words(value: Any) -> set[str]:
    """A list or a comma/newline separated string as a set of entries."""
    if isinstance(value, (list, tuple)):
        return {str(v).strip() for v in value if str(v).strip()}
    if isinstance(value, str):
        return {w.strip() for w in re.split(r"[,\n]", value) if w.strip()}
    return set()


class Shape(GuardsError):
    """A key of a file holds what its tool refuses (``shaped`` names the file)."""


def table(value: Any, key: str) -> Mapping[str, Any]:
    """VALUE, the table at KEY: {} where there is none, Shape where it is something else."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise Shape(f"{key} is {kind(value)}, not a table")
    return value


def tables(value: Any, key: str) -> list[Mapping[str, Any]]:
    """VALUE, the array of tables at KEY ([] where there is none)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise Shape(f"{key} is {kind(value)}, not an array of tables")
    return [table(item, f"{key}[{n}]") for n, item in enumerate(value)]


def kind(value: Any) -> str:
    """What VALUE is, in the words of TOML and JSON."""
    if isinstance(value, bool):
        return "a boolean"
    kinds = (
        (str, "a string"),
        ((int, float), "a number"),
        (list, "an array"),
        (Mapping, "a table"),
    )
    return next((word for cls, word in kinds if isinstance(value, cls)), "a value")


def shaped(read: Callable[[bytes, str], T]) -> Callable[[bytes, str], T]:
    """READ, with a Shape it raises for a file named with the file."""

    @functools.wraps(read)
    def checked(data: bytes, path: str) -> T:
        try:
            return read(data, path)
        except Shape as exc:
            raise GuardsError(f"{path}: {exc}, which its tool refuses; fix the file") from exc

    return checked
