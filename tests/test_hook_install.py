"""`guards hook install`: where the hook goes, chaining, idempotence, finding guards."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from protected_support import ZERO, clone_with_remote

from guards.commands import hook_install as hook
from guards.core.git import Git
from testing.git_repo import GitRepo, guards_cli

LINE = "refs/heads/topic {sha} refs/heads/topic " + ZERO + "\n"


def run_hook(
    repo: GitRepo, hook_path: Path, stdin: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(hook_path), "origin", "url"],
        cwd=repo.path,
        env={**repo.env, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    r = GitRepo(tmp_path / "r")
    r.write({"README.md": "x\n"})
    r.commit("first")
    return r


def test_installs_an_executable_hook_that_runs_prepush(repo: GitRepo) -> None:
    assert hook.main(str(repo.path), with_run=False) == 0
    path = repo.path / ".git" / "hooks" / "pre-push"
    assert os.access(path, os.X_OK) and hook.MARKER in path.read_text()
    sha = repo.rev("HEAD")
    ok = run_hook(repo, path, LINE.format(sha=sha))
    assert ok.returncode == 0, ok.stderr
    refused = run_hook(repo, path, f"refs/heads/topic {sha} refs/heads/main {ZERO}\n")
    assert refused.returncode == 1 and "no_direct_push" in refused.stderr


def test_a_guards_folder_in_the_repository_does_not_shadow_guards(repo: GitRepo) -> None:
    repo.write({"guards/__init__.py": "raise SystemExit('shadowed guards ran')\n"})
    hook.main(str(repo.path), with_run=False)
    path = repo.path / ".git" / "hooks" / "pre-push"
    sha = repo.rev("HEAD")
    refused = run_hook(repo, path, f"refs/heads/topic {sha} refs/heads/main {ZERO}\n")
    assert refused.returncode == 1 and "no_direct_push" in refused.stderr
    assert "shadowed" not in refused.stderr


def test_an_existing_hook_is_chained_not_clobbered(repo: GitRepo) -> None:
    hooks = repo.path / ".git" / "hooks"
    hooks.mkdir(parents=True, exist_ok=True)
    mine = hooks / "pre-push"
    mine.write_text(
        '#!/bin/sh\ncat > "$(dirname "$0")/seen.txt"\necho "$1 $2" >> "$(dirname "$0")/seen.txt"\n'
    )
    mine.chmod(0o755)
    hook.main(str(repo.path), with_run=False)
    chained = hooks / hook.CHAINED
    assert chained.read_text().startswith("#!/bin/sh\ncat >")
    line = LINE.format(sha=repo.rev("HEAD"))
    assert run_hook(repo, mine, line).returncode == 0
    assert (hooks / "seen.txt").read_text() == line + "origin url\n"


def test_a_failing_chained_hook_stops_the_push(repo: GitRepo) -> None:
    hooks = repo.path / ".git" / "hooks"
    hooks.mkdir(parents=True, exist_ok=True)
    (hooks / "pre-push").write_text("#!/bin/sh\nexit 7\n")
    (hooks / "pre-push").chmod(0o755)
    hook.main(str(repo.path), with_run=False)
    assert run_hook(repo, hooks / "pre-push", LINE.format(sha=repo.rev("HEAD"))).returncode == 7


def test_installing_twice_does_not_chain_itself(repo: GitRepo) -> None:
    hooks = repo.path / ".git" / "hooks"
    hooks.mkdir(parents=True, exist_ok=True)
    (hooks / "pre-push").write_text("#!/bin/sh\nexit 0\n")
    hook.main(str(repo.path), with_run=False)
    first = (hooks / "pre-push").read_text()
    hook.main(str(repo.path), with_run=False)
    assert (hooks / "pre-push").read_text() == first
    assert sorted(p.name for p in hooks.iterdir() if p.name.startswith("pre-push.g")) == [
        hook.CHAINED
    ]


def test_reinstall_switches_run_on_and_off(repo: GitRepo) -> None:
    hook.main(str(repo.path), with_run=False)
    path = repo.path / ".git" / "hooks" / "pre-push"
    assert 'prepush "$1" "$2" --no-run' in path.read_text()
    hook.main(str(repo.path), with_run=True)
    assert 'prepush "$1" "$2" --run' in path.read_text()
    assert not (path.parent / hook.CHAINED).exists()


def test_with_run_the_hook_also_runs_guards_run(repo: GitRepo) -> None:
    repo.write({"guards.yaml": "manifest-scope: {dir: scope}\n"})
    repo.commit("policy")
    repo.git("checkout", "-q", "-b", "topic")
    repo.write({"a.txt": "a\n"})
    repo.commit("topic work")
    hook.main(str(repo.path), with_run=True)
    result = run_hook(
        repo, repo.path / ".git" / "hooks" / "pre-push", LINE.format(sha=repo.rev("HEAD"))
    )
    assert "manifest-scope" in result.stdout  # guards run reported on every guard
    assert result.returncode == 1  # no ticket: manifest-scope fails, so does the push
    assert run_hook(repo, repo.path / ".git" / "hooks" / "pre-push", "").returncode == 0


def test_core_hooks_path_is_honoured(repo: GitRepo) -> None:
    repo.git("config", "core.hooksPath", "githooks")
    hook.main(str(repo.path), with_run=False)
    assert hook.is_ours(repo.path / "githooks" / "pre-push")
    assert not (repo.path / ".git" / "hooks" / "pre-push").exists()


def test_hooks_dir_from_a_subdirectory(repo: GitRepo) -> None:
    (repo.path / "sub").mkdir()
    assert hook.hooks_dir(Git(repo.path / "sub")) == repo.path / ".git" / "hooks"


def test_falls_back_to_guards_on_path(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "gone" / "python"))
    hook.main(str(repo.path), with_run=False)
    shim = tmp_path / "bin" / "guards"
    shim.parent.mkdir()
    shim.write_text('#!/bin/sh\necho shim "$@" >&2\nexit 3\n')
    shim.chmod(0o755)
    env = {"PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}"}
    result = run_hook(repo, repo.path / ".git" / "hooks" / "pre-push", "", env)
    assert result.returncode == 3 and "shim prepush origin url" in result.stderr


def test_no_guards_anywhere_fails_closed(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "gone" / "python"))
    hook.main(str(repo.path), with_run=False)
    result = run_hook(
        repo, repo.path / ".git" / "hooks" / "pre-push", "", {"PATH": "/usr/bin:/bin"}
    )
    assert result.returncode == 2 and "guards: not found" in result.stderr


def test_cli_install_and_not_a_repository(tmp_path: Path) -> None:
    clone = clone_with_remote(tmp_path / "c")
    ok = guards_cli("hook", "install", "--repo", str(clone.work.path), "--no-run")
    assert ok.code == 0 and "installed" in ok.stderr
    bad = guards_cli("hook", "install", "--repo", str(tmp_path / "nowhere"))
    assert bad.code == 2 and "not inside a git repository" in bad.stderr


def test_pre_commit_hooks_manifest(tmp_path: Path) -> None:
    """The shipped .pre-commit-hooks.yaml: both hooks at pre-push; the prepush entry, run as
    pre-commit runs it (no stdin, PRE_COMMIT_* variables), refuses a push to main."""
    manifest = Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml"
    hooks = {h["id"]: h for h in yaml.safe_load(manifest.read_text())}
    assert set(hooks) == {"guards-prepush", "guards-run"}
    assert all(h["stages"] == ["pre-push"] and h["pass_filenames"] is False for h in hooks.values())
    clone = clone_with_remote(tmp_path)
    env = {
        **clone.work.env,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_REMOTE_NAME": "origin",
        "PRE_COMMIT_REMOTE_URL": str(clone.remote),
        "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/main",
        "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/main",
        "PRE_COMMIT_TO_REF": clone.first,
    }
    entry = shlex.split(hooks["guards-prepush"]["entry"])
    result = subprocess.run(
        entry,
        cwd=clone.work.path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "no_direct_push" in result.stderr
