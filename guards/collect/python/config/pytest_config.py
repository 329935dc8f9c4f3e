"""The pytest configuration at a revision: the file pytest would pick at the repository root.

Files are tried in pytest's order (pytest.toml, .pytest.toml, pytest.ini, .pytest.ini,
pyproject.toml, tox.ini, setup.cfg); the first one holding pytest configuration wins.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping
from dataclasses import field
from typing import Any

from guards.collect.model import Undecidable
from guards.core import shapes
from guards.core.records import record
from guards.errors import GuardsError

CONFIG_FILES = (
    "pytest.toml",
    ".pytest.toml",
    "pytest.ini",
    ".pytest.ini",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
)
NORECURSE = ("*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}")
ARGS_KEYS = (
    "python_files",
    "python_classes",
    "python_functions",
    "testpaths",
    "norecursedirs",
    "addopts",
    "pythonpath",
    "usefixtures",
)


@record
class PytestConfig:
    """The settings that decide which tests exist and run; ``source`` names the file."""

    source: str = ""
    python_files: tuple[str, ...] = ("test_*.py", "*_test.py")
    python_classes: tuple[str, ...] = ("Test",)
    python_functions: tuple[str, ...] = ("test",)
    testpaths: tuple[str, ...] = ()
    norecursedirs: tuple[str, ...] = NORECURSE
    addopts: tuple[str, ...] = ()
    pythonpath: tuple[str, ...] = ()
    usefixtures: tuple[str, ...] = ()  # fixtures every test requests, as if autouse
    empty_parameter_set_mark: str = "skip"
    long_strategy: str = "short"
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def with_overrides(self, overrides: Mapping[str, str]) -> PytestConfig:
        """The configuration with ``-o key=value`` overrides from addopts applied."""
        if not overrides:
            return self
        return from_values({**self.raw, **overrides}, self.source)


def load(read: Callable[[str], bytes | None]) -> PytestConfig:
    """The configuration pytest would use, read through READ (path -> bytes or None)."""
    for name in CONFIG_FILES:
        data = read(name)
        if data is None:
            continue
        values = _section(name, data)
        if values is not None:
            return from_values(values, name)
    return PytestConfig()


def _section(name: str, data: bytes) -> dict[str, Any] | None:
    text = data.decode("utf-8", errors="replace")
    if name.endswith(".toml"):
        doc = _toml(name, text)
        try:
            return _pytest_table(name, doc)
        except shapes.Shape as exc:
            raise GuardsError(f"{name}: {shapes.refused(exc, 'pytest')}") from exc
    section = "tool:pytest" if name == "setup.cfg" else "pytest"
    values = _ini(name, text, section)
    if values is None and name in ("pytest.ini", ".pytest.ini"):
        return {}
    return values


def _pytest_table(name: str, doc: dict[str, Any]) -> dict[str, Any] | None:
    """The pytest settings of a TOML file: pyproject.toml's ``[tool.pytest]`` (pytest 9's own
    table) or its ``ini_options``, pytest.toml's ``[pytest]``."""
    if name != "pyproject.toml":
        return dict(shapes.table(doc.get("pytest"), "pytest"))
    tool = shapes.table(shapes.table(doc.get("tool"), "tool").get("pytest"), "tool.pytest")
    native = {k: v for k, v in tool.items() if k != "ini_options"}
    ini = tool.get("ini_options")
    return native or (dict(ini) if isinstance(ini, dict) else None)


def _toml(name: str, text: str) -> dict[str, Any]:
    from guards.tomlread import tomllib  # parsers load when a file of their format is read

    try:
        return dict(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise Undecidable(name, 1, f"not valid TOML ({exc})") from exc


def _ini(name: str, text: str, section: str) -> dict[str, Any] | None:
    import configparser

    parser = configparser.RawConfigParser(strict=False, comment_prefixes=("#", ";"))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # -- keys keep their case, as pytest reads them
    try:
        parser.read_string(text, source=name)
    except configparser.Error as exc:
        raise Undecidable(name, 1, f"not a valid INI file ({exc})") from exc
    if not parser.has_section(section):
        return None
    return dict(parser.items(section))


def from_values(values: Mapping[str, Any], source: str) -> PytestConfig:
    """Freeze the raw key/values of a pytest section into settings."""
    defaults = PytestConfig()
    args = {k: _args(source, k, values[k]) for k in ARGS_KEYS if k in values}
    return PytestConfig(
        source=source,
        python_files=args.get("python_files", defaults.python_files),
        python_classes=args.get("python_classes", defaults.python_classes),
        python_functions=args.get("python_functions", defaults.python_functions),
        testpaths=args.get("testpaths", ()),
        norecursedirs=args.get("norecursedirs", defaults.norecursedirs),
        addopts=args.get("addopts", ()),
        pythonpath=args.get("pythonpath", ()),
        usefixtures=args.get("usefixtures", ()),
        empty_parameter_set_mark=str(values.get("empty_parameter_set_mark", "skip")).strip(),
        long_strategy=str(values.get("parametrize_long_str_id_strategy", "short")).strip(),
        raw=dict(values),
    )


def _args(source: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    try:
        return tuple(shlex.split(str(value)))
    except ValueError as exc:
        raise Undecidable(source, 1, f"{key} cannot be split into arguments ({exc})") from exc
