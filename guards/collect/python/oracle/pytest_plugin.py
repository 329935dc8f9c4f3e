"""A tiny pytest plugin: report every collected item and what pytest can see of its skips.

Loaded by ``--collector pytest`` (as a copy named ``_guards_skip_plugin``) in a checkout of
the revision. It records skip/skipif/xfail markers (however they got there, hooks included),
unittest skip attributes (``skipIf``/``skipUnless`` are wrapped so that a False condition
also shows), deselected items, and modules skipped at collection. The report is JSON, written
to the file named by $GUARDS_SKIP_REPORT. This module runs inside the user's pytest, not in
guards: it imports nothing from guards.
"""

from __future__ import annotations

import contextlib
import json
import os
import unittest
from typing import Any

MARKS = ("skip", "skipif", "xfail")
ATTR = "__guards_skip__"
_items: list[dict[str, Any]] = []
_modules: list[dict[str, Any]] = []


def _wrap(name: str, kind: str) -> None:
    original = getattr(unittest, name)
    if getattr(original, ATTR, False):
        return

    def wrapper(condition: object, reason: str) -> Any:
        decorator = original(condition, reason)

        def apply(obj: Any) -> Any:
            result = decorator(obj)
            for target in (obj, result):
                with contextlib.suppress(AttributeError, TypeError):
                    setattr(target, ATTR, kind)
            return result

        return apply

    setattr(wrapper, ATTR, True)
    setattr(unittest, name, wrapper)
    setattr(unittest.case, name, wrapper)


def pytest_configure(config: Any) -> None:
    _wrap("skipIf", "unittest-skipif")
    _wrap("skipUnless", "unittest-skipunless")


def _unittest_kinds(item: Any) -> list[str]:
    kinds = []
    for owner in (getattr(item, "obj", None), getattr(item, "cls", None)):
        if owner is None:
            continue
        marked = getattr(owner, ATTR, None)
        if isinstance(marked, str):
            kinds.append(marked)
        elif getattr(owner, "__unittest_skip__", False):
            kinds.append("unittest-skip")
        if getattr(owner, "__unittest_expecting_failure__", False):
            kinds.append("expected-failure")
    return kinds


def _record(item: Any, deselected: bool) -> None:
    kinds = [m.name for m in item.iter_markers() if m.name in MARKS]
    kinds += _unittest_kinds(item)
    if deselected:
        kinds.append("deselected")
    path, line, _ = item.location
    _items.append(
        {
            "test": item.nodeid,
            "kinds": sorted(set(kinds)),
            "path": str(path).replace(os.sep, "/"),
            "line": (line or 0) + 1,
        }
    )


def pytest_deselected(items: list[Any]) -> None:
    for item in items:
        _record(item, True)


def pytest_collection_finish(session: Any) -> None:
    for item in session.items:
        _record(item, False)


def pytest_collectreport(report: Any) -> None:
    if report.failed and report.nodeid.endswith(".py"):  # only with --continue-on-collection-errors
        _modules.append(
            {"test": report.nodeid, "kinds": ["collect-error"], "path": report.nodeid, "line": 0}
        )
        return
    if not report.skipped or "::" in report.nodeid or not report.nodeid.endswith(".py"):
        return
    longrepr = report.longrepr
    message = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    line = longrepr[1] if isinstance(longrepr, tuple) and len(longrepr) == 3 else 0
    kind = "importorskip" if "could not import" in str(message) else "module-skip"
    _modules.append({"test": report.nodeid, "kinds": [kind], "path": report.nodeid, "line": line})


def pytest_unconfigure(config: Any) -> None:
    target = os.environ.get("GUARDS_SKIP_REPORT")
    if target:
        with open(target, "w", encoding="utf-8") as fh:
            json.dump({"items": _items, "modules": _modules}, fh)
