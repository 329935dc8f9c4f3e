"""Read a runner's configuration file at a revision, statically: JSON, YAML or a JS/TS module
whose export is an object literal.

A module is read when it is ``module.exports = {...}``, ``export default {...}``, either of
those through ``defineConfig(...)``/``defineProject(...)`` or a ``const`` holding the object.
Only the keys the caller asks for must be literal; ``[...configDefaults.exclude, 'x']`` is
read with vitest's default exclude list. A list of patterns may hold entries a condition
picks (a Choice): ``...(process.env.IS_PUBLISH ? ['\\.bundled\\.js$'] : [])`` or
``node >= 20 ? 'a' : 'b'`` in a list, or ``cond ? [...] : [...]`` as the key's whole value
(babel's and jest's own configurations); the caller names the keys that may (``choosable``):
anywhere else a Choice is Undecidable. A list of projects (``lists``: jest ``projects``, vitest
``test.projects``) must be literal as a list, and its objects may compute what the caller does
not read (vuejs/core's ``execArgv``, a browser provider): the caller asks ``require_literal``
for the keys it reads of each.

A configuration may be ``mergeConfig(a, b)`` (imported from vite or vitest/config, the form
vitest's documentation gives for a project with a vite config): each side is read as above, or
as the default export of the relative module it imports (``import viteConfig from
'./vite.config'``: resolved as esbuild, which bundles the config, resolves it: the file as
written, else with esbuild's extensions, else a ``.js`` as the ``.ts`` beside it). The two merge
as vite merges them: a list with a list or a value is their concatenation, an object with an
object merges key by key, any other value replaces, a null adds nothing (vite's special keys,
``alias`` and the like, are none a caller reads). A side computed where the merge needs its kind
(a list or not) is computed in the result. At most MAX_READ modules a configuration; one that
imports itself is Undecidable. An object's keys are its pairs, shorthands (``{ provider }``)
and methods, the last two computed; the exported object's spread of a ``const``'s object or
of a relative module's default export (an import or a ``require``) copies that object's keys
in its place; any other spread or a computed key (``[name]: ...``) can set any. A module read
so may be any file of the repository: the caller widens a change to one (config.readers).

The trap: a config that computes a key the caller needs (a function export, a spread of
anything but a literal choice, a variable, a preset that may set testMatch) is Undecidable, not
skipped: which files run would be a guess. An object in a list keeps its computed values, so
a key read whole is checked deep.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from guards import strict_yaml
from guards.collect.js.syntax import (
    DYNAMIC,
    Node,
    line,
    literal,
    parse,
    string_value,
    text,
    unwrap,
)
from guards.collect.model import NotParsable, Undecidable
from guards.core import shallow_json
from guards.core.records import record
from guards.errors import GuardsError

VITEST_EXCLUDE = (
    "**/node_modules/**", "**/dist/**", "**/cypress/**", "**/.{idea,git,cache,output,temp}/**",
    "**/{karma,rollup,webpack,vite,vitest,jest,ava,babel,nyc,cypress,tsup,build,eslint,prettier}.config.*",
)  # fmt: skip # -- a packed call reads better here
DEFAULT_SPREADS = {"configDefaults.exclude": VITEST_EXCLUDE, "defaultExclude": VITEST_EXCLUDE}
WRAPPERS = ("defineConfig", "defineProject", "defineWorkspace")
MERGERS = frozenset((m, "mergeConfig") for m in ("vite", "vitest/config", "vitest/node"))
MAX_READ = 8  # configuration modules one configuration reads through mergeConfig's imports
SPECIFIER = re.compile(r"""(?:\bfrom|\bimport|\brequire\s*\()\s*\(?\s*['"](\.\.?/[^'"]*)['"]""")
EXTENSIONS = (".tsx", ".ts", ".jsx", ".js")  # tried, in order, by esbuild, which bundles a config
AS_TYPESCRIPT = {
    ".js": (".ts", ".tsx"),
    ".jsx": (".ts", ".tsx"),
    ".mjs": (".mts",),
    ".cjs": (".cts",),
}
Load = Callable[[str], bytes | None]  # a file's bytes at the revision, None when absent
COMMENTS = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*[\s\S]*?\*/')


@record
class Choice:
    """Entries a condition picks: BRANCHES[0] when CONDITION (its text) holds, else BRANCHES[1]."""

    condition: str
    line: int
    branches: tuple[tuple[str, ...], tuple[str, ...]]


def read_data(path: str, raw: bytes) -> Any:
    """A JSON, JSONC or YAML config file as a value; Undecidable when it does not load."""
    textual = raw.decode("utf-8", errors="replace")
    try:
        if path.endswith((".yaml", ".yml")):  # bounded: no alias bomb, no nesting past Python's
            return strict_yaml.load(textual, path)
        if path.endswith(".jsonc"):
            textual = COMMENTS.sub(lambda m: m.group(1) or "", textual)
        return shallow_json.loads(textual)
    except (ValueError, GuardsError) as exc:
        raise Undecidable(path, 1, f"the runner configuration does not load ({exc})") from exc


def read_module(
    path: str,
    raw: bytes,
    keys: Iterable[str],
    choosable: Iterable[str] = (),
    lists: Iterable[str] = (),
    load: Load | None = None,
) -> dict[str, Any]:
    """The exported object of a JS/TS config module, with KEYS (dotted) literal; those of
    CHOOSABLE may hold Choices; those of LISTS (a list of projects) must be a literal list
    whose objects may hold computed values (the caller requires the keys it reads of each).
    LOAD reads the modules a ``mergeConfig`` imports (without it, such a merge is Undecidable)."""
    try:
        value = _Reader(load).module(path, raw)
    except RecursionError as exc:  # deeper than Python's stack: fail closed, with the reason
        raise Undecidable(path, 1, "the runner configuration nests too deeply to read") from exc
    for key in keys:
        require_literal(path, value, key, key in set(choosable), deep=key not in set(lists))
    return value


class _Reader:
    """One configuration's modules: the first, then those its merges import (LOAD)."""

    def __init__(self, load: Load | None) -> None:
        self.load, self.read = load, list[str]()

    def module(self, path: str, raw: bytes) -> dict[str, Any]:
        if path in self.read:
            raise Undecidable(path, 1, "the runner configuration imports itself")
        if len(self.read) >= MAX_READ:
            raise Undecidable(path, 1, f"the runner configuration imports past {MAX_READ} files")
        self.read.append(path)
        try:
            root = parse(path, raw)
        except NotParsable as exc:
            raise Undecidable(path, exc.line, "the runner configuration does not parse") from exc
        node = _exported(root)
        if node is None:
            raise Undecidable(path, 1, "the runner configuration exports no object literal")
        return self.value(path, root, node)

    def value(self, path: str, root: Node, node: Node) -> dict[str, Any]:
        """The object NODE (in the module ROOT of PATH) stands for: a literal, a merge, or the
        default export of a module it imports."""
        node = _follow(root, node)
        sides = _merge_sides(root, node)
        if sides is not None:
            return merged(*(self.value(path, root, side) for side in sides))
        found = _imported(root, text(node)) if node.type == "identifier" else None
        if found is not None and found[1] == "default":
            return self.module(*self._found(path, found[0], node))
        return _object(path, node, lambda spread: self._spread(path, root, spread))

    def _spread(self, path: str, root: Node, node: Node) -> dict[str, Any] | None:
        """What ``...NAME`` in the exported object copies (react-router's ``...sharedConfig``):
        the object a ``const`` holds, or the default export of a repository module a default
        import or a ``require`` binds to NAME; None for anything else."""
        name = node.named_children[0] if node.named_children else None
        if name is None or name.type != "identifier":
            return None
        found = _imported(root, text(name)) or _required(root, text(name))
        if found is not None and found[1] == "default":
            return self.module(*self._found(path, found[0], name))
        held = _follow(root, name)
        return None if held.type != "object" else self.value(path, root, held)

    def _found(self, path: str, source: str, node: Node) -> tuple[str, bytes]:
        """The file the import SOURCE of PATH names, and its bytes."""
        where = posixpath.normpath(posixpath.join(posixpath.dirname(path), source))
        if self.load is None or not source.startswith(("./", "../")) or where.startswith(".."):
            what = f"{source!r}, which is not a file of this repository"
            raise Undecidable(path, line(node), f"the runner configuration merges {what}")
        tried = _resolutions(where)
        found = next(((p, raw) for p in tried if (raw := self.load(p)) is not None), None)
        if found is None:
            what = f"{source!r}, imported by the runner configuration, does not exist"
            raise Undecidable(path, line(node), what)
        return found


def _merge_sides(root: Node, node: Node) -> tuple[Node, Node] | None:
    """The two configurations of ``mergeConfig(a, b)`` (mergeConfig imported from vite or
    vitest), else None."""
    callee, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
    if node.type != "call_expression" or callee is None or args is None:
        return None
    if callee.type != "identifier" or _imported(root, text(callee)) not in MERGERS:
        return None
    sides = [a for a in args.named_children if a.type != "comment"][:2]
    if len(sides) < 2 or any(a.type == "spread_element" for a in sides):
        return None
    return sides[0], sides[1]


def _imported(root: Node, name: str) -> tuple[str, str] | None:
    """(module, exported name) that an import at the top of ROOT binds to NAME (``default``
    for ``import NAME from 'module'``), else None."""
    for statement in (s for s in root.named_children if s.type == "import_statement"):
        source = statement.child_by_field_name("source")
        for clause in (c for c in statement.named_children if c.type == "import_clause"):
            exported = _bound(clause, name)
            if source is not None and exported is not None:
                return string_value(source) or "", exported
    return None


def imported_paths(path: str, raw: bytes) -> frozenset[str]:
    """Every file of the repository an ``import``, ``export ... from`` or ``require`` of the
    module PATH (its bytes RAW, read as text: a module the reader refuses) may name, resolved
    as ``_Reader._found`` resolves one."""
    folder = posixpath.dirname(path)
    found: set[str] = set()
    for spec in SPECIFIER.findall(raw.decode("utf-8", "replace")):
        found.update(_resolutions(posixpath.normpath(posixpath.join(folder, spec))))
    return frozenset(found)


def _resolutions(where: str) -> list[str]:
    """The files an import of WHERE may be, in the order esbuild tries them: as written, with
    each of its extensions, then a ``.js`` written for the ``.ts`` beside it."""
    stem, suffix = posixpath.splitext(where)
    return [
        where,
        *(where + e for e in EXTENSIONS),
        *(stem + e for e in AS_TYPESCRIPT.get(suffix, ())),
    ]


def _required(root: Node, name: str) -> tuple[str, str] | None:
    """(module, "default") where ROOT binds NAME with ``const NAME = require('module')``."""
    value = _declared(root, name)
    value = unwrap(value) if value is not None else None
    callee = value.child_by_field_name("function") if value is not None else None
    args = value.child_by_field_name("arguments") if value is not None else None
    if callee is None or args is None or text(callee) != "require":
        return None
    first = next((a for a in args.named_children if a.type != "comment"), None)
    source = string_value(first) if first is not None and first.type == "string" else None
    return None if source is None else (source, "default")


def _bound(clause: Node, name: str) -> str | None:
    """The export an import CLAUSE binds to NAME, else None."""
    for part in clause.named_children:
        if part.type == "identifier" and text(part) == name:
            return "default"
        specs = part.named_children if part.type == "named_imports" else []
        for spec in (s for s in specs if s.type == "import_specifier"):
            exported, alias = (spec.child_by_field_name(f) for f in ("name", "alias"))
            if exported is not None and text(alias or exported) == name:
                return text(exported)
    return None


def merged(defaults: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Vite's ``mergeConfig(DEFAULTS, OVERRIDES)`` of two configurations as read here."""
    out = dict(defaults)
    for key, value in overrides.items():
        existing = out.get(key)
        if value is None:
            continue
        if existing is None:
            out[key] = value
        elif unsure(existing) or unsure(value):
            out[key] = _undecided(existing, value)
        elif isinstance(existing, list) or isinstance(value, list):
            out[key] = [*_listed(existing), *_listed(value)]
        elif isinstance(existing, dict) and isinstance(value, dict):
            out[key] = merged(existing, value)
        else:
            out[key] = value
    return out


def unsure(value: Any) -> bool:
    """Whether VALUE, read from a configuration, is known only when it runs: computed, or a
    key's whole Choice (a merge cannot tell whether it is a list: its branches may be lists or
    single patterns; a ``typecheck.enabled`` may be on or off)."""
    return isinstance(value, (_Dynamic, Choice))


def _undecided(existing: Any, value: Any) -> _Dynamic:
    """What a merge only running the config decides stands for: the computed side, else the
    Choice's."""
    found = next((v for v in (value, existing) if isinstance(v, _Dynamic)), None)
    if found is not None:
        return found
    choice: Choice = value if isinstance(value, Choice) else existing
    return _Dynamic(None, choice.line, f"merged with a choice by {choice.condition}")


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _exported(root: Node) -> Node | None:
    for statement in root.named_children:
        if statement.type == "export_statement":
            value = statement.child_by_field_name("value")
            if value is not None:
                return value
        if statement.type == "expression_statement" and statement.named_children:
            expr = statement.named_children[0]
            left = (
                expr.child_by_field_name("left") if expr.type == "assignment_expression" else None
            )
            if left is not None and text(left) in ("module.exports", "exports.default"):
                return expr.child_by_field_name("right")
    return None


def _follow(root: Node, node: Node) -> Node:
    """Through ``defineConfig(x)`` and ``const config = x`` to the expression itself."""
    for _ in range(5):
        node = unwrap(node)
        if node.type == "call_expression":
            callee, args = (
                node.child_by_field_name("function"),
                node.child_by_field_name("arguments"),
            )
            if (
                callee is None
                or args is None
                or text(callee) not in WRAPPERS
                or not args.named_children
            ):
                return node
            node = args.named_children[0]
        elif node.type == "identifier":
            found = _declared(root, text(node))
            if found is None:
                return node
            node = found
        else:
            return node
    return node


def _declared(root: Node, name: str) -> Node | None:
    for statement in root.named_children:
        if statement.type in ("lexical_declaration", "variable_declaration"):
            for decl in statement.named_children:
                target = decl.child_by_field_name("name")
                if target is not None and text(target) == name:
                    return decl.child_by_field_name("value")
    return None


def _object(
    path: str, node: Node, spreads: Callable[[Node], dict[str, Any] | None] = lambda _: None
) -> dict[str, Any]:
    """The object literal NODE's keys; a spread copies what SPREADS reads of it (its keys, in
    its place: a later key sets the same again), anything else can set any key."""
    if node.type != "object":
        raise Undecidable(path, line(node), "the runner configuration is not an object literal")
    out: dict[str, Any] = {}
    for child in node.named_children:
        if child.type == "comment":
            continue
        copied = spreads(child) if child.type == "spread_element" else None
        if copied is not None:
            out.update(copied)
            continue
        name = _key(child)
        if name is None:
            raise Undecidable(path, line(child), f"{text(child)[:60]} can set any key")
        value = child.child_by_field_name("value") if child.type == "pair" else None
        inner = unwrap(value) if value is not None else None
        if inner is None:
            out[name] = _Dynamic(child)  # ``{ provider }``, a method, a getter: computed
        else:
            out[name] = _nested(path, inner) if inner.type == "object" else _value(path, inner)
    return out


def _key(member: Node) -> str | None:
    """The key a MEMBER of an object literal sets (a pair, a shorthand ``{ provider }``, a
    method or accessor), None when any key (a spread, a computed ``[name]: ...``)."""
    if member.type == "shorthand_property_identifier":
        return text(member)
    field = {"pair": "key", "method_definition": "name"}.get(member.type)
    key = member.child_by_field_name(field) if field else None
    if key is None or key.type == "computed_property_name":
        return None
    return string_value(key) if key.type == "string" else text(key)


def _nested(path: str, node: Node) -> Any:
    try:
        return _object(path, node)
    except Undecidable:
        return _Dynamic(node)  # only an error when a key the caller needs is inside


def _value(path: str, node: Node) -> Any:
    if node.type == "ternary_expression":
        return _choice(node) or _Dynamic(node)
    if node.type != "array":
        return literal(node) if literal(node) is not DYNAMIC else _Dynamic(node)
    items: list[Any] = []
    for child in node.named_children:
        if child.type == "comment":
            continue
        if child.type == "spread_element":
            spread = _spread(child)
            if spread is None:
                return _Dynamic(node)
            items.extend(spread)
            continue
        if unwrap(child).type == "ternary_expression":  # one entry or the other
            choice = _choice(unwrap(child))
            if choice is None:
                return _Dynamic(node)
            items.append(choice)
            continue
        value = _nested(path, unwrap(child)) if unwrap(child).type == "object" else literal(child)
        if value is DYNAMIC:
            return _Dynamic(node)
        items.append(value)
    return items


def _spread(node: Node) -> list[Any] | None:
    """What ``...x`` puts in a list: vitest's defaults, or a literal Choice; None otherwise."""
    spread = text(node)[3:].strip()
    if spread in DEFAULT_SPREADS:
        return list(DEFAULT_SPREADS[spread])
    inner = unwrap(node.named_children[0]) if node.named_children else node
    choice = _choice(inner) if inner.type == "ternary_expression" else None
    return None if choice is None else [choice]


def _choice(node: Node) -> Choice | None:
    """``cond ? a : b`` where each branch is a string or a list of strings, else None."""
    condition = node.child_by_field_name("condition")
    yes, no = (_strings(node.child_by_field_name(f)) for f in ("consequence", "alternative"))
    if condition is None or yes is None or no is None:
        return None
    return Choice(" ".join(text(condition).split())[:80], line(node), (yes, no))


def _strings(node: Node | None) -> tuple[str, ...] | None:
    if node is None:
        return None
    value = literal(node)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


class _Dynamic:
    """A value only running the config gives; remembered with where it is."""

    def __init__(self, node: Node | None, at: int = 0, said: str = "") -> None:
        self.line, self.text = (line(node), text(node)[:60]) if node is not None else (at, said)


def require_literal(
    path: str, value: dict[str, Any], dotted: str, choosable: bool = False, deep: bool = True
) -> None:
    """Undecidable when the key DOTTED of VALUE (read from PATH) is computed, holds a Choice
    and is not CHOOSABLE, or, DEEP, holds anything computed (an object in a list)."""
    current: Any = value
    for part in dotted.split("."):
        if isinstance(current, _Dynamic):
            break
        if not isinstance(current, dict) or part not in current:
            return
        current = current[part]
    if isinstance(current, _Dynamic):
        raise Undecidable(path, current.line, f"{dotted} is computed ({current.text})")
    items = current if isinstance(current, list) else [current]
    inner = next((d for d in _computed(items) if deep), None)
    if inner is not None:
        raise Undecidable(path, inner.line, f"{dotted} is computed ({inner.text})")
    choice = next((c for c in items if isinstance(c, Choice)), None)
    if choice is not None and not choosable:
        raise Undecidable(
            path, choice.line, f"{dotted} is chosen by a condition ({choice.condition})"
        )


def _computed(items: list[Any]) -> Iterator[_Dynamic]:
    """The computed values inside ITEMS' objects (an object in a list keeps them), found with
    a stack of its own: a hostile configuration may nest deeper than Python's."""
    stack = list(items)
    while stack:
        item = stack.pop()
        if isinstance(item, _Dynamic):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
