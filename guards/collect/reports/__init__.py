"""What a test run itself wrote down: JUnit XML (any runner's dialect) and pytest report-log.

skip-set's second witness. ``load(patterns, py_files)`` expands the globs, detects each file's
format from its content, parses it safely (size and depth bounded, no DTD, no entities) and
returns one ``RunReport``: one ``RunTest`` per test identity, duplicates (retries, merged
matrix entries) resolved so that a test counts as run when any attempt ran.

The trap: a report is written by the code under test, so it is evidence, not proof; the
cross-check against the static collector (compare.py) is what makes a doctored report visible.
"""

from __future__ import annotations

from guards.collect.reports.model import NOT_RUN, RAN, RunReport, RunTest
from guards.collect.reports.reading import load

__all__ = ["NOT_RUN", "RAN", "RunReport", "RunTest", "load"]
