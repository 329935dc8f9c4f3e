"""The process's exit (guards/main.py ``main``): it skips the interpreter's teardown, and must
answer as Python's own exit does. Each case runs the real CLI twice in fresh interpreters, once
through ``main`` and once through ``cli`` left to Python's exit, and holds them to the same exit
status, standard output and standard error: a pass, a violation, an error, a usage error, a
``sys.exit`` with a message, and a standard output nobody reads (a closed pipe: 120). The atexit
handlers still run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from testing.git_repo import isolated_env, pr_repo

FAST = "from guards.main import main; sys.argv[0] = 'guards'; main()"
SLOW = "from guards.main import cli; sys.argv[0] = 'guards'; cli()"


def _both(
    args: list[str], cwd: Path, stdout: int = subprocess.PIPE, before: str = ""
) -> list[tuple[int, str, str]]:
    """(status, stdout, stderr) of ARGS through ``main`` and through ``cli`` (BEFORE: Python
    run first, in the same process)."""
    outside = ("GITHUB_", "GH_", "PYTHONUNBUFFERED")  # buffered, as a pipe's output is by default
    env = {k: v for k, v in isolated_env().items() if not k.startswith(outside)}
    answers = []
    for code in (FAST, SLOW):
        proc = subprocess.run(
            [sys.executable, "-c", f"import sys\n{before}\n{code}", *args],
            cwd=cwd,
            env={**env, "GUARDS_CACHE_DIR": "off"},
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
        answers.append((proc.returncode, proc.stdout, proc.stderr))
    return answers


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    head = {"tests/test_a.py": "import pytest\n\n@pytest.mark.skip\ndef test_a():\n    pass\n"}
    base = {"tests/test_a.py": "def test_a():\n    pass\n"}
    return pr_repo(tmp_path / "r", base, head)[0].path


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["run", "--only", "skip-set", "--base", "main", "--head", "main"], 0),
        (["run", "--only", "skip-set", "--base", "main", "--head", "feature"], 1),
        (["run", "--base", "main", "--head", "no-such-branch"], 2),
        (["run", "--no-such-flag"], 2),
        (["--version"], 0),
    ],
    ids=["pass", "violation", "error", "usage", "version"],
)
def test_the_fast_exit_answers_as_pythons_own(repo: Path, args: list[str], status: int) -> None:
    fast, slow = _both(args, repo)
    assert fast == slow and fast[0] == status and (fast[1] or fast[2])


def test_a_message_given_to_sys_exit_is_printed_and_is_status_1(tmp_path: Path) -> None:
    code = (
        "import sys, click; from guards import main as m\n"
        "m.cli.add_command(click.Command('quit', callback=lambda: sys.exit('bye')))\n"
        "sys.argv = ['guards', 'quit']; m.main()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (1, "bye\n")


@pytest.mark.parametrize("report", [[], ["--output", "report.txt"]], ids=["printed", "to-a-file"])
def test_output_nobody_reads_ends_as_pythons_own(repo: Path, report: list[str]) -> None:
    """Standard output a closed pipe. A report printed fails as it is written (click's echo
    flushes, and says 1); one written to a file leaves only what was buffered before to fail
    at the exit's flush (EPIPE), which Python's exit answers with 120, and so does this one."""
    read, write = os.pipe()
    os.close(read)
    try:
        args = ["run", "--base", "main", "--head", "feature", *report]
        fast, slow = _both(args, repo, write, before="sys.stdout.write('buffered')")
    finally:
        os.close(write)
    assert fast == slow and fast[0] == (120 if report else 1)


def test_the_atexit_handlers_still_run(tmp_path: Path) -> None:
    flag = tmp_path / "ran"
    code = (
        "import atexit, pathlib, sys; from guards.main import main\n"
        f"atexit.register(pathlib.Path({str(flag)!r}).write_text, 'yes')\n"
        "sys.argv = ['guards', '--version']; main()"
    )
    subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert flag.read_text() == "yes"


def test_a_profiler_still_reports(tmp_path: Path) -> None:
    """Under ``python -m cProfile`` the exit is Python's own: the report comes after the run."""
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-m", "guards", "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert "guards" in done.stdout and "function calls" in done.stdout
