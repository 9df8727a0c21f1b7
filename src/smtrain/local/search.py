"""Local search: a spec's ``tuning`` run as local trials, before paying for it.

Each trial is an ordinary local job (``run_local``) with the static
hyperparameters plus the sampler's pick, named ``<tuning job>-NNN`` and kept
under ``<local-root>/<tuning job>/``. At most max-parallel-jobs trials run at
once, and no more than the cores allow. The objective is each trial's final
value of the objective metric, so a wrong regex shows up here as trials
without an objective.
"""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from smtrain.cancel import CancelToken
from smtrain.events import RunListener
from smtrain.hyperparameters import render_hyperparameters
from smtrain.local.runner import run_local
from smtrain.local.sampling import Pick, Sampler, make_sampler
from smtrain.local.trial_listener import TrialListener
from smtrain.result import COMPLETED, FAILED, STOPPED, JobResult, StatusTransition
from smtrain.result import Trial as TrialRow
from smtrain.spec import JobSpec
from smtrain.tuning_names import tuning_job_name
from smtrain.tuning_results import count_text, rank, trial_text, with_leaderboard
from smtrain.tuning_spec import TuningSpec

# How often the search loop looks at the cancel token and the deadline.
_CHECK_SECONDS = 0.2


def run_local_search(
    spec: JobSpec, listener: RunListener, token: CancelToken
) -> JobResult:
    """Run the spec's tuning search here; the result carries the leaderboard."""
    assert spec.tuning is not None
    # First: a missing dependency (optuna) is refused before anything is said.
    sampler = make_sampler(spec.tuning)
    _warn_remote_only(spec.tuning, listener)
    name = tuning_job_name(spec)
    workers = parallel_trials(spec)
    listener.info(
        f"local {spec.tuning.strategy} search {name}: up to "
        f"{spec.tuning.max_jobs or 'all'} trials, {workers} at a time"
    )
    search = _Search(spec, name, listener, token)
    return search.run(sampler, workers)


