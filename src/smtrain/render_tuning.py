"""A JobSpec with ``tuning`` as the exact CreateHyperParameterTuningJob request.

The TrainingJobDefinition is built by ``smtrain.render``'s part functions from
the same spec, so a tuned job trains exactly as the plain job would; the tuned
names are left out of the static hyperparameters. The finished request is
checked against botocore's SageMaker model, like CreateTrainingJob.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smtrain import render
from smtrain.hyperparameters import hyperparameter_text
from smtrain.rules_aws import region_of
from smtrain.servicemodel import validate_request
from smtrain.spec import JobSpec
from smtrain.tuning_spec import CategoricalRange, IntegerRange, TuningSpec

TUNING_OPERATION = "CreateHyperParameterTuningJob"


def render_tuning_job(
    spec: JobSpec,
    tuning_job_name: str,
    *,
    code_uri: str | None = None,
    tags: Mapping[str, str] | None = None,
    region: str | None = None,
) -> dict[str, Any]:
    """The CreateHyperParameterTuningJob request for ``spec`` (which has tuning)."""
    tuning = _tuning(spec)
    region = region or region_of(spec)
    if spec.entry_point and code_uri is None:
        code_uri = render.default_code_uri(spec, tuning_job_name)
    request: dict[str, Any] = {
        "HyperParameterTuningJobName": tuning_job_name,
        "HyperParameterTuningJobConfig": tuning_job_config(tuning),
        "TrainingJobDefinition": training_job_definition(
            spec, tuning_job_name, code_uri, region
        ),
        "WarmStartConfig": warm_start_config(tuning),
        "Tags": render.tag_list({**(tags or {}), **spec.tags}),
    }
    request = _without_empty(request)
    validate_request(TUNING_OPERATION, request)
    return request


def tuning_job_config(tuning: TuningSpec) -> dict[str, Any]:
    limits = {
        "MaxNumberOfTrainingJobs": tuning.max_jobs,
        "MaxParallelTrainingJobs": tuning.max_parallel_jobs,
        "MaxRuntimeInSeconds": tuning.max_runtime,
    }
    return _without_empty(
        {
            "Strategy": tuning.strategy,
            "HyperParameterTuningJobObjective": {
                "Type": tuning.objective.type,
                "MetricName": tuning.objective.metric,
            },
            "ResourceLimits": _without_empty(limits),
            "ParameterRanges": parameter_ranges(tuning),
            "TrainingJobEarlyStoppingType": "Auto" if tuning.early_stopping else "Off",
            "RandomSeed": tuning.random_seed,
        }
    )


def parameter_ranges(tuning: TuningSpec) -> dict[str, list[dict[str, Any]]]:
    ranges: dict[str, list[dict[str, Any]]] = {
        "IntegerParameterRanges": [],
        "ContinuousParameterRanges": [],
        "CategoricalParameterRanges": [],
    }
    for name, value_range in tuning.parameter_ranges.items():
        if isinstance(value_range, CategoricalRange):
            values = [hyperparameter_text(v) for v in value_range.values]
            ranges["CategoricalParameterRanges"].append(
                {"Name": name, "Values": values}
            )
            continue
        kind = (
            "IntegerParameterRanges"
            if isinstance(value_range, IntegerRange)
            else "ContinuousParameterRanges"
        )
        ranges[kind].append(
            {
                "Name": name,
                "MinValue": str(value_range.min),
                "MaxValue": str(value_range.max),
                "ScalingType": value_range.scaling,
            }
        )
    return _without_empty(ranges)


def training_job_definition(
    spec: JobSpec, tuning_job_name: str, code_uri: str | None, region: str | None
) -> dict[str, Any]:
    """The training half of the request, from render.py's part functions."""
    return _without_empty(
        {
            "AlgorithmSpecification": render.algorithm_specification(spec, region),
            "RoleArn": spec.role_arn,
            "StaticHyperParameters": render.hyperparameters(
                spec, tuning_job_name, code_uri, region
            ),
            "InputDataConfig": render.input_data_config(spec),
            "OutputDataConfig": render.output_data_config(spec),
            "ResourceConfig": render.resource_config(spec),
            "StoppingCondition": render.stopping_condition(spec),
            "EnableNetworkIsolation": spec.enable_network_isolation,
            "EnableInterContainerTrafficEncryption": (
                spec.encrypt_inter_container_traffic
            ),
            "EnableManagedSpotTraining": spec.use_spot,
            "CheckpointConfig": render.checkpoint_config(spec),
            "VpcConfig": render.vpc_config(spec),
            "Environment": dict(spec.environment),
            "RetryStrategy": render.retry_strategy(spec),
        }
    )


def warm_start_config(tuning: TuningSpec) -> dict[str, Any] | None:
    if tuning.warm_start is None:
        return None
    parents = [{"HyperParameterTuningJobName": p} for p in tuning.warm_start.parents]
    return {
        "ParentHyperParameterTuningJobs": parents,
        "WarmStartType": tuning.warm_start.type,
    }


def _tuning(spec: JobSpec) -> TuningSpec:
    if spec.tuning is None:
        raise ValueError("render_tuning_job needs a spec with a tuning section")
    return spec.tuning


def _without_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != [] and v != {}}
