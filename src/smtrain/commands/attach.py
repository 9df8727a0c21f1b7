"""``smtrain attach JOB``: follow a job started elsewhere, as ``run`` would."""

from __future__ import annotations

import argparse
from typing import Any

from smtrain.cancel import CancelToken, cancel_on_signals
from smtrain.commands._aws import add_job_arguments, connect
from smtrain.commands.terminal import TerminalListener
from smtrain.errors import SmtrainError
from smtrain.github.report import report_error, report_result
from smtrain.spec import parse_duration


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "attach", help="wait for a training job started elsewhere"
    )
    add_job_arguments(parser)
    parser.add_argument("--no-logs", action="store_true", help="do not stream logs")
    parser.add_argument(
        "--timeout", type=parse_duration, help="stop waiting after this long (90m, 2h)"
    )
    parser.add_argument(
        "--keep-running",
        action="store_true",
        help="leave the job running on timeout or cancel",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from smtrain.remote import FollowOptions, follow_job

    options = FollowOptions(
        stream_logs=not args.no_logs,
        timeout=args.timeout,
        stop_on_timeout=not args.keep_running,
        stop_on_cancel=not args.keep_running,
    )
    listener = TerminalListener()
    try:
        # Connecting inside the handlers' scope: a cancel that arrives meanwhile
        # still stops the job once it is being followed.
        with cancel_on_signals(CancelToken()) as token:
            clients = connect(args)
            listener.info(f"attached to training job {args.job}")
            result = follow_job(clients, args.job, options, listener, token)
    except SmtrainError as error:
        report_error(str(error))
        raise
    listener.result(result)
    report_result(result)
    return result.exit_code
