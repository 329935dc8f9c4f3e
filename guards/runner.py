"""Run the selected guards; an exception inside a guard becomes an ERROR result, never a pass.

The trap: a guard imports what it needs when it runs (tree-sitter for JavaScript, pathspec for
patterns), so an environment that installed guards without its dependencies (``--no-deps``, a
hand-copied tree) fails only in the guards that need them. That is a setup error, not an
internal one: the message names the missing module and how to install it.

Beside skip-set, most of a cold run and mostly one core's work between its pools, the other
guards run in a forked child at a lower priority (core/forks.py): they take the core skip-set leaves
idle and yield the ones its pools use. Their results come back pickled through a pipe, in the
same canonical order. The trap: a child that dies (killed, out of memory) must not pass, hang
or take the parent's exit handlers with it: it leaves by ``os._exit``, and a child that sends
no results is an ERROR result for each guard it ran.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable, Sequence

from guards.checks import GUARDS
from guards.checks.base import EVALUATED, NotApplicable
from guards.config import Config
from guards.context import Context
from guards.core.forks import start_child
from guards.errors import GuardsError
from guards.finding import Finding, GuardResult, Outcome


def select(only: Sequence[str]) -> list[str]:
    """The guard ids to run, in their canonical order; an unknown id is exit 2."""
    unknown = sorted(set(only) - set(GUARDS))
    if unknown:
        raise GuardsError(f"unknown guard {', '.join(unknown)}; choose from {', '.join(GUARDS)}")
    return [name for name in GUARDS if not only or name in only]


LONGEST = "skip-set"  # the guard the others run beside


def run_guards(ctx: Context, cfg: Config, only: Sequence[str] = ()) -> list[GuardResult]:
    names = select(only)
    beside = besides(names)
    joined = start_beside(beside, ctx, cfg) if beside else dict
    done = {name: run_one(name, ctx, cfg) for name in names if name not in beside}
    done |= joined()
    return [done[name] for name in names]


def besides(names: Sequence[str]) -> list[str]:
    """The guards of NAMES that run in a child beside LONGEST: the rest, where fork exists."""
    if LONGEST not in names or len(names) < 2 or not hasattr(os, "fork"):
        return []
    return [name for name in names if name != LONGEST]


def start_beside(
    names: list[str], ctx: Context, cfg: Config
) -> Callable[[], dict[str, GuardResult]]:
    """Run NAMES in a forked child (core/forks.py); the call returned waits for their results."""
    pid, read = start_child(lambda write: _child(names, ctx, cfg, write))
    return lambda: _joined(names, pid, read)


def _child(names: list[str], ctx: Context, cfg: Config, write: int) -> int:
    data = pickle.dumps({name: run_one(name, ctx, cfg) for name in names})
    with os.fdopen(write, "wb") as out:
        out.write(data)
    return 0


def _joined(names: list[str], pid: int, read: int) -> dict[str, GuardResult]:
    with os.fdopen(read, "rb") as source:
        data = source.read()
    status = os.waitpid(pid, 0)[1]
    found = pickle.loads(data) if status == 0 and data else None  # our own child's pickle
    if isinstance(found, dict) and list(found) == names:
        return found
    message = (
        f"the process running {', '.join(names)} beside {LONGEST} ended without results "
        f"({_ended(status)}): run again with more memory, or report it as a bug"
    )
    return {name: GuardResult(name, (_error(message),)) for name in names}


def _ended(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    return f"killed by signal {-code}" if code < 0 else f"exit status {code}"


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
