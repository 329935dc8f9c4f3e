"""A team's first day: the install name, the README's fresh-machine commands.

The trap: `pip install guards` installs an unrelated PyPI project whose import package is also
`guards`; the distribution is `guards-gate`, the command and the import package stay `guards`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover -- 3.10 only: tomllib is in the standard library from 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_distribution_is_not_the_taken_pypi_name() -> None:
    assert PROJECT["name"] == "guards-gate"
    assert PROJECT["scripts"] == {"guards": "guards.main:main"}  # the CLI, then a fast exit


def test_readme_commands_never_pip_install_guards() -> None:
    blocks = "\n".join(README.split("```")[1::2])
    assert not re.search(r"pip install guards(?![-\w])", blocks)
    assert "guards-gate @ git+https://" in README


def test_readme_fresh_machine_commands_do_not_share_a_venv() -> None:
    block = README.split("```sh", 1)[1].split("```", 1)[0]
    venvs = re.findall(r"python3 -m venv (\S+)", block)
    assert len(venvs) == 2 and venvs[0] != venvs[1], venvs
