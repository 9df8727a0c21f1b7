"""Fixtures for local-mode runs: real scripts, real iris data, a recording listener."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sklearn.datasets import load_iris

from smtrain.result import StatusTransition
from smtrain.spec import JobSpec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "local"


class RecordingListener:
    """Keeps everything a run reports; ``on_log`` lets a test react to a line."""

    def __init__(self, on_log: Callable[[str, str], None] | None = None) -> None:
        self.infos: list[str] = []
        self.warnings: list[str] = []
        self.statuses: list[StatusTransition] = []
        self.lines: list[tuple[str, str]] = []
        self._on_log = on_log

    def info(self, message: str) -> None:
        self.infos.append(message)

    def warning(self, message: str) -> None:
        self.warnings.append(message)

    def debug(self, message: str) -> None:
        pass

    def status(self, transition: StatusTransition) -> None:
        self.statuses.append(transition)

    def log(self, host: str, line: str) -> None:
        self.lines.append((host, line))
        if self._on_log:
            self._on_log(host, line)

    def secondary_statuses(self) -> list[str]:
        return [t.secondary_status for t in self.statuses]


@pytest.fixture
def iris_dir(tmp_path: Path) -> Path:
    """The iris data set as a headerless CSV, label last, in its own folder."""
    folder = tmp_path / "data"
    folder.mkdir()
    iris = load_iris()
    with open(folder / "iris.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        for features, label in zip(iris.data, iris.target, strict=True):
            writer.writerow([*features, label])
    return folder


@pytest.fixture
def make_spec(tmp_path: Path) -> Callable[..., JobSpec]:
    """A local JobSpec for one fixture script, job roots under tmp_path."""

    def build(fixture: str, **settings: Any) -> JobSpec:
        values: dict[str, Any] = {
            "source-dir": str(FIXTURES / fixture),
            "entry-point": "train.py",
            "local": True,
            "local-root": str(tmp_path / "jobs"),
        }
        values.update({key.replace("_", "-"): v for key, v in settings.items()})
        return JobSpec.model_validate(values)

    return build
