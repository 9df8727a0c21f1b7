"""The SageMaker double's tuning jobs (moto answers 500 to listing and stopping).

A tuning job launches its trials as ordinary double training jobs (so they log,
finish and describe like any other), at most MaxParallelTrainingJobs at a time,
until MaxNumberOfTrainingJobs have run. Each trial reports the objective metric
its ``TuningPlan`` computes from the trial's hyperparameters.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sagemaker_jobs import DoubleError, Job, JobPlan

Objective = Callable[[dict[str, str]], float]
_ARN_PREFIX = "arn:aws:sagemaker:us-east-1:123456789012:"


def _default_objective(values: dict[str, str]) -> float:
    """A smooth score of the numeric values, so trials differ."""
    numbers = []
    for text in values.values():
        try:
            numbers.append(float(text))
        except ValueError:
            numbers.append(float(len(text)))
    return round(1 / (1 + sum(abs(n - 3) for n in numbers)), 6)


@dataclass
class TuningPlan:
    objective: Objective = _default_objective
    # Trials (1-based launch order) that fail instead of completing.
    failing: set[int] = field(default_factory=set)
    # Trials never finish until the tuning job is stopped.
    endless: bool = False


@dataclass
class TuningJob:
    request: dict[str, Any]
    plan: TuningPlan
    arn: str
    created: float
    trials: list[str] = field(default_factory=list)
    picks: list[dict[str, str]] = field(default_factory=list)
    status: str = "InProgress"
    tags: dict[str, str] = field(default_factory=dict)


def hyperparameter_picks(config: dict[str, Any], count: int) -> list[dict[str, str]]:
    """The values each trial gets: a grid in order, or seeded random picks."""
    ranges = config["ParameterRanges"]
    categorical = ranges.get("CategoricalParameterRanges", [])
    if config["Strategy"] == "Grid":
        names = [r["Name"] for r in categorical]
        product = itertools.product(*(r["Values"] for r in categorical))
        return [dict(zip(names, combo, strict=True)) for combo in product][:count]
    rng = random.Random(config.get("RandomSeed", 0))
    picks = []
    for _ in range(count):
        pick = {r["Name"]: rng.choice(r["Values"]) for r in categorical}
        for r in ranges.get("IntegerParameterRanges", []):
            pick[r["Name"]] = str(rng.randint(int(r["MinValue"]), int(r["MaxValue"])))
        for r in ranges.get("ContinuousParameterRanges", []):
            low, high = float(r["MinValue"]), float(r["MaxValue"])
            pick[r["Name"]] = f"{rng.uniform(low, high):.6g}"
        picks.append(pick)
    return picks


class TuningOperations:
    """Mixed into SageMakerDouble: the tuning operations and their clock.

    It uses the double's ``_push`` and ``_advance`` to run trials as jobs.
    """

    jobs: dict[str, Job]
    plans: dict[str, JobPlan]
    tuning_jobs: dict[str, TuningJob]
    tuning_plans: dict[str, TuningPlan]

    def _op_CreateHyperParameterTuningJob(self, body: dict[str, Any]) -> dict[str, Any]:
        name = body["HyperParameterTuningJobName"]
        if len(name) > 32:
            raise DoubleError("ValidationException", f"name {name} is too long")
        if name in self.tuning_jobs:
            raise DoubleError("ResourceInUse", f"tuning job {name} already exists")
        arn = f"{_ARN_PREFIX}hyper-parameter-tuning-job/{name}"
        job = TuningJob(
            body, self.tuning_plans.get(name, TuningPlan()), arn, time.time()
        )
        job.tags = {t["Key"]: t["Value"] for t in body.get("Tags", [])}
        config = body["HyperParameterTuningJobConfig"]
        job.picks = hyperparameter_picks(config, _max_jobs(config))
        self.tuning_jobs[name] = job
        return {"HyperParameterTuningJobArn": arn}

    def _op_DescribeHyperParameterTuningJob(
        self, body: dict[str, Any]
    ) -> dict[str, Any]:
        job = self._tuning_job(body["HyperParameterTuningJobName"])
        answer: dict[str, Any] = {
            "HyperParameterTuningJobName": body["HyperParameterTuningJobName"],
            "HyperParameterTuningJobArn": job.arn,
            "HyperParameterTuningJobConfig": job.request[
                "HyperParameterTuningJobConfig"
            ],
            "TrainingJobDefinition": job.request["TrainingJobDefinition"],
            "HyperParameterTuningJobStatus": job.status,
            "CreationTime": job.created,
            "TrainingJobStatusCounters": self._counters(job),
            "ObjectiveStatusCounters": {"Succeeded": 0, "Pending": 0, "Failed": 0},
        }
        best = self._best(job)
        if best is not None:
            answer["BestTrainingJob"] = best
        return answer

    def _op_ListTrainingJobsForHyperParameterTuningJob(
        self, body: dict[str, Any]
    ) -> dict[str, Any]:
        job = self._tuning_job(body["HyperParameterTuningJobName"])
        return {"TrainingJobSummaries": [self._summary(job, n) for n in job.trials]}

    def _op_StopHyperParameterTuningJob(self, body: dict[str, Any]) -> dict[str, Any]:
        job = self._tuning_job(body["HyperParameterTuningJobName"])
        if job.status != "InProgress":
            raise DoubleError("ValidationException", f"tuning job is {job.status}")
        job.status = "Stopping"
        for name in job.trials:
            trial = self.jobs[name]
            if trial.status not in ("Completed", "Failed", "Stopped", "Stopping"):
                trial.stop_requested = time.monotonic()
                self._push(trial, "Stopping")
        return {}

    def _tuning_job(self, name: str) -> TuningJob:
        if name not in self.tuning_jobs:
            raise DoubleError("ResourceNotFound", f"Amazon SageMaker can't find {name}")
        return self.tuning_jobs[name]

    # -- the clock -------------------------------------------------------------

    def _advance_tuning(self, name: str, job: TuningJob, now: float) -> None:
        statuses = [self.jobs[t].status for t in job.trials]
        running = sum(s not in ("Completed", "Failed", "Stopped") for s in statuses)
        if job.status == "Stopping":
            if not running:
                job.status = "Stopped"
            return
        if job.status != "InProgress":
            return
        parallel = job.request["HyperParameterTuningJobConfig"]["ResourceLimits"][
            "MaxParallelTrainingJobs"
        ]
        while running < parallel and len(job.trials) < len(job.picks):
            self._launch_trial(name, job, now)
            running += 1
        if not running and len(job.trials) == len(job.picks):
            job.status = "Completed"

    def _launch_trial(self, name: str, job: TuningJob, now: float) -> None:
        number = len(job.trials) + 1
        trial_name = f"{name}-{number:03d}-{random.getrandbits(32):08x}"
        pick = job.picks[number - 1]
        definition = job.request["TrainingJobDefinition"]
        request = {
            "TrainingJobName": trial_name,
            "AlgorithmSpecification": definition["AlgorithmSpecification"],
            "RoleArn": definition["RoleArn"],
            "ResourceConfig": definition["ResourceConfig"],
            "StoppingCondition": definition["StoppingCondition"],
            "OutputDataConfig": definition["OutputDataConfig"],
            "HyperParameters": {**definition.get("StaticHyperParameters", {}), **pick},
        }
        metric = job.request["HyperParameterTuningJobConfig"][
            "HyperParameterTuningJobObjective"
        ]["MetricName"]
        plan = JobPlan(
            outcome="Failed" if number in job.plan.failing else "Completed",
            lines_per_host=2,
            metrics={metric: job.plan.objective(pick)},
            endless=job.plan.endless,
        )
        arn = f"{_ARN_PREFIX}training-job/{trial_name}"
        trial = Job(request, plan, now, arn)
        self._advance(trial, now)
        self.jobs[trial_name] = trial
        job.trials.append(trial_name)

    # -- answers ---------------------------------------------------------------

    def _counters(self, job: TuningJob) -> dict[str, int]:
        statuses = [self.jobs[t].status for t in job.trials]
        return {
            "Completed": statuses.count("Completed"),
            "InProgress": sum(
                s not in ("Completed", "Failed", "Stopped") for s in statuses
            ),
            "RetryableError": 0,
            "NonRetryableError": statuses.count("Failed"),
            "Stopped": statuses.count("Stopped"),
        }

    def _summary(self, job: TuningJob, trial_name: str) -> dict[str, Any]:
        trial = self.jobs[trial_name]
        number = job.trials.index(trial_name)
        status = trial.status if trial.status in ("Completed", "Failed") else None
        summary: dict[str, Any] = {
            "TrainingJobName": trial_name,
            "TrainingJobArn": trial.arn,
            "CreationTime": job.created,
            "TrainingJobStatus": status or _primary(trial.status),
            "TunedHyperParameters": job.picks[number],
        }
        if trial.status == "Completed":
            metric, value = next(iter(trial.plan.metrics.items()))
            summary["FinalHyperParameterTuningJobObjectiveMetric"] = {
                "MetricName": metric,
                "Value": value,
            }
            summary["ObjectiveStatus"] = "Succeeded"
        return summary

    def _best(self, job: TuningJob) -> dict[str, Any] | None:
        done = [
            self._summary(job, t)
            for t in job.trials
            if self.jobs[t].status == "Completed"
        ]
        if not done:
            return None
        objective = job.request["HyperParameterTuningJobConfig"][
            "HyperParameterTuningJobObjective"
        ]
        sign = 1 if objective["Type"] == "Maximize" else -1

        def score(summary: dict[str, Any]) -> float:
            value = summary["FinalHyperParameterTuningJobObjectiveMetric"]["Value"]
            return float(sign * value)

        return max(done, key=score)


def _primary(status: str) -> str:
    return {"Stopping": "Stopping", "Stopped": "Stopped"}.get(status, "InProgress")


def _max_jobs(config: dict[str, Any]) -> int:
    limits = config["ResourceLimits"]
    if "MaxNumberOfTrainingJobs" in limits:
        return int(limits["MaxNumberOfTrainingJobs"])
    categorical = config["ParameterRanges"].get("CategoricalParameterRanges", [])
    count = 1
    for value_range in categorical:
        count *= len(value_range["Values"])
    return count