def parallel_trials(spec: JobSpec) -> int:
    """max-parallel-jobs, cut to what this machine's cores can run at once."""
    assert spec.tuning is not None
    cores = os.cpu_count() or 1
    by_cores = max(1, cores // spec.instance_count)
    return max(1, min(spec.tuning.max_parallel_jobs, by_cores))


def _warn_remote_only(tuning: TuningSpec, listener: RunListener) -> None:
    if tuning.strategy == "Hyperband":
        listener.warning("Hyperband runs as Random search locally (no brackets)")
    if tuning.early_stopping:
        listener.warning("early-stopping applies on SageMaker only; trials run out")
    if tuning.warm_start:
        listener.warning("warm-start applies on SageMaker only; the search is fresh")


class _Search:
    def __init__(
        self, spec: JobSpec, name: str, listener: RunListener, token: CancelToken
    ) -> None:
        assert spec.tuning is not None
        self.spec, self.tuning, self.name = spec, spec.tuning, name
        self.listener, self.token = listener, token
        # Trials listen to this token: cancel, timeout or max-runtime stop them.
        self.trial_token = CancelToken()
        self.ended_by = "terminal"
        self.trials: list[TrialRow] = []
        self.results: dict[str, JobResult] = {}
        self.root = Path(spec.local_root) / name
        self.started = time.monotonic()

    def run(self, sampler: Sampler, workers: int) -> JobResult:
        self._status("InProgress")
        with ThreadPoolExecutor(workers, thread_name_prefix="smtrain-trial") as pool:
            try:
                self._run_trials(pool, sampler, workers)
            except BaseException:
                # A trial that could not start: stop the others instead of
                # waiting for them to finish.
                self.trial_token.cancel()
                raise
        return self._result()

    def _run_trials(
        self, pool: ThreadPoolExecutor, sampler: Sampler, workers: int
    ) -> None:
        running: dict[Future[JobResult], tuple[int, Pick]] = {}
        while True:
            self._check_limits()
            while len(running) < workers and not self.trial_token.cancelled:
                asked = sampler.ask()
                if asked is None:
                    break
                running[pool.submit(self._trial, *asked)] = asked
            if not running:
                return
            done, _ = wait(running, _CHECK_SECONDS, FIRST_COMPLETED)
            for future in done:
                number, pick = running.pop(future)
                self._record(sampler, number, pick, future.result())
                self.listener.info(f"trials: {self._counts(len(running))}")

    def _check_limits(self) -> None:
        if self.trial_token.cancelled:
            return
        if self.token.cancelled:
            self.ended_by = "cancel"
        elif self._past(self.spec.timeout):
            self.ended_by = "timeout"
        elif self._past(self.tuning.max_runtime):
            self.listener.info("the search reached tuning.max-runtime")
        else:
            return
        self.trial_token.cancel()

    def _past(self, seconds: int | None) -> bool:
        return seconds is not None and time.monotonic() - self.started >= seconds

    def _trial(self, number: int, pick: Pick) -> JobResult:
        trial_spec = self.spec.model_copy(
            update={
                "job_name": f"{self.name}-{number:03d}",
                "hyperparameters": {**self.spec.hyperparameters, **pick},
                "local_root": str(self.root),
                "tuning": None,
                "timeout": None,
            }
        )
        trial_listener = TrialListener(self.listener, number)
        return run_local(trial_spec, trial_listener, self.trial_token)

    def _record(
        self, sampler: Sampler, number: int, pick: Pick, result: JobResult
    ) -> None:
        value = result.metrics.get(self.tuning.objective.metric)
        objective = value if result.status == COMPLETED else None
        sampler.tell(number, objective)
        row = TrialRow(
            result.job_name, result.status, render_hyperparameters(pick), objective
        )
        self.trials.append(row)
        self.results[row.job_name] = result
        if result.status == FAILED:
            self.listener.warning(f"{row.job_name} failed: {result.failure_reason}")
        elif result.status == COMPLETED and value is None:
            self.listener.warning(
                f"{row.job_name} completed without {self.tuning.objective.metric}: "
                "check that metric's regex against the log"
            )
        best = rank(self.trials, self.tuning.objective.type)[0]
        if best is row and objective is not None:
            self.listener.info(f"best so far: {trial_text(row)}")

    def _counts(self, running: int) -> str:
        statuses = [t.status for t in self.trials]
        return count_text(
            {
                "Completed": statuses.count(COMPLETED),
                "InProgress": running,
                "NonRetryableError": statuses.count(FAILED),
                "Stopped": statuses.count(STOPPED),
            }
        )

    def _result(self) -> JobResult:
        board = rank(self.trials, self.tuning.objective.type)
        status = self._final_status(board)
        self._status(status)
        result = JobResult(
            self.name,
            status,
            local=True,
            instance_type=self.spec.instance_type,
            instance_count=self.spec.instance_count,
            ended_by=self.ended_by,
        )
        metric = self.tuning.objective.metric
        result = with_leaderboard(result, self.name, board, metric)
        if result.best_training_job_name:
            best = self.results[result.best_training_job_name]
            result.model_artifacts = best.model_artifacts
        elif status == FAILED:
            result.failure_reason = (
                f"no trial reported the objective metric {metric}; check its regex "
                "in metric-definitions against a trial's log"
            )
        self._write_leaderboard(board)
        return result

    def _final_status(self, board: list[TrialRow]) -> str:
        if self.ended_by != "terminal":
            return STOPPED
        return COMPLETED if board and board[0].objective is not None else FAILED

    def _status(self, status: str) -> None:
        now = datetime.now(timezone.utc)
        self.listener.status(StatusTransition(now, status, status))

    def _write_leaderboard(self, board: list[TrialRow]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        rows = [asdict(t) for t in board]
        (self.root / "leaderboard.json").write_text(json.dumps(rows, indent=2))
