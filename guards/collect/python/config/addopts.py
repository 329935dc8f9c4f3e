"""``addopts``: the options that change which tests are collected or selected.

``--deselect``, ``--ignore``, ``--ignore-glob``, ``-k``, ``-m``, ``-o key=value`` and positional
paths are followed exactly. Options that change collection in ways that cannot be followed
(``-c``, ``--rootdir``, ``--pyargs``, ``--lf``, ``-p no:unittest``, ...) are undecidable.
Options with which pytest runs no test (``--collect-only``, ``--co``, ``--setup-plan``,
``--setup-only``, ``--fixtures``, ``--markers``, ``-h``, ``--version``) make every test not
run: the trap is that they exit 0, so CI stays green. ``-x`` / ``--maxfail`` stop a failing
run early and are not skips. Options that only change output, plugins' reporting or
scheduling are ignored.
"""

from __future__ import annotations

import re
from dataclasses import field, replace

from guards.collect.model import Undecidable
from guards.core.records import record

LONG_VALUE = {
    "--deselect", "--ignore", "--ignore-glob", "--override-ini", "--tb", "--durations",
    "--durations-min", "--maxfail", "--timeout", "--timeout-method", "--cov", "--cov-report",
    "--cov-config", "--cov-fail-under", "--junitxml", "--junit-xml", "--junit-prefix", "--dist",
    "--reruns", "--reruns-delay", "--import-mode", "--capture", "--color", "--code-highlight",
    "--log-level", "--log-cli-level", "--log-file", "--log-file-level", "--log-format",
    "--log-date-format", "--basetemp", "--rootdir", "--confcutdir", "--config-file",
    "--pythonwarnings", "--verbosity", "--html", "--tx", "--max-worker-restart",
    "--randomly-seed", "--doctest-glob", "--doctest-report", "--numprocesses", "--show-capture",
    "--deselect-file", "--max-warnings", "--report-log",
}  # fmt: skip # -- packed lists read better than one item a line
SHORT_VALUE = set("kmpcoWrn")
SHORT_FLAGS = set("qvxslhV")
UNDECIDABLE = {
    "-c": "-c names another configuration file",
    "--config-file": "--config-file names another configuration file",
    "--rootdir": "--rootdir changes every node id",
    "--confcutdir": "--confcutdir changes which conftest files load",
    "--noconftest": "--noconftest changes which conftest files load",
    "--pyargs": "--pyargs collects packages by import name",
    "--lf": "--lf selects tests from the cache",
    "--last-failed": "--last-failed selects tests from the cache",
    "--sw": "--sw selects tests from the cache",
    "--stepwise": "--stepwise selects tests from the cache",
    "--sw-skip": "--sw-skip skips tests from the cache",
    "--stepwise-skip": "--stepwise-skip skips tests from the cache",
    "--nf": "--nf orders tests from the cache",
    "--deselect-file": "--deselect-file reads node ids from a file",
}
COLLECTION_PLUGINS = {"python", "unittest", "skipping", "nose", "main"}
SUSPICIOUS = re.compile(r"skip|select|ignore|xfail|only|filter|exclude|collect|keyword")
HARMLESS_LONG = {"--strict-markers", "--strict-config", "--strict", "--collect-in-virtualenv"}
# Options with which pytest runs no test at all (it lists, plans or prints, then exits 0).
NOTHING_RUNS = {
    "--collect-only": "lists the tests", "--co": "lists the tests",
    "--setup-plan": "only plans fixtures", "--setup-only": "only sets fixtures up",
    "--fixtures": "lists fixtures", "--funcargs": "lists fixtures",
    "--fixtures-per-test": "lists fixtures", "--markers": "lists markers",
    "--help": "prints help", "-h": "prints help", "--version": "prints its version",
    "-V": "prints its version", "--cache-show": "shows the cache",
}  # fmt: skip # -- packed lists read better than one item a line


@record
class Selection:
    """What addopts narrows: deselected prefixes, ignored paths, -k/-m and positional args."""

    deselect: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    ignore_glob: tuple[str, ...] = ()
    keyword: str = ""
    markexpr: str = ""
    args: tuple[str, ...] = ()
    overrides: dict[str, str] = field(default_factory=dict)
    nothing_runs: str = ""  # why no test runs at all (``--collect-only`` in addopts), else ""
    in_virtualenv: bool = False  # --collect-in-virtualenv: folders holding pyvenv.cfg count
    plugins: tuple[str, ...] = ()  # -p NAME (not no:NAME): read like a conftest (plugins.py)
    # positional args right after an option not known to take a value: maybe its value
    # (pydantic's ``--benchmark-columns min,mean``); roots.py drops one that is no path
    maybe_values: tuple[str, ...] = ()
    given: frozenset[str] = frozenset()  # every option it passes (a conftest's own flags too)

    @property
    def selects(self) -> bool:
        """Whether tests are deselected after collection (so every id matters)."""
        return bool(self.keyword or self.markexpr or self.nothing_runs)


