"""Which Python files of a revision say a word, and which of their lines import: the searches of
the whole tree that decide what else to read (reach.py, dependents.py).

Contract: ``saying(rev, words)`` is the set of Python files whose text says one of WORDS as a
word (a word character on neither side, as ``git grep -w`` reads it), the text Python reads
where it is not the bytes (core/python_text.py) as well as the bytes. ``import_lines(rev, near)``
is (path, line) for each line that says ``import`` and, when NEAR is given, one of its literals,
or ends in a bracket or a backslash (the names follow on the next lines); with the files that
match python_text.MAY_DIFFER (sources/disguised.py reads them, and the caller their every line:
their text may spell a literal their bytes do not).

Both run in memory when the revision holds its tree (Revision.hold: every Python file read once,
by two ``git cat-file --batch`` processes; searched on two threads, as RE2 lets go of the GIL while
it matches), else as ``git grep``: one for the words, and for the
import lines one beside another for the MAY_DIFFER files, on two cores (one search asking
both took as long as the two one after the other: a byte class on every line); the import lines
by the held search's own pattern in PCRE (``git grep -P``, where git has it), and the searches a
cold reach will ask begun before the change's files are analyzed (``begin_*``, reach.prepare).
A ``git grep`` inflates every blob of the tree again: sympy's 1,590 Python files (27 MB) cost
0.07-0.12 s a search, and a cold base's reach runs four; held, they are read once in 0.09 s
(begun before the change's files are analyzed: reach.prepare) and searched in 0.02-0.04 s each.
A change's head side whose tree is not held (a run the fact cache primed) takes its base
side's answer and reads again only the files the change touched (every path git reports).

The trap: both ways find the same files, or more in memory, never fewer: git skips a file it
takes for binary (``-I``) that memory searches all the same; a line is what lies between line
feeds either way (a carriage return stays on it).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Any, TypeVar

from guards.collect.python.parsing.parallel import workers
from guards.collect.python.sources import disguised
from guards.collect.python.sources.revision import Revision
from guards.core import python_text
from guards.core.background import Background
from guards.linear_re import any_word, compile_linear

CONTINUATION = r"[(\][[:space:]]*$"  # POSIX: a backslash in brackets is itself
COOKIE = re.compile(rb"coding[:=]")  # python_text.MAY_DIFFER's other half
THREADED = 1 << 20  # a held tree this large is split between two threads (_on_threads)
T = TypeVar("T")
Files = list[tuple[str, bytes]]
Imported = tuple[list[tuple[str, str]], set[str]]  # import lines, and the MAY_DIFFER files


def saying(rev: Revision, words: Iterable[str], narrow: str | Sequence[str] = "*.py") -> set[str]:
    """The Python files of REV whose text says one of WORDS as a word. NARROW (pathspecs)
    narrows git's search of a tree not held; a held tree is searched whole (cheaper than the
    globs), so the caller keeps what it asked for."""
    words = sorted(set(words))
    if not words or not narrow:
        return set()
    held, sibling = rev.held, rev.sibling
    if held is None and narrow == "*.py" and sibling is not None:
        return _after(rev, *sibling, words)
    if held is None:
        return set(_grepped_saying(rev, words, narrow))
    said = any_word(tuple(words))
    matched = in_bytes(rev, words)
    return set(matched) | {p for p in _disguised(rev) if _text_says(rev, p, said)}


def _grepped_saying(rev: Revision, words: list[str], narrow: str | Sequence[str]) -> frozenset[str]:
    """``saying`` by ``git grep`` (begun earlier, or now), once a revision for the same
    question: a change's head side asks its base side's again (_after)."""
    key = _saying_key(words, narrow)
    if key not in rev.searched:
        begun = rev.begun.pop(key, None)
        found = (
            begun() if begun else rev.git.grep_files(rev.rev, words, pathspec=narrow, words=True)
        )
        rev.searched[key] = frozenset(found | disguised.matching(rev, words))
    said: frozenset[str] = rev.searched[key]
    return said


def _after(rev: Revision, other: Revision, changed: Iterable[str], words: list[str]) -> set[str]:
    """``saying`` at a change's head side whose tree is not held: its other side's answer,
    less the files the change touched (every path git reports), and those of them whose
    bytes or text say a word here. One ``git grep`` for the change where there were two (a
    primed run on sympy: 0.10 s)."""
    touched = {p for p in changed if p.endswith(".py")}
    said = any_word(tuple(words))
    rev.prefetch(touched)
    here = {p for p in touched if _says(rev.read(p), said) or _text_says(rev, p, said)}
    return (saying(other, words) - touched) | here


def _says(data: bytes | None, said: Any) -> bool:
    return data is not None and said.search(data) is not None


def in_bytes(rev: Revision, words: Iterable[str]) -> frozenset[str]:
    """The held files of REV whose bytes say one of WORDS as a word (``saying`` adds the files
    whose text is not their bytes): searched once a revision (Revision.searched)."""
    words = sorted(set(words))
    key = ("bytes", *words)
    if key not in rev.searched:
        said = any_word(tuple(words))

        def search(files: Files) -> list[str]:
            return [p for p, data in files if said.search(data)]

        rev.searched[key] = frozenset(_on_threads(search, rev.held or {}))
    found: frozenset[str] = rev.searched[key]
    return found


def _disguised(rev: Revision) -> frozenset[str]:
    """The held files whose text is not their bytes (sources/disguised.py), from the held
    files that match MAY_DIFFER."""
    rev.offer_disguised(set(_differing(rev)))
    return rev.disguised


@functools.lru_cache(maxsize=2)  # a change's two sides
def _differing(rev: Revision) -> frozenset[str]:
    """The held files that match python_text.MAY_DIFFER, found once a revision."""
    return frozenset(p for p, data in (rev.held or {}).items() if _may_differ(data))


def _text_says(rev: Revision, path: str, said: Any) -> bool:
    """Whether the text Python reads from PATH says SAID."""
    return _says(rev.text(path), said)


def import_lines(rev: Revision, near: Sequence[str]) -> Imported:
    """The lines of REV's Python files that say ``import`` near a literal of NEAR (every such
    line when NEAR is empty), and the files that match python_text.MAY_DIFFER."""
    held = rev.held
    if held is None:
        return _grepped(rev, near)
    key = _lines_key(near)
    if key not in rev.searched:
        regex = _near_lines(tuple(near))

        def importing(files: Files) -> list[tuple[str, str]]:
            return [(p, line.decode(errors="replace")) for p, data in files
                    for line in _importing(data, regex)]  # fmt: skip # -- one comprehension

        rev.searched[key] = _on_threads(importing, held)
    return list(rev.searched[key]), set(_differing(rev))


def _on_threads(search: Callable[[Files], list[T]], held: dict[str, bytes]) -> list[T]:
    """SEARCH's answers over the HELD files, in their order: split by bytes between two
    threads where two cores are usable and the files are THREADED bytes or more. RE2 lets go of
    the GIL while it matches, so the threads search at once (sympy's 1,590 files, 27 MB: its
    import lines 0.060 -> 0.032 s, its files that say a root word 0.040 -> 0.022 s)."""
    files = list(held.items())
    ends = list(accumulate(len(data) for _, data in files))
    if not ends or ends[-1] < THREADED or workers() < 2:
        return search(files)
    half = bisect_left(ends, ends[-1] / 2) + 1
    return _two(search, files[:half], files[half:])


def _two(search: Callable[[Files], list[T]], first: Files, second: Files) -> list[T]:
    """SEARCH over FIRST on another thread while this one searches SECOND; FIRST's answers
    first. What the other thread raised is raised here."""
    got: list[list[T]] = []
    other = Background(lambda: got.append(search(first)))
    try:
        rest = search(second)
    finally:
        other.thread.join()  # ended before this thread goes on, whatever either raised
    other.join()  # what the other thread raised
    return got[0] + rest


def _may_differ(data: bytes) -> bool:
    """python_text.MAY_DIFFER, asked as ``isascii`` first (a regex's byte class is ten times
    slower over a tree)."""
    return not data.isascii() or (b"coding" in data and COOKIE.search(data) is not None)


def _importing(data: bytes, regex: Any) -> Iterator[bytes]:
    """The lines of DATA that say ``import`` and are near (_near_lines's REGEX): one RE2
    search of the file (a Python loop over a tree's 28,000 import lines cost twice as much)."""
    if b"import" in data:
        yield from (found.group() for found in regex.finditer(data))


@functools.cache
def _near_lines(near: tuple[str, ...]) -> Any:
    """The lines that say ``import`` and one of NEAR (any, when NEAR is empty), or that say
    ``import`` and end continued (git's CONTINUATION, as one RE2 pattern). A byte is a
    character, as in git's C-locale search: in UTF-8 a byte that is none would end the line."""
    if not near:
        return compile_linear(rb"(?m)^[^\n]*import[^\n]*", bytewise=True)
    said = b"|".join(re.escape(lit.encode()) for lit in near)
    either = rb"(?:import[^\n]*(?:" + said + rb")|(?:" + said + rb")[^\n]*import)"
    continued = rb"^[^\n]*import[^\n]*[(\\][ \t\v\f\r]*$"
    return compile_linear(rb"(?m)^[^\n]*" + either + rb"[^\n]*|" + continued, bytewise=True)


def begin_saying(rev: Revision, words: Iterable[str], narrow: Sequence[str]) -> None:
    """Begin ``saying(rev, words, narrow)``'s ``git grep`` now, in another process, where REV
    will not hold its tree (as ``begin_import_lines``); WORDS are words of word characters."""
    words = sorted(set(words))
    if rev.unheld and words and narrow:
        rev.begun[_saying_key(words, narrow)] = rev.git.start_grep_words(rev.rev, words, narrow)


def _saying_key(words: list[str], narrow: str | Sequence[str]) -> tuple[str, ...]:
    """What a begun search of WORDS in NARROW is kept under (Revision.begun)."""
    return ("saying", *words, "--", *([narrow] if isinstance(narrow, str) else narrow))


def begin_import_lines(rev: Revision, near: Sequence[str]) -> None:
    """Begin ``import_lines(rev, near)``'s two ``git grep`` now, in other processes, where REV
    will not hold its tree (Revision.unheld): a caller that knows the search will come begins
    it before other work (reach.prepare: the analysis of a change's files goes on meanwhile)."""
    if rev.unheld:
        rev.begun[_lines_key(near)] = _begin_grep(rev, near)


def _lines_key(near: Sequence[str]) -> tuple[str, ...]:
    """What a begun search of import lines near NEAR is kept under (Revision.begun)."""
    return ("import_lines", *near)


def _grepped(rev: Revision, near: Sequence[str]) -> Imported:
    """``import_lines`` by ``git grep`` (begun earlier, or now)."""
    begun = rev.begun.pop(_lines_key(near), None)
    return (begun or _begin_grep(rev, near))()


def _begin_grep(rev: Revision, near: Sequence[str]) -> Callable[[], Imported]:
    """The import lines and, beside them, the MAY_DIFFER files, by two ``git grep`` begun now;
    the lines by _near_perl where git has PCRE, else by its ``--and`` of extended regexes."""
    differing = rev.git.start_grep_bytes(rev.rev, python_text.MAY_DIFFER)
    lines = rev.git.start_grep_perl(rev.rev, _near_perl(tuple(near)))

    def found() -> Imported:
        got = lines()
        if got is None:  # a git without PCRE
            nearby = (*near, CONTINUATION) if near else ()
            got = rev.git.grep_lines(rev.rev, "import", near=nearby, beside=True)
        return got, differing()

    return found


def _near_perl(near: tuple[str, ...]) -> str:
    """_near_lines's pattern for ``git grep -P``, which matches it line by line: a line that
    says ``import`` and one of NEAR's literals (either first), or ``import`` and ends continued;
    every line that says ``import`` when NEAR is empty."""
    if not near:
        return "import"
    said = "|".join(re.escape(lit) for lit in near)
    line = r"[^\n]*"  # whatever PCRE's own idea of a line end (it may take \r for one)
    return rf"import{line}(?:{said})|(?:{said}){line}import|import{line}[(\\][ \t\x0b\f\r]*$"
