"""A ``JobResult`` from what DescribeTrainingJob says about a job."""

from __future__ import annotations

from typing import Any

from smtrain.result import JobResult


def result_from_description(
    description: dict[str, Any], *, region: str, ended_by: str = "terminal"
) -> JobResult:
    resources = description.get("ResourceConfig", {})
    metrics = {
        item["MetricName"]: float(item["Value"])
        for item in description.get("FinalMetricDataList", [])
    }
    return JobResult(
        job_name=description["TrainingJobName"],
        status=description.get("TrainingJobStatus", ""),
        job_arn=description.get("TrainingJobArn", ""),
        secondary_status=description.get("SecondaryStatus", ""),
        failure_reason=description.get("FailureReason", ""),
        model_artifacts=description.get("ModelArtifacts", {}).get(
            "S3ModelArtifacts", ""
        ),
        training_time_seconds=description.get("TrainingTimeInSeconds"),
        billable_time_seconds=description.get("BillableTimeInSeconds"),
        instance_type=resources.get("InstanceType", ""),
        instance_count=resources.get("InstanceCount", 1),
        use_spot=bool(description.get("EnableManagedSpotTraining")),
        region=region,
        metrics=metrics,
        ended_by=ended_by,
    )
