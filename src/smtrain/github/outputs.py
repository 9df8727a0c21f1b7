"""Step outputs in ``GITHUB_OUTPUT``, written the way the runner reads them.

Every value uses the multi-line form with a random delimiter, so a failure
reason or a log line can never end the value early or inject another output.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from smtrain.result import JobResult

OUTPUT_FILE_VAR = "GITHUB_OUTPUT"


# Declared in action.yml; a tuning run fills them, any other run leaves them empty.
TUNING_OUTPUTS = (
    "tuning-job-name",
    "best-training-job-name",
    "best-hyperparameters",
    "best-objective-value",
)
OUTPUT_DESCRIPTIONS: dict[str, str] = {
    "job-name": "Training job name (generated unless job-name was set).",
    "job-arn": "Training job ARN; empty in local mode.",
    "status": "Completed, Failed, Stopped or InProgress; Error when no job ran.",
    "failure-reason": "Why the job (or the run) failed; empty on success.",
    "model-artifacts": "URI of model.tar.gz (S3, or a local path in local mode).",
    "training-time-seconds": "Seconds the instances trained.",
    "billable-time-seconds": "Seconds billed (less than training time with spot).",
    "metrics": "JSON object of final metric values, {} when there are none.",
    "tuning-job-name": "Hyperparameter tuning job name; empty unless tuning.",
    "best-training-job-name": "Best training job of the tuning job; "
    "empty unless tuning.",
    "best-hyperparameters": "JSON object of the best job's hyperparameters; "
    "empty unless tuning.",
    "best-objective-value": "Objective metric value of the best job; "
    "empty unless tuning.",
}


def empty_outputs() -> dict[str, str]:
    """Every declared output, empty, so a later step never reads a missing one."""
    return dict.fromkeys(OUTPUT_DESCRIPTIONS, "") | {"metrics": "{}"}


def result_outputs(result: JobResult) -> dict[str, str]:
    """The action's outputs for a finished (or abandoned) run."""
    outputs = empty_outputs() | {
        "job-name": result.job_name,
        "job-arn": result.job_arn,
        "status": result.status,
        "failure-reason": result.failure_reason,
        "model-artifacts": result.model_artifacts,
        "training-time-seconds": _number(result.training_time_seconds),
        "billable-time-seconds": _number(result.billable_time_seconds),
        "metrics": json.dumps(result.metrics, sort_keys=True),
    }
    if result.tuning_job_name:
        outputs.update(tuning_outputs(result))
    return outputs


def tuning_outputs(result: JobResult) -> dict[str, str]:
    best = result.best_objective_value
    return {
        "tuning-job-name": result.tuning_job_name,
        "best-training-job-name": result.best_training_job_name,
        "best-hyperparameters": json.dumps(result.best_hyperparameters, sort_keys=True),
        "best-objective-value": "" if best is None else f"{best:g}",
    }


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def write_outputs(values: Mapping[str, str], path: Path | None = None) -> bool:
    """Append ``values`` to the output file; False when there is none."""
    target = path or _path_from_environment()
    if target is None:
        return False
    with target.open("a", encoding="utf-8") as stream:
        for name, value in values.items():
            delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
            stream.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return True


def _path_from_environment() -> Path | None:
    value = os.environ.get(OUTPUT_FILE_VAR, "")
    return Path(value) if value else None
