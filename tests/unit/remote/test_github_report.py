"""Step outputs and the job summary, as GitHub's runner would read them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from smtrain.github.outputs import result_outputs, write_outputs
from smtrain.github.report import report_error, report_result
from smtrain.github.summary import render_summary
from smtrain.result import JobResult

_HEREDOC = re.compile(
    r"^(?P<name>[\w-]+)<<(?P<delim>\S+)\n(?P<value>.*?)\n(?P=delim)\n", re.S | re.M
)


def _read_outputs(path: Path) -> dict[str, str]:
    return {m["name"]: m["value"] for m in _HEREDOC.finditer(path.read_text())}


def _result(**values: object) -> JobResult:
    base: dict[str, object] = {
        "job_name": "train-1",
        "status": "Failed",
        "job_arn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/train-1",
        "failure_reason": "AlgorithmError: boom\nEOF\nstatus<<x",
        "training_time_seconds": 100,
        "billable_time_seconds": 40,
        "use_spot": True,
        "metrics": {"val:auc": 0.91, "train:loss": 0.2},
        "traceback_tail": "Traceback (most recent call last):\nValueError: boom",
    }
    return JobResult(**{**base, **values})  # type: ignore[arg-type]


def test_outputs_survive_multiline_values(tmp_path: Path) -> None:
    path = tmp_path / "output"
    result = _result()

    write_outputs(result_outputs(result), path)

    outputs = _read_outputs(path)
    assert outputs["failure-reason"] == result.failure_reason
    assert outputs["status"] == "Failed"
    assert outputs["training-time-seconds"] == "100"
    assert json.loads(outputs["metrics"]) == {"train:loss": 0.2, "val:auc": 0.91}
    assert outputs["model-artifacts"] == ""


def test_delimiters_are_random(tmp_path: Path) -> None:
    path = tmp_path / "output"
    write_outputs({"a": "1", "b": "2"}, path)

    delimiters = re.findall(r"<<(\S+)", path.read_text())

    assert len(set(delimiters)) == 2


def test_nothing_is_written_outside_github() -> None:
    assert write_outputs({"a": "1"}) is False


def test_report_writes_both_files_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "out"))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))

    report_result(_result(status="Completed", failure_reason=""))

    assert _read_outputs(tmp_path / "out")["job-name"] == "train-1"
    assert "train-1" in (tmp_path / "summary.md").read_text()


def test_error_without_a_job_still_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "out"))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))

    report_error("no AWS region: set aws-region")

    assert "no AWS region" in (tmp_path / "summary.md").read_text()
    outputs = _read_outputs(tmp_path / "out")
    assert outputs == {
        "status": "Error",
        "failure-reason": "no AWS region: set aws-region",
    }


def test_summary_is_a_markdown_table_with_metrics_and_traceback() -> None:
    markdown = render_summary(_result())

    tokens = MarkdownIt().enable("table").parse(markdown)
    cells = [t.content for t in tokens if t.type == "inline"]
    assert "Spot savings" in cells
    assert "60 %" in cells
    assert "val:auc" in cells
    assert "0.91" in cells
    # The failure reason's newlines must not break its table row.
    assert "AlgorithmError: boom EOF status<<x" in cells
    assert "ValueError: boom" in markdown


def test_summary_says_why_watching_ended() -> None:
    markdown = render_summary(_result(status="InProgress", ended_by="cancel"))

    assert "the run was cancelled" in markdown
