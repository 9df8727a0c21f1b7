"""Fixtures of the training-runtime tests: a job root under tmp_path, penguins."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from palmerpenguins import load_penguins
from threadpoolctl import threadpool_limits

from smtrain.ml.environment import ROOT_ENV

from .job_root import JobRoot


@pytest.fixture(autouse=True, scope="session")
def one_thread_per_library() -> Iterator[None]:
    """OpenMP threads spin-wait on a busy shared machine; one each keeps tests fast."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture
def job_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> JobRoot:
    monkeypatch.setenv(ROOT_ENV, str(tmp_path))
    return JobRoot(tmp_path, capsys)


@pytest.fixture(scope="session")
def penguins() -> pd.DataFrame:
    return load_penguins()
