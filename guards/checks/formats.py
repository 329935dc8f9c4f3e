"""Read configuration and manifest files into plain data: TOML, INI, JSON with comments, YAML.

tsconfig.json and .eslintrc are JSONC (comments and trailing commas allowed): comments are
removed by a scanner that knows strings, never by a regex over the whole text. A leading UTF-8
BOM is dropped, as npm, TypeScript and ESLint drop it (``JSON.parse`` alone would refuse it). A
file that cannot be read is a GuardsError naming it: what it says cannot be judged. The TOML and
YAML parsers are imported by the first file of their format, not by every run.

A file that parses can still hold any shape: its keys are read through core/shapes.py.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from guards.core import shallow_json
from guards.errors import GuardsError

if TYPE_CHECKING:
    import configparser

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
    """A YAML file a pull request may write (.eslintrc.yml, .yarnrc.yml), read strictly: no
    anchors or aliases (an alias bomb of a few hundred bytes is gigabytes to whatever walks it;
    an alias inside its own anchor is a cycle), bounded nesting and size (strict_yaml.py). Its
    refusal is a plain GuardsError: the file is the pull request's, not guards' policy."""
    from guards import strict_yaml  # PyYAML (~15 ms) loads only when a YAML file is read

    try:
        return strict_yaml.load(data, path) or {}
    except GuardsError as exc:
        raise GuardsError(str(exc)) from exc


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
