"""Module-level statements: pytestmark, import-time skips, ``X.__test__``, rebinding, del.

Code that runs at import is read as declarations: ``pytest.skip(allow_module_level=True)``,
``importorskip`` and ``raise unittest.SkipTest`` skip the module; any other use of a skip
construct at import time is undecidable.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import TYPE_CHECKING

from guards.collect.model import Skip
from guards.collect.python.parsing.facts import MarkUse
from guards.collect.python.parsing.symbols import Env, evaluated, is_skippy, literal_str
from guards.collect.python.parsing.walk import nodes as walk_nodes
from guards.collect.python.skip_forms import MODULE_SKIP

if TYPE_CHECKING:
    from guards.collect.python.parsing.marks import MarkReader


class TopLevel:
    """Mixed into the Analyzer: the state it provides, and the module-level statements."""

    env: Env
    reader: MarkReader
    funcs: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]
    classes: dict[str, ast.ClassDef]
    undecidable: list[tuple[int, str]]
    module_skips: list[Skip]
    marks: list[MarkUse]
    attr_marks: dict[str, list[MarkUse]]
    attr_test: dict[str, bool]
    settled: Mapping[str, ast.expr]
    assigned: dict[str, int]

    def _statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self._assignment(stmt)
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    self.funcs.pop(target.id, None)
                    self.classes.pop(target.id, None)
        elif _setattr(stmt) is not None:
            self._setattr(stmt)
        elif not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.import_time_skip(stmt)

    def _setattr(self, stmt: ast.stmt) -> None:
        """``setattr(TestX, "__test__", False)`` is ``TestX.__test__ = False``; a computed
        attribute name on a test or class could be ``__test__`` or ``pytestmark``."""
        call = _setattr(stmt)
        assert call is not None
        owner, attr, value = call.args
        name = literal_str(attr)
        if not isinstance(owner, ast.Name):
            return
        if name is not None:
            self._attribute(owner.id, name, value)
        elif owner.id in self.funcs or owner.id in self.classes:
            self.undecidable.append(
                (stmt.lineno, f"setattr({owner.id}, <computed name>, ...) may set __test__")
            )

    def _assignment(self, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        value = stmt.value
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        if value is None:
            return
        for target in targets:
            if isinstance(target, ast.Name) and target.id == "__test__":
                self._module_test(stmt, value)
            elif isinstance(target, ast.Name) and target.id == "pytestmark":
                self.marks.extend(self.reader.read(value))
            elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                self._attribute(target.value.id, target.attr, value)
            elif isinstance(target, ast.Name) and target.id in self.funcs:
                self._rebind(target.id, value)
            else:
                self._plain_assignment(stmt, value)

    def _module_test(self, stmt: ast.stmt, value: ast.expr) -> None:
        """``__test__ = False`` at module level: pytest collects nothing from the module."""
        if self.read_test_attr(value, stmt.lineno) is False:
            self.module_skips.append(
                Skip("not-collected", stmt.lineno, "__test__ = False at module level")
            )

    def read_test_attr(self, value: ast.expr, line: int) -> bool | None:
        """What ``__test__ = VALUE`` sets, as pytest reads it when it collects: a literal, or
        a name the module binds once, to a literal nothing changes (settled.py: ``ENABLED =
        False``, which a change may flip); anything else is undecidable (None). A name bound
        twice is not read: which value a class body saw depends on where it stands."""
        if isinstance(value, ast.Name) and self.assigned.get(value.id) == 1:
            value = self.settled.get(value.id, value)
        if isinstance(value, ast.Constant):
            return bool(value.value)
        self.undecidable.append((line, "__test__ is set to a computed value"))
        return None

    def _attribute(self, owner: str, attr: str, value: ast.expr) -> None:
        """``test_x.pytestmark = [...]`` and ``TestX.__test__ = False`` after the definition."""
        if attr == "pytestmark":
            self.attr_marks.setdefault(owner, []).extend(self.reader.read(value))
        elif attr == "__test__" and (found := self.read_test_attr(value, value.lineno)) is not None:
            self.attr_test[owner] = found

    def _rebind(self, name: str, value: ast.expr) -> None:
        """``test_x = pytest.mark.skip(test_x)`` keeps the test; any other value replaces it."""
        wraps = isinstance(value, ast.Call) and any(
            isinstance(a, ast.Name) and a.id == name for a in value.args
        )
        if wraps:
            assert isinstance(value, ast.Call)
            self.attr_marks.setdefault(name, []).extend(self.reader.read(value.func))
        else:
            self.funcs.pop(name, None)

    def _plain_assignment(self, stmt: ast.stmt, value: ast.expr) -> None:
        if isinstance(value, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
            return  # marks or parameter sets kept as data; read where they are used
        sym = self.env.resolve(value)
        if isinstance(value, ast.Call) and sym is not None and sym[5:] in MODULE_SKIP:
            self._module_skip(MODULE_SKIP[sym[5:]], stmt.lineno, sym[5:])
        elif not is_skippy(sym):
            self.import_time_skip(stmt)

    def import_time_skip(self, stmt: ast.stmt) -> None:
        """A skip call or raise at import skips the module; other skip uses are undecidable.
        Code run by ``exec``/``eval``/``compile`` at import is read as more statements."""
        for node in walk_nodes(stmt):
            for inner in evaluated(node, self.env) or ():
                self._statement(inner)
        found = first_skippy(stmt, self.env)
        if found is None:
            return
        sym, line = found
        call = stmt.value if isinstance(stmt, ast.Expr) else getattr(stmt, "exc", None)
        callee = (
            self.env.resolve(call.func if isinstance(call, ast.Call) else call) if call else None
        )
        if callee in MODULE_SKIP:
            self._module_skip(MODULE_SKIP[callee], stmt.lineno, callee)
        else:
            self.undecidable.append((line, f"{sym} is used at import time in a way not followed"))

    def _module_skip(self, kind: str, line: int, sym: str) -> None:
        self.module_skips.append(Skip(kind, line, f"{sym}() at module level"))


def _setattr(stmt: ast.stmt) -> ast.Call | None:
    """The ``setattr(owner, name, value)`` call a statement is, if it is one."""
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and len(call.args) == 3:
        return call if call.func.id == "setattr" else None
    return None


def first_skippy(node: ast.AST, env: Env) -> tuple[str, int] | None:
    for sub in walk_nodes(node):
        if isinstance(sub, (ast.Name, ast.Attribute, ast.Call)):
            sym = env.resolve(sub)
            if is_skippy(sym) and sym is not None:
                return sym, getattr(sub, "lineno", 0)
    return None
