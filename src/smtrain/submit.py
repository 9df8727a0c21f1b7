"""Submit a training or tuning job exactly once, or attach to the one already there.

Before creating, smtrain looks the name up. When it exists, ``on-existing-job``
decides: ``attach`` follows it if its spec-hash tag matches this spec, ``fail``
stops, ``new-name`` tries ``NAME-2``, ``NAME-3``... A job tagged with this very
process's submission id is always ours: CreateTrainingJob succeeded but its answer
was lost, and botocore's retry then met ResourceInUse. So neither a retried call
nor a re-run ever creates a second job for the same spec.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from smtrain.aws.errors import aws_errors, is_not_found, is_transient
from smtrain.errors import AwsError, Problem, SpecError
from smtrain.github.context import TAG_PREFIX, GitHubRun
from smtrain.names import with_suffix
from smtrain.spec import JobSpec

SPEC_HASH_TAG = TAG_PREFIX + "spec-hash"
SUBMISSION_TAG = TAG_PREFIX + "submission"
_MAX_NEW_NAMES = 20
# Keys that change how smtrain watches a job, not the job SageMaker runs.
_WATCH_ONLY_KEYS = frozenset(
    {
        "on_existing_job",
        "wait",
        "stream_logs",
        "timeout",
        "stop_on_timeout",
        "stop_on_cancel",
        "local",
        "local_root",
        "install_requirements",
        "job_name",
        "job_name_prefix",
    }
)

_EXISTS_FAIL = (
    "{noun} {name} already exists; choose another job-name, or set "
    "on-existing-job to attach (follow it) or new-name"
)
_CREATE_UNKNOWN = (
    "{error}; {name} may have been created all the same: check with `smtrain "
    "status {name}`; running this step again attaches to it instead of "
    "submitting a second job"
)
_EXISTS_FOREIGN = (
    "{noun} {name} already exists but was not started from this spec "
    "({why}); choose another job-name, or set on-existing-job: new-name"
)


@dataclass(frozen=True)
class JobKind:
    """The SageMaker calls and fields that differ between training and tuning jobs."""

    noun: str
    describe: str
    create: str
    name_field: str
    arn_field: str
    numbered: Callable[[str, int], str]


TRAINING_JOB = JobKind(
    noun="training job",
    describe="describe_training_job",
    create="create_training_job",
    name_field="TrainingJobName",
    arn_field="TrainingJobArn",
    numbered=with_suffix,
)


@dataclass(frozen=True)
class Submission:
    job_name: str
    job_arn: str
    attached: bool


def spec_hash(spec: JobSpec, code_digest: str = "") -> str:
    """A short digest of what SageMaker would run, including the code archive."""
    data = spec.model_dump(mode="json", exclude=set(_WATCH_ONLY_KEYS))
    canonical = json.dumps({"spec": data, "code": code_digest}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def job_tags(spec: JobSpec, digest: str, submission_id: str) -> dict[str, str]:
    """GitHub run tags, our bookkeeping tags, then the user's (which win)."""
    github = GitHubRun.from_environment()
    tags = github.tags() if github else {}
    tags[SPEC_HASH_TAG] = digest
    tags[SUBMISSION_TAG] = submission_id
    return {**tags, **spec.tags}


def new_submission_id() -> str:
    return uuid.uuid4().hex


class Submitter:
    """Creates the job under the first usable name, or attaches to an existing one."""

    def __init__(
        self,
        sagemaker: Any,
        digest: str,
        submission_id: str,
        kind: JobKind = TRAINING_JOB,
    ) -> None:
        self._sagemaker = sagemaker
        self._digest = digest
        self._submission_id = submission_id
        self._kind = kind

    def submit(
        self,
        base_name: str,
        policy: str,
        build_request: Callable[[str], dict[str, Any]],
    ) -> Submission:
        """``build_request(name)`` is called only for a name that will be created."""
        for number in range(1, _MAX_NEW_NAMES + 1):
            name = base_name if number == 1 else self._kind.numbered(base_name, number)
            existing = self.find_job(name)
            if existing is None:
                created = self._create(name, build_request)
                if created is not None:
                    return created
                existing = self.find_job(name)
            if existing is not None and self._attachable(name, existing, policy):
                arn = existing[self._kind.arn_field]
                return Submission(name, arn, attached=True)
        raise SpecError(
            [Problem("job-name", f"{_MAX_NEW_NAMES} names from {base_name} are taken")]
        )

    def _create(
        self, name: str, build_request: Callable[[str], dict[str, Any]]
    ) -> Submission | None:
        request = build_request(name)
        create = getattr(self._sagemaker, self._kind.create)
        try:
            with aws_errors(f"creating {self._kind.noun} {name}"):
                response = create(**request)
        except Exception as error:
            if _is_resource_in_use(error):
                return None
            if is_transient(error) and self._created_anyway(name, error):
                return None
            raise
        return Submission(name, response[self._kind.arn_field], attached=False)

    def _created_anyway(self, name: str, error: Exception) -> bool:
        """After a create whose every attempt failed: did one create the job?

        A dropped connection or a 5xx may come after SageMaker created it; the
        caller then attaches by the submission tag instead of losing the job.
        """
        try:
            return self.find_job(name) is not None
        except AwsError as lookup:
            message = _CREATE_UNKNOWN.format(name=name, error=error)
            raise AwsError(message) from lookup

    def _attachable(self, name: str, existing: dict[str, Any], policy: str) -> bool:
        """True to attach, False to try the next name; raises when neither."""
        tags = self._tags(existing[self._kind.arn_field])
        if tags.get(SUBMISSION_TAG) == self._submission_id:
            return True
        if policy == "new-name":
            return False
        if policy == "fail":
            message = _EXISTS_FAIL.format(noun=self._kind.noun, name=name)
            raise SpecError([Problem("on-existing-job", message)])
        theirs = tags.get(SPEC_HASH_TAG)
        if theirs == self._digest:
            return True
        why = (
            f"spec hash {theirs}, this spec {self._digest}"
            if theirs
            else "no smtrain tag"
        )
        message = _EXISTS_FOREIGN.format(noun=self._kind.noun, name=name, why=why)
        raise SpecError([Problem("on-existing-job", message)])

    def find_job(self, name: str) -> dict[str, Any] | None:
        """The job's description, or None when no job has this name."""
        describe = getattr(self._sagemaker, self._kind.describe)
        with aws_errors(f"looking up {self._kind.noun} {name}"):
            try:
                found: dict[str, Any] = describe(**{self._kind.name_field: name})
                return found
            except self._sagemaker.exceptions.ClientError as error:
                if is_not_found(error):
                    return None
                raise

    def _tags(self, arn: str) -> dict[str, str]:
        tags: dict[str, str] = {}
        with aws_errors(f"reading the existing {self._kind.noun}'s tags"):
            paginator = self._sagemaker.get_paginator("list_tags")
            for page in paginator.paginate(ResourceArn=arn):
                tags.update({t["Key"]: t["Value"] for t in page.get("Tags", [])})
        return tags


def _is_resource_in_use(error: Exception) -> bool:
    # A dropped connection's botocore error has a response of None.
    response = getattr(error.__cause__, "response", None) or {}
    return bool(response.get("Error", {}).get("Code") == "ResourceInUse")
