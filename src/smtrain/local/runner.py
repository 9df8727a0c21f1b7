"""``run_local``: one training job on this machine, from job root to JobResult."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smtrain import contract
from smtrain.cancel import CancelToken
from smtrain.events import RunListener
from smtrain.local import artifacts, s3
from smtrain.local.channels import (
    check_channels,
    list_s3_channels,
    pipe_channels,
    stage_channels,
)
from smtrain.local.config import job_region, write_config_files
from smtrain.local.environment import toolkit_variables, training_environment
from smtrain.local.failure import FailureReport, failure_report
from smtrain.local.hosts import free_local_port, torchrun_variables, write_host_shim
from smtrain.local.hyperparameters import masked_arguments, to_command_arguments
from smtrain.local.launch import Deadline, HostCommand, Outcome, run_hosts
from smtrain.local.layout import HostTree, JobLayout, create_layout
from smtrain.local.logs import LogTail, MetricExtractor
from smtrain.local.pipes import PipeFeeder, channel_files
from smtrain.local.program import Program, resolve_program
from smtrain.local.requirements import (
    pip_install_command,
    requirements_path,
    unmet_requirements,
)
from smtrain.local.status import (
    DOWNLOADING,
    MAX_RUNTIME_EXCEEDED,
    STARTING,
    TRAINING,
    UPLOADING,
    StatusLog,
)
from smtrain.result import COMPLETED, FAILED, STOPPED, JobResult
from smtrain.spec import JobSpec


def run_local(spec: JobSpec, listener: RunListener, token: CancelToken) -> JobResult:
    """Run the job's entry point here, under the SageMaker training contract.

    Raises ``SpecError`` before anything is created when the job cannot run
    locally (an input channel with no data included), and ``AwsError`` when an
    S3 channel, output or checkpoint fails.
    """
    cwd = Path.cwd()
    program = resolve_program(spec, cwd)
    check_channels(spec)
    client = s3.lazy_client(job_region(spec))
    listings = list_s3_channels(spec, client)
    layout = create_layout(spec, cwd)
    return _LocalRun(spec, listener, token, program, layout, client, listings).execute()


class _PreparationFailed(Exception):
    """The job failed before its script could start (requirements)."""

    def __init__(self, report: FailureReport) -> None:
        super().__init__(report.reason)
        self.report = report


class _LocalRun:
    def __init__(
        self,
        spec: JobSpec,
        listener: RunListener,
        token: CancelToken,
        program: Program,
        layout: JobLayout,
        s3_client: Callable[[], Any],
        listings: dict[str, list[str]],
    ) -> None:
        self.spec, self.listener, self.token = spec, listener, token
        self.program, self.layout = program, layout
        # The S3 client is made on first use; S3 channels are already listed.
        self.s3, self.listings = s3_client, listings
        self.status = StatusLog(listener)
        self.metrics = MetricExtractor(spec.metric_definitions)
        self.tails = {host: LogTail() for host in layout.host_names}
        self.started = time.monotonic()
        # Each host's command with hyperparameter values masked, for messages.
        self.shown_commands: dict[str, str] = {}

    def execute(self) -> JobResult:
        self.status.enter(STARTING)
        self.listener.info(f"local job {self.layout.job_name} in {self.layout.job_dir}")
        self._note_new_name()
        try:
            self._prepare()
        except _PreparationFailed as failed:
            return self._finish(None, failed.report, 0)
        outcome, seconds = self._train()
        if outcome and outcome.stopped_by == "timeout":
            # As a remote run says when it stops a job at the timeout.
            self.listener.info(
                f"stopped local job {self.layout.job_name} ({self._timeout_text})"
            )
        report = self._failure(outcome) if outcome else None
        return self._finish(outcome, report, seconds)

    def _note_new_name(self) -> None:
        requested, policy = self.layout.requested_name, self.spec.on_existing_job
        if requested == self.layout.job_name:
            return
        note = f"local job {requested} already exists; this run is a new job"
        if policy == "attach":
            # A finished local run has no process left to follow.
            note += " (on-existing-job: attach acts as new-name in local mode)"
        self.listener.info(note)

    def _prepare(self) -> None:
        self._check_requirements()
        for tree in self.layout.hosts:
            self.program.stage(tree, self.layout.jobs_root)
        self.status.enter(DOWNLOADING)
        files = stage_channels(
            self.spec, self.layout, self.s3, self.listings, self._should_stop
        )
        files += artifacts.restore_checkpoints(self.spec, self.layout, self.s3)
        self.listener.info(
            f"{files} input files in place for {len(self.layout.hosts)} host(s)"
        )
        write_config_files(self.spec, self.layout)

    def _check_requirements(self) -> None:
        path = requirements_path(self.program.source_dir)
        if path is None:
            return
        unmet = unmet_requirements(path)
        if not unmet:
            return
        listing = "; ".join(unmet)
        if not self.spec.install_requirements:
            self.listener.warning(
                f"requirements.txt is not satisfied here: {listing}. "
                "Set install-requirements: true to pip install it before the run."
            )
            return
        self.listener.info(f"installing requirements.txt: {listing}")
        self._install_requirements(path)

    def _install_requirements(self, path: Path) -> None:
        """pip runs like a script: its log on algo-1, stopped by cancel or limits."""
        host = self.layout.hosts[0].host
        tail = LogTail()

        def on_line(source: str, line: str) -> None:
            self.listener.log(source, line)
            tail.observe(line)

        argv = pip_install_command(path)
        pip = HostCommand(host, argv, path.parent, dict(os.environ))
        outcome = run_hosts([pip], on_line, self.token, self._deadline())
        code = outcome.exit_codes[host]
        if code != 0 and not outcome.stopped_by:
            tree, command = self.layout.hosts[0], " ".join(argv)
            kind = "InstallRequirementsError"
            raise _PreparationFailed(failure_report(tree, code, tail, command, kind))

    def _train(self) -> tuple[Outcome | None, int]:
        if self.token.cancelled:
            return None, 0
        deadline = self._deadline()
        if time.monotonic() >= deadline.at:
            # The limit passed while preparing: the script never starts.
            return Outcome({}, [], deadline.reason), 0
        commands = self._commands()
        feeders = self._start_pipes()
        self.status.enter(TRAINING)
        begun = time.monotonic()
        try:
            outcome = run_hosts(commands, self._on_line, self.token, deadline)
        finally:
            for feeder in feeders:
                feeder.stop()
        return outcome, int(time.monotonic() - begun)

    def _start_pipes(self) -> list[PipeFeeder]:
        feeders = []
        for name in pipe_channels(self.spec):
            self.listener.info(f"channel {name} streams through {name}_0, {name}_1...")
            for tree in self.layout.hosts:
                channel_dir = tree.channel_dir(name)
                feeders.append(PipeFeeder(channel_dir, channel_files(channel_dir)))
        for feeder in feeders:
            feeder.start()
        return feeders

    def _should_stop(self) -> bool:
        """True once cancelled or past a limit; checked between preparation steps."""
        return self.token.cancelled or time.monotonic() >= self._deadline().at

    def _commands(self) -> list[HostCommand]:
        shim = write_host_shim(self.layout.job_dir)
        port = free_local_port() if self.spec.distribution == "torchrun" else 0
        count = len(self.layout.hosts)
        return [
            self._command(tree, index, count, shim, port)
            for index, tree in enumerate(self.layout.hosts)
        ]

    def _command(
        self, tree: HostTree, index: int, count: int, shim: Path, port: int
    ) -> HostCommand:
        env = training_environment(tree, self.layout.job_name)
        variables = toolkit_variables(env, job_region(self.spec))
        # A variable left from another job must not pass for this job's contract.
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("SM_")}
        process_env = {**inherited, **self.spec.environment, **variables}
        if port:
            process_env.update(torchrun_variables(index, count, port))
        path = [str(shim), os.environ.get("PYTHONPATH", "")]
        process_env["PYTHONPATH"] = os.pathsep.join(p for p in path if p)
        process_env["PYTHONUNBUFFERED"] = "1"
        arguments = to_command_arguments(env["hyperparameters"])
        argv = self.program.argv(tree, arguments)
        shown = " ".join(self.program.argv(tree, masked_arguments(arguments)))
        self.shown_commands[tree.host] = shown
        self.listener.debug(f"{tree.host}: {shown}")
        return HostCommand(tree.host, argv, tree.path(contract.CODE_DIR), process_env)

    def _deadline(self) -> Deadline:
        limits = [Deadline(self.started + self.spec.max_runtime, MAX_RUNTIME_EXCEEDED)]
        if self.spec.timeout is not None:
            limits.append(Deadline(self.started + self.spec.timeout, "timeout"))
        return min(limits, key=lambda limit: limit.at)

    @property
    def _timeout_text(self) -> str:
        return f"timeout of {self.spec.timeout}s"

    def _on_line(self, host: str, line: str) -> None:
        self.listener.log(host, line)
        self.metrics.observe(line)
        self.tails[host].observe(line)

    def _failure(self, outcome: Outcome) -> FailureReport | None:
        host = outcome.first_failure()
        if outcome.stopped_by not in ("", "host-failure") or not host:
            return None
        tree = next(t for t in self.layout.hosts if t.host == host)
        command = self.shown_commands[host]
        return failure_report(tree, outcome.exit_codes[host], self.tails[host], command)

    def _finish(
        self, outcome: Outcome | None, report: FailureReport | None, seconds: int
    ) -> JobResult:
        self.status.enter(UPLOADING)
        model = artifacts.deliver_outputs(self.spec, self.layout, self.s3)
        artifacts.save_checkpoints(self.spec, self.layout, self.s3)
        status, secondary, ended_by = _ending(outcome, report, self.token)
        why = (
            f"Training job stopped at the {self._timeout_text}"
            if ended_by == "timeout"
            else ""
        )
        self.status.enter(secondary, status, why)
        return JobResult(
            job_name=self.layout.job_name,
            status=status,
            local=True,
            secondary_status=secondary,
            failure_reason=report.reason if report else "",
            traceback_tail=report.traceback if report else "",
            model_artifacts=model,
            training_time_seconds=seconds,
            instance_type=self.spec.instance_type,
            instance_count=self.spec.instance_count,
            region=job_region(self.spec),
            metrics=self.metrics.final,
            metric_series=self.metrics.series,
            transitions=self.status.transitions,
            ended_by=ended_by,
        )


def _ending(
    outcome: Outcome | None, report: FailureReport | None, token: CancelToken
) -> tuple[str, str, str]:
    """(status, secondary status, ended_by) of the finished run."""
    stopped_by = (
        outcome.stopped_by if outcome else ("cancel" if token.cancelled else "")
    )
    if stopped_by == "cancel":
        return STOPPED, STOPPED, "cancel"
    if stopped_by == "timeout":
        return STOPPED, STOPPED, "timeout"
    if stopped_by == MAX_RUNTIME_EXCEEDED:
        return STOPPED, MAX_RUNTIME_EXCEEDED, "terminal"
    if report is not None:
        return FAILED, FAILED, "terminal"
    return COMPLETED, COMPLETED, "terminal"
