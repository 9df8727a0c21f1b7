"""Small real models trained by smtrain.ml once per test session.

The penguins classifier uses the penguins example's model family on the
palmerpenguins table; the regressor learns scikit-learn's diabetes progression.
Both are trained in-process, one thread per library, with few trees and folds
so the session stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from palmerpenguins import load_penguins
from sklearn.datasets import load_diabetes
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from smtrain.ml.environment import ROOT_ENV, TrainingEnvironment
from smtrain.ml.hyperparameters import build_settings
from smtrain.ml.train import train

_trained: dict[str, Path] = {}


def penguins_model(base: Path) -> Path:
    hyperparameters = {"target": "species", "model": "random-forest", "folds": "2"}
    return _model(
        "penguins", load_penguins(), {**hyperparameters, "n-estimators": "40"}, base
    )


def diabetes_model(base: Path) -> Path:
    frame = load_diabetes(as_frame=True).frame
    hyperparameters = {"target": "target", "model": "random-forest", "folds": "2"}
    return _model("diabetes", frame, {**hyperparameters, "n-estimators": "20"}, base)


def _model(
    name: str, frame: pd.DataFrame, hyperparameters: dict[str, Any], base: Path
) -> Path:
    if name in _trained:
        return _trained[name]
    root = base / name
    channel = root / "input" / "data" / "train"
    channel.mkdir(parents=True)
    frame.to_csv(channel / f"{name}.csv", index=False)
    environment = TrainingEnvironment.from_environ({ROOT_ENV: str(root)})
    with threadpool_limits(limits=1):
        train(
            environment,
            build_settings(hyperparameters),
            hyperparameters,
            lambda _: None,
        )
    _trained[name] = environment.model_dir
    return environment.model_dir
