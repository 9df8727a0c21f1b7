"""What tells a tuning job apart for ``smtrain.submit.Submitter``.

The same rules as training jobs: ``on-existing-job`` decides what an existing
name means, the spec-hash tag tells a re-run of this spec from a stranger's job,
and this process's submission tag recognises a job whose create answer was lost.
Only the calls, the fields and the name length differ.
"""

from __future__ import annotations

from smtrain.servicemodel import limits
from smtrain.submit import JobKind


def _numbered(name: str, number: int) -> str:
    """``name-2``, cut to fit a tuning job name."""
    suffix = f"-{number}"
    most = limits("HyperParameterTuningJobName").max or 32
    return name[: most - len(suffix)].rstrip("-") + suffix


TUNING_JOB = JobKind(
    noun="tuning job",
    describe="describe_hyper_parameter_tuning_job",
    create="create_hyper_parameter_tuning_job",
    name_field="HyperParameterTuningJobName",
    arn_field="HyperParameterTuningJobArn",
    numbered=_numbered,
)
