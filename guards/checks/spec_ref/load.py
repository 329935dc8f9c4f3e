"""What spec-ref reads at base: the spec index, the ticket's sections, the section -> paths map."""

from __future__ import annotations

from collections.abc import Iterable

from guards.checks.base import NotApplicable
from guards.config import Config, SpecRefSettings, load_scope_file
from guards.context import Context
from guards.errors import ConfigError, GuardsError
from guards.patterns import Patterns, patterns
from guards.spec import numbers
from guards.spec.index import parse_doc
from guards.spec.lookup import SpecIndex, build_index
from guards.spec.numbers import Number

DEFAULT_SPEC = ("SPEC.md",)


def spec_revision(ctx: Context) -> str:
    """Policy is read at base: a PR cannot cite a section it adds to the spec itself."""
    return ctx.base


def load_index(ctx: Context, cfg: Config) -> SpecIndex:
    """Every configured spec document at base, parsed and joined."""
    settings, rev = cfg.spec_ref, spec_revision(ctx)
    if not settings.spec:
        raise ConfigError(f"{cfg.source}: spec-ref.spec is empty; name the spec documents")
    docs = []
    for path in settings.spec:
        data = ctx.git.read(rev, path)
        if data is None:
            raise _missing(settings, path, rev, cfg.source)
        docs.append(parse_doc(path, _decode(data, path)))
    index = build_index(docs)
    if not index.by_number:
        raise ConfigError(
            f"{', '.join(settings.spec)} at base {rev[:12]} has no numbered section headings "
            "(e.g. '## 4.2 Plan format'), so nothing can be cited; number the spec's headings"
        )
    return index


def _missing(settings: SpecRefSettings, path: str, rev: str, source: str) -> Exception:
    if not settings.configured and settings.spec == DEFAULT_SPEC:
        return NotApplicable(
            f"no spec configured: {source} has no spec-ref section and {path} does not exist "
            f"at base {rev[:12]}"
        )
    return GuardsError(
        f"spec document {path} (spec-ref.spec in {source}) does not exist at base {rev[:12]}; "
        "add it in a PR merged first, or fix spec-ref.spec"
    )


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"spec document {path} is not UTF-8 text: {exc}") from exc


def added_at_head(ctx: Context, index: SpecIndex) -> dict[Number, str]:
    """Sections the PR adds to a spec document it edits (number -> document), for messages."""
    added: dict[Number, str] = {}
    touched = set(ctx.changes.paths)
    for doc in index.docs:
        data = ctx.read_head(doc.path) if doc.path in touched else None
        try:
            head = parse_doc(doc.path, data.decode("utf-8")) if data else None
        except (GuardsError, UnicodeDecodeError):
            continue  # the head's spec is only read to explain a finding
        for section in head.sections if head else ():
            if index.get(section.number) is None:
                added[section.number] = doc.path
    return added


def ticket_sections(ctx: Context, cfg: Config, index: SpecIndex) -> tuple[list[Number], str]:
    """The ``sections`` of the ticket's scope file at base, checked against the spec."""
    if ctx.ticket is None:
        return [], ""
    doc, source = load_scope_file(ctx.read_base, cfg.manifest_scope.dir, ctx.ticket)
    if doc is None:
        return [], source
    return [_known(raw, index, source, "sections") for raw in doc.get("sections") or ()], source


def section_paths(cfg: Config, index: SpecIndex) -> dict[Number, Patterns]:
    """guards.yaml ``spec-ref.sections``: section -> gitignore-style globs of the paths."""
    found: dict[Number, Patterns] = {}
    for key, globs in cfg.spec_ref.sections.items():
        number = _known(key, index, cfg.source, "spec-ref.sections")
        found[number] = patterns(f"{cfg.source} spec-ref.sections[{key!r}]", globs)
    return found


def _known(raw: object, index: SpecIndex, source: str, key: str) -> Number:
    number = numbers.parse(str(raw))
    if number is None:
        raise ConfigError(f"{source}: {key}: {raw!r} is not a section number like '4.2'")
    if index.get(number) is None:
        raise ConfigError(
            f"{source}: {key} names {numbers.cite(number)}, which the spec does not have at "
            f"base ({_docs(index.docs)}); {index.nearby(number)}"
        )
    return number


def _docs(docs: Iterable[object]) -> str:
    return ", ".join(getattr(d, "path", "") for d in docs)
