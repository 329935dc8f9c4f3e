"""Detections of skip-set, each with a replacement that disables it."""

from __future__ import annotations

import ast
import copy
import dataclasses
import re
from collections.abc import Iterator
from typing import Any

from guards.collect.go.package import _own
from guards.collect.js import config as js_config
from guards.collect.js.config import _targets
from guards.collect.js.syntax import WRAPPERS
from guards.collect.model import Skip, TestItem
from guards.collect.python.collector import Request
from guards.collect.python.linking import select
from guards.collect.python.linking.resolve import Resolver, find_class
from guards.collect.python.parsing import hook_conditions, inert_hooks
from guards.collect.python.parsing.bodies import body_key
from guards.collect.python.parsing.facts import Func, IgnoreGap, IgnoreList, MarkUse, Module
from guards.collect.python.parsing.marks import MarkReader
from guards.collect.python.parsing.symbols import NORMALIZE, TRACKED, is_skippy
from guards.collect.python.skip_forms import RUNTIME, XFAIL_KINDS
from guards.collect.python.sources import plugin_chain
from guards.collect.python.sources.reach import SKIP_SPELLING, SKIPS, Reach
from guards.collect.reports.model import RunReport, RunTest
from guards.collect.rust import test_macros
from guards.core.java_text import UNICODE_ESCAPE, _spelled
from guards.finding import Finding, Outcome


def _reached_without_unread(
    failed: list[tuple[Any, Exception]], changed: set[str], _read: set[str], manifest: str
) -> None:
    """rust._reaches_the_change without its check that the change's files were read."""
    for walk, exc in failed:
        files = type(walk)(walk.files, walk.package, walk.target, walk.env).files_read()
        if manifest in changed or files & changed:
            raise exc


def _first_failure(failed: list[tuple[Any, Exception]], *_a: object) -> None:
    """Rust: the first target that could not be read stops the change, whatever it holds."""
    for _walk, exc in failed:
        raise exc


def _false(*_a: object, **_k: object) -> bool:
    return False


def _first_plugins(rev: Any, named: Any, strict: bool = True) -> list[Module]:
    """The plugins the conftests and addopts name, not those they list in turn."""
    found = (plugin_chain.plugin(rev, n, source, line, strict) for n, source, line in named)
    return [m for m in found if m is not None]


def _nothing(*_a: object, **_k: object) -> None:
    return None


def _empty_dict(*_a: object, **_k: object) -> dict[str, str]:
    return {}


def _empty_list(*_a: object, **_k: object) -> list[object]:
    return []


def _empty_set(*_a: object, **_k: object) -> set[str]:
    return set()


def _empty_tuple(*_a: object, **_k: object) -> tuple[object, ...]:
    return ()


def _all_defs(defs: tuple[object, ...], _base: object) -> tuple[object, ...]:
    return defs


def _said_in_bytes(source: bytes | None, word: bytes) -> list[int] | None:
    """fixture_guards.said as it was: the bytes' lines, not the text Python reads."""
    if source is None:
        return None
    return [n for n, line in enumerate(source.splitlines(), 1) if word in line]


def _key_by_str_lines(node: ast.FunctionDef, lines: list[bytes]) -> str:
    """bodies.body_key as it was: lines cut by str.splitlines (a form feed, U+2028 end one)."""
    text = b"\n".join(lines).decode("utf-8", "replace").splitlines()
    return body_key(node, [line.encode() for line in text])


def _strict_targets(*args: Any, **kwargs: Any) -> list[str]:
    """config._targets as it was: a glob that matches nothing is Undecidable for vitest too."""
    return _targets(*args, **{**kwargs, "none_ok": False})


def _escapes_only(data: bytes) -> bytes:
    """java_text.translated as it was: the escapes spelled, a NUL left for tree-sitter."""
    return data if b"\\u" not in data else UNICODE_ESCAPE.sub(_spelled, data)


def _one_round(graph: dict[int, Any]) -> dict[int, tuple[Any, ...]]:
    """go.package._least stopped after its first round: a helper met before its callee's
    skip was found keeps nothing of it (the memoized walk's answer on a cycle)."""
    found = {key: _own(node) for key, node in graph.items()}
    for key, node in graph.items():
        for package, func in node.targets:
            inner = found.get(id(func.node))
            for r in list(inner.values() if inner is not None else package.reaches(func)):
                found[key].setdefault((r.hit, r.path), r)
    return {k: tuple(v.values()) for k, v in found.items()}


def _same(data: bytes) -> bytes:
    return data


