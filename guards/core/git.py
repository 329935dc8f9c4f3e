"""The git gateway: every child process guards starts is started here.

``Git`` is one repository: named methods (resolve, merge_base, read, list_files, grep_files,
diff_raw, archive, ...) over plain ``git`` processes, ``-z`` output everywhere, and one
long-lived ``git cat-file --batch`` process for blob reads (thousands of files cost one
process, not one each). ``run_tool`` runs another program (the pytest oracle) in a tree that
``archive`` exported. Nothing outside guards/core starts a process or passes raw git arguments.

The traps: paths are decoded with ``os.fsdecode`` (UTF-8, surrogateescape), so names with
non-ASCII bytes, spaces or newlines survive unchanged and ``core.quotePath`` never applies; a
revision or path that starts with ``-`` is never taken for an option (``--end-of-options``,
``--``); and a ``cat-file`` request whose name holds a space still answers ``<name> missing``,
so a missing object is recognised by its last word, not by counting fields. Pathspecs mean
what guards writes: the variables that reinterpret every pathspec (``GIT_LITERAL_PATHSPECS``
would make ``*.py`` match nothing, ``GIT_ICASE_PATHSPECS`` would widen an exclusion) are
dropped from every git process's environment.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

from guards.core.records import record
from guards.errors import GuardsError

PATHSPEC_VARS = (
    "GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS",
)  # fmt: skip # -- one line of names
PIPE_SAFE = 4096  # POSIX PIPE_BUF: a write this small never blocks on an empty pipe
READ_SIZE = 1 << 16  # what Git._until asks of a pipe at a time
WORD = re.compile(r"[A-Za-z0-9_]+")  # a word no regex reads as anything but itself
# Pathspecs on one command line: an argument list has a size limit (ARG_MAX), so callers that
# name files or globs one by one fall back to a wider search past these.
MAX_PATHSPECS, MAX_PATHSPEC_BYTES = 2_000, 128 * 1024
ALTERNATION = 256  # words to one extended regex: a regex of thousands compiles slowly
_GREP_RECORD = re.compile(rb"([^\0]*)\0([^\n]*)\n")  # grep -z: REV:path NUL text LF
SHALLOW_HINT = "use fetch-depth: 0 with actions/checkout, or run `git fetch --unshallow`"
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


@record
class Completed:
    """What a finished child process left: its exit code and its output."""

    returncode: int
    stdout: bytes
    stderr: bytes


def _spawn(
    argv: Sequence[str],
    cwd: str | os.PathLike[str],
    *,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
    timeout: float | None = None,
) -> Completed:
    try:
        proc = subprocess.run(
            list(argv), cwd=cwd, env=env, input=stdin, capture_output=True, timeout=timeout
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GuardsError(f"{argv[0]} could not run: {exc}") from exc
    return Completed(proc.returncode, proc.stdout, proc.stderr)


def run_tool(
    argv: Sequence[str], cwd: str | os.PathLike[str], env: Mapping[str, str], timeout: float
) -> Completed:
    """Run a program (not git) in CWD, e.g. pytest in a tree ``archive`` exported."""
    return _spawn(argv, cwd, env=env, timeout=timeout)


def init_repository(path: Path, branch: str, env: Mapping[str, str]) -> None:
    """``git init`` at PATH with BRANCH as its first branch and no hooks or templates."""
    _checked(path, env, "init", "-q", "--template=", "-b", branch)


def fast_import(path: Path, stream: bytes, env: Mapping[str, str]) -> bytes:
    """Feed a ``git fast-import`` STREAM to the repository at PATH; its cat-blob output."""
    return _checked(path, env, "fast-import", "--quiet", "--done", "--cat-blob-fd=1", stdin=stream)


def _checked(path: Path, env: Mapping[str, str], *args: str, stdin: bytes | None = None) -> bytes:
    done = _spawn(["git", *args], path, env=env, stdin=stdin)
    if done.returncode:
        raise GuardsError(f"git {args[0]} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout


def _unnamed_file() -> IO[bytes]:
    """A temporary file with no name (gone when closed): Linux's O_TMPFILE in $TMPDIR or /tmp,
    else ``tempfile.TemporaryFile``, whose import (shutil, random, bz2, lzma) was 3-8 ms of a
    run's start-up where the kernel gives the same file in one call."""
    where = os.environ.get("TMPDIR") or "/tmp"
    try:
        fd = os.open(where, os.O_RDWR | os.O_TMPFILE | os.O_CLOEXEC, 0o600)
    except (AttributeError, OSError):  # no O_TMPFILE here (macOS, some filesystems)
        import tempfile

        return tempfile.TemporaryFile()
    return os.fdopen(fd, "w+b")


