"""pip requirements files (requirements*.txt, constraints*.txt, *.in), with their includes.

Lines are joined at a trailing backslash, comments start at `` #``, and each line is an option
(``-r``/``-c`` includes, ``-e`` editable sources, ``--index-url`` and friends) or a PEP 508
requirement read by ``packaging``. Includes are followed at the same revision, relative to the
including file, inside the repository only, at most MAX_FILES files deep-first. A file's text
is what pip decodes (``pip_text``): by its BOM, else by a ``coding:`` cookie on a comment line
among its first two, else as UTF-8.

The traps: a line that is not a valid requirement still names a dependency (pip would refuse it,
an agent may still mean it), so its leading token is judged rather than dropped. And the bytes
are not the text: under ``# -*- coding: utf-7 -*-`` the line ``+AHI-eqeusts==1.0`` is pip's
``reqeusts==1.0``, a look-alike that read as UTF-8 named nothing to compare.
"""

from __future__ import annotations

import codecs
import posixpath
import re
from collections.abc import Callable, Iterator

from guards.checks.dependencies.model import Dep, Found, Source, inside, merge
from guards.errors import GuardsError

MAX_FILES = 50
INCLUDE = re.compile(r"^(?:-r|-c|--requirement|--constraint)(?:\s*=\s*|\s+)(?P<p>\S+)")
EDITABLE = re.compile(r"^(?:-e|--editable)(?:\s*=\s*|\s+)(?P<p>\S+)")
SOURCE_OPT = re.compile(
    r"^(?P<o>-i|--index-url|--extra-index-url|-f|--find-links|--trusted-host|--no-index)"
    r"(?:\s*=\s*|\s+|$)(?P<v>\S*)"
)
EGG = re.compile(r"[#&]egg=(?P<n>[^&\s]+)")
LEADING = re.compile(r"^[^\s\[;=<>!~@(,]+")
ROOT = re.compile(r"[\w.-]*(?:requirements|constraints)[\w.-]*\.(?:txt|in)")
Read = Callable[[str], bytes | None]
# pip's order (req_file.py): a UTF-16 LE BOM begins a UTF-32 LE one, so the longer goes first
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
COOKIE = re.compile(rb"coding[:=]\s*([-\w.]+)")  # pip's PEP263_ENCODING_RE


def is_root(path: str) -> bool:
    name = posixpath.basename(path)
    in_folder = "requirements/" in path and name.endswith((".txt", ".in"))
    return bool(ROOT.fullmatch(name)) or in_folder


def declared(path: str, read: Read) -> Found:
    parts: list[Found] = []
    seen: set[str] = set()
    _follow(path, read, parts, seen)
    return merge(parts)


def closure(path: str, read: Read) -> set[str]:
    """Every file PATH includes (itself too)."""
    seen: set[str] = set()
    _follow(path, read, [], seen)
    return seen


def _follow(path: str, read: Read, parts: list[Found], seen: set[str]) -> None:
    if path in seen:
        return
    if len(seen) >= MAX_FILES:
        raise GuardsError(f"{path}: more than {MAX_FILES} requirement files are included")
    seen.add(path)
    data = read(path)
    if data is None:
        raise GuardsError(f"{path}: an included requirements file does not exist")
    deps: list[Dep] = []
    sources: list[str] = []
    includes: list[str] = []
    for line in logical_lines(pip_text(data, path)):
        kind, value, dep = parse_line(line, path)
        if kind == "include":
            includes.append(_inside(path, value))
        elif kind == "source":
            sources.append(value)
        elif dep is not None:
            deps.append(dep)
    parts.append(Found(tuple(deps), tuple(Source(s, path) for s in sources)))
    for included in includes:
        _follow(included, read, parts, seen)


def pip_text(data: bytes, path: str) -> str:
    """DATA decoded as pip decodes a requirements file; GuardsError where pip could not (an
    unknown codec, bytes the codec refuses: pip then falls back to the machine's locale, and a
    gate does not judge by the machine it runs on)."""
    encoding, start = _encoding(data)
    try:
        return data[start:].decode(encoding)
    except (LookupError, UnicodeError) as exc:  # UnicodeError: the "undefined" codec's
        raise GuardsError(
            f"{path}: pip cannot decode it as {encoding} ({exc}); save it as UTF-8, or name "
            f"its encoding in a '# -*- coding: NAME -*-' first line"
        ) from exc


def _encoding(data: bytes) -> tuple[str, int]:
    """The codec pip decodes DATA with, and where the text starts (after a BOM)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    for line in data.split(b"\n")[:2]:
        if line.startswith(b"#") and (cookie := COOKIE.search(line)):
            return cookie.group(1).decode("ascii"), 0
    return "utf-8", 0


def logical_lines(text: str) -> Iterator[str]:
    joined = re.sub(r"\\\r?\n", " ", text)
    for raw in joined.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if line:
            yield line


def parse_line(line: str, path: str) -> tuple[str, str, Dep | None]:
    """(kind, text, dependency): kind is include, source, dep or option."""
    if match := INCLUDE.match(line):
        target = match.group("p")
        if "://" in target:
            return "source", f"requirements from {target}", None
        return "include", target, None
    if match := SOURCE_OPT.match(line):
        return "source", f"{match.group('o')} {match.group('v')}".strip(), None
    if match := EDITABLE.match(line):
        return "dep", line, _located(match.group("p"), path)
    if line.startswith("-"):
        return "option", line, None
    return "dep", line, requirement(line, path)


def requirement(line: str, path: str) -> Dep:
    text = re.split(r"\s+--?\w", line)[0].strip()
    if "://" in text.split("@")[0] or text.startswith((".", "/")) or "/" in text.split()[0]:
        return _located(text, path)
    from packaging.requirements import InvalidRequirement, Requirement  # ~20 ms: a line to parse

    try:
        req = Requirement(text)
    except InvalidRequirement:
        match = LEADING.match(text)
        return Dep("pypi", match.group(0) if match else text, path)
    return Dep("pypi", req.name, path, req.url or "")


def _located(target: str, path: str) -> Dep:
    egg = EGG.search(target)
    stem = posixpath.basename(target.split("#")[0].rstrip("/")).split("-")[0]
    return Dep("pypi", egg.group("n") if egg else stem or target, path, target)


def _inside(including: str, target: str) -> str:
    joined = inside(including, target)
    if joined is None:
        raise GuardsError(f"{including}: include {target} leaves the repository")
    return joined
