"""The tuning section's rules, as the loader reports them (key, file:line, fix)."""

from __future__ import annotations

from typing import Any

import pytest
from tuning_support import BASE, METRIC, WriteTuning, tuning_data

from smtrain.errors import SpecError
from smtrain.loader import load_spec
from smtrain.tuning_spec import CategoricalRange, ContinuousRange, IntegerRange

LOG, REVERSE = "Logarithmic", "ReverseLogarithmic"


def problems(write_tuning: WriteTuning, data: dict[str, Any]) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_spec(write_tuning(data))
    return [p.render() for p in caught.value.problems]


def test_the_base_spec_loads_with_inferred_range_types(
    write_tuning: WriteTuning,
) -> None:
    spec = load_spec(write_tuning(BASE))
    assert spec.tuning is not None
    ranges = spec.tuning.parameter_ranges
    assert isinstance(ranges["learning-rate"], ContinuousRange)
    assert isinstance(ranges["depth"], IntegerRange)
    assert isinstance(ranges["kernel"], CategoricalRange)


def test_objective_must_be_a_metric_definition(write_tuning: WriteTuning) -> None:
    data = tuning_data(objective={"metric": "val:loss", "type": "Minimize"})
    [problem] = problems(write_tuning, data)
    assert "tuning.objective.metric" in problem
    assert f"'val:loss' is not in metric-definitions ({METRIC})" in problem
    assert "job.yml:" in problem


def test_grid_asked_for_more_jobs_than_combinations_says_how_many(
    write_tuning: WriteTuning,
) -> None:
    ranges = {"kernel": ["linear", "rbf"], "c": [0.1, 1, 10]}
    data = tuning_data(strategy="Grid", **{"parameter-ranges": ranges})
    [problem] = problems(write_tuning, data)
    assert "tuning.max-jobs" in problem
    assert "is 8, but the grid has only 6 combinations" in problem


def test_grid_takes_only_categorical_ranges(write_tuning: WriteTuning) -> None:
    data = tuning_data(strategy="Grid", **{"max-jobs": None})
    found = problems(write_tuning, data)
    assert len(found) == 2
    assert all("Grid search takes only categorical ranges" in p for p in found)
    assert any("tuning.parameter-ranges.depth" in p for p in found)


def test_a_tuned_hyperparameter_cannot_also_be_static(
    write_tuning: WriteTuning,
) -> None:
    data = tuning_data()
    data["hyperparameters"] = {"epochs": 10, "depth": 4}
    [problem] = problems(write_tuning, data)
    assert "hyperparameters.depth" in problem
    assert "either static or tuned" in problem


def test_job_name_must_fit_32_characters(write_tuning: WriteTuning) -> None:
    data = {**tuning_data(), "job-name": "a" * 33}
    [problem] = problems(write_tuning, data)
    assert "job-name" in problem and "tuning job name" in problem


@pytest.mark.parametrize(
    ("tuning", "expected"),
    [
        ({"max-jobs": None}, "is required with strategy Random"),
        ({"max-parallel-jobs": 9}, "(9) is more than max-jobs (8)"),
        ({"max-runtime": 60}, "must be between 120 and 15768000 seconds"),
        ({"strategy": "Hyperband", "early-stopping": True}, "cannot be used"),
        (
            {
                "parameter-ranges": {
                    "lr": {"min": 0, "max": 1, "scaling": "Logarithmic"}
                }
            },
            "Logarithmic needs min above 0",
        ),
        (
            {
                "parameter-ranges": {
                    "m": {"min": 0.5, "max": 1.5, "scaling": "ReverseLogarithmic"}
                }
            },
            "ReverseLogarithmic needs 0 <= min < max < 1",
        ),
        ({"parameter-ranges": {"d": {"min": 9, "max": 2}}}, "min (9) is greater"),
        ({"warm-start": {"parents": ["x" * 40]}}, "is not a tuning job name"),
        ({"strategy": "Sideways"}, "must be one of"),
    ],
)
def test_rule_table(
    write_tuning: WriteTuning, tuning: dict[str, Any], expected: str
) -> None:
    found = problems(write_tuning, tuning_data(**tuning))
    assert any(expected in p for p in found), found


def test_set_reaches_into_tuning(write_tuning: WriteTuning) -> None:
    spec = load_spec(
        write_tuning(BASE), overrides=["tuning.max-jobs=3", "tuning.strategy=Bayesian"]
    )
    assert spec.tuning is not None
    assert (spec.tuning.max_jobs, spec.tuning.strategy) == (3, "Bayesian")


def test_shape_errors_name_the_users_key_and_line(write_tuning: WriteTuning) -> None:
    ranges = {
        "lr": {"min": 0.1, "max": "x"},
        "k": 5,
        "z": {"type": "banana"},
    }
    data = tuning_data(**{"parameter-ranges": ranges, "max-job": 3})
    found = problems(write_tuning, data)
    assert any("tuning.max-job: is not a known key (did you mean" in p for p in found)
    assert any(
        "tuning.parameter-ranges.lr.max: must be a valid number" in p for p in found
    )
    assert any(
        "tuning.parameter-ranges.k: must be a mapping with min and max, or a list" in p
        for p in found
    )
    assert any("type must be integer, continuous or categorical" in p for p in found)
    assert all("job.yml:" in p for p in found)
