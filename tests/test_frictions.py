"""A team's first day, the small frictions: each test is the one that would have caught it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guards.config import DEFAULT_TICKET_PATTERN
from guards.config_messages import nearest, one_line
from guards.context import PullRequest as PR
from guards.context import RunOptions as Options
from guards.context import resolve_ticket
from testing.git_repo import GitRepo, guards_cli, pr_repo

SCOPE = {"guards.yaml": "manifest-scope: {dir: scope}\n", "scope/FR-1.yaml": "allow: [src/**]\n"}


def run(repo: GitRepo, base: str, head: str, *args: str) -> tuple[int, str, str]:
    r = guards_cli("run", "--repo", str(repo.path), "--base", base, "--head", head, *args)
    return r.code, r.stdout, r.stderr


def test_only_accepts_commas(tmp_path: Path) -> None:
    repo, base, head = pr_repo(tmp_path / "r", SCOPE, {"src/a.py": "A = 1\n"}, branch="FR-1-x")
    code, out, err = run(repo, base, head, "--only", "manifest-scope,skip-set", "--format", "json")
    assert code == 0, err
    assert [g["guard"] for g in json.loads(out)["guards"]] == ["skip-set", "manifest-scope"]
    code, _, err = run(repo, base, head, "--only", "manifest-scope,nope")
    assert code == 2 and "unknown guard nope" in err


def flat(text: str) -> str:
    """Help text unwrapped (click wraps at 80 columns, hyphenated words too)."""
    return " ".join(text.split()).replace("- ", "-")


def test_help_lists_choices_and_defaults() -> None:
    out = flat(guards_cli("run", "--help").stdout)
    assert "skip-set, protected-branch, manifest-scope, spec-ref" in out
    assert "[default: .]" in out and "[text|json|github|sarif]" in out
    probe = flat(guards_cli("probe", "--help").stdout)
    assert "[default: text]" in probe and "comma-separated" in probe


def test_config_toml_is_read_as_toml(tmp_path: Path) -> None:
    base_files = {
        "pyproject.toml": '[tool.guards.manifest-scope]\ndir = "tickets"\n',
        "tickets/FR-1.yaml": "allow: [src/**]\n",
    }
    repo, base, head = pr_repo(tmp_path / "r", base_files, {"src/a.py": "A = 1\n"}, branch="FR-1-x")
    args = ("--only", "manifest-scope", "--config", "pyproject.toml")
    code, out, err = run(repo, base, head, *args)
    assert code == 0, out + err
    bare = {"pyproject.toml": "[project]\nname = 'x'\n"}
    repo, base, head = pr_repo(tmp_path / "s", bare, {"src/a.py": "A = 1\n"}, branch="FR-1-x")
    code, _, err = run(repo, base, head, *args)
    assert code == 2 and "no [tool.guards] table" in err


@pytest.mark.parametrize("name", ["pull_request", "merge_group", "push"])
def test_an_event_without_its_object_is_exit_2(tmp_path: Path, name: str) -> None:
    repo, base, head = pr_repo(tmp_path / "r", SCOPE, {"src/a.py": "A = 1\n"}, branch="FR-1-x")
    event = tmp_path / "event.json"
    event.write_text("{}")
    code, _, err = run(repo, base, head, "--event-name", name, "--event-path", str(event))
    assert code == 2 and f"for a {name} event" in err
    code, _, err = run(repo, base, head, "--event-name", name)
    assert code == 2 and "needs its payload" in err


@pytest.mark.parametrize(
    ("config", "says"),
    [
        ("skip-sett: {}\n", "unknown key 'skip-sett' (did you mean 'skip-set'?)"),
        ("manifest-scope: {dri: x}\n", "the keys here are: dir, ticket-pattern, deny"),
        ("skip-set: {removed-tests: nope}\n", "'nope' is not one of: fail, warn, ignore"),
        ("skip-set:\n  paths: [a\n", "not valid YAML: line"),
    ],
)
def test_validation_messages_are_readable(tmp_path: Path, config: str, says: str) -> None:
    repo, base, head = pr_repo(tmp_path / "r", {"guards.yaml": config}, {"a": "1\n"})
    code, _, err = run(repo, base, head)
    assert code == 2 and says in err, err
    assert "<unicode string>" not in err and "\\n" not in err
    assert "Additional properties" not in err


def test_nearest_and_one_line_are_pure() -> None:
    assert nearest("protected-branches", ["protected-branch", "spec-ref"]) == "protected-branch"
    assert nearest("zzz", ["skip-set"]) is None
    assert one_line('x\n  in "<unicode string>", line 2') == "x line 2"


@pytest.mark.parametrize(
    ("branch", "ticket"),
    [("FR-1-2x-faster", "FR-1"), ("FR-12-fix", "FR-12"), ("ABC-7", "ABC-7"), ("FR-1x", None)],
)
def test_ticket_needs_a_boundary_after_the_digits(branch: str, ticket: str | None) -> None:
    opts = Options(env={})
    assert resolve_ticket(opts, PR(head_ref=branch), DEFAULT_TICKET_PATTERN) == ticket


def test_hook_uninstall_restores_the_chained_hook(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write({"a": "1\n"})
    repo.commit()
    own = repo.path / ".git" / "hooks" / "pre-push"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text("#!/bin/sh\necho mine\n")
    assert guards_cli("hook", "install", "--repo", str(repo.path)).code == 0
    assert "guards-hook" in own.read_text()
    result = guards_cli("hook", "uninstall", "--repo", str(repo.path))
    assert result.code == 0 and "restored" in result.stderr
    assert own.read_text() == "#!/bin/sh\necho mine\n"
    again = guards_cli("hook", "uninstall", "--repo", str(repo.path))
    assert again.code == 2 and "not written by guards" in again.stderr


def test_a_passing_github_run_prints_a_notice(tmp_path: Path) -> None:
    repo, base, head = pr_repo(tmp_path / "r", SCOPE, {"src/a.py": "A = 1\n"}, branch="FR-1-x")
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "s.md"), "GITHUB_OUTPUT": str(tmp_path / "o")}
    result = guards_cli(
        "run", "--repo", str(repo.path), "--base", base, "--head", head,
        "--only", "manifest-scope", "--format", "github", env=env,
    )  # fmt: skip # -- a packed call reads better here
    assert result.code == 0, result.stderr
    assert result.stdout == "::notice title=guards::guards passed: manifest-scope pass\n"


def test_probe_markdown_prints_a_verdict(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parent / "probes" / "manifest-scope"
    (tmp_path / "p").mkdir()
    for name in ("fail-add-outside.yaml", "pass-add-in-scope.yaml"):
        (tmp_path / "p" / name).write_text((shipped / name).read_text())
    ok = guards_cli("probe", str(tmp_path / "p"), "--format", "markdown")
    assert ok.code == 0 and ok.stdout.rstrip().endswith(": **✅ READY**"), ok.stdout
    doc = (shipped / "fail-add-outside.yaml").read_text().replace("expect: fail", "expect: pass")
    (tmp_path / "p" / "fail-add-outside.yaml").write_text(doc)
    bad = guards_cli("probe", str(tmp_path / "p"), "--format", "markdown")
    assert bad.code == 1 and bad.stdout.rstrip().endswith(": **❌ NOT READY**"), bad.stdout


SPEC = "# Spec\n\n## 1. Scope\n\nText.\n\n## 2. Engine\n\nText.\n"


@pytest.mark.parametrize(
    ("config", "says", "never"),
    [
        ("spec-ref: {spec: [SPEC.md]}\n", "nothing maps this change to a section", "Implements"),
        (
            "spec-ref: {spec: [SPEC.md], sections: {'2': ['src/**']}}\n",
            "add 'Implements §2 Engine'",
            "Implements §1",
        ),
    ],
)
def test_spec_cited_suggests_only_a_mapped_section(
    tmp_path: Path, config: str, says: str, never: str
) -> None:
    files = {"guards.yaml": config, "SPEC.md": SPEC}
    repo, base, head = pr_repo(tmp_path / "r", files, {"src/a.py": "A = 1\n"})
    code, out, _ = run(
        repo, base, head, "--only", "spec-ref", "--pr-title", "x", "--format", "json"
    )
    (finding,) = [f for f in json.loads(out)["guards"][0]["findings"] if f["rule"] == "spec_cited"]
    assert code == 1 and says in finding["message"] and never not in finding["message"]


def test_skip_reasons_are_shown_in_findings(tmp_path: Path) -> None:
    base = "import unittest\ndef test_x():\n    pass\nclass T(unittest.TestCase):\n"
    base += "    def test_u(self):\n        pass\n"
    head = base.replace("def test_x", "@pytest.mark.skip(reason='flaky upstream #12')\ndef test_x")
    head = "import pytest\n" + head.replace(
        "    def test_u", "    @unittest.skipIf(True, 'not on CI')\n    def test_u"
    )
    repo, b, h = pr_repo(tmp_path / "r", {"tests/test_a.py": base}, {"tests/test_a.py": head})
    code, out, _ = run(repo, b, h, "--only", "skip-set", "--format", "json")
    messages = [f["message"] for f in json.loads(out)["guards"][0]["findings"]]
    assert code == 1
    assert any(
        "test_x is newly skipped (@pytest.mark.skip: 'flaky upstream #12'" in m for m in messages
    )
    assert any("test_u is newly skipped (@unittest.skipIf: 'not on CI'" in m for m in messages)
