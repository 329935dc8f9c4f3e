"""YAML front matter (``---`` ... ``---`` opening a markdown document), read as plain strings."""

from __future__ import annotations

from collections.abc import Mapping

from guards import strict_yaml
from guards.errors import ConfigError

_OPEN = "---"
_CLOSE = ("---", "...")


def split_front_matter(text: str, path: str) -> tuple[Mapping[str, object], str]:
    """(front matter, markdown). The front matter's lines are blanked, not removed, so line
    numbers still match the file. A leading ``---`` block that is not a YAML mapping is left
    to markdown (it is a thematic break, or a setext heading)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != _OPEN:
        return {}, text
    end = next((i for i, ln in enumerate(lines[1:], 1) if ln.rstrip("\r\n") in _CLOSE), None)
    if end is None:
        return {}, text
    try:
        doc = strict_yaml.load("".join(lines[1:end]), f"{path} front matter", plain_strings=True)
    except strict_yaml.Refused:
        raise  # an alias, a duplicate key, too deep or too large: the spec must be fixed
    except ConfigError:
        return {}, text  # not YAML: a thematic break or a setext heading
    if not isinstance(doc, dict):
        return {}, text
    return doc, "\n" * (end + 1) + "".join(lines[end + 1 :])
