"""Bulk reads from git: one ``git cat-file --batch`` process, one ``ls-tree`` per listing.

Reading thousands of files costs one process, not one per file.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterable, Sequence
from typing import IO

from guards.core.git import Git
from guards.errors import GuardsError


class BlobReader:
    """Reads blobs by ``<oid>`` or ``<rev>:<path>`` through one long-lived cat-file process."""

    def __init__(self, git: Git) -> None:
        self.git = git
        self._proc: subprocess.Popen[bytes] | None = None

    def read_many(self, specs: Sequence[str]) -> list[bytes | None]:
        """The bytes of each spec, None when it is missing or not a blob."""
        safe = [s for s in specs if "\n" not in s]
        results = dict(zip(safe, self._batch(safe), strict=True)) if safe else {}
        return [results[s] if s in results else self._slow(s) for s in specs]

    def _slow(self, spec: str) -> bytes | None:
        rev, _, path = spec.partition(":")
        return self.git.read(rev, path)

    def _process(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.git.root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        return self._proc

    def _batch(self, specs: list[str]) -> list[bytes | None]:
        proc = self._process()
        assert proc.stdin is not None and proc.stdout is not None
        payload = "".join(f"{s}\n" for s in specs).encode("utf-8", "surrogateescape")
        writer = threading.Thread(target=_write, args=(proc.stdin, payload), daemon=True)
        writer.start()
        try:
            return [_response(proc.stdout) for _ in specs]
        finally:
            writer.join()

    def close(self) -> None:
        if self._proc is not None:
            if self._proc.stdin:
                self._proc.stdin.close()
            if self._proc.stdout:
                self._proc.stdout.close()
            self._proc.wait()
            self._proc = None

    def __del__(self) -> None:
        self.close()


def _write(stdin: IO[bytes], payload: bytes) -> None:
    stdin.write(payload)
    stdin.flush()


def _response(out: IO[bytes]) -> bytes | None:
    header = out.readline()
    if not header:
        raise GuardsError("git cat-file --batch ended early")
    fields = header.split()
    if len(fields) != 3:
        return None  # "<spec> missing" or "ambiguous"
    size = int(fields[2])
    data = out.read(size)
    out.read(1)
    return data if fields[1] == b"blob" else None


def list_files(git: Git, rev: str, paths: Iterable[str] = ()) -> dict[str, str]:
    """path -> blob oid at REV: the whole tree, or below each of PATHS (folders or files)."""
    args = ["--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree", rev, "--", *paths]
    out = git.run(*args)
    files: dict[str, str] = {}
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, oid = meta.decode().split()
        if kind == "blob" and mode != "120000":
            files[os.fsdecode(name)] = oid
    return files


def grep_files(
    git: Git, rev: str, patterns: Sequence[str], *, fixed: bool = True, words: bool = False,
    all_match: bool = False,
) -> set[str]:  # fmt: skip
    """Paths of ``*.py`` files at REV whose text matches any (or, with all_match, every) pattern.

    One ``git grep`` over the tree, in C and multi-threaded: a pre-filter, not a parser.
    """
    if not patterns:
        return set()
    args = ["grep", "-l", "-z", "-I", "-F" if fixed else "-E"]
    args += ["-w"] * words + ["--all-match"] * all_match
    for pattern in patterns:
        args += ["-e", pattern]
    out = git.run(*args, rev, "--", "*.py", ok_codes=(0, 1))
    prefix = f"{rev}:".encode()
    return {os.fsdecode(p.removeprefix(prefix)) for p in out.split(b"\0") if p}
