"""Report files in: globs expanded, size bounded, format detected from the content
(``<`` JUnit XML; ``{`` with ``Action``: ``go test -json``; other ``{``: pytest report-log).

Matrix entries: a file found by a glob, in a folder below the glob's literal root, belongs
to the entry named by that folder (``head/*/*.xml`` finds ``head/py3.11/junit.xml``: entry
``py3.11``; download-artifact with ``pattern:`` puts each artifact in a folder named after
it). A file directly in the root, or named without a glob, is in the entry ``""``.

A pattern that matches no file, a file larger than ``MAX_BYTES``, and a file that is neither
JUnit XML nor pytest report-log JSON lines are GuardsErrors naming the file (exit 2): a
report that cannot be read never lets the gate pass.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Mapping, Sequence

from guards.collect.reports import gojson, junit, reportlog, safexml
from guards.collect.reports.model import RunReport, RunTest, merge
from guards.collect.reports.nodeid import dotted_files
from guards.errors import GuardsError

MAX_BYTES = 64 * 1024 * 1024
JUNIT_ROOTS = ("testsuites", "testsuite")
MAGIC = re.compile(r"[*?[]")  # what makes a path component a glob


def load(patterns: Sequence[str], py_files: Iterable[str] = ()) -> RunReport:
    """Every report matching PATTERNS, merged into one record per test identity.

    PY_FILES are the Python files of the revision, to turn pytest classnames into node ids.
    """
    modules = dotted_files(py_files)
    found = expand(patterns)
    per_file = {path: read_file(path, modules) for path in found}
    entries: dict[str, list[RunTest]] = {}
    for path, entry in found.items():
        entries.setdefault(entry, []).extend(per_file[path])
    tests = [t for found_tests in per_file.values() for t in found_tests]
    grouped = {entry: merge(found_tests) for entry, found_tests in entries.items()}
    return RunReport(merge(tests), tuple(found), grouped)


def expand(patterns: Sequence[str]) -> dict[str, str]:
    """Each pattern's matches, sorted, with their matrix entry; a pattern matching nothing
    is an error."""
    out: dict[str, str] = {}
    for pattern in patterns:
        found = sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
        if not found:
            raise GuardsError(f"test report {pattern!r} matches no file")
        for path in found:
            out.setdefault(path, entry_of(path, pattern))
    return out


def entry_of(path: str, pattern: str) -> str:
    """The folder right below PATTERN's literal root holding PATH ("" when there is none)."""
    parts = pattern.replace(os.sep, "/").split("/")
    literal = next((i for i, p in enumerate(parts) if MAGIC.search(p)), None)
    if literal is None:
        return ""
    root = "/".join(parts[:literal]) or "."
    below = os.path.relpath(path, root).replace(os.sep, "/").split("/")
    return below[0] if len(below) > 1 and below[0] not in ("..", ".") else ""


def read_file(path: str, modules: Mapping[str, str]) -> list[RunTest]:
    return parse(_read(path), path, modules)


def parse(data: bytes, name: str, modules: Mapping[str, str]) -> list[RunTest]:
    """The tests of one report's bytes; the format comes from the first non-blank byte."""
    head = data.lstrip()[:1]
    if head == b"<":
        root = safexml.parse(data, name)
        if root.tag not in JUNIT_ROOTS:
            raise GuardsError(f"test report {name}: <{root.tag}> is not a JUnit XML report")
        return junit.read(root, name, modules)
    if head == b"{":
        lines = data.splitlines()
        first = next(line for line in lines if line.strip())
        if gojson.is_go_json(first):
            return gojson.read(lines, name)
        return reportlog.read(lines, name)
    raise GuardsError(
        f"test report {name} is neither JUnit XML, pytest report-log nor go test -json lines"
    )


def _read(path: str) -> bytes:
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise GuardsError(f"test report {path} is {size} bytes; the limit is {MAX_BYTES}")
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise GuardsError(f"cannot read test report {path}: {exc}") from exc
