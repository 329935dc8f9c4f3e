"""A content-addressed cache of the facts one parse of one blob yields (parsing/facts.py).

The facts of a file depend only on its bytes, its path, the analysis options and the code that
extracts them; so an entry is keyed by the git blob id of the bytes, the path, the options, the
Python version and a fingerprint of the extracting code (all of guards/collect/python, the
model, this module, and the core modules that decode and check a module's text). A new guards
version, or any edit to that code, changes the fingerprint: entries are never trusted across
versions.

Where: ``$GUARDS_CACHE_DIR`` when set (``off`` disables the cache), else ``guards-cache/`` in
the repository's git directory. The size is bounded (``$GUARDS_CACHE_MAX_MB``, 256 by
default): past the bound the oldest entries go. A run does not count the entries (a stat each)
unless the ledger (``sizes``: a count, then a line per run that wrote since) says the bound may be
passed. The ledger can be low (by what concurrent runs wrote while one counted, or what a forged
ledger hides), never for long: every run adds what it writes, so a count comes at the latest once
runs have written the bound's worth since the last one. Writes are atomic (a private temporary file,
then ``os.replace``), so concurrent runs never read half an entry.

Within one process the facts of a key are also held in memory (even with the cache off), so
the base and head sides of a change analyze a blob they share once.

The trap: a cache is input. Entries are pickles read by an unpickler that resolves only the
fact classes (any other global is refused: an entry cannot name a function to call), so a
poisoned entry can at most be wrong facts; an entry that does not decode, or holds anything
else, is a miss. In CI the reusable workflow restores a cache saved
only by pushes to the default branch, so a pull request cannot write what another one reads.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, overload

from guards import __version__
from guards.collect import model
from guards.collect.python.parsing import facts
from guards.core.git import Git
from guards.core.oids import blob_id

ENV_DIR = "GUARDS_CACHE_DIR"
ENV_MAX = "GUARDS_CACHE_MAX_MB"
DEFAULT_MAX_MB = 256
LEDGER = "sizes"  # the bytes stored: a count, then a line per run that wrote since (trim)
MAX_LEDGER_LINES = 1_000  # past this many lines a run counts again and starts a new ledger
O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # never append through a planted link
MAX_HELD = 20_000  # facts held in memory by one process (both sides of a change share blobs)
CLASSES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        facts.Module, facts.Func, facts.Klass, facts.MarkUse, facts.Params, facts.Ref,
        facts.Fixture, facts.Conftest, facts.HookRule, facts.DataRef, facts.IgnoreList,
        facts.IgnoreGap, facts.Body, model.Skip, model.Def,
    )
}  # fmt: skip # -- packed lists read better than one item a line
PYTHON_TEXT = ("core/python_text.py", "core/pysyntax.py")  # what decodes and checks a module
# every module analysis can import, and what reads a module's text for it
_FINGERPRINTED = ("collect/python", "collect/model.py", *PYTHON_TEXT)
T = TypeVar("T")


class Invalid(ValueError):
    """An entry that is not what this cache writes: a miss."""


class FactCache:
    """Facts by content. ROOT None: a cache that holds nothing (disabled)."""

    def __init__(self, root: Path | None, max_bytes: int = DEFAULT_MAX_MB << 20) -> None:
        self.root, self.max_bytes = root, max_bytes
        self.written = 0
        self.trimmed = 0  # what written was at the last trim()
        self.memory: dict[str, facts.Module] = {}  # this process's: base and head share blobs
        self.writable = True

    def get(self, key: str) -> facts.Module | None:
        if key in self.memory or self.root is None:
            return self.memory.get(key)
        try:
            found = decode((self.root / key[:2] / key).read_bytes())
        except Exception:  # absent, unreadable or corrupt (unpickling raises many kinds): a miss
            return None
        return self._hold(key, found)

    def _hold(self, key: str, module: facts.Module) -> facts.Module:
        if len(self.memory) >= MAX_HELD:
            self.memory.clear()  # a long-lived process (tests) starts over; facts are immutable
        self.memory[key] = module
        return module

    def put(self, key: str, module: facts.Module) -> None:
        self._hold(key, module)
        raw = self.encoded(module)
        if raw is not None:
            self.put_raw(key, raw)

    def encoded(self, module: facts.Module) -> bytes | None:
        """The bytes ``put`` stores for MODULE; None where this cache holds nothing, or cannot
        hold these facts faithfully (they are not stored). A worker that links the facts it
        analyzed sends these to its parent, which stores them (collector.py)."""
        if self.root is None:
            return None
        try:
            return encode(module)
        except (Invalid, pickle.PicklingError, RecursionError, TypeError, AttributeError):
            return None

    def adopt(self, key: str, answer: facts.Module | bytes) -> facts.Module:
        """The facts ANSWER holds, stored under KEY. A worker process's pickle (bytes) is read
        once, by this cache's unpickler, and stored as it is: what the run uses is exactly what
        is stored, and nothing is pickled again. A pickle this cache would refuse comes from
        this process's own worker, not from the store: it is read as it is and not stored."""
        if not isinstance(answer, bytes):
            self.put(key, answer)
            return answer
        try:
            module = decode(answer)
        except Exception:  # facts this cache cannot hold faithfully (see put): not stored
            return self._hold(key, pickle.loads(answer))
        self.put_raw(key, answer)
        return self._hold(key, module)

    def keep(self, key: str | None) -> bool:
        """Whether KEY is stored; if so it is marked recent, so that trim() keeps it."""
        if key is None or self.root is None:
            return False
        try:
            os.utime(self.root / key[:2] / key)
        except OSError:
            return False
        return True

    def release(self) -> None:
        """Let go of the facts held in memory (they stay on disk)."""
        self.memory.clear()

    def size(self) -> int:
        """Bytes stored, under every fingerprint (what trim() bounds)."""
        if self.root is None:
            return 0
        return sum(size for _, size, _ in _entries(self.root.parent))

    def get_raw(self, key: str) -> bytes | None:
        """The bytes stored under KEY (a record that is not facts), None when absent."""
        if self.root is None:
            return None
        try:
            return (self.root / key[:2] / key).read_bytes()
        except OSError:
            return None

    @overload
    def record(
        self,
        key: str | None,
        decode: Callable[[bytes], T | None],
        compute: Callable[[], T],
        encode: Callable[[T], bytes],
    ) -> T: ...

    @overload
    def record(
        self,
        key: str | None,
        decode: Callable[[bytes], T | None],
        compute: Callable[[], T | None],
        encode: Callable[[T], bytes],
    ) -> T | None: ...

    def record(
        self,
        key: str | None,
        decode: Callable[[bytes], T | None],
        compute: Callable[[], T | None],
        encode: Callable[[T], bytes],
    ) -> T | None:
        """The record stored under KEY as DECODE reads it (None: a miss; a record is input),
        else COMPUTE's answer, stored with ENCODE unless it is None. No KEY: COMPUTE's answer,
        neither read nor stored."""
        found = decode(self.get_raw(key) or b"") if key else None
        if found is None:
            found = compute()
            if found is not None and key:
                self.put_raw(key, encode(found))
        return found

    def put_raw(self, key: str, raw: bytes) -> None:
        if self.root is not None and self.writable:
            self._write(self.root / key[:2], key, raw)

    def read_only(self) -> None:
        """Read the store, write nothing: a forked child that may be killed mid-write (leaving
        a temporary file) and would add nothing to the ledger leaves its facts to its parent,
        which stores what it takes and counts it (sources/lookahead.py)."""
        self.writable = False

    def _write(self, folder: Path, name: str, raw: bytes) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{name[:8]}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
            # O_EXCL: never through a planted file or link; tempfile costs 6 ms of imports
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(raw)
            os.replace(tmp, folder / name)
            self.written += len(raw)
        except OSError:
            return  # a cache that cannot be written is a slower run, not an error

    def trim(self) -> None:
        """Keep the cache under its bound after a run that wrote (once per batch of writes, not
        once per caller). Counting the entries costs a stat each, and a full cache holds tens
        of thousands: so a run adds what it wrote to the ledger, and counts (dropping the oldest
        entries while over the bound) only when the ledger says the bound may be passed, or the
        ledger is absent, unreadable or long."""
        if self.root is None or self.written == self.trimmed or not self.root.parent.is_dir():
            return
        grown, self.trimmed = self.written - self.trimmed, self.written
        ledger = self.root.parent / LEDGER
        known = _ledger_total(ledger)
        if known is not None and known + grown <= self.max_bytes:
            _append(ledger, grown)
        else:
            _replace(ledger, _count_and_trim(self.root.parent, self.max_bytes))


