"""``smtrain stop JOB``: ask SageMaker to stop a training job."""

from __future__ import annotations

import argparse
from typing import Any

from smtrain.commands._aws import add_job_arguments, connect
from smtrain.commands.terminal import TerminalListener
from smtrain.errors import EXIT_OK


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("stop", help="stop a training job")
    add_job_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from smtrain.remote import stop_job

    clients = connect(args)
    stop_job(clients.sagemaker, args.job, TerminalListener(), "asked by smtrain stop")
    return EXIT_OK
