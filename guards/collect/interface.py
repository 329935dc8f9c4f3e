"""What a language's static collector offers skip-set and ``guards skips list``.

A collector module (``guards/collect/<language>/__init__.py``) exposes:

- ``LANGUAGE``: its name (``"go"``);
- ``GREP_TERMS``: fixed strings, one of which a file must contain to possibly hold a skip
  (one ``git grep`` over the revision finds the candidates; only those are parsed);
- ``claims(path) -> bool``: PATH is a test file of this language (or a config file that can
  change which tests run, such as jest.config.js, Cargo.toml, pom.xml);
- ``collect(files, paths) -> list[FileResult]``: the tests of the test files among PATHS, each
  a ``TestItem`` whose ``nodeid`` is the identity the runner's own report uses, with the
  ``Skip`` records that keep it from running.

Optional, for ``guards skips list``: ``unconditional(files, paths)``, the files among PATHS to
read whatever their text (a test file a runner configuration drops: every test it declares is
skipped), and ``DECLARES``, words one of which a file must hold to declare any test (asked
first with one ``git grep -w``: of babel's 16,509 fixture files that jest drops, the 1,500
that say ``it``, ``test`` or ``describe`` are read, not all).

The trap: a collector reads a revision, never the working tree, and only through ``Files``
(so it never starts git itself, and the same code serves base and head).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Files(Protocol):
    """One revision's files, read through the git layer."""

    def read(self, path: str) -> bytes | None:
        """The bytes of PATH at this revision, None when it is not a file there."""

    def exists(self, path: str) -> bool:
        """PATH is a file at this revision."""

    def list_dir(self, folder: str) -> Sequence[str]:
        """The paths of the files directly inside FOLDER ("" for the root) at this revision."""

    def below(self, folder: str) -> Sequence[str]:
        """The paths of every file in FOLDER's subtree ("" for the whole tree) at this revision."""
