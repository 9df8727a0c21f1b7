"""``smtrain run FILE``: run a job on SageMaker, or on this machine with --local."""

from __future__ import annotations

import argparse
from typing import Any

from smtrain.cancel import (
    CANCELLED_BEFORE_SUBMIT,
    CancelToken,
    cancel_on_signals,
    interrupt_on_sigterm,
)
from smtrain.commands.options import add_spec_arguments
from smtrain.commands.terminal import TerminalListener
from smtrain.dispatch import run_job
from smtrain.errors import CancelledError, SmtrainError
from smtrain.github.report import report_error, report_result
from smtrain.loader import load_spec
from smtrain.result import JobResult


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("run", help="run a training job")
    add_spec_arguments(parser)
    parser.add_argument(
        "--local", action="store_true", help="run on this machine (same as local: true)"
    )
    parser.add_argument(
        "--no-wait", action="store_true", help="submit and return (same as wait: false)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        result = _run(args)
    except KeyboardInterrupt:
        # A signal while the spec was read, before any job could exist.
        report_error(CANCELLED_BEFORE_SUBMIT)
        raise CancelledError(CANCELLED_BEFORE_SUBMIT) from None
    except SmtrainError as error:
        report_error(str(error))
        raise
    report_result(result)
    return result.exit_code


def _run(args: argparse.Namespace) -> JobResult:
    overrides = list(args.overrides)
    if args.local:
        overrides.append("local=true")
    if args.no_wait:
        overrides.append("wait=false")
    with interrupt_on_sigterm():
        spec = load_spec(args.file, overrides=overrides)
    listener = TerminalListener()
    with cancel_on_signals(CancelToken()) as token:
        result = run_job(spec, listener, token)
    listener.result(result)
    return result
