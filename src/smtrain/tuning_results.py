"""Leaderboards and the tuning fields of a JobResult, for remote and local search."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from smtrain.result import JobResult, Trial


def rank(trials: Iterable[Trial], objective_type: str) -> list[Trial]:
    """Best first; trials without an objective value (failed, stopped) last."""
    scored = [t for t in trials if t.objective is not None]
    unscored = [t for t in trials if t.objective is None]
    scored.sort(key=lambda t: t.objective or 0.0, reverse=objective_type == "Maximize")
    return scored + unscored


def trial_from_summary(summary: dict[str, Any]) -> Trial:
    """A leaderboard row from a HyperParameterTrainingJobSummary."""
    final = summary.get("FinalHyperParameterTuningJobObjectiveMetric") or {}
    value = final.get("Value")
    return Trial(
        job_name=summary["TrainingJobName"],
        status=summary.get("TrainingJobStatus", ""),
        hyperparameters=dict(summary.get("TunedHyperParameters", {})),
        objective=float(value) if value is not None else None,
    )


def with_leaderboard(
    result: JobResult, tuning_job_name: str, leaderboard: list[Trial], metric: str
) -> JobResult:
    """``result`` carrying the tuning fields; the best trial is the first scored."""
    result.tuning_job_name = tuning_job_name
    result.objective_metric = metric
    result.leaderboard = leaderboard
    best = leaderboard[0] if leaderboard else None
    if best is not None and best.objective is not None:
        result.best_training_job_name = best.job_name
        result.best_hyperparameters = dict(best.hyperparameters)
        result.best_objective_value = best.objective
        result.metrics = {**result.metrics, metric: best.objective}
    return result


def count_text(counters: dict[str, int]) -> str:
    failed = counters.get("RetryableError", 0) + counters.get("NonRetryableError", 0)
    return (
        f"{counters.get('Completed', 0)} completed, "
        f"{counters.get('InProgress', 0)} running, {failed} failed, "
        f"{counters.get('Stopped', 0)} stopped"
    )


def trial_text(trial: Trial) -> str:
    values = ", ".join(f"{k}={v}" for k, v in sorted(trial.hyperparameters.items()))
    objective = "no objective" if trial.objective is None else f"{trial.objective:g}"
    return f"{trial.job_name} ({objective}; {values})"
