"""Annotations that keep a Java test from running: JUnit 4/5 and TestNG (pure).

Decided for the platform the gate assumes (linux, Java 17) where the argument is literal:
``@DisabledOnOs(OS.LINUX)`` is a skip, ``@DisabledOnOs(OS.WINDOWS)`` is not. Any other
condition (``@EnabledIf*``/``@DisabledIf*``, an OS or JRE given by a constant, an
``architectures`` filter) is a conditional skip (kind ``skipif``) whose detail is the
annotation as written: a new condition is a new way not to run, so it counts.

The trap: names are matched by their simple name (``@org.junit.Ignore`` is ``Ignore``), so a
project's own ``@Disabled`` annotation counts too: over-counting is the safe direction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from guards.collect.java.syntax import Annotation, Expr, Value
from guards.collect.model import Skip

OS_NAME = "LINUX"
OS_CONSTANTS = frozenset(
    {"AIX", "FREEBSD", "LINUX", "MAC", "OPENBSD", "SOLARIS", "WINDOWS", "OTHER"}
)
JAVA = 17
ASSUME_NAMES = frozenset(
    {"assumeTrue", "assumeFalse", "assumeThat", "assumeNotNull", "assumeNoException", "abort"}
)
ASSUME_RECEIVERS = frozenset({"", "Assume", "Assumptions", "Assumptions.assumeThat"})
SKIP_EXCEPTIONS = frozenset(
    {"SkipException", "AssumptionViolatedException", "TestAbortedException", "TestSkippedException"}
)


def skips(annotations: Iterable[Annotation], testng: bool) -> list[Skip]:
    """The skips the annotations on one element (class or method) cause."""
    found = []
    for ann in annotations:
        rule = _RULES.get(ann.name) or _prefix_rule(ann.name)
        skip = rule(ann, testng) if rule is not None else None
        if skip is not None:
            found.append(skip)
    return found


def _disabled(ann: Annotation, testng: bool) -> Skip | None:
    reason = ann.arg("value")
    why = f": {reason}" if isinstance(reason, str) and reason else ""
    composed = not ann.text.startswith((f"@{ann.written}", f"@{ann.name}"))
    via = f" through {ann.text.split(' ', 1)[0]}" if composed else ""
    return Skip("skip", ann.line, f"@{ann.name}{why}{via}")


def _test(ann: Annotation, testng: bool) -> Skip | None:
    enabled = ann.arg("enabled")
    if enabled is None or enabled is True:
        return None
    if enabled is False:
        return Skip("skip", ann.line, "@Test(enabled = false)")
    return Skip("skipif", ann.line, f"@Test(enabled = {_show(enabled)})")


def _on_os(enable: bool) -> Callable[[Annotation, bool], Skip | None]:
    def rule(ann: Annotation, testng: bool) -> Skip | None:
        listed = _names(ann.arg("value"))
        if listed is None or ann.arg("architectures") is not None:
            return _conditional(ann, testng)
        runs = (OS_NAME in listed) == enable
        return None if runs else Skip("skip", ann.line, f"{ann.text} on {OS_NAME.lower()}")

    return rule


def _on_jre(enable: bool) -> Callable[[Annotation, bool], Skip | None]:
    def rule(ann: Annotation, testng: bool) -> Skip | None:
        versions = _jres(ann.arg("value") if ann.arg("value") is not None else ann.arg("versions"))
        if versions is None:
            return _conditional(ann, testng)
        runs = (JAVA in versions) == enable
        return None if runs else Skip("skip", ann.line, f"{ann.text} on Java {JAVA}")

    return rule


def _jre_range(enable: bool) -> Callable[[Annotation, bool], Skip | None]:
    def rule(ann: Annotation, testng: bool) -> Skip | None:
        low = _bound(ann, "min", "minVersion", 8)
        high = _bound(ann, "max", "maxVersion", 10_000)
        if low is None or high is None:
            return _conditional(ann, testng)
        runs = (low <= JAVA <= high) == enable
        return None if runs else Skip("skip", ann.line, f"{ann.text} on Java {JAVA}")

    return rule


def _bound(ann: Annotation, enum_key: str, int_key: str, default: int) -> int | None:
    given, number = ann.arg(enum_key), ann.arg(int_key)
    if given is None and number is None:
        return default
    if isinstance(number, int) and not isinstance(number, bool) and given is None:
        return number
    versions = _jres(given) if number is None else None
    return versions[0] if versions is not None and len(versions) == 1 else None


def _native(enable: bool) -> Callable[[Annotation, bool], Skip | None]:
    def rule(ann: Annotation, testng: bool) -> Skip | None:
        return Skip("skip", ann.line, f"{ann.text} (not a native image)") if enable else None

    return rule


def _conditional(ann: Annotation, testng: bool) -> Skip | None:
    return Skip("skipif", ann.line, ann.text)


def _prefix_rule(name: str) -> Callable[[Annotation, bool], Skip | None] | None:
    prefixes = ("EnabledIf", "DisabledIf", "EnabledOn", "DisabledOn", "EnabledFor", "DisabledFor")
    return _conditional if name.startswith(prefixes) else None


def _names(value: Value | None, enum: str = "OS") -> list[str] | None:
    """``OS.LINUX`` / ``{OS.LINUX, MAC}`` as constant names of ENUM; None when not literal."""
    items = value if isinstance(value, tuple) else (value,)
    names = []
    for item in items:
        if not isinstance(item, Expr):
            return None
        owner, _, name = item.text.rpartition(".")
        if owner not in ("", enum, f"org.junit.jupiter.api.condition.{enum}") or not _constant(
            name, enum
        ):
            return None
        names.append(name)
    return names


def _constant(name: str, enum: str) -> bool:
    if enum == "OS":
        return name in OS_CONSTANTS
    return name == "OTHER" or (name.startswith("JAVA_") and name[5:].isdigit())


def _jres(value: Value | None) -> list[int] | None:
    names = _names(value, "JRE") if value is not None else None
    if names is None:
        return None
    versions = [int(n[5:]) for n in names if n.startswith("JAVA_") and n[5:].isdigit()]
    return versions if len(versions) == len(names) else None


def _show(value: Value) -> str:
    return value.text if isinstance(value, Expr) else repr(value)


_RULES: dict[str, Callable[[Annotation, bool], Skip | None]] = {
    "Disabled": _disabled,
    "Ignore": _disabled,
    "Test": _test,
    "DisabledOnOs": _on_os(False),
    "EnabledOnOs": _on_os(True),
    "DisabledOnJre": _on_jre(False),
    "EnabledOnJre": _on_jre(True),
    "DisabledForJreRange": _jre_range(False),
    "EnabledForJreRange": _jre_range(True),
    "EnabledInNativeImage": _native(True),
    "DisabledInNativeImage": _native(False),
}
