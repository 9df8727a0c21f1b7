"""Tuning outputs and the job summary's leaderboard."""

from __future__ import annotations

import json

from markdown_it import MarkdownIt

from smtrain.github.outputs import result_outputs
from smtrain.github.summary import render_summary
from smtrain.result import JobResult, Trial
from smtrain.tuning_results import rank, trial_from_summary, with_leaderboard

TRIALS = [
    Trial("hpo-001", "Completed", {"depth": "3", "kernel": "rbf"}, 0.81),
    Trial("hpo-002", "Failed", {"depth": "9", "kernel": "linear"}),
    Trial("hpo-003", "Completed", {"depth": "5", "kernel": "lin|ear"}, 0.93),
]


def tuned(objective_type: str = "Maximize") -> JobResult:
    result = JobResult("hpo", "Completed", region="us-east-1")
    board = rank(TRIALS, objective_type)
    return with_leaderboard(result, "hpo", board, "validation:accuracy")


def test_rank_puts_the_best_first_and_unscored_last() -> None:
    assert [t.job_name for t in rank(TRIALS, "Maximize")] == [
        "hpo-003",
        "hpo-001",
        "hpo-002",
    ]
    assert rank(TRIALS, "Minimize")[0].job_name == "hpo-001"


def test_outputs_name_the_best_trial() -> None:
    outputs = result_outputs(tuned())
    assert outputs["tuning-job-name"] == "hpo"
    assert outputs["best-training-job-name"] == "hpo-003"
    assert json.loads(outputs["best-hyperparameters"]) == {
        "depth": "5",
        "kernel": "lin|ear",
    }
    assert outputs["best-objective-value"] == "0.93"
    assert json.loads(outputs["metrics"]) == {"validation:accuracy": 0.93}


def test_a_training_job_leaves_the_tuning_outputs_empty() -> None:
    outputs = result_outputs(JobResult("job", "Completed"))
    assert outputs["tuning-job-name"] == ""
    assert outputs["best-hyperparameters"] == ""
    assert outputs["best-objective-value"] == ""


def test_summary_holds_best_trial_and_leaderboard_tables() -> None:
    markdown = render_summary(tuned())
    tokens = MarkdownIt().enable("table").parse(markdown)
    tables = [t for t in tokens if t.type == "table_open"]
    # The job, its metrics (the best objective), the best trial, the leaderboard.
    assert len(tables) == 4
    assert "SageMaker tuning job `hpo`: Completed" in markdown
    assert "#### Best trial `hpo-003`" in markdown
    board = markdown.split("#### Leaderboard")[1].splitlines()
    rows = [line for line in board if line.startswith("| ") and "---" not in line]
    assert (
        rows[0]
        == "| # | training job | status | validation:accuracy | depth | kernel |"
    )
    assert rows[1] == "| 1 | `hpo-003` | Completed | 0.93 | 5 | lin\\|ear |"
    assert rows[3] == "| 3 | `hpo-002` | Failed |  | 9 | linear |"


def test_summary_without_finished_trials_says_so() -> None:
    result = with_leaderboard(JobResult("hpo", "InProgress"), "hpo", [], "m")
    assert "_No trial has finished yet._" in render_summary(result)


def test_trial_from_a_sagemaker_summary() -> None:
    trial = trial_from_summary(
        {
            "TrainingJobName": "hpo-004-abcdef01",
            "TrainingJobStatus": "Completed",
            "TunedHyperParameters": {"depth": "4"},
            "FinalHyperParameterTuningJobObjectiveMetric": {
                "MetricName": "m",
                "Value": 0.5,
            },
        }
    )
    assert trial == Trial("hpo-004-abcdef01", "Completed", {"depth": "4"}, 0.5)


def test_summary_draws_no_curve_joining_the_trials_logs() -> None:
    result = tuned()
    # What the action's listener gathers from every trial's log, one after another.
    result.metric_series = {"validation:accuracy": [0.5, 0.9, 0.4, 0.93]}

    assert "xychart" not in render_summary(result)
    assert "xychart" in render_summary(
        JobResult("one", "Completed", metric_series={"validation:accuracy": [0.5, 0.9]})
    )
