"""Git object ids: their shape, the all-zero id git uses for "no object", and a blob's id.

SHA-1 ids are 40 hex digits, SHA-256 ids 64. The all-zero id (of either length) means a ref
is created (as the old side) or deleted (as the new side): in pre-push lines and push events.
"""

from __future__ import annotations

import hashlib
import re

OID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
ZERO_OID = "0" * 40


def is_oid(text: str) -> bool:
    """TEXT is a full object id (lower-case hex, SHA-1 or SHA-256 length)."""
    return OID.fullmatch(text) is not None


def is_zero(oid: str) -> bool:
    """OID is all zeros: no object on that side."""
    return bool(oid) and set(oid) == {"0"}


def blob_id(data: bytes) -> str:
    """The git blob id of DATA (what ``git hash-object`` prints)."""
    blob = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    blob.update(data)
    return blob.hexdigest()
