"""TOML parsing on every supported Python: ``tomllib`` from 3.11, the ``tomli`` backport before.

Import ``tomllib`` from here, never the shim again elsewhere.
"""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover -- exercised only on Python 3.10
    import tomli as tomllib

__all__ = ["tomllib"]
