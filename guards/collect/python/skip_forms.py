"""The skip forms of pytest and unittest: one table that every stage of the collector reads.

A row is a canonical symbol (as parsing/symbols.py resolves ``import pytest as pt``,
``from pytest import mark as m``, ``skip = pytest.mark.skip``, ...) and the kind of skip it
gives where it applies:

- ``decorator``: it decorates a test, a class, or is a ``pytestmark``/``pytest.param`` mark;
- ``body``: it runs (is called or raised) in a test body, a fixture, a hook or a helper;
- ``module``: it runs at import time, at module level;
- ``exception``: it is a skip exception class (a class deriving from it skips when raised).

``KINDS`` gives each kind the phrase messages use; kinds that no symbol gives (a fixture or
hook that skips, deselection, ignored files, ``__test__ = False``) are listed there too.
The trap: ``pytest_plugin.py`` runs inside a real pytest process and cannot import guards,
so it keeps its own copy of ``PYTEST_MARKS``; a test holds the two equal.
"""

from __future__ import annotations

from typing import NamedTuple


class Form(NamedTuple):
    """One skip symbol and the kind it gives in each place it applies ("" where it does not)."""

    symbol: str
    decorator: str = ""
    body: str = ""
    module: str = ""
    exception: bool = False
    shown: str = ""  # how it reads in a message, when not ``symbol()``


FORMS = (
    Form("mark:skip", decorator="skip", body="runtime-skip"),
    Form("mark:skipif", decorator="skipif", body="runtime-skip"),
    Form("mark:xfail", decorator="xfail", body="runtime-xfail"),
    Form("pytest.skip", body="runtime-skip", module="module-skip"),
    Form("pytest.xfail", body="runtime-xfail", module="module-skip"),
    Form("pytest.importorskip", body="importorskip", module="importorskip"),
    Form(
        "pytest.skip.Exception",
        body="runtime-skip",
        module="module-skip",
        exception=True,
        shown="pytest.skip.Exception",
    ),
    Form("pytest.xfail.Exception", body="runtime-xfail", shown="pytest.xfail.Exception"),
    Form("unittest.skip", decorator="unittest-skip", body="runtime-skip"),
    Form("unittest.skipIf", decorator="unittest-skipif", body="runtime-skip"),
    Form("unittest.skipUnless", decorator="unittest-skipunless", body="runtime-skip"),
    Form("unittest.expectedFailure", decorator="expected-failure", body="runtime-xfail"),
    Form(
        "unittest.SkipTest",
        body="runtime-skip",
        module="module-skip",
        exception=True,
        shown="unittest.SkipTest",
    ),
    Form("unittest.skipTest", body="runtime-skip", shown="self.skipTest()"),
    # A body that runs code chosen at run time (exec of a computed string, getattr of a
    # computed name on pytest or on a module imported by a computed name) may skip.
    Form("dynamic:code", body="dynamic-skip", shown="code chosen at run time"),
    # A test that ends the whole session: no test after it runs, and the run may look green
    # (``os._exit(0)``, ``pytest.exit(..., returncode=0)``). In a conftest: session_end.py.
    Form("pytest.exit", body="ends-session", module="session-exit"),
    Form(
        "pytest.exit.Exception",
        body="ends-session",
        module="session-exit",
        exception=True,
        shown="pytest.exit.Exception",
    ),
    Form("os._exit", body="ends-session", module="session-exit"),
    Form("posix._exit", body="ends-session", module="session-exit"),
)

# What each form raises where it runs (the outcome a handler must catch to swallow it), and
# what each exception class named in a handler or ``pytest.raises`` catches of those: pytest's
# Skipped and XFailed derive from OutcomeException (a BaseException; XFailed from Failed too),
# unittest's SkipTest from Exception. ``raises(pytest.xfail.Exception)`` lets a skip through.
SKIPPED, XFAILED, SKIP_TEST, EXIT = "Skipped", "XFailed", "SkipTest", "Exit"
PROCESS_EXIT = "process exit"  # os._exit: no handler catches it
OUTCOMES = frozenset({SKIPPED, XFAILED, SKIP_TEST, EXIT})
RAISES = {
    **dict.fromkeys(
        ("pytest.skip", "pytest.importorskip", "pytest.skip.Exception", "mark:skip"), SKIPPED
    ),
    **dict.fromkeys(("pytest.xfail", "pytest.xfail.Exception", "mark:xfail"), XFAILED),
    **dict.fromkeys(("unittest.SkipTest", "unittest.skipTest"), SKIP_TEST),
    **dict.fromkeys(("pytest.exit", "pytest.exit.Exception"), EXIT),
    **dict.fromkeys(("os._exit", "posix._exit"), PROCESS_EXIT),
}
CATCHES = {
    "pytest.skip.Exception": frozenset({SKIPPED}),
    "pytest.xfail.Exception": frozenset({XFAILED}),
    "pytest.fail.Exception": frozenset({XFAILED}),
    "_pytest.outcomes.Failed": frozenset({XFAILED}),
    "_pytest.outcomes.OutcomeException": frozenset({SKIPPED, XFAILED}),
    "unittest.SkipTest": frozenset({SKIP_TEST}),
    "pytest.exit.Exception": frozenset({EXIT}),
    "BaseException": OUTCOMES,  # builtins, where the module binds no other
    "Exception": frozenset({SKIP_TEST, EXIT}),
}

KINDS = {
    "skip": "@pytest.mark.skip",
    "skipif": "@pytest.mark.skipif",
    "xfail": "@pytest.mark.xfail",
    "runtime-skip": "pytest.skip() at run time",
    "runtime-xfail": "pytest.xfail() at run time",
    "importorskip": "pytest.importorskip()",
    "dynamic-skip": "may skip through code chosen at run time",
    "module-skip": "the module skips itself at import",
    "unittest-skip": "@unittest.skip",
    "unittest-skipif": "@unittest.skipIf",
    "unittest-skipunless": "@unittest.skipUnless",
    "expected-failure": "@unittest.expectedFailure",
    "fixture-skip": "a fixture it requests skips",
    "hook-skip": "a conftest hook skips it",
    "session-exit": "the test session ends before it runs",
    "ends-session": "it ends the test session: no test after it runs",
    "deselected": "deselected by the pytest configuration",
    "ignored": "its file is ignored by the pytest configuration",
    "not-collected": "__test__ = False",
    "conditional": "defined only when a condition holds",
    "uncollected": "no longer collected",
}
XFAIL_KINDS = frozenset({"xfail", "runtime-xfail", "expected-failure"})

# Views of FORMS, one per place a symbol can apply.
DECORATORS = {f.symbol: f.decorator for f in FORMS if f.decorator}
RUNTIME = {f.symbol: f.body for f in FORMS if f.body}
MODULE_SKIP = {f.symbol: f.module for f in FORMS if f.module}
SKIP_EXCEPTIONS = tuple(f.symbol for f in FORMS if f.exception)
PYTEST_MARKS = tuple(f.symbol.removeprefix("mark:") for f in FORMS if f.symbol.startswith("mark:"))
_SHOWN = {f.symbol: f.shown for f in FORMS if f.shown}


def display(sym: str) -> str:
    """How a skip symbol reads in a message: pytest.skip(), pytest.mark.xfail, self.skipTest()."""
    if sym.startswith("mark:"):
        return f"pytest.mark.{sym[5:]}"
    return _SHOWN.get(sym, f"{sym}()")
