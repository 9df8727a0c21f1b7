"""Errors as annotations: on the YAML line at fault, or on the run itself."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from smtrain.errors import Problem
from smtrain.github.workflow import WorkflowCommands
from smtrain.result import COMPLETED, JobResult

# Problem sources look like ``configs/job.yml:12``, ``input job-name`` or ``--set``.
_FILE_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+)$")
# An annotation shows a few lines; the summary holds the full traceback.
_TRACEBACK_LINES = 12


def annotate_problems(commands: WorkflowCommands, problems: Sequence[Problem]) -> None:
    for problem in problems:
        text = f"{problem.key}: {problem.message}"
        if problem.hint:
            text += f" ({problem.hint})"
        commands.error(text, title="Invalid job spec", **_where(problem.source))


def _where(source: str | None) -> dict[str, str | int]:
    # An input (even a multi-line one, "input inputs:3") has no file to point at.
    if not source or source.startswith(("input ", "--set")):
        return {}
    match = _FILE_LINE.match(source)
    if match:
        return {"file": repository_path(match["file"]), "line": int(match["line"])}
    return {"file": repository_path(source)} if Path(source).suffix else {}


def repository_path(path: str) -> str:
    """``path`` relative to the checkout, as annotations must name files."""
    workspace = os.environ.get("GITHUB_WORKSPACE", "")
    if workspace and Path(path).is_absolute():
        try:
            return Path(path).relative_to(workspace).as_posix()
        except ValueError:
            return path
    return path


def annotate_result(commands: WorkflowCommands, result: JobResult) -> None:
    """A failed, stopped or abandoned job as an annotation, with its traceback."""
    if result.status == COMPLETED or result.ended_by == "no-wait":
        return
    title = f"Training job {result.job_name}: {result.status}"
    if result.ended_by in ("timeout", "cancel"):
        title += f" ({result.ended_by})"
    reason = result.failure_reason or "see the job summary"
    commands.error(reason, title=title)
    if result.traceback_tail:
        tail = "\n".join(result.traceback_tail.splitlines()[-_TRACEBACK_LINES:])
        commands.error(tail, title=f"Traceback of {result.job_name}")
