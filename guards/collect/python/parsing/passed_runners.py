"""Code a body runs that is not called where it is named: ``map(exec, codes)``, ``f =
(exec,)[0]``, ``functools.partial(exec, code)``, ``functools.reduce(getattr, names, pytest)``,
``__builtins__["exec"]``, ``pytest.__dict__["skip"]``, ``operator.attrgetter("skip")(pytest)``,
``getattr(*[pytest, "skip"])``, ``runpy.run_path(path)``. What such code runs is not known: a
possible skip of the test (``dynamic-skip``), never of the whole file.

Contract: ``passed(func, nodes, env)`` is the dynamic references of FUNC's body NODES, one per
runner passed as a value (exec, eval, compile or getattr not called where it is named, the
builtins or a module holding a skip by another name, a file's runner) and per module holding a
skip given to a call. Not: a call where the runner is named (symbols.evaluated reads it), a
name the function binds (sympy's ``eval = classmethod(...)``: its own), ``getattr(pytest,
name)`` itself (the resolver's), ``setattr``/``monkeypatch.setattr`` of a constant name no skip
is spelled by (pytest's own tests record things on the pytest module so).

The trap: bodies.py asks this only of a body whose first reading met a runner's name or a
holder given to a call (``_Refs.runners``), so what that reading notes and what is found here
must be the same conditions (``runs_what_it_is_given``, HOLDERS).
"""

from __future__ import annotations

import ast

from guards.collect.python.parsing.caught import FORKS
from guards.collect.python.parsing.facts import Ref
from guards.collect.python.parsing.name_bindings import binds
from guards.collect.python.parsing.symbols import (
    EVALUATORS,
    GETATTR,
    HOLDERS,
    SKIP_ATTRS,
    SKIP_HOLDERS,
    Env,
    literal_str,
)

FuncNode = ast.FunctionDef | ast.AsyncFunctionDef
DYNAMIC = "dynamic:code"  # the skip form of code chosen at run time (skip_forms.py)
RUNNERS = frozenset({*EVALUATORS, GETATTR})  # run or look up what they are given, by name
RUN_FILES = frozenset({"runpy.run_path", "runpy.run_module"})  # run a file's code, called or not
# What hands out the builtins, or a module that holds a skip, by another name.
BUILTINS_BY_NAME = frozenset(
    {"__builtins__", "builtins.__dict__", *(f"{h}.__dict__" for h in SKIP_HOLDERS)}
)
PASSED = "passed as a value: what it runs is chosen at run time"


# What bodies.py notes where it is named: not getattr, which most library bodies call (a body
# that gives it to a call is noted there, RUNNER_NAMES).
NOTED = frozenset({*EVALUATORS, *BUILTINS_BY_NAME, *RUN_FILES, *FORKS})
RUNNER_NAMES = frozenset({"exec", "eval", "compile", "getattr"})  # given to a call: noted


def runs_what_it_is_given(sym: str | None) -> bool:
    """Whether SYM runs or looks up what it is given, or hands out what does."""
    return sym in RUNNERS or sym in BUILTINS_BY_NAME or sym in RUN_FILES


def passed(func: FuncNode, nodes: list[ast.AST], env: Env) -> list[Ref]:
    """An exec, eval, compile or getattr of FUNC's body NODES that is not called where it is
    named (``map(exec, codes)``, ``f = (exec,)[0]``, ``partial(exec, code)``,
    ``reduce(getattr, names, pytest)``), the builtins or a module that holds a skip by another
    name (``__builtins__["exec"]``, ``pytest.__dict__["skip"]``), such a module given to a call
    (``attrgetter("skip")(pytest)``, ``getattr(*[pytest, "skip"])``), and code run from a file
    (``runpy.run_path``): what it runs is not known, a possible skip of the test. A name the
    function binds is its own (sympy's ``eval = classmethod(...)``). Asked only of a body that
    names one (_Refs.runners)."""
    args = func.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    own = {a.arg for a in params if a is not None} | {n for node in nodes for n in binds(node)}
    called = {
        id(node.func)
        for node in nodes
        if isinstance(node, ast.Call) and env.try_resolve(node.func) in RUNNERS
    }
    passed = [node for node in nodes if id(node) not in called and _runner(node, env, own)]
    passed += [
        arg for node in nodes if isinstance(node, ast.Call) for arg in _holders_given(node, env)
    ]
    return [
        Ref(getattr(node, "lineno", 0), sym=DYNAMIC, detail=f"{ast.unparse(node)} {PASSED}")
        for node in passed
    ]


def _holders_given(call: ast.Call, env: Env) -> list[ast.Name]:
    """The names of CALL's arguments (``*[...]`` opened) that are a module holding a skip; not
    where an attribute that is no skip's is set on it (``monkeypatch.setattr(pytest,
    "recorded", [])``, pytest's own tests)."""
    if _sets_other_than_a_skip(call):
        return []
    starred = any(isinstance(a, ast.Starred) for a in call.args)
    if not starred and env.try_resolve(call.func) == GETATTR:
        return []  # getattr(pytest, name): the resolver reads it, a computed name is dynamic
    given = [*call.args, *(k.value for k in call.keywords)]
    items = [item for arg in given for item in opened(arg)]
    return [a for a in items if isinstance(a, ast.Name) and env.try_resolve(a) in HOLDERS]


def _sets_other_than_a_skip(call: ast.Call) -> bool:
    """``setattr(module, "name", value)`` (builtin or monkeypatch's) of a constant name that no
    skip is spelled by."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    attr = literal_str(call.args[1]) if name == "setattr" and len(call.args) > 1 else None
    return attr is not None and attr not in SKIP_ATTRS


def opened(arg: ast.expr) -> list[ast.expr]:
    """What an argument ARG gives: the items of ``*[...]`` (the value of any other ``*x``), or
    ARG itself."""
    if not isinstance(arg, ast.Starred):
        return [arg]
    value = arg.value
    return list(value.elts) if isinstance(value, (ast.List, ast.Tuple, ast.Set)) else [value]


def _runner(node: ast.AST, env: Env, own: set[str]) -> bool:
    """Whether NODE names exec, eval, compile or getattr, the builtins by another name, or a
    file's runner (a name in OWN is the function's own, whatever it is called)."""
    if isinstance(node, ast.Name) and node.id in own:
        return False
    if isinstance(node, ast.Name) and node.id == "__builtins__":
        return True
    if not isinstance(node, (ast.Name, ast.Attribute)):
        return False
    return runs_what_it_is_given(env.try_resolve(node))
