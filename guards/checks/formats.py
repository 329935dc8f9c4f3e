"""Read configuration and manifest files into plain data: TOML, INI, JSON with comments, YAML.

tsconfig.json and .eslintrc are JSONC (comments and trailing commas allowed): comments are
removed by a scanner that knows strings, never by a regex over the whole text. A leading UTF-8
BOM is dropped, as npm, TypeScript and ESLint drop it (``JSON.parse`` alone would refuse it). A
file that cannot be read is a GuardsError naming it: what it says cannot be judged. The TOML and
YAML parsers are imported by the first file of their format, not by every run.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from guards.core import shallow_json
from guards.errors import GuardsError

if TYPE_CHECKING:
    import configparser

TRAILING_COMMA = re.compile(r",(\s*[}\]])")


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
    """TEXT without // and /* */ comments outside strings."""
    out: list[str] = []
    i, n, in_string = 0, len(text), False
    while i < n:
        char = text[i]
        if in_string:
            out.append(text[i : i + 2] if char == "\\" else char)
            i += 2 if char == "\\" else 1
            in_string = char != '"' if char != "\\" else True
            continue
        if text.startswith("//", i):
            i = text.find("\n", i) if "\n" in text[i:] else n
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            in_string = char == '"'
            out.append(char)
            i += 1
    return "".join(out)


def words(value: Any) -> set[str]:
    """A list or a comma/newline separated string as a set of entries."""
    if isinstance(value, (list, tuple)):
        return {str(v).strip() for v in value if str(v).strip()}
    if isinstance(value, str):
        return {w.strip() for w in re.split(r"[,\n]", value) if w.strip()}
    return set()
