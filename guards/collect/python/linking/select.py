"""After collection: conftest hooks that skip, ``-k``/``-m``/``--deselect`` from addopts,
node-id arguments, and ignore lists (tests that stop being collected count as skipped)."""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Callable, Mapping

from guards.collect.model import NotParsable, Skip, TestItem, Undecidable
from guards.collect.python.config import match_expr as matchexpr
from guards.collect.python.config.addopts import Selection
from guards.collect.python.config.paths import ancestors
from guards.collect.python.linking.hook_eval import ItemView, NotFollowed, evaluate, may_apply_in
from guards.collect.python.parsing.facts import ADDS_MARK, HookRule, Module

DataLoader = Callable[[Module], Mapping[str, frozenset[str]]]


def with_skip(item: TestItem, skip: Skip) -> TestItem:
    return dataclasses.replace(item, skips=(*item.skips, skip))


def may_add_skips(
    conftests: list[Module], inits: list[Module], sel: Selection, nodeids: tuple[str, ...]
) -> bool:
    """Whether a stage after linking may give a test a skip it was linked without: a hook of
    CONFTESTS (apply_hooks), a package's skip at import (package_skips), or a selection
    (apply_selection: -k, -m, --deselect, node ids, nothing runs)."""
    if any(r.kind != ADDS_MARK for c in conftests if c.conftest for r in c.conftest.hooks):
        return True  # a marker a hook adds (ADDS_MARK) is no skip without a hook that skips
    if any(m.module_skips for m in inits):
        return True
    return bool(sel.selects or sel.deselect or nodeids)


def apply_hooks(
    items: list[TestItem],
    conftests: list[Module],
    data: DataLoader,
    given: frozenset[str] = frozenset(),
) -> list[TestItem]:
    """ITEMS with the skips the CONFTESTS' hooks add; GIVEN: the options addopts passes. A
    marker a hook adds (ADDS_MARK) is on the item for every hook's condition, whichever runs
    first (a hook that skips on a mark another adds after it is read as if it came before:
    more skips, never fewer); one added under a condition not read decides nothing unless a
    skip turns on it, which is then undecidable (_Marked). The markers are read only where a
    skip's condition asks for one (pytest's own conftest marks every pytester test ``slow``
    and skips none: its listing reads no marker)."""
    rules = [(c, r) for c in conftests if c.conftest for r in c.conftest.hooks]
    skips = [(c, r) for c, r in rules if r.kind != ADDS_MARK]
    if not skips:
        return items
    if not any(_on_markers(r.cond) for _, r in skips):
        rules = skips
    live: dict[str, list[tuple[Module, HookRule]]] = {}  # path -> the rules that may apply there
    out = []
    for item in items:
        if item.path not in live:  # a rule on node ids a data file lists: most files, none
            live[item.path] = [(c, r) for c, r in rules if may_apply_in(r.cond, item.path, data(c))]
        view = ItemView(
            item.nodeid, item.nodeid.rsplit("::", 1)[-1], item.path, item.keywords, item.marks
        )
        marked = _Marked(view, [(c, r) for c, r in live[item.path] if r.kind == ADDS_MARK], data)
        for conftest, rule in live[item.path]:
            if rule.kind != ADDS_MARK and marked.applies(conftest, rule, given):
                item = with_skip(item, Skip(rule.kind, rule.line, rule.detail, conftest.path))
        out.append(item)
    return out


def _on_markers(cond: tuple[object, ...]) -> bool:
    """Whether COND reads the item's markers or keywords anywhere (a part may be a literal
    collection, empty too)."""
    if cond and cond[0] in ("mark", "keyword"):
        return True
    return any(isinstance(part, tuple) and _on_markers(part) for part in cond[1:])


