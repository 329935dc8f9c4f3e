"""The runner fails closed: an exception inside a guard is an error result, never a pass."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from types import ModuleType

import pytest

from guards import checks, context, runner
from guards.checks.base import NotApplicable
from guards.errors import GuardsError
from guards.finding import Finding, GuardResult, Outcome, Status, exit_code
from guards.report import Report, render
from guards.runner import run_guards, select
from testing.git_repo import GitRepo, guards_cli, pr_repo


def _guard(name: str, behaviour: object) -> ModuleType:
    module = ModuleType(name)
    module.NAME = name  # type: ignore[attr-defined] -- building a guard module by hand
    module.RULES = {}  # type: ignore[attr-defined] -- building a guard module by hand

    def run(ctx: object, cfg: object) -> list[Finding]:
        if isinstance(behaviour, BaseException):
            raise behaviour
        return list(behaviour)  # type: ignore[call-overload] -- a list of findings

    module.run = run  # type: ignore[attr-defined] -- building a guard module by hand
    return module


@pytest.fixture
def ctx_cfg(tmp_path: Path) -> tuple[context.Context, object]:
    repo, b, h = pr_repo(tmp_path / "r", {"a": "1"}, {"a": "2"})
    return context.build(context.RunOptions(repo=str(repo.path), base=b, head=h, env={}))


@pytest.mark.parametrize(
    ("behaviour", "status", "code", "message"),
    [
        (
            ZeroDivisionError("boom"),
            Status.ERROR,
            2,
            "internal error in x: ZeroDivisionError: boom",
        ),
        (GuardsError("cannot read X"), Status.ERROR, 2, "cannot read X"),
        (KeyError("k"), Status.ERROR, 2, "internal error in x: KeyError: 'k'"),
        (
            ModuleNotFoundError("No module named 'tree_sitter'", name="tree_sitter"),
            Status.ERROR,
            2,
            "x cannot run: the Python module 'tree_sitter' is not installed in this environment;"
            " install guards-gate with its dependencies (pip without --no-deps; README: Install)",
        ),
        (NotApplicable("nothing to judge"), Status.NOT_APPLICABLE, 0, None),
        ([], Status.PASS, 0, None),
        ([Finding("r", Outcome.WARN, "w")], Status.PASS, 0, None),
        ([Finding("r", Outcome.UNKNOWN, "u")], Status.PASS, 0, None),
        ([Finding("r", Outcome.FAIL, "f")], Status.FAIL, 1, None),
        (
            [Finding("r", Outcome.FAIL, "f"), Finding("r", Outcome.ERROR, "e")],
            Status.ERROR,
            2,
            None,
        ),
    ],
)
@pytest.mark.parametrize("beside", [False, True], ids=["alone", "forked-beside-skip-set"])
def test_guard_outcomes(
    monkeypatch: pytest.MonkeyPatch,
    ctx_cfg: tuple,
    behaviour: object,
    status: Status,
    code: int,
    message: str | None,
    beside: bool,
) -> None:
    monkeypatch.setitem(checks.GUARDS, "x", _guard("x", behaviour))
    only = ["skip-set", "x"] if beside else ["x"]
    assert runner.besides(only) == (["x"] if beside else [])
    *_, result = run_guards(*ctx_cfg, only=only)
    assert result.guard == "x" and result.status is status and exit_code([result]) == code
    if message:
        assert result.findings[0].message == message
        assert result.findings[0].outcome is Outcome.ERROR


def test_the_guards_beside_skip_set_find_what_they_find_one_after_another(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """All guards on a change that fails several: the forked child's results are the serial
    ones, in the canonical order."""
    files = {"src/app.py": "x = 1\n", "tests/test_app.py": "def test_a():\n    pass\n"}
    changed = {
        "src/app.py": "x = 2  #" + " noqa\n",  # spelled apart: test_meta reads this file
        "tests/test_app.py": "import pytest\n\n\n@pytest.mark.skip\ndef test_a():\n    pass\n",
    }
    repo, b, h = pr_repo(tmp_path / "r", files, changed)
    ctx, cfg = context.build(context.RunOptions(repo=str(repo.path), base=b, head=h, env={}))
    forked = run_guards(ctx, cfg)
    monkeypatch.setattr(runner, "besides", lambda names: [])
    serial = run_guards(ctx, cfg)
    assert forked == serial and [r.guard for r in forked] == list(checks.GUARDS)
    failed = {r.guard for r in forked if r.status is Status.FAIL}
    assert {"skip-set", "suppressions"} <= failed


def test_a_child_that_dies_is_an_error_for_each_guard_it_ran(
    monkeypatch: pytest.MonkeyPatch, ctx_cfg: tuple
) -> None:
    def killed(ctx: object, cfg: object) -> list[Finding]:
        os.kill(os.getpid(), signal.SIGKILL)  # in the child only: besides() said so below
        return []

    dies = _guard("dies", [])
    dies.run = killed  # type: ignore[attr-defined] -- building a guard module by hand
    monkeypatch.setitem(checks.GUARDS, "dies", dies)
    monkeypatch.setitem(checks.GUARDS, "y", _guard("y", []))
    assert runner.besides(["skip-set", "dies", "y"]) == ["dies", "y"]
    skip_set, died, other = run_guards(*ctx_cfg, only=["skip-set", "dies", "y"])
    assert skip_set.status is not Status.ERROR
    for result in (died, other):
        assert result.status is Status.ERROR
        assert "ended without results (killed by signal 9)" in result.findings[0].message


def test_error_beats_failure_in_exit_code() -> None:
    fail = GuardResult("a", (Finding("r", Outcome.FAIL, "f"),))
    error = GuardResult("b", (Finding("r", Outcome.ERROR, "e"),))
    assert exit_code([fail, error]) == 2 and exit_code([fail]) == 1 and exit_code([]) == 0


def test_select_keeps_canonical_order_and_rejects_unknown() -> None:
    assert select(["spec-ref", "skip-set"]) == ["skip-set", "spec-ref"]
    assert select([]) == list(checks.GUARDS)
    with pytest.raises(GuardsError, match="unknown guard nope"):
        select(["nope"])


RESULTS = [
    GuardResult(
        "skip-set",
        (
            Finding(
                "skip_set_not_grown",
                Outcome.FAIL,
                "tests/test_a.py::test_x is newly skipped (@pytest.mark.skip)",
                "tests/test_a.py",
                3,
                "tests/test_a.py::test_x",
            ),
        ),
    ),
    GuardResult("spec-ref", (), applicable=False, note="no spec configured"),
]


def test_json_report_matches_the_contract() -> None:
    doc = json.loads(render(Report("b" * 40, "h" * 40, RESULTS), "json", {}))
    assert doc == {
        "schema": 1,
        "base": "b" * 40,
        "head": "h" * 40,
        "ok": False,
        "guards": [
            {
                "guard": "skip-set",
                "status": "fail",
                "findings": [
                    {
                        "rule": "skip_set_not_grown",
                        "outcome": "fail",
                        "message": "tests/test_a.py::test_x is newly skipped (@pytest.mark.skip)",
                        "path": "tests/test_a.py",
                        "line": 3,
                        "test": "tests/test_a.py::test_x",
                    }
                ],
            },
            {
                "guard": "spec-ref",
                "status": "not-applicable",
                "findings": [],
                "note": "no spec configured",
            },
        ],
    }


def test_text_report_colours_only_when_asked() -> None:
    report = Report("b" * 40, "h" * 40, RESULTS)
    plain = render(report, "text", {})
    assert "\x1b[" not in plain and "tests/test_a.py:3" in plain
    assert "n/a  spec-ref  (no spec configured)" in plain
    assert "\x1b[31m" in render(report, "text", {"FORCE_COLOR": "1"})


def test_text_report_makes_control_characters_visible() -> None:
    evil = GuardResult(
        "manifest-scope", (Finding("changes_in_scope", Outcome.FAIL, "a\nb\x1b[2J", "x\ny"),)
    )
    out = render(Report("b" * 40, "h" * 40, [evil]), "text", {})
    assert "a\\nb\\x1b[2J" in out and "[x\\ny]" in out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_missing_dependency_is_exit_2_naming_it(tmp_path: Path, fmt: str) -> None:
    """An environment without tree-sitter (shadowed here by a package whose import fails as a
    missing one does) fails the guards that need it, naming the module, in every format."""
    repo, b, h, env = _without_tree_sitter(tmp_path)
    args = ("run", "--base", b, "--head", h, "--only", "skip-set", "--format", fmt)
    result = guards_cli(*args, cwd=repo.path, env=env)
    assert result.code == 2, result.stdout + result.stderr
    said = (
        result.stdout
        if fmt == "text"
        else json.loads(result.stdout)["guards"][0]["findings"][0]["message"]
    )
    assert "the Python module 'tree_sitter' is not installed" in said
    assert "internal error" not in said and "Traceback" not in result.stderr


def test_a_command_missing_a_dependency_is_exit_2_naming_it(tmp_path: Path) -> None:
    """``skips list`` over a tree with JavaScript, tree-sitter missing: exit 2 naming it."""
    repo, _, head, env = _without_tree_sitter(tmp_path)
    result = guards_cli("skips", "list", "--rev", head, cwd=repo.path, env=env)
    assert result.code == 2, result.stdout + result.stderr
    assert "the Python module 'tree_sitter' is not installed" in result.stderr
    assert "Traceback" not in result.stderr


def _without_tree_sitter(tmp_path: Path) -> tuple[GitRepo, str, str, dict[str, str]]:
    """A JavaScript change, and an environment where tree-sitter's import fails as a missing
    module's does (a package of that name shadows it)."""
    blocked = tmp_path / "blocked" / "tree_sitter"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'tree_sitter'\", name='tree_sitter')\n"
    )
    base = {"package.json": '{"devDependencies": {"jest": "29.7.0"}}\n', "a.test.js": ""}
    repo, b, h = pr_repo(tmp_path / "r", base, {"a.test.js": "test('a', () => {});\n"})
    return repo, b, h, {"PYTHONPATH": str(tmp_path / "blocked")}
