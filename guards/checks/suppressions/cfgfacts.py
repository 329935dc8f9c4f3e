"""What a checker configuration file says about strictness, as comparable facts.

Facts are named ``tool.key``: sets (entries that silence something: ignored codes, omitted
paths, rules turned off, sections with ignore_errors), numbers (coverage fail_under) and
booleans (mypy/tsconfig strict). One function per file kind; FILES maps a file name to it.

The trap: a configuration is input, in any shape. Where a checker wants a table (ruff's
``per-file-ignores``, mypy's ``overrides``, ESLint's ``rules``) and the file holds something
else, the checker refuses the file, and so does ``reader``'s reader: a GuardsError naming the
file and the key, never a crash (core/shapes.py). An INI file holds strings only: flake8
reads its lists split at commas and whitespace, and ``per-file-ignores`` as ``files: codes``
groups (_flake8).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from typing import Any

from guards.checks import formats
from guards.checks.formats import words
from guards.checks.suppressions import eslintflat
from guards.core import shapes

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


def ruff(table: Mapping[str, Any], facts: Facts, tool: str = "ruff", where: str = "") -> None:
    """ruff's settings (flake8's, as _flake8 shapes them) in TABLE, found at WHERE."""
    lint = f"{where}.lint" if where else "lint"
    for t, at in ((table, where), (shapes.table(table.get("lint"), lint), lint)):
        for key in RUFF_KEYS:
            _add(facts, f"{tool}.ignore", words(t.get(key)))
        for key in RUFF_FILE_KEYS:
            mapping = shapes.table(t.get(key), f"{at}.{key}" if at else key).items()
            _add(
                facts,
                f"{tool}.per-file-ignores",
                {f"{g}:{c}" for g, v in mapping for c in words(v)},
            )
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
    report = shapes.table(table.get("report"), "tool.coverage.report")
    run = shapes.table(table.get("run"), "tool.coverage.run")
    if report.get("fail_under") is not None:
        facts["coverage.fail_under"] = _number(report["fail_under"], "fail_under")
    _add(facts, "coverage.omit", words(run.get("omit")) | words(report.get("omit")))
    _add(facts, "coverage.exclude", words(report.get("exclude_lines")))
    _add(facts, "coverage.exclude", words(report.get("exclude_also")))


def _number(value: Any, key: str) -> float:
    """VALUE, coverage's number at KEY (an INI file's text of one too)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        raise shapes.Shape(f"{key} is {shapes.kind(value)} that is no number") from None


def pyproject(data: bytes, path: str) -> Facts:
    tool = shapes.table(formats.toml(data, path).get("tool"), "tool")
    facts: Facts = {}
    ruff(shapes.table(tool.get("ruff"), "tool.ruff"), facts, where="tool.ruff")
    table = shapes.table(tool.get("mypy"), "tool.mypy")
    mypy("mypy", table, facts)
    for override in shapes.tables(table.get("overrides"), "tool.mypy.overrides"):
        mypy(f"mypy-{','.join(words(override.get('module')))}", override, facts)
    coverage(shapes.table(tool.get("coverage"), "tool.coverage"), facts)
    pylint(shapes.table(tool.get("pylint"), "tool.pylint"), facts)
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
            ruff(_flake8(table, name), facts, "flake8", f"[{name}]")
        elif name.removeprefix("coverage:") in ("run", "report"):
            section = name.removeprefix("coverage:")
            coverage({section: _ini_values(table)}, facts)
    return facts


# flake8's tokens of a per-file-ignores value (flake8/utils.py), tried in this order
FLAKE8_TOKENS = re.compile(
    r"(?P<code>[A-Z]+[0-9]*(?=$|\s|,))|(?P<file>[^\s:,]+)|(?P<colon>\s*:\s*)|(?P<sep>\s*,\s*|\s+)"
)
FLAKE8_LIST = re.compile(r"[,\s]")  # flake8 splits its lists at commas and whitespace


def _flake8(table: Mapping[str, str], section: str) -> dict[str, Any]:
    """An INI [flake8] SECTION in the shapes ``ruff`` reads: lists split as flake8 splits
    them, ``per-file-ignores`` a table of files to codes."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        key = key.replace("_", "-")
        if key in RUFF_FILE_KEYS:
            out[key] = _files_to_codes(value, f"[{section}] {key}")
        else:
            out[key] = [w for w in FLAKE8_LIST.split(value) if w]
    return out


def _files_to_codes(value: str, key: str) -> dict[str, list[str]]:
    """flake8's ``parse_files_to_codes_mapping``: ``files: codes`` groups, files and codes each
    split at commas or whitespace; a group ends where a file follows its colon, and one with no
    code says nothing. What flake8 refuses (a code before a colon, a second colon, no colon at
    all) is a Shape (core/shapes.py)."""
    out: dict[str, list[str]] = {}
    if not value.strip():
        return out
    refused = shapes.Shape(f"{key} is not the 'files: codes' mapping flake8 reads")
    files: list[str] = []
    codes: list[str] | None = None  # None while the group's files are read, up to its colon
    for token in FLAKE8_TOKENS.finditer(value):
        kind, text = token.lastgroup, token[0]
        if kind == "sep":
            continue
        if codes is None and kind in ("file", "colon"):
            files += [text] if kind == "file" else []
            codes = [] if kind == "colon" else None
        elif codes is not None and kind == "code":
            codes.append(text)
        elif codes is not None and kind == "file":  # the next group starts
            _group(out, files, codes)
            files, codes = [text], None
        else:
            raise refused
    if codes is None:
        raise refused
    _group(out, files, codes)
    return out


def _group(out: dict[str, list[str]], files: list[str], codes: list[str]) -> None:
    """FILES' CODES added to OUT (flake8 keeps a group only when it has a code)."""
    for name in files if codes else ():
        out.setdefault(name, []).extend(codes)


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
    rules = shapes.table(doc.get("rules"), "rules").items()
    found = {f"{k}" for k, v in rules if eslintflat.is_off(v)}
    for override in shapes.tables(doc.get("overrides"), "overrides"):
        found |= {f"{override.get('files')}:{r}" for r in _eslint_off(override)}
    return found


def tsconfig(data: bytes, path: str) -> Facts:
    doc = formats.jsonc(data, path)
    options = (
        shapes.table(doc.get("compilerOptions"), "compilerOptions") if isinstance(doc, dict) else {}
    )
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
    read = tsconfig if TSCONFIG.fullmatch(name) else NAMES.get(name)
    return None if read is None else shapes.shaped(read)
