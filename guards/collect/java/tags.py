"""Tags of a Java test: ``@Tag``, ``@Tags``, JUnit 4 ``@Category``, TestNG ``groups`` (pure).

A category is kept as written (``Slow`` from ``Slow.class``, ``com.x.Slow``); the build's
names are compared by their last dotted part too, since a pom names categories fully.
"""

from __future__ import annotations

from collections.abc import Iterable

from guards.collect.java.syntax import Annotation, Expr


def of(annotations: Iterable[Annotation]) -> frozenset[str]:
    """``@Tag("x")``, ``@Tags({...})``, ``@Category(Slow.class)``, TestNG ``groups``."""
    found: set[str] = set()
    for ann in annotations:
        if ann.name in ("Tag", "Category"):
            found |= _strings(ann.arg("value"))
        elif ann.name == "Tags":
            found |= {t for inner in _flat(ann.arg("value")) for t in _tag_text(inner)}
        elif ann.name == "Test":
            found |= _strings(ann.arg("groups"))
    return frozenset(found)


def _tag_text(value: object) -> set[str]:
    text = value.text if isinstance(value, Expr) else ""
    return {text.split('"')[1]} if text.startswith("@Tag(") and text.count('"') >= 2 else set()


def _flat(value: object) -> tuple[object, ...]:
    return value if isinstance(value, tuple) else (value,) if value is not None else ()


def _strings(value: object) -> set[str]:
    found = set()
    for item in _flat(value):
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, Expr):
            found.add(item.text.removesuffix(".class").strip())
    return found
