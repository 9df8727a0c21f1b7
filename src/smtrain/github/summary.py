"""The Markdown job summary appended to ``GITHUB_STEP_SUMMARY``.

Written on every path: a finished, failed, timed-out or cancelled job
(``render_summary``), a run that ended before there was a job
(``render_error_summary``) and an invalid job spec (``render_problems_summary``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from smtrain.errors import Problem
from smtrain.github.leaderboard import render_leaderboard
from smtrain.github.sections import cell, links, metric_charts, problems_table, timeline
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
    where = f"local {kind}" if result.local else f"SageMaker {kind}"
    lines = [f"### {icon} {where} `{result.job_name}`: {result.status}", ""]
    if result.ended_by in _ENDED_BY:
        lines += [f"_{_ENDED_BY[result.ended_by]}._", ""]
    lines += ["| | |", "| --- | --- |"]
    lines += [f"| {name} | {cell(value)} |" for name, value in _rows(result) if value]
    lines += ["", *links(result), *timeline(result.transitions)]
    if result.metrics:
        lines += ["#### Final metrics", "", "| metric | final value |", "| --- | --- |"]
        lines += [f"| {cell(k)} | {v:g} |" for k, v in sorted(result.metrics.items())]
        lines += [""]
    if result.tuning_job_name:
        # The trials' logs interleave, so one curve per metric would join them.
        lines += [*render_leaderboard(result), ""]
    else:
        lines += metric_charts(result.metric_series)
    if result.traceback_tail:
        lines += _details("Traceback", result.traceback_tail)
    return "\n".join(lines).rstrip("\n") + "\n\n"


def _rows(result: JobResult) -> list[tuple[str, str]]:
    savings = result.spot_savings_percent
    instances = (
        f"{result.instance_count} x {result.instance_type}"
        if result.instance_type
        else ""
    )
    return [
        ("Secondary status", _secondary(result)),
        ("ARN", f"`{result.job_arn}`" if result.job_arn else ""),
        ("Region", result.region),
        ("Instances", instances),
        ("Spot", "yes" if result.use_spot else "no"),
        ("Failure reason", result.failure_reason),
        (
            "Model artifacts",
            f"`{result.model_artifacts}`" if result.model_artifacts else "",
        ),
        ("Training time", _seconds(result.training_time_seconds)),
        ("Billable time", _seconds(result.billable_time_seconds)),
        ("Spot savings", f"{savings:g} %" if savings is not None else ""),
    ]


def _secondary(result: JobResult) -> str:
    same = result.secondary_status == result.status
    return "" if same else result.secondary_status


def _details(title: str, text: str) -> list[str]:
    fence = "````" if "```" in text else "```"
    return [
        f"<details><summary>{title}</summary>",
        "",
        f"{fence}text",
        text,
        fence,
        "",
        "</details>",
        "",
    ]


def render_error_summary(message: str) -> str:
    """The summary of a run that ended before there was a job to report."""
    lines = ["### ❌ smtrain run failed", "", _first_line(message), ""]
    if "\n" in message.strip():
        lines += _details("Details", message)
    return "\n".join(lines) + "\n"


def render_problems_summary(problems: Sequence[Problem]) -> str:
    """The summary of an invalid job spec: nothing was sent to AWS."""
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    lines = [
        f"### ❌ Invalid job spec: {count} {noun}",
        "",
        "Nothing was sent to AWS. Fix these and run again "
        "(every key is described in docs/configuration.md):",
        "",
        *problems_table(problems),
    ]
    return "\n".join(lines) + "\n"


def _first_line(text: str) -> str:
    return cell(text.strip().splitlines()[0]) if text.strip() else "unknown error"


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
