"""The jest presets guards reads past (config.INERT_PRESETS) set none of the keys it reads: each
is loaded with node from the runners' node_modules (tests/js_runners.py, ts-jest pinned in
tests/fixtures/js_runners/package.json) and its keys are compared with config.JEST_KEYS. A
preset that starts to set ``testMatch`` in a new version fails here when the pin moves."""

from __future__ import annotations

import json
import subprocess

import pytest

from guards.collect.js.config import INERT_PRESETS, JEST_KEYS
from tests import js_runners

LOAD = "console.log(JSON.stringify(Object.keys(require(process.argv[1] + '/jest-preset'))))"


@pytest.mark.parametrize("preset", sorted(INERT_PRESETS))
def test_an_inert_preset_sets_no_key_guards_reads(preset: str) -> None:
    modules = js_runners.node_modules()
    done = subprocess.run(
        ["node", "-e", LOAD, preset], cwd=modules.parent, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip # -- a packed call reads better here
    assert done.returncode == 0, done.stderr
    keys = set(json.loads(done.stdout))
    assert "transform" in keys  # the preset was loaded, not an empty stand-in
    assert keys.isdisjoint(JEST_KEYS)
