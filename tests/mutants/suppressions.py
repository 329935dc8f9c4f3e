"""Detections of suppressions, each with a replacement that disables it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

from guards.checks.suppressions import cfgfacts, compare, forms, model

_ORIGINAL_COMPARE = compare.compare
_NO = re.compile("(?!)")  # a pattern that matches nothing
_RUST_ALLOW_ONLY = rf"#!?\[\s*(?:cfg_attr\s*\(.*?,\s*)?allow\s*\(\s*(?P<codes>{forms._LIST})"


def _reformed(
    table: tuple[forms.Form, ...], tool: str, regex: Callable[[str], str]
) -> tuple[forms.Form, ...]:
    """TABLE with TOOL's forms read by REGEX of their own regex (the others as they are)."""
    return tuple(f._replace(regex=regex(f.regex)) if f.tool == tool else f for f in table)


def _nothing(*_a: object, **_k: object) -> list[object]:
    return []


def _raw_lines(
    text: str, _tree: object, hint: re.Pattern[str], _path: str
) -> Iterator[tuple[int, str]]:
    """A line scanner that takes every '#' for a comment (strings included)."""
    for number, line in enumerate(text.splitlines(), 1):
        if "#" in line and hint.search(line):
            yield number, line[line.index("#") :]


def _no_literals(*_a: object) -> None:
    return None


def _quote_blind(line: str, quote: str) -> tuple[str, int | None]:
    return "", (line.index("#") if "#" in line else None)


def _past_hash(body: str) -> tuple[str, ...]:
    """shellcheck's disabled codes with its comment read as more words."""
    words = (word.partition("=") for word in body.split())
    return tuple(
        sorted({c for key, _, value in words if key == "disable" for c in value.split(",")})
    )


def _no_narrowing(*_a: object) -> None:
    return None


def _with_line(s: model.Suppression) -> tuple[Any, ...]:
    return (s.path, s.scope, s.tool, s.codes, s.line)


def _without_codes(s: model.Suppression) -> tuple[Any, ...]:
    return (s.path, s.scope, s.tool, ())


def _old_self(change: Any) -> None:
    return None


def _renames_unread(change: Any) -> str | None:
    return change.old_path if change.status == "M" else None


def _keep_new(base: Any, head: Any) -> compare.Verdict:
    return compare.Verdict(_ORIGINAL_COMPARE(base, head).new, [])


def _plain_text(node: Any) -> str:
    return bytes(node.text).decode("utf-8", "replace")


