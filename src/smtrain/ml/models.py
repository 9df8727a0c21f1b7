"""The model families ``model`` can name, and checks of their parameters."""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline
from xgboost import XGBClassifier, XGBRegressor

from smtrain.ml.errors import HyperparameterError
from smtrain.ml.preprocess import ColumnPlan, build_preprocessor

Factory = Callable[[int], Any]


@dataclass(frozen=True)
class ModelFamily:
    """One ``model`` choice: how to build it for each problem, and its needs."""

    name: str
    classifier: Factory
    regressor: Factory | None
    needs_scaling: bool = False


FAMILIES: dict[str, ModelFamily] = {
    family.name: family
    for family in (
        ModelFamily(
            "random-forest",
            lambda seed: RandomForestClassifier(random_state=seed),
            lambda seed: RandomForestRegressor(random_state=seed),
        ),
        ModelFamily(
            "extra-trees",
            lambda seed: ExtraTreesClassifier(random_state=seed),
            lambda seed: ExtraTreesRegressor(random_state=seed),
        ),
        ModelFamily(
            "hist-gradient-boosting",
            lambda seed: HistGradientBoostingClassifier(random_state=seed),
            lambda seed: HistGradientBoostingRegressor(random_state=seed),
        ),
        ModelFamily(
            "linear",
            lambda seed: LogisticRegression(max_iter=2000, random_state=seed),
            lambda seed: Ridge(),
            needs_scaling=True,
        ),
        ModelFamily(
            "logistic-regression",
            lambda seed: LogisticRegression(max_iter=2000, random_state=seed),
            None,
            needs_scaling=True,
        ),
        ModelFamily(
            "xgboost",
            lambda seed: XGBClassifier(random_state=seed),
            lambda seed: XGBRegressor(random_state=seed),
        ),
        ModelFamily(
            "lightgbm",
            lambda seed: LGBMClassifier(random_state=seed, verbose=-1),
            lambda seed: LGBMRegressor(random_state=seed, verbose=-1),
        ),
    )
}
MODEL_NAMES = tuple(FAMILIES)


def build_estimator(
    name: str, problem_type: str, params: dict[str, Any], seed: int
) -> Any:
    """A fresh, unfitted estimator of family ``name`` with ``params`` applied."""
    family = FAMILIES[name]
    factory = family.classifier if problem_type != "regression" else family.regressor
    if factory is None:
        raise HyperparameterError(
            f"model {name!r} only classifies; for regression use model 'linear'"
        )
    estimator = factory(seed)
    _check_names(name, estimator, params)
    return estimator.set_params(**params)


def check_params(name: str, problem_type: str, params: dict[str, Any]) -> None:
    """Fit once on a tiny table so a bad value fails now, named, not mid-run.

    scikit-learn, XGBoost and LightGBM each validate values only when fitting.
    """
    estimator = build_estimator(name, problem_type, params, seed=0)
    rows = np.random.default_rng(0).normal(size=(24, 3))
    classes = 3 if problem_type == "multiclass" else 2
    target = rows[:, 0] if problem_type == "regression" else np.arange(24) % classes
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            estimator.fit(rows, target)
    except Exception as error:
        given = ", ".join(f"{key}={value!r}" for key, value in params.items())
        raise HyperparameterError(
            f"model {name!r} refused its parameters ({given}): {error}"
        ) from error


def _check_names(name: str, estimator: Any, params: dict[str, Any]) -> None:
    valid = sorted(estimator.get_params())
    for param in params:
        if param in valid:
            continue
        close = difflib.get_close_matches(param, valid, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise HyperparameterError(
            f"hyperparameter {param.replace('_', '-')!r} is not a setting of the "
            f"runtime nor a parameter of model {name!r}{hint} "
            f"(model parameters: {', '.join(valid)})"
        )


def build_pipeline(
    plan: ColumnPlan, name: str, problem_type: str, params: dict[str, Any], seed: int
) -> Pipeline:
    """Preprocessing then model, as one unfitted pipeline."""
    estimator = build_estimator(name, problem_type, params, seed)
    preprocessor = build_preprocessor(plan, scale=FAMILIES[name].needs_scaling)
    return Pipeline([("preprocess", preprocessor), ("model", estimator)])