class _Marked:
    """An item's view with the markers hooks add to it (ADDERS), to a fixed point (one adds a
    marker where another added one): SURE holds those whose condition holds, MAYBE those whose
    condition's unread part may make it hold too (hook_eval.NotFollowed)."""

    def __init__(
        self, view: ItemView, adders: list[tuple[Module, HookRule]], data: DataLoader
    ) -> None:
        self.adders, self.data = adders, data
        self.sure = self._fixed(view, unread=False)
        self.maybe = self._fixed(view, unread=True) if adders else self.sure

    def applies(self, conftest: Module, rule: HookRule, given: frozenset[str]) -> bool:
        """Whether RULE applies with the markers surely added; undecidable where only one
        that may be added makes it apply."""
        data = self.data(conftest)
        if _applies(conftest, rule, self.sure, data, given):
            return True
        if self.maybe is self.sure or not _applies(conftest, rule, self.maybe, data, given):
            return False
        raise self._unsure(self.maybe.marks - self.sure.marks)

    def _fixed(self, view: ItemView, unread: bool) -> ItemView:
        for _ in range(len(self.adders)):
            new = {r.detail for c, r in self.adders if self._adds(c, r, view, unread)}
            if new <= view.marks:
                break
            view = dataclasses.replace(view, marks=view.marks | new)
        return view

    def _adds(self, conftest: Module, rule: HookRule, view: ItemView, unread: bool) -> bool:
        try:
            return evaluate(rule.cond, view, self.data(conftest))
        except NotFollowed:
            return unread

    def _unsure(self, marks: frozenset[str]) -> Undecidable:
        """What is not followed: the part not read of an adder of one of MARKS that decides
        on the SURE view (a marker only MAYBE holds leads back to one: SURE is closed under
        the additions that surely happen)."""
        found = [(c, r) for c, r in self.adders if r.detail in marks]
        for conftest, rule in found:
            try:
                evaluate(rule.cond, self.sure, self.data(conftest))
            except NotFollowed as exc:
                what = f"a hook condition on the test item ({exc.what}) is not followed"
                return Undecidable(conftest.path, exc.line or rule.line, what)
        conftest, rule = found[0]
        return Undecidable(conftest.path, rule.line, f"the marker {rule.detail} may be added")


def _applies(
    conftest: Module,
    rule: HookRule,
    view: ItemView,
    data: Mapping[str, frozenset[str]],
    given: frozenset[str],
) -> bool:
    """Whether RULE of CONFTEST applies to the item VIEW; undecidable where a condition on the
    item not read decides it (hook_eval.NotFollowed)."""
    try:
        return evaluate(rule.cond, view, data, given)
    except NotFollowed as exc:
        what = f"a hook condition on the test item ({exc.what}) is not followed"
        raise Undecidable(conftest.path, exc.line or rule.line, what) from exc


def apply_selection(
    items: list[TestItem], sel: Selection, source: str, nodeids: tuple[str, ...]
) -> list[TestItem]:
    keyword = _compile(sel.keyword, "-k", source)
    markexpr = _compile(sel.markexpr, "-m", source)
    out = []
    for item in items:
        why = _deselected(item, sel, keyword, markexpr, nodeids)
        out.append(with_skip(item, Skip("deselected", 0, why, source)) if why else item)
    return out


def _compile(text: str, option: str, source: str) -> matchexpr.Node | None:
    if not text:
        return None
    try:
        return matchexpr.parse(text)
    except ValueError as exc:
        raise Undecidable(source, 0, f"addopts {option} {text!r}: {exc}") from exc


def _deselected(
    item: TestItem,
    sel: Selection,
    keyword: matchexpr.Node | None,
    markexpr: matchexpr.Node | None,
    nodeids: tuple[str, ...],
) -> str:
    if sel.nothing_runs:
        return sel.nothing_runs
    if nodeids and not any(_selects(n, item.nodeid) for n in nodeids):
        return "not among the node ids given in addopts"
    prefix = next((p for p in sel.deselect if item.nodeid.startswith(p)), None)
    if prefix is not None:
        return f"deselected by --deselect {prefix} in addopts"
    if keyword is not None and not matchexpr.evaluate(
        keyword, matchexpr.keyword_matcher(item.keywords)
    ):
        return f"deselected by -k {sel.keyword!r} in addopts"
    if markexpr is not None and not matchexpr.evaluate(
        markexpr, matchexpr.mark_matcher(item.marks)
    ):
        return f"deselected by -m {sel.markexpr!r} in addopts"
    return ""


def _selects(arg: str, nodeid: str) -> bool:
    return nodeid == arg or nodeid.startswith((arg + "::", arg + "["))


def mark_ignored(items: list[TestItem], why: str, source: str) -> list[TestItem]:
    return [with_skip(item, Skip("ignored", 0, why, source)) for item in items]


def package_inits(analyzed: Callable[[str], Module | None], path: str) -> list[Module]:
    """The ``__init__.py`` of each package around PATH, innermost first: importing the test
    module runs them, so a module-level skip in one skips the whole package."""
    out: list[Module] = []
    for folder in reversed(ancestors(path)):
        try:
            found = analyzed(posixpath.join(folder, "__init__.py"))
        except NotParsable:  # the package does not import: its tests error, they do not skip
            return out
        if found is None:
            return out
        out.append(found)
    return out


def package_skips(items: list[TestItem], inits: list[Module]) -> list[TestItem]:
    """A package ``__init__.py`` that skips at import skips every test module inside it
    (its ``pytestmark`` does not: pytest applies no marks from it)."""
    skips = [dataclasses.replace(s, path=m.path) for m in inits for s in m.module_skips]
    if not skips:
        return items
    return [dataclasses.replace(item, skips=(*item.skips, *skips)) for item in items]
