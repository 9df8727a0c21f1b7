"""Hyperparameter storing, decoding and rendering, value by value."""

from __future__ import annotations

from typing import Any

import pytest

from smtrain.local.hyperparameters import (
    decode_hyperparameters,
    render_env_value,
    split_hyperparameters,
    stored_hyperparameters,
    to_command_arguments,
)


@pytest.mark.parametrize(
    ("value", "stored", "argument", "env"),
    [
        (3, "3", "3", "3"),
        (0.001, "0.001", "0.001", "0.001"),
        ("adam", '"adam"', "adam", "adam"),
        ("0.1", '"0.1"', "0.1", "0.1"),
        (True, "true", "True", "true"),
        (False, "false", "False", "false"),
        (None, "null", "", ""),
        ([1, "a"], '[1, "a"]', "[1, 'a']", '[1,"a"]'),
        ({"z": 1, "a": 2}, '{"z": 1, "a": 2}', "a=2,z=1", '{"a":2,"z":1}'),
    ],
)
def test_each_value_round_trips_like_the_toolkit(
    value: Any, stored: str, argument: str, env: str
) -> None:
    text = stored_hyperparameters({"p": value})["p"]
    decoded = decode_hyperparameters({"p": text})["p"]

    assert text == stored
    assert decoded == value
    assert to_command_arguments({"param": decoded}) == ["--param", argument]
    assert render_env_value(decoded) == env


def test_text_that_is_not_json_is_kept_as_text() -> None:
    assert decode_hyperparameters({"mode": "fast", "n": "5"}) == {
        "mode": "fast",
        "n": 5,
    }


def test_arguments_are_sorted_and_single_letters_get_one_dash() -> None:
    assert to_command_arguments({"lr": 1, "b": 2, "a-b": 3}) == [
        "--a-b", "3", "-b", "2", "--lr", "1",
    ]  # fmt: skip


def test_framework_parameters_are_kept_from_the_script() -> None:
    user, framework = split_hyperparameters(
        {"epochs": 2, "sagemaker_program": "train.py", "_tuning_objective_metric": "x"}
    )
    assert user == {"epochs": 2}
    assert set(framework) == {"sagemaker_program", "_tuning_objective_metric"}


def test_values_json_cannot_hold_are_stored_as_text() -> None:
    import datetime

    stored = stored_hyperparameters({"since": datetime.date(2026, 1, 31)})
    assert stored == {"since": '"2026-01-31"'}
