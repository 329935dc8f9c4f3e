"""Assumptions: the calls and throws that skip a Java test while it runs (pure).

``Assume.*`` (JUnit 4), ``Assumptions.assume*``/``abort`` (JUnit 5, AssertJ), a statically
imported ``assumeTrue`` and ``throw new SkipException`` / ``AssumptionViolatedException`` /
``TestAbortedException`` / ``TestSkippedException``, anywhere in a body (nested blocks and
lambdas included), followed through the methods of the same class a body calls.

Reflection that names an assumption class or a skip exception (``Assumptions.class.getMethod(
"abort").invoke(null)``, ``Class.forName("org.opentest4j.TestAbortedException")``, a method
handle's ``findStatic(Assumptions.class, ...)``) counts as a skip where it is: what it then
calls only running shows.

The trap: ``Assumptions.assumingThat`` runs the rest of the test, so it is not a skip.
"""

from __future__ import annotations

import re

from guards.collect.java import conditions
from guards.collect.java.syntax import Call, JClass, Method
from guards.collect.model import Skip

# Reflection (java.lang.Class, java.lang.invoke.MethodHandles.Lookup) that can reach any member
# of a class: a skip class it names, as ``X.class`` or by name, counts as a skip where it is.
REFLECTIVE = frozenset(
    {"getMethod", "getDeclaredMethod", "getMethods", "getDeclaredMethods", "getConstructor",
     "getDeclaredConstructor", "getConstructors", "getDeclaredConstructors", "forName",
     "loadClass", "findStatic", "findVirtual", "findSpecial", "findConstructor"}
)  # fmt: skip # -- packed
SKIP_CLASS = re.compile(
    rf"\b\w*(?:Assume|Assumptions)\b|\b(?:{'|'.join(sorted(conditions.SKIP_EXCEPTIONS))})\b"
)
SETUP_NAMES = frozenset(
    {
        "BeforeEach",
        "BeforeAll",
        "Before",
        "BeforeClass",
        "BeforeMethod",
        "BeforeTest",
        "BeforeSuite",
        "BeforeGroups",
    }
)


def is_assumption(call: Call) -> bool:
    if call.name in REFLECTIVE:
        return SKIP_CLASS.search(f"{call.receiver} {call.args}") is not None
    if call.receiver == "throw":
        return call.name in conditions.SKIP_EXCEPTIONS
    receiver = call.receiver.rsplit(".", 1)[-1]
    return (
        call.name in conditions.ASSUME_NAMES
        and (
            receiver in conditions.ASSUME_RECEIVERS or receiver.endswith(("Assume", "Assumptions"))
        )
        and (call.name != "abort" or bool(receiver))
    )


def skip_of(call: Call, via: str = "") -> Skip:
    constant = call.args.startswith(("(false", "(true"))
    fails = constant and (call.name == "assumeTrue") == call.args.startswith("(false")
    always = call.name == "abort" or call.receiver == "throw" or fails
    what = f"throw new {call.name}" if call.receiver == "throw" else f"{call.name}{call.args}"
    if call.name in REFLECTIVE:
        what = f"{call.receiver}.{what} (reflection)".lstrip(".")
    where = f" in {via}()" if via else ""
    return Skip("runtime-skip", call.line, f"{what}{where}" + (" (always)" if always else ""))


def helpers(cls: JClass) -> dict[str, Call]:
    """Methods of CLS that reach an assumption, directly or through other methods of CLS."""
    direct = {
        m.name: next(c for c in m.calls if is_assumption(c))
        for m in cls.methods
        if any(is_assumption(c) for c in m.calls)
    }
    changed = True
    while changed:
        changed = False
        for m in cls.methods:
            hit = next((c for c in m.calls if _local(c) and c.name in direct), None)
            if hit is not None and m.name not in direct:
                direct[m.name], changed = direct[hit.name], True
    return direct


def _local(call: Call) -> bool:
    return call.receiver in ("", "this")


def in_body(method: Method, reaching: dict[str, Call]) -> tuple[Skip, ...]:
    """The assumptions METHOD reaches: its own calls and the helpers of REACHING it calls."""
    found = [skip_of(c) for c in method.calls if is_assumption(c)]
    found += [
        skip_of(reaching[c.name], c.name)
        for c in method.calls
        if _local(c) and c.name in reaching and c.name != method.name and not is_assumption(c)
    ]
    return tuple(found)


def in_setup(cls: JClass) -> tuple[Skip, ...]:
    """The assumptions the ``@Before*`` methods of CLS reach: they skip every test of it."""
    reaching = helpers(cls)
    return tuple(
        skip_of(reaching[m.name], m.name)
        for m in cls.methods
        if {a.name for a in m.annotations} & SETUP_NAMES and m.name in reaching
    )
