"""GitHub Actions expressions (``${{ ... }}``): enough for guards.yml, ci.yml and action.yml.

Literals, context paths (``inputs.x``, ``steps.id.outputs.k``, ``github.event.a.b``), ``!``,
``&&``/``||`` (returning an operand, as GitHub does), ``==``/``!=`` (strings compared without
case), parentheses and the functions success(), failure(), always(), cancelled(), contains(),
startsWith() and format(). Anything else raises, so a workflow using more fails the test loudly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>&&|\|\||==|!=|<=|>=|[()!,<>.\[\]])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*))"
)
EMBED = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip():
                raise ValueError(f"cannot parse expression at {text[pos:]!r}")
            break
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def to_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def truthy(value: Any) -> bool:
    return value not in (None, False, 0, "") and value == value


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    if isinstance(a, (bool, int, float)) or isinstance(b, (bool, int, float)):
        return _number(a) == _number(b)
    return bool(a == b)


def _number(value: Any) -> float:
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


class Parser:
    """Recursive descent over the token list; evaluates as it parses."""

    def __init__(self, text: str, contexts: Mapping[str, Any], status: Mapping[str, bool]) -> None:
        self.toks = tokens(text)
        self.i = 0
        self.contexts = contexts
        self.functions: dict[str, Callable[..., Any]] = {
            "success": lambda: status.get("success", True),
            "failure": lambda: status.get("failure", False),
            "always": lambda: True,
            "cancelled": lambda: False,
            "contains": lambda hay, needle: _contains(hay, needle),
            "startswith": lambda s, p: to_str(s).lower().startswith(to_str(p).lower()),
            "format": _format,
        }

    def peek(self) -> str | None:
        return self.toks[self.i][1] if self.i < len(self.toks) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        tok = self.toks[self.i]
        if expected is not None and tok[1] != expected:
            raise ValueError(f"expected {expected!r}, got {tok[1]!r}")
        self.i += 1
        return tok

    def parse(self) -> Any:
        value = self.or_()
        if self.i != len(self.toks):
            raise ValueError(f"unexpected {self.peek()!r}")
        return value

    def or_(self) -> Any:
        value = self.and_()
        while self.peek() == "||":
            self.take()
            right = self.and_()
            value = value if truthy(value) else right
        return value

    def and_(self) -> Any:
        value = self.unary()
        while self.peek() == "&&":
            self.take()
            right = self.unary()
            value = right if truthy(value) else value
        return value

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not truthy(self.unary())
        return self.compare()

    def compare(self) -> Any:
        left = self.primary()
        if self.peek() in ("==", "!="):
            op = self.take()[1]
            right = self.primary()
            return _equal(left, right) == (op == "==")
        return left

    def primary(self) -> Any:
        kind, text = self.take()
        if text == "(":
            value = self.or_()
            self.take(")")
            return value
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text)
        if kind != "name":
            raise ValueError(f"unexpected {text!r}")
        literal = {"true": True, "false": False, "null": None}
        if text in literal:
            return literal[text]
        if self.peek() == "(":
            return self.call(text)
        return self.path(self.contexts.get(text))

    def call(self, name: str) -> Any:
        self.take("(")
        args = []
        while self.peek() != ")":
            args.append(self.or_())
            if self.peek() == ",":
                self.take()
        self.take(")")
        return self.functions[name.lower()](*args)

    def path(self, value: Any) -> Any:
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                key: Any = self.take()[1]
            else:
                key = self.or_()
                self.take("]")
            value = value.get(key) if isinstance(value, Mapping) else None
        return value


def _contains(hay: Any, needle: Any) -> bool:
    if isinstance(hay, list):
        return any(_equal(item, needle) for item in hay)
    return to_str(needle).lower() in to_str(hay).lower()


def _format(template: str, *args: Any) -> str:
    return re.sub(r"\{(\d+)\}", lambda m: to_str(args[int(m.group(1))]), template)


def evaluate(
    text: str, contexts: Mapping[str, Any], status: Mapping[str, bool] | None = None
) -> Any:
    """The value of one expression (without the ``${{ }}``)."""
    return Parser(text, contexts, status or {}).parse()


def interpolate(
    value: Any, contexts: Mapping[str, Any], status: Mapping[str, bool] | None = None
) -> Any:
    """A YAML value with every ``${{ }}`` replaced; a lone expression keeps its type."""
    if not isinstance(value, str):
        return value
    whole = EMBED.fullmatch(value.strip())
    if whole:
        return evaluate(whole.group(1), contexts, status)
    return EMBED.sub(lambda m: to_str(evaluate(m.group(1), contexts, status)), value)


def condition(text: Any, contexts: Mapping[str, Any], status: Mapping[str, bool]) -> bool:
    """A step's or job's ``if:``; success() is implied unless a status function is used."""
    if text is None:
        return bool(status.get("success", True))
    source = str(text).strip()
    whole = EMBED.fullmatch(source)
    source = whole.group(1) if whole else source
    result = truthy(evaluate(source, contexts, status))
    uses_status = re.search(r"\b(success|failure|always|cancelled)\(", source)
    return result if uses_status else result and bool(status.get("success", True))
