"""Cross-validation: fold choice, per-fold scores and out-of-fold predictions."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import KFold, StratifiedKFold

from smtrain.ml.errors import DataError
from smtrain.ml.scoring import score_predictions

Array = np.ndarray[Any, Any]
MIN_ROWS = 10


@dataclass(frozen=True)
class CrossValidation:
    """Scores of each fold, and each row's prediction by the fold that held it out."""

    folds: int
    fold_scores: list[dict[str, float]]
    out_of_fold: Array
    seconds: float

    def summary(self) -> dict[str, float]:
        """``{metric: mean, metric_std: spread}`` over folds."""
        summary: dict[str, float] = {}
        for name in self.fold_scores[0]:
            values = np.array([scores[name] for scores in self.fold_scores])
            # A metric undefined in one fold (a class absent) still has a mean.
            values = values[~np.isnan(values)]
            summary[name] = float(np.mean(values)) if values.size else math.nan
            summary[f"{name}_std"] = float(np.std(values)) if values.size else math.nan
        return summary


def choose_folds(
    target: Array, problem_type: str, requested: int
) -> tuple[int, str | None]:
    """The fold count to use, and a warning when it had to be lowered."""
    rows = len(target)
    if rows < MIN_ROWS:
        raise DataError(
            f"too few rows to cross-validate: {rows} usable rows, need at least "
            f"{MIN_ROWS}"
        )
    if problem_type == "regression":
        return min(requested, rows // 2), None
    smallest = int(np.bincount(target).min())
    if smallest < 2:
        raise DataError(
            "too few rows to cross-validate: a class has a single row; every "
            "class needs at least 2"
        )
    if smallest >= requested:
        return requested, None
    return smallest, (
        f"the rarest class has {smallest} rows, fewer than folds={requested}; "
        f"using {smallest} folds"
    )


def cross_validate(
    pipeline: Any,
    features: Any,
    target: Array,
    problem_type: str,
    folds: int,
    seed: int,
) -> CrossValidation:
    """Fit a clone per fold; score it on the held-out rows."""
    started = time.perf_counter()
    splitter: Any = (
        KFold(folds, shuffle=True, random_state=seed)
        if problem_type == "regression"
        else StratifiedKFold(folds, shuffle=True, random_state=seed)
    )
    held_out: list[tuple[Array, Array]] = []
    fold_scores = []
    for train_rows, test_rows in splitter.split(features, target):
        model = clone(pipeline).fit(features.iloc[train_rows], target[train_rows])
        predictions = predict(model, features.iloc[test_rows], problem_type)
        held_out.append((test_rows, predictions))
        fold_scores.append(
            score_predictions(problem_type, target[test_rows], predictions)
        )
    shape = (len(target), *held_out[0][1].shape[1:])
    out_of_fold = np.zeros(shape)
    for rows, predictions in held_out:
        out_of_fold[rows] = predictions
    seconds = time.perf_counter() - started
    return CrossValidation(folds, fold_scores, out_of_fold, seconds)


def predict(model: Any, features: Any, problem_type: str) -> Array:
    """Probabilities for classifiers, values for regressors."""
    if problem_type == "regression":
        return np.asarray(model.predict(features), dtype=float)
    return np.asarray(model.predict_proba(features), dtype=float)
