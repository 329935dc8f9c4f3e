"""Assertion calls in a C-family token stream, and which of them are always true.

Always true: a single literal argument (``assert(true)``, ``assert!(true)``, ``assertTrue(true)``,
``assert.True(t, true)``), two equal arguments (``assertEquals(x, x)``, ``assert_eq!(x, x)``),
``x == x`` inside one argument, and ``expect(A).toBe(A)`` / ``expect(true).toBeTruthy()``.
Accepts any exception: ``assertThrows(Exception.class, ...)`` / ``Throwable.class``, and
``toThrow()`` / ``toThrow(Error)``.
"""

from __future__ import annotations

from typing import NamedTuple

from guards.checks.tests_with_code.scanner import Token

FAILS = {"Error", "Errorf", "Fatal", "Fatalf", "Fail", "FailNow"}
CALLS = {"expect", "fail", "verify", "panic"}
SAME = {"toBe", "toEqual", "toStrictEqual"}
TRUTHY = {"toBeTruthy", "toBeDefined"}
BROAD = {"Exception", "Throwable", "Error"}


class Found(NamedTuple):
    real: int
    trivial: int
    broad: int


def assertions(toks: list[Token]) -> Found:
    real = trivial = broad = 0
    for k in range(len(toks)):
        verdict = _at(toks, k)
        if verdict is None:
            continue
        trivial += verdict
        real += not verdict
        broad += _broad(toks, k)
    return Found(real, trivial, broad)


def _text(toks: list[Token], k: int) -> str:
    return toks[k].text if 0 <= k < len(toks) else ""


def _at(toks: list[Token], k: int) -> bool | None:
    """None: no assertion starts at K; else whether it is trivially true."""
    word, nxt, prev = _text(toks, k), _text(toks, k + 1), _text(toks, k - 1)
    if prev == "." and word in FAILS and nxt == "(":
        return False
    if word in ("assert", "require") and nxt == ".":
        paren = k + 3 if _text(toks, k + 3) == "(" else None
        return paren is not None and _trivial_args(_args(toks, paren))
    if word == "expect" and nxt == "(":
        return _trivial_expect(toks, k + 1)
    if (word.startswith("assert") or word in CALLS) and nxt in ("(", "!"):
        paren = k + 1 if nxt == "(" else k + 2
        return _text(toks, paren) == "(" and _trivial_args(_args(toks, paren))
    return None


def _close(toks: list[Token], i: int) -> int:
    depth = 0
    for j in range(i, len(toks)):
        depth += (toks[j].text in "([{") - (toks[j].text in ")]}")
        if depth == 0:
            return j
    return len(toks) - 1


def _args(toks: list[Token], paren: int) -> list[tuple[str, ...]]:
    """The top-level arguments of the call whose "(" is at PAREN, as token tuples."""
    args: list[list[str]] = [[]]
    depth = 0
    for tok in toks[paren + 1 : _close(toks, paren)]:
        depth += (tok.text in "([{") - (tok.text in ")]}")
        if tok.text == "," and depth == 0:
            args.append([])
        else:
            args[-1].append(tok.text)
    return [tuple(a) for a in args if a]


def _literal_true(arg: tuple[str, ...]) -> bool:
    return arg in (("true",), ("1",)) or (
        len(arg) == 1 and arg[0][:1] in "\"'`" and len(arg[0]) > 2
    )


def _trivial_args(args: list[tuple[str, ...]]) -> bool:
    if args and args[0] == ("t",):
        args = args[1:]
    if len(args) == 1:
        return _literal_true(args[0]) or _self_compare(args[0])
    return len(args) >= 2 and (args[0] == args[1] or args[-1] == args[-2])


def _self_compare(arg: tuple[str, ...]) -> bool:
    """``x == x`` / ``x === x`` in one argument."""
    text = " ".join(arg)
    for op in (" = = = ", " = = "):
        left, sep, right = text.partition(op)
        if sep and left == right:
            return True
    return False


def _trivial_expect(toks: list[Token], paren: int) -> bool:
    """``expect(A).toBe(A)``, ``expect(true).toBeTruthy()``."""
    close = _close(toks, paren)
    actual = tuple(t.text for t in toks[paren + 1 : close])
    if _text(toks, close + 1) != "." or _text(toks, close + 3) != "(":
        return False
    matcher = _text(toks, close + 2)
    expected = _args(toks, close + 3)
    if matcher in TRUTHY:
        return _literal_true(actual)
    return matcher in SAME and len(expected) == 1 and expected[0] == actual


def _broad(toks: list[Token], k: int) -> int:
    word = _text(toks, k)
    if word == "assertThrows":
        return int(_text(toks, k + 2) in BROAD and _text(toks, k + 3) == ".")
    if word == "expect":
        return sum(
            _text(toks, j) == "toThrow" and _text(toks, j + 2) in (")", "Error")
            for j in range(k, min(len(toks), _close(toks, k + 1) + 4))
        )
    return 0
