"""How the runtime prints metrics, and the regexes that read them back.

Each metric is one log line, ``smtrain-metric <name>=<value>``, for example
``smtrain-metric cv:accuracy=0.973856``. Names are ``<split>:<metric>``:

- ``cv:<metric>`` and ``cv:<metric>_std``: mean and standard deviation over the
  cross-validation folds of the ``train`` channel;
- ``validation:<metric>`` and ``test:<metric>``: the final model on those channels;
- ``train:seconds``: wall time from reading the data to scoring the final model.

Classification metrics are accuracy, balanced_accuracy, f1, roc_auc, log_loss;
regression metrics are rmse, mae, r2. Undefined values are not printed.
``METRIC_DEFINITIONS`` are the matching SageMaker ``metric-definitions``
(33 in all, under SageMaker's limit of 40 per job).

Pure standard library: the orchestrator may import it without the ``ml`` extra.
"""

from __future__ import annotations

import math
import re

PREFIX = "smtrain-metric"
CLASSIFICATION_METRICS = ("accuracy", "balanced_accuracy", "f1", "roc_auc", "log_loss")
REGRESSION_METRICS = ("rmse", "mae", "r2")
TIME_METRIC = "train:seconds"
_NUMBER = r"([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)"


def metric_names(problem_type: str | None = None) -> list[str]:
    """Every metric name the runtime can print for ``problem_type`` (None: all)."""
    metrics: tuple[str, ...]
    if problem_type is None:
        metrics = CLASSIFICATION_METRICS + REGRESSION_METRICS
    elif problem_type == "regression":
        metrics = REGRESSION_METRICS
    else:
        metrics = CLASSIFICATION_METRICS
    names = [f"cv:{m}" for m in metrics] + [f"cv:{m}_std" for m in metrics]
    names += [f"{split}:{m}" for split in ("validation", "test") for m in metrics]
    return [*names, TIME_METRIC]


def metric_definitions(problem_type: str | None = None) -> list[dict[str, str]]:
    """``[{"name", "regex"}]`` as the job spec's ``metric-definitions`` takes them."""
    return [
        {"name": name, "regex": f"{PREFIX} {re.escape(name)}={_NUMBER}"}
        for name in metric_names(problem_type)
    ]


def format_metric(name: str, value: float) -> str | None:
    """The log line for one metric, or None when the value is undefined."""
    if math.isnan(value) or math.isinf(value):
        return None
    return f"{PREFIX} {name}={value:.6g}"


METRIC_DEFINITIONS: tuple[dict[str, str], ...] = tuple(metric_definitions())
