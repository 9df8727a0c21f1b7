"""The target: its column, its problem type and its labels."""

from __future__ import annotations

import pandas as pd
import pytest

from smtrain.ml.errors import DataError, HyperparameterError
from smtrain.ml.problem import infer_target, resolve_target_name


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["a", "b", "a", "b"], "binary"),
        ([True, False, True, True], "binary"),
        (["x", "y", "z", "x"], "multiclass"),
        ([0, 1, 2, 1, 0], "multiclass"),
        ([0.5, 1.25, 3.0, 2.0], "regression"),
        (list(range(50)), "regression"),
    ],
)
def test_problem_type_is_inferred(values: list[object], expected: str) -> None:
    assert infer_target(pd.Series(values), "y", "auto").problem_type == expected


def test_problem_type_can_be_set() -> None:
    target = infer_target(pd.Series([0, 1, 2, 1, 0]), "y", "regression")

    assert target.problem_type == "regression"
    assert target.classes is None


def test_classes_are_sorted_and_encoded() -> None:
    target = infer_target(pd.Series(["b", "a", "c"]), "y", "auto")

    assert target.classes == ("a", "b", "c")
    assert list(target.encode(pd.Series(["c", "a"]), "train")) == [2, 0]
    with pytest.raises(DataError, match=r"'test' has target values not seen.*: d"):
        target.encode(pd.Series(["d"]), "test")


def test_single_class_is_refused() -> None:
    with pytest.raises(DataError, match="single class"):
        infer_target(pd.Series(["a", "a", "a"]), "y", "auto")


def test_text_cannot_be_a_regression_target() -> None:
    with pytest.raises(DataError, match="not numeric"):
        infer_target(pd.Series(["a", "b"]), "y", "regression")


def test_binary_needs_two_classes() -> None:
    with pytest.raises(DataError, match="binary but target 'y' has 3 classes"):
        infer_target(pd.Series(["a", "b", "c"]), "y", "binary")


def test_target_column_by_name_or_first_for_headerless_data() -> None:
    frame = pd.DataFrame({"column_1": [1], "column_2": [2]})

    assert resolve_target_name(frame, None, named=False) == "column_1"
    assert resolve_target_name(frame, "column_2", named=True) == "column_2"
    with pytest.raises(DataError, match="'label' is not in the training data"):
        resolve_target_name(frame, "label", named=True)
    with pytest.raises(HyperparameterError, match="set the 'target'"):
        resolve_target_name(frame, None, named=True)
