"""The probe file format (DESIGN.md section 8): loading and validation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from pathlib import Path
from typing import Any

from guards.config import load_yaml_file, validate
from guards.core.records import record
from guards.errors import ConfigError

_FILES = {"type": "object", "additionalProperties": {"type": ["string", "null"]}}
_STR_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
# one side's report: its text, or one text per matrix entry (the entry names a folder)
_REPORT = {
    "oneOf": [
        {"type": "string"},
        {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"},
            "additionalProperties": {"type": "string"},
        },
    ]
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["guard", "expect", "title"],
    "properties": {
        "guard": {
            "enum": [
                "skip-set",
                "protected-branch",
                "manifest-scope",
                "spec-ref",
                "tests-with-code",
                "commit-format",
                "suppressions",
                "dependencies",
            ]
        },
        "expect": {"enum": ["fail", "pass", "error"]},
        "title": {"type": "string", "minLength": 1},
        "tries": {"type": "string"},
        "base": _FILES,
        "head": _FILES,
        "renames": _STR_MAP,
        "symlinks": _STR_MAP,
        "modes": {"type": "object", "additionalProperties": {"enum": ["100644", "100755"]}},
        "submodules": _STR_MAP,
        "branch": {"type": "string", "minLength": 1},
        "commits": {  # several head commits with chosen messages, applied in order
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["message"],
                "properties": {
                    "message": {"type": "string"},
                    "files": _FILES,
                    "merge": {"type": "boolean"},
                },
            },
        },
        "pr": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "title": {"type": "string"},
                "body": {"type": ["string", "null"]},
                "ticket": {"type": "string"},
                "number": {"type": "integer"},
            },
        },
        "event": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {"name": {"type": "string"}, "payload": {"type": "object"}},
        },
        "prepush": {"type": "string"},
        "remote-refs": {"type": "string", "pattern": "^(head|none|branch:[^ ]{1,200})$"},
        "api": {"type": "object"},
        "token": {"type": "boolean"},
        "reports": {  # test-run reports (JUnit XML or report-log) for skip-set
            "type": "object",
            "additionalProperties": False,
            "required": ["base", "head"],
            "properties": {"base": _REPORT, "head": _REPORT},
        },
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["rule"],
                "properties": {
                    "rule": {"type": "string"},
                    "path": {"type": "string"},
                    "outcome": {"type": "string"},
                    "test": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


@record
class Probe:
    """One synthetic pull request and the verdict it must get."""

    path: str
    guard: str
    expect: str
    title: str
    tries: str | None = None
    doc: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_evasion(self) -> bool:
        return self.tries == "evasion"


def load_probe(path: Path) -> Probe:
    doc = load_yaml_file(path.read_bytes(), str(path))
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: a probe is a mapping with guard, expect and title")
    validate(doc, SCHEMA, str(path))
    return Probe(str(path), doc["guard"], doc["expect"], doc["title"], doc.get("tries"), doc)


def discover(root: Path) -> tuple[list[Probe], list[Broken]]:
    """Every probe under ROOT (*.yaml / *.yml), sorted by path, and the files that are not
    valid probes (each with why): one bad file never stops the others from running."""
    if root.is_file():
        files = [root]
    elif root.is_dir():
        files = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    else:
        raise ConfigError(f"probe directory {root} does not exist")
    probes: list[Probe] = []
    broken: list[Broken] = []
    for path in files:
        try:
            probes.append(load_probe(path))
        except ConfigError as exc:
            broken.append(Broken(str(path), str(exc)))
    return probes, broken


@record
class Broken:
    """A file under the probe directory that is not a valid probe."""

    path: str
    why: str


def shipped_dir() -> Path:
    """The probes shipped with guards: inside the wheel, or tests/probes in a checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_probes", here.parent / "tests" / "probes"):
        if candidate.is_dir():
            return candidate
    raise ConfigError("no shipped probes found; pass the probe directory explicitly")
