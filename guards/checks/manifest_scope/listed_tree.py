"""Tree entries at one revision, one ``git ls-tree`` per folder however many links ask.

Resolving a changed symlink looks up every component of every path it could open
(``core.links.follow``), and ``Git.entry`` runs one ``git ls-tree`` per lookup: five or more
processes per link, so a PR adding 200 links spent 14 s in them. ``ListedTree`` is the same
``Git`` whose ``entry`` at the run's head answers from the listing of the entry's folder, read
once (``git ls-tree -z --full-tree HEAD -- folder/``): the work grows with the folders the
links touch, not with lookups. The answer is the one ``Git.entry`` gives: the record whose
name is the path, mode and oid as git lists them, None when the folder holds no such entry
(a missing folder, or a file or link where a folder would be, lists nothing). A path that is
not a plain relative path (empty parts, a leading slash) and any other revision go to
``Git.entry`` itself.
"""

from __future__ import annotations

import posixpath

from guards.core.git import Git, _tree_records

Listing = dict[str, tuple[str, str]]


class ListedTree(Git):
    """GIT with ``entry`` at REV answered from cached folder listings (shares GIT's state)."""

    def __init__(self, git: Git, rev: str) -> None:  # no super().__init__: GIT is already one
        self.__dict__.update(git.__dict__)
        self._rev = rev
        self._folders: dict[str, Listing] = {}

    def entry(self, rev: str, path: str) -> tuple[str, str] | None:
        if rev != self._rev or not plain(path):
            return super().entry(rev, path)
        return self.listing(posixpath.dirname(path)).get(path)

    @property
    def listed(self) -> tuple[str, ...]:
        """The folders listed so far (each once)."""
        return tuple(self._folders)

    def listing(self, folder: str) -> Listing:
        """name -> (mode, oid) of every entry directly in FOLDER at the revision ("" the root)."""
        if folder not in self._folders:
            where = ["--", f"{folder}/"] if folder else []
            out = self._run(
                "--literal-pathspecs", "ls-tree", "-z", "--full-tree", self._rev, *where
            )
            self._folders[folder] = {name: (mode, oid) for mode, _, oid, name in _tree_records(out)}
        return self._folders[folder]


def plain(path: str) -> bool:
    """A relative path without empty parts: the kind a folder listing can answer."""
    return bool(path) and not path.startswith("/") and "" not in path.split("/")
