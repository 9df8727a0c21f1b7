"""PNG plots of a trained model, drawn from its out-of-fold predictions.

Classification: ``confusion_matrix.png``, ``roc_curve.png``,
``precision_recall.png``; regression: ``residuals.png``; both:
``feature_importance.png``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

# Training containers have no display.
matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from sklearn.inspection import permutation_importance
from sklearn.metrics import (
    ConfusionMatrixDisplay,
    PrecisionRecallDisplay,
    PredictionErrorDisplay,
    RocCurveDisplay,
)

Array = np.ndarray[Any, Any]
_TOP_FEATURES = 20
_PERMUTATION_ROWS = 2000


def plot_classification(
    folder: Path, truth: Array, proba: Array, classes: Sequence[Any]
) -> list[Path]:
    """Confusion matrix, ROC and precision-recall curves (one-vs-rest)."""
    labels = [str(c) for c in classes]
    figure, axes = plt.subplots(figsize=(6, 5))
    ConfusionMatrixDisplay.from_predictions(
        np.asarray(labels)[truth],
        np.asarray(labels)[proba.argmax(axis=1)],
        labels=labels,
        ax=axes,
        colorbar=False,
    )
    paths = [_save(figure, folder / "confusion_matrix.png")]
    shown = [1] if len(labels) == 2 else range(len(labels))
    for name, display in (
        ("roc_curve", RocCurveDisplay),
        ("precision_recall", PrecisionRecallDisplay),
    ):
        figure, axes = plt.subplots(figsize=(6, 5))
        for index in shown:
            display.from_predictions(
                truth == index, proba[:, index], name=labels[index], ax=axes
            )
        paths.append(_save(figure, folder / f"{name}.png"))
    return paths


def plot_residuals(folder: Path, truth: Array, predicted: Array) -> list[Path]:
    """Residuals against predicted values."""
    figure, axes = plt.subplots(figsize=(6, 5))
    PredictionErrorDisplay.from_predictions(
        truth, predicted, kind="residual_vs_predicted", ax=axes
    )
    return [_save(figure, folder / "residuals.png")]


def plot_importance(folder: Path, importance: dict[str, float]) -> list[Path]:
    """The largest importances as horizontal bars; nothing if there are none."""
    if not importance:
        return []
    ranked = sorted(importance.items(), key=lambda item: item[1])[-_TOP_FEATURES:]
    figure, axes = plt.subplots(figsize=(7, 0.3 * len(ranked) + 1.5))
    axes.barh([name for name, _ in ranked], [value for _, value in ranked])
    axes.set_xlabel("importance")
    return [_save(figure, folder / "feature_importance.png")]


def feature_importance(
    pipeline: Any, features: Any, target: Array, seed: int
) -> dict[str, float]:
    """The model's own importances or |coefficients| per transformed feature.

    Models with neither (hist-gradient-boosting) get permutation importance per
    input column, on at most ``_PERMUTATION_ROWS`` training rows.
    """
    model = pipeline.named_steps["model"]
    names = pipeline.named_steps["preprocess"].get_feature_names_out()
    if hasattr(model, "feature_importances_"):
        values = np.asarray(model.feature_importances_, dtype=float)
    elif hasattr(model, "coef_"):
        values = np.abs(np.atleast_2d(model.coef_)).mean(axis=0)
    else:
        # A random sample: training files are often sorted by the target.
        rows = np.random.default_rng(seed).permutation(len(target))[:_PERMUTATION_ROWS]
        result = permutation_importance(
            pipeline, features.iloc[rows], target[rows], n_repeats=3, random_state=seed
        )
        names, values = features.columns, result.importances_mean
    return {str(n): float(v) for n, v in zip(names, values, strict=True)}


def _save(figure: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path
