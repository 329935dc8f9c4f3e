"""What a checker configuration file says about strictness, as comparable facts.

Facts are named ``tool.key``: sets (entries that silence something: ignored codes, omitted
paths, rules turned off, sections with ignore_errors), numbers (coverage fail_under) and
booleans (mypy/tsconfig strict). One function per file kind; FILES maps a file name to it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from typing import Any

from guards.checks import formats
from guards.checks.formats import words
from guards.checks.suppressions import eslintflat

Facts = dict[str, Any]
PYLINTRC = ("pylintrc", ".pylintrc")
PYLINT_IGNORES = ("ignore", "ignore-paths", "ignore-patterns")
RUFF_EXCLUDES = ("exclude", "extend-exclude")  # ruff's and flake8's
MYPY_EXCLUDES = ("exclude",)
RUFF_KEYS = ("ignore", "extend-ignore")
RUFF_FILE_KEYS = ("per-file-ignores", "extend-per-file-ignores")
TS_STRICT = (
    "strict",
    "noImplicitAny",
    "strictNullChecks",
    "strictFunctionTypes",
    "strictBindCallApply",
    "strictPropertyInitialization",
    "noImplicitThis",
    "alwaysStrict",
    "useUnknownInCatchVariables",
)


def ruff(table: Mapping[str, Any], facts: Facts, tool: str = "ruff") -> None:
    for t in (table, table.get("lint", {})):
        for key in RUFF_KEYS:
            _add(facts, f"{tool}.ignore", words(t.get(key)))
        for key in RUFF_FILE_KEYS:
            pairs = {f"{g}:{c}" for g, codes in (t.get(key) or {}).items() for c in words(codes)}
            _add(facts, f"{tool}.per-file-ignores", pairs)
        for key in ("select", "extend-select"):
            _add(facts, f"{tool}.select", words(t.get(key)))
        for key in RUFF_EXCLUDES:  # files it does not read at all (``a/`` is ``a``)
            _add(facts, f"{tool}.exclude", {w.rstrip("/") or w for w in words(t.get(key))})


def mypy(section: str, table: Mapping[str, Any], facts: Facts) -> None:
    if _true(table.get("ignore_errors")):
        _add(facts, "mypy.ignore_errors", {section})
    if _true(table.get("ignore_missing_imports")):
        _add(facts, "mypy.ignore_missing_imports", {section})
    _add(
        facts,
        "mypy.disable_error_code",
        {f"{section}:{c}" for c in words(table.get("disable_error_code"))},
    )
    if section == "mypy":
        facts["mypy.strict"] = _true(table.get("strict"))
        for key in MYPY_EXCLUDES:
            _add(facts, "mypy.exclude", words(table.get(key)))


def coverage(table: Mapping[str, Any], facts: Facts) -> None:
    report, run = table.get("report", {}), table.get("run", {})
    if report.get("fail_under") is not None:
        facts["coverage.fail_under"] = float(report["fail_under"])
    _add(facts, "coverage.omit", words(run.get("omit")) | words(report.get("omit")))
    _add(facts, "coverage.exclude", words(report.get("exclude_lines")))
    _add(facts, "coverage.exclude", words(report.get("exclude_also")))


def pyproject(data: bytes, path: str) -> Facts:
    tool = formats.toml(data, path).get("tool", {})
    facts: Facts = {}
    ruff(tool.get("ruff", {}), facts)
    table = tool.get("mypy", {})
    mypy("mypy", table, facts)
    for override in table.get("overrides", []):
        mypy(f"mypy-{','.join(words(override.get('module')))}", override, facts)
    coverage(tool.get("coverage", {}), facts)
    pylint(tool.get("pylint", {}), facts)
    return facts


def pylint(table: Mapping[str, Any], facts: Facts) -> None:
    """``disable`` and the ignored paths in ``[tool.pylint]`` or in any table under it
    (``messages_control``, ``"messages control"``, ``main``): pylint reads every one."""
    _pylint_options(table, facts)
    for value in table.values():
        if isinstance(value, Mapping):
            _pylint_options(value, facts)


def _pylint_options(table: Mapping[str, Any], facts: Facts) -> None:
    _add(facts, "pylint.disable", words(table.get("disable")))
    for key in PYLINT_IGNORES:  # files pylint does not read at all
        _add(facts, "pylint.ignore", words(table.get(key)))


def ruff_toml(data: bytes, path: str) -> Facts:
    facts: Facts = {}
    ruff(formats.toml(data, path), facts)
    return facts


def ini_file(data: bytes, path: str) -> Facts:
    parser, facts = formats.ini(data, path), Facts()
    own = posixpath.basename(path) in PYLINTRC  # pylint reads every section of its own file
    for name in parser.sections():
        table = dict(parser.items(name))
        if own or name.startswith("pylint"):  # setup.cfg, tox.ini: [pylint.*] sections only
            _pylint_options(table, facts)
        if name == "mypy" or name.startswith("mypy-"):
            mypy(name, _ini_values(table), facts)
        elif name in ("flake8", "pycodestyle"):
            ruff({k.replace("_", "-"): v for k, v in table.items()}, facts, "flake8")
        elif name.removeprefix("coverage:") in ("run", "report"):
            section = name.removeprefix("coverage:")
            coverage({section: _ini_values(table)}, facts)
    return facts


def eslintrc(data: bytes, path: str) -> Facts:
    yamlish = path.endswith((".yml", ".yaml"))
    doc = formats.yaml_doc(data, path) if yamlish else formats.jsonc(data, path)
    if posixpath.basename(path) == "package.json":
        doc = doc.get("eslintConfig", {}) if isinstance(doc, dict) else {}
    ignored = words(doc.get("ignorePatterns")) if isinstance(doc, dict) else set()
    return {"eslint.off": _eslint_off(doc), "eslint.ignore": ignored}


def eslintignore(data: bytes, path: str) -> Facts:
    """.eslintignore: a gitignore-style pattern a line (``#`` comments)."""
    lines = (line.strip() for line in data.decode("utf-8", "replace").splitlines())
    return {"eslint.ignore": {line for line in lines if line and not line.startswith("#")}}


def _eslint_off(doc: Any) -> set[str]:
    if not isinstance(doc, dict):
        return set()
    found = {f"{k}" for k, v in (doc.get("rules") or {}).items() if eslintflat.is_off(v)}
    for override in doc.get("overrides") or []:
        found |= {f"{override.get('files')}:{r}" for r in _eslint_off(override)}
    return found


def tsconfig(data: bytes, path: str) -> Facts:
    doc = formats.jsonc(data, path)
    options = doc.get("compilerOptions", {}) if isinstance(doc, dict) else {}
    strict = options.get("strict") is True
    flags = {f for f in TS_STRICT if options.get(f) is False or (f == "strict" and not strict)}
    excluded = words(doc.get("exclude")) if isinstance(doc, dict) else set()
    return {"tsconfig.off": flags, "tsconfig.exclude": excluded}


def _add(facts: Facts, key: str, values: set[str]) -> None:
    facts.setdefault(key, set()).update(values)


def _true(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "1", "yes", "on")


def _ini_values(table: Mapping[str, str]) -> dict[str, Any]:
    return {k.replace("-", "_"): v for k, v in table.items()}


Reader = Callable[[bytes, str], Facts]
NAMES: dict[str, Reader] = {
    "pyproject.toml": pyproject,
    "ruff.toml": ruff_toml,
    ".ruff.toml": ruff_toml,
    "setup.cfg": ini_file,
    "tox.ini": ini_file,
    ".flake8": ini_file,
    "mypy.ini": ini_file,
    ".mypy.ini": ini_file,
    ".coveragerc": ini_file,
    ".pylintrc": ini_file,
    "pylintrc": ini_file,
    ".pylintrc.toml": pyproject,
    "pylintrc.toml": pyproject,
    ".eslintrc": eslintrc,
    ".eslintignore": eslintignore,
    ".eslintrc.json": eslintrc,
    ".eslintrc.yml": eslintrc,
    ".eslintrc.yaml": eslintrc,
    "package.json": eslintrc,
    **{f"eslint.config.{e}": eslintflat.facts for e in ("js", "mjs", "cjs", "ts", "mts")},
}
TSCONFIG = re.compile(r"tsconfig(?:\.[\w.-]+)?\.json")


def reader(path: str) -> Reader | None:
    name = posixpath.basename(path)
    return tsconfig if TSCONFIG.fullmatch(name) else NAMES.get(name)
