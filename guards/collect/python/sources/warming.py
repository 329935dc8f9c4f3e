"""Fill the fact cache with the facts of every Python file of one revision, so that the next
run reads, instead of parsing, every file it does not change (README "The fact cache").

Contract: ``warm(git, rev)`` analyzes each ``.py`` file of REV whose facts are not cached under
the options a run asks for it (``Revision.options``: a test module with the collector's id
strategy and its definitions, any other module plain), on every core, BATCH files at a time,
and stores them; a file already cached is marked recent, so that trimming keeps this tree's
facts and lets older ones go. REV's reach record (sources/reach.py) is stored too, its files no
search of bytes can judge (sources/disguised.py: a pull request's run whose sides hold no tree
asks for them, 0.14 s of ``git grep`` on sympy), and what the functions its conftests' ignore
lists call return (linking/ignores.py). The reusable
workflow runs it on pushes to the default branch before it saves the cache: a pull request's
first run then analyzes its head side only, not its base side and the helpers both share.

Bounds: the work stops before the cache passes HEADROOM of ``$GUARDS_CACHE_MAX_MB`` (the files
left are counted: a cold file is a slower run, never an error); BATCH files are held at once.
The traps: a listing's blob id keys an entry without reading the blob only where it is the
SHA-1 the key holds (a SHA-256 repository's files are read and hashed); a file that does not
parse is counted and left alone (a run reports it where it matters).
"""

from __future__ import annotations

import posixpath

from guards.collect import cache as fact_cache
from guards.collect.model import NotParsable
from guards.collect.python.sources import disguised
from guards.collect.python.sources.revision import Revision
from guards.core.git import Git
from guards.core.records import record
from guards.errors import GuardsError

BATCH = 400
HEADROOM = 0.9  # of the cache's bound: what the gate's own runs write still fits
SHA1_LENGTH = 40
CONFTEST = "conftest.py"


@record
class Warmed:
    rev: str
    files: int  # Python files at REV
    cached: int  # already in the cache
    analyzed: int  # analyzed and stored now
    unanalyzable: int  # do not parse, or past the analysis's own bounds
    left: int  # not analyzed: the cache reached its bound first
    reach: bool  # REV's reach record is stored
    comments: int = 0  # suppression comment records stored (the command adds them)


def warm(git: Git, rev: str) -> Warmed:
    """Store the facts of every Python file of REV (a full commit id) in the fact cache."""
    revision = Revision(git, rev)
    cache = revision.cache
    if cache.root is None:
        raise GuardsError(
            f"the fact cache is off ({fact_cache.ENV_DIR}=off): set {fact_cache.ENV_DIR} to a "
            "folder, or unset it to use the repository's own"
        )
    listing = git.list_files(rev)
    python = sorted(p for p in listing if p.endswith(".py"))
    room = free_room(cache)
    cold = analyzed = left = 0
    for start in range(0, len(python), BATCH):
        todo = _cold(revision, listing, python[start : start + BATCH])
        cold += len(todo)
        if cache.written >= room:
            left += len(todo)
            continue
        revision.analyze_many(todo)
        analyzed += revision.release(todo)
        cache.release()
    _follow_ignores(revision, [p for p in python if posixpath.basename(p) == CONFTEST])
    cache.trim()
    stored = revision.reach is not None
    disguised.paths(revision)  # kept by commit, where a reach the cache held did not search
    return Warmed(rev, len(python), len(python) - cold, analyzed, cold - analyzed - left, left,
                  stored)  # fmt: skip # -- the counts in one line


def _follow_ignores(revision: Revision, conftests: list[str]) -> None:
    """Follow the CONFTESTS' ignore lists into the functions they call, which keeps what those
    return in the cache (linking/ignores.py): every run of a change under them asks."""
    from guards.collect.python.linking.ignores import followed
    from guards.collect.python.linking.resolve import Resolver

    resolver = Resolver(revision, revision.reach)
    for path in conftests:
        try:
            module = revision.analyzed(path)
        except NotParsable:
            continue  # reported by a run that reads it
        info = module.conftest if module else None
        for listed in (info.collect_ignore, info.collect_ignore_glob) if info else ():
            if listed is not None and listed.calls:
                followed(listed, path, resolver, revision)


def free_room(cache: fact_cache.FactCache) -> int:
    """Bytes a warm may still write: HEADROOM of the cache's bound, less what it holds now."""
    return int(cache.max_bytes * HEADROOM) - cache.size()


def _cold(revision: Revision, listing: dict[str, str], paths: list[str]) -> list[str]:
    """The PATHS whose facts are not cached (those that are are marked recent). A listed id
    is the key's SHA-1 blob id, except in a SHA-256 repository: there the bytes are hashed."""
    hashed = [p for p in paths if len(listing[p]) != SHA1_LENGTH]
    revision.prefetch(hashed)
    cold = [p for p in paths if not revision.cache.keep(_key(revision, p, listing[p]))]
    revision.release(set(hashed) - set(cold))  # the cold ones' bytes are analyzed next
    return cold


def _key(revision: Revision, path: str, oid: str) -> str:
    options = revision.options(path)
    if len(oid) == SHA1_LENGTH:
        return fact_cache.key_for(path, oid, options)
    return fact_cache.key_of(path, revision.read(path) or b"", options)
