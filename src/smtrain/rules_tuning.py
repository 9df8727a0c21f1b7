"""Rules for the ``tuning`` section, checked with the rest of the spec.

Limits come from botocore's SageMaker model where it has them (name length,
values per range, parent jobs); the rest are SageMaker's documented rules that
only the service would otherwise report, after the request is sent.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from smtrain.errors import Problem
from smtrain.servicemodel import limits
from smtrain.spec import JobSpec
from smtrain.tuning_spec import (
    CategoricalRange,
    ContinuousRange,
    IntegerRange,
    TuningSpec,
)

_RANGES = "tuning.parameter-ranges"


def grid_size(tuning: TuningSpec) -> int:
    """Combinations a Grid search has: the product of the categorical counts."""
    return math.prod(
        len(r.values)
        for r in tuning.parameter_ranges.values()
        if isinstance(r, CategoricalRange)
    )


def check_tuning(spec: JobSpec) -> Iterator[Problem]:
    tuning = spec.tuning
    if tuning is None:
        return
    yield from _check_name(spec)
    yield from _check_objective(spec, tuning)
    yield from _check_limits(tuning)
    yield from _check_strategy(tuning)
    yield from _check_static(spec, tuning)
    for name, value_range in tuning.parameter_ranges.items():
        yield from _check_range(f"{_RANGES}.{name}", value_range)
    if tuning.warm_start:
        yield from _check_parents(tuning.warm_start.parents)


def _check_name(spec: JobSpec) -> Iterator[Problem]:
    shape = limits("HyperParameterTuningJobName")
    if spec.job_name and not shape.accepts(spec.job_name):
        yield Problem(
            "job-name",
            f"{spec.job_name!r} does not fit a tuning job name",
            hint=f"with tuning, use 1 to {shape.max} letters, digits and hyphens",
        )


def _check_objective(spec: JobSpec, tuning: TuningSpec) -> Iterator[Problem]:
    names = [m.name for m in spec.metric_definitions]
    if tuning.objective.metric not in names:
        known = ", ".join(names) or "none are defined"
        yield Problem(
            "tuning.objective.metric",
            f"{tuning.objective.metric!r} is not in metric-definitions ({known})",
            hint="add a metric-definitions entry whose regex reads it from the log",
        )


def _check_limits(tuning: TuningSpec) -> Iterator[Problem]:
    if tuning.max_jobs is None and tuning.strategy != "Grid":
        yield Problem(
            "tuning.max-jobs",
            f"is required with strategy {tuning.strategy}",
            hint="set how many training jobs the search may run in total",
        )
    if tuning.max_jobs is not None and tuning.max_parallel_jobs > tuning.max_jobs:
        yield Problem(
            "tuning.max-parallel-jobs",
            f"({tuning.max_parallel_jobs}) is more than max-jobs ({tuning.max_jobs})",
        )
    runtime = limits("HyperParameterTuningMaxRuntimeInSeconds")
    low, high = runtime.min or 0, runtime.max or math.inf
    if tuning.max_runtime is not None and not low <= tuning.max_runtime <= high:
        yield Problem(
            "tuning.max-runtime",
            f"must be between {low} and {high} seconds (got {tuning.max_runtime})",
        )


def _check_strategy(tuning: TuningSpec) -> Iterator[Problem]:
    if tuning.strategy == "Hyperband" and tuning.early_stopping:
        yield Problem(
            "tuning.early-stopping",
            "cannot be used with Hyperband, which stops trials itself",
            hint="remove early-stopping",
        )
    if tuning.strategy != "Grid":
        return
    for name, value_range in tuning.parameter_ranges.items():
        if not isinstance(value_range, CategoricalRange):
            yield Problem(
                f"{_RANGES}.{name}",
                f"is a {value_range.type} range; Grid search takes only categorical "
                "ranges",
                hint="list the values to try, or use strategy Random or Bayesian",
            )
    size = grid_size(tuning)
    if tuning.max_jobs is not None and tuning.max_jobs > size:
        yield Problem(
            "tuning.max-jobs",
            f"is {tuning.max_jobs}, but the grid has only {size} combinations",
            hint=f"set max-jobs to at most {size}, or leave it out to try them all",
        )


def _check_static(spec: JobSpec, tuning: TuningSpec) -> Iterator[Problem]:
    for name in tuning.parameter_ranges:
        if name in spec.hyperparameters:
            yield Problem(
                f"hyperparameters.{name}",
                "is also in tuning.parameter-ranges; a hyperparameter is either "
                "static or tuned",
                hint=f"remove {name} from hyperparameters or from the ranges",
            )
        if name.startswith("sagemaker_"):
            yield Problem(
                f"{_RANGES}.{name}",
                "is reserved for the framework container and cannot be tuned",
            )


def _check_range(
    key: str, value_range: IntegerRange | ContinuousRange | CategoricalRange
) -> Iterator[Problem]:
    if isinstance(value_range, CategoricalRange):
        most = limits("ParameterValues").max or 30
        if len(value_range.values) > most:
            yield Problem(f"{key}.values", f"has more than {most} values")
        return
    low, high, scaling = value_range.min, value_range.max, value_range.scaling
    if low > high:
        yield Problem(key, f"min ({low}) is greater than max ({high})")
    if scaling == "Logarithmic" and low <= 0:
        yield Problem(
            f"{key}.scaling", "Logarithmic needs min above 0", hint="raise min"
        )
    if scaling == "ReverseLogarithmic" and isinstance(value_range, IntegerRange):
        yield Problem(
            f"{key}.scaling", "ReverseLogarithmic applies to continuous ranges only"
        )
    elif scaling == "ReverseLogarithmic" and not 0 <= low < high < 1:
        yield Problem(
            f"{key}.scaling",
            "ReverseLogarithmic needs 0 <= min < max < 1",
        )


def _check_parents(parents: list[str]) -> Iterator[Problem]:
    most = limits("ParentHyperParameterTuningJobs").max or 5
    if len(parents) > most:
        yield Problem("tuning.warm-start.parents", f"has more than {most} jobs")
    shape = limits("HyperParameterTuningJobName")
    for parent in parents:
        if not shape.accepts(parent):
            yield Problem(
                "tuning.warm-start.parents",
                f"{parent!r} is not a tuning job name",
            )
