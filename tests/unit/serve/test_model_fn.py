"""model_fn loads through the artifact's checked loader and tunes for serving."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smtrain.ml.artifact import METADATA_FILE, MODEL_FILE
from smtrain.ml.errors import ArtifactError
from smtrain.ml.inference import model_fn


def test_model_fn_runs_every_step_on_one_thread(penguins_dir: Path) -> None:
    model = model_fn(str(penguins_dir))

    threads = {
        k: v for k, v in model.pipeline.get_params().items() if k.endswith("n_jobs")
    }
    assert threads
    assert set(threads.values()) == {1}


def test_model_fn_refuses_a_changed_model_file(
    penguins_dir: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "model"
    shutil.copytree(penguins_dir, copy)
    with (copy / MODEL_FILE).open("ab") as model_file:
        model_file.write(b"\0")

    with pytest.raises(ArtifactError, match="sha256"):
        model_fn(str(copy))


def test_model_fn_refuses_a_folder_without_metadata(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match=METADATA_FILE):
        model_fn(str(tmp_path))
