"""The records waivers are made of: a grant (a waiver that counts) and a rejection (one that
does not, and why). Pure data; no I/O."""

from __future__ import annotations

from guards.core.records import record
from guards.finding import Waiver


@record
class Grant:
    """A waiver that counts: GUARD's failing findings matching TARGETS (all, when empty)."""

    guard: str
    targets: tuple[str, ...]
    reason: str
    by: str
    source: str  # review | policy | exempt
    origin: str  # where it was granted, for the report ("review 80 by alice")

    @property
    def waiver(self) -> Waiver:
        return Waiver(self.by, self.reason, self.source)

    def describe(self) -> str:
        what = " ".join(self.targets) or "all findings"
        return f"{self.source} waiver of {self.guard} {what} ({self.origin})"


@record
class Rejection:
    """A waiver that does not count, and why; reported on GUARD ('' = every failing guard).

    A rejection is a warning (rule ``waiver_line_counts``), except an expired policy waiver,
    which fails (rule ``policy_waiver_current``)."""

    guard: str
    message: str
    rule: str = "waiver_line_counts"
    fails: bool = False
