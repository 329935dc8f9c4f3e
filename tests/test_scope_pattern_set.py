"""The one-set matcher of manifest-scope gives the per-list (pathspec) answer, path by path.

Generated gitignore-style lists (negations, ``**``, directory-only patterns, anchors, character
classes, escapes, comments) and generated paths (folders with a trailing slash, the root, names
that are not UTF-8) are asked both ways: ``PatternSet.hits`` against ``Patterns.match`` list by
list. An empty set answer is allowed only where no list matched at all, or where the order of
RE2's ids decides between a list's matches (then the caller asks the lists); a set that cannot
be built within its memory bound leaves the verdict unchanged.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from guards import pattern_set as pattern_set_module
from guards.errors import ConfigError
from guards.pattern_set import pattern_set
from guards.patterns import Patterns, TicketScope, patterns

PIECES = ["a", "b", "ab", "x.py", "*", "**", "?", "*.py", "a*", "[ab]", "[!a]", "[a-c]", "[]a]"]
PIECES += ["\\*", "\\!", "\\#", "\\[a", "é", "a b", ".env", "\\\\", "a\\ "]
NAMES = ["a", "b", "ab", "x.py", "c.py", "a b", "é", "[ab]", "*", "!a", "#a", ".env", "a\\"]
NAMES += ["a ", "?", "\udcff"]  # a trailing space, and a name that is not UTF-8


@st.composite
def glob_line(draw: st.DrawFn) -> str:
    body = "/".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4)))
    lead = draw(st.sampled_from(["", "", "/", "!", "!/", "#", "**/"]))
    tail = draw(st.sampled_from(["", "", "/", "/**", "/*", " "]))
    return f"{lead}{body}{tail}"


@st.composite
def path(draw: st.DrawFn) -> str:
    body = "/".join(draw(st.lists(st.sampled_from(NAMES), min_size=0, max_size=4)))
    return body + draw(st.sampled_from(["", "", "/"]))


LISTS = st.lists(glob_line(), max_size=6)


def compiled(lines: list[str]) -> Patterns:
    try:
        return patterns("scope/T-1.yaml", lines)
    except ConfigError:  # a line git would not accept never reaches a matcher
        assume(False)
        raise


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LISTS, LISTS, LISTS, st.lists(path(), min_size=1, max_size=8))
@example(["secrets/"], ["!secrets/open.py"], ["**", "!*.md"], ["secrets/open.py", "a.md", ""])
@example([], ["a/**", "!a/b/", "a/b/c"], ["a/"], ["a/b/c", "a/b/", "a/b", "a"])
@example([], [], ["a", "a/a/"], ["a/a", "a/a/", "b/a/x"])
@example([], ["a", "a", "a"], ["a", "a", "a", "a", "**/*.py/**", "*.py"], ["x.py/a"])
def test_one_set_answers_as_the_lists_do(
    global_deny: list[str], deny: list[str], allow: list[str], paths: list[str]
) -> None:
    lists = [compiled(global_deny), compiled(deny), compiled(allow)]
    one = pattern_set([(p.patterns, p.spec) for p in lists])
    assert one is not None
    for p in paths:
        expected = tuple(lst.match(p) for lst in lists)
        got = one.hits(p)
        if got is None:  # no id came back, or RE2's order decides: the per-list path decides
            assert expected == (None, None, None) or not _utf8(p) or one.ambiguous(p)
        else:
            assert got == expected, p


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def scope(allow: list[str], deny: list[str], global_deny: list[str]) -> TicketScope:
    return TicketScope(
        patterns("scope/T-1.yaml", allow),
        patterns("scope/T-1.yaml", deny),
        patterns("guards.yaml", global_deny),
    )


CASES = [
    ("src/a/x.py", None),
    ("src/a/secrets/k.py", "deny pattern 'src/a/secrets/**' in scope/T-1.yaml matched"),
    (".github/workflows/ci.yml", "deny pattern '.github/**' in guards.yaml matched"),
    ("src/b/x.py", "no allow pattern in scope/T-1.yaml matched"),
    ("src/a/\udcff.py", None),
]


@pytest.mark.parametrize(("path", "why"), CASES)
def test_a_set_over_its_memory_bound_falls_back_to_the_lists(
    monkeypatch: pytest.MonkeyPatch, path: str, why: str | None
) -> None:
    big = scope(["src/a/**"], ["src/a/secrets/**"], [".github/**"])
    monkeypatch.setattr(pattern_set_module, "MAX_MEM", 1 << 10)
    assert big.one_set is None
    assert big.why_out(path) == why


@pytest.mark.parametrize(("path", "why"), CASES)
def test_the_set_gives_the_same_reasons(path: str, why: str | None) -> None:
    one = scope(["src/a/**"], ["src/a/secrets/**"], [".github/**"])
    assert one.one_set is not None
    assert one.why_out(path) == why
