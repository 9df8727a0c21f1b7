"""The runtime's hyperparameters: parsed strictly, unknown names go to the model.

Names are accepted in kebab-case or snake_case (``time-budget``, ``time_budget``).
Names the runtime does not know are model parameters (``n-estimators`` becomes
``n_estimators``) and are checked against the chosen model later. Names starting
with ``sagemaker_`` belong to the framework container and are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from smtrain.ml.errors import HyperparameterError
from smtrain.ml.models import MODEL_NAMES

PROBLEM_TYPES = ("auto", "binary", "multiclass", "regression")
_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")
_INTEGER = re.compile(r"^[-+]?\d+$")
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_RESERVED_PREFIX = "sagemaker-"


@dataclass(frozen=True)
class Settings:
    """Everything the runtime was asked to do, with defaults filled in."""

    target: str | None = None
    header: bool | None = None
    problem_type: str = "auto"
    model: str = "auto"
    folds: int = 5
    time_budget: float = 600.0
    seed: int = 0
    plots: bool = True
    drop_columns: tuple[str, ...] = ()
    model_params: dict[str, Any] = field(default_factory=dict)


def parse_bool(name: str, value: Any) -> bool:
    """true/false, 1/0 or yes/no in any case; anything else is refused."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise HyperparameterError(
        f"hyperparameter {name!r} must be true or false (or 1/0, yes/no), got {value!r}"
    )


def parse_argv(argv: Sequence[str]) -> dict[str, str]:
    """``--name value`` or ``--name=value`` pairs, as framework containers pass them."""
    parsed: dict[str, str] = {}
    tokens = list(argv)
    while tokens:
        token = tokens.pop(0)
        if not token.startswith("--") or len(token) == 2:
            raise HyperparameterError(
                f"unexpected argument {token!r}: pass hyperparameters as --name value"
            )
        name, equals, value = token[2:].partition("=")
        if not equals:
            if not tokens:
                raise HyperparameterError(f"argument --{name} needs a value")
            value = tokens.pop(0)
        parsed[name] = value
    return parsed


def build_settings(hyperparameters: Mapping[str, Any]) -> Settings:
    """Settings from raw hyperparameters; model parameters are collected apart."""
    known: dict[str, Any] = {}
    model_params: dict[str, Any] = {}
    for raw_name, value in hyperparameters.items():
        given = raw_name.strip().lstrip("-")
        name = given.replace("_", "-").lower()
        if name.startswith(_RESERVED_PREFIX):
            continue
        if name in _PARSERS:
            known[name] = _PARSERS[name](name, value)
        else:
            # Model parameters keep their case: LogisticRegression has ``C``.
            model_params[given.replace("-", "_")] = parse_value(value)
    return Settings(
        **{name.replace("-", "_"): value for name, value in known.items()},
        model_params=model_params,
    )


def parse_value(value: Any) -> Any:
    """A model parameter from text: bool, int, float, None or the text itself."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if text.lower() in ("none", "null"):
        return None
    if _INTEGER.match(text):
        return int(text)
    if _NUMBER.match(text):
        return float(text)
    return text


def _text(name: str, value: Any) -> str:
    text = str(value).strip()
    if not text:
        raise HyperparameterError(f"hyperparameter {name!r} must not be empty")
    return text


def _choice(choices: Sequence[str]) -> Any:
    def parse(name: str, value: Any) -> str:
        text = _text(name, value).lower()
        if text not in choices:
            raise HyperparameterError(
                f"hyperparameter {name!r} must be one of {', '.join(choices)}; "
                f"got {value!r}"
            )
        return text

    return parse


def _bounded_int(low: int, high: int) -> Any:
    def parse(name: str, value: Any) -> int:
        text = str(value).strip()
        if isinstance(value, bool) or not _INTEGER.match(text):
            raise HyperparameterError(
                f"hyperparameter {name!r} must be a whole number, got {value!r}"
            )
        number = int(text)
        if not low <= number <= high:
            raise HyperparameterError(
                f"hyperparameter {name!r} must be between {low} and {high}, "
                f"got {number}"
            )
        return number

    return parse


def _seconds(name: str, value: Any) -> float:
    text = str(value).strip()
    if isinstance(value, bool) or not _NUMBER.match(text) or float(text) <= 0:
        raise HyperparameterError(
            f"hyperparameter {name!r} must be a positive number of seconds, "
            f"got {value!r}"
        )
    return float(text)


def _header(name: str, value: Any) -> bool | None:
    if str(value).strip().lower() == "auto":
        return None
    return parse_bool(name, value)


def _names(name: str, value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def _model_name(name: str, value: Any) -> str:
    return str(_choice(("auto", *MODEL_NAMES))(name, value))


_PARSERS: dict[str, Any] = {
    "target": _text,
    "header": _header,
    "problem-type": _choice(PROBLEM_TYPES),
    "model": _model_name,
    "folds": _bounded_int(2, 20),
    "time-budget": _seconds,
    "seed": _bounded_int(0, 2**32 - 1),
    "plots": parse_bool,
    "drop-columns": _names,
}
