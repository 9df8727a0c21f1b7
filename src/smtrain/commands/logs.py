"""``smtrain logs JOB [--follow]``: print a job's logs, or follow them to its end."""

from __future__ import annotations

import argparse
from typing import Any

from smtrain.cancel import CancelToken, cancel_on_signals
from smtrain.commands._aws import add_job_arguments, connect
from smtrain.commands.terminal import TerminalListener
from smtrain.errors import EXIT_OK


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("logs", help="print a training job's logs")
    add_job_arguments(parser)
    parser.add_argument(
        "--follow", action="store_true", help="keep printing until the job ends"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from smtrain.logs import LogTailer
    from smtrain.remote import FollowOptions, follow_job

    clients = connect(args)
    listener = TerminalListener()
    if args.follow:
        # Interrupting a log reader must never stop the job it reads.
        options = FollowOptions(stream_logs=True, stop_on_cancel=False)
        with cancel_on_signals(CancelToken()) as token:
            result = follow_job(clients, args.job, options, listener, token)
        return result.exit_code
    tailer = LogTailer(clients.logs, args.job, listener)
    while tailer.poll() or tailer.behind:
        pass
    return EXIT_OK
