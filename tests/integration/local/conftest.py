"""Fixtures for local-mode runs: real scripts, real iris data, a recording listener."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sklearn.datasets import load_iris

from smtrain.spec import JobSpec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "local"


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
