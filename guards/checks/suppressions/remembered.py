"""A file's comments kept in the fact cache by content: a warm run tokenizes and parses nothing.

Contract: ``comments(cache, lang, data, read)`` is ``read()`` (the list of Comment of DATA read
as the language LANG), from CACHE when an earlier run stored it. The comments of a file depend
on its bytes, its language and this guard's code and on nothing else (the reason pattern and the
forms are applied to them afterwards), so the key is the git blob id of DATA, LANG and a
fingerprint of guards/checks/suppressions and of the core modules that decode a file's text for
it (a new guards version, or any edit to a tokenizer or a decoder, is a miss). A file that does
not read (a GuardsError) is not stored: it fails again, every run.

``warm(git, rev, cache)`` stores the records of every Python file of REV that holds a suppression
hint (``guards cache warm``, after the facts): a pull request's run then reads its base side's
comments instead of parsing them. The hinted files come from one ``git grep``; a record already
stored is found by the listing's SHA-1 blob id without reading the file, and marked recent. It
stops at the same share of the cache's bound as the facts' warm (``warming.free_room``; the count
stored is returned); a file that does not parse is left alone (a run reports it where it
changes).

The trap: a cache is input. The record is JSON checked field by field (a list of
``[line, text, scope, leading]`` of int, str, str, bool); anything else is a miss, never an
error or a value of the wrong type.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from guards.checks.suppressions import extract
from guards.checks.suppressions.model import Comment
from guards.collect.cache import PYTHON_TEXT, FactCache, fingerprint
from guards.collect.python.sources.warming import SHA1_LENGTH, free_room
from guards.core import shallow_json
from guards.core.git import Git
from guards.core.oids import blob_id
from guards.errors import GuardsError

# the code a record depends on: the guard's, and what decodes a file's text for it
CODE = ("checks/suppressions", *PYTHON_TEXT, "core/java_text.py")
BATCH = 200  # files read at once
# A line with a "#" and, after it, a word every Python form spells (extract.PY_HINT), any case
HINTED = "#.*(" + "|".join("".join(f"[{c}{c.upper()}]" for c in w) for w in extract.PY_WORDS) + ")"


def comments(
    cache: FactCache, lang: str, data: bytes, read: Callable[[], list[Comment]]
) -> list[Comment]:
    return cache.record(_key(lang, blob_id(data)), decode, read, encode)


def _key(lang: str, blob: str) -> str:
    return hashlib.sha256(f"comments\0{lang}\0{fingerprint(CODE)}\0{blob}".encode()).hexdigest()


def warm(git: Git, rev: str, cache: FactCache) -> int:
    """Store the comments of every hinted Python file of REV not stored yet: how many."""
    hinted = git.grep_files(rev, [HINTED], fixed=False, pathspec=["*.py", "*.pyi"])
    listing = git.list_files(rev) if hinted else {}  # one listing, not a pathspec a file
    todo = [p for p in sorted(hinted & listing.keys()) if not _stored(cache, p, listing[p])]
    room, start, stored = free_room(cache), cache.written, 0
    for at in range(0, len(todo), BATCH):
        if cache.written - start >= room:
            break
        batch = todo[at : at + BATCH]
        datas = git.read_many([f"{rev}:{p}" for p in batch])
        stored += sum(_store(cache, p, d) for p, d in zip(batch, datas, strict=True) if d)
    cache.trim()
    return stored


def _stored(cache: FactCache, path: str, oid: str) -> bool:
    """Whether PATH's record is stored (and then marked recent); unknown for a SHA-256 id."""
    lang = extract.language(path)
    return lang is not None and len(oid) == SHA1_LENGTH and cache.keep(_key(lang, oid))


def _store(cache: FactCache, path: str, data: bytes) -> bool:
    """Read and store PATH's comments unless stored: whether a record was written."""
    lang = extract.language(path)
    if lang is None or cache.keep(key := _key(lang, blob_id(data))):
        return False
    try:
        found = extract.LANGUAGES[lang][0](data, path)
    except GuardsError:  # does not parse: the run that reads it says so
        return False
    cache.put_raw(key, encode(found))
    return True


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
        and len(item) == 4
        and type(item[0]) is int
        and isinstance(item[1], str)
        and isinstance(item[2], str)
        and type(item[3]) is bool
    )
