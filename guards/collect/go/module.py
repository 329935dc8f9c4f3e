"""A Go module at one revision: where its go.mod is, its path, and its packages, loaded once.

Helpers are followed into the module's other packages (``testutil.SkipIfNoDB(t)`` where
``testutil`` is imported from the same module); the standard library and other modules are
not read. The trap: a change to a shared helper skips tests in packages the change does not
touch, so ``widens`` puts the whole module in scope when a non-test ``.go`` file that imports
``testing`` changes.
"""

from __future__ import annotations

import posixpath
import re

from guards.collect.go.package import Loader, Package, load
from guards.collect.interface import Files
from guards.collect.model import Undecidable

MAX_PACKAGES = 500
_MODULE = re.compile(rb"^\s*module\s+\"?([^\s\"/]+[^\s\"]*)\"?", re.MULTILINE)
_TESTING = re.compile(rb"\"testing\"")


def module_of(files: Files, folder: str) -> tuple[str, str]:
    """(folder of the nearest go.mod above FOLDER, its module path)."""
    parts = folder.split("/") if folder else []
    for cut in range(len(parts), -1, -1):
        root = "/".join(parts[:cut])
        name = posixpath.join(root, "go.mod") if root else "go.mod"
        data = files.read(name)
        if data is None:
            continue
        match = _MODULE.search(data)
        if match is None:
            raise Undecidable(name, 1, "no module line in go.mod")
        return root, match.group(1).decode()
    raise Undecidable(folder or ".", 0, "no go.mod above this Go package (GOPATH mode)")


class Packages:
    """The packages of one revision, loaded on first use and kept."""

    def __init__(self, files: Files) -> None:
        self.files = files
        self.loaded: dict[str, Package] = {}

    def package(self, folder: str) -> Package:
        if folder not in self.loaded:
            if len(self.loaded) >= MAX_PACKAGES:
                raise Undecidable(folder, 0, f"helpers reach more than {MAX_PACKAGES} packages")
            root, path = module_of(self.files, folder)
            rest = folder[len(root) :].lstrip("/") if root else folder
            import_path = path + (f"/{rest}" if rest else "")
            loader = self._loader(root, path)
            self.loaded[folder] = load(self.files, folder, import_path, loader)
        return self.loaded[folder]

    def _loader(self, root: str, module: str) -> Loader:
        def resolve(import_path: str) -> Package | None:
            if import_path != module and not import_path.startswith(module + "/"):
                return None
            rest = import_path[len(module) :].lstrip("/")
            folder = posixpath.join(root, rest) if root and rest else (rest or root)
            return self.package(folder) if self.files.list_dir(folder) else None

        return resolve


def widens(path: str, base: Files, head: Files) -> str | None:
    """The module's folder, when PATH is a non-test ``.go`` file importing ``testing``."""
    if not path.endswith(".go") or path.endswith("_test.go"):
        return None
    if not any(_TESTING.search(side.read(path) or b"") for side in (base, head)):
        return None
    for side in (base, head):
        try:
            return module_of(side, posixpath.dirname(path))[0]
        except Undecidable:
            continue
    return None