def key_of(path: str, data: bytes, options: object) -> str:
    """The entry name of PATH holding DATA under OPTIONS (a frozen dataclass)."""
    return key_for(path, blob_id(data), options)


def key_for(path: str, blob: str, options: object) -> str:
    """``key_of`` from the blob id of the bytes, for a caller that needs the id too."""
    text = f"{path}\0{options!r}\0{blob}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def for_git(git: Git) -> FactCache:
    """The cache of GIT's repository (see the module docstring for where it lives)."""
    chosen = os.environ.get(ENV_DIR)
    if chosen is not None:
        off = chosen.strip().lower() in ("off", "0", "none", "")
        return _OFF if off else _at(str(Path(chosen).absolute()))
    return _at(str(Path(git.root, git.git_path("guards-cache")).absolute()))


_OFF = FactCache(None)  # disabled on disk; still shares facts within the process


@lru_cache(maxsize=8)
def _at(folder: str) -> FactCache:
    base = Path(folder)
    try:
        max_mb = int(os.environ.get(ENV_MAX, DEFAULT_MAX_MB))
    except ValueError:
        max_mb = DEFAULT_MAX_MB
    return FactCache(base / fingerprint(), max(max_mb, 1) << 20)


@lru_cache(maxsize=4)
def fingerprint(parts: tuple[str, ...] = _FINGERPRINTED) -> str:
    """The guards version, the Python version and the text of the code that makes facts (or
    of the modules under PARTS, paths inside the guards package: another record's code)."""
    here = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{__version__}\0{sys.version}".encode())
    files = [Path(__file__).resolve()]
    for part in parts:
        target = here / part
        files += sorted(target.rglob("*.py")) if target.is_dir() else [target]
    for file in files:
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:24]


