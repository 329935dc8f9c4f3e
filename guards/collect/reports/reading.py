"""Report files in: globs expanded, size bounded, format detected from the content
(``<`` JUnit XML; ``{`` with ``Action``: ``go test -json``; other ``{``: pytest report-log).

A pattern that matches no file, a file larger than ``MAX_BYTES``, and a file that is neither
JUnit XML nor pytest report-log JSON lines are GuardsErrors naming the file (exit 2): a
report that cannot be read never lets the gate pass.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Mapping, Sequence

from guards.collect.reports import gojson, junit, reportlog, safexml
from guards.collect.reports.model import RunReport, RunTest, merge
from guards.collect.reports.nodeid import dotted_files
from guards.errors import GuardsError

MAX_BYTES = 64 * 1024 * 1024
JUNIT_ROOTS = ("testsuites", "testsuite")


def load(patterns: Sequence[str], py_files: Iterable[str] = ()) -> RunReport:
    """Every report matching PATTERNS, merged into one record per test identity.

    PY_FILES are the Python files of the revision, to turn pytest classnames into node ids.
    """
    modules = dotted_files(py_files)
    paths = expand(patterns)
    tests = [t for path in paths for t in read_file(path, modules)]
    return RunReport(merge(tests), tuple(paths))


def expand(patterns: Sequence[str]) -> list[str]:
    """Each pattern's matches, sorted; a pattern matching nothing is an error."""
    out: list[str] = []
    for pattern in patterns:
        found = sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
        if not found:
            raise GuardsError(f"test report {pattern!r} matches no file")
        out.extend(p for p in found if p not in out)
    return out


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
