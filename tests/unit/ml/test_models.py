"""Model families and the checks on their parameters."""

from __future__ import annotations

import pytest

from smtrain.ml.errors import HyperparameterError
from smtrain.ml.models import MODEL_NAMES, build_estimator, check_params


def test_every_family_builds_for_classification() -> None:
    for name in MODEL_NAMES:
        estimator = build_estimator(name, "binary", {}, seed=3)
        assert hasattr(estimator, "predict_proba"), name


def test_unknown_parameter_suggests_the_close_one() -> None:
    with pytest.raises(HyperparameterError, match="did you mean n_estimators"):
        build_estimator("random-forest", "binary", {"n_estimator": 10}, seed=0)


def test_bad_parameter_value_is_refused_before_training() -> None:
    with pytest.raises(
        HyperparameterError, match=r"'random-forest' refused its parameters"
    ):
        check_params("random-forest", "binary", {"n_estimators": -1})
    with pytest.raises(HyperparameterError, match=r"'xgboost' refused"):
        check_params("xgboost", "regression", {"max_depth": "deep"})


def test_logistic_regression_does_not_regress() -> None:
    with pytest.raises(HyperparameterError, match="use model 'linear'"):
        build_estimator("logistic-regression", "regression", {}, seed=0)


def test_multiclass_parameters_are_checked_on_three_classes() -> None:
    check_params("xgboost", "multiclass", {"objective": "multi:softprob"})
    with pytest.raises(HyperparameterError, match="'xgboost' refused"):
        check_params("xgboost", "binary", {"objective": "no:such"})
