"""Where a repository path sits among folders, as git names them: POSIX, relative, no trailing
slash, "" the repository's root.

The trap: a prefix test alone says ``src/app`` is inside ``src/a``; a folder ends at a slash.
"""

from __future__ import annotations


def below(path: str, folder: str) -> bool:
    """Whether PATH is FOLDER or inside it ("" holds everything)."""
    return not folder or path == folder or path.startswith(folder + "/")