MUTANTS = [
    ("Python comments not read", "guards.checks.suppressions.pycomments:_hinted", _nothing),
    (
        "Python comments read from raw lines",
        "guards.checks.suppressions.pycomments:_hinted",
        _raw_lines,
    ),
    (
        "string literals not found",
        "guards.checks.suppressions.pycomments:_Literals.visit",
        _no_literals,
    ),
    (
        "a literal over several lines taken for string throughout",
        "guards.checks.suppressions.pycomments:_Literals._comments",
        lambda self, index: set(),
    ),
    (
        "a definition starts at its def, not its first decorator",
        "guards.checks.suppressions.pycomments:_first_line",
        lambda node: getattr(node, "lineno", None),
    ),
    (
        "enclosing definition ignored",
        "guards.checks.suppressions.pycomments:enclosing",
        lambda spans, line: "module",
    ),
    (
        "line number part of the identity",
        "guards.checks.suppressions.model:Suppression.identity",
        property(_with_line),
    ),
    (
        "codes not part of the identity",
        "guards.checks.suppressions.model:Suppression.identity",
        property(_without_codes),
    ),
    (
        "narrowing counted as new",
        "guards.checks.suppressions.compare:_credit_narrowed",
        _no_narrowing,
    ),
    (
        "every suppression taken as reasoned",
        "guards.checks.suppressions.extract:_reasoned",
        lambda *a: True,
    ),
    (
        "no suppression taken as reasoned",
        "guards.checks.suppressions.extract:_reasoned",
        lambda *a: False,
    ),
    (
        "reason searched anywhere in the file",
        "guards.checks.suppressions.extract:_reasoned",
        lambda _comment, explained: bool(explained),  # any line of the file with a reason
    ),
    (
        "a tool's own reason syntax not read",
        "guards.checks.suppressions.extract:_own_reason",
        lambda _text: False,
    ),
    (
        "a formatter directive read anywhere in a comment (prose that names it)",
        "guards.checks.suppressions.forms:PYTHON",
        _reformed(
            forms.PYTHON, "fmt-off", lambda _r: r"(?:fmt|yapf)\s*:\s*(?P<codes>off|skip|disable)"
        ),
    ),
    ("JS/TS forms dropped", "guards.checks.suppressions.forms:JS", ()),
    ("Go forms dropped", "guards.checks.suppressions.forms:GO", ()),
    ("Rust attributes dropped", "guards.checks.suppressions.forms:RUST", ()),
    ("Java/Kotlin forms dropped", "guards.checks.suppressions.forms:JAVA", ()),
    ("Ruby forms dropped", "guards.checks.suppressions.forms:RUBY", ()),
    ("shell forms dropped", "guards.checks.suppressions.forms:SHELL", ()),
    (
        "file-level Python forms dropped",
        "guards.checks.suppressions.forms:PYTHON",
        tuple(f for f in forms.PYTHON if f.tool not in ("ruff-file", "mypy-file")),
    ),
    (
        "type-ignore spacing taken literally",
        "guards.checks.suppressions.forms:PYTHON",
        tuple(
            f if f.tool != "type-ignore" else f._replace(regex="#" + " type: ignore", flags=0)
            for f in forms.PYTHON
        ),
    ),
    (
        "attributes and annotations not read",
        "guards.checks.suppressions.tscomments:ATTRIBUTES",
        frozenset(),
    ),
    (
        "template strings read as comments",
        "guards.checks.suppressions.tscomments:COMMENTS",
        {"comment", "line_comment", "block_comment", "multiline_comment", "template_string"},
    ),
    (
        "Kotlin annotation arguments not read",
        "guards.checks.suppressions.tscomments:_text",
        _plain_text,
    ),
    (
        "shell comments read inside quotes",
        "guards.checks.suppressions.scancomments:_scan",
        _quote_blind,
    ),
    ("checker configs not compared", "guards.checks.suppressions:config_findings", _nothing),
    ("base side never read", "guards.checks.suppressions:_old_path", _old_self),
    ("a rename compared with nothing", "guards.checks.suppressions:_old_path", _renames_unread),
    (
        "lowered coverage threshold accepted",
        "guards.checks.suppressions.loosen:_lowered",
        lambda before, after: iter(()),
    ),
    ("select shrinking not seen", "guards.checks.suppressions.loosen:SHRINKS", ()),
    (
        "only tsconfig strict itself read",
        "guards.checks.suppressions.cfgfacts:TS_STRICT",
        ("strict",),
    ),
    (
        "eslint flat config not read",
        "guards.checks.suppressions.eslintflat:_off_node",
        lambda node: False,
    ),
    (
        "mypy overrides not read",
        "guards.checks.suppressions.cfgfacts:mypy",
        lambda section, table, facts: None,
    ),
    ("stripped reasons not reported", "guards.checks.suppressions.compare:compare", _keep_new),
    (
        "Python read as its cookie decodes it",
        "guards.core.python_text:decode",
        lambda data: data.decode("utf-8", "replace"),
    ),
    (
        "Java read before javac translates its Unicode escapes",
        "guards.checks.suppressions.extract:java_text",
        SimpleNamespace(translated=lambda data: data),
    ),
    (
        "attributes and annotations read as text, not as their tokens",
        "guards.checks.suppressions.tscomments:_tokens",
        lambda nodes: [bytes(n.text).decode() for n in nodes],
    ),
    ("Rust raw identifiers read as written", "guards.checks.suppressions.tscomments:RAW_NAME", _NO),
    (
        "Rust: expect is no suppression, a lint path is its first name",
        "guards.checks.suppressions.forms:RUST",
        (forms.Form("allow", _RUST_ALLOW_ONLY, re.S),),
    ),
    (
        "Go: //nolint as written only, gosec's tags not read",
        "guards.checks.suppressions.forms:GO",
        (forms.Form("nolint", rf"^//\s*nolint(?::(?P<codes>{forms._LIST}))?"),),
    ),
    (
        "ESLint's inline rule settings not read",
        "guards.checks.suppressions.forms:JS",
        tuple(f._replace(pick=lambda body: ()) if f.pick else f for f in forms.JS),
    ),
    (
        "ESLint directives read anywhere in a comment",
        "guards.checks.suppressions.forms:JS",
        tuple(f._replace(regex=f.regex.replace(forms._AT_START, "")) for f in forms.JS),
    ),
    (
        "ShellCheck: a disable read only right after the keyword, anywhere in a comment",
        "guards.checks.suppressions.forms:SHELL",
        (forms.Form("shellcheck-disable", r"shellcheck\s+disable\s*=\s*(?P<codes>[\w,\s-]+)"),),
    ),
    (
        "RuboCop: a directive read anywhere in a comment, in any case",
        "guards.checks.suppressions.forms:RUBY",
        (
            forms.Form(
                "rubocop-disable", rf"rubocop\s*:\s*(?:disable|todo)\s+(?P<codes>{forms._LIST}|all)"
            ),
        ),
    ),
    (
        "pylint's pyproject tables not read",
        "guards.checks.suppressions.cfgfacts:pylint",
        lambda t, f: None,
    ),
    (
        "pylint's rcfile read in [pylint.*] sections only",
        "guards.checks.suppressions.cfgfacts:PYLINTRC",
        (),
    ),
    (
        "ruff/flake8 excluded paths not read",
        "guards.checks.suppressions.cfgfacts:RUFF_EXCLUDES",
        (),
    ),
    ("mypy excluded paths not read", "guards.checks.suppressions.cfgfacts:MYPY_EXCLUDES", ()),
    ("pylint ignored paths not read", "guards.checks.suppressions.cfgfacts:PYLINT_IGNORES", ()),
    (
        ".eslintignore not read",
        "guards.checks.suppressions.cfgfacts:NAMES",
        {k: v for k, v in cfgfacts.NAMES.items() if k != ".eslintignore"},
    ),
    (
        "an annotation named in a comment read as the annotation",
        "guards.checks.suppressions.forms:JAVA",
        tuple(f._replace(regex=f.regex.lstrip("^")) for f in forms.JAVA),
    ),
    (
        "flake8's INI lists split at commas and line breaks only",
        "guards.checks.suppressions.cfgfacts:FLAKE8_LIST",
        re.compile(r"[,\n]"),
    ),
    (
        "flake8's per-file-ignores string read as a table",
        "guards.checks.suppressions.cfgfacts:_files_to_codes",
        lambda value, key: value,
    ),
    (
        "a config's table read in any shape",
        "guards.core.shapes:table",
        lambda value, key: value or {},
    ),
    (
        "@ts-ignore read anywhere in a comment",
        "guards.checks.suppressions.forms:JS",
        _reformed(forms.JS, "ts-ignore", lambda _r: r"@ts-(?P<codes>ignore|expect-error)"),
    ),
    (
        "@ts-nocheck read in any comment",
        "guards.checks.suppressions.forms:JS",
        forms.JS + forms.JS_LEADING,
    ),
    (
        "every comment of a script taken for a leading one",
        "guards.checks.suppressions.tscomments:_first_token",
        lambda root: root.end_byte,
    ),
    (
        "@ts-ignore read with a word end (@ts-ignored missed)",
        "guards.checks.suppressions.forms:JS",
        _reformed(forms.JS, "ts-ignore", lambda r: r.replace("expect-error)", "expect-error)\\b")),
    ),
    (
        "typescript-eslint's description not read",
        "guards.checks.suppressions.own_reasons:_ts_described",
        lambda text: False,
    ),
    ("a description of any length", "guards.checks.suppressions.own_reasons:TS_MIN", 1),
    ("characters counted as code points", "guards.checks.suppressions.own_reasons:graphemes", len),
    ("Biome's own reason not read", "guards.checks.suppressions.own_reasons:BIOME", _NO),
    ("istanbul's reason not read", "guards.checks.suppressions.own_reasons:ISTANBUL", _NO),
    ("ShellCheck's own comment not read", "guards.checks.suppressions.own_reasons:SHELLCHECK", _NO),
    (
        "a shellcheck directive's words read past its '#'",
        "guards.checks.suppressions.forms:SHELL",
        (forms.SHELL[0]._replace(pick=_past_hash),),
    ),
    (
        "biome-ignore read anywhere in a comment",
        "guards.checks.suppressions.forms:JS",
        _reformed(
            forms.JS, "biome-ignore", lambda r: r.replace(forms.BIOME_AT, "biome-ignore(?=[\\s:(])")
        ),
    ),
    (
        "istanbul hints read anywhere in a comment",
        "guards.checks.suppressions.forms:JS",
        _reformed(
            forms.JS,
            "istanbul-ignore",
            lambda _r: r"istanbul\s+ignore\s+(?P<codes>next|if|else|file)",
        ),
    ),
    (
        "a pull request's YAML read with aliases",
        "guards.checks.formats:yaml_doc",
        lambda data, path: __import__("yaml").safe_load(data) or {},
    ),
]
