"""Metric values for one set of predictions (a fold, or a validation/test set)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn import metrics

Array = np.ndarray[Any, Any]


def classification_scores(truth: Array, proba: Array) -> dict[str, float]:
    """accuracy, balanced_accuracy, f1, roc_auc and log_loss from probabilities.

    ``f1`` is the positive class's for binary problems, the macro mean otherwise;
    ``roc_auc`` is one-vs-rest macro for multiclass. A metric the data leaves
    undefined (a class absent from this set) is NaN.
    """
    labels = list(range(proba.shape[1]))
    predicted = proba.argmax(axis=1)
    binary = len(labels) == 2
    scorers: dict[str, Callable[[], float]] = {
        "accuracy": lambda: metrics.accuracy_score(truth, predicted),
        "balanced_accuracy": lambda: metrics.balanced_accuracy_score(truth, predicted),
        "f1": lambda: metrics.f1_score(
            truth, predicted, labels=labels, average="binary" if binary else "macro"
        ),
        "roc_auc": lambda: (
            metrics.roc_auc_score(truth, proba[:, 1])
            if binary
            else metrics.roc_auc_score(truth, proba, multi_class="ovr", labels=labels)
        ),
        "log_loss": lambda: metrics.log_loss(truth, proba, labels=labels),
    }
    return {name: _safely(scorer) for name, scorer in scorers.items()}


def regression_scores(truth: Array, predicted: Array) -> dict[str, float]:
    """rmse, mae and r2."""
    scorers: dict[str, Callable[[], float]] = {
        "rmse": lambda: metrics.root_mean_squared_error(truth, predicted),
        "mae": lambda: metrics.mean_absolute_error(truth, predicted),
        "r2": lambda: metrics.r2_score(truth, predicted),
    }
    return {name: _safely(scorer) for name, scorer in scorers.items()}


def score_predictions(
    problem_type: str, truth: Array, predictions: Array
) -> dict[str, float]:
    """The problem's metrics; ``predictions`` are probabilities for classifiers."""
    if problem_type == "regression":
        return regression_scores(truth, predictions)
    return classification_scores(truth, predictions)


def _safely(scorer: Callable[[], float]) -> float:
    with warnings.catch_warnings():
        # Undefined metrics warn and return 0; we report them as missing instead.
        warnings.simplefilter("ignore")
        try:
            value = float(scorer())
        except ValueError:
            return math.nan
    return value
