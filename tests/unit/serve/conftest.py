"""Models trained once per session and loaded the way the container loads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from integration.serve.trained_models import diabetes_model, penguins_model
from smtrain.ml.artifact import LoadedModel
from smtrain.ml.inference import model_fn


@pytest.fixture(scope="session")
def penguins_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return penguins_model(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def diabetes_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return diabetes_model(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def penguins(penguins_dir: Path) -> LoadedModel:
    return model_fn(str(penguins_dir))


@pytest.fixture(scope="session")
def diabetes(diabetes_dir: Path) -> LoadedModel:
    return model_fn(str(diabetes_dir))
