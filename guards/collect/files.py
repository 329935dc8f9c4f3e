"""``Files`` over one revision, read through the git gateway (guards/core/git.py).

No git process starts here: reads go through the gateway's one ``cat-file --batch`` reader
(by blob id when the listing is known), listings through its ``ls-tree``; both are cached.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

from guards.core.git import Git


class RevisionFiles:
    """One revision's files, as a language collector reads them."""

    def __init__(self, git: Git, rev: str, listing: dict[str, str] | None = None) -> None:
        self.git, self.rev, self.listing = git, rev, listing
        self._bytes: dict[str, bytes | None] = {}

    def read(self, path: str) -> bytes | None:
        if path not in self._bytes:
            if self.listing is not None:
                oid = self.listing.get(path)
                found = self.git.read_many([oid])[0] if oid else None
            else:
                found = self.git.read_many([f"{self.rev}:{path}"])[0]
            self._bytes[path] = found
        return self._bytes[path]

    def exists(self, path: str) -> bool:
        return self.read(path) is not None

    def list_dir(self, folder: str) -> Sequence[str]:
        folder = folder.strip("/")
        return sorted(p for p in self.below(folder) if posixpath.dirname(p) == folder)

    def below(self, folder: str) -> list[str]:
        """Every file in FOLDER's subtree ("" for the whole tree)."""
        folder = folder.strip("/")
        if self.listing is not None:
            return sorted(p for p in self.listing if not folder or p.startswith(folder + "/"))
        return sorted(self.git.list_files(self.rev, [folder] if folder else []))
