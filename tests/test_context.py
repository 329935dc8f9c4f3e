"""Revision resolution, event payloads, PR text and ticket resolution on real repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from guards import context
from guards.core.git import Git
from guards.core.oids import ZERO_OID
from guards.errors import GuardsError
from guards.event import Event, load_event
from testing.git_repo import GitRepo, isolated_env, pr_repo, shallow_clone


def _opts(repo: GitRepo, **kw: object) -> context.RunOptions:
    return context.RunOptions(repo=str(repo.path), env={}, **kw)


def test_explicit_revisions(tmp_path: Path) -> None:
    repo, base, head = pr_repo(tmp_path / "r", {"a": "1"}, {"b": "2"})
    ctx, cfg = context.build(_opts(repo, base=base, head=head))
    assert (ctx.base, ctx.head, ctx.merge_base) == (base, head, base)
    assert ctx.changes.paths == ("b",) and cfg.source == "defaults"


def test_diff_uses_merge_base_semantics(tmp_path: Path) -> None:
    repo, base, head = pr_repo(tmp_path / "r", {"a": "1"}, {"b": "2"})
    repo.branch("main", base)
    repo.write({"main-only": "m"})
    main_tip = repo.commit("main moves on")
    ctx, _ = context.build(_opts(repo, base=main_tip, head=head))
    assert ctx.merge_base == base and ctx.changes.paths == ("b",)


def test_local_default_is_merge_base_with_main(tmp_path: Path) -> None:
    repo, base, head = pr_repo(tmp_path / "r", {"a": "1"}, {"b": "2"})
    ctx, _ = context.build(_opts(repo))
    assert (ctx.base, ctx.head) == (base, head)
    assert ctx.pr.head_ref == "feature"


def test_branch_tracking_its_own_remote_copy_compares_with_default(tmp_path: Path) -> None:
    origin, base, _ = pr_repo(tmp_path / "origin", {"a": "1"}, {"b": "2"})
    origin.git("checkout", "-q", "main")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", str(origin.path), str(clone)], check=True, env=isolated_env()
    )
    subprocess.run(
        ["git", "-C", str(clone), "checkout", "-q", "feature"], check=True, env=isolated_env()
    )
    assert Git(clone).upstream_branch() == "origin/feature"
    ctx, _ = context.build(context.RunOptions(repo=str(clone), env={}))
    assert ctx.base == base and ctx.changes.paths == ("b",)


def test_local_default_prefers_upstream(tmp_path: Path) -> None:
    repo, base, head = pr_repo(tmp_path / "r", {"a": "1"}, {"b": "2"})
    repo.git("branch", "--set-upstream-to=main")
    repo.write({"c": "3"})
    repo.commit("more")
    ctx, _ = context.build(_opts(repo))
    assert ctx.base == base and set(ctx.changes.paths) == {"b", "c"}
    assert head != ctx.head


def _event(tmp_path: Path, payload: dict) -> str:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    return str(path)


def test_pull_request_event(tmp_path: Path) -> None:
    repo, base, head = pr_repo(tmp_path / "r", {"a": "1"}, {"b": "2"})
    payload = {
        "action": "opened",
        "pull_request": {
            "number": 7,
            "title": "FR-9: thing",
            "body": None,
            "base": {"ref": "main", "sha": base},
            "head": {"ref": "feat/FR-9", "sha": head},
        },
    }
    ctx, _ = context.build(
        _opts(repo, event_path=_event(tmp_path, payload), event_name="pull_request")
    )
    assert (ctx.base, ctx.head) == (base, head)
    pr = ctx.pr
    assert (pr.title, pr.body, pr.number, pr.head_ref, pr.base_ref) == (
        "FR-9: thing",
        "",
        7,
        "feat/FR-9",
        "main",
    )
    assert ctx.ticket == "FR-9"


def test_event_from_environment(tmp_path: Path) -> None:
    repo, base, head = pr_repo(tmp_path / "r", {"a": "1"}, {"b": "2"})
    env = {
        "GITHUB_EVENT_PATH": _event(
            tmp_path,
            {
                "merge_group": {
                    "base_sha": base,
                    "head_sha": head,
                    "head_ref": "refs/heads/gh-readonly-queue/main/pr-1",
                }
            },
        ),
        "GITHUB_EVENT_NAME": "merge_group",
    }
    ctx, _ = context.build(context.RunOptions(repo=str(repo.path), env=env))
    assert (ctx.base, ctx.head) == (base, head) and ctx.event.name == "merge_group"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"before": "b" * 40, "after": "a" * 40}, ("b" * 40, "a" * 40)),
        ({"before": ZERO_OID, "after": "a" * 40, "created": True}, (None, "a" * 40)),
        ({"before": "b" * 40, "after": ZERO_OID, "deleted": True}, ("b" * 40, "b" * 40)),
        ({"merge_group": {"base_sha": "1" * 40, "head_sha": "2" * 40}}, ("1" * 40, "2" * 40)),
        (
            {"pull_request": {"base": {"sha": "3" * 40}, "head": {"sha": "4" * 40}}},
            ("3" * 40, "4" * 40),
        ),
        ({}, (None, None)),
    ],
)
def test_event_revisions(payload: dict, expected: tuple) -> None:
    name = "push" if "before" in payload else None
    assert Event(name, payload).revisions() == expected


def test_unreadable_event_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "e.json").write_text("{not json")
    with pytest.raises(GuardsError, match="cannot read the event payload"):
        load_event(str(tmp_path / "e.json"), "push", {})


@pytest.mark.parametrize(
    ("opts", "title", "branch", "expected"),
    [
        ({"ticket": "AB-1"}, "CD-2: x", "EF-3", "AB-1"),
        ({"env": {"GUARDS_TICKET": "GT-4"}}, "CD-2: x", "EF-3", "GT-4"),
        ({}, "CD-2: x and XY-9", "EF-3", "CD-2"),
        ({}, "no ticket here", "feature/EF-3-thing", "EF-3"),
        ({}, "nothing", "main", None),
        ({}, "PLAT-API-12 fix", None, "PLAT-API-12"),
    ],
)
def test_ticket_resolution(
    opts: dict, title: str, branch: str | None, expected: str | None
) -> None:
    o = context.RunOptions(env=opts.get("env", {}), ticket=opts.get("ticket"))
    pr = context.PullRequest(title=title, head_ref=branch)
    assert context.resolve_ticket(o, pr, r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-[0-9]+") == expected


@pytest.mark.parametrize("bad", ["../etc/passwd", "a/b", "..", ".hidden", "x" * 200, "a b"])
def test_ticket_must_be_a_plain_name(bad: str) -> None:
    with pytest.raises(GuardsError, match="not a plain name"):
        context.check_ticket(bad)


def test_missing_base_is_exit_2(tmp_path: Path) -> None:
    repo, _, head = pr_repo(tmp_path / "r", {"a": "1"}, {"b": "2"})
    with pytest.raises(GuardsError, match="not a commit"):
        context.build(_opts(repo, base="f" * 40, head=head))


def test_shallow_clone_names_the_fix(tmp_path: Path) -> None:
    repo, base, head = pr_repo(tmp_path / "r", {"a": "1"}, {"b": "2"})
    clone = tmp_path / "shallow"
    shallow_clone(repo, clone)
    assert Git(clone).is_shallow
    with pytest.raises(
        GuardsError, match=f"base commit {base} is not in this clone; use fetch-depth: 0"
    ):
        context.build(context.RunOptions(repo=str(clone), base=base, head=head, env={}))


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GuardsError, match="not inside a git repository"):
        Git(tmp_path)


def test_read_and_list_at_revision(tmp_path: Path) -> None:
    repo, base, head = pr_repo(tmp_path / "r", {"d/a.txt": "1", "d/e/b.txt": "2"}, {"d/a.txt": "9"})
    git = Git(repo.path)
    assert git.read(base, "d/a.txt") == b"1" and git.read(head, "d/a.txt") == b"9"
    assert git.read(base, "d") is None and git.read(base, "missing") is None
    assert sorted(git.list_files(base, ["d"])) == ["d/a.txt", "d/e/b.txt"]
    assert git.tree_has(base, "d/e") and not git.tree_has(base, "d/x")


@pytest.mark.parametrize("name", ["a b.py", "tab\there.py", "new\nline.py", "x missing"])
def test_read_names_with_spaces_tabs_and_newlines(tmp_path: Path, name: str) -> None:
    """cat-file answers '<name> missing' for a missing name with spaces: not a header."""
    repo, base, _ = pr_repo(tmp_path / "r", {name: "here"}, {})
    git = Git(repo.path)
    assert git.read(base, name) == b"here"
    assert git.read(base, "gone " + name) is None
    assert git.read_many([f"{base}:{name}", f"{base}:no such file"]) == [b"here", None]
