"""Waivers a human grants and an agent cannot forge (README: "Waivers").

A failing finding is waived by one of three sources, applied once after the guards ran
(apply.py, called from ``guards run`` and the probe runner):

- a review waiver: a ``guards-waive:`` line in an APPROVED review on the PR's current head, by
  a user whose repository role is at least ``waive-role``, who is neither the PR's author nor an
  author, committer or co-author of its commits, nor a bot (review.py, pure);
- a policy waiver: ``waivers:`` in guards.yaml at base, until it expires (policy.py, pure);
- an exemption: ``exempt:`` in guards.yaml at base, by the PR author named in the event.

The trap: every channel the PR's author controls (title, body, commit messages, head's
guards.yaml) is forgeable, so a waiver line seen there counts for nothing and is reported as
such (forged.py); and every API failure is exit 2, never "no reviews, so nothing to check".
"""
