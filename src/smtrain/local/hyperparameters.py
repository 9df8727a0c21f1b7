"""Hyperparameters the way SageMaker stores them and the training toolkit decodes them.

SageMaker keeps every hyperparameter as text; local mode writes exactly the text
smtrain's request sends (``smtrain.render.hyperparameters``). Inside the
container the toolkit JSON-decodes each value (keeping the text when that fails),
sets the ``sagemaker_*`` ones aside for itself, and hands the rest to the script
as ``--name value`` arguments and ``SM_HP_*`` variables, rendered as below.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from smtrain import contract


def decode_hyperparameters(stored: Mapping[str, str]) -> dict[str, Any]:
    """The toolkit's reading: JSON where it parses, the raw text where it does not."""
    decoded: dict[str, Any] = {}
    for name, text in stored.items():
        try:
            decoded[name] = json.loads(text)
        except ValueError:
            decoded[name] = text
    return decoded


def is_framework_parameter(name: str) -> bool:
    """True for the names the toolkit keeps from the script (``sagemaker_*``)."""
    return name.startswith(contract.HP_RESERVED_PREFIX) or name in (
        contract.HP_TUNING_OBJECTIVE,
    )


def split_hyperparameters(
    decoded: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the script's hyperparameters, the framework's ``sagemaker_*`` ones)."""
    user = {k: v for k, v in decoded.items() if not is_framework_parameter(k)}
    framework = {k: v for k, v in decoded.items() if is_framework_parameter(k)}
    return user, framework


def render_argument(value: Any) -> str:
    """One argument value as the toolkit renders it: Python's ``str``.

    So ``true`` becomes ``True``, a list ``[1, 2]``, ``None`` the empty string,
    and a mapping ``k=v`` pairs joined by commas in key order.
    """
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return ",".join(f"{k}={v}" for k, v in sorted(value.items()))
    return str(value)


def to_command_arguments(hyperparameters: Mapping[str, Any]) -> list[str]:
    """``--name value`` pairs in name order; one-letter names get a single dash."""
    arguments: list[str] = []
    for name in sorted(hyperparameters):
        flag = f"--{name}" if len(name) > 1 else f"-{name}"
        arguments += [flag, render_argument(hyperparameters[name])]
    return arguments


def masked_arguments(arguments: list[str]) -> list[str]:
    """The arguments with every value shown as ``***``, for logs and messages.

    The toolkit puts the full command in its failure message; hyperparameters can
    hold secrets, so smtrain shows only their names.
    """
    return [a if i % 2 == 0 else "***" for i, a in enumerate(arguments)]


def render_env_value(value: Any) -> str:
    """An ``SM_*`` variable value: text as is, anything else compact sorted JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
