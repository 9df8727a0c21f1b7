"""container/: the lock covers the extras, pins with hashes, and the files exist."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CONTAINER = ROOT / "container"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\]+)", re.MULTILINE)
# A pin followed by at least one sha256 on its continuation lines.
HASHED_PIN = re.compile(
    r"^[A-Za-z0-9._-]+==\S+(?: \\\n\s+--hash=sha256:[0-9a-f]{64})+", re.MULTILINE
)


def _name(requirement: str) -> str:
    return (
        re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
    )


def _locked() -> dict[str, str]:
    text = (CONTAINER / "requirements.lock").read_text()
    return {name.lower(): version for name, version in PIN.findall(text)}


def test_every_lock_entry_is_pinned_with_hashes() -> None:
    text = (CONTAINER / "requirements.lock").read_text()
    hashed = HASHED_PIN.findall(text)

    assert len(_locked()) > 20
    assert len(hashed) == len(_locked())


def test_the_lock_installs_the_core_ml_and_serve_dependencies() -> None:
    tomllib = pytest.importorskip("tomllib")  # stdlib from Python 3.11
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = [*project["dependencies"], *extras["ml"], *extras["serve"]]
    names = {_name(r) for r in wanted} - {"smtrain"}

    assert names <= set(_locked()), sorted(names - set(_locked()))


def test_requirements_in_pins_match_the_lock() -> None:
    pins = PIN.findall((CONTAINER / "requirements.in").read_text())

    assert pins
    for name, version in pins:
        assert _locked()[name.lower()] == version


def test_the_dockerfile_copies_files_that_exist() -> None:
    dockerfile = (CONTAINER / "Dockerfile").read_text()
    sources = [
        source
        for line in re.findall(r"^COPY (.+)$", dockerfile, re.MULTILINE)
        for source in line.split()[:-1]
    ]

    assert "container/bin/train" in sources
    assert "container/bin/serve" in sources
    for source in sources:
        assert (ROOT / source).exists(), source


@pytest.mark.parametrize("word", ["train", "serve"])
def test_the_entry_words_are_executable_shell(word: str) -> None:
    script = CONTAINER / "bin" / word

    assert script.stat().st_mode & 0o111
    subprocess.run(["sh", "-n", str(script)], check=True, timeout=10)
