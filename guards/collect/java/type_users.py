"""Which Java files a change to a Java file can alter the tests of, read from text.

A changed class can skip tests in other files only where they name it: a test that extends it
(``extends BaseIT``), an annotation composed with it (``@SlowTest`` meta-annotated
``@Disabled``), an extension or a condition it names (``@ExtendWith(Gate.class)``,
``@EnabledIf("app.Gate#on")``), a constant it holds (``named = Props.CI``). So the files of the
changed file's module (the folder of its nearest build file) that name, as a word, a type the
changed file declares at base or at head are in scope, and, of those, the ones that build a type
on it (``extends``, ``implements``, an annotation) bring the files that name their types, to a
fixed point (``A extends B extends C``: a change to C reaches A; a file that only calls
``StopWatch`` brings nothing more). Before, every test file of the module was read (commons-lang:
5,757 tests for any change, 6-7 s).

The traps: a name may be spelled with Unicode escapes (``B\\u0061se``), so a file is searched
as javac reads it (core/java_text.py); a nested type is declared too (``Outer.Inner`` names
``Inner``); the search covers both revisions, so a file that stops naming a type is still read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from guards.collect.interface import Files
from guards.collect.java import syntax
from guards.collect.treesitter import text, walk
from guards.core import java_text, syntax_tree
from guards.errors import GuardsError
from guards.linear_re import any_word, compile_linear

DECLARATIONS = frozenset(
    {"class_declaration", "interface_declaration", "enum_declaration", "record_declaration",
     "annotation_type_declaration"}
)  # fmt: skip # -- a packed set reads better
Module = Callable[[str], str]  # the module folder of a file's folder


def dependents(changed: Iterable[str], sides: tuple[Files, ...], module: Module) -> set[str]:
    """The Java files, other than CHANGED, whose tests a change to CHANGED can alter."""
    java = [p for p in changed if p.endswith(".java")]
    by_module: dict[str, set[str]] = {}  # each module searched once for all its changed types
    for path in java:
        names = set().union(*(declared(side.read(path)) for side in sides))
        by_module.setdefault(module(path.rpartition("/")[0]), set()).update(names)
    found = {p for f, names in by_module.items() for side in sides for p in _naming(side, f, names)}
    return found - set(java)


def declared(data: bytes | None) -> set[str]:
    """The names of the types DATA declares (nested ones too), from its parse: a word after
    ``class`` in a comment is none. A file tree-sitter cannot read declares nothing here (the
    collector reports it where it reads it)."""
    return _declared(java_text.translated(data or b""))


def _declared(source: bytes) -> set[str]:
    """``declared`` of SOURCE, already as javac reads it."""
    try:
        root = syntax_tree.parse(syntax.parser(), source, "a Java file").root_node
    except GuardsError:  # too slow to parse: it declares nothing here (the collector reports it)
        return set()
    kinds = (n for n in walk(root) if n.type in DECLARATIONS)
    return {text(n.child_by_field_name("name")) for n in kinds} - {""}


def _naming(files: Files, folder: str, names: set[str]) -> set[str]:
    """The Java files below FOLDER that name one of NAMES, or a type such a file declares."""
    texts = {p: b"" for p in files.below(folder) if p.endswith(".java")}
    found: set[str] = set()
    seen, frontier = set(names), set(names)
    while frontier:
        words = any_word(tuple(sorted(frontier)))
        fresh = {p for p in texts.keys() - found if words.search(_text(files, texts, p))}
        found |= fresh
        heir = _heir(frontier)
        heirs = [p for p in fresh if heir.search(texts[p])]
        frontier = set().union(*(_declared(texts[p]) for p in heirs)) - seen
        seen |= frontier
    return found


def _heir(names: set[str]) -> Any:
    """What a text says to build a type on one of NAMES, whose own users a change to it
    reaches: a type declaration's header ``extends``/``implements`` it (not a generic bound,
    ``<T extends Comparable<T>>`` in a method), or it annotates with it (a composed
    annotation). Compiled once a round."""
    alternatives = "|".join(re.escape(n) for n in sorted(names))
    header = r"\b(?:class|interface|enum|record)\s+[\w$]+[^{;()]*?\b(?:extends|implements)\b[^{;]*?"
    heir = rf"(?:{header}|@\s*(?:[\w$]+\s*\.\s*)*)\b(?:{alternatives})\b"
    return compile_linear(heir.encode())


def _text(files: Files, texts: dict[str, bytes], path: str) -> bytes:
    """PATH's text as javac reads it, read once."""
    if not texts[path]:
        texts[path] = java_text.translated(files.read(path) or b"")
    return texts[path]
