"""Build real git repositories from a description: used by the probe runner and by tests.

Every git call runs with an isolated configuration (no global or system config, a fixed
identity and dates), so what is built does not depend on the machine it is built on.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from guards.errors import GuardsError

IDENTITY = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Guards Test",
    "GIT_AUTHOR_EMAIL": "guards@example.invalid",
    "GIT_COMMITTER_NAME": "Guards Test",
    "GIT_COMMITTER_EMAIL": "guards@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    "GIT_TERMINAL_PROMPT": "0",
}


def isolated_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The process environment with git isolated from the machine's configuration."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return {**keep, **IDENTITY, **(extra or {})}


class ScratchRepo:
    """A real repository in PATH with small verbs: write, symlink, chmod, rm, mv, commit."""

    def __init__(self, path: str | os.PathLike[str], *, branch: str = "main") -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.env = isolated_env({"GIT_LITERAL_PATHSPECS": "1"})
        self.git("init", "-q", "-b", branch)

    def git(self, *args: str, stdin: bytes | None = None) -> str:
        """Run git in the repository; a failure raises GuardsError with git's message."""
        proc = subprocess.run(
            ["git", *args],
            cwd=self.path,
            env=self.env,
            input=stdin,
            capture_output=True,
            check=False,
        )
        if proc.returncode:
            raise GuardsError(
                f"git {' '.join(args)} failed: {proc.stderr.decode(errors='replace')}"
            )
        return proc.stdout.decode(errors="surrogateescape")

    def write(self, files: Mapping[str, str | bytes | None]) -> None:
        """Write each path's text (None deletes it) and stage the result in one git call each."""
        gone = [name for name, text in files.items() if text is None]
        if gone:
            self.git("rm", "-rq", "--cached", "--ignore-unmatch", "--", *gone)
        for name, text in files.items():
            target = self.path / name
            _remove(target)
            if text is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(text.encode() if isinstance(text, str) else text)
        kept = [name for name, text in files.items() if text is not None]
        if kept:
            self.git("add", "-f", "--", *kept)

    def symlink(self, links: Mapping[str, str]) -> None:
        for name, target in links.items():
            link = self.path / name
            link.parent.mkdir(parents=True, exist_ok=True)
            _remove(link)
            os.symlink(target, link)
            self.git("add", "-f", "--", name)

    def chmod(self, modes: Mapping[str, str]) -> None:
        for name, mode in modes.items():
            (self.path / name).chmod(0o755 if mode == "100755" else 0o644)
            self.git("add", "-f", "--", name)

    def mv(self, renames: Mapping[str, str]) -> None:
        for old, new in renames.items():
            (self.path / new).parent.mkdir(parents=True, exist_ok=True)
            self.git("mv", "-f", "--", old, new)

    def submodule_pointer(self, path: str, oid: str) -> None:
        """Record a gitlink (submodule commit pointer) at PATH without a checkout."""
        self.git("update-index", "--add", "--cacheinfo", f"160000,{oid},{path}")

    def commit(self, message: str = "commit") -> str:
        self.git("commit", "-q", "--allow-empty", "--no-verify", "-m", message)
        return self.rev("HEAD")

    def branch(self, name: str, start: str = "HEAD") -> None:
        self.git("checkout", "-q", "-B", name, start)

    def rev(self, rev: str) -> str:
        return self.git("rev-parse", "--verify", rev).strip()


def _remove(target: Path) -> None:
    if target.is_symlink() or target.is_file():
        target.unlink()


Tree = dict[str, tuple[str, bytes]]  # path -> (mode, blob bytes, or a commit id for gitlinks)
_EPOCH = "1767225600 +0000"  # 2026-01-01T00:00:00Z, the same date as IDENTITY


def build_pair(
    path: str | os.PathLike[str], base: Tree, head: Tree, branch: str
) -> tuple[str, str]:
    """A repository with BASE committed on main and HEAD (a whole tree) on BRANCH.

    Two git processes in all (init, fast-import): the probe runner builds hundreds of these.
    There is no checkout; HEAD names BRANCH. Returns the two commit ids.
    """
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    env = isolated_env()
    _git(root, env, "init", "-q", "--template=", "-b", branch)
    stream = _commit("refs/heads/main", ":1", None, "base", base)
    stream += _commit(f"refs/heads/{branch}", ":2", ":1", "head", head)
    stream += b"get-mark :1\nget-mark :2\ndone\n"
    out = _git(root, env, "fast-import", "--quiet", "--done", "--cat-blob-fd=1", stdin=stream)
    base_sha, head_sha = out.split()
    return base_sha, head_sha


def _commit(ref: str, mark: str, parent: str | None, message: str, tree: Tree) -> bytes:
    who = f"{IDENTITY['GIT_AUTHOR_NAME']} <{IDENTITY['GIT_AUTHOR_EMAIL']}> {_EPOCH}"
    lines = [f"commit {ref}\nmark {mark}\nauthor {who}\ncommitter {who}\n".encode()]
    lines.append(_data(message.encode()))
    lines.append(f"from {parent}\ndeleteall\n".encode() if parent else b"")
    for name, (mode, content) in sorted(tree.items()):
        if mode == "160000":
            lines.append(f"M 160000 {content.decode()} ".encode() + _quote(name) + b"\n")
            continue
        lines.append(f"M {mode} inline ".encode() + _quote(name) + b"\n" + _data(content))
    return b"".join(lines) + b"\n"


def _data(content: bytes) -> bytes:
    return f"data {len(content)}\n".encode() + content + b"\n"


def _quote(name: str) -> bytes:
    """A path for fast-import: C-style quoted when it holds a quote, backslash or newline."""
    raw = os.fsencode(name)
    if not any(ch in raw for ch in b'"\\\n') and not raw.startswith(b'"'):
        return raw
    escaped = raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n")
    return b'"' + escaped + b'"'


def _git(root: Path, env: dict[str, str], *args: str, stdin: bytes | None = None) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=root, env=env, input=stdin, capture_output=True, check=False
    )
    if proc.returncode:
        raise GuardsError(f"git {args[0]} failed: {proc.stderr.decode(errors='replace')}")
    return proc.stdout.decode()


# --- several head commits with chosen messages (commit-format probes, issue 17) -------------
Step = tuple[str, Tree, bool]  # (message, the whole tree after the commit, merge main into it)


def build_chain(
    path: str | os.PathLike[str], base: Tree, steps: list[Step], branch: str
) -> tuple[str, str]:
    """BASE committed on main, then one commit per step on BRANCH, each with its message
    verbatim (fast-import keeps trailing whitespace and any bytes). A merge step has main's
    commit as its second parent. Returns the base commit and the last commit."""
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    env = isolated_env()
    _git(root, env, "init", "-q", "--template=", "-b", branch)
    stream = _commit("refs/heads/main", ":1", None, "base", base)
    for n, (message, tree, merge) in enumerate(steps, start=2):
        step = _commit(f"refs/heads/{branch}", f":{n}", f":{n - 1}", message, tree)
        if merge:
            step = step.replace(f"from :{n - 1}\n".encode(), f"from :{n - 1}\nmerge :1\n".encode())
        stream += step
    stream += f"get-mark :1\nget-mark :{len(steps) + 1}\ndone\n".encode()
    out = _git(root, env, "fast-import", "--quiet", "--done", "--cat-blob-fd=1", stdin=stream)
    base_sha, head_sha = out.split()
    return base_sha, head_sha
