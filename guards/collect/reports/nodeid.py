"""pytest's JUnit ``classname`` + ``name`` back to its node id (``path::Class::name[param]``).

pytest writes ``classname`` as the node id's path with ``/`` turned into ``.`` and ``.py``
dropped, followed by the classes: ``tests.unit.test_a.TestX``. The split between module and
class is ambiguous (dotted folder names, lower-case classes), so it is resolved against the
Python files of the revision the report is compared with: the longest dotted prefix that is
a file there is the module (else the one file it is a dotted suffix of: pytest's rootdir was a
subfolder; the node id is then the repository path). Without a match, the first segment that
starts upper-case begins the classes. ``name`` keeps its parametrize id intact (pytest only
splits before ``[``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def dotted_files(py_files: Iterable[str]) -> dict[str, str]:
    """``tests.test_a`` -> ``tests/test_a.py`` for every Python file."""
    return {p[:-3].replace("/", "."): p for p in py_files if p.endswith(".py")}


def node_id(classname: str, name: str, file: str, modules: Mapping[str, str]) -> str:
    """The node id of one pytest testcase."""
    path, classes = split(classname, file, modules)
    return "::".join([path, *classes, name]) if path else name


def split(classname: str, file: str, modules: Mapping[str, str]) -> tuple[str, list[str]]:
    """(module path, classes) of a pytest classname."""
    parts = classname.split(".") if classname else []
    if file.endswith(".py"):
        module = file[:-3].replace("/", ".").split(".")
        if parts[: len(module)] == module:
            return file, parts[len(module) :]
    for cut in range(len(parts), 0, -1):
        found = modules.get(".".join(parts[:cut])) or _below(".".join(parts[:cut]), modules)
        if found:
            return found, parts[cut:]
    return _guess(parts)


def _below(dotted: str, modules: Mapping[str, str]) -> str | None:
    """The one file whose dotted path ends with DOTTED: pytest ran with its rootdir in a
    subfolder (``backend/tests/test_a.py`` reported as ``tests.test_a``)."""
    found = [path for key, path in modules.items() if key.endswith("." + dotted)]
    return found[0] if len(found) == 1 else None


def _guess(parts: list[str]) -> tuple[str, list[str]]:
    cut = next((i for i, p in enumerate(parts) if p[:1].isupper()), len(parts))
    if cut == 0:
        return "", parts
    return "/".join(parts[:cut]) + ".py", parts[cut:]
