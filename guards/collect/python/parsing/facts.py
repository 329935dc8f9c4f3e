"""What one parse of one module yields: AST-free, picklable facts linked into tests later.

A symbol (``sym``) is a canonical dotted name: ``mark:skip``, ``pytest.skip``,
``unittest.skipIf``, ``local:helper`` (a function of the same module), ``self:method``,
or a dotted import path (``tests.helpers.needs_db``) resolved against the repository later.
"""

from __future__ import annotations

from dataclasses import field

from guards.collect.model import Def, Skip
from guards.core.records import record

HOOK_PREFIX = "pytest_"  # a function named so is a hook: pytest calls it by name, body and all
NOT_HOOKS = frozenset({"pytest_plugins"})  # a conftest variable so named: the plugins it loads


def is_hook(name: str) -> bool:
    """Whether NAME, bound in a conftest or a plugin, is one pytest calls as a hook."""
    return name.startswith(HOOK_PREFIX) and name not in NOT_HOOKS


@record
class Params:
    """One parametrization: its ids (None when they cannot be computed) and per-case marks."""

    argnames: tuple[str, ...]
    ids: tuple[str, ...] | None
    case_marks: tuple[tuple[MarkUse, ...], ...] = ()
    why_unknown: str = ""


@record
class MarkUse:
    """A mark or skip decorator applied to a test, class or module.

    ``name`` is a pytest mark name (``skip``, ``parametrize``, ``slow``) or a skip kind from
    unittest (``unittest-skip``, ``expected-failure``); ``sym`` is set instead when the meaning
    lives in another module or in a local function (a decorator factory).
    """

    name: str
    line: int
    sym: str = ""
    args: tuple[str, ...] = ()  # usefixtures names
    params: Params | None = None
    detail: str = ""
    applied: bool = False  # a decorator named itself (``@deco``), not what a call returns


@record
class Ref:
    """A skip-relevant reference in a function body: a skip construct or a helper it uses."""

    line: int
    sym: str = ""  # a skip symbol (pytest.skip, mark:xfail, ...) when it skips by itself
    target: str = ""  # else the helper: local:f, self:m, fixture:name, or an import path
    detail: str = ""


@record
class Fixture:
    name: str
    autouse: bool = False
    params: Params | None = None
    skip_when: tuple[object, ...] = ("any",)  # when its skips run (parsing/fixture_guards.py)
    scope: str = "function"  # "" when not a literal (a callable scope)


@record
class Func:
    name: str
    line: int
    marks: tuple[MarkUse, ...] = ()
    args: tuple[str, ...] = ()
    refs: tuple[Ref, ...] = ()
    fixture: Fixture | None = None
    test_attr: bool | None = None  # an explicit __test__ assignment
    is_method_like: bool = True  # False for properties and non-callables
    gives_no_function: bool = False  # a call gives None, a generator or a coroutine
    when: tuple[int, str] | None = None  # defined only under this ``if`` (line, condition)


@record
class Klass:
    name: str
    line: int
    bases: tuple[str, ...] = ()
    marks: tuple[MarkUse, ...] = ()
    test_attr: bool | None = None
    test_attr_line: int = 0
    has_init: str = ""  # why the class has a constructor pytest refuses ("defines __init__")
    abstract: bool = False
    methods: tuple[Func, ...] = ()
    nested: tuple[Klass, ...] = ()
    when: tuple[int, str] | None = None  # defined only under this ``if`` (line, condition)


ADDS_MARK = "adds-mark"  # a HookRule's kind: it adds the marker DETAIL names, no skip


@record
class HookRule:
    """A conftest hook action (a skip marker or a skip call) under a condition on the item;
    of kind ADDS_MARK, a marker that is no skip, which another hook may skip on."""

    kind: str
    line: int
    cond: tuple[object, ...]  # a small expression tree (parsing/hook_conditions.py)
    detail: str


@record
class DataRef:
    """A data file a conftest reads into a module-level name (e.g. a JSON skip list)."""

    name: str
    path: str
    line: int


@record
class IgnoreGap:
    """An entry of ``collect_ignore`` (``_glob``) known only to start with ``prefix``."""

    prefix: str
    line: int
    what: str
    path: str = ""  # the module holding the entry, when not the conftest itself


@record
class IgnoreList:
    """A computed ignore list: known entries, gaps, and functions of other modules it calls."""

    paths: tuple[str, ...] = ()
    gaps: tuple[IgnoreGap, ...] = ()
    calls: tuple[tuple[str, int], ...] = ()  # (import path of the function, line)


@record
class Conftest:
    collect_ignore: IgnoreList | None = None
    collect_ignore_glob: IgnoreList | None = None
    hooks: tuple[HookRule, ...] = ()
    data: tuple[DataRef, ...] = ()
    generate_argnames: tuple[str, ...] = ()
    makes_ids: bool = False  # defines pytest_make_parametrize_id
    plugins: tuple[tuple[str, int], ...] = ()  # pytest_plugins names and their line


@record
class Body:
    """The body of a function defined once, directly in the module or in a class defined once
    directly in it: where it sits (lines) and the names it assigns, so that another revision
    of the module can reuse its facts (parsing/incremental.py)."""

    owner: str  # the class, "" for a module-level function
    name: str
    line: int  # the ``def`` line
    start: int  # the body's first line (no part of the header is on it)
    end: int
    stores: tuple[str, ...] = ()  # the names it assigns where it says global (Module.bound_names)
    runs_code: bool = False  # it runs code a string holds (exec): names no word of its text


@record
class Module:
    path: str
    functions: tuple[Func, ...] = ()
    classes: tuple[Klass, ...] = ()
    marks: tuple[MarkUse, ...] = ()
    module_skips: tuple[Skip, ...] = ()
    exports: dict[str, str] = field(default_factory=dict)
    undecidable: tuple[tuple[int, str], ...] = ()
    conftest: Conftest | None = None
    defs: tuple[Def, ...] = ()
    generate_tests: bool = False
    empty_generated: tuple[tuple[str, int], ...] = ()  # pytest_generate_tests: (argname, line)
    literals: tuple[tuple[str, object], ...] = ()  # top-level names bound to one literal
    names_dynamic: bool = False  # star import, globals(), setattr(): names not all seen
    exec_namespaces: tuple[str, ...] = ()  # fresh names an exec ran in (exec_namespaces.py)
    bound_names: tuple[str, ...] = ()  # names assigned at import time, or where ``global`` is said
    generated: tuple[tuple[str, int, str], ...] = ()  # parsing/generated.py: name, line, what
    stars: tuple[str, ...] = ()  # modules star-imported at the top level (not pytest's, stdlib)
    bodies: tuple[Body, ...] = ()  # the functions another revision may reuse (incremental.py)
    import_calls: tuple[Ref, ...] = ()  # helpers import-time code calls (import_calls.py)