class Git:
    """One repository; every git invocation of guards goes through this class."""

    def __init__(self, path: str | os.PathLike[str] = ".", env: Mapping[str, str] | None = None):
        given = os.environ if env is None else env
        self.env = {k: v for k, v in given.items() if k not in PATHSPEC_VARS}
        start = Path(path)
        if not start.is_dir():
            raise GuardsError(f"{path} is not inside a git repository")
        self.root = start  # where the first git processes run
        self.root = self._top(path)
        self._paths: dict[str, str] = {}
        self._blobs = _BlobReader(self)

    def _top(self, path: str | os.PathLike[str]) -> Path:
        """The work tree's top, or a bare repository's git directory: one ``rev-parse`` for a
        work tree (``--show-toplevel`` fails in a bare repository, after it said ``true``)."""
        done = _spawn(
            ["git", "rev-parse", "--is-bare-repository", "--show-toplevel"], self.root, env=self.env
        )
        bare, _, top = done.stdout.partition(b"\n")
        if bare not in (b"true", b"false"):
            raise GuardsError(f"{path} is not inside a git repository")
        if bare == b"true":
            return Path(self._run("rev-parse", "--absolute-git-dir").decode().strip())
        if done.returncode:
            text = done.stderr.decode(errors="replace").strip()
            raise GuardsError(f"git rev-parse --show-toplevel failed: {text}")
        return Path(os.fsdecode(top.rstrip(b"\n")))

    def _run(
        self, *args: str, ok_codes: Sequence[int] = (0,), stdin: bytes | None = None,
        bytewise: bool = False,
    ) -> bytes:  # fmt: skip # -- a packed signature reads better here
        """Run ``git ARGS`` in the repository; an exit code outside OK_CODES is a GuardsError.
        BYTEWISE runs it in the C locale, whatever the user's (a regex reads bytes)."""
        env = {**self.env, "LC_ALL": "C"} if bytewise else self.env
        done = _spawn(["git", *args], self.root, env=env, stdin=stdin)
        if done.returncode not in ok_codes:
            text = done.stderr.decode(errors="replace").strip()
            raise GuardsError(f"git {' '.join(args[:3])} failed: {text}")
        return done.stdout

    def _code(self, *args: str) -> int:
        return _spawn(["git", *args], self.root, env=self.env).returncode

    @property
    def is_shallow(self) -> bool:
        return self._run("rev-parse", "--is-shallow-repository").strip() == b"true"

    def has_commit(self, rev: str) -> bool:
        return self._code("cat-file", "-e", f"{rev}^{{commit}}") == 0

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
        out = self._run(
            "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}",
            ok_codes=(0, 1, 128),
        )  # fmt: skip # -- a packed argument list reads better than one item a line
        return out.decode().strip() or None

    def merge_base(self, a: str, b: str) -> str:
        out = self._run("merge-base", a, b, ok_codes=(0, 1)).decode().strip()
        if out:
            return out
        if self.is_shallow:
            raise GuardsError(
                f"no merge-base of {a[:12]} and {b[:12]} in this shallow clone; {SHALLOW_HINT}"
            )
        raise GuardsError(f"{a[:12]} and {b[:12]} share no history; pass --base explicitly")

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        code = self._code("merge-base", "--is-ancestor", ancestor, descendant)
        if code > 1:
            raise GuardsError(
                f"cannot tell whether {ancestor[:12]} is an ancestor of {descendant[:12]}"
            )
        return code == 0

    def read(self, rev: str, path: str) -> bytes | None:
        """The bytes of PATH at REV, or None when it is not a file (blob) there."""
        return self.read_many([f"{rev}:{path}"])[0]

    def read_oid(self, oid: str) -> bytes:
        data = self.read_many([oid])[0]
        if data is None:
            raise GuardsError(f"object {oid} is not a blob in {self.root}")
        return data

    def read_many(self, specs: Sequence[str]) -> list[bytes | None]:
        """The bytes of each ``<oid>`` or ``<rev>:<path>``; None when missing or not a blob."""
        return self._blobs.read_many(specs)

    def start_reading(self, oids: Sequence[str], parts: int = 2) -> Callable[[], list[bytes]]:
        """Start reading the blobs OIDS (a whole tree's) in PARTS ``git cat-file --batch``
        processes at once, each writing to a temporary file: no pipe waits to be drained, so
        the caller goes on with other work meanwhile. The function returned waits for them and
        gives the bytes in order; a missing object is a GuardsError (OIDS come from a listing)."""
        shares = [list(oids[i::parts]) for i in range(parts) if oids[i::parts]]
        started = [self._cat_file(share) for share in shares]

        def result() -> list[bytes]:
            read = [
                _batch_output(proc, out, len(share))
                for (proc, out), share in zip(started, shares, strict=True)
            ]
            return [read[i % parts][i // parts] for i in range(len(oids))]

        return result

    def _cat_file(self, oids: list[str]) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
        asked = "".join(f"{oid}\n" for oid in oids).encode()
        return self._begun(["git", "cat-file", "--batch"], asked, self.env)

    def _begun(
        self, argv: list[str], asked: bytes, env: Mapping[str, str]
    ) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
        """ARGV started on ASKED, its output going to a temporary file (no pipe waits to be
        drained): the caller goes on with other work while it runs."""
        try:
            stdin, out = _unnamed_file(), _unnamed_file()
            stdin.write(asked)
            stdin.seek(0)
        except OSError as exc:
            raise GuardsError(f"no temporary file for git {argv[1]}'s output: {exc}") from exc
        try:
            proc = subprocess.Popen(
                argv, cwd=self.root, env=env, stdin=stdin, stdout=out, stderr=subprocess.DEVNULL
            )
        except OSError as exc:
            raise GuardsError(f"git could not run: {exc}") from exc
        finally:
            stdin.close()
        return proc, out

    def list_files(self, rev: str, paths: Iterable[str] = ()) -> dict[str, str]:
        """path -> blob oid at REV (symlinks and gitlinks left out): the whole tree, or below
        each of PATHS (folders or files)."""
        args = ["--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree", rev, "--", *paths]
        files: dict[str, str] = {}
        for mode, kind, oid, name in _tree_records(self._run(*args)):
            if kind == "blob" and mode != "120000":
                files[name] = oid
        return files

    def sized_files(self, rev: str, suffix: str, most: int) -> dict[str, tuple[str, int]] | None:
        """path -> (blob oid, size) of the files at REV whose path ends with SUFFIX (symlinks
        and gitlinks left out): one ``git ls-tree -l``, which reads each blob's size from its
        header, not the blob. None when they are more than MOST: counted as the listing comes,
        and git stopped there (a 50,000-file tree's listing is read a fifth of the way)."""
        ending = suffix.encode() + b"\0"
        out = self._until(["ls-tree", "-r", "-z", "-l", "--full-tree", rev], ending, most)
        if out is None:
            return None
        files: dict[str, tuple[str, int]] = {}
        for entry in out.split(b"\0"):
            meta, _, name = entry.partition(b"\t")
            if name.endswith(ending[:-1]):
                mode, kind, oid, size = meta.decode().split()
                if kind == "blob" and mode != "120000":
                    files[os.fsdecode(name)] = (oid, int(size))
        return files

    def _until(self, args: list[str], token: bytes, most: int) -> bytes | None:
        """The output of ``git ARGS``, or None once it holds TOKEN (a string that cannot
        overlap itself: ``.py\\0``) more than MOST times: git is stopped there. A failure is
        the GuardsError ``_run`` gives, with git's message."""
        try:
            proc = subprocess.Popen(
                ["git", *args], cwd=self.root, env=self.env,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )  # fmt: skip # -- a packed call reads better here
        except OSError as exc:
            raise GuardsError(f"git could not run: {exc}") from exc
        assert proc.stdout is not None
        chunks: list[bytes] = []
        seen, edge, tail = 0, len(token) - 1, b""  # TAIL: the last EDGE bytes read
        with proc.stdout:
            while chunk := proc.stdout.read(READ_SIZE):  # a pipe may give less, even a byte
                seen += chunk.count(token) + (tail + chunk[:edge]).count(token)
                tail = (tail + chunk)[-edge:] if edge else b""
                chunks.append(chunk)
                if seen > most:
                    proc.kill()
                    proc.wait()
                    return None
        if proc.wait() != 0:
            out = self._run(*args)  # fails again, saying why (or, once in a while, does not)
            return out if out.count(token) <= most else None
        return b"".join(chunks)

    def entry(self, rev: str, path: str) -> tuple[str, str] | None:
        """(mode, oid) of the tree entry PATH at REV, without following links; None if absent."""
        out = self._run("--literal-pathspecs", "ls-tree", "-z", "--full-tree", rev, "--", path)
        for mode, _kind, oid, name in _tree_records(out):
            if name == path:
                return mode, oid
        return None

    def tree_has(self, rev: str, path: str) -> bool:
        """PATH is a file or a folder at REV."""
        out = self._run("--literal-pathspecs", "ls-tree", "-z", "--full-tree", rev, "--", path)
        return bool(out.strip(b"\0"))

    def grep_files(
        self, rev: str, patterns: Sequence[str], *, fixed: bool = True, words: bool = False,
        all_match: bool = False, pathspec: str | Sequence[str] = "*.py", within: Sequence[str] = (),
    ) -> set[str]:  # fmt: skip # -- a packed call reads better here
        """Paths of PATHSPEC files (one glob or several) at REV whose text matches any (or, with
        all_match, every) pattern: one ``git grep`` over the tree, in C and multi-threaded.
        WITHIN: words of letters one of which every matching line holds (``class`` for a regex
        of class lines): git tries the regexes only on the lines that hold one, found by a fixed
        search (glibc's regex engine on every line of sympy: 1.1 s; on the lines that say
        ``class``: 0.15 s).

        git tries each ``-e`` pattern on a line apart, so many fixed words (names) are searched as
        extended-regex alternations a few hundred to a pattern: the same answer (a word of word
        characters never needs an escape, and of two such words matching at one place the longer
        fails ``-w`` whenever the shorter does), several times faster."""
        pathspecs = [pathspec] if isinstance(pathspec, str) else list(pathspec)
        if not patterns or not pathspecs:
            return set()
        if fixed and words and not all_match and len(patterns) > 1:
            plain = [p for p in patterns if WORD.fullmatch(p)]
            rest = [p for p in patterns if not WORD.fullmatch(p)]
            found = self._grep_files(rev, _alternations(plain), ["-E", "-w"], pathspecs, within)
            return found | self._grep_files(rev, rest, ["-F", "-w"], pathspecs, within)
        flags = ["-F" if fixed else "-E"] + ["-w"] * words + ["--all-match"] * all_match
        return self._grep_files(rev, patterns, flags, pathspecs, within)

    def _grep_files(
        self,
        rev: str,
        patterns: Sequence[str],
        flags: list[str],
        pathspecs: list[str],
        within: Sequence[str] = (),
        bytewise: bool = False,
    ) -> set[str]:
        if not patterns:
            return set()
        expression = [arg for pattern in patterns for arg in ("-e", pattern)]
        if within:
            assert all(WORD.fullmatch(w) for w in within), "fixed words: the same in -E and -F"
            head = [arg for word in within for arg in ("-e", word)]
            expression = ["(", *head, ")", "--and", "(", *expression, ")"]
        args = ["grep", "-l", "-z", "-I", *flags, *expression]
        out = self._run(*args, rev, "--", *pathspecs, ok_codes=(0, 1), bytewise=bytewise)
        return _listed(out, rev)

    def grep_bytes(self, rev: str, pattern: bytes, pathspec: str = "*.py") -> set[str]:
        """Paths of PATHSPEC files at REV matching the extended regex PATTERN read as bytes
        (the C locale, whatever the user's: ``[\x80-\xff]`` is any byte above ASCII)."""
        return self._grep_files(rev, [os.fsdecode(pattern)], ["-E"], [pathspec], bytewise=True)

    def start_grep_bytes(
        self, rev: str, pattern: bytes, pathspec: str = "*.py"
    ) -> Callable[[], set[str]]:
        """``grep_bytes`` begun now, in another process: the call returned waits for it, so
        that another search of the tree runs meanwhile, on another core. It runs one thread (as
        the search beside it should: ``grep_lines``'s BESIDE): two searches with git's default of
        a thread per core fought for the two cores (a tree of 23,000 files of sympy's text:
        0.29 s for both, 0.22 s one thread each; generated files stored as deltas of each other:
        0.25 and 0.20 s)."""
        argv = ["grep", "--threads=1", "-l", "-z", "-I", "-E", "-e", os.fsdecode(pattern), rev]
        done = self._start([*argv, "--", pathspec], bytewise=True)

        def found() -> set[str]:
            code, out = done()
            if code not in (0, 1):  # fails again, saying why
                return self.grep_bytes(rev, pattern, pathspec)
            return _listed(out, rev)

        return found

    def start_grep_perl(
        self, rev: str, pattern: str, pathspec: str = "*.py"
    ) -> Callable[[], list[tuple[str, str]] | None]:
        """(path, line) for every line of a PATHSPEC file at REV that the Perl regex PATTERN
        matches (``git grep -P``, one thread, the C locale: a byte is a character), begun now as
        ``start_grep_bytes`` is; the call returned waits for it. None from that call when git
        could not run it (built without PCRE: the caller asks ``grep_lines``). PCRE's JIT finds
        a literal's lines far faster than an ``--and`` of extended regexes, which git tries line
        by line: the import lines of 50,000 files 0.18 -> 0.08 s."""
        argv = ["grep", "--threads=1", "-z", "-I", "-P", "-e", pattern, rev, "--", pathspec]
        done = self._start(argv, bytewise=True)

        def found() -> list[tuple[str, str]] | None:
            code, out = done()
            return _lines(out, rev) if code in (0, 1) else None

        return found

    def start_grep_words(
        self, rev: str, words: Sequence[str], pathspecs: Sequence[str]
    ) -> Callable[[], set[str]]:
        """``grep_files(rev, words, words=True, pathspec=pathspecs)`` begun now, in another
        process (one thread, as ``start_grep_bytes``); the call returned waits for it. WORDS are
        words of word characters, at most ALTERNATION of them (one ``-E -w`` alternation)."""
        assert all(WORD.fullmatch(w) for w in words) and len(words) <= ALTERNATION
        argv = ["grep", "--threads=1", "-l", "-z", "-I", "-E", "-w", "-e", "|".join(words), rev]
        done = self._start([*argv, "--", *pathspecs])

        def found() -> set[str]:
            code, out = done()
            if code not in (0, 1):  # fails again, saying why
                return self.grep_files(rev, words, words=True, pathspec=pathspecs)
            return _listed(out, rev)

        return found

    def _start(self, args: list[str], bytewise: bool = False) -> Callable[[], tuple[int, bytes]]:
        """``git ARGS`` begun now (_begun; the C locale when BYTEWISE); the call returned waits
        for it: its exit code and output. With no temporary file or no git, that call answers
        (-1, b""): the caller runs the search in turn, which says what failed."""
        env = {**self.env, "LC_ALL": "C"} if bytewise else self.env
        try:
            proc, out = self._begun(["git", *args], b"", env)
        except GuardsError:
            return lambda: (-1, b"")

        def done() -> tuple[int, bytes]:
            with out:
                code = proc.wait()
                out.seek(0)
                return code, out.read()

        return done

    def grep_lines(
        self, rev: str, text: str, pathspec: str = "*.py", near: Sequence[str] = (),
        beside: bool = False,
    ) -> list[tuple[str, str]]:  # fmt: skip # -- a packed signature reads better here
        """(path, line) for every line of a PATHSPEC file at REV that holds TEXT (a word of
        letters) and, when NEAR is given, one of its extended regexes too: one ``git grep -z``
        in the C locale; a record is ``REV:path NUL line LF`` (a path may hold a newline, a
        line cannot). BESIDE: another search (``start_grep_bytes``)
        runs meanwhile, so this one takes one thread (one core) too."""
        expression = ["-e", text]
        if near:
            nearby = [a for n in near for a in ("-e", n)]
            expression = ["(", *expression, "--and", "(", *nearby, ")", ")"]
        threads = ["--threads=1"] if beside else []
        args = ["grep", *threads, "-z", "-I", "-E", *expression, rev, "--", pathspec]
        return _lines(self._run(*args, ok_codes=(0, 1), bytewise=True), rev)

    def diff_raw(self, base: str, head: str) -> bytes:
        """``git diff --raw -z`` from BASE to HEAD with renames and copies, no abbreviation."""
        return self._run(
            "diff", "--raw", "-z", "-M", "-C", "--no-abbrev", "--no-ext-diff", "--no-textconv",
            "--ignore-submodules=none", base, head, "--",
        )  # fmt: skip # -- a packed argument list reads better than one item a line

    def archive(self, rev: str) -> bytes:
        """The files of REV as a tar archive (no worktree, no checkout)."""
        return self._run("archive", "--format=tar", rev)

    def git_path(self, name: str) -> str:
        """``git rev-parse --git-path NAME``: where git keeps NAME (hooks honour core.hooksPath);
        asked once per name and repository."""
        if name not in self._paths:
            self._paths[name] = self._run("rev-parse", "--git-path", name).decode().strip()
        return self._paths[name]

    def set_remote_head(self, remote: str, branch: str, oid: str) -> None:
        """Record OID as REMOTE/BRANCH and make it REMOTE's HEAD, as a clone would."""
        self._run("update-ref", f"refs/remotes/{remote}/{branch}", oid)
        self._run("symbolic-ref", f"refs/remotes/{remote}/HEAD", f"refs/remotes/{remote}/{branch}")

    def set_remote_branch(self, remote: str, branch: str, oid: str) -> None:
        """Record OID as REMOTE/BRANCH only (a clone that never learned REMOTE's HEAD)."""
        self._run("update-ref", f"refs/remotes/{remote}/{branch}", oid)

    def upstream_branch(self) -> str | None:
        """The short name of HEAD's upstream (e.g. ``origin/main``), if it has one."""
        out = self._run(
            "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}", ok_codes=(0, 128)
        )
        return out.decode().strip() or None

    def messages(self, base: str, head: str, limit: int = 1000) -> list[tuple[str, str]]:
        """(sha, message) of the commits in BASE..HEAD, newest first, at most LIMIT."""
        out = self._run("log", "-z", f"--max-count={limit}", "--format=%H%n%B", f"{base}..{head}")
        records = [r.decode("utf-8", "replace").partition("\n") for r in out.split(b"\0")]
        return [(sha.strip(), body) for sha, _, body in records if sha.strip()]

    def current_branch(self) -> str | None:
        out = self._run("symbolic-ref", "-q", "--short", "HEAD", ok_codes=(0, 1)).decode().strip()
        return out or None

    def push_settings(self, remote: str) -> tuple[list[str], bool]:
        """(``remote.<remote>.push`` refspecs, whether ``push.default`` is ``matching``)."""
        refspecs = self._run("config", "--get-all", f"remote.{remote}.push", ok_codes=(0, 1))
        default = self._run("config", "--get", "push.default", ok_codes=(0, 1))
        return refspecs.decode().split(), default.decode().strip() == "matching"

    def close(self) -> None:
        self._blobs.close()

    # --- commits, trailers, blob sizes (issue 17: commit-format, tests-with-code) -----------
    def commits(self, base: str, head: str, *, limit: int = 2000) -> list[CommitRecord]:
        """The commits in BASE..HEAD, oldest first; more than LIMIT is a GuardsError."""
        shas = self._run("rev-list", "--reverse", "--topo-order", f"{base}..{head}", "--")
        ids = shas.decode().split()
        if len(ids) > limit:
            raise GuardsError(
                f"{len(ids)} commits in {base[:12]}..{head[:12]}; more than {limit} is not judged"
            )
        return [self.commit_record(sha) for sha in ids]

    def commit_record(self, sha: str) -> CommitRecord:
        """One commit's id, parents, author and message (bytes decoded as UTF-8, replaced)."""
        raw = self._run("cat-file", "commit", sha)
        header, _, message = raw.partition(b"\n\n")
        fields = [line.split(b" ", 1) for line in header.split(b"\n") if b" " in line]
        parents = tuple(v.decode() for k, v in fields if k == b"parent")
        author = next((v for k, v in fields if k == b"author"), b"").decode(errors="replace")
        text = message.decode("utf-8", errors="replace")
        subject, _, body = text.partition("\n")
        return CommitRecord(sha, subject, body, parents, author.rsplit(" ", 2)[0], text)

    def blob_size(self, oid: str) -> int:
        """The size of blob OID without reading it (bound the work before it starts)."""
        return int(self._run("cat-file", "-s", oid).strip() or 0)

    def trailers(self, message: str) -> tuple[tuple[str, str], ...]:
        """The trailers of MESSAGE by git's own rules (``git interpret-trailers --parse``),
        fed on stdin: the message never reaches a shell or a command line."""
        out = self._run(
            "interpret-trailers", "--parse", "--no-divider",
            stdin=message.encode("utf-8", errors="surrogateescape"),
        )  # fmt: skip # -- a packed call reads better here
        pairs = [line.partition(":") for line in out.decode(errors="replace").splitlines()]
        return tuple((k.strip(), v.strip()) for k, sep, v in pairs if sep)


@record
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


def _tree_records(out: bytes) -> Iterable[tuple[str, str, str, str]]:
    """(mode, kind, oid, path) of each ``git ls-tree -z`` entry."""
    for entry in out.split(b"\0"):
        if entry:
            meta, _, name = entry.partition(b"\t")
            mode, kind, oid = meta.decode().split()
            yield mode, kind, oid, os.fsdecode(name)


class _BlobReader:
    """Reads blobs by ``<oid>`` or ``<rev>:<path>`` through one long-lived cat-file process.

    The trap: a forked child (a pool's worker) inherits the parent's process and its pipes;
    reading through them would interleave with the parent's requests. The process belongs to
    the pid that started it: a child starts its own, and never closes its parent's. And while
    a child lives it holds the write end of the process's stdin: closing ours sends no EOF, so
    ``close`` kills the process (it holds nothing worth a goodbye) instead of waiting for it
    to end (a wait the garbage collector ran in a pool's result thread, while the workers
    waited on that thread, hung the gate)."""

    def __init__(self, git: Git) -> None:
        self.git = git
        self._proc: subprocess.Popen[bytes] | None = None
        self._owner = 0  # the pid that started _proc

    def read_many(self, specs: Sequence[str]) -> list[bytes | None]:
        """The bytes of each spec, None when it is missing or not a blob."""
        safe = list(dict.fromkeys(s for s in specs if "\n" not in s))
        results = dict(zip(safe, self._batch(safe), strict=True)) if safe else {}
        return [results[s] if s in results else self._by_listing(s) for s in specs]

    def _by_listing(self, spec: str) -> bytes | None:
        """A path with a newline cannot go through --batch: find its blob with ls-tree."""
        rev, _, path = spec.partition(":")
        out = self.git._run("--literal-pathspecs", "ls-tree", "-z", rev, "--", path)
        for _mode, kind, oid, name in _tree_records(out):
            if name == path and kind == "blob":
                return self._batch([oid])[0]
        return None

    def _process(self) -> subprocess.Popen[bytes]:
        if self._owner != os.getpid():
            self._proc, self._owner = None, os.getpid()  # a fork's: its parent's, left alone
        if self._proc is None or self._proc.poll() is not None:
            self._proc = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.git.root,
                env=self.git.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        return self._proc

    def _batch(self, specs: list[str]) -> list[bytes | None]:
        proc = self._process()
        assert proc.stdin is not None and proc.stdout is not None
        payload = "".join(f"{s}\n" for s in specs).encode("utf-8", "surrogateescape")
        if len(payload) <= PIPE_SAFE:  # fits the pipe: the write cannot wait on our reads
            _write(proc.stdin, payload)
            return [_response(proc.stdout) for _ in specs]
        writer = threading.Thread(target=_write, args=(proc.stdin, payload), daemon=True)
        writer.start()
        try:
            return [_response(proc.stdout) for _ in specs]
        finally:
            writer.join()

    def close(self) -> None:
        if self._proc is not None and self._owner == os.getpid():
            if self._proc.stdin:
                self._proc.stdin.close()
            if self._proc.stdout:
                self._proc.stdout.close()
            self._proc.kill()  # a forked child may hold its stdin open: EOF might never come
            self._proc.wait()
            self._proc = None

    def __del__(self) -> None:
        self.close()


def _lines(out: bytes, rev: str) -> list[tuple[str, str]]:
    """(path, line) of each record ``git grep -z`` printed searching REV (``REV:path NUL line
    LF``)."""
    prefix = f"{rev}:".encode()
    return [
        (os.fsdecode(m[1].removeprefix(prefix)), m[2].decode(errors="replace"))
        for m in _GREP_RECORD.finditer(out)
    ]


def _listed(out: bytes, rev: str) -> set[str]:
    """The paths ``git grep -l -z`` printed searching REV (each ``REV:path``)."""
    prefix = f"{rev}:".encode()
    return {os.fsdecode(p.removeprefix(prefix)) for p in out.split(b"\0") if p}


def _batch_output(proc: subprocess.Popen[bytes], out: IO[bytes], count: int) -> list[bytes]:
    """The COUNT blobs ``git cat-file --batch`` (PROC) wrote to the file OUT."""
    with out:
        if proc.wait() != 0:
            raise GuardsError("git cat-file --batch failed reading a tree's files")
        out.seek(0)
        found = [_response(out) for _ in range(count)]
    if any(data is None for data in found):
        raise GuardsError("git cat-file --batch did not find a file its tree lists")
    return [data or b"" for data in found]


def _write(stdin: IO[bytes], payload: bytes) -> None:
    stdin.write(payload)
    stdin.flush()


def _response(out: IO[bytes]) -> bytes | None:
    """One answer of ``cat-file --batch``: ``<oid> <type> <size>`` and the bytes, or
    ``<name> missing`` / ``<name> ambiguous`` (the name may hold spaces)."""
    header = out.readline()
    if not header:
        raise GuardsError("git cat-file --batch ended early")
    if header.rstrip(b"\n").endswith((b" missing", b" ambiguous")):
        return None
    fields = header.split()
    size = int(fields[2])
    data = out.read(size)
    out.read(1)
    return data if fields[1] == b"blob" else None


def _alternations(words: list[str]) -> list[str]:
    """Extended regexes matching any of WORDS, ALTERNATION to a pattern."""
    return ["|".join(words[i : i + ALTERNATION]) for i in range(0, len(words), ALTERNATION)]


def literal_pathspecs(paths: Iterable[str]) -> list[str] | None:
    """Pathspecs naming each of PATHS literally, or None when they are more than MAX_PATHSPECS
    or MAX_PATHSPEC_BYTES (the caller searches wider)."""
    specs = [f":(literal){p}" for p in sorted(paths)]
    if len(specs) > MAX_PATHSPECS or sum(map(len, specs)) > MAX_PATHSPEC_BYTES:
        return None
    return specs
