"""The GitHub event that triggered a run: its name, payload and the PR facts in it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import field
from pathlib import Path
from typing import Any

from guards.core import shallow_json
from guards.core.oids import is_oid, is_zero
from guards.core.records import record
from guards.errors import GuardsError


@record
class Event:
    """A GitHub Actions event; name None when guards runs outside Actions."""

    name: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)

    @property
    def pull_request(self) -> Mapping[str, Any]:
        pr = self.payload.get("pull_request")
        return pr if isinstance(pr, dict) else {}

    def revisions(self) -> tuple[str | None, str | None]:
        """(base, head) commit ids named by the payload, where it names them."""
        if self.pull_request:
            return _sha(self.pull_request, "base"), _sha(self.pull_request, "head")
        group = self.payload.get("merge_group")
        if isinstance(group, dict):
            return group.get("base_sha"), group.get("head_sha")
        if self.name == "push" or "before" in self.payload:
            return _push_revisions(self.payload)
        return None, None

    def head_ref(self) -> str | None:
        """The branch name the change comes from."""
        if self.pull_request:
            head = self.pull_request.get("head") or {}
            return head.get("ref") if isinstance(head, dict) else None
        group = self.payload.get("merge_group")
        if isinstance(group, dict):
            return _short(group.get("head_ref"))
        return _short(self.payload.get("ref"))


def _sha(pr: Mapping[str, Any], side: str) -> str | None:
    part = pr.get(side)
    return part.get("sha") if isinstance(part, dict) else None


def _push_revisions(payload: Mapping[str, Any]) -> tuple[str | None, str | None]:
    before, after = payload.get("before"), payload.get("after")
    if isinstance(after, str) and is_zero(after):  # deletion: nothing to diff
        return before, before
    return (None if isinstance(before, str) and is_zero(before) else before), after


def _short(ref: object) -> str | None:
    if not isinstance(ref, str):
        return None
    return ref.removeprefix("refs/heads/")


MAX_EVENT_BYTES = 25 << 20  # GitHub caps webhook payloads at 25 MB


def load_event(path: str | None, name: str | None, env: Mapping[str, str] = os.environ) -> Event:
    """The event from --event-path/--event-name, else $GITHUB_EVENT_PATH/$GITHUB_EVENT_NAME.

    A payload of the wrong shape for its event is exit 2 naming the field: never read as a
    local run, and never coerced (a body that is an object is not text to cite from).
    """
    path = path or env.get("GITHUB_EVENT_PATH") or None
    name = name or env.get("GITHUB_EVENT_NAME") or None
    if not path:
        if name and name in NEEDS_PAYLOAD:
            raise GuardsError(
                f"event {name} needs its payload: pass --event-path (or set $GITHUB_EVENT_PATH)"
            )
        return Event(name)
    event = Event(name, _read_payload(path))
    check_shape(event, path)
    return event


def _read_payload(path: str) -> dict[str, Any]:
    try:
        size = Path(path).stat().st_size
        if size > MAX_EVENT_BYTES:
            raise GuardsError(
                f"the event payload {path} is {size} bytes; at most {MAX_EVENT_BYTES}"
            )
        payload = shallow_json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GuardsError(f"cannot read the event payload {path}: {exc}") from exc
    if not isinstance(payload, dict):
        raise GuardsError(f"the event payload {path} is not a JSON object")
    return payload


NEEDS_PAYLOAD = (
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "merge_group",
    "push",
)
_PR_FIELDS = {
    "base.sha": "oid?",  # required unless --base/--head give them (context.resolve_revisions)
    "head.sha": "oid?",
    "base.ref": "str?",
    "head.ref": "str?",
    "title": "str?",
    "body": "str?",
    "number": "int?",
}
_GROUP_FIELDS = {"base_sha": "oid", "head_sha": "oid", "head_ref": "str?", "base_ref": "str?"}
_PUSH_FIELDS = {"before": "oid", "after": "oid", "ref": "str"}


def check_shape(event: Event, path: str) -> None:
    """Exit 2 naming the field when the payload does not have the shape its event promises."""
    payload, name = event.payload, event.name or ""
    if "pull_request" in payload or name.startswith("pull_request"):
        pr = payload.get("pull_request")
        if not isinstance(pr, dict):
            raise GuardsError(
                f"{path}: pull_request is {_kind(pr)}, not an object, for a "
                f"{name or 'pull_request'} event; pass the payload GitHub wrote "
                "($GITHUB_EVENT_PATH), or drop --event-name for a local run"
            )
        _fields(pr, _PR_FIELDS, path, "pull_request.", name)
    elif "merge_group" in payload or name == "merge_group":
        group = payload.get("merge_group")
        if not isinstance(group, dict):
            raise GuardsError(
                f"{path}: merge_group is {_kind(group)}, not an object, for a merge_group event"
            )
        _fields(group, _GROUP_FIELDS, path, "merge_group.", "merge_group")
    elif name == "push" or "before" in payload:
        _fields(payload, _PUSH_FIELDS, path, "", "push")


def _fields(
    obj: Mapping[str, Any], fields: Mapping[str, str], path: str, prefix: str, name: str
) -> None:
    for dotted, want in fields.items():
        value: Any = obj
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if want.endswith("?") and value is None:
            continue
        if not _is(value, want.rstrip("?")):
            raise GuardsError(
                f"{path}: {prefix}{dotted} is {_kind(value)} for a {name} event; "
                f"expected {_WANT[want.rstrip('?')]}"
            )


_WANT = {"oid": "a full commit id (40 or 64 hex digits)", "str": "text", "int": "a number"}


def _is(value: Any, want: str) -> bool:
    if want == "oid":
        return isinstance(value, str) and is_oid(value)
    if want == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)


def _kind(value: Any) -> str:
    if value is None:
        return "missing (or null)"
    return f"{type(value).__name__} {str(value)[:40]!r}"
