"""The job summary's parts, rendered as GitHub renders Markdown."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from markdown_it import MarkdownIt

from smtrain.errors import Problem
from smtrain.github.sections import cell, links, metric_charts, timeline
from smtrain.github.summary import (
    render_error_summary,
    render_problems_summary,
    render_summary,
)
from smtrain.result import JobResult, StatusTransition

START = datetime(2026, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


def _cells(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return [t.content for t in tokens if t.type == "inline"]


def test_cells_keep_pipes_and_newlines_inside_the_cell() -> None:
    row = f"| {cell('x | y')} | {cell(chr(10).join(['1', '2']))} |"
    markdown = f"| a | b |\n| --- | --- |\n{row}\n"

    assert _cells(markdown)[2:] == ["x | y", "1 2"]


def test_timeline_lists_each_phase_with_its_duration() -> None:
    steps = [
        StatusTransition(START, "InProgress", "Starting"),
        StatusTransition(START + timedelta(seconds=95), "InProgress", "Training"),
        StatusTransition(START + timedelta(seconds=110), "Completed", "Completed"),
    ]

    cells = _cells("\n".join(timeline(steps)))

    assert cells[0] == "Phases"
    assert cells[5:9] == ["Starting", "12:00:00", "1 min 35 s", ""]
    assert cells[9:12] == ["Training", "12:01:35", "15 s"]
    assert cells[13:16] == ["Completed", "12:01:50", ""]


def test_a_long_series_is_thinned_but_keeps_its_last_value() -> None:
    values = [float(i) for i in range(1000)]

    chart = "\n".join(metric_charts({'val "acc"': values, "single": [1.0]}))

    assert "title \"val 'acc'\"" in chart
    assert 'x-axis "logged value" 1 --> 1000' in chart
    points = chart.split("line [")[1].split("]")[0].split(", ")
    assert len(points) == 100
    assert points[-1] == "999"
    assert "single" not in chart


def test_no_links_for_a_local_run() -> None:
    remote = JobResult("j", "Completed", region="eu-west-1")

    assert "region=eu-west-1#/jobs/j" in links(remote)[0]
    assert links(JobResult("j", "Completed", local=True, region="x")) == []


def test_problems_summary_is_a_table_with_source_key_and_fix() -> None:
    problems = [
        Problem("volume-size", "must be at least 1", "job.yml:4", "GB per instance"),
        Problem("role-arn", "is required | needed", None),
    ]

    cells = _cells(render_problems_summary(problems))

    assert cells[0] == "❌ Invalid job spec: 2 problems"
    assert cells[2:5] == ["where", "key", "problem"]
    assert cells[5:8] == [
        "job.yml:4",
        "`volume-size`",
        "must be at least 1 (GB per instance)",
    ]
    assert cells[8:11] == ["", "`role-arn`", "is required | needed"]


def test_summary_of_a_no_wait_run_says_so_without_timeline() -> None:
    result = JobResult("j", "InProgress", region="us-east-1", ended_by="no-wait")

    markdown = render_summary(result)

    assert "submitted without waiting" in markdown
    assert "Phases" not in markdown and "mermaid" not in markdown


def test_error_summary_folds_only_a_multiline_message() -> None:
    one_line = render_error_summary("no AWS region: set aws-region")
    several = render_error_summary("invalid job spec, 2 problems:\n  - a\n  - b")

    assert "<details>" not in one_line and "no AWS region" in one_line
    assert _cells(several)[1] == "invalid job spec, 2 problems:"
    assert "<details><summary>Details</summary>" in several