def encode(module: facts.Module) -> bytes:
    """MODULE as bytes that ``decode`` reads back; Invalid when it holds anything outside
    the fact classes and plain values (checked by reading it back)."""
    raw = pickle.dumps(module, protocol=pickle.HIGHEST_PROTOCOL)
    if decode(raw) != module:
        raise Invalid("the facts do not read back equal")
    return raw


def decode(raw: bytes) -> facts.Module:
    """The facts in RAW; Invalid for anything but a Module built of the fact classes."""
    value = _FactUnpickler(io.BytesIO(raw)).load()
    if not isinstance(value, facts.Module):
        raise Invalid("not a module's facts")
    return value


class _FactUnpickler(pickle.Unpickler):
    """Unpickles the fact classes and plain values only: any other global is refused, so an
    entry can never name a function to call (pickle's documented "restricting globals")."""

    def find_class(self, module: str, name: str) -> Any:
        cls = CLASSES.get(name)
        if cls is None or cls.__module__ != module:
            raise Invalid(f"{module}.{name} is not a fact class")
        return cls


def _entries(root: Path) -> list[tuple[float, int, Path]]:
    """(mtime, size, path) of every entry two folders below ROOT (fingerprint, key prefix):
    ``os.scandir``, not a glob (a warmed cache holds thousands, read by every run that wrote)."""
    out: list[tuple[float, int, Path]] = []
    for folder in _folders(str(root)):
        for sub in _folders(folder):
            try:
                with os.scandir(sub) as found:
                    for entry in found:
                        stat = entry.stat(follow_symlinks=False)
                        out.append((stat.st_mtime, stat.st_size, Path(entry.path)))
            except OSError:
                continue
    return out


def _count_and_trim(root: Path, max_bytes: int) -> int:
    """Bytes stored under ROOT once the oldest entries past MAX_BYTES are gone."""
    entries = _entries(root)
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= max_bytes:
            break
        try:
            path.unlink()
            total -= size
        except OSError:
            continue
    return total


def _ledger_total(path: Path) -> int | None:
    """The bytes the ledger at PATH says are stored: its lines' sum (a count, then what each run
    wrote since). None when absent, unreadable, not lines of digits, or past MAX_LEDGER_LINES
    (then the caller counts, and the count starts a new ledger)."""
    try:
        with open(path, "rb") as ledger:
            raw = ledger.read(MAX_LEDGER_LINES * 21)
    except OSError:
        return None
    lines = raw.split(b"\n")
    if lines.pop() != b"" or len(lines) >= MAX_LEDGER_LINES or not all(map(bytes.isdigit, lines)):
        return None  # a torn or foreign ledger, or one long enough to count anew
    return sum(map(int, lines))


def _append(path: Path, grown: int) -> None:
    """One line to the ledger (O_APPEND: concurrent runs' lines do not overwrite each other)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "ab") as ledger:
            ledger.write(b"%d\n" % grown)
    except OSError:
        return  # a ledger that cannot be written is counted anew next time


def _replace(path: Path, total: int) -> None:
    """A new ledger holding the count TOTAL (atomically: a private file, then a rename)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(6).hex()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as ledger:
            ledger.write(b"%d\n" % total)
        os.replace(tmp, path)
    except OSError:
        return


def _folders(path: str) -> list[str]:
    try:
        with os.scandir(path) as found:
            return [e.path for e in found if e.is_dir(follow_symlinks=False)]
    except OSError:
        return []
