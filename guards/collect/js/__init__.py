"""JavaScript/TypeScript collector (jest, vitest, mocha, jasmine, node:test), read with tree-sitter.

Identity: ``<path> > <describe> > ... > <title>`` (vitest's JUnit ``classname`` + `` > `` +
``name``; jest-junit with ``classNameTemplate: "{filepath}"``, ``titleTemplate:
"{classname} > {title}"``, ``ancestorSeparator: " > "``; jest's ``--json`` ancestorTitles +
title). What counts as a skip is in walk.py, effects.py and focus.py; which files run in
config.py. A file runs when a runner configuration above it includes it, or, with none, when
it is named like a test (``*.test.*``, ``*.spec.*``, or under ``__tests__``/``test``/
``tests``/``spec``). A test file a configuration leaves out (one its runner takes by default:
config.narrowed) has its tests in the skip set as ``ignored``; the tests of any other JS file
are dormant (a test moved there is no longer collected).

A title declared twice in one suite is one identity, skipped when any of its tests is.

The trap: a file that does not parse is NotParsable and a construct whose skip status only
running shows is Undecidable (both stop the verdict); an ignored file's tests are listed
only when the file can be read.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import replace

from guards.collect.interface import Files
from guards.collect.js import aliases, config, escapes, focus
from guards.collect.js.calls import SUITES, TESTS
from guards.collect.js.syntax import EXTENSIONS, parse
from guards.collect.js.walk import SEP, Raw, Walker
from guards.collect.model import FileResult, NotParsable, Skip, TestItem, Undecidable

LANGUAGE = "javascript"
GREP_TERMS = (
    "skip", "only", "todo", "xit", "xtest", "xspecify", "xdescribe", "xcontext", "fit",
    "fdescribe", "fails", "failing", "pending", "runIf", "skipIf", "\\u",
)  # fmt: skip # -- packed; "\u": a name may spell any letter so (``test.\u0073kip``: syntax.py)
# A test is declared through a test API's name (an alias or an import names it too: ``import {
# it as check }``, ``g.test``, ``'node:test'``): a file without one of these words declares none.
DECLARES = tuple(sorted(TESTS | SUITES | {"vitest", "mocha"}))
IMPORTS = re.compile(
    rb"""from\s+['"](vitest|node:test)['"]|require\(\s*['"](vitest|node:test)['"]"""
)


def is_source(path: str) -> bool:
    return path.endswith(EXTENSIONS) and not path.endswith(".d.ts")


def is_test_file(path: str) -> bool:
    return is_source(path) and config.named_like_a_test(path)


def claims(path: str) -> bool:
    """A JS/TS file (a test file, or one a test moved to), or a runner configuration."""
    return is_source(path) or config.is_config(path)


def collect(files: Files, paths: Sequence[str]) -> list[FileResult]:
    return [_file(files, p) for p in paths if is_source(p)]


def _file(files: Files, path: str) -> FileResult:
    data = files.read(path)
    if data is None:
        return FileResult(path)
    why = config.dropped(files, path)
    try:
        tests = _tests(files, path, data)
    except (NotParsable, Undecidable):
        if why:
            return FileResult(path, excluded=why)  # not run: what it declares does not matter
        raise
    if not why:
        unless = config.dropped_unless(files, path)  # a skipif of each test: by the environment
        return FileResult(path, tests=tuple(_ignored(t, unless) if unless else t for t in tests))
    if config.narrowed(files, path):  # a test file a configuration drops: its tests skipped
        return FileResult(path, tests=tuple(_ignored(t, why) for t in tests))
    return FileResult(path, dormant=tuple(tests), excluded=why)  # tests moved out of the suite


def _tests(files: Files, path: str, data: bytes) -> list[TestItem]:
    try:
        return _read(files, path, data)
    except RecursionError as exc:  # nested deeper than Python's stack: fail closed
        raise NotParsable(path, 1, "nested too deeply to read") from exc


def _read(files: Files, path: str, data: bytes) -> list[TestItem]:
    root = parse(path, data)
    flavor = _flavor(files, path, data)
    bindings = aliases.bind(path, root)
    escapes.check(root, bindings, path)
    walker = Walker(path, bindings, flavor)
    raws = focus.apply(walker.run(root), flavor, walker.focus_line)
    return merged([_item(path, r) for r in raws])


def merged(items: list[TestItem]) -> list[TestItem]:
    """One item per identity, skipped when any test of that identity is: the runner runs each
    test declared twice under one title (a copy, a helper called twice in one suite), and a
    skipped copy declared first must not hide behind the one that runs."""
    found: dict[str, TestItem] = {}
    for item in items:
        held = found.get(item.nodeid)
        found[item.nodeid] = item if held is None else _both(held, item)
    return list(found.values())


def _both(held: TestItem, item: TestItem) -> TestItem:
    extra = tuple(s for s in item.skips if s not in held.skips)
    if not extra:
        return held
    line = held.line if held.skips else item.line  # where a skip is
    return replace(held, line=line, skips=(*held.skips, *extra))


def _flavor(files: Files, path: str, data: bytes) -> str:
    found = IMPORTS.search(data)
    if found:
        module = found.group(1) or found.group(2)
        return "node" if module == b"node:test" else "vitest"
    running = [r.name for r in config.runners(files, path) if r.may_run(path)]
    return next((n for n in ("vitest", "mocha") if n in running), "jest")


def _item(path: str, raw: Raw) -> TestItem:
    nodeid = SEP.join((path, *raw.names))
    return TestItem(nodeid, path, raw.line, raw.skips, by_function=raw.note)


def _ignored(test: TestItem, why: str) -> TestItem:
    skip = Skip("ignored", 0, f"its file {why}")
    return TestItem(
        test.nodeid, test.path, test.line, (*test.skips, skip), by_function=test.by_function
    )


def widens(path: str, base: Files, head: Files) -> str | None:
    """The folder whose test files a change to PATH (a runner configuration, or a module one
    reads: config.readers) can drop or add; a package.json only when its "jest" or "mocha"
    key changed."""
    if not config.is_config(path):
        folders = config.readers(base, path) | config.readers(head, path)
        return posixpath.commonpath(sorted(folders)) if folders else None
    if posixpath.basename(path) == "package.json" and not config.package_changed(path, base, head):
        return None
    return posixpath.dirname(path)


def unconditional(files: Files, paths: Sequence[str]) -> list[str]:
    """Test files some configuration drops, always or by a condition: all their tests are
    skipped, whatever their text."""
    return [
        p
        for p in paths
        if is_test_file(p) and (config.dropped(files, p) or config.dropped_unless(files, p))
    ]
