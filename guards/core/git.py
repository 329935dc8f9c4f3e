"""Git access through GitPython: one opened repository, ``-z`` output everywhere.

Paths are decoded with ``os.fsdecode`` (UTF-8, surrogateescape), so names with
non-ASCII bytes, spaces or newlines survive unchanged; ``core.quotePath`` never applies.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import git as gitpython
from git.exc import GitCommandError, InvalidGitRepositoryError, NoSuchPathError

from guards.errors import GuardsError

ZERO_OID = "0" * 40
SHALLOW_HINT = "use fetch-depth: 0 with actions/checkout, or run `git fetch --unshallow`"


@dataclass(frozen=True)
class TreeEntry:
    """One entry of ``git ls-tree``."""

    mode: str
    kind: str  # blob | tree | commit
    oid: str
    path: str


class Git:
    """One repository; every git invocation of guards goes through this class."""

    def __init__(self, path: str | os.PathLike[str] = ".") -> None:
        try:
            self.repo = gitpython.Repo(path, search_parent_directories=True)
        except (InvalidGitRepositoryError, NoSuchPathError) as exc:
            raise GuardsError(f"{path} is not inside a git repository") from exc
        if self.repo.bare:
            self.root = Path(self.repo.git_dir)
        else:
            self.root = Path(self.repo.working_tree_dir or ".")

    def run(self, *args: str, ok_codes: Sequence[int] = (0,)) -> bytes:
        """Run ``git ARGS`` and return raw stdout; failure is a GuardsError."""
        status, out, err = self.repo.git.execute(
            ["git", *args],
            with_extended_output=True,
            with_exceptions=False,
            stdout_as_string=False,
            strip_newline_in_stdout=False,
        )
        if status not in ok_codes:
            text = err.decode(errors="replace") if isinstance(err, bytes) else str(err)
            raise GuardsError(f"git {' '.join(args[:3])} failed: {text.strip()}")
        return out if isinstance(out, bytes) else str(out).encode()

    def succeeds(self, *args: str) -> bool:
        try:
            self.repo.git.execute(["git", *args])
        except GitCommandError:
            return False
        return True

    @property
    def is_shallow(self) -> bool:
        return self.run("rev-parse", "--is-shallow-repository").strip() == b"true"

    def has_commit(self, rev: str) -> bool:
        return self.succeeds("cat-file", "-e", f"{rev}^{{commit}}")

    def resolve(self, rev: str, role: str = "revision") -> str:
        """The full commit id of REV, or exit 2 saying how to get it."""
        sha = self.try_resolve(rev)
        if sha:
            return sha
        if self.is_shallow:
            raise GuardsError(f"{role} commit {rev} is not in this clone; {SHALLOW_HINT}")
        raise GuardsError(
            f"{role} {rev!r} is not a commit in {self.root}; fetch it or pass another --{role}"
        )

    def try_resolve(self, rev: str) -> str | None:
        """The full commit id of REV, or None when it names no commit here (one git call)."""
        out = self.run(
            "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}",
            ok_codes=(0, 1, 128),
        )  # fmt: skip
        return out.decode().strip() or None

    def merge_base(self, a: str, b: str) -> str:
        out = self.run("merge-base", a, b, ok_codes=(0, 1)).decode().strip()
        if out:
            return out
        if self.is_shallow:
            raise GuardsError(
                f"no merge-base of {a[:12]} and {b[:12]} in this shallow clone; {SHALLOW_HINT}"
            )
        raise GuardsError(f"{a[:12]} and {b[:12]} share no history; pass --base explicitly")

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        code = self.repo.git.execute(
            ["git", "merge-base", "--is-ancestor", ancestor, descendant],
            with_extended_output=True,
            with_exceptions=False,
        )[0]
        if code > 1:
            raise GuardsError(
                f"cannot tell whether {ancestor[:12]} is an ancestor of {descendant[:12]}"
            )
        return code == 0

    def read(self, rev: str, path: str) -> bytes | None:
        """The bytes of PATH at REV, or None when it is not a file there."""
        try:
            obj = self.repo.commit(rev).tree / path
        except (KeyError, ValueError):
            return None
        if obj.type != "blob":
            return None
        data: bytes = obj.data_stream.read()
        return data

    def read_oid(self, oid: str) -> bytes:
        data: bytes = self.repo.odb.stream(bytes.fromhex(oid)).read()
        return data

    def ls_tree(self, rev: str, path: str = "", *, recursive: bool = True) -> list[TreeEntry]:
        """Entries under PATH at REV (the whole tree by default)."""
        args = ["ls-tree", "-z", "--full-tree"]
        if recursive:
            args.append("-r")
        args += [rev, "--"]
        if path:
            args.append(path.rstrip("/") + "/")
        return list(_parse_ls_tree(self.run(*args)))

    def upstream_branch(self) -> str | None:
        """The short name of HEAD's upstream (e.g. ``origin/main``), if it has one."""
        out = self.run(
            "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}", ok_codes=(0, 128)
        )
        return out.decode().strip() or None

    def current_branch(self) -> str | None:
        out = self.run("symbolic-ref", "-q", "--short", "HEAD", ok_codes=(0, 1)).decode().strip()
        return out or None

    # --- commits, trailers, blob sizes (issue 17: commit-format, tests-with-code) -----------
    def commits(self, base: str, head: str, *, limit: int = 2000) -> list[CommitRecord]:
        """The commits in BASE..HEAD, oldest first; more than LIMIT is a GuardsError."""
        shas = self.run("rev-list", "--reverse", "--topo-order", f"{base}..{head}", "--")
        ids = shas.decode().split()
        if len(ids) > limit:
            raise GuardsError(
                f"{len(ids)} commits in {base[:12]}..{head[:12]}; more than {limit} is not judged"
            )
        return [self.commit_record(sha) for sha in ids]

    def commit_record(self, sha: str) -> CommitRecord:
        """One commit's id, parents, author and message (bytes decoded as UTF-8, replaced)."""
        raw = self.run("cat-file", "commit", sha)
        header, _, message = raw.partition(b"\n\n")
        fields = [line.split(b" ", 1) for line in header.split(b"\n") if b" " in line]
        parents = tuple(v.decode() for k, v in fields if k == b"parent")
        author = next((v for k, v in fields if k == b"author"), b"").decode(errors="replace")
        text = message.decode("utf-8", errors="replace")
        subject, _, body = text.partition("\n")
        return CommitRecord(sha, subject, body, parents, author.rsplit(" ", 2)[0], text)

    def blob_size(self, oid: str) -> int:
        """The size of blob OID without reading it (bound the work before it starts)."""
        size: int = self.repo.odb.info(bytes.fromhex(oid)).size
        return size

    def trailers(self, message: str) -> tuple[tuple[str, str], ...]:
        """The trailers of MESSAGE by git's own rules (``git interpret-trailers --parse``),
        fed on stdin: the message never reaches a shell or a command line."""
        proc = subprocess.run(
            ["git", "interpret-trailers", "--parse", "--no-divider"],
            cwd=self.root,
            input=message.encode("utf-8", errors="surrogateescape"),
            capture_output=True,
            check=False,
            timeout=60,
        )
        if proc.returncode:
            raise GuardsError(f"git interpret-trailers failed: {proc.stderr.decode().strip()}")
        pairs = [line.partition(":") for line in proc.stdout.decode(errors="replace").splitlines()]
        return tuple((k.strip(), v.strip()) for k, sep, v in pairs if sep)


@dataclass(frozen=True)
class CommitRecord:
    """One commit as commit-format judges it; the text is untrusted data."""

    sha: str
    subject: str  # the first line of the message, verbatim (trailing whitespace kept)
    body: str  # the rest of the message after the first newline
    parents: tuple[str, ...]
    author: str  # "Name <email>"
    message: str  # the whole message

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


# --- end of the commit-format block ----------------------------------------------------------


def _parse_ls_tree(out: bytes) -> Iterator[TreeEntry]:
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, oid = meta.decode().split()
        yield TreeEntry(mode, kind, oid, os.fsdecode(name))
