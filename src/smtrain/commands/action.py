"""``smtrain action``: the GitHub Action's entry point (see docs/action.md).

Reads the ``INPUT_*`` variables, runs the job as ``smtrain run`` would and
reports it the runner's way: masked secrets, folded log groups, annotations,
step outputs and a job summary on every path, success or not.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from smtrain.aws.auth import AuthInputs
from smtrain.cancel import (
    CANCELLED_BEFORE_SUBMIT,
    CancelToken,
    cancel_on_signals,
    interrupt_on_sigterm,
)
from smtrain.dispatch import check_request, run_job
from smtrain.errors import (
    EXIT_CANCELLED,
    EXIT_INVALID_INPUT,
    SmtrainError,
    SpecError,
)
from smtrain.github.annotations import annotate_problems, annotate_result
from smtrain.github.inputs import ActionInputs, read_inputs, secret_values
from smtrain.github.listener import ActionListener, MetricSeries
from smtrain.github.outputs import empty_outputs, result_outputs, write_outputs
from smtrain.github.report import ERROR_STATUS
from smtrain.github.summary import (
    append_summary,
    render_error_summary,
    render_problems_summary,
    render_summary,
)
from smtrain.github.workflow import WorkflowCommands
from smtrain.loader import load_spec
from smtrain.result import JobResult
from smtrain.spec import JobSpec

if TYPE_CHECKING:
    import boto3


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "action", help="run as the GitHub Action (reads INPUT_* variables)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    commands = WorkflowCommands()
    # Before anything else reaches the log, so no later line can show them.
    for secret in secret_values():
        commands.mask(secret)
    try:
        return _run_action(commands)
    except SpecError as error:
        commands.end_group()
        annotate_problems(commands, error.problems)
        _report_failure(render_problems_summary(error.problems), str(error))
        return EXIT_INVALID_INPUT
    except SmtrainError as error:
        commands.end_group()
        commands.error(str(error), title="smtrain")
        _report_failure(render_error_summary(str(error)), str(error))
        return error.exit_code
    except KeyboardInterrupt:
        # Before the signal handlers are in place: nothing was submitted yet.
        commands.end_group()
        message = CANCELLED_BEFORE_SUBMIT
        commands.error(message, title="smtrain")
        _report_failure(render_error_summary(message), message)
        return EXIT_CANCELLED
    except Exception as error:
        # A bug of ours: still leave a summary, then let the CLI report it.
        commands.end_group()
        message = f"internal error: {error!r}"
        _report_failure(render_error_summary(message), message)
        raise


def _run_action(commands: WorkflowCommands) -> int:
    commands.group("Validate the job spec")
    inputs = read_inputs()
    given = ", ".join(sorted(inputs.spec_inputs)) or "none"
    commands.debug(f"config {inputs.config or '(none)'}; spec inputs set: {given}")
    with interrupt_on_sigterm():
        spec = load_spec(inputs.config, action_inputs=inputs.spec_inputs)
        if not spec.local:
            check_request(spec)
    source = f" from {inputs.config}" if inputs.config else " from the inputs"
    commands.line(f"job spec is valid{source}")
    listener = ActionListener(commands, MetricSeries(spec.metric_definitions))
    with cancel_on_signals(CancelToken()) as token:
        result = _run_job(spec, inputs, listener, token)
    listener.end_logs()
    if not result.metric_series:
        result.metric_series = listener.metrics.series
    commands.group("Report")
    write_outputs(result_outputs(result))
    append_summary(render_summary(result))
    commands.line(f"{result.job_name}: {result.status}")
    commands.end_group()
    annotate_result(commands, result)
    return result.exit_code


def _run_job(
    spec: JobSpec, inputs: ActionInputs, listener: ActionListener, token: CancelToken
) -> JobResult:
    commands = listener.commands
    if spec.local:
        commands.group("Run locally")
        return run_job(spec, listener, token)
    commands.group("Authenticate with AWS")
    session = _masked_session(commands, inputs.auth, spec.aws_region)
    commands.group("Run on SageMaker")
    return run_job(spec, listener, token, session=session)


def _masked_session(
    commands: WorkflowCommands, auth: AuthInputs, region: str | None
) -> boto3.Session:
    """The run's session, its credentials masked before anything can print them."""
    from smtrain.aws.auth import open_session

    # Role credentials are masked as they arrive, the refreshed ones of a long
    # job included; any others (keys, boto3's chain) are masked just below.
    session = open_session(auth, region, on_new_credentials=_mask_all(commands))
    credentials = session.get_credentials()
    frozen = credentials.get_frozen_credentials()
    for value in (frozen.access_key, frozen.secret_key, frozen.token):
        commands.mask(value)
    commands.line(f"credentials from {credentials.method}")
    return session


def _mask_all(commands: WorkflowCommands) -> Callable[[list[str]], None]:
    def mask(secrets: list[str]) -> None:
        for secret in secrets:
            commands.mask(secret)

    return mask


def _report_failure(summary: str, reason: str) -> None:
    values = empty_outputs() | {"status": ERROR_STATUS, "failure-reason": reason}
    write_outputs(values)
    append_summary(summary)
