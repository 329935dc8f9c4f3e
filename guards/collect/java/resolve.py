"""Types a test file uses from the repository: composed annotations and base classes.

JUnit 5 reads annotations through meta-annotations: ``@interface Later`` annotated
``@Disabled`` (or ``@Tag("slow")``, ``@Test``) makes every ``@Later`` test disabled. A test
class also runs the test methods it inherits, under its own class name. So a unit's
annotations are expanded with the annotations of the annotation types they name, and its
classes get the methods of their superclasses (not overridden by name), wherever those types
are declared in the repository: in the same file, by an exact or wildcard import, or in the
same package, under the file's source root or the sibling ``src/main/java``.

The trap: a type from a library cannot be read and is left as it is; expansion is bounded
(depth and files read) so a cycle of annotations or classes cannot hang the collector, and a
cycle is stopped where it closes (a type already on the chain adds nothing). A chain that goes
on past a bound is Undecidable naming the file and the class, never cut short silently: what
lies beyond could disable a test.
"""

from __future__ import annotations

from dataclasses import replace

from guards.collect.interface import Files
from guards.collect.java import syntax
from guards.collect.java.syntax import Annotation, JClass, Method, Unit
from guards.collect.model import Undecidable

MAX_DEPTH = 6
MAX_READS = 64
LEAVE = frozenset(
    {"Retention", "Target", "Documented", "Inherited", "Repeatable", "Override",
     "SuppressWarnings", "Deprecated", "FunctionalInterface", "SafeVarargs"}
)  # fmt: skip # -- a packed call reads better here


class Resolver:
    """Finds types by simple name as seen from one compilation unit."""

    def __init__(self, files: Files, path: str, unit: Unit) -> None:
        self.files, self.unit, self.reads, self.path = files, unit, 0, path
        self.roots = _roots(path, unit.package)
        self.cache: dict[str, Unit | None] = {}

    def find(self, written: str, kind: str) -> JClass | None:
        simple = written.rsplit(".", 1)[-1]
        local = _declared(self.unit.classes, simple, kind)
        if local is not None:
            return local
        for path in self._candidates(written):
            found = self._load(path)
            hit = _declared(found.classes, simple, kind) if found is not None else None
            if hit is not None:
                return hit
        return None

    def _candidates(self, written: str) -> list[str]:
        simple = written.split("<", 1)[0].strip()
        names = [simple] if "." in simple else []
        names += [i for i in self.unit.imports if i.rsplit(".", 1)[-1] == simple]
        if self.unit.package:
            names.append(f"{self.unit.package}.{simple}")
        names += [i[:-1] + simple for i in self.unit.imports if i.endswith(".*")]
        return [f"{r}/{n.replace('.', '/')}.java".lstrip("/") for n in names for r in self.roots]

    def _load(self, path: str) -> Unit | None:
        if path not in self.cache:
            self.cache[path] = None
            if self.files.exists(path):
                self._count_read(path)
                data = self.files.read(path)
                self.cache[path] = syntax.parse(path, data) if data is not None else None
        return self.cache[path]

    def _count_read(self, path: str) -> None:
        if self.reads >= MAX_READS:
            why = f"resolving its types reads more than {MAX_READS} files (next: {path})"
            raise Undecidable(self.path, 0, why)
        self.reads += 1

    def too_deep(self, line: int, what: str) -> Undecidable:
        return Undecidable(self.path, line, f"{what} more than {MAX_DEPTH} levels deep")


def _roots(path: str, package: str) -> list[str]:
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    suffix = package.replace(".", "/")
    root = folder[: -len(suffix)].rstrip("/") if suffix and folder.endswith(suffix) else folder
    roots = [root]
    if root.endswith("src/test/java"):
        roots.append(root[: -len("src/test/java")] + "src/main/java")
    return roots


def _declared(classes: tuple[JClass, ...], name: str, kind: str) -> JClass | None:
    for cls in classes:
        if cls.name == name and cls.kind == kind:
            return cls
        inner = _declared(cls.inner, name, kind)
        if inner is not None:
            return inner
    return None


def expand(unit: Unit, resolver: Resolver) -> Unit:
    """UNIT with composed annotations expanded and inherited methods added to its classes."""
    return replace(unit, classes=tuple(_class(c, resolver) for c in unit.classes))


def _class(cls: JClass, resolver: Resolver) -> JClass:
    methods = cls.methods + _inherited(cls, resolver)
    return replace(
        cls,
        annotations=_annotations(cls.annotations, resolver, 0),
        methods=tuple(
            replace(m, annotations=_annotations(m.annotations, resolver, 0)) for m in methods
        ),
        inner=tuple(_class(i, resolver) for i in cls.inner),
    )


def _inherited(cls: JClass, resolver: Resolver) -> tuple[Method, ...]:
    found: list[Method] = []
    names = {m.name for m in cls.methods}
    current, depth, chain = cls, 0, [cls]
    while current.superclass:
        base = resolver.find(current.superclass.split("<", 1)[0].strip(), "class")
        if base is None or any(base is seen for seen in chain):
            break
        if depth >= MAX_DEPTH:
            raise resolver.too_deep(cls.line, f"class {cls.name} extends classes")
        chain.append(base)
        found += [m for m in base.methods if m.name not in names]
        names |= {m.name for m in base.methods}
        current, depth = base, depth + 1
    return tuple(found)


def _annotations(
    annotations: tuple[Annotation, ...],
    resolver: Resolver,
    depth: int,
    chain: tuple[Annotation, ...] = (),
) -> tuple[Annotation, ...]:
    """ANNOTATIONS and what they stand for; CHAIN: the uses that led here (the first is in
    the file being read, where an Undecidable points)."""
    out = list(annotations)
    for ann in annotations:
        if ann.name in LEAVE or any(ann.name == c.name for c in chain):
            continue  # a cycle closes here: nothing new lies beyond
        decl = resolver.find(ann.written, "annotation")
        if decl is None:
            continue
        if depth >= MAX_DEPTH:
            top = chain[0] if chain else ann
            raise resolver.too_deep(top.line, f"@{top.name} stands for annotations (@{ann.name})")
        inner = _annotations(decl.annotations, resolver, depth + 1, (*chain, ann))
        out += [_via(ann, meta) for meta in inner if meta.name not in LEAVE]
    return tuple(out)


def _via(use: Annotation, meta: Annotation) -> Annotation:
    """META as if written where USE is: same line, text naming both."""
    return replace(meta, line=use.line, text=f"@{use.name} ({meta.text})")
