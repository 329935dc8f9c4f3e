"""The workflows' action pins run on node24: .ci/check_action_pins.py over the runtimes data."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / ".ci" / "check_action_pins.py"
OLD_CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"  # v4.2.2, node20


def check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )


def copy_of_repo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / ".github", tmp_path / ".github")
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    return tmp_path


def test_every_pin_of_this_repository_is_on_node24() -> None:
    result = check(ROOT)
    assert result.returncode == 0, result.stdout
    remote = [line for line in result.stdout.splitlines() if line.startswith("ok ")]
    assert len(remote) >= 8 and all("node24" in line for line in remote)
    assert "FAIL" not in result.stdout


def test_a_node20_pin_fails(tmp_path: Path) -> None:
    root = copy_of_repo(tmp_path)
    data = root / ".github" / "action-runtimes.yaml"
    data.write_text(data.read_text() + f"{OLD_CHECKOUT}: {{tag: v4.2.2, using: node20}}\n")
    ci = root / ".github" / "workflows" / "ci.yml"
    text = ci.read_text()
    ci.write_text(text.replace(text.split("uses: ", 1)[1].split(" ", 1)[0], OLD_CHECKOUT, 1))
    result = check(root)
    assert result.returncode == 1
    assert f"FAIL  .github/workflows/ci.yml: {OLD_CHECKOUT}  v4.2.2 runs.using node20" in (
        result.stdout
    )


def test_a_pin_missing_from_the_data_fails(tmp_path: Path) -> None:
    root = copy_of_repo(tmp_path)
    data = root / ".github" / "action-runtimes.yaml"
    kept = [line for line in data.read_text().splitlines() if "upload-sarif@" not in line]
    data.write_text("\n".join(kept) + "\n")
    result = check(root)
    assert result.returncode == 1
    assert "upload-sarif@8aad20d150bbac5944a9f9d289da16a4b0d87c1e  not in" in result.stdout


def test_a_tag_instead_of_a_sha_fails(tmp_path: Path) -> None:
    root = copy_of_repo(tmp_path)
    wf = root / ".github" / "workflows" / "guards.yml"
    wf.write_text(wf.read_text().replace("@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "@v8"))
    result = check(root)
    assert result.returncode == 1
    assert "not pinned to a full commit SHA (v8)" in result.stdout
