"""What the job commands (status, logs, stop, attach) share: clients and flags.

boto3 is imported only when a command runs, so ``smtrain validate`` stays fast.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smtrain.aws.clients import RemoteClients


def add_job_arguments(parser: Any) -> None:
    parser.add_argument("job", type=job_name, help="training job name")
    parser.add_argument("--region", help="AWS region (default: the environment's)")


def job_name(text: str) -> str:
    """``text`` if SageMaker could have a job of that name; checked before any call."""
    from smtrain.rules import job_name_problem

    problem = job_name_problem(text, key="JOB")
    if problem is None:
        return text
    raise argparse.ArgumentTypeError(f"{problem.message}; {problem.hint}")


def connect(args: argparse.Namespace) -> RemoteClients:
    from smtrain.aws.auth import AuthInputs, open_session
    from smtrain.aws.clients import RemoteClients

    return RemoteClients.from_session(open_session(AuthInputs(), args.region))
