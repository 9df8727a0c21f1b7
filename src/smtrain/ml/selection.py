"""``model: auto``: cross-validate each family in turn, keep the best.

Families are tried in a fixed order, fastest and most often best first, until the
``time-budget`` would be exceeded; at least one is always tried. The best has the
highest mean CV accuracy (ties: lowest log loss), or for regression the highest
R2 (ties: lowest RMSE).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from smtrain.ml.evaluation import CrossValidation, cross_validate
from smtrain.ml.models import build_pipeline
from smtrain.ml.preprocess import ColumnPlan

AUTO_ORDER = (
    "hist-gradient-boosting",
    "linear",
    "random-forest",
    "lightgbm",
    "xgboost",
    "extra-trees",
)


@dataclass(frozen=True)
class Candidate:
    """A family and how it cross-validated."""

    name: str
    pipeline: Any
    cv: CrossValidation


def rank_key(problem_type: str, summary: dict[str, float]) -> tuple[float, float]:
    """Higher is better: (main score, tie-breaker)."""
    if problem_type == "regression":
        main, tie_breaker = summary["r2"], -summary["rmse"]
    else:
        main, tie_breaker = summary["accuracy"], -summary["log_loss"]
    # An undefined score must lose, not poison the comparison.
    return _or_worst(main), _or_worst(tie_breaker)


def _or_worst(value: float) -> float:
    return -math.inf if math.isnan(value) else value


def select_model(
    plan: ColumnPlan,
    features: Any,
    target: Any,
    problem_type: str,
    folds: int,
    seed: int,
    budget: float,
    log: Callable[[str], None],
) -> tuple[Candidate, list[Candidate]]:
    """The best candidate, and every candidate tried, within ``budget`` seconds."""
    started = time.perf_counter()
    tried: list[Candidate] = []
    for name in AUTO_ORDER:
        if tried and _would_overrun(tried[-1], folds, started, budget):
            log(f"auto: time-budget {budget:g}s reached; skipping {name} and later")
            break
        pipeline = build_pipeline(plan, name, problem_type, {}, seed)
        cv = cross_validate(pipeline, features, target, problem_type, folds, seed)
        tried.append(Candidate(name, pipeline, cv))
        score = rank_key(problem_type, cv.summary())[0]
        log(f"auto: {name} scored {score:.4f} in {cv.seconds:.1f}s")
    best = max(tried, key=lambda c: rank_key(problem_type, c.cv.summary()))
    return best, tried


def _would_overrun(last: Candidate, folds: int, started: float, budget: float) -> bool:
    """Assume the next family costs what the last did, plus its final fit."""
    elapsed = time.perf_counter() - started
    return elapsed + last.cv.seconds * (1 + 1 / folds) > budget
