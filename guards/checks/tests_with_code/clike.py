"""C-family sources read with the scanner: normalized code and test units per language.

Test units: JS/TS ``it(...)`` / ``test(...)`` calls, Go ``func TestXxx``, Rust ``#[test] fn``
(a ``#[cfg(test)] mod`` is cut out of the implementation and read as tests), JUnit ``@Test``
methods (Java, Kotlin). Assertions are calls: ``expect(...)``, ``assert*(...)``/``assert*!``,
``assert.X`` / ``require.X`` (node:assert, testify), ``t.Error/Fatal/Fail*``, ``fail``,
``verify``, ``panic``; Rust ``#[should_panic]`` counts as one.
"""

from __future__ import annotations

from guards.checks.tests_with_code.clike_asserts import assertions
from guards.checks.tests_with_code.model import Reading, Unit
from guards.checks.tests_with_code.scanner import Token, lines_of, tokens

JS = {"ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"}
CLOSERS = {"(": ")", "{": "}", "[": "]"}


def read_clike(text: str, ext: str) -> Reading:
    toks = tokens(text, rust=ext == "rs")
    impl = _without_test_modules(toks) if ext == "rs" else toks
    code = "\0".join(t.text for t in impl)
    return Reading(code, lines_of(impl), tuple(find_units(toks, ext)))


def matching(toks: list[Token], i: int) -> int:
    """The index of the bracket closing the one at I (the end of TOKS when unbalanced)."""
    opener, depth = toks[i].text, 0
    closer = CLOSERS[opener]
    for j in range(i, len(toks)):
        depth += (toks[j].text == opener) - (toks[j].text == closer)
        if depth == 0:
            return j
    return len(toks) - 1


def _texts(toks: list[Token], i: int, n: int) -> list[str]:
    return [t.text for t in toks[i : i + n]]


def _without_test_modules(toks: list[Token]) -> list[Token]:
    """TOKS minus every ``#[cfg(test)] mod name { ... }`` block."""
    out, i = [], 0
    while i < len(toks):
        if _texts(toks, i, 7) == ["#", "[", "cfg", "(", "test", ")", "]"]:
            brace = _next_text(toks, i + 7, "{")
            if brace is not None:
                i = matching(toks, brace) + 1
                continue
        out.append(toks[i])
        i += 1
    return out


def _next_text(toks: list[Token], start: int, text: str, limit: int = 64) -> int | None:
    for j in range(start, min(len(toks), start + limit)):
        if toks[j].text == text:
            return j
    return None


def find_units(toks: list[Token], ext: str) -> list[Unit]:
    finder = _js_unit if ext in JS else _go_unit if ext == "go" else _brace_unit
    units = []
    for i in range(len(toks)):
        found = finder(toks, i, ext)
        if found is not None:
            units.append(found)
    return units


def _js_unit(toks: list[Token], i: int, ext: str) -> Unit | None:
    """``it("name", ...)``, ``test("name", ...)``, ``it.only("name", ...)``."""
    if toks[i].text not in ("it", "test") or (i and toks[i - 1].text == "."):
        return None
    j = i + 1
    if _texts(toks, j, 1) == ["."]:
        j += 2
    if _texts(toks, j, 1) != ["("] or j + 1 >= len(toks) or toks[j + 1].text[:1] not in "\"'`":
        return None
    end = matching(toks, j)
    return _unit(toks[j + 1].text, toks, j + 2, end, 0, toks[i].line)


def _go_unit(toks: list[Token], i: int, ext: str) -> Unit | None:
    """``func TestXxx(t *testing.T) { ... }``."""
    if _texts(toks, i, 1) != ["func"] or i + 2 >= len(toks):
        return None
    name = toks[i + 1].text
    if not name.startswith("Test") or toks[i + 2].text != "(":
        return None
    brace = _next_text(toks, matching(toks, i + 2), "{")
    return None if brace is None else _body_unit(name, toks, brace, 0, toks[i].line)


def _brace_unit(toks: list[Token], i: int, ext: str) -> Unit | None:
    """Rust ``#[test]`` / ``#[tokio::test]`` and JUnit ``@Test`` functions."""
    if ext == "rs" and _texts(toks, i, 2) == ["#", "["]:
        close = matching(toks, i + 1)
        if toks[close - 1].text != "test" or close - i > 8:
            return None
    elif not (ext != "rs" and _texts(toks, i, 2) == ["@", "Test"]):
        return None
    paren = _next_text(toks, i + 2, "(")
    if paren is None:
        return None
    name, brace = _fn_name(toks, i, paren), _next_text(toks, matching(toks, paren), "{")
    if brace is None:
        return None
    panics = int(any(t.text == "should_panic" for t in toks[i:paren]))
    return _body_unit(name, toks, brace, panics, toks[i].line)


def _fn_name(toks: list[Token], start: int, paren: int) -> str:
    """The token after ``fn``/``fun`` (generics may stand before the "("), else before "("."""
    for j in range(start, paren - 1):
        if toks[j].text in ("fn", "fun"):
            return toks[j + 1].text
    return toks[paren - 1].text


def _body_unit(name: str, toks: list[Token], brace: int, extra: int, line: int) -> Unit:
    return _unit(name, toks, brace, matching(toks, brace) + 1, extra, line)


def _unit(name: str, toks: list[Token], start: int, end: int, extra: int, line: int) -> Unit:
    body = toks[start:end]
    found = assertions(body)
    return Unit(
        name=name.strip("\"'`"),
        real=found.real + extra,
        trivial=found.trivial,
        broad=found.broad,
        empty=_is_empty(body),
        fingerprint="\0".join(t.text for t in body),
        line=line,
    )


def _is_empty(body: list[Token]) -> bool:
    """Only brackets, arrows and commas: ``{}``, ``, () => {}``, ``, function () {}``."""
    return all(t.text in "(){},=>;" or t.text in ("function", "async") for t in body)
