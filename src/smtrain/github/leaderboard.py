"""The tuning part of the job summary: a leaderboard and the best trial."""

from __future__ import annotations

from smtrain.result import JobResult, Trial

# Rows shown; the full list stays in the tuning job (and the local job root).
LEADERBOARD_ROWS = 10


def render_leaderboard(result: JobResult) -> list[str]:
    """Markdown lines: the best trial's details, then the top trials."""
    if not result.leaderboard:
        return ["", "_No trial has finished yet._"]
    metric = result.objective_metric
    lines = _best_trial(result, metric)
    names = sorted({k for t in result.leaderboard for k in t.hyperparameters})
    header = ["#", "training job", "status", _cell(metric or "objective"), *names]
    lines += ["", f"#### Leaderboard (top {LEADERBOARD_ROWS})", ""]
    lines += [_row(header), _row(["---"] * len(header))]
    for rank, trial in enumerate(result.leaderboard[:LEADERBOARD_ROWS], start=1):
        values = [_cell(trial.hyperparameters.get(n, "")) for n in names]
        lines.append(
            _row(
                [str(rank), f"`{trial.job_name}`", trial.status, _value(trial), *values]
            )
        )
    return lines


def _best_trial(result: JobResult, metric: str) -> list[str]:
    if not result.best_training_job_name:
        return ["", "_No trial reported the objective metric._"]
    lines = [
        "",
        f"#### Best trial `{result.best_training_job_name}`",
        "",
        "| hyperparameter | value |",
        "| --- | --- |",
    ]
    lines += [
        f"| {_cell(k)} | {_cell(v)} |"
        for k, v in sorted(result.best_hyperparameters.items())
    ]
    lines.append(f"| **{_cell(metric)}** | **{result.best_objective_value:g}** |")
    return lines


def _value(trial: Trial) -> str:
    return "" if trial.objective is None else f"{trial.objective:g}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
