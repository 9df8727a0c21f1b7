"""What the toolkit makes of each hyperparameter smtrain sends, value by value."""

from __future__ import annotations

from typing import Any

import pytest

from smtrain.hyperparameters import render_hyperparameters
from smtrain.local.hyperparameters import (
    decode_hyperparameters,
    render_env_value,
    split_hyperparameters,
    to_command_arguments,
)


@pytest.mark.parametrize(
    ("value", "stored", "decoded", "argument", "env"),
    [
        (3, "3", 3, "3", "3"),
        (0.001, "0.001", 0.001, "0.001", "0.001"),
        ("adam", "adam", "adam", "adam", "adam"),
        ("0.1", "0.1", 0.1, "0.1", "0.1"),
        ("true", "true", True, "True", "true"),
        (True, "true", True, "True", "true"),
        (False, "false", False, "False", "false"),
        (None, "null", None, "", ""),
        ([1, "a"], '[1, "a"]', [1, "a"], "[1, 'a']", '[1,"a"]'),
        (
            {"z": 1, "a": 2},
            '{"z": 1, "a": 2}',
            {"z": 1, "a": 2},
            "a=2,z=1",
            '{"a":2,"z":1}',
        ),
    ],
)
def test_each_value_is_stored_and_decoded_like_sagemaker(
    value: Any, stored: str, decoded: Any, argument: str, env: str
) -> None:
    text = render_hyperparameters({"p": value})["p"]
    read_back = decode_hyperparameters({"p": text})["p"]

    assert text == stored
    assert read_back == decoded and type(read_back) is type(decoded)
    assert to_command_arguments({"param": read_back}) == ["--param", argument]
    assert render_env_value(read_back) == env


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
