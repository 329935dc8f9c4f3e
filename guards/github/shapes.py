"""The shapes of the GitHub responses the protected-branch guard reads, checked before use.

A response that does not have the documented shape (GitHub's REST reference: rules for a
branch, a ruleset, classic branch protection) is exit 2 naming the endpoint: a field of the
wrong type must never read as "not protected" or "no bypass actor". Only the fields guards
reads are constrained; the rest may be anything, as GitHub adds fields over time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guards.errors import GuardsError

_STR = {"type": "string"}
_INT = {"type": "integer"}
_ENABLED = {"type": "object", "properties": {"enabled": {"type": "boolean"}}}
_CONTEXTS = {"type": "array", "items": _STR}
_CHECKS = {
    "type": "array",
    "items": {"type": "object", "required": ["context"], "properties": {"context": _STR}},
}
RULE = {
    "type": "object",
    "required": ["type"],
    "properties": {
        "type": _STR,
        "ruleset_id": _INT,
        "parameters": {
            "type": "object",
            "properties": {
                "required_approving_review_count": _INT,
                "required_status_checks": _CHECKS,
            },
        },
    },
}
RULES = {"type": "array", "items": RULE}
RULESET = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": _INT,
        "name": _STR,
        "enforcement": {"enum": ["active", "evaluate", "disabled"]},
        "bypass_actors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["actor_type"],
                "properties": {
                    "actor_id": {"type": ["integer", "null"]},
                    "actor_type": _STR,
                    "bypass_mode": _STR,
                },
            },
        },
    },
}
_ACTORS = {"type": "array", "items": {"type": "object"}}
CLASSIC = {
    "type": "object",
    "properties": {
        "required_pull_request_reviews": {
            "type": "object",
            "properties": {
                "required_approving_review_count": _INT,
                "bypass_pull_request_allowances": {
                    "type": "object",
                    "properties": {"users": _ACTORS, "teams": _ACTORS, "apps": _ACTORS},
                },
            },
        },
        "required_status_checks": {
            "type": ["object", "null"],
            "properties": {"contexts": _CONTEXTS, "checks": _CHECKS},
        },
        "enforce_admins": _ENABLED,
        "allow_force_pushes": _ENABLED,
        "allow_deletions": _ENABLED,
    },
}


def check(data: Any, schema: Mapping[str, Any], endpoint: str) -> Any:
    """DATA when it has SCHEMA's shape; else exit 2 naming ENDPOINT and the first mismatch."""
    import jsonschema  # loaded only when GitHub is asked

    error = jsonschema.exceptions.best_match(jsonschema.Draft7Validator(schema).iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the response"
        raise GuardsError(
            f"GitHub API {endpoint}: unexpected response shape at {where}: {error.message}; "
            "GitHub's documented shape is expected (is this a GitHub API endpoint?)"
        )
    return data
