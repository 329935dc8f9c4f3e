"""One file's suppressions at one revision: pick the tokenizer by file name, read its comments,
match the forms, and note whether each carries a reason.

A reason is searched in the comment that holds the suppression and in any other comment on
the same line (a Rust attribute or Java annotation takes its reason from a trailing comment);
a tool's own reason syntax counts too (own_reasons.py: Rust's ``reason = "..."``, a
typescript-eslint description, Biome's required reason). Files above MAX_BYTES are a
GuardsError: judged whole or not at all.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from guards.checks.suppressions import forms, own_reasons, pycomments, scancomments, tscomments
from guards.checks.suppressions.model import Comment, Suppression
from guards.checks.suppressions.pycomments import NOT_PYTHON
from guards.core import java_text, pysyntax, python_text
from guards.errors import GuardsError

MAX_BYTES = 2_000_000
Reader = Callable[[bytes, str], list[Comment]]
# (language, bytes, how to read them) -> the comments: remembered.comments with its cache
Remember = Callable[[str, bytes, Callable[[], list[Comment]]], list[Comment]]
Reason = Callable[[str], object]  # the reason pattern's search: a match, or None
# Every Python form (forms.PYTHON) spells one of these words, inside a comment: after a "#"
# on its line. tests/test_suppression_hint.py holds each form to it.
PY_WORDS = ("noqa", "ignore", "mypy", "pragma", "fmt", "yapf", "pylint", "nosec")

# A "#" and, after it on its line with no other "#" between, one of PY_WORDS: the line has a
# hint exactly when the old ``#[^\r\n]*word`` matched it, and the time is linear: each "#"
# reads only to the next one (that pattern ran every "#" to the line's end and back: a line
# of 20,000 ``"#`` took 47 s).
PY_HINT = re.compile(rf"#[^#\r\n]*(?:{'|'.join(PY_WORDS)})", re.I)


def _py(data: bytes, path: str) -> list[Comment]:
    """Only the comments PY_HINT names: no other can hold a Python form (pycomments.py). A file
    with none still has to parse, which the skip-set's analysis may have learnt already. The
    text is what Python and its linters read: decoded by the file's cookie."""
    text = python_text.decode(data)
    if text is None:
        raise GuardsError(
            f"{path}: not text Python can decode (by its coding cookie, else as "
            f"UTF-8); {NOT_PYTHON}"
        )
    if PY_HINT.search(text) is not None:
        return pycomments.comments(text, path, PY_HINT)
    wrong = pysyntax.problem(data)
    if wrong is not None:
        raise GuardsError(f"{path}: cannot parse Python ({wrong}); {NOT_PYTHON}")
    return []


def _scan(data: bytes, path: str) -> list[Comment]:
    return scancomments.comments(_decode(data, path))


def _tree(lang: str) -> Reader:
    return lambda data, path: tscomments.comments(data, lang, path)


def _java(data: bytes, path: str) -> list[Comment]:
    """The comments and annotations javac reads: ``\\u0040SuppressWarnings(...)`` is the
    annotation, since javac translates Unicode escapes before anything else (core/java_text.py)."""
    return tscomments.comments(java_text.translated(data), "java", path)


LANGUAGES: dict[str, tuple[Reader, str]] = {  # reader, name of the forms table in forms.py
    "py": (_py, "PYTHON"),
    "pyi": (_py, "PYTHON"),
    **dict.fromkeys(("js", "jsx", "mjs", "cjs"), (_tree("js"), "JS")),
    **dict.fromkeys(("ts", "mts", "cts"), (_tree("ts"), "JS")),
    "tsx": (_tree("tsx"), "JS"),
    "go": (_tree("go"), "GO"),
    "rs": (_tree("rust"), "RUST"),
    "java": (_java, "JAVA"),
    "kt": (_tree("kotlin"), "JAVA"),
    "kts": (_tree("kotlin"), "JAVA"),
    **dict.fromkeys(("rb", "rake", "gemspec"), (_scan, "RUBY")),
    **dict.fromkeys(("sh", "bash", "zsh", "ksh"), (_scan, "SHELL")),
}


def language(path: str) -> str | None:
    """The LANGUAGES key for PATH, or None when the guard does not read such files."""
    name = posixpath.basename(path)
    if name in ("Gemfile", "Rakefile"):
        return "rb"
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    return ext if ext in LANGUAGES else None


def suppressions(
    path: str, data: bytes, reason: Reason, remember: Remember | None = None
) -> list[Suppression]:
    """The suppressions in PATH holding DATA; REMEMBER, when given, may answer the comments
    from an earlier run's (the reading is the cost; what follows is cheap)."""
    lang = language(path)
    if lang is None:
        return []
    if len(data) > MAX_BYTES:
        raise GuardsError(f"{path} is larger than {MAX_BYTES} bytes; suppressions cannot read it")
    read, table_name = LANGUAGES[lang]
    table: tuple[forms.Form, ...] = getattr(forms, table_name)
    leading: tuple[forms.Form, ...] = table + getattr(forms, f"{table_name}_LEADING", ())
    found = remember(lang, data, lambda: read(data, path)) if remember else read(data, path)
    explained = _explained_lines(found, reason)
    return [
        Suppression(path, c.scope, d.tool, _codes(d.codes), c.line, c.text, reasoned)
        for c in found
        for reasoned in [_reasoned(c, explained)]
        for d in forms.directives(c.text, leading if c.leading else table)
    ]


def _codes(codes: tuple[str, ...]) -> tuple[str, ...]:
    """Rust's ``reason = "..."`` is an argument of allow(), not a lint it silences."""
    return tuple(c for c in codes if c != "reason")


def _reasoned(comment: Comment, explained: set[int]) -> bool:
    """Whether COMMENT's suppressions have a reason: its tool's own, or a comment on its line
    that meets the reason pattern (EXPLAINED: those lines)."""
    return comment.line in explained or _own_reason(comment.text)


def _explained_lines(found: list[Comment], reason: Reason) -> set[int]:
    """The lines where a comment meets the reason pattern: a suppression there has its reason
    (a Rust attribute or Java annotation takes it from a trailing comment). Each comment is
    searched once, however many suppressions share its line."""
    return {c.line for c in found if reason(c.text)}


def _own_reason(text: str) -> bool:
    """The reason a tool's own syntax gives, whatever reason-pattern says (own_reasons.py:
    Rust's ``reason = "why"``, ``//nolint:gosec // why``, ``// @ts-expect-error why``,
    ``// biome-ignore lint: why``, ``/* istanbul ignore next: why */``,
    ``# shellcheck disable=SC2086 # why``)."""
    return own_reasons.stated(text)


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GuardsError(f"{path}: not UTF-8 ({exc}); suppressions cannot read it") from exc
