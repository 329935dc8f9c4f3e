"""One parse of one module into facts: its names, functions, classes, marks and import-time skips.

Only code that runs at import (the module body, class bodies, through ``if``/``try``/``with``
blocks) is read as module-level; function bodies are read for references only. Nothing is
imported or executed.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import posixpath
from collections.abc import Callable
from typing import TypeVar

from guards.collect.model import NotParsable, Skip, Undecidable
from guards.collect.python.parsing import classes, incremental, lambdas, skeleton, string_marks
from guards.collect.python.parsing.bodies import all_defs, import_time
from guards.collect.python.parsing.config_writes import config_writes
from guards.collect.python.parsing.conftests import read_conftest
from guards.collect.python.parsing.definitions import Condition, guarded
from guards.collect.python.parsing.empty_params import empty_sets
from guards.collect.python.parsing.enum_ids import enum_member_id
from guards.collect.python.parsing.facts import Body, Conftest, Func, MarkUse, Module
from guards.collect.python.parsing.fixture_guards import module_facts
from guards.collect.python.parsing.generated import generated
from guards.collect.python.parsing.import_calls import import_calls
from guards.collect.python.parsing.marks import MarkReader
from guards.collect.python.parsing.options import DEFAULT_OPTIONS, AnalysisOptions
from guards.collect.python.parsing.params import IdContext
from guards.collect.python.parsing.patches import patches
from guards.collect.python.parsing.session_end import session_ends
from guards.collect.python.parsing.settled import Settled
from guards.collect.python.parsing.skip_reach import hot_functions
from guards.collect.python.parsing.symbols import Dynamic, Env, is_skippy
from guards.collect.python.parsing.toplevel import TopLevel

T = TypeVar("T")
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def parse(path: str, data: bytes) -> ast.Module:
    try:
        return ast.parse(data, filename=path)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", 0) or 0
        raise NotParsable(path, line, getattr(exc, "msg", str(exc))) from exc
    except (MemoryError, RecursionError) as exc:
        raise NotParsable(path, 0, "nested too deeply for Python's parser") from exc


def package_of(path: str) -> str:
    return posixpath.dirname(path).replace("/", ".")


class Analyzer(TopLevel):
    def __init__(
        self,
        path: str,
        tree: ast.Module,
        options: AnalysisOptions,
        source: bytes = b"",
        cut: skeleton.Skeleton | None = None,
    ) -> None:
        self.path, self.tree, self.options, self.cut = path, tree, options, cut
        self.env = Env(package_of(path))
        self.consts: dict[str, ast.expr] = {}
        self.assigned: dict[str, int] = {}  # how many plain assignments bind each name
        # the consts that keep their value (read lazily; a skeleton's bodies that name one first)
        self.settled = Settled(tree, self.consts, cut.graft_naming if cut else None)
        self.funcs: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.classes: dict[str, ast.ClassDef] = {}
        self.undecidable: list[tuple[int, str]] = []
        self.module_skips: list[Skip] = []
        self.marks: list[MarkUse] = []
        self.attr_marks: dict[str, list[MarkUse]] = {}
        self.attr_test: dict[str, bool] = {}
        ids = IdContext(
            self.settled,
            self._defined,
            self._is_param,
            options.long_strategy,
            self.env.resolve,
            self._enum_member,
        )
        self.reader = MarkReader(self.env, ids)
        self.source = source
        self.hot: set[int] | None = None
        self.lambda_defs: set[int] = set()  # the defs names bound to a lambda stand for
        self.when: dict[str, Condition] = {}  # module-level definitions under an ``if``
        self.walked: dict[int, list[ast.AST]] = {}  # function bodies walked (walk.every_node)
        self.runs: set[int] = set()  # bodies that run code a string holds (bodies.body_refs)

    def reads_body(self, node: ast.AST) -> bool:
        return self.hot is None or id(node) in self.hot or id(node) in self.lambda_defs

    def as_def(self, stmt: ast.stmt) -> ast.stmt:
        """STMT, or the def it stands for where it binds a name to a lambda (lambdas.py): a
        body of one expression, always read."""
        found = lambdas.as_def(stmt)
        if found is None:
            return stmt
        self.lambda_defs.add(id(found))
        return found

    def _defined(self, name: str) -> bool:
        return name in self.funcs or name in self.classes

    def _enum_member(self, node: ast.expr) -> str | None:
        return enum_member_id(node, self.classes, self._rebound, self.env.resolve)

    def _rebound(self, name: str) -> bool:
        """NAME is also bound to a value (a class bound later is no longer the class)."""
        return name in self.consts or name in self.funcs

    def _is_param(self, node: ast.expr) -> bool:
        return self.env.resolve(node) == "pytest.param"

    def guard(self, line: int, fn: Callable[..., T], *args: object) -> T | None:
        """Call FN; a dynamic access it meets is recorded as undecidable."""
        try:
            return fn(*args)
        except Dynamic as exc:
            self.undecidable.append((exc.line or line, exc.what))
            return None

    def report(self, line: int, what: str) -> None:
        self.undecidable.append((line, what))

    def run(self) -> Module:
        for stmt in import_time(self.tree.body):  # names first: conditions are read in them
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                self.env.bind_import(stmt)
        pairs = [(self.as_def(s), c) for s, c in guarded(self.tree.body, self.env)]
        self.when = {s.name: c for s, c in pairs if c is not None and isinstance(s, DEFINITIONS)}
        stmts = [s for s, _ in pairs]
        for stmt, when in pairs:
            self.guard(stmt.lineno, self._bind, stmt, when)
        for stmt in stmts:
            self.guard(stmt.lineno, self._statement, stmt)
        if self.options.lazy_bodies:
            options = self.options
            self.hot = hot_functions(
                self.tree, self.source, options.known, self.env.names, options.modules
            )
            self._graft(self.hot)
        functions = tuple(self._func(node) for node in self.funcs.values())
        reader = classes.ClassReader(self)
        klasses = tuple(reader.read(node) for node in self.classes.values())
        is_conftest = posixpath.basename(self.path) == "conftest.py" or self.options.as_conftest
        conftest = self._conftest() if is_conftest else None
        return Module(
            path=self.path,
            functions=functions,
            classes=klasses,
            marks=tuple(self.marks),
            module_skips=tuple(self.module_skips),
            exports={**self.env.names, **self._members()},
            undecidable=tuple(self.undecidable),
            conftest=conftest,
            defs=all_defs(self.tree, self.source) if self.options.with_defs else (),
            generate_tests="pytest_generate_tests" in self.funcs,
            empty_generated=empty_sets(self.funcs, self.settled),
            **module_facts(stmts, self.walked, self.tree.body, self.source or None),
            generated=generated(stmts, self.env),
            stars=tuple(dict.fromkeys(self.env.stars)),
            bodies=self._bodies() if self._spans(is_conftest) else (),
            import_calls=import_calls(stmts, self.classes.values(), self.env),
        )

    def _graft(self, hot: set[int]) -> None:
        """Parse the skeleton's cut bodies that are HOT: they are read (skeleton.py)."""
        if self.cut is not None:
            self.cut.graft_hot(hot)

    def _members(self) -> dict[str, str]:
        """Class attributes that hold a skip or a mark, exported under their dotted name
        (``Marks.later``): another module's ``@Marks.later`` is the mark (linking/resolve.py)."""
        return {key.removeprefix("class:"): sym for key, sym in self.env.members.items()}

    def _spans(self, is_conftest: bool) -> bool:
        """Whether the module's functions are placed for another revision's analysis to reuse
        (incremental.py): not where bodies are read lazily or a conftest is read, nor where
        no other revision will ask (a whole tree's listing)."""
        options = self.options
        return options.spans and not (options.lazy_bodies or is_conftest)

    def _bodies(self) -> tuple[Body, ...]:
        """Where the module's functions sit, for another revision's analysis to reuse."""
        return incremental.spans(self.tree, self.walked, self.runs, self.source)

    def _conftest(self) -> Conftest:
        """What the conftest declares, and whether it ends the session (session_end.py)."""
        info = read_conftest(self, self.tree)
        rules, unclear = session_ends(self.tree, self.env)
        self.undecidable += unclear + config_writes(self.tree) + patches(self.tree, self.env)
        return dataclasses.replace(info, hooks=info.hooks + tuple(rules)) if rules else info

    def _bind(self, stmt: ast.stmt, when: Condition | None = None) -> None:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            self.env.bind_import(stmt)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.funcs[stmt.name] = stmt
            self.classes.pop(stmt.name, None)
            self._bind_definition(stmt.name, f"local:{stmt.name}", when)
        elif isinstance(stmt, ast.ClassDef):
            self.classes[stmt.name] = stmt
            self.funcs.pop(stmt.name, None)
            sym = classes.class_symbol(stmt, self.env)
            self._bind_definition(stmt.name, sym, when)
            self.env.bind_members(stmt, sym)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                self._bind_target(target, stmt.value)

    def _bind_definition(self, name: str, sym: str, when: Condition | None) -> None:
        """A definition under an ``if`` is one branch's binding: where another branch bound
        NAME to a skip form or a mark (sympy's ``if USE_PYTEST: XFAIL = pytest.mark.xfail;
        slow = pytest.mark.slow else: def XFAIL(...)``), NAME keeps that meaning (a skip as an
        assignment would, Env.bind; a mark, which ``-m`` may deselect)."""
        old = self.env.names.get(name)
        if when is not None and old is not None and (is_skippy(old) or old.startswith("mark:")):
            return
        self.env.names[name] = sym

    def _bind_target(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.env.bind(target.id, self.env.resolve(value))
            self.consts[target.id] = value
            self.assigned[target.id] = self.assigned.get(target.id, 0) + 1
        elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
            for sub_target, sub_value in zip(target.elts, value.elts, strict=False):
                self._bind_target(sub_target, sub_value)

    def _func(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Func:
        func = classes.read_func(self, node, method=False)
        extra = tuple(self.attr_marks.get(node.name, ()))
        test_attr = self.attr_test.get(node.name, func.test_attr)
        func = classes.with_marks(func, extra, test_attr)
        when = self.when.get(node.name)
        return dataclasses.replace(func, when=when.pair) if when else func


def analyze(path: str, data: bytes, options: AnalysisOptions = DEFAULT_OPTIONS) -> Module:
    """The facts of the module PATH holding DATA; NotParsable if Python cannot parse it,
    Undecidable if it parses but nests deeper than the analysis can follow. Where bodies are
    read lazily, a body that is not read is not parsed (skeleton.py)."""
    found = skeleton.cut(path, data, options)
    if found is not None:
        with contextlib.suppress(skeleton.Unproven):  # a body read does not parse: DATA does not
            return _analyzed(path, found.tree, data, options, found)
    return _analyzed(path, parse(path, data), data, options)


def _analyzed(
    path: str,
    tree: ast.Module,
    data: bytes,
    options: AnalysisOptions,
    cut: skeleton.Skeleton | None = None,
) -> Module:
    analyzer = Analyzer(path, string_marks.rewrite(tree, data), options, data, cut)
    try:
        return analyzer.run()
    except RecursionError as exc:
        raise Undecidable(path, 0, "expressions nested too deeply to analyze") from exc
    except Dynamic as exc:  # met where no finer guard records it: the module is undecidable
        raise Undecidable(path, exc.line, exc.what) from exc
    finally:
        vars(analyzer).clear()  # its parts hold its bound methods: a cycle that held the tree
