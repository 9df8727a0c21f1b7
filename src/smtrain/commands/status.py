"""``smtrain status JOB``: one look at a training job."""

from __future__ import annotations

import argparse
from typing import Any

from smtrain.commands._aws import add_job_arguments, connect
from smtrain.commands.terminal import TerminalListener
from smtrain.errors import EXIT_OK


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("status", help="show a training job's status")
    add_job_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from smtrain.jobresult import result_from_description
    from smtrain.monitor import describe_job
    from smtrain.transitions import TransitionReporter

    clients = connect(args)
    description = describe_job(clients.sagemaker, args.job)
    listener = TerminalListener()
    TransitionReporter(listener).update(description)
    listener.result(result_from_description(description, region=clients.region))
    return EXIT_OK
