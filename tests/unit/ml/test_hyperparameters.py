"""Hyperparameters: sources, strict parsing, and what goes to the model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smtrain.ml.environment import ROOT_ENV, TrainingEnvironment
from smtrain.ml.errors import HyperparameterError
from smtrain.ml.hyperparameters import build_settings, parse_argv, parse_bool


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        ("Yes", True),
        ("no", False),
        (True, True),
        (0, False),
    ],
)
def test_booleans_accept_the_documented_words(value: Any, expected: bool) -> None:
    assert parse_bool("plots", value) is expected


@pytest.mark.parametrize("value", ["on", "off", "y", "2", "", "maybe"])
def test_booleans_refuse_anything_else(value: str) -> None:
    with pytest.raises(HyperparameterError, match="'plots' must be true or false"):
        parse_bool("plots", value)


def test_settings_parse_runtime_names_and_pass_the_rest_to_the_model() -> None:
    settings = build_settings(
        {
            "target": "species",
            "problem_type": "multiclass",
            "folds": "3",
            "time-budget": "90",
            "header": "auto",
            "drop-columns": "year, island",
            "n-estimators": "50",
            "max_features": "sqrt",
            "learning-rate": "0.1",
            "sagemaker_program": "train.py",
        }
    )

    assert settings.target == "species"
    assert settings.problem_type == "multiclass"
    assert (settings.folds, settings.time_budget, settings.header) == (3, 90.0, None)
    assert settings.drop_columns == ("year", "island")
    assert settings.model_params == {
        "n_estimators": 50,
        "max_features": "sqrt",
        "learning_rate": 0.1,
    }


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("folds", "1", "between 2 and 20"),
        ("folds", "three", "whole number"),
        ("model", "svm", "must be one of auto, random-forest"),
        ("problem-type", "ranking", "must be one of auto, binary"),
        ("time-budget", "-5", "positive number of seconds"),
        ("target", " ", "must not be empty"),
    ],
)
def test_bad_values_name_the_hyperparameter(
    name: str, value: str, message: str
) -> None:
    with pytest.raises(HyperparameterError, match=f"'{name}' must") as raised:
        build_settings({name: value})
    assert message in str(raised.value)


def test_argv_pairs_in_both_spellings() -> None:
    assert parse_argv(["--target", "y", "--model=linear"]) == {
        "target": "y",
        "model": "linear",
    }
    with pytest.raises(HyperparameterError, match="--folds needs a value"):
        parse_argv(["--folds"])
    with pytest.raises(HyperparameterError, match="unexpected argument 'stray'"):
        parse_argv(["stray"])


def test_sm_hps_wins_over_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "input" / "config"
    config.mkdir(parents=True)
    # SageMaker stores every value as text; JSON inside the text is decoded.
    (config / "hyperparameters.json").write_text(
        json.dumps({"target": "species", "folds": "3", "plots": "false"})
    )
    from_file = TrainingEnvironment.from_environ({ROOT_ENV: str(tmp_path)})
    from_env = TrainingEnvironment.from_environ(
        {ROOT_ENV: str(tmp_path), "SM_HPS": json.dumps({"target": "sex"})}
    )

    assert from_file.hyperparameters() == {
        "target": "species",
        "folds": 3,
        "plots": False,
    }
    assert from_env.hyperparameters() == {"target": "sex"}


def test_paths_follow_sm_variables_then_the_root(tmp_path: Path) -> None:
    (tmp_path / "input" / "data" / "train").mkdir(parents=True)
    by_root = TrainingEnvironment.from_environ({ROOT_ENV: str(tmp_path)})
    by_variables = TrainingEnvironment.from_environ(
        {
            ROOT_ENV: str(tmp_path),
            "SM_MODEL_DIR": "/elsewhere/model",
            "SM_CHANNEL_VALIDATION": "/elsewhere/validation",
            "SM_CHANNELS": '["validation"]',
        }
    )

    assert by_root.model_dir == tmp_path / "model"
    assert by_root.channels == {"train": tmp_path / "input" / "data" / "train"}
    assert by_root.failure_file == tmp_path / "output" / "failure"
    assert str(by_variables.model_dir) == "/elsewhere/model"
    assert {k: str(v) for k, v in by_variables.channels.items()} == {
        "validation": "/elsewhere/validation"
    }
