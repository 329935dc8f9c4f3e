"""Run the selected guards; an exception inside a guard becomes an ERROR result, never a pass.

The trap: a guard imports what it needs when it runs (tree-sitter for JavaScript, pathspec for
patterns), so an environment that installed guards without its dependencies (``--no-deps``, a
hand-copied tree) fails only in the guards that need them. That is a setup error, not an
internal one: the message names the missing module and how to install it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from guards.checks import GUARDS
from guards.checks.base import EVALUATED, NotApplicable
from guards.config import Config
from guards.context import Context
from guards.errors import GuardsError
from guards.finding import Finding, GuardResult, Outcome


def select(only: Sequence[str]) -> list[str]:
    """The guard ids to run, in their canonical order; an unknown id is exit 2."""
    unknown = sorted(set(only) - set(GUARDS))
    if unknown:
        raise GuardsError(f"unknown guard {', '.join(unknown)}; choose from {', '.join(GUARDS)}")
    return [name for name in GUARDS if not only or name in only]


def run_guards(ctx: Context, cfg: Config, only: Sequence[str] = ()) -> list[GuardResult]:
    return [run_one(name, ctx, cfg) for name in select(only)]


def run_one(name: str, ctx: Context, cfg: Config) -> GuardResult:
    started = time.perf_counter()
    try:
        findings = tuple(GUARDS[name].run(ctx, cfg))
        applicable, note = True, ""
    except NotApplicable as exc:
        findings, applicable, note = (), False, str(exc)
    except GuardsError as exc:
        findings, applicable, note = (_error(str(exc)),), True, ""
    except ModuleNotFoundError as exc:
        findings, applicable, note = (_error(missing(name, exc)),), True, ""
    except Exception as exc:  # any crash must fail closed, never pass
        message = f"internal error in {name}: {type(exc).__name__}: {exc}"
        findings, applicable, note = (_error(message),), True, ""
    return GuardResult(name, findings, applicable, time.perf_counter() - started, note)


def missing(name: str, exc: ModuleNotFoundError) -> str:
    """What to do when guard NAME cannot import a module: install guards' dependencies."""
    module = exc.name or str(exc)
    return (
        f"{name} cannot run: the Python module {module!r} is not installed in this environment; "
        "install guards-gate with its dependencies (pip without --no-deps; README: Install)"
    )


def _error(message: str) -> Finding:
    return Finding(EVALUATED, Outcome.ERROR, message)
