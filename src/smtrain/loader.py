"""Load a job spec from a YAML file, action inputs and ``--set``, or refuse it.

``load_spec`` is the one entry point: it stacks the sources (file < action inputs
< ``--set``), validates the result against ``JobSpec`` and then ``smtrain.rules``,
and raises one ``SpecError`` listing every problem, each naming the key as the
user wrote it and the file line or input it came from.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from smtrain import rules
from smtrain.errors import Problem, SpecError
from smtrain.layers import (
    Layer,
    action_input_layer,
    file_layer,
    merge_layers,
    set_layer,
)
from smtrain.spec import Channel, JobSpec, MetricDefinition
from smtrain.tuning_spec import TuningSpec
from smtrain.yamlsource import join_key

_DOCS_HINT = "see docs/configuration.md for every key"
# Values under these keys may be secrets: never echo them back.
_QUIET_KEYS = ("environment", "hyperparameters")
_NUMBERS = (int, float, int | None, float | None)


def load_spec(
    file: Path | None,
    *,
    action_inputs: Mapping[str, str] | None = None,
    overrides: Sequence[str] = (),
) -> JobSpec:
    """The validated job spec, or ``SpecError`` with every problem found."""
    layers: list[Layer] = [file_layer(Path(file))] if file is not None else []
    layers += [action_input_layer(action_inputs or {}), set_layer(overrides)]
    merged = merge_layers(layers)
    if merged.unreadable:
        raise SpecError(merged.problems)
    fallback = str(file) if file is not None else None

    problems = merged.problems + _refused_keys(merged.data, merged.locations)
    try:
        spec = JobSpec.model_validate(merged.data)
    except ValidationError as error:
        problems += [_from_pydantic(e, merged) for e in error.errors()]
        raise SpecError(problems) from None
    found = rules.find_problems(spec)
    problems += [_located(p, merged.locations, fallback) for p in found]
    if problems:
        raise SpecError(problems)
    return spec


def locate(locations: Mapping[str, str], key: str) -> str | None:
    """Where ``key`` (or the nearest enclosing key) was written, if anywhere."""
    while key:
        if key in locations:
            return locations[key]
        cut = max(key.rfind("."), key.rfind("["))
        key = key[:cut] if cut > 0 else ""
    return None


def _located(
    problem: Problem, locations: Mapping[str, str], fallback: str | None
) -> Problem:
    source = locate(locations, problem.key) or fallback
    return Problem(problem.key, problem.message, source, problem.hint)


def _refused_keys(data: dict[str, Any], locations: Mapping[str, str]) -> list[Problem]:
    """Keys no model knows, and booleans given for numbers, removed from ``data``
    so validation can go on.

    Pydantic would also accept ``job_name`` for ``job-name``; users write kebab-case
    only, so the snake_case spelling is refused here with the right one suggested.
    """
    problems = _refused_in(data, "", JobSpec, locations)
    channels = data.get("inputs")
    if isinstance(channels, dict):
        for name, channel in channels.items():
            if isinstance(channel, dict):
                path = join_key("inputs", str(name))
                problems += _refused_in(channel, path, Channel, locations)
    tuning = data.get("tuning")
    if isinstance(tuning, dict):
        problems += _refused_in(tuning, "tuning", TuningSpec, locations)
    metrics = data.get("metric-definitions")
    if isinstance(metrics, list):
        for index, metric in enumerate(metrics):
            if isinstance(metric, dict):
                path = join_key("metric-definitions", index)
                problems += _refused_in(metric, path, MetricDefinition, locations)
    return problems


def _refused_in(
    data: dict[Any, Any],
    path: str,
    model: type[BaseModel],
    locations: Mapping[str, str],
) -> list[Problem]:
    fields = {f.alias or name: f for name, f in model.model_fields.items()}
    known = list(fields)
    problems = []
    for key, field in fields.items():
        # Pydantic would read ``instance-count: true`` as 1: a boolean where a
        # number belongs is a mistake to point out, not a value to guess.
        if isinstance(data.get(key), bool) and field.annotation in _NUMBERS:
            full = join_key(path, key)
            message = "must be a number, not true or false"
            problems.append(Problem(full, message, locate(locations, full)))
            del data[key]
    for key in [k for k in data if k not in known]:
        full = join_key(path, str(key))
        problems.append(
            Problem(
                full,
                "is not a known key",
                locate(locations, full),
                _suggest(str(key), known),
            )
        )
        del data[key]
    return problems


def _suggest(key: str, known: Sequence[str]) -> str:
    spelled = key.replace("_", "-").lower()
    close = difflib.get_close_matches(spelled, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return _DOCS_HINT


def _from_pydantic(error: Mapping[str, Any], merged: Layer) -> Problem:
    key = _key_from_loc(error["loc"])
    message, hint = _describe(error)
    value = error.get("input")
    quiet = key.startswith(_QUIET_KEYS) or error["type"] == "missing"
    if not quiet and isinstance(value, str | int | float) and len(str(value)) <= 60:
        message += f" (got {value!r})"
    return Problem(key, message, locate(merged.locations, key), hint)


def _key_from_loc(loc: Sequence[str | int]) -> str:
    # A parameter range's errors carry its type tag: ranges.lr.continuous.max.
    if tuple(loc[:2]) == ("tuning", "parameter-ranges") and len(loc) > 4:
        loc = [*loc[:3], *loc[4:]]
    key = ""
    for part in loc:
        key = join_key(key, part)
    return key or "(spec)"


def _describe(error: Mapping[str, Any]) -> tuple[str, str | None]:
    """A user-facing message and fix for one pydantic error."""
    kind = error["type"]
    text = re.sub(r"^(Value error|Assertion failed), ", "", str(error["msg"]))
    text = re.sub(r"^Input should be", "must be", text)
    messages: dict[str, tuple[str, str | None]] = {
        "missing": ("is required", None),
        "string_type": (
            "must be text",
            "quote it, e.g. '1.10', so YAML keeps it as text",
        ),
        "int_parsing": ("must be a whole number", None),
        "int_type": ("must be a whole number", None),
        "int_from_float": ("must be a whole number", None),
        "dict_type": ("must be a mapping of key: value", None),
        "list_type": ("must be a list, or comma-separated text", None),
        "extra_forbidden": ("is not a known key", _DOCS_HINT),
    }
    if kind in messages:
        return messages[kind]
    if kind == "model_type" and error["loc"][0] == "metric-definitions":
        return "must be a mapping with name and regex", None
    if kind == "model_type" and error["loc"][0] == "inputs":
        return "must be a URI or a mapping with uri", None
    if (
        kind in ("model_type", "model_attributes_type")
        and "parameter-ranges" in (error["loc"])
    ):
        return "must be a mapping with min and max, or a list of values", None
    if kind == "model_type":
        return "must be a mapping", "see docs/tuning.md"
    if kind == "union_tag_invalid":
        return "type must be integer, continuous or categorical", None
    if kind == "literal_error":
        return f"must be one of {error['ctx']['expected']}", None
    return text, None