def _unwrapped(node: Any) -> Any:
    """syntax.unwrap as it was: parentheses and casts only, not a comma expression."""
    while node.type in WRAPPERS and node.named_children:
        node = node.named_children[0]
    return node


def _unspaced(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _no_text(*_a: object, **_k: object) -> str:
    return ""


def _def_names(stmt: ast.stmt) -> str | None:
    """incremental._name as it was: a lambda bound to a name defines nothing."""
    return (
        stmt.name
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        else None
    )


def _literal_test(_self: object, value: ast.expr, _line: int) -> bool | None:
    """TopLevel.read_test_attr as it was: a literal is read, any other value is not set."""
    return bool(value.value) if isinstance(value, ast.Constant) else None


def _read(self: MarkReader, node: ast.expr) -> Iterator[MarkUse]:
    """MarkReader._applied as it was not: a decorator's marks, none of them applied."""
    return self.read(node)


def _func_as_was(new: Func, old: Func, shift: int) -> Func:
    """incremental._func without the put-back of gives_no_function."""
    fixture = new.fixture
    if fixture is not None and old.fixture is not None:
        fixture = dataclasses.replace(fixture, skip_when=old.fixture.skip_when)
    refs = tuple(
        dataclasses.replace(r, line=r.line + shift) if r.line and shift else r for r in old.refs
    )
    return dataclasses.replace(new, refs=refs, fixture=fixture)


def _no_dormant(*args: Any, **kwargs: Any) -> Request:
    return Request(*args, **{**kwargs, "dormant": frozenset()})


def _no_xfail(self: TestItem, xfail_counts: bool) -> tuple[Skip, ...]:
    return tuple(s for s in self.skips if s.kind not in XFAIL_KINDS)


def _passes(*_a: object, **_k: object) -> Finding:
    return Finding("skip_set_not_grown", Outcome.PASS, "mutant")


def _never_defined(test: RunTest, *_a: object) -> bool:
    return False


def _no_classes(classname: str, _file: str, _modules: object) -> tuple[str, list[str]]:
    return classname.replace(".", "/") + ".py", []


def _ascii_words(words: tuple[str, ...]) -> object:
    """Any of WORDS between ``\\b``s, which a name in another script never has."""
    from guards.linear_re import compile_linear

    alternatives = "|".join(re.escape(w) for w in sorted(set(words)))
    return compile_linear(rf"\b({alternatives})\b".encode())


def _last_part(data: bytes, start: int) -> bytes:
    """The word at START alone, not the first of its dotted chain."""
    return re.match(rb"\w*", data[start:]).group()  # type: ignore[union-attr] # -- \w* always matches


def _no_lines(*_a: object, **_k: object) -> list[bytes]:
    return []


def _no_set(*_a: object, **_k: object) -> set[str]:
    return set()


def _never(*_a: object, **_k: object) -> re.Pattern[bytes]:
    return re.compile(b"(?!)")


def _no_users() -> object:
    from guards.collect.python.sources.dependents import Reached

    return Reached(frozenset(), ())


def _no_alias_kind(resolver: Resolver, module: Module, value: str) -> str | None:
    if value.startswith("class:"):
        return None
    return SKIPS if is_skippy(value) or resolver.symbol(module, value) else None


def _roots_pruned(self: Reach, sym: str) -> bool:
    if sym.startswith(TRACKED) or is_skippy(sym) or SKIP_SPELLING.search(sym):
        return True
    return not self.names.isdisjoint(sym.split("."))


REPORTS = "guards.checks.skip_set.reports:"
COMPARE = "guards.collect.reports.compare:"


def _own_class_only(_side: object, module: Module, value: str, *_a: object) -> object:
    return find_class(module, value[6:]) if value.startswith("class:") else None


def _merged_pairs(base: RunReport, head: RunReport) -> list[object]:
    return [("", base.tests, head.tests)]  # matrix entries ignored: both sides merged


_ACTS = inert_hooks._acts


def _inert_undecorated(func: Any) -> bool:
    """inert_hooks.inert reading no decorator (a copy of FUNC without its decorators)."""
    bare = copy.copy(func)
    bare.decorator_list = []
    return inert_hooks.inert(bare)


def _acts_returning_anything(node: ast.AST, params: set[str]) -> bool:
    """inert_hooks._acts with a ``return`` of any value taken for one of none."""
    return not isinstance(node, ast.Return) and _ACTS(node, params)


def _predicate_of_no_item(func: Any) -> tuple[str, ast.expr] | None:
    """hook_conditions.predicate reading the returned expression as if of no parameter."""
    found = hook_conditions.predicate(func)
    return None if found is None else ("", found[1])


_CONDITIONING = test_macros._conditioning


def _conditioning_no_whole_metavariable(tree: Any) -> bool:
    """test_macros._conditioning as it was: ``#[$m]`` (a metavariable whole) conditions none."""
    inside = tree.children[1:-1]
    whole = len(inside) == 1 and inside[0].type == "metavariable"
    return not whole and _CONDITIONING(tree)


PY = "guards.collect.python."

MUTANTS = [
    (
        "fixture chains past the bound are undecidable",
        f"{PY}linking.fixtures:Fixtures._requests_more",
        lambda *_a: False,
    ),
    (
        "a changed helper's users join the change's scope",
        f"{PY}sources.dependents:reached",
        lambda *_a: _no_users(),
    ),
    ("a helper's changed names found in its users", f"{PY}sources.dependents:_users", _no_set),
    (
        "a list another module binds names that module for the change to move",
        f"{PY}linking.ignores:_bound",
        lambda _sym, line, *_a: IgnoreList(gaps=(IgnoreGap("", line, "not followed"),)),
    ),
    (
        "pytest's mark classes built by hand are the marks they build",
        f"{PY}parsing.symbols:Env._mark_object",
        lambda _self, func, *_a: f"call:{func}",
    ),
    (
        "a test that ends the session (os._exit, pytest.exit) is found",
        f"{PY}parsing.symbols:RUNTIME",
        {k: v for k, v in RUNTIME.items() if v != "ends-session"},
    ),
    (
        "a hook bound other than by def, or a plugin registered at run time, is undecidable",
        f"{PY}parsing.conftests:_hooks_not_read",
        _nothing,
    ),
    (
        "a changed helper's hooks are changed names (a conftest may import one)",
        f"{PY}sources.dependents:_hooks",
        lambda *_a: set(),
    ),
    (
        "a write through a name bound to the config's options is a write to them",
        f"{PY}parsing.config_writes:_aliases",
        _empty_dict,
    ),
    (
        "an outcome hook that writes a report's outcome rewrites outcomes",
        f"{PY}parsing.conftests:_outcome",
        _false,
    ),
    (
        "a module constant changed in place or kept is not its literal",
        f"{PY}parsing.settled:unsettled",
        lambda *_a: frozenset(),
    ),
    (
        "a conftest hook's skips through the conftest's functions it gives the item",
        f"{PY}linking.hooks:HookReader._called",
        _nothing,
    ),
    (
        "a skip is caught only by a handler of what it raises",
        f"{PY}parsing.bodies:swallowed",
        lambda _node, outcomes, _env: bool(outcomes),
    ),
    (
        "exec, eval or compile passed as a value runs code chosen at run time",
        f"{PY}parsing.bodies:passed",
        _empty_list,
    ),
    (
        "a name bound once is its value only where its scope is seen",
        f"{PY}parsing.bound_once:Bound._sees",
        lambda *_a: True,
    ),
    (
        "a list joined into code is its value only where nothing can have changed it",
        f"{PY}parsing.bound_once:Bound._settled",
        lambda *_a: True,
    ),
    (
        "a changed helper that alters a conftest's computed ignore list widens to its folder",
        f"{PY}sources.computed_ignores:folders",
        _empty_dict,
    ),
    (
        "a base class re-exported under the same name switched to another class",
        f"{PY}sources.dependents:_Side._class",
        _own_class_only,
    ),
    (
        "fixtures a conftest or test module imports (by name, by a star)",
        f"{PY}linking.imported_fixtures:_bound",
        _empty_list,
    ),
    ("a changed fixture module's star importers", f"{PY}sources.dependents:_star_users", _no_set),
    (
        "test functions and classes a test module imports",
        f"{PY}linking.link:Linker._imported_tests",
        lambda _self: iter(()),
    ),
    (
        "a shared test function's marks describe it to its importers",
        f"{PY}sources.dependents:_Side._test_function",
        _nothing,
    ),
    (
        "a pytestmark imported from a helper",
        f"{PY}linking.link:Linker._marks_from",
        lambda self: self.module,
    ),
    (
        "an imported setup_module",
        f"{PY}linking.test_skips:SkipFinder._module_function",
        lambda self, name: self.resolver.function(self.module, name),
    ),
    (
        "a conftest's star-imported hooks and fixtures",
        f"{PY}collector:Collector._with_stars",
        lambda _self, conftests: conftests,
    ),
    (
        "a reused body that spells a name the change rebinds is parsed again",
        f"{PY}parsing.incremental:_spelling",
        _empty_list,
    ),
    (
        "a reused function takes its marks from the changed module",
        f"{PY}parsing.incremental:_func",
        lambda _new, old, _shift: old,
    ),
    (
        "a module alias switched to another module",
        f"{PY}sources.dependents:_Side._module_alias",
        _nothing,
    ),
    ("reach: a pytest alias counts as reaching", f"{PY}sources.reach:_kind", _no_alias_kind),
    (
        "reach: a part named pytest is never pruned",
        f"{PY}sources.reach:Reach._allows",
        _roots_pruned,
    ),
    (
        "a word after a plugin's option that names no path is its value",
        f"{PY}config.roots:_paths",
        lambda _rev, sel: list(sel.args),
    ),
    (
        "Java: a NUL is read where javac takes it, not refused",
        "guards.core.java_text:translated",
        _escapes_only,
    ),
    (
        "JS: a vitest project glob of nothing beside other projects adds none",
        "guards.collect.js.config:_targets",
        _strict_targets,
    ),
    (
        "Go: what helpers reach is a fixed point, a cycle passes a skip round",
        "guards.collect.go.package:_least",
        _one_round,
    ),
    (
        "Rust: docsrs is false on cargo test",
        "guards.collect.rust.cfg:KNOWN_FALSE",
        frozenset({"windows", "miri", "doc", "doctest", "proc_macro", "clippy", "rustfmt"}),
    ),
    (
        "Rust: a cfg_attr that adds nothing read is not evaluated",
        "guards.collect.rust.cfg:_matters",
        lambda _attrs: True,
    ),
    (
        "Rust: each invocation of a simple test macro is a test",
        "guards.collect.rust.test_macros:expand",
        lambda *_a: "not read",
    ),
    (
        "Rust: a macro that passes its tokens to a test macro writes its test",
        "guards.collect.rust.test_macros:_one_invocation",
        _nothing,
    ),
    (
        "Rust: attributes a macro writes on a struct make no test",
        "guards.collect.rust.test_macros:_on_test_item",
        lambda _tree: True,
    ),
    (
        "Rust: the last rule's matcher may end in a repetition",
        "guards.collect.rust.test_macros:_rest_before_last",
        lambda _rules: True,
    ),
    (
        "Rust: a closure's parameters are no macro arguments",
        "guards.collect.rust.test_macros:_after_closure_head",
        _nothing,
    ),
    (
        "Rust: a cfg written from a macro's arguments taken for any attribute",
        "guards.collect.rust.test_macros:_conditioning",
        lambda _tree: False,
    ),
    (
        "Rust: the items given to a conditioning macro never read for a test",
        "guards.collect.rust.test_macros:_given_a_test",
        lambda _tokens, _lookup: False,
    ),
    (
        "Rust: a macro definition its own cfg leaves out still read",
        "guards.collect.rust.walk:Walk._definition",
        lambda _self, node, _metas, path: test_macros.read(node, path),
    ),
    (
        "Rust: attributes written on an impl's methods taken for a test's",
        "guards.collect.rust.test_macros:_associated",
        lambda _tree: False,
    ),
    (
        "Rust: a target that cannot be read stops every change",
        "guards.collect.rust:_reaches_the_change",
        _first_failure,
    ),
    (
        "Rust: a changed file no target reads taken for one without tests",
        "guards.collect.rust:_reaches_the_change",
        _reached_without_unread,
    ),
    (
        "Rust: a target that cannot be read stops no change",
        "guards.collect.rust:_reaches_the_change",
        lambda *_a: None,
    ),
    (
        "Rust: a test macro's fn read only without qualifiers",
        "guards.collect.rust.test_macros:_unqualified",
        lambda tokens: tokens,
    ),
    (
        "Java: a changed file reaches the files that name its types",
        "guards.collect.java.type_users:dependents",
        lambda *_a: set(),
    ),
    (
        "Java: a type built on a changed one brings the files that name it",
        "guards.collect.java.type_users:_heir",
        lambda _names: re.compile(rb"(?!)"),
    ),
    (
        "a flag the conftest declares is its value on the run",
        f"{PY}parsing.hook_options:Flags.leaf",
        _nothing,
    ),
    (
        "an exec in a fresh dict binds none of the module's names",
        f"{PY}parsing.exec_namespaces:Namespaces.contain",
        _false,
    ),
    (
        "a string or a path built at import is data, not a test",
        f"{PY}parsing.generated:_of_text",
        _false,
    ),
    (
        "gone: only a definition new at head is where a test went",
        "guards.collect.gone:_new",
        _all_defs,
    ),
    ("reach: users of a reaching name", f"{PY}sources.reach:_users", _no_set),
    ("reach: test modules a changed import names", f"{PY}sources.reach:_newly_named", _no_set),
    ("reach: test modules import lines name", f"{PY}sources.reach:_named_specs", _empty_list),
    (
        "reach: a name a test module may hold is never pruned",
        f"{PY}sources.reach:Reach._test_names",
        property(lambda _reach: None),
    ),
    (
        "reach: a file that is no test module imports a test module",
        f"{PY}sources.reach:_into_tests",
        _false,
    ),
    ("reach: a name used as an attribute of an alias", f"{PY}sources.reach:_attributes_re", _never),
    (
        "reach: an imported name before a dot may hold a module",
        f"{PY}sources.attribute_owners:_imported",
        _false,
    ),
    (
        "reach: a name assigned other than a call may hold a module",
        f"{PY}sources.attribute_owners:_assigned_other_than_a_call",
        _false,
    ),
    (
        "reach: a dotted chain judged by its first name",
        f"{PY}sources.attribute_owners:_first_part",
        _last_part,
    ),
    ("reach: a changed file that may rebind a module", f"{PY}sources.reach:_binders", _no_set),
    ("reach: a module bound to another name", f"{PY}sources.reach:_modules_bound", _no_set),
    ("words: a held file's text as Python reads it", f"{PY}sources.words:_text_says", _false),
    ("words: a held file's import lines", f"{PY}sources.words:_importing", _no_lines),
    ("reach: a name in another script is a word", f"{PY}sources.reach:any_word", _ascii_words),
    ("reports: skipped at head", f"{REPORTS}_grown", _passes),
    ("reports: absent from head", f"{REPORTS}_vanished", _passes),
    ("reports: static cross-check", f"{REPORTS}unseen_findings", _empty_list),
    ("reports: matrix entry to entry", f"{COMPARE}pairs", _merged_pairs),
    ("reports: matrix entry missing at head", f"{COMPARE}missing_entries", _empty_tuple),
    ("reports: dropped from one matrix entry", f"{COMPARE}dropped", _empty_tuple),
    ("reports: cross-check beyond Python", "guards.collect.reports.crosscheck:expected", _nothing),
    ("reports: definition still there", "guards.collect.reports.defined:defined", _never_defined),
    ("reports: pytest classnames to node ids", "guards.collect.reports.nodeid:split", _no_classes),
    (
        "skip/skipif/xfail and unittest decorators",
        f"{PY}linking.test_skips:kind_of",
        _no_text,
    ),
    (
        "aliases bound by assignment",
        f"{PY}parsing.analyze:Analyzer._bind_target",
        _nothing,
    ),
    ("getattr with a literal name", f"{PY}parsing.symbols:Env._looked_up", _nothing),
    ("skips in test bodies", f"{PY}parsing.classes:body_refs", _empty_tuple),
    ("helpers that skip", f"{PY}linking.resolve:Resolver.function", _nothing),
    (
        "module-level skips",
        f"{PY}parsing.toplevel:TopLevel._module_skip",
        _nothing,
    ),
    (
        "test.__test__ / X.pytestmark after the def",
        f"{PY}parsing.toplevel:TopLevel._attribute",
        _nothing,
    ),
    (
        "parameter-set marks",
        f"{PY}parsing.marks:MarkReader.case_marks",
        _empty_tuple,
    ),
    ("empty parameter sets", f"{PY}linking.link:empty_parameter_set", _empty_list),
    (
        "fixtures that skip",
        f"{PY}linking.test_skips:SkipFinder.fixtures_of",
        _empty_list,
    ),
    (
        "setUp / setup_method skips",
        f"{PY}linking.test_skips:SkipFinder.setup_class",
        _empty_list,
    ),
    (
        "setup_module skips",
        f"{PY}linking.test_skips:SkipFinder.setup_module",
        _empty_list,
    ),
    (
        "__test__ = False and __init__ on classes",
        f"{PY}linking.link:disabled_by",
        _nothing,
    ),
    (
        "unittest.TestCase classes",
        f"{PY}linking.resolve:Resolver.is_testcase",
        lambda *a: False,
    ),
    (
        "inherited base classes",
        f"{PY}linking.resolve:Resolver.base_class",
        _nothing,
    ),
    (
        "marks imported from other modules",
        f"{PY}linking.resolve:Resolver.external",
        _nothing,
    ),
    ("conftest hooks", f"{PY}linking.select:apply_hooks", lambda items, *a: items),
    (
        "hook conditions on the item",
        f"{PY}linking.select:evaluate",
        lambda *a: True,
    ),
    (
        "-k / -m / --deselect in addopts",
        f"{PY}linking.select:_deselected",
        _no_text,
    ),
    ("collect_ignore and --ignore", f"{PY}config.paths:_ignored", _no_text),
    ("norecursedirs", f"{PY}config.paths:_norecurse", _no_text),
    ("python_files", f"{PY}config.paths:is_test_module", lambda *a: True),
    (
        "testpaths and addopts paths",
        f"{PY}config.paths:_root",
        lambda *a: ("", ()),
    ),
    ("tests hidden but still defined", "guards.collect.compare:uncollected", _nothing),
    ("renamed files followed", "guards.collect.compare:rename_id", lambda nodeid, _r: nodeid),
    ("moved skipped tests matched", "guards.collect.compare:_qualname", lambda nodeid: nodeid),
    (
        "conftest/config changes widen the scope",
        f"{PY}sources.change_scope:_widen",
        lambda *a: set(),
    ),
    (
        "config changes detected",
        f"{PY}sources.change_scope:_config_changed",
        lambda *a: False,
    ),
    (
        "data files read by conftests",
        f"{PY}sources.change_scope:_readers",
        lambda *a: set(),
    ),
    (
        "undecidable constructs reported",
        f"{PY}collector:_raise_undecidable",
        _nothing,
    ),
    ("xfail counts as skip", "guards.collect.model:TestItem.counted", _no_xfail),
    ("removed tests reported", "guards.checks.skip_set:removals", _empty_list),
]

# JavaScript/TypeScript (guards/collect/js) and the wiring of language collectors.


def _shallow_merge(defaults: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """mergeConfig read as a spread: the second configuration's keys replace the first's."""
    return {**defaults, **overrides}


def _no_js_effect(*_a: object) -> object:
    from guards.collect.js.effects import Effect

    return Effect()


def _no_js_aliases(path: str, _root: object) -> object:
    from guards.collect.js.calls import Bindings

    return Bindings(path)


def _runs(*_a: object) -> object:
    from guards.collect.js.config import Fate

    return Fate(True)


def _no_other_languages(*_a: object) -> object:
    from guards.collect.languages import Found

    return Found()


MUTANTS += [
    (
        "JS: .skip, x-prefixed, .todo, .fails, .skipIf",
        "guards.collect.js.effects:of_chain",
        _no_js_effect,
    ),
    ("JS: run-time skips in test bodies", "guards.collect.js.effects:of_body", _empty_tuple),
    ("JS: node:test { skip } / { todo }", "guards.collect.js.effects:of_options", _empty_tuple),
    ("JS: skips in before/beforeAll hooks", "guards.collect.js.walk:Walker._hooks", _empty_tuple),
    ("JS: .only / fit / fdescribe focus", "guards.collect.js.focus:apply", lambda raws, *a: raws),
    ("JS: aliases and imports of test APIs", "guards.collect.js.aliases:bind", _no_js_aliases),
    ("JS: .each tables expanded", "guards.collect.js.each:titles", _nothing),
    ("JS: runner configurations drop files", "guards.collect.js.config:dropped", _no_text),
    (
        "JS: a file a condition drops is skipped",
        "guards.collect.js.config:dropped_unless",
        _no_text,
    ),
    ("JS: jest matches the path in a checkout", "guards.collect.js.config:CHECKOUT", "/"),
    (
        "JS: a suite's callback named at top level is read",
        "guards.collect.js.walk:Walker._passed",
        lambda *_a: None,
    ),
    (
        "JS: a shared helper is read where it is called",
        "guards.collect.js.walk:_helpers",
        _empty_dict,
    ),
    (
        "JS: a helper used but not called is refused",
        "guards.collect.js.walk:_callee",
        lambda _node: True,
    ),
    (
        "JS: a title declared twice is skipped when either test is",
        "guards.collect.js:merged",
        lambda items: items,
    ),
    ("JS: jest projects: a file runs when one runs it", "guards.collect.js.config:_either", _runs),
    (
        "JS: a jest preset that may set patterns is refused",
        "guards.collect.js.config:INERT_PRESETS",
        frozenset({"ts-jest", "jest-expo"}),
    ),
    ("JS: config changes widen the scope", "guards.collect.js:widens", _nothing),
    ("JS: run-time choice of test API", "guards.collect.js.calls:Bindings._ternary", _nothing),
    ("JS: (c ? it : it.skip) is read at all", "guards.collect.js.calls:_conditional", _nothing),
    (
        "JS: (c ? it : it.skip) keeps its skip",
        "guards.collect.js.calls:_conditional",
        lambda _node, runs, other: runs or other,
    ),
    ("a mark held in a container", f"{PY}parsing.symbols:Env._held", _nothing),
    ("a mark held by a class attribute", f"{PY}parsing.symbols:Env.bind_members", _nothing),
    ("a class attribute mark exported", f"{PY}parsing.analyze:Analyzer._members", _empty_dict),
    ("Go: a testing type's method expression", "guards.collect.go.scan:_testing_type", _false),
    (
        "Java: a method reference to an assumption",
        "guards.collect.java.syntax:_reference",
        _nothing,
    ),
    ("JS: a test API used as a value is refused", "guards.collect.js.escapes:check", _nothing),
    (
        "Java: reflection on an assumption class",
        "guards.collect.java.assume:REFLECTIVE",
        frozenset(),
    ),
    (
        "JS: a comma expression's last item is its value",
        "guards.collect.js.calls:unwrap",
        _unwrapped,
    ),
    (
        "JS: names spelled with \\u escapes",
        "guards.collect.js.syntax:NAME_ESCAPE",
        re.compile("(?!)"),
    ),
    ("Java: Unicode escapes read before the rest", "guards.core.java_text:translated", _same),
    ("Python: names read as NFKC, by the cookie", "guards.core.python_text:view", _same),
    ("Python: parameter defaults not read", f"{PY}parsing.bodies:_defaults", lambda f, e: {}),
    (
        "Python: globals()/vars()/locals() lookups not read",
        f"{PY}parsing.symbols:NAMESPACES",
        frozenset(),
    ),
    (
        "Python: __globals__/f_globals not read",
        f"{PY}parsing.symbols:FUNCTION_GLOBALS",
        frozenset(),
    ),
    (
        "Python: sys.modules[__name__] not the module",
        f"{PY}parsing.symbols:_own_name",
        lambda n: False,
    ),
    ("Rust: a raw identifier is the identifier", "guards.collect.rust.meta:_path", _unspaced),
    ("language collectors in skip-set", "guards.collect.languages:changed", _no_other_languages),
    ("JS: vitest's mergeConfig merges deep", "guards.collect.js.configread:merged", _shallow_merge),
    ("files pytest would not collect left unread at head", f"{PY}collector:Request", _no_dormant),
    ("a name bound to a lambda is a def of it", f"{PY}parsing.lambdas:as_def", _nothing),
    ("functools.partial calls its first argument", f"{PY}parsing.symbols:PARTIALS", ()),
    ("a def rebound to a lambda is not reused", f"{PY}parsing.incremental:_name", _def_names),
    (
        "__test__ set to a constant the module binds",
        f"{PY}parsing.toplevel:TopLevel.read_test_attr",
        _literal_test,
    ),
    (
        "a decorator that gives no function",
        f"{PY}linking.resolve:Resolver.gives_no_function",
        _false,
    ),
    ("a decorator applied is told from a call's", f"{PY}parsing.marks:MarkReader._applied", _read),
    ("a reused body keeps whether it returns", f"{PY}parsing.incremental:_func", _func_as_was),
    (
        "_pytest.outcomes.Exit is pytest.exit's exception",
        f"{PY}parsing.symbols:NORMALIZE",
        {k: v for k, v in NORMALIZE.items() if k != "_pytest.outcomes.Exit"},
    ),
    ("a plugin's pytest_plugins are loaded", f"{PY}sources.plugin_chain:loaded", _first_plugins),
    (
        "a hook's module may shadow sorted",
        f"{PY}linking.hooks:HookReader._module_names",
        lambda _self: set(),
    ),
    (
        "items.__init__ refills the items",
        f"{PY}linking.hooks:REMOVERS",
        frozenset({"remove", "pop", "clear"}),
    ),
    ("a bucket loop binds its item alone", f"{PY}linking.reorder:binds", lambda _node: ()),
    ("a conftest that patches pytest", f"{PY}parsing.patches:ROOTS", frozenset()),
    ("a flag bound otherwise is no literal", f"{PY}parsing.fixture_guards:_rebound", _empty_set),
    ("sys.modules binds a flag", f"{PY}parsing.fixture_guards:_through_sys_modules", _false),
    (
        "global and sys.modules as Python reads the text",
        f"{PY}parsing.fixture_guards:said",
        _said_in_bytes,
    ),
    (
        "a body's key is cut from the parser's lines",
        f"{PY}parsing.bodies:body_key",
        _key_by_str_lines,
    ),
    ("two fixtures of one name: the greater is used", f"{PY}linking.fixtures:pytest_order", list),
    ("a conftest that patches a helper with a skip", f"{PY}parsing.patches:_names_skip", _false),
    (
        "a function saying global binds the module's name",
        f"{PY}parsing.fixture_guards:says_global",
        lambda _source: _false,
    ),
    (
        "a function's local binds no module name",
        f"{PY}parsing.fixture_guards:says_global",
        lambda _source: lambda _function: True,
    ),
    (
        "a runner config's table read in any shape",
        "guards.core.shapes:table",
        lambda value, key: value or {},
    ),
    (
        "a runner config's string read in any shape",
        "guards.core.shapes:string",
        lambda value, key: value,
    ),
    (
        "a report's fields read in any shape",
        "guards.collect.reports.gojson:member",
        lambda event, key, kinds, where: event.get(key),
    ),
    (
        "every collection hook read as one that decides",
        f"{PY}parsing.conftests:inert",
        lambda func: False,
    ),
    (
        "a collection hook's decorator (trylast) not read",
        f"{PY}parsing.conftests:inert",
        _inert_undecorated,
    ),
    (
        "a collection hook's return value not read",
        f"{PY}parsing.inert_hooks:_acts",
        _acts_returning_anything,
    ),
    (
        "a predicate a hook calls with the item not read",
        f"{PY}linking.hooks:HookReader._predicate",
        lambda self, callee: None,
    ),
    (
        "a predicate's parameter not taken for the item",
        f"{PY}linking.hooks:predicate",
        _predicate_of_no_item,
    ),
    (
        "an exception a handler catches taken for one raised",
        f"{PY}parsing.session_end:_caught",
        lambda stmt: set(),
    ),
    (
        "a marker a hook adds that is no skip not recorded",
        f"{PY}linking.hooks:HookReader._mark_added",
        lambda self, stmt, var: None,
    ),
    (
        "a marker a hook adds not seen by the other hooks' conditions",
        f"{PY}linking.select:_Marked._fixed",
        lambda self, view, unread: view,
    ),
    (
        "a hook condition not read undecidable even where it only adds a marker",
        f"{PY}linking.hooks:HookReader._read_cond",
        lambda self, test, var: (self._cond(test, var), None),
    ),
    (
        "a marker added under a condition not read taken as never added",
        f"{PY}linking.select:_Marked.applies",
        lambda self, conftest, rule, given: select._applies(
            conftest, rule, self.sure, self.data(conftest), given
        ),
    ),
    (
        "any JS file under a tests folder a configuration leaves out taken for a test file",
        "guards.collect.js.config:narrowed",
        lambda files, path: js_config.named_like_a_test(path),
    ),
    (
        "a JS test file taken by its runner's default convention not read as one",
        "guards.collect.js.config:_narrowed",
        lambda runner, path: runner.fate(path).taken,
    ),
    (
        "a JS test file a configuration's include takes not read as one",
        "guards.collect.js.config:_narrowed",
        lambda runner, path: js_config._any(
            js_config.DEFAULTS[runner.name], js_config._relative(path, runner.root), ""
        ),
    ),
    (
        "vitest's type tests (typecheck.enabled) taken for files vitest does not run",
        "guards.collect.js.config:_type_tests",
        lambda source, test: None,
    ),
    (
        "a module a JS runner configuration reads not widening the scope when it changes",
        "guards.collect.js.config:readers",
        lambda files, path: set(),
    ),
    (
        "a spread of a repository module's object in a JS runner configuration not read",
        "guards.collect.js.configread:_Reader._spread",
        lambda self, path, root, node: None,
    ),
    (
        "a Rust macro's attribute that is a metavariable whole taken for one that may be a test",
        "guards.collect.rust.test_macros:_conditioning",
        _conditioning_no_whole_metavariable,
    ),
    (
        "comments in a Rust macro's matcher read as tokens to match",
        "guards.collect.rust.test_macros:_plain_comment",
        lambda node: False,
    ),
    (
        "a module a JS runner configuration that cannot be read imports taken for none it reads",
        "guards.collect.js.configread:imported_paths",
        lambda path, raw: frozenset(),
    ),
    (
        "a skip's condition on markers taken for one that reads none (hook-added markers unread)",
        f"{PY}linking.select:_on_markers",
        lambda cond: False,
    ),
    (
        "addopts -p values taken with their spaces",
        f"{PY}config.addopts:_plugin_args",
        lambda found: list(found.get("-p", [])),
    ),
    (
        "harmless plugins known by their modules only, not by their entry points' names",
        f"{PY}config.plugins:HARMLESS_PLUGINS",
        frozenset({"xdist", "pytest_cov", "pytest_html", "pytest_timeout", "pytest_randomly"}),
    ),
]
