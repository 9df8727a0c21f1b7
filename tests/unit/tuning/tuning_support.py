"""A valid job with a tuning section, for the tuning tests."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

METRIC = "validation:accuracy"
BASE: dict[str, Any] = {
    "job-name": "hpo",
    "role-arn": "arn:aws:iam::123456789012:role/SageMakerTraining",
    "image-uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1.0",
    "output-path": "s3://my-bucket/output",
    "inputs": {"train": "s3://my-bucket/train"},
    "hyperparameters": {"epochs": 10},
    "metric-definitions": [{"name": METRIC, "regex": "accuracy=([0-9.]+)"}],
    "tuning": {
        "strategy": "Random",
        "objective": {"metric": METRIC, "type": "Maximize"},
        "max-jobs": 8,
        "max-parallel-jobs": 2,
        "parameter-ranges": {
            "learning-rate": {"min": 0.001, "max": 0.1, "scaling": "Logarithmic"},
            "depth": {"min": 2, "max": 8},
            "kernel": ["linear", "rbf"],
        },
    },
}

WriteTuning = Callable[..., Path]


def tuning_data(**tuning: Any) -> dict[str, Any]:
    """BASE with these tuning keys replaced (None removes one)."""
    data = copy.deepcopy(BASE)
    for key, value in tuning.items():
        if value is None:
            data["tuning"].pop(key, None)
        else:
            data["tuning"][key] = value
    return data
