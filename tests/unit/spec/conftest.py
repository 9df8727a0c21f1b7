"""Helpers for the spec tests: a valid base job and a way to write variants."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

BASE: dict[str, Any] = {
    "role-arn": "arn:aws:iam::123456789012:role/SageMakerTraining",
    "image-uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1.0",
    "output-path": "s3://my-bucket/output",
    "inputs": {"train": "s3://my-bucket/train"},
}

WriteSpec = Callable[..., Path]


@pytest.fixture
def write_spec(tmp_path: Path) -> WriteSpec:
    """Write BASE updated with ``changes`` (None deletes a key) to job.yml."""

    def write(changes: dict[str, Any] | None = None, *, base: bool = True) -> Path:
        data = dict(BASE) if base else {}
        for key, value in (changes or {}).items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        path = tmp_path / "job.yml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        return path

    return write


@pytest.fixture
def script_dir(tmp_path: Path) -> Path:
    """A source-dir holding train.py, next to job.yml."""
    code = tmp_path / "code"
    code.mkdir()
    (code / "train.py").write_text("print('training')\n")
    return code
