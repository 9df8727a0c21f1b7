"""Hyperparameter values as the text SageMaker stores.

SageMaker takes every hyperparameter as a string. Strings go as written, booleans
as ``true``/``false`` and everything else as JSON, so a container decoding JSON
gets back the YAML type; Python's ``str()`` would send ``True`` and ``{'a': 1}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def hyperparameter_text(value: Any) -> str:
    """One value as text: ``0.1`` -> ``"0.1"``, ``True`` -> ``"true"``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, allow_nan=False)


def render_hyperparameters(values: Mapping[str, Any]) -> dict[str, str]:
    return {str(name): hyperparameter_text(value) for name, value in values.items()}
