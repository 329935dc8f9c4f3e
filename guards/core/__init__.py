"""The only code that runs git or reads files from revisions."""

from __future__ import annotations
