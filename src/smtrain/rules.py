"""The rules a JobSpec must pass before anything is sent to AWS.

The model checks each value's type; these check what SageMaker would refuse later
(shapes and limits from botocore's service model, via ``smtrain.servicemodel``)
and what it accepts but makes no sense (``max-wait`` without spot). Each check
yields ``Problem``s keyed by the user's own key; the loader adds where it came
from. Remote-only requirements (role, S3 output) are skipped with ``local: true``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from smtrain import images
from smtrain.errors import Problem
from smtrain.names import max_prefix_length
from smtrain.rules_aws import (
    check_kms_keys,
    check_role,
    check_s3_locations,
    check_vpc,
    region_of,
)
from smtrain.rules_data import (
    check_channels,
    check_hyperparameters,
    check_metrics,
    check_tags_and_environment,
)
from smtrain.rules_tuning import check_tuning
from smtrain.servicemodel import enum_values, limits
from smtrain.spec import JobSpec

Check = Callable[[JobSpec], Iterator[Problem]]

# Names that suggest a secret; SageMaker shows these values in plain text.
_SECRET_NAME = re.compile(r"pass(word)?|secret|token|api[-_]?key|credential", re.I)

# SageMaker's documented ceiling for MaxRuntimeInSeconds; botocore has no maximum.
MAX_RUNTIME_CEILING = 28 * 86400


def find_problems(spec: JobSpec) -> list[Problem]:
    """Every rule broken by ``spec``, in a stable order."""
    return [problem for check in _CHECKS for problem in check(spec)]


def find_warnings(spec: JobSpec) -> list[str]:
    """Legal but probably unintended settings, for the CLI to mention."""
    warnings = []
    if spec.use_spot and not spec.checkpoint_s3_uri and not spec.local:
        warnings.append(
            "use-spot without checkpoint-s3-uri: an interrupted spot job restarts "
            "from scratch; set checkpoint-s3-uri and save checkpoints to "
            "/opt/ml/checkpoints"
        )
    known = enum_values("TrainingInstanceType")
    if (
        spec.instance_type.startswith("ml.")
        and known
        and spec.instance_type not in known
    ):
        warnings.append(
            f"instance-type {spec.instance_type} is unknown to this botocore; "
            "check the spelling, or upgrade boto3 if it is new"
        )
    return warnings + _secret_warnings(spec)


def _secret_warnings(spec: JobSpec) -> list[str]:
    named = [f"environment.{k}" for k in spec.environment if _SECRET_NAME.search(k)]
    named += [
        f"hyperparameters.{k}" for k in spec.hyperparameters if _SECRET_NAME.search(k)
    ]
    return [
        f"{key} looks like a secret, but SageMaker shows it in plain text in the "
        "console and DescribeTrainingJob; read it from AWS Secrets Manager instead"
        for key in named
    ]


def effective_max_wait(spec: JobSpec) -> int | None:
    """MaxWaitTimeInSeconds to send: max-wait, or twice max-runtime for spot.

    SageMaker requires it with spot; twice the runtime leaves as long to wait
    for capacity as to train, capped at the runtime ceiling.
    """
    if not spec.use_spot:
        return None
    if spec.max_wait is not None:
        return spec.max_wait
    return max(spec.max_runtime, min(2 * spec.max_runtime, MAX_RUNTIME_CEILING))


def job_name_problem(name: str, key: str = "job-name") -> Problem | None:
    """What is wrong with ``name`` as a training job name, if anything."""
    name_shape = limits("TrainingJobName")
    if name_shape.accepts(name):
        return None
    return _name_problem(key, name, name_shape.max)


def _check_names(spec: JobSpec) -> Iterator[Problem]:
    if spec.job_name is not None:
        problem = job_name_problem(spec.job_name)
        if problem:
            yield problem
    prefix_max = max_prefix_length()
    if not re.fullmatch(r"[a-zA-Z0-9](-*[a-zA-Z0-9])*", spec.job_name_prefix):
        yield _name_problem("job-name-prefix", spec.job_name_prefix, prefix_max)
    elif len(spec.job_name_prefix) > prefix_max:
        yield Problem(
            "job-name-prefix",
            f"is {len(spec.job_name_prefix)} characters; at most {prefix_max} leave "
            "room for the generated suffix",
            hint="shorten it, or set job-name",
        )


def _name_problem(key: str, value: str, maximum: int | None) -> Problem:
    return Problem(
        key,
        f"{value!r} is not a valid SageMaker name",
        hint=f"use 1 to {maximum} letters, digits and hyphens, starting and ending "
        "with a letter or digit",
    )


def _check_image(spec: JobSpec) -> Iterator[Problem]:
    if spec.image_uri and spec.framework:
        yield Problem(
            "image-uri",
            "is set together with framework",
            hint="set image-uri for your own image, or framework + framework-version "
            "for an AWS image, not both",
        )
    elif spec.image_uri:
        yield from _check_image_uri(spec.image_uri)
    elif spec.framework:
        yield from _check_framework(spec)
    elif not spec.local:
        yield Problem(
            "image-uri",
            "is required",
            hint="set image-uri, or framework and framework-version",
        )
    if not spec.framework:
        for key, value in (
            ("framework-version", spec.framework_version),
            ("py-version", spec.py_version),
        ):
            if value:
                yield Problem(key, "is set without framework", hint="set framework too")


def _check_image_uri(uri: str) -> Iterator[Problem]:
    shape = limits("AlgorithmImage")
    if shape.max and len(uri) > shape.max:
        yield Problem("image-uri", f"is longer than {shape.max} characters")
    if any(c.isspace() for c in uri) or "/" not in uri:
        yield Problem(
            "image-uri",
            f"{uri!r} is not an image URI",
            hint="e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/my-image:1.0",
        )


def _check_framework(spec: JobSpec) -> Iterator[Problem]:
    if not spec.framework_version:
        yield Problem(
            "framework-version",
            f"is required with framework {spec.framework}",
            hint=images.versions_hint(spec.framework or ""),
        )
        return
    region = region_of(spec)
    if region is None:
        if not spec.local:
            yield Problem(
                "aws-region",
                "is needed to pick the framework image",
                hint="set aws-region, or AWS_REGION in the environment",
            )
        return
    try:
        images.image_uri(
            spec.framework or "",
            spec.framework_version,
            region,
            spec.instance_type,
            spec.py_version,
        )
    except images.ImageLookupError as error:
        yield Problem(error.key, str(error), hint=error.hint)


def _check_compute(spec: JobSpec) -> Iterator[Problem]:
    if not spec.instance_type.startswith("ml.") and not spec.local:
        yield Problem(
            "instance-type",
            f"{spec.instance_type!r} is not a SageMaker training instance type",
            hint="training instance types start with ml., e.g. ml.m5.large",
        )
    if spec.distribution != "none" and not spec.entry_point:
        yield Problem(
            "distribution",
            f"{spec.distribution} needs a training script",
            hint="set entry-point and source-dir, or distribution: none",
        )
    if spec.distribution == "torchrun" and spec.framework not in (None, "pytorch"):
        yield Problem(
            "distribution",
            f"torchrun needs the pytorch framework, not {spec.framework}",
            hint="set framework: pytorch, or distribution: none",
        )
    if spec.distribution == "mpi" and spec.framework in ("sklearn", "xgboost"):
        yield Problem(
            "distribution",
            f"mpi is not supported by the {spec.framework} image",
            hint="use pytorch or tensorflow, or distribution: none",
        )


def _check_code(spec: JobSpec) -> Iterator[Problem]:
    if spec.entry_point and not spec.source_dir:
        yield Problem(
            "source-dir",
            "is required with entry-point",
            hint="set source-dir to the folder holding the script",
        )
        return
    if spec.source_dir and not spec.entry_point:
        yield Problem(
            "entry-point",
            "is required with source-dir",
            hint="name the training script inside source-dir",
        )
        return
    if spec.entry_point and spec.source_dir:
        yield from _check_entry_point(spec.entry_point, Path(spec.source_dir))


def _check_entry_point(entry_point: str, folder: Path) -> Iterator[Problem]:
    entry = PurePosixPath(entry_point)
    if entry.is_absolute() or ".." in entry.parts:
        yield Problem(
            "entry-point",
            f"{entry_point!r} is outside source-dir",
            hint="give the script's path relative to source-dir",
        )
    elif not folder.is_dir():
        yield Problem(
            "source-dir",
            f"{folder} is not a folder",
            hint="create it or fix the path (relative to the YAML file)",
        )
    elif not (folder / entry).is_file():
        yield Problem(
            "entry-point",
            f"{entry_point} is not a file in source-dir",
            hint=f"create {folder / entry} or fix the name",
        )


def _check_limits(spec: JobSpec) -> Iterator[Problem]:
    if not 1 <= spec.max_runtime <= MAX_RUNTIME_CEILING:
        yield Problem(
            "max-runtime",
            f"must be between 1 second and 28 days (got {spec.max_runtime} seconds)",
        )
    if spec.timeout is not None and spec.timeout < 1:
        yield Problem("timeout", "must be at least 1 second")
    keep_alive = limits("KeepAlivePeriodInSeconds")
    if spec.keep_alive_period is not None:
        if keep_alive.max is not None and spec.keep_alive_period > keep_alive.max:
            yield Problem(
                "keep-alive-period", f"must be at most {keep_alive.max} seconds"
            )
        if spec.use_spot:
            yield Problem(
                "keep-alive-period",
                "cannot be used with use-spot",
                hint="SageMaker warm pools do not support managed spot",
            )


def _check_spot(spec: JobSpec) -> Iterator[Problem]:
    if spec.max_wait is not None and not spec.use_spot:
        yield Problem(
            "max-wait",
            "only applies to managed spot training",
            hint="set use-spot: true, or remove max-wait",
        )
    elif spec.max_wait is not None and spec.max_wait < spec.max_runtime:
        yield Problem(
            "max-wait",
            f"({spec.max_wait}s) must be at least max-runtime ({spec.max_runtime}s)",
            hint="max-wait covers waiting for spot capacity plus training",
        )
    if spec.checkpoint_local_path and not spec.checkpoint_s3_uri and not spec.local:
        yield Problem(
            "checkpoint-local-path",
            "needs checkpoint-s3-uri",
            hint="set checkpoint-s3-uri to where checkpoints are kept",
        )
    if spec.checkpoint_local_path and not spec.checkpoint_local_path.startswith("/"):
        yield Problem(
            "checkpoint-local-path",
            "must be an absolute container path",
            hint="e.g. /opt/ml/checkpoints",
        )


_CHECKS: tuple[Check, ...] = (
    _check_names,
    check_role,
    _check_image,
    _check_compute,
    _check_code,
    check_s3_locations,
    check_channels,
    check_kms_keys,
    check_vpc,
    _check_limits,
    _check_spot,
    check_hyperparameters,
    check_tags_and_environment,
    check_metrics,
    check_tuning,
)
