"""YAML front matter (``---`` ... ``---`` opening a markdown document), read as plain strings."""

from __future__ import annotations

from collections.abc import Mapping

import yaml

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
        doc = yaml.load(
            "".join(lines[1:end]), Loader=yaml.BaseLoader
        )  # BaseLoader: only str/list/dict
    except yaml.YAMLError:
        return {}, text
    if not isinstance(doc, dict):
        return {}, text
    return doc, "\n" * (end + 1) + "".join(lines[end + 1 :])
