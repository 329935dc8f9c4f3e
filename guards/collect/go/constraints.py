"""Go build constraints on a default build: linux/amd64, gc, cgo, no -tags (pure).

A file is left out of the package when its name ends in a foreign ``_GOOS``/``_GOARCH``
(``x_windows_test.go``), when it starts with ``_`` or ``.``, or when its ``//go:build`` line
(or, without one, its ``// +build`` lines) is false. The trap: ``// +build`` lines count only in
the header (before the package clause) and only when a blank line follows their comment group;
release tags (``go1.N``) are taken as satisfied, and ``cgo`` as enabled (Go's default with a C
compiler).
"""

from __future__ import annotations

import re

GOOS = frozenset(
    [
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "wasip1",
        "windows",
        "zos",
    ]
)
GOARCH = frozenset(
    [
        "386",
        "amd64",
        "amd64p32",
        "arm",
        "armbe",
        "arm64",
        "arm64be",
        "loong64",
        "mips",
        "mipsle",
        "mips64",
        "mips64le",
        "mips64p32",
        "mips64p32le",
        "ppc",
        "ppc64",
        "ppc64le",
        "riscv",
        "riscv64",
        "s390",
        "s390x",
        "sparc",
        "sparc64",
        "wasm",
    ]
)
TRUE_TAGS = frozenset({"linux", "amd64", "unix", "gc", "cgo"})
_RELEASE = re.compile(r"go1\.\d+\Z")
_TOKEN = re.compile(r"\s*(\(|\)|!|&&|\|\||[\w.\-]+)")


def tag_true(tag: str) -> bool:
    return tag in TRUE_TAGS or bool(_RELEASE.match(tag))


def name_excludes(name: str) -> str:
    """Why the file name keeps the file out of a linux/amd64 build, or ""."""
    if name.startswith(("_", ".")):
        return f"a file name starting with {name[0]!r} is ignored by go"
    parts = name.removesuffix(".go").split("_")
    if parts and parts[-1] == "test":
        parts = parts[:-1]
    tail = parts[1:][-2:]
    if len(tail) == 2 and tail[0] in GOOS and tail[1] in GOARCH:
        return _foreign(tail[0], "GOOS") or _foreign(tail[1], "GOARCH")
    if tail and tail[-1] in GOOS | GOARCH:
        return _foreign(tail[-1], "GOOS" if tail[-1] in GOOS else "GOARCH")
    return ""


def _foreign(tag: str, what: str) -> str:
    if tag_true(tag) or (what == "GOOS" and tag == "linux"):
        return ""
    return f"the file name suffix _{tag} is not the default {what}"


def header_excludes(source: str) -> str:
    """Why the build constraints in SOURCE's header exclude it, or ""."""
    go_build, plus = _header_lines(source)
    if go_build is not None:
        return "" if evaluate(go_build) else f"//go:build {go_build} is false"
    for expr in plus:
        if not _plus_true(expr):
            return f"// +build {expr} is false"
    return ""


def _header_lines(source: str) -> tuple[str | None, list[str]]:
    go_build: str | None = None
    plus: list[str] = []
    pending: list[str] = []
    for raw in source.splitlines():
        stripped = raw.strip()
        if not stripped:
            plus.extend(pending)
            pending = []
            continue
        if not stripped.startswith("//"):
            break
        body = stripped[2:].strip()
        if stripped.startswith("//go:build") and go_build is None:
            go_build = stripped[len("//go:build") :].strip()
        elif body.startswith("+build"):
            pending.append(body[len("+build") :].strip())
    return go_build, plus


def _plus_true(expr: str) -> bool:
    return (
        any(all(_term(t) for t in option.split(",")) for option in expr.split() if option)
        or not expr.split()
    )


def _term(term: str) -> bool:
    return not tag_true(term[1:]) if term.startswith("!") else tag_true(term)


def evaluate(expr: str) -> bool:
    """The value of a ``//go:build`` expression; ValueError when it is malformed."""
    tokens = _tokens(expr)
    value, rest = _or(tokens)
    if rest:
        raise ValueError(f"unexpected {rest[0]!r} in //go:build {expr}")
    return value


def _tokens(expr: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    expr = expr.rstrip()
    while pos < len(expr):
        match = _TOKEN.match(expr, pos)
        if match is None:
            raise ValueError(f"cannot read //go:build {expr}")
        tokens.append(match.group(1))
        pos = match.end()
    return tokens


def _or(tokens: list[str]) -> tuple[bool, list[str]]:
    value, rest = _and(tokens)
    while rest[:1] == ["||"]:
        right, rest = _and(rest[1:])
        value = value or right
    return value, rest


def _and(tokens: list[str]) -> tuple[bool, list[str]]:
    value, rest = _not(tokens)
    while rest[:1] == ["&&"]:
        right, rest = _not(rest[1:])
        value = value and right
    return value, rest


def _not(tokens: list[str]) -> tuple[bool, list[str]]:
    if not tokens:
        raise ValueError("a //go:build expression ends early")
    head, rest = tokens[0], tokens[1:]
    if head == "!":
        value, rest = _not(rest)
        return not value, rest
    if head == "(":
        value, rest = _or(rest)
        if rest[:1] != [")"]:
            raise ValueError("a //go:build expression misses ')'")
        return value, rest[1:]
    if head in {")", "&&", "||"}:
        raise ValueError(f"unexpected {head!r} in a //go:build expression")
    return tag_true(head), rest
