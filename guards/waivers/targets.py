"""Does a waiver's target name a finding? Pure.

A target matches a finding when it is:

- the finding's rule id (``skip_set_not_grown``);
- its test id, or a prefix of it at a ``::`` or ``[`` boundary (``tests/a.py::TestX`` names
  every method, ``tests/a.py::test_x`` every parameter of it);
- a gitignore-style path or glob matching its path (``docs/**``, ``tests/test_a.py``);
- a spec section (``§4.2`` or ``4.2``) that the finding's message cites.

No target at all matches every failing finding of the guard. The trap: a bare glob must be
matched as gitignore would (``*.py`` at any depth, ``/x`` anchored), never with fnmatch.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from guards.finding import Finding

if TYPE_CHECKING:
    import pathspec

_SECTION = re.compile(r"§?\s*(\d+(?:\.\d+)*)")
_RULE = re.compile(r"[a-z][a-z0-9_]*")


def matches(targets: tuple[str, ...], finding: Finding) -> bool:
    return not targets or any(target_matches(t, finding) for t in targets)


def target_matches(target: str, f: Finding) -> bool:
    if _RULE.fullmatch(target) and target == f.rule:
        return True
    if f.test and _names_test(target, f.test):
        return True
    if f.path and "::" not in target and _spec(target).match_file(f.path):
        return True
    return _cites(target, f.message)


def _names_test(target: str, test: str) -> bool:
    return test == target or (test.startswith(target) and test[len(target)] in ":[")


def _cites(target: str, message: str) -> bool:
    section = _SECTION.fullmatch(target)
    if not section or not (target.startswith("§") or "." in target):
        return False
    number = re.escape(section.group(1))
    return re.search(rf"§\s*{number}(?![.\d])", message) is not None


@lru_cache(maxsize=256)
def _spec(target: str) -> pathspec.GitIgnoreSpec:
    import pathspec  # loaded by the first waiver that names paths

    return pathspec.GitIgnoreSpec.from_lines([target])
