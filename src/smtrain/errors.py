"""Exceptions raised by smtrain, each carrying the exit code the CLI uses.

The tree::

    SmtrainError (exit 1)
    ├── SpecError (exit 2)         invalid job spec; holds every problem found
    ├── AwsError (exit 3)          AWS, credential or network failure
    │   └── CredentialsError       no usable credentials, or OIDC refused
    ├── JobFailedError (exit 1)    the job ended Failed, Stopped or timed out
    └── CancelledError (exit 130)  SIGINT/SIGTERM while running

Only the CLI turns these into messages and exit codes; nothing below it prints.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_JOB_FAILED = 1
EXIT_INVALID_INPUT = 2
EXIT_AWS = 3
EXIT_CANCELLED = 130


class SmtrainError(Exception):
    """Base of every error smtrain raises on purpose."""

    exit_code = EXIT_JOB_FAILED


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the job spec.

    ``key`` is the key as the user wrote it (``inputs.train.uri``), ``source`` says
    where its value came from (``job.yml:12``, ``input job-name``, ``--set``).
    """

    key: str
    message: str
    source: str | None = None
    hint: str | None = None

    def render(self) -> str:
        where = f"{self.source}: " if self.source else ""
        text = f"{where}{self.key}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class SpecError(SmtrainError):
    """The job spec is invalid; nothing was sent to AWS."""

    exit_code = EXIT_INVALID_INPUT

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"invalid job spec, {count} {noun}:"]
        lines += [f"  - {p.render()}" for p in problems]
        super().__init__("\n".join(lines))


class AwsError(SmtrainError):
    """AWS refused a call, or could not be reached."""

    exit_code = EXIT_AWS


class CredentialsError(AwsError):
    """No usable credentials or region; the message names the fix."""


class JobFailedError(SmtrainError):
    """The job ended without completing (Failed, Stopped, or timed out)."""

    exit_code = EXIT_JOB_FAILED


class CancelledError(SmtrainError):
    """The run was interrupted by SIGINT or SIGTERM."""

    exit_code = EXIT_CANCELLED