def parse(tokens: tuple[str, ...], source: str) -> Selection:
    """The Selection of an addopts token list; Undecidable names an option it cannot follow."""
    found: dict[str, list[str]] = {}
    args: list[str] = []
    maybe: list[str] = []
    i, after_flag = 0, False
    while i < len(tokens):
        name, value, i = _option(tokens, i, source)
        if name is None:
            args.append(value or "")
            maybe += [value or ""] if after_flag else []
        elif value is not None:
            found.setdefault(name, []).append(value)
        after_flag = _unknown_flag(name, value, tokens[i - 1])
    selection = _selection(found, args, source)
    return replace(selection, maybe_values=tuple(maybe), given=frozenset(found))


def _unknown_flag(name: str | None, value: str | None, token: str) -> bool:
    """Whether TOKEN was a long option read as a flag without knowing it takes no value."""
    known = LONG_VALUE | HARMLESS_LONG | NOTHING_RUNS.keys()
    return bool(name and name.startswith("--") and value == "" and "=" not in token) and (
        name not in known
    )


def _option(tokens: tuple[str, ...], i: int, source: str) -> tuple[str | None, str | None, int]:
    tok = tokens[i]
    if tok.startswith("--"):
        return _long(tokens, i, source)
    if tok.startswith("-") and len(tok) > 1:
        return _short(tokens, i, source)
    return None, tok, i + 1


def _long(tokens: tuple[str, ...], i: int, source: str) -> tuple[str | None, str | None, int]:
    name, eq, value = tokens[i].partition("=")
    if name in UNDECIDABLE:
        raise Undecidable(source, 1, f"addopts {UNDECIDABLE[name]}")
    if name in LONG_VALUE:
        if eq:
            return name, value, i + 1
        if i + 1 >= len(tokens):
            raise Undecidable(source, 1, f"addopts {name} has no value")
        return name, tokens[i + 1], i + 2
    if SUSPICIOUS.search(name) and name not in HARMLESS_LONG | NOTHING_RUNS.keys():
        raise Undecidable(source, 1, f"addopts option {name} may change which tests run")
    return name, value if eq else "", i + 1


def _short(tokens: tuple[str, ...], i: int, source: str) -> tuple[str | None, str | None, int]:
    tok = tokens[i]
    letter, rest = tok[1], tok[2:]
    if letter in SHORT_VALUE:
        if letter == "c":
            raise Undecidable(source, 1, f"addopts {UNDECIDABLE['-c']}")
        if rest:
            return f"-{letter}", rest, i + 1
        if i + 1 >= len(tokens):
            raise Undecidable(source, 1, f"addopts -{letter} has no value")
        return f"-{letter}", tokens[i + 1], i + 2
    if set(tok[1:]) <= SHORT_FLAGS:
        return tok, "", i + 1
    raise Undecidable(source, 1, f"addopts option {tok} is not known; cannot tell what it selects")


def _selection(found: dict[str, list[str]], args: list[str], source: str) -> Selection:
    plugins = _plugin_args(found)
    for plugin in plugins:
        if plugin.startswith("no:") and plugin[3:] in COLLECTION_PLUGINS:
            raise Undecidable(source, 1, f"addopts -p {plugin} changes how tests are collected")
    overrides = {}
    for item in found.get("-o", []) + found.get("--override-ini", []):
        key, _, value = item.partition("=")
        overrides[key.strip()] = value
    return Selection(
        nothing_runs=_nothing_runs(found),
        in_virtualenv="--collect-in-virtualenv" in found,
        deselect=tuple(found.get("--deselect", [])),
        ignore=tuple(found.get("--ignore", [])),
        ignore_glob=tuple(found.get("--ignore-glob", [])),
        keyword=(found.get("-k") or [""])[-1],
        markexpr=(found.get("-m") or [""])[-1],
        args=tuple(args),
        overrides=overrides,
        plugins=tuple(p for p in plugins if not p.startswith("no:")),
    )


def _plugin_args(found: dict[str, list[str]]) -> list[str]:
    """The ``-p`` values as pytest takes them: stripped of surrounding whitespace (trio's
    ``addopts = ["-p trio._tests.pytest_plugin"]``, one token, gives `` trio._tests...``)."""
    return [value.strip() for value in found.get("-p", [])]


def _nothing_runs(found: dict[str, list[str]]) -> str:
    """Why pytest runs no test with these options ("" when it runs them)."""
    for name in found:
        letters = [f"-{c}" for c in name[1:]] if not name.startswith("--") else [name]
        for flag in letters:
            if flag in NOTHING_RUNS:
                return f"addopts {name}: pytest {NOTHING_RUNS[flag]} and runs no test"
    return ""
