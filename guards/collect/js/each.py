"""Titles of ``.each`` / ``.for`` cases, as jest-each and vitest print them.

Array rows fill printf placeholders in order (``%s %d %i %f %j %p``; ``%#`` is the row index,
``%$`` the index + 1, ``%%`` a percent sign); object rows and tagged-template tables fill
``$name`` (and ``$name.key``). A string is printed as is, except where the runner quotes it:
jest's ``%p`` prints ``"x"``, vitest's ``$name`` prints ``'x'`` (vitest has no ``%p``).

The trap: a table or value that is not a literal gives no titles. The cases are then keyed by
the title template (``by_function`` says why), never guessed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from guards.collect.js.syntax import DYNAMIC, Node, literal, text, unwrap

PLACEHOLDER = re.compile(r"%[sdifjopO#$%]")
VARIABLE = re.compile(r"\$([A-Za-z_$][\w$]*(?:\.[\w$]+)*)")
MAX_ROWS = 1000


class NotLiteral(Exception):
    """A value the runner would format by running code."""


def titles(template: str, table: Node, flavor: str) -> list[str] | None:
    """One title per case, or None when the table or a value is not a literal."""
    rows = _rows(table)
    if rows is None or len(rows) > MAX_ROWS:
        return None
    try:
        return [_title(template, row, i, flavor) for i, row in enumerate(rows)]
    except NotLiteral:
        return None


def _rows(table: Node) -> list[Any] | None:
    if table.type == "template_string":
        return _template_rows(table)
    args = [c for c in table.named_children if c.type != "comment"]
    if len(args) != 1:
        return None
    value = literal(args[0])
    return value if isinstance(value, list) else None


def _template_rows(node: Node) -> list[Any] | None:
    subs = [c for c in node.named_children if c.type == "template_substitution"]
    head = text(node)[1:].split("${", 1)[0]
    names = [h.strip() for h in head.strip().splitlines()[0].split("|")] if head.strip() else []
    if not names or not subs or len(subs) % len(names):
        return None
    values = [literal(unwrap(s.named_children[0])) if s.named_children else DYNAMIC for s in subs]
    if any(v is DYNAMIC for v in values):
        return None
    width = len(names)
    return [
        dict(zip(names, values[i : i + width], strict=True)) for i in range(0, len(values), width)
    ]


def _title(template: str, row: Any, index: int, flavor: str) -> str:
    title = template.replace("%#", str(index)).replace("%$", str(index + 1))
    if isinstance(row, dict):
        return VARIABLE.sub(lambda m: _variable(row, m.group(1), flavor), title)
    args = row if isinstance(row, list) else [row]
    return _printf(title, args, flavor)


def _variable(row: dict[str, Any], dotted: str, flavor: str) -> str:
    value: Any = row
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            raise NotLiteral(dotted)
        value = value[part]
    if isinstance(value, str) and flavor == "vitest":
        return f"'{value}'"
    return _plain(value)


def _printf(title: str, args: list[Any], flavor: str) -> str:
    out, rest, pos = [], list(args), 0
    for match in PLACEHOLDER.finditer(title):
        out.append(title[pos : match.start()])
        pos = match.end()
        token = match.group()
        if token == "%%":
            out.append("%")
        elif not rest:
            out.append(token)
        else:
            out.append(_format(token, rest.pop(0), flavor))
    out.append(title[pos:])
    return "".join(out)


def _format(token: str, value: Any, flavor: str) -> str:
    if token == "%s":
        return _plain(value)
    if token in ("%d", "%i"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise NotLiteral(token)
        return _number(int(value) if token == "%i" else value)
    if token == "%j":
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if token == "%p" and flavor != "vitest":
        return _pretty(value)
    raise NotLiteral(token)  # %f %o %O: inspection output is not reproduced


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        return value
    raise NotLiteral("%s of an array or object")


def _pretty(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else _plain(value)


def _number(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)
