"""The real-project oracle: guards' static collector against real ``pytest --collect-only`` on
real checkouts, item for item. Prints figures; it is not a test (CI has no real checkouts:
tests/test_real_oracle.py runs the same comparison on a repository it builds).

    python benchmarks/real_oracle.py CHECKOUT [CHECKOUT...] [--python-dir DIR] [--rev REV]

Nothing is fetched at run time. Each CHECKOUT is a git clone; its REV (default HEAD) is
exported with ``git archive`` and collected by both sides (the checkout is never written).
Real collection needs the project importable, so it runs with ``DIR/<checkout name>/bin/python``
when that exists (else this interpreter). To make those environments, once, from PyPI::

    git clone -q /work/real/sympy /tmp/src-sympy        # a clone: pip -e writes into the tree
    python3 -m venv /tmp/guards-real-venvs/sympy
    /tmp/guards-real-venvs/sympy/bin/pip install -e /tmp/src-sympy pytest hypothesis
    python3 -m venv /tmp/guards-real-venvs/jsonschema
    /tmp/guards-real-venvs/jsonschema/bin/pip install -e /tmp/src-jsonschema pytest
    python3 -m venv /tmp/guards-real-venvs/pytest
    /tmp/guards-real-venvs/pytest/bin/pip install -e "/tmp/src-pytest[dev]"

(the venv's name is the checkout folder's name: /work/real/sympy -> .../sympy). Modules that
fail to import there (an optional dependency missing) are counted apart, as are modules the
static collector finds undecidable (collected with ``--continue-on-collection-errors``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from guards.collect.python.oracle import agreement, pytest_runner  # noqa: E402 -- after the path fix
from guards.core.git import Git  # noqa: E402 -- after the path fix above

SHOWN = 8  # examples printed per kind of disagreement


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="+", type=Path)
    parser.add_argument("--python-dir", type=Path, default=Path("/tmp/guards-real-venvs"))
    parser.add_argument("--rev", default="HEAD")
    args = parser.parse_args(argv)
    for checkout in args.checkouts:
        python = args.python_dir / checkout.resolve().name / "bin" / "python"
        report(checkout, args.rev, str(python) if python.exists() else sys.executable)
    return 0


def report(checkout: Path, rev: str, python: str) -> None:
    git = Git(checkout)
    sha = git.resolve(rev)
    started = time.perf_counter()
    static = agreement.collect_static(git, sha)
    static_s = time.perf_counter() - started
    started = time.perf_counter()
    found = pytest_runner.collect(git, sha, timeout=3600, python=python, lenient=True)
    pytest_s = time.perf_counter() - started
    result = agreement.compare(static, found)
    for line in lines(checkout, sha, python, static, found, result, (static_s, pytest_s)):
        print(line)


def lines(
    checkout: Path,
    sha: str,
    python: str,
    static: agreement.Static,
    found: list[pytest_runner.PytestItem],
    result: agreement.Agreement,
    seconds: tuple[float, float],
) -> list[str]:
    collected = sum(1 for i in found if "::" in i.test)
    out = [
        f"== {checkout} @ {sha[:12]} (pytest from {python})",
        f"static: {len(static.items)} items in {seconds[0]:.1f}s; "
        f"pytest --collect-only: {collected} items in {seconds[1]:.1f}s",
        f"collected: both {result.both}, only static {len(result.only_static)}, "
        f"only pytest {len(result.only_pytest)} "
        f"(agreement {result.collected_ratio:.2%})",
        f"skipped (kinds visible at collection), of the {result.both} in both: "
        f"agree {result.skipped_both + result.skipped_neither} "
        f"(skipped {result.skipped_both}, running {result.skipped_neither}), "
        f"only static {len(result.skipped_only_static)}, "
        f"only pytest {len(result.skipped_only_pytest)} ({result.skipped_ratio:.2%})",
        f"undecidable modules: {len(result.undecidable)} "
        f"(pytest collects {result.in_undecidable} items there); "
        f"modules pytest could not import here: {len(result.not_imported)}",
    ]
    out += _examples("undecidable", [f"{p}: {w}" for p, w in result.undecidable.items()])
    out += _examples("only static", list(result.only_static))
    out += _examples("only pytest", list(result.only_pytest))
    out += _examples("skipped only static", list(result.skipped_only_static))
    out += _examples("skipped only pytest", list(result.skipped_only_pytest))
    out += _examples("not importable", list(result.not_imported))
    return out


def _examples(title: str, values: list[str]) -> list[str]:
    shown = [f"  {title}: {v}" for v in values[:SHOWN]]
    more = [f"  {title}: ... and {len(values) - SHOWN} more"] if len(values) > SHOWN else []
    return shown + more


if __name__ == "__main__":
    sys.exit(main())
