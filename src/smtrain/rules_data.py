"""Rules about what the job reads and is given: channels, hyperparameters,
environment, tags and metric definitions. Limits come from botocore's model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from smtrain.contract import HP_RESERVED_PREFIX
from smtrain.errors import Problem
from smtrain.hyperparameters import hyperparameter_text
from smtrain.servicemodel import limits
from smtrain.spec import JobSpec

# Most hyperparameters smtrain adds in script mode (torchrun), counted against
# the limit.
SCRIPT_MODE_HYPERPARAMETERS = 7


def check_channels(spec: JobSpec) -> Iterator[Problem]:
    shape, count = limits("ChannelName"), limits("InputDataConfig")
    if count.max is not None and len(spec.inputs) > count.max:
        yield Problem("inputs", f"has {len(spec.inputs)} channels; at most {count.max}")
    for name, channel in spec.inputs.items():
        key = f"inputs.{name}"
        if not shape.accepts(name):
            yield Problem(
                key,
                "is not a valid channel name",
                hint=f"use up to {shape.max} letters, digits, '.', '-', '_'",
            )
        mode = channel.input_mode or spec.input_mode
        if channel.compression == "Gzip" and mode != "Pipe":
            yield Problem(
                f"{key}.compression",
                "Gzip needs input-mode Pipe",
                hint="set input-mode: Pipe, or decompress the data",
            )
        if channel.attribute_names and channel.s3_data_type != "AugmentedManifestFile":
            yield Problem(
                f"{key}.attribute-names",
                "only applies to s3-data-type AugmentedManifestFile",
            )


def check_hyperparameters(spec: JobSpec) -> Iterator[Problem]:
    count = limits("HyperParameters").max or 100
    extra = SCRIPT_MODE_HYPERPARAMETERS if spec.entry_point else 0
    if len(spec.hyperparameters) + extra > count:
        yield Problem(
            "hyperparameters",
            f"has {len(spec.hyperparameters)} entries; at most {count - extra} here",
        )
    key_max = limits("HyperParameterKey").max
    value_max = limits("HyperParameterValue").max
    for name, value in spec.hyperparameters.items():
        key = f"hyperparameters.{name}"
        if not name.strip():
            yield Problem("hyperparameters", "has an entry with an empty name")
            continue
        if spec.entry_point and name.startswith(HP_RESERVED_PREFIX):
            yield Problem(
                key,
                f"is reserved: {HP_RESERVED_PREFIX}* hyperparameters belong to the "
                "framework container and never reach the script",
                hint="smtrain sets them from entry-point, source-dir and "
                "distribution; rename it",
            )
        if key_max is not None and len(name) > key_max:
            yield Problem(key, f"name is longer than {key_max} characters")
        text = _usable_text(value)
        if text is None:
            yield Problem(
                key, "has no usable value", hint="give it a value, or remove it"
            )
        elif value_max is not None and len(text) > value_max:
            yield Problem(
                key,
                f"is longer than {value_max} characters as text",
                hint="pass large settings in an input channel instead",
            )


def _usable_text(value: object) -> str | None:
    """The value as sent, or None for null and NaN/infinity (not JSON)."""
    if value is None:
        return None
    try:
        return hyperparameter_text(value)
    except ValueError:
        return None


def check_tags_and_environment(spec: JobSpec) -> Iterator[Problem]:
    yield from _check_map(
        "tags",
        spec.tags,
        ("TagList", "TagKey", "TagValue"),
        "letters, digits, spaces and _ . : / = + - @",
    )
    for name in spec.tags:
        if name.lower().startswith("aws:"):
            yield Problem(
                f"tags.{name}",
                "uses the reserved aws: prefix",
                hint="AWS keeps tag keys starting with aws: for itself",
            )
    yield from _check_map(
        "environment",
        spec.environment,
        (
            "TrainingEnvironmentMap",
            "TrainingEnvironmentKey",
            "TrainingEnvironmentValue",
        ),
        "letters, digits and _, not starting with a digit",
    )


def _check_map(
    key: str, values: dict[str, str], shapes: tuple[str, str, str], allowed: str
) -> Iterator[Problem]:
    count, names, texts = (limits(shape) for shape in shapes)
    if count.max is not None and len(values) > count.max:
        yield Problem(key, f"has {len(values)} entries; at most {count.max}")
    for name, text in values.items():
        if not names.accepts(name):
            yield Problem(
                f"{key}.{name}",
                "is not a valid name",
                hint=f"use up to {names.max} characters: {allowed}",
            )
        if texts.max is not None and len(text) > texts.max:
            yield Problem(
                f"{key}.{name}", f"value is longer than {texts.max} characters"
            )
        elif not texts.matches(text):
            yield Problem(
                f"{key}.{name}",
                "value has characters AWS does not allow",
                hint=f"use {allowed}",
            )


def check_metrics(spec: JobSpec) -> Iterator[Problem]:
    count = limits("MetricDefinitionList").max or 40
    if len(spec.metric_definitions) > count:
        yield Problem("metric-definitions", f"has more than {count} entries")
    for index, metric in enumerate(spec.metric_definitions):
        key = f"metric-definitions[{index}]"
        try:
            compiled = re.compile(metric.regex)
        except re.error as error:
            yield Problem(f"{key}.regex", f"is not a valid regex: {error}")
            continue
        if compiled.groups < 1:
            yield Problem(
                f"{key}.regex",
                "has no capture group for the value",
                hint=r"e.g. 'rmse: ([0-9.]+)'",
            )
