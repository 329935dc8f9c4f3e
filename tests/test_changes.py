"""The change set: every path git reports, from real repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.core.changes import FileChange, load_changes, parse_raw, resolve_link
from guards.core.git import Git
from testing.git_repo import pr_repo


def changes(tmp_path: Path, base: dict, head: dict, **kw: dict) -> dict[str, FileChange]:
    repo, b, h = pr_repo(tmp_path / "r", base, head, **kw)
    return {c.path: c for c in load_changes(Git(repo.path), b, h)}


def test_added_modified_deleted(tmp_path: Path) -> None:
    got = changes(
        tmp_path, {"a.py": "a\n", "b.py": "b\n"}, {"a.py": "A\n", "b.py": None, "c.py": "c"}
    )
    assert {p: c.status for p, c in got.items()} == {"a.py": "M", "b.py": "D", "c.py": "A"}
    assert got["b.py"].paths == ("b.py",) and got["b.py"].new_path is None
    assert got["c.py"].old_mode is None and got["c.py"].new_mode == "100644"


def test_rename_reports_both_sides(tmp_path: Path) -> None:
    got = changes(
        tmp_path, {"src/a/x.py": "X = 1\n" * 20}, {}, renames={"src/a/x.py": "src/b/x.py"}
    )
    change = got["src/b/x.py"]
    assert change.status == "R" and change.paths == ("src/a/x.py", "src/b/x.py")
    assert change.similarity == 100


def test_copy_is_detected(tmp_path: Path) -> None:
    body = "".join(f"line {i}\n" for i in range(40))
    got = changes(tmp_path, {"a.py": body}, {"a.py": body + "more\n", "b.py": body})
    assert got["b.py"].status == "C" and got["b.py"].paths == ("a.py", "b.py")


def test_mode_only_change(tmp_path: Path) -> None:
    got = changes(tmp_path, {"run.sh": "echo\n"}, {}, modes={"run.sh": "100755"})
    change = got["run.sh"]
    assert (change.old_mode, change.new_mode) == ("100644", "100755")
    assert change.mode_changed and change.old_oid == change.new_oid


def test_symlink_target_is_read_at_head(tmp_path: Path) -> None:
    got = changes(tmp_path, {"src/a/x.py": "x"}, {}, symlinks={"src/a/link": "../../secret/key"})
    link = got["src/a/link"]
    assert link.is_symlink and link.symlink_target == "../../secret/key"
    assert link.resolved_target() == "secret/key"


def test_type_change_file_to_symlink(tmp_path: Path) -> None:
    got = changes(tmp_path, {"a/f": "text"}, {"a/f": None}, symlinks={"a/f": "../etc/passwd"})
    change = got["a/f"]
    assert change.status == "T" and change.old_mode == "100644" and change.new_mode == "120000"
    assert change.resolved_target() == "etc/passwd"


def test_submodule_pointer(tmp_path: Path) -> None:
    repo, base, _ = pr_repo(tmp_path / "r", {"a": "a"}, {})
    repo.submodule_pointer("vendor/lib", "1" * 40)
    head = repo.commit("add gitlink")
    (change,) = [c for c in load_changes(Git(repo.path), base, head) if c.path == "vendor/lib"]
    assert change.is_submodule and change.new_mode == "160000"


@pytest.mark.parametrize(
    "name",
    [
        "with space.py",
        "new\nline.py",
        "caf\u00e9/\u00fcber.py",
        "tab\tname.py",
        '"quoted".py',
        "-dash.py",
        "back\\slash.py",
    ],
)
def test_awkward_names_survive(tmp_path: Path, name: str) -> None:
    got = changes(tmp_path, {"a": "a"}, {name: "x"})
    assert name in got and got[name].status == "A"


def test_non_utf8_name_round_trips(tmp_path: Path) -> None:
    raw = b"bad\xffname.py"
    repo, base, _ = pr_repo(tmp_path / "r", {"a": "a"}, {})
    (repo.path / raw.decode("utf-8", "surrogateescape")).write_text("x")
    repo.git("add", "-A")
    head = repo.commit("bytes")
    (change,) = load_changes(Git(repo.path), base, head)
    assert change.path.encode("utf-8", "surrogateescape") == raw


def test_empty_change_set(tmp_path: Path) -> None:
    repo, base, _ = pr_repo(tmp_path / "r", {"a": "a"}, {})
    assert len(load_changes(Git(repo.path), base, base)) == 0


@pytest.mark.parametrize(
    ("link", "target", "expected"),
    [
        ("src/a/link", "x.py", "src/a/x.py"),
        ("src/a/link", "../b/x.py", "src/b/x.py"),
        ("src/a/link", "../../secret", "secret"),
        ("src/a/link", "../../../etc/passwd", None),
        ("link", "..", None),
        ("src/link", "/etc/passwd", None),
        ("src/link", "./a/../b", "src/b"),
        ("a/link", "../a/../..", None),
    ],
)
def test_resolve_link(link: str, target: str, expected: str | None) -> None:
    assert resolve_link(link, target) == expected


def test_parse_raw_handles_rename_and_delete_records() -> None:
    z = "0" * 40
    raw = (
        f":100644 100644 {'a' * 40} {'a' * 40} R090\0old name\0new\nname\0"
        f":100644 000000 {'b' * 40} {z} D\0gone\0"
    ).encode()
    renamed, deleted = parse_raw(raw)
    assert renamed.paths == ("old name", "new\nname") and renamed.similarity == 90
    assert deleted.new_path is None and deleted.new_mode is None and deleted.new_oid is None
