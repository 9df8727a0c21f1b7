"""The Markdown job summary appended to ``GITHUB_STEP_SUMMARY``."""

from __future__ import annotations

import os
from pathlib import Path

from smtrain.github.leaderboard import render_leaderboard
from smtrain.result import COMPLETED, JobResult

SUMMARY_FILE_VAR = "GITHUB_STEP_SUMMARY"
_ICONS = {COMPLETED: "✅", "Failed": "❌", "Stopped": "⏹️"}
_ENDED_BY = {
    "timeout": "smtrain stopped waiting at the timeout",
    "cancel": "the run was cancelled",
    "no-wait": "submitted without waiting (wait: false)",
}


def render_summary(result: JobResult) -> str:
    icon = _ICONS.get(result.status, "⏳")
    kind = "tuning job" if result.tuning_job_name else "training job"
    lines = [
        f"### {icon} SageMaker {kind} `{result.job_name}`: {result.status}",
        "",
    ]
    if result.ended_by in _ENDED_BY:
        lines += [f"_{_ENDED_BY[result.ended_by]}._", ""]
    lines += ["| | |", "| --- | --- |"]
    lines += [f"| {name} | {_cell(value)} |" for name, value in _rows(result) if value]
    if result.metrics:
        lines += ["", "| metric | final value |", "| --- | --- |"]
        lines += [f"| {_cell(k)} | {v:g} |" for k, v in sorted(result.metrics.items())]
    if result.tuning_job_name:
        lines += render_leaderboard(result)
    if result.traceback_tail:
        lines += [
            "",
            "<details><summary>Traceback</summary>",
            "",
            "```text",
            result.traceback_tail,
            "```",
            "",
            "</details>",
        ]
    return "\n".join(lines) + "\n"


def _rows(result: JobResult) -> list[tuple[str, str]]:
    savings = result.spot_savings_percent
    return [
        ("ARN", f"`{result.job_arn}`" if result.job_arn else ""),
        ("Region", result.region),
        (
            "Instances",
            f"{result.instance_count} x {result.instance_type}"
            if result.instance_type
            else "",
        ),
        ("Failure reason", result.failure_reason),
        (
            "Model artifacts",
            f"`{result.model_artifacts}`" if result.model_artifacts else "",
        ),
        ("Training time", _seconds(result.training_time_seconds)),
        ("Billable time", _seconds(result.billable_time_seconds)),
        ("Spot savings", f"{savings:g} %" if savings is not None else ""),
    ]


def render_error_summary(message: str) -> str:
    """The summary of a run that ended before there was a job to report."""
    return f"### ❌ smtrain run failed\n\n```text\n{message}\n```\n"


def append_summary(markdown: str, path: Path | None = None) -> bool:
    """Append to the step summary; False when there is none."""
    value = os.environ.get(SUMMARY_FILE_VAR, "")
    target = path or (Path(value) if value else None)
    if target is None:
        return False
    with target.open("a", encoding="utf-8") as stream:
        stream.write(markdown)
    return True


def _seconds(value: int | None) -> str:
    return "" if value is None else f"{value} s"


def _cell(text: str) -> str:
    # A pipe or newline would break the table row.
    return text.replace("|", "\\|").replace("\n", " ")
