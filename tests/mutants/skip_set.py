"""Detections of skip-set, each with a replacement that disables it."""

from __future__ import annotations

from guards.collect.reports.model import RunTest
from guards.core.collect.model import XFAIL_KINDS, Skip, TestItem
from guards.finding import Finding, Outcome


def _nothing(*_a: object, **_k: object) -> None:
    return None


def _empty_list(*_a: object, **_k: object) -> list[object]:
    return []


def _empty_tuple(*_a: object, **_k: object) -> tuple[object, ...]:
    return ()


def _no_text(*_a: object, **_k: object) -> str:
    return ""


def _no_xfail(self: TestItem, xfail_counts: bool) -> tuple[Skip, ...]:
    return tuple(s for s in self.skips if s.kind not in XFAIL_KINDS)


def _passes(*_a: object, **_k: object) -> Finding:
    return Finding("skip_set_not_grown", Outcome.PASS, "mutant")


def _never_defined(test: RunTest, *_a: object) -> bool:
    return False


def _no_classes(classname: str, _file: str, _modules: object) -> tuple[str, list[str]]:
    return classname.replace(".", "/") + ".py", []


MUTANTS = [
    ("reports: skipped at head", "guards.checks.skip_set_reports:_grown", _passes),
    ("reports: absent from head", "guards.checks.skip_set_reports:_vanished", _passes),
    ("reports: static cross-check", "guards.checks.skip_set_reports:unseen_findings", _empty_list),
    ("reports: definition still there", "guards.collect.reports.defined:defined", _never_defined),
    ("reports: pytest classnames to node ids", "guards.collect.reports.nodeid:split", _no_classes),
    ("skip/skipif/xfail and unittest decorators", "guards.core.collect.skipsof:kind_of", _no_text),
    ("aliases bound by assignment", "guards.core.collect.analyze:Analyzer._bind_target", _nothing),
    ("getattr with a literal name", "guards.core.collect.symbols:Env._getattr", _nothing),
    ("skips in test bodies", "guards.core.collect.classes:body_refs", _empty_tuple),
    ("helpers that skip", "guards.core.collect.resolve:Resolver.function", _nothing),
    ("module-level skips", "guards.core.collect.toplevel:TopLevel._module_skip", _nothing),
    (
        "test.__test__ / X.pytestmark after the def",
        "guards.core.collect.toplevel:TopLevel._attribute",
        _nothing,
    ),
    ("parameter-set marks", "guards.core.collect.marks:MarkReader.case_marks", _empty_tuple),
    ("empty parameter sets", "guards.core.collect.link:empty_parameter_set", _empty_list),
    ("fixtures that skip", "guards.core.collect.skipsof:SkipFinder.fixtures_of", _empty_list),
    (
        "setUp / setup_method skips",
        "guards.core.collect.skipsof:SkipFinder.setup_class",
        _empty_list,
    ),
    ("setup_module skips", "guards.core.collect.skipsof:SkipFinder.setup_module", _empty_list),
    ("__test__ = False and __init__ on classes", "guards.core.collect.link:disabled_by", _nothing),
    (
        "unittest.TestCase classes",
        "guards.core.collect.resolve:Resolver.is_testcase",
        lambda *a: False,
    ),
    ("inherited base classes", "guards.core.collect.resolve:Resolver.base_class", _nothing),
    (
        "marks imported from other modules",
        "guards.core.collect.resolve:Resolver.external",
        _nothing,
    ),
    ("conftest hooks", "guards.core.collect.engine:apply_hooks", lambda items, *a: items),
    ("hook conditions on the item", "guards.core.collect.select:evaluate", lambda *a: True),
    ("-k / -m / --deselect in addopts", "guards.core.collect.select:_deselected", _no_text),
    ("collect_ignore and --ignore", "guards.core.collect.paths:_ignored", _no_text),
    ("norecursedirs", "guards.core.collect.paths:_norecurse", _no_text),
    ("python_files", "guards.core.collect.paths:is_test_module", lambda *a: True),
    ("testpaths and addopts paths", "guards.core.collect.paths:_root", lambda *a: ("", ())),
    ("tests hidden but still defined", "guards.core.collect.compare:uncollected", _nothing),
    ("renamed files followed", "guards.core.collect.compare:rename_id", lambda nodeid, _r: nodeid),
    ("moved skipped tests matched", "guards.core.collect.compare:_qualname", lambda nodeid: nodeid),
    (
        "conftest/config changes widen the scope",
        "guards.core.collect.scope:_widen",
        lambda *a: set(),
    ),
    ("config changes detected", "guards.core.collect.scope:_config_changed", lambda *a: False),
    ("data files read by conftests", "guards.core.collect.scope:_readers", lambda *a: set()),
    ("undecidable constructs reported", "guards.core.collect.engine:_raise_undecidable", _nothing),
    ("xfail counts as skip", "guards.core.collect.model:TestItem.counted", _no_xfail),
    ("removed tests reported", "guards.checks.skip_set:removals", _empty_list),
]
