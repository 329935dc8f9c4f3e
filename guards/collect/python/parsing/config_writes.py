"""A conftest that rewrites pytest's options at run time: ``config.option.markexpr = ...``.

Options set in ``pytest_configure`` (or any conftest code) bypass the ini file and addopts:
``config.option.markexpr``/``keyword``/``deselect``/``ignore``/``collectonly``,
``config.args``, ``config.inicfg``, ``config.pluginmanager.set_blocked("python")`` can
deselect, ignore or stop every test. Writes to options known to change only output or
reporting are harmless; every other write is undecidable, naming the file and line.

The trap: the config object arrives under many names (``config``, ``pytestconfig``,
``session.config``, ``item.config``, ``request.config``), so a write is recognised by an
attribute chain that passes through ``config`` (or ``pytestconfig``), not by one spelling; a
name bound to such a chain (``opt = config.option``, then ``opt.keyword = ...``) stands for it
(_aliases, to a fixed point of MAX_ALIASES rounds).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from guards.collect.python.parsing.walk import nodes as walk_nodes

CONFIG_NAMES = frozenset({"config", "pytestconfig", "early_config", "_config"})
NAMESPACES = frozenset({"option", "known_args_namespace", "inicfg", "_inicache", "args"})
# Options whose value only changes what is printed or how failures are reported.
HARMLESS = frozenset({
    "verbose", "tbstyle", "color", "capture", "showlocals", "reportchars", "durations",
    "durations_min", "log_level", "log_cli_level", "log_format", "log_date_format",
    "log_file", "basetemp", "disable_warnings", "no_header", "no_summary", "code_highlight",
    "showcapture", "markers", "debug", "traceconfig", "strict_markers", "strict_config",
    "usepdb", "usepdb_cls", "trace", "maxfail", "exitfirst",
})  # fmt: skip # -- packed lists read better than one item a line
MAX_ALIASES = 8  # rounds of names bound to names bound to the config
PLUGIN_CHANGES = frozenset({"set_blocked", "unregister", "import_plugin", "consider_preparse"})
MUTATORS = frozenset({
    "append", "extend", "insert", "update", "__setitem__", "__setattr__", "pop", "remove",
    "clear", "setdefault",
})  # fmt: skip # -- packed lists read better than one item a line


def config_writes(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, what) for every write to pytest's options in TREE that can change what runs."""
    out: dict[int, str] = {}
    nodes = walk_nodes(tree)
    aliases = _aliases(nodes)
    for node in nodes:
        for target in _targets(node):
            what = _option_write(target, aliases)
            if what:
                out.setdefault(target.lineno, f"the conftest sets {what} at run time")
        if isinstance(node, ast.Call):
            what = _call_write(node, aliases)
            if what:
                out.setdefault(node.lineno, f"the conftest calls {what}")
    return sorted(out.items())


def _targets(node: ast.AST) -> Iterator[ast.expr]:
    """What NODE writes through: attributes and items, not a name it binds (``opt =
    config.option`` binds an alias, _aliases)."""
    if isinstance(node, ast.Assign):
        found = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        found = [node.target]
    elif isinstance(node, ast.Delete):
        found = node.targets
    else:
        found = []
    yield from (t for t in found if not isinstance(t, ast.Name))


def _aliases(nodes: list[ast.AST]) -> dict[str, list[str]]:
    """Names bound to a chain through the config object (``opt = config.option``, ``cfg =
    config``), to the chain each stands for."""
    assigns = [
        (node.targets[0].id, node.value)
        for node in nodes
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
    ]
    found: dict[str, list[str]] = {}
    for _ in range(MAX_ALIASES):
        new = {
            n: c for n, v in assigns if n not in found and _through_config(c := _chain(v, found))
        }
        if not new:
            break
        found.update(new)
    return found


def _option_write(target: ast.expr, aliases: dict[str, list[str]]) -> str:
    """``config.option.markexpr`` (and ``config.args``, ``config.inicfg["x"]``) as a target."""
    chain = _chain(target, aliases)
    return ".".join(chain) if _changes_options(chain) else ""


def _changes_options(chain: list[str]) -> bool:
    """Whether writing to (or mutating) CHAIN changes an option that can select tests."""
    spot = next((i for i, p in enumerate(chain) if p in NAMESPACES), None)
    if spot is None or not _through_config(chain[:spot]):
        return False
    option = chain[spot + 1] if spot + 1 < len(chain) else ""
    return not (chain[spot] != "args" and option in HARMLESS)


def _call_write(call: ast.Call, aliases: dict[str, list[str]]) -> str:
    """``config.args.append(...)``, ``setattr(config.option, ...)``, ``set_blocked(...)``."""
    func = call.func
    if isinstance(func, ast.Name) and func.id == "setattr" and call.args:
        chain = _chain(call.args[0], aliases)
        name = call.args[1] if len(call.args) > 1 else None
        harmless = isinstance(name, ast.Constant) and name.value in HARMLESS
        if _through_config(chain) and chain[-1] in NAMESPACES and not harmless:
            return f"setattr({'.'.join(chain)}, ...)"
        return ""
    if not isinstance(func, ast.Attribute):
        return ""
    chain = _chain(func, aliases)
    owner, method = chain[:-1], chain[-1]
    if method in MUTATORS and _changes_options([p for p in owner if p != "__dict__"]):
        return ".".join(chain) + "()"
    if owner[-1:] == ["pluginmanager"] and _through_config(owner) and method in PLUGIN_CHANGES:
        return ".".join(chain) + "()"
    return ""


def _chain(node: ast.expr, aliases: dict[str, list[str]]) -> list[str]:
    """``session.config.option.x`` -> ["session", "config", "option", "x"] ("?" for calls); a
    name of ALIASES is the chain it stands for."""
    parts: list[str] = []
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:  # vars(config.option)[...] writes the namespace itself
            is_vars = isinstance(node.func, ast.Name) and node.func.id == "vars" and node.args
            node = node.args[0] if is_vars else node.func
    root = node.id if isinstance(node, ast.Name) else "?"
    return [*aliases.get(root, [root]), *parts[::-1]]


def _through_config(chain: list[str]) -> bool:
    return any(part in CONFIG_NAMES for part in chain)
