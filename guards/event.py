"""The GitHub event that triggered a run: its name, payload and the PR facts in it."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guards.core.oids import is_zero
from guards.errors import GuardsError


@dataclass(frozen=True)
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


def load_event(path: str | None, name: str | None, env: Mapping[str, str] = os.environ) -> Event:
    """The event from --event-path/--event-name, else $GITHUB_EVENT_PATH/$GITHUB_EVENT_NAME."""
    path = path or env.get("GITHUB_EVENT_PATH") or None
    name = name or env.get("GITHUB_EVENT_NAME") or None
    if not path:
        if name in REQUIRED:
            raise GuardsError(f"a {name} event needs its payload: pass --event-path")
        return Event(name)
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GuardsError(f"cannot read the event payload {path}: {exc}") from exc
    if not isinstance(payload, dict):
        raise GuardsError(f"the event payload {path} is not a JSON object")
    check_shape(name, payload, path)
    return Event(name, payload)


# The object each event's payload must carry; without it the run would silently be a local one.
REQUIRED = {
    "pull_request": "pull_request",
    "pull_request_target": "pull_request",
    "merge_group": "merge_group",
    "push": "after",
}


def check_shape(name: str | None, payload: Mapping[str, Any], path: str) -> None:
    """A payload that lacks what its event names is exit 2, never a local run."""
    key = REQUIRED.get(name or "")
    if key and not payload.get(key):
        raise GuardsError(
            f"the event payload {path} has no {key!r} for a {name} event; pass the payload "
            "GitHub wrote ($GITHUB_EVENT_PATH), or drop --event-name for a local run"
        )
