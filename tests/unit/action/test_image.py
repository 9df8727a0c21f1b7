"""The action's image: only the orchestrator's dependencies, hash-pinned, in step
with pyproject.toml; an entrypoint that hands signals straight to smtrain."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[3]
LOCK = ROOT / "requirements" / "action.lock"
_PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s\\]+)", re.M)
# None of these may reach the image: training runs on SageMaker, tests in CI.
FORBIDDEN = {"sagemaker", "numpy", "pandas", "scikit-learn", "torch", "pytest", "moto"}


def _pins() -> dict[str, str]:
    text = LOCK.read_text(encoding="utf-8")
    return {canonicalize_name(n): v for n, v in _PIN.findall(text)}


def test_every_pin_carries_a_hash_and_the_command_is_recorded() -> None:
    text = LOCK.read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text)[1:]

    assert len(blocks) == len(_pins())
    assert all("--hash=sha256:" in block for block in blocks)
    assert "pip-compile" in text and "--generate-hashes" in text


def test_lock_satisfies_the_runtime_dependencies_and_holds_nothing_else_heavy() -> None:
    tomllib = pytest.importorskip("tomllib", reason="tomllib is Python 3.11+")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = _pins()

    for line in project["project"]["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is missing from {LOCK.name}"
        assert requirement.specifier.contains(pins[name]), (name, pins[name])
    assert not FORBIDDEN & set(pins)


def test_dockerfile_installs_the_lock_with_hashes_and_runs_the_entrypoint() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    entrypoint = (ROOT / "entrypoint.sh").read_text(encoding="utf-8")

    assert "--require-hashes --no-deps -r requirements/action.lock" in dockerfile
    assert 'ENTRYPOINT ["/entrypoint.sh"]' in dockerfile
    # GitHub needs root for the file commands: no USER may switch away from it.
    assert not re.search(r"^USER ", dockerfile, re.M)
    assert re.search(r"^exec smtrain action\b", entrypoint, re.M)
    assert (ROOT / "entrypoint.sh").stat().st_mode & 0o111
