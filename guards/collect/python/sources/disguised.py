"""Which Python files of a revision a search of their bytes cannot judge: the text Python reads
from them is not their bytes (``skip`` spelled with a fullwidth letter, a ``coding:`` cookie:
core/python_text.py). Every search that prunes by words (reach.py, prefilter.py,
dependents.py) adds those whose text matches, and reads a file's text, never its bytes.

Contract: ``paths(rev)`` is the set of such files at REV: one ``git grep`` of the tree for the
candidates (python_text.MAY_DIFFER: a byte above ASCII or a cookie; reach.py's search of import
lines finds them too and offers them), each read and kept when its text differs. It is kept in the
fact cache by commit (a JSON list of paths: anything else is a miss); a change's head side starts
from its base side's and looks again only at the files the change touched, and is kept by its
commit too: a push's head is the base a pull request reads next, which then spares a ``git
grep`` of the tree (sympy: 0.14 s). ``matching(rev, words)`` are those whose text says one of
WORDS.

Cost: one search a commit, cached; few files (sympy: 40 candidates of 1,603 Python files, 9 of
them read otherwise; pytest: 65 and 4).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from guards.collect.python.sources.revision import Revision
from guards.core import python_text, shallow_json
from guards.linear_re import any_word


def paths(rev: Revision, candidates: set[str] | None = None) -> frozenset[str]:
    """The set, from CANDIDATES (what a caller's own search of the tree found: reach.py's
    import lines), or from the other side's of a change, or one ``git grep`` when it misses
    the cache; kept either way (a push's head is the base the next pull request reads)."""
    return rev.cache.record(_key(rev), _decode, lambda: _found(rev, candidates), _encode)


def _key(rev: Revision) -> str | None:
    return hashlib.sha256(f"disguised\0{rev.commit}".encode()).hexdigest() if rev.commit else None


def matching(rev: Revision, words: Iterable[str]) -> set[str]:
    """The files of ``paths(rev)`` whose text says one of WORDS as a word (as ``git grep -w``
    does: a word character on neither side)."""
    if not rev.disguised:
        return set()
    said = any_word(tuple(sorted(set(words))))
    return {p for p in rev.disguised if said.search(rev.text(p) or b"") is not None}


def _found(rev: Revision, candidates: set[str] | None) -> frozenset[str]:
    """The set computed: from the other side's where REV is a change's head side."""
    if rev.sibling is not None:
        return _after(rev, *rev.sibling)
    return _differing(rev, candidates)


def _after(rev: Revision, other: Revision, changed: Iterable[str]) -> frozenset[str]:
    """The OTHER side's set, with the CHANGED files (every path git reports) looked at again
    on this side."""
    changed = [p for p in changed if p.endswith(".py")]
    return (other.disguised - set(changed)) | _differing(rev, changed)


def _differing(rev: Revision, candidates: Iterable[str] | None = None) -> frozenset[str]:
    """The CANDIDATES (else those one ``git grep`` finds) whose text differs from their bytes."""
    if candidates is None:
        candidates = rev.git.grep_bytes(rev.rev, python_text.MAY_DIFFER)
    candidates = sorted(candidates)
    rev.prefetch(candidates)
    return frozenset(
        p for p in candidates if (data := rev.read(p)) is not None and rev.text(p) != data
    )


def _encode(found: frozenset[str]) -> bytes:
    return json.dumps(sorted(found)).encode()


def _decode(raw: bytes) -> frozenset[str] | None:
    try:
        doc = shallow_json.loads(raw, max_depth=2)
    except ValueError:
        return None
    if not isinstance(doc, list) or not all(isinstance(p, str) for p in doc):
        return None
    return frozenset(doc)
