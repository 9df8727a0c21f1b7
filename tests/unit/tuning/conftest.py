"""Fixture for the tuning tests: write a spec dict to job.yml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from tuning_support import WriteTuning


@pytest.fixture
def write_tuning(tmp_path: Path) -> WriteTuning:
    def write(data: dict[str, Any]) -> Path:
        path = tmp_path / "job.yml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        return path

    return write
