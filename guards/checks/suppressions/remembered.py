"""A file's comments kept in the fact cache by content: a warm run tokenizes and parses nothing.

Contract: ``comments(cache, lang, data, read)`` is ``read()`` (the list of Comment of DATA read
as the language LANG), from CACHE when an earlier run stored it. The comments of a file depend
on its bytes, its language and this guard's code and on nothing else (the reason pattern and
the forms are applied to them afterwards), so the key is the git blob id of DATA, LANG and a
fingerprint of guards/checks/suppressions (a new guards version, or any edit to a tokenizer, is
a miss). A file that does not read (a GuardsError) is not stored: it fails again, every run.

The trap: a cache is input. The record is JSON checked field by field (a list of
``[line, text, scope]`` of int, str, str); anything else is a miss, never an error or a value of
the wrong type.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from guards.checks.suppressions.model import Comment
from guards.collect.cache import FactCache, fingerprint
from guards.core import shallow_json
from guards.core.oids import blob_id

CODE = ("checks/suppressions",)  # the code a record depends on


def comments(
    cache: FactCache, lang: str, data: bytes, read: Callable[[], list[Comment]]
) -> list[Comment]:
    key = hashlib.sha256(f"comments\0{lang}\0{fingerprint(CODE)}\0{blob_id(data)}".encode())
    found = decode(cache.get_raw(key.hexdigest()) or b"")
    if found is None:
        found = read()
        cache.put_raw(key.hexdigest(), encode(found))
    return found


def encode(found: list[Comment]) -> bytes:
    return json.dumps([list(c) for c in found]).encode()


def decode(raw: bytes) -> list[Comment] | None:
    """The comments RAW holds, or None when it is not a record ``encode`` wrote."""
    try:
        doc = shallow_json.loads(raw, max_depth=3)
    except ValueError:
        return None
    if not isinstance(doc, list) or not all(_is_comment(item) for item in doc):
        return None
    return [Comment(*item) for item in doc]


def _is_comment(item: object) -> bool:
    return (
        isinstance(item, list)
        and len(item) == 3
        and type(item[0]) is int
        and isinstance(item[1], str)
        and isinstance(item[2], str)
    )
