"""The penguins example, trained by the local runner exactly as users run it."""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

import pytest

from smtrain.cancel import CancelToken
from smtrain.events import SilentListener
from smtrain.loader import load_spec
from smtrain.local.runner import run_local
from smtrain.ml.artifact import load_model

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "penguins"


def test_penguins_example_trains_in_local_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = tmp_path / "penguins"
    shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns(".smtrain"))
    monkeypatch.chdir(tmp_path)
    # The entry point runs in its own process and folder: it needs smtrain
    # importable from there, as `pip install smtrain[ml]` makes it in a container.
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))

    result = run_local(load_spec(example / "job.yml"), SilentListener(), CancelToken())

    assert result.status == "Completed", result.failure_reason
    assert result.metrics["cv:accuracy"] > 0.95
    assert "cv:log_loss_std" in result.metrics
    archive = Path(result.model_artifacts.removeprefix("file://"))
    with tarfile.open(archive) as packed:
        packed.extractall(tmp_path / "model", filter="data")
    model = load_model(tmp_path / "model")
    assert model.metadata["model"]["name"] == "random-forest"
    assert model.classes == ["Adelie", "Chinstrap", "Gentoo"]
