"""Where an annotation points: the YAML file and line, or nowhere for an input."""

from __future__ import annotations

import io

import pytest

from smtrain.errors import Problem
from smtrain.github.annotations import annotate_problems, annotate_result
from smtrain.github.workflow import WorkflowCommands
from smtrain.result import JobResult


def _annotations(problem: Problem) -> str:
    stream = io.StringIO()
    annotate_problems(WorkflowCommands(stream), [problem])
    return stream.getvalue().strip()


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ("jobs/train.yml:12", "file=jobs/train.yml,line=12"),
        ("/work/space/jobs/train.yml:3", "file=jobs/train.yml,line=3"),
        ("jobs/train.yml", "file=jobs/train.yml"),
        ("input inputs:3", ""),
        ("input job-name", ""),
        ("--set", ""),
        (None, ""),
    ],
)
def test_problem_points_at_its_file_and_line_relative_to_the_workspace(
    source: str | None, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", "/work/space")

    line = _annotations(Problem("volume-size", "too small", source, "at least 1"))

    props = f",{where}" if where else ""
    assert line == (
        f"::error title=Invalid job spec{props}::volume-size: too small (at least 1)"
    )


def test_completed_and_unwaited_jobs_are_not_annotated() -> None:
    stream = io.StringIO()
    commands = WorkflowCommands(stream)

    annotate_result(commands, JobResult("a", "Completed"))
    annotate_result(commands, JobResult("b", "InProgress", ended_by="no-wait"))

    assert stream.getvalue() == ""


def test_traceback_annotation_keeps_only_the_tail() -> None:
    stream = io.StringIO()
    tail = "\n".join(f"frame {n}" for n in range(30))

    annotate_result(
        WorkflowCommands(stream), JobResult("j", "Failed", traceback_tail=tail)
    )

    lines = stream.getvalue().splitlines()
    assert lines[0] == "::error title=Training job j%3A Failed::see the job summary"
    assert lines[1].startswith("::error title=Traceback of j::frame 18%0A")
    assert lines[1].endswith("frame 29")
