"""Records shared by the tests-with-code analyses: one test unit, one file's reading.

A test unit is a test function (pytest ``test_*``, ``it``/``test`` blocks, Go ``TestXxx``, Rust
``#[test]``, JUnit ``@Test``). Its ``real`` assertions are the ones that can fail and that run:
an assertion inside a helper counts only when the test calls that helper.
"""

from __future__ import annotations

from guards.core.records import record


@record
class Unit:
    """One test function as read from one side of the change."""

    name: str
    real: int  # assertions that run and can fail
    trivial: int  # assertions that are always true (assert True, expect(x).toBe(x), ...)
    broad: int  # expected-exception checks that accept any exception
    empty: bool  # the body is only pass / ... / nothing
    fingerprint: str  # the normalized body: equal fingerprints are the same test
    line: int = 0
    deep: bool = False  # calls helpers past the levels followed: its assertions are not all seen


@record
class Reading:
    """What one side of a source file says: its normalized form and its test units.

    ``code`` is the implementation part (comments, docstrings and formatting removed; Rust
    ``#[cfg(test)]`` modules cut out); ``lines`` is the same, one entry per statement line;
    ``units`` are the test functions found in the file.
    """

    code: str
    lines: tuple[str, ...]
    units: tuple[Unit, ...] = ()
    parsed: bool = True  # False: the file could not be parsed; any change counts
