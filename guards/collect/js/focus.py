"""Focus: ``.only``, ``fit``, ``fdescribe`` run only part of a file; the rest is skipped.

Per file, as the runners schedule it (checked against them by the oracle):

- jest and mocha: once a *test* is focused, only focused tests run (a plain test inside
  ``describe.only`` is skipped too); with only suites focused, the tests inside them run;
- vitest: a test runs when it or one of its suites is focused;
- node:test: ``only`` needs ``--test-only``; without it every test runs, so nothing is
  skipped here.

The trap: mocha's focus is global (one ``.only`` hides every other file's tests, and mocha does
not even report them); this collector judges it per file, which still fails the file that
gained the ``.only``.
"""

from __future__ import annotations

from dataclasses import replace

from guards.collect.js.walk import Raw
from guards.collect.model import Skip


def apply(raws: list[Raw], flavor: str, focus_line: int) -> list[Raw]:
    if flavor == "node" or not any(r.focused for r in raws):
        return raws
    if flavor in ("jest", "mocha") and any(r.own_focus for r in raws):
        runs = [r.own_focus for r in raws]
    else:
        runs = [r.focused for r in raws]
    why = f"not focused: .only at line {focus_line} runs only the focused tests of this file"
    skip = Skip("unfocused", focus_line, why)
    return [
        r if run else replace(r, skips=(*r.skips, skip)) for r, run in zip(raws, runs, strict=True)
    ]
