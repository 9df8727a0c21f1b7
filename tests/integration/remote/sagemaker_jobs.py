"""The SageMaker double's job records, and how DescribeTrainingJob shows them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


class DoubleError(Exception):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.status = code, status


@dataclass
class JobPlan:
    """How a job behaves: its outcome, and what each instance logs."""

    outcome: str = "Completed"
    failure_reason: str = "AlgorithmError: see the job's logs"
    lines_per_host: int = 5
    # Hosts that log a different number of lines (e.g. quiet workers).
    lines_by_host: dict[int, int] = field(default_factory=dict)
    # Seconds of the double's clock a host's stream starts after Training does.
    late_hosts: dict[int, float] = field(default_factory=dict)
    closing_lines: list[str] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=lambda: {"train:loss": 0.25})
    # A job that never leaves Training until stopped (for timeout and cancel).
    endless: bool = False

    def lines_for(self, host: int) -> int:
        return self.lines_by_host.get(host, self.lines_per_host)


@dataclass
class Job:
    request: dict[str, Any]
    plan: JobPlan
    created: float
    arn: str
    transitions: list[dict[str, Any]] = field(default_factory=list)
    stop_requested: float | None = None
    written: dict[int, int] = field(default_factory=dict)
    streams: dict[int, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return self.transitions[-1]["Status"] if self.transitions else "Starting"


def describe(job: Job) -> dict[str, Any]:
    status = job.status
    primary = {
        "Stopping": "Stopping",
        "Stopped": "Stopped",
        "Completed": "Completed",
        "Failed": "Failed",
    }.get(status, "InProgress")
    request = job.request
    answer: dict[str, Any] = {
        "TrainingJobName": request["TrainingJobName"],
        "TrainingJobArn": job.arn,
        "TrainingJobStatus": primary,
        "SecondaryStatus": status,
        "SecondaryStatusTransitions": [dict(t) for t in job.transitions],
        "AlgorithmSpecification": request["AlgorithmSpecification"],
        "RoleArn": request["RoleArn"],
        "ResourceConfig": request["ResourceConfig"],
        "StoppingCondition": request["StoppingCondition"],
        "OutputDataConfig": request["OutputDataConfig"],
        "HyperParameters": request.get("HyperParameters", {}),
        "EnableManagedSpotTraining": request.get("EnableManagedSpotTraining", False),
        "CreationTime": job.transitions[0]["StartTime"],
        "LastModifiedTime": job.transitions[-1]["StartTime"],
    }
    if primary == "Failed":
        answer["FailureReason"] = job.plan.failure_reason
    if primary in ("Completed", "Stopped"):
        output = request["OutputDataConfig"]["S3OutputPath"].rstrip("/")
        name = request["TrainingJobName"]
        answer["ModelArtifacts"] = {
            "S3ModelArtifacts": f"{output}/{name}/output/model.tar.gz"
        }
    if primary in ("Completed", "Failed", "Stopped"):
        answer["TrainingTimeInSeconds"] = 120
        answer["BillableTimeInSeconds"] = (
            48 if answer["EnableManagedSpotTraining"] else 120
        )
        answer["FinalMetricDataList"] = [
            {"MetricName": k, "Value": v, "Timestamp": time.time()}
            for k, v in job.plan.metrics.items()
        ]
    return answer
