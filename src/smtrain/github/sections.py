"""Parts of the job summary: phase timeline, metric charts, console links.

Each function returns Markdown lines, or none when there is nothing to show.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence

from smtrain.errors import Problem
from smtrain.result import JobResult, StatusTransition

# Mermaid draws every point; beyond this many a curve is thinned evenly.
_CHART_POINTS = 100
_LOG_GROUP = "/aws/sagemaker/TrainingJobs"


def cell(text: str) -> str:
    """``text`` safe inside a table cell: pipes escaped, newlines folded."""
    return " ".join(text.replace("|", "\\|").splitlines())


def timeline(transitions: Sequence[StatusTransition]) -> list[str]:
    if not transitions:
        return []
    lines = ["#### Phases", "", "| phase | started | duration | message |"]
    lines.append("| --- | --- | --- | --- |")
    for index, step in enumerate(transitions):
        later = transitions[index + 1 :]
        duration = _duration(step, later[0]) if later else ""
        started = step.time.strftime("%H:%M:%S")
        lines.append(
            f"| {cell(step.secondary_status or step.status)} | {started} "
            f"| {duration} | {cell(step.message)} |"
        )
    return [*lines, ""]


def _duration(start: StatusTransition, end: StatusTransition) -> str:
    seconds = max(0, round((end.time - start.time).total_seconds()))
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def metric_charts(series: dict[str, list[float]]) -> list[str]:
    """One Mermaid line chart per metric with at least two values."""
    lines: list[str] = []
    for name, values in sorted(series.items()):
        if len(values) < 2:
            continue
        points = _thinned(values)
        title = name.replace('"', "'")
        lines += [
            "```mermaid",
            "xychart-beta",
            f'    title "{title}"',
            f'    x-axis "logged value" 1 --> {len(values)}',
            f"    line [{', '.join(f'{v:g}' for v in points)}]",
            "```",
            "",
        ]
    return ["#### Metric curves", "", *lines] if lines else []


def _thinned(values: list[float]) -> list[float]:
    if len(values) <= _CHART_POINTS:
        return values
    step = len(values) / _CHART_POINTS
    return [values[int(i * step)] for i in range(_CHART_POINTS - 1)] + values[-1:]


def links(result: JobResult) -> list[str]:
    if result.local or not result.region or not result.job_name:
        return []
    region = result.region
    console = f"https://{region}.console.aws.amazon.com"
    job = urllib.parse.quote(result.job_name)
    job_url = f"{console}/sagemaker/home?region={region}#/jobs/{job}"
    # CloudWatch's console encodes the fragment's own separators as $25xx.
    group = urllib.parse.quote(_LOG_GROUP, safe="").replace("%", "$25")
    logs_url = (
        f"{console}/cloudwatch/home?region={region}#logsV2:log-groups/log-group/"
        f"{group}$3FlogStreamNameFilter$3D{job}"
    )
    return [f"[SageMaker console]({job_url}) · [CloudWatch logs]({logs_url})", ""]


def problems_table(problems: Sequence[Problem]) -> list[str]:
    lines = ["| where | key | problem |", "| --- | --- | --- |"]
    for problem in problems:
        text = problem.message + (f" ({problem.hint})" if problem.hint else "")
        lines.append(
            f"| {cell(problem.source or '')} | `{cell(problem.key)}` | {cell(text)} |"
        )
    return [*lines, ""]
