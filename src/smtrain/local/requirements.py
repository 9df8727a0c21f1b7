"""``requirements.txt`` in source-dir: what this environment lacks, and installing it.

On SageMaker the framework container pip-installs the file before training.
Locally the script runs in the current environment, so smtrain reports what is
missing first and installs only when ``install-requirements: true``.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.requirements import Requirement

REQUIREMENTS_FILE = "requirements.txt"


def requirements_path(source_dir: Path | None) -> Path | None:
    if source_dir is None:
        return None
    path = source_dir / REQUIREMENTS_FILE
    return path if path.is_file() else None


def unmet_requirements(path: Path) -> list[str]:
    """Each requirement line that the installed distributions do not satisfy."""
    # Imported here: most source folders have no requirements.txt, and the
    # parser costs a local run ~20 ms to import.
    from packaging.requirements import InvalidRequirement, Requirement

    unmet: list[str] = []
    for line in _requirement_lines(path):
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            unmet.append(f"{line} (not checked: pip will resolve it)")
            continue
        problem = _problem(requirement)
        if problem:
            unmet.append(problem)
    return unmet


def _requirement_lines(path: Path) -> list[str]:
    """Requirement lines without comments, blank lines and pip options."""
    lines = (raw.split(" #", 1)[0].strip() for raw in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith(("#", "-"))]


def _problem(requirement: Requirement) -> str:
    if requirement.marker is not None and not requirement.marker.evaluate():
        return ""
    try:
        installed = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        return f"{requirement} (not installed)"
    if requirement.specifier.contains(installed, prereleases=True):
        return ""
    return f"{requirement} (installed: {installed})"


def pip_install_command(path: Path) -> list[str]:
    """``pip install -r`` into the interpreter that runs the training scripts."""
    return [sys.executable, "-m", "pip", "install", "-r", str(path)]
