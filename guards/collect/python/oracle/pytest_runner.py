"""``--collector pytest``: real pytest collection of a revision, in this Python environment.

The revision is exported with ``git archive`` into a temporary folder (the working tree is
never touched) and ``python -m pytest --collect-only`` runs there with a small plugin that
reports what it sees. Slow and environment-dependent by nature; the static collector is the
default, and this one is its oracle.
"""

from __future__ import annotations

import io
import os
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from guards.collect.model import Skip, TestItem
from guards.collect.python.skip_forms import KINDS
from guards.core import shallow_json
from guards.core.git import Git, run_tool
from guards.core.records import record
from guards.errors import GuardsError

PLUGIN = "_guards_skip_plugin"
OK_CODES = (0, 5)  # 5: no tests collected


@record
class PytestItem:
    """One collected item (or one module skipped at collection) and the skip kinds pytest saw."""

    test: str
    kinds: tuple[str, ...]
    path: str
    line: int


def collect(
    git: Git, rev: str, timeout: float = 600, python: str = "", lenient: bool = False
) -> list[PytestItem]:
    """Every item pytest collects at REV (skipped or not), and every module it skips.

    PYTHON: the interpreter whose pytest runs (default: this one). LENIENT: modules that fail
    to import are left out instead of failing the run (a real project's optional deps)."""
    with tempfile.TemporaryDirectory(prefix="guards-pytest-") as tmp:
        tree = Path(tmp) / "tree"
        export(git, rev, tree)
        report = run_pytest(tree, Path(tmp), timeout, python or sys.executable, lenient)
    return [_item(d) for d in report.get("items", []) + report.get("modules", [])]


def export(git: Git, rev: str, target: Path) -> None:
    """The files of REV in TARGET, through ``git archive`` (no worktree, no checkout)."""
    data = git.archive(rev)
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(target, filter="data")
        else:  # pragma: no cover -- Python without tarfile filters
            tar.extractall(target)


def run_pytest(
    tree: Path, tmp: Path, timeout: float, python: str = "", lenient: bool = False
) -> dict[str, Any]:
    plugin_dir = tmp / "plugin"
    plugin_dir.mkdir()
    source = Path(__file__).with_name("pytest_plugin.py").read_text(encoding="utf-8")
    (plugin_dir / f"{PLUGIN}.py").write_text(source, encoding="utf-8")
    report = tmp / "report.json"
    env = _environment(plugin_dir, report)
    args = [python or sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", PLUGIN]
    args += ["-p", "no:cacheprovider", "--rootdir", str(tree)]
    args += ["--continue-on-collection-errors"] if lenient else []
    proc = run_tool(args, tree, env, timeout)
    ok = (*OK_CODES, 1, 2) if lenient else OK_CODES  # 1, 2: some modules did not import
    if proc.returncode not in ok or not report.exists():
        tail = proc.stdout.decode(errors="replace").strip().splitlines()[-15:]
        raise GuardsError(
            f"pytest --collect-only failed (exit {proc.returncode}):\n" + "\n".join(tail)
        )
    loaded: dict[str, Any] = shallow_json.loads(report.read_text(encoding="utf-8"))
    return loaded


def _environment(plugin_dir: Path, report: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    paths = [str(plugin_dir), *filter(None, [env.get("PYTHONPATH", "")])]
    env.update(
        PYTHONPATH=os.pathsep.join(paths),
        PYTHONDONTWRITEBYTECODE="1",
        GUARDS_SKIP_REPORT=str(report),
    )
    return env


def _item(d: dict[str, Any]) -> PytestItem:
    return PytestItem(str(d["test"]), tuple(d.get("kinds", ())), str(d["path"]), int(d["line"]))


def as_tests(items: list[PytestItem]) -> list[TestItem]:
    """The items as TestItems (one Skip per kind pytest saw), for the same set algebra."""
    return [
        TestItem(
            nodeid=i.test,
            path=i.path if "::" in i.test else i.test,
            line=i.line,
            skips=tuple(Skip(k, i.line, f"{KINDS.get(k, k)} (seen by pytest)") for k in i.kinds),
        )
        for i in items
    ]
