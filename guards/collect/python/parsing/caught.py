"""Where a skip a body raises is caught where it is raised: inside ``with pytest.raises(E):``
or a ``try`` whose handler catches E, by what E's class catches of the outcome the form raises
(skip_forms.RAISES, CATCHES: ``raises(pytest.xfail.Exception)`` lets a skip through); and
``os._exit`` in a forked child's branch (``pid = os.fork()``, ``if pid == 0:``), which ends
the child, not the session.

Contract: ``caught(catchers, env, body)`` maps the id of each node of CATCHERS' regions to the
outcomes caught there; ``swallowed(node, outcomes, env)`` says whether what NODE raises is
among them: a skip form by its outcome, anything else (a helper that may skip or xfail) only
where every outcome is. ``catcher(node)`` is what may hold such a region.

The trap: a handler catches what derives from its class, not every skip: matching the outcome
to the class is what keeps ``pytest.skip()`` inside ``raises(pytest.xfail.Exception)`` a skip.
A class computed at run time catches nothing (more skips counted, never fewer).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from guards.collect.python.parsing.symbols import Env
from guards.collect.python.parsing.walk import nodes as walk_nodes
from guards.collect.python.parsing.walk import nodes_of
from guards.collect.python.skip_forms import CATCHES, OUTCOMES, PROCESS_EXIT, RAISES

CATCHERS = frozenset({ast.With, ast.AsyncWith, ast.Try})
REFERENCES = (ast.Name, ast.Attribute, ast.Call)  # what may name a skip form
FORKS = frozenset({"os.fork", "os.forkpty", "pty.fork"})  # return 0 in the child


def catcher(node: ast.AST) -> bool:
    """A ``with``, a ``try``, or an ``if`` that may be a forked child's branch (_caught)."""
    return type(node) in CATCHERS or (type(node) is ast.If and child_branch(node) is not None)


def caught(nodes: list[ast.AST], env: Env, body: list[ast.AST]) -> dict[int, frozenset[str]]:
    """Node id -> the outcomes (skip_forms.OUTCOMES) caught where it is raised: inside ``with
    pytest.raises(E):`` (the test asserts that something raises E; the test itself does not
    skip) or the body of a ``try`` whose handlers catch E, by what E catches (CATCHES); the
    exception classes named there raise nothing (every outcome, for them). In a forked child's
    branch (``pid = os.fork()``, then ``if pid == 0:``, of the BODY's names) ``os._exit`` ends
    the child, not the session."""
    out: dict[int, frozenset[str]] = {}
    forked = _forked(body, env) if any(type(n) is ast.If for n in nodes) else set()

    def catch(subs: Iterable[ast.AST], outcomes: frozenset[str]) -> None:
        for sub in subs:
            out[id(sub)] = out.get(id(sub), frozenset()) | outcomes

    for node in nodes:
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                raised = _raised_in(item.context_expr, env)
                if raised is not None and (outcomes := _catches(raised, env)):
                    catch(walk_nodes(node), outcomes)
                    catch(walk_nodes(raised), OUTCOMES)
        elif isinstance(node, ast.Try):
            types = [h.type for h in node.handlers if h.type is not None]
            if outcomes := frozenset().union(*(_catches(t, env) for t in types)):
                catch(nodes_of(node.body), outcomes)
                catch((sub for t in types for sub in walk_nodes(t)), OUTCOMES)
        elif isinstance(node, ast.If) and (branch := child_branch(node)) is not None:
            name, stmts = branch
            if name in forked:
                catch(nodes_of(stmts), frozenset({PROCESS_EXIT}))
    return out


def child_branch(node: ast.If) -> tuple[str, list[ast.stmt]] | None:
    """The name an ``if`` tests as a fork's pid, and its branch that runs in the child (the
    pid is 0 there): ``if pid == 0:``/``if not pid:`` the body, ``if pid:``/``if pid > 0:``
    the ``else``."""
    test = node.test
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return (test.operand.id, node.body) if isinstance(test.operand, ast.Name) else None
    if isinstance(test, ast.Name):
        return test.id, node.orelse
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left, right, op = test.left, test.comparators[0], test.ops[0]
    if isinstance(right, ast.Name) and _zero(left):
        left, right = right, left
    if not (isinstance(left, ast.Name) and _zero(right)):
        return None
    if isinstance(op, ast.Eq):
        return left.id, node.body
    return (left.id, node.orelse) if isinstance(op, (ast.NotEq, ast.Gt)) else None


def _zero(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == 0 and type(node.value) is int


def _forked(body: list[ast.AST], env: Env) -> set[str]:
    """The names BODY binds to a fork's result (``pid = os.fork()``, ``pid, fd =
    os.forkpty()``)."""
    forks = [
        node
        for node in body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and env.try_resolve(node.value.func) in FORKS
    ]
    return {name for node in forks for t in node.targets if (name := _pid(t))}


def _pid(target: ast.expr) -> str:
    """The name a fork's pid is bound to in TARGET: itself, or a tuple's first."""
    first = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
    return first.id if isinstance(first, ast.Name) else ""


def swallowed(node: ast.AST, outcomes: frozenset[str] | None, env: Env) -> bool:
    """Whether what NODE raises is caught (OUTCOMES, from _caught): a skip form's outcome;
    anything else (a helper that may skip or xfail) only where every outcome is."""
    if not outcomes:
        return False
    raised = RAISES.get(env.try_resolve(node) or "") if isinstance(node, REFERENCES) else None
    return raised in outcomes if raised is not None else outcomes >= OUTCOMES


def _raised_in(node: ast.expr, env: Env) -> ast.expr | None:
    """E of ``pytest.raises(E, ...)``, else None."""
    if not (isinstance(node, ast.Call) and node.args):
        return None
    return node.args[0] if env.resolve(node.func) == "pytest.raises" else None


def _catches(node: ast.expr, env: Env) -> frozenset[str]:
    """The outcomes the exception class NODE (or a tuple of them) catches."""
    if isinstance(node, ast.Tuple):
        return frozenset().union(*(_catches(e, env) for e in node.elts))
    if isinstance(node, ast.Name) and node.id in CATCHES and node.id not in env.names:
        return CATCHES[node.id]  # a builtin: BaseException, Exception
    return CATCHES.get(env.try_resolve(node) or "", frozenset())
