"""Records of the static collector: skips, collected tests, per-file results."""

from __future__ import annotations

from dataclasses import field
from typing import ClassVar

from guards.collect.python.skip_forms import KINDS, XFAIL_KINDS
from guards.core.records import record
from guards.errors import GuardsError

# Kinds that weaken or disable a test only when the test existed at base: #[should_panic] on a
# new Rust test, a new unused function shaped like a Go test or in a Rust test module.
EXISTING_ONLY_KINDS = frozenset({"should-panic", "go-uncollected", "rust-not-test"})


class Undecidable(GuardsError):
    """A construct whose effect on the skip set cannot be decided statically."""

    def __init__(self, path: str, line: int, what: str) -> None:
        self.path, self.line, self.what = path, line, what
        super().__init__(f"{path}:{line}: {what}; the skip set cannot be decided statically")

    def __reduce__(self) -> tuple[type[Undecidable], tuple[str, int, str]]:
        return Undecidable, (self.path, self.line, self.what)  # it crosses processes whole


class NotParsable(GuardsError):
    """A test file (or conftest) that Python cannot parse."""

    def __init__(self, path: str, line: int, why: str) -> None:
        self.path, self.line, self.why = path, line, why
        super().__init__(f"{path}:{line}: does not parse: {why}")

    def __reduce__(self) -> tuple[type[NotParsable], tuple[str, int, str]]:
        return NotParsable, (self.path, self.line, self.why)  # it crosses processes whole


@record
class Skip:
    """Why a test does not run: its kind, where the construct is and a phrase for humans."""

    kind: str
    line: int
    detail: str = ""
    path: str = ""  # the file holding the construct, when it is not the test's own file

    @property
    def phrase(self) -> str:
        return self.detail or KINDS.get(self.kind, self.kind)

    def describe(self) -> str:
        """The phrase and where the construct is: ``pytest.skip() in body, line 12``."""
        if self.path:
            return (
                f"{self.phrase}, {self.path}:{self.line}"
                if self.line
                else f"{self.phrase}, {self.path}"
            )
        return f"{self.phrase}, line {self.line}" if self.line else self.phrase


@record
class TestItem:
    """One test pytest would collect (or would collect but for a skip-set construct)."""

    __test__: ClassVar[bool] = False  # a record, not a test class for pytest

    nodeid: str
    path: str
    line: int
    skips: tuple[Skip, ...] = ()
    marks: frozenset[str] = frozenset()
    keywords: frozenset[str] = frozenset()
    by_function: str = ""  # why param ids are unknown: the node id is the function's

    @property
    def function_id(self) -> str:
        """The node id without its parameter id."""
        return self.nodeid.split("[", 1)[0]

    def counted(self, xfail_counts: bool) -> tuple[Skip, ...]:
        """The skips that count under the xfail setting."""
        return tuple(s for s in self.skips if xfail_counts or s.kind not in XFAIL_KINDS)


@record
class FileResult:
    """The tests of one file at one revision.

    ``excluded`` says why pytest would not collect the file at all (python_files, testpaths,
    norecursedirs); its would-be tests are then in ``dormant``, not ``tests``.
    """

    path: str
    tests: tuple[TestItem, ...] = ()
    dormant: tuple[TestItem, ...] = ()
    excluded: str = ""
    defs: tuple[Def, ...] = ()


@record
class Def:
    """A function definition anywhere in a file, to follow a test renamed or nested away."""

    qualname: str
    name: str
    line: int
    body_key: str = field(default="", compare=False)
