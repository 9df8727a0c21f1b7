"""Create a tuning job exactly once, or attach to the one already there.

The same rules as training jobs (``smtrain.submit``): ``on-existing-job``
decides what an existing name means, the spec-hash tag tells a re-run of this
spec from a stranger's job, and this process's submission tag recognises a job
whose create answer was lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from smtrain.aws.errors import aws_errors
from smtrain.errors import Problem, SpecError
from smtrain.servicemodel import limits
from smtrain.submit import SPEC_HASH_TAG, SUBMISSION_TAG, Submission

_MAX_NEW_NAMES = 20


class TuningSubmitter:
    def __init__(self, sagemaker: Any, digest: str, submission_id: str) -> None:
        self._sagemaker = sagemaker
        self._digest = digest
        self._submission_id = submission_id

    def submit(
        self,
        base_name: str,
        policy: str,
        build_request: Callable[[str], dict[str, Any]],
    ) -> Submission:
        """``build_request(name)`` is called only for a name that will be created."""
        for number in range(1, _MAX_NEW_NAMES + 1):
            name = base_name if number == 1 else _numbered(base_name, number)
            existing = self.find(name)
            if existing is None:
                created = self._create(name, build_request)
                if created is not None:
                    return created
                existing = self.find(name)
            if existing is not None and self._attachable(name, existing, policy):
                arn = existing["HyperParameterTuningJobArn"]
                return Submission(name, arn, attached=True)
        raise SpecError(
            [Problem("job-name", f"{_MAX_NEW_NAMES} names from {base_name} are taken")]
        )

    def find(self, name: str) -> dict[str, Any] | None:
        """The tuning job's description, or None when there is none by this name."""
        with aws_errors(f"looking up tuning job {name}"):
            try:
                found: dict[str, Any] = (
                    self._sagemaker.describe_hyper_parameter_tuning_job(
                        HyperParameterTuningJobName=name
                    )
                )
                return found
            except ClientError as error:
                if _code(error) == "ResourceNotFound" or "not found" in str(error):
                    return None
                raise

    def _create(
        self, name: str, build_request: Callable[[str], dict[str, Any]]
    ) -> Submission | None:
        request = build_request(name)
        try:
            with aws_errors(f"creating tuning job {name}"):
                response = self._sagemaker.create_hyper_parameter_tuning_job(**request)
        except Exception as error:
            if isinstance(error.__cause__, ClientError) and (
                _code(error.__cause__) == "ResourceInUse"
            ):
                return None
            raise
        return Submission(name, response["HyperParameterTuningJobArn"], False)

    def _attachable(self, name: str, existing: dict[str, Any], policy: str) -> bool:
        """True to attach, False to try the next name; raises when neither."""
        tags = self._tags(existing["HyperParameterTuningJobArn"])
        if tags.get(SUBMISSION_TAG) == self._submission_id:
            return True
        if policy == "new-name":
            return False
        if policy == "fail":
            message = (
                f"tuning job {name} already exists; choose another job-name, or "
                "set on-existing-job to attach or new-name"
            )
            raise SpecError([Problem("on-existing-job", message)])
        if tags.get(SPEC_HASH_TAG) == self._digest:
            return True
        message = (
            f"tuning job {name} already exists but was not started from this spec; "
            "choose another job-name, or set on-existing-job: new-name"
        )
        raise SpecError([Problem("on-existing-job", message)])

    def _tags(self, arn: str) -> dict[str, str]:
        tags: dict[str, str] = {}
        with aws_errors("reading the existing tuning job's tags"):
            paginator = self._sagemaker.get_paginator("list_tags")
            for page in paginator.paginate(ResourceArn=arn):
                tags.update({t["Key"]: t["Value"] for t in page.get("Tags", [])})
        return tags


def _numbered(name: str, number: int) -> str:
    """``name-2``, cut to fit a tuning job name."""
    suffix = f"-{number}"
    most = limits("HyperParameterTuningJobName").max or 32
    return name[: most - len(suffix)].rstrip("-") + suffix


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
