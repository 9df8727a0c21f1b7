"""Local search samplers: Grid and Random exactly, Bayesian through optuna."""

from __future__ import annotations

import math
import random
import sys
from typing import Any

import pytest
from tuning_support import tuning_data

from smtrain.errors import SpecError
from smtrain.local.sampling import (
    GridSampler,
    OptunaSampler,
    RandomSampler,
    Sampler,
    draw,
    make_sampler,
)
from smtrain.spec import JobSpec
from smtrain.tuning_spec import ContinuousRange, IntegerRange, TuningSpec


def tuning(**changes: Any) -> TuningSpec:
    spec = JobSpec.model_validate(tuning_data(**changes))
    assert spec.tuning is not None
    return spec.tuning


def drain(sampler: Sampler) -> list[dict[str, Any]]:
    picks = []
    while (asked := sampler.ask()) is not None:
        number, pick = asked
        sampler.tell(number, float(number))
        picks.append(pick)
    return picks


def test_grid_yields_every_combination_once_in_order() -> None:
    ranges = {"kernel": ["linear", "rbf"], "c": [0.1, 1, 10]}
    picks = drain(
        GridSampler(
            tuning(strategy="Grid", **{"max-jobs": None, "parameter-ranges": ranges})
        )
    )
    assert picks == [
        {"kernel": k, "c": c} for k in ("linear", "rbf") for c in (0.1, 1, 10)
    ]


def test_grid_stops_at_max_jobs() -> None:
    ranges = {"kernel": ["linear", "rbf"], "c": [0.1, 1, 10]}
    sampler = GridSampler(
        tuning(strategy="Grid", **{"max-jobs": 4, "parameter-ranges": ranges})
    )
    assert len(drain(sampler)) == 4


def test_random_is_seeded_bounded_and_typed() -> None:
    first = drain(RandomSampler(tuning(**{"random-seed": 5})))
    again = drain(RandomSampler(tuning(**{"random-seed": 5})))
    assert first == again
    assert len(first) == 8
    for pick in first:
        assert isinstance(pick["depth"], int) and 2 <= pick["depth"] <= 8
        assert 0.001 <= pick["learning-rate"] <= 0.1
        assert pick["kernel"] in ("linear", "rbf")


def test_logarithmic_scaling_spreads_draws_over_decades() -> None:
    value_range = ContinuousRange(min=1e-4, max=1.0, scaling="Logarithmic")
    rng = random.Random(0)
    values = [draw(value_range, rng) for _ in range(400)]
    below_a_hundredth = sum(v < 1e-2 for v in values)
    # Half the decades lie below 0.01; a linear draw would put 1 % there.
    assert 120 < below_a_hundredth < 280


def test_reverse_logarithmic_crowds_near_max() -> None:
    value_range = ContinuousRange(min=0.0, max=0.999, scaling="ReverseLogarithmic")
    rng = random.Random(1)
    values = [draw(value_range, rng) for _ in range(400)]
    assert all(0.0 <= v <= 0.999 for v in values)
    assert sum(v > 0.9 for v in values) > 200


def test_integer_draws_stay_in_range_with_log_scaling() -> None:
    value_range = IntegerRange(min=1, max=3, scaling="Logarithmic")
    rng = random.Random(2)
    assert {draw(value_range, rng) for _ in range(200)} == {1, 2, 3}


def test_bayesian_asks_optuna_and_learns_from_what_it_is_told() -> None:
    sampler = make_sampler(tuning(strategy="Bayesian", **{"random-seed": 3}))
    assert isinstance(sampler, OptunaSampler)
    picks = []
    while (asked := sampler.ask()) is not None:
        number, pick = asked
        # A failed trial is told as None and must not break the study.
        sampler.tell(number, None if number == 2 else math.log(pick["learning-rate"]))
        picks.append(pick)
    assert len(picks) == 8
    for pick in picks:
        assert isinstance(pick["depth"], int)
        assert pick["kernel"] in ("linear", "rbf")


def test_bayesian_without_optuna_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "optuna", None)
    with pytest.raises(SpecError, match=r"smtrain\[tuning\]"):
        make_sampler(tuning(strategy="Bayesian"))
