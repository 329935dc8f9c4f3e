"""A name bound to a lambda is a function of that name: ``check = lambda: pytest.skip()``.

pytest collects ``test_x = lambda: ...`` in a module, and ``test_m = lambda self: ...`` in a
test class, as tests (it asks whether the attribute is a function, which a lambda is), and a
call of such a name runs the lambda's expression. So the statement is read as the ``def`` it
stands for (``as_def``): the same name and arguments, a body that returns the expression, at
the statement's lines; the analysis then reads it wherever it reads a ``def`` (a test, a
helper another module imports, a method).

The trap: only one name bound to one lambda is a definition (``check = lambda: ...``, with or
without an annotation); a lambda in a tuple, a container or a chain of targets is a value, read
as any other (a skip in it at import time is undecidable). A ``def`` and a lambda that bind
the same name are two definitions of it: the later one wins, as at run time, and a changed
module's function of that name is never reused from its other revision (incremental.py).
"""

from __future__ import annotations

import ast

# A def's fields a lambda has no counterpart for, where the version has them (3.12's type
# parameters): an empty list, as the parser leaves them on a plain def.
_LISTS = tuple(name for name in ("type_params",) if name in ast.FunctionDef._fields)


def as_def(stmt: ast.AST) -> ast.FunctionDef | None:
    """The ``def`` STMT stands for when it binds one name to a lambda, else None."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
    elif isinstance(stmt, ast.AnnAssign):
        target = stmt.target
    else:
        return None
    value = stmt.value
    if not isinstance(target, ast.Name) or not isinstance(value, ast.Lambda):
        return None
    body = ast.copy_location(ast.Return(value=value.body), value.body)
    func = ast.FunctionDef(
        name=target.id, args=value.args, body=[body], decorator_list=[], returns=None
    )
    for name in _LISTS:
        setattr(func, name, [])
    return ast.copy_location(func, stmt)
