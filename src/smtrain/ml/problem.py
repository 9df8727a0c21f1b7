"""The target: which column it is, what kind of problem it makes, its labels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from smtrain.ml.errors import DataError, HyperparameterError

# An integer target with more distinct values than this is taken as regression.
_MAX_CLASSES_FOR_INTEGERS = 20


@dataclass(frozen=True)
class Target:
    """The target column, the problem type and, for classification, the classes."""

    name: str
    problem_type: str
    classes: tuple[Any, ...] | None

    def encode(self, values: pd.Series, channel: str) -> np.ndarray[Any, Any]:
        """Class indices (classification) or floats (regression)."""
        if self.classes is None:
            numbers = pd.to_numeric(values, errors="coerce")
            if numbers.isna().any():
                raise DataError(
                    f"channel {channel!r} has non-numeric values in target "
                    f"{self.name!r}, which is a regression target"
                )
            return numbers.to_numpy(dtype=float)
        lookup = {label: index for index, label in enumerate(self.classes)}
        unknown = sorted({str(v) for v in values if _plain(v) not in lookup})
        if unknown:
            raise DataError(
                f"channel {channel!r} has target values not seen in training: "
                + ", ".join(unknown[:10])
            )
        return np.array([lookup[_plain(v)] for v in values], dtype=int)


def resolve_target_name(frame: pd.DataFrame, target: str | None, named: bool) -> str:
    """The ``target`` column; header-less data defaults to the first column."""
    if target is None:
        if named:
            raise HyperparameterError(
                "set the 'target' hyperparameter to the column to predict; "
                f"columns: {', '.join(map(str, frame.columns))}"
            )
        return str(frame.columns[0])
    if target not in frame.columns:
        raise DataError(
            f"target column {target!r} is not in the training data; "
            f"columns: {', '.join(map(str, frame.columns))}"
            + _reading_hint(frame, target, named)
        )
    return target


def _reading_hint(frame: pd.DataFrame, target: str, named: bool) -> str:
    """Why the target may be missing: the file was read in a way it was not meant."""
    if frame.shape[1] == 1:
        return (
            "; the data has a single column: CSV fields must be separated by "
            "commas, tabs, semicolons or pipes, the same number in every row"
        )
    if named:
        return ""
    first_row = [str(value).strip() for value in frame.iloc[0]] if len(frame) else []
    if target in first_row:
        return (
            f"; the first row holds {target!r}, so it looks like a header that "
            "was not detected (repeated names or all-text data hide it): set the "
            "'header' hyperparameter to true"
        )
    return (
        "; the files were read as having no header row: set the 'header' "
        "hyperparameter to true if their first row names the columns"
    )


def infer_target(values: pd.Series, name: str, requested: str) -> Target:
    """Binary, multiclass or regression, as ``requested`` or as the values suggest."""
    problem_type = requested if requested != "auto" else _infer(values)
    if problem_type == "regression":
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(
            values
        ):
            raise DataError(
                f"target {name!r} is not numeric, so it cannot be a regression "
                "target; set problem-type to binary or multiclass"
            )
        return Target(name, "regression", None)
    classes = _sorted_classes(values)
    if len(classes) < 2:
        raise DataError(
            f"target {name!r} has a single class ({classes[0]!r}) in every row: "
            "a classifier needs at least two"
        )
    if problem_type == "binary" and len(classes) != 2:
        raise DataError(
            f"problem-type is binary but target {name!r} has {len(classes)} classes"
        )
    kind = "binary" if len(classes) == 2 else "multiclass"
    return Target(name, kind, classes)


def _infer(values: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return "classification"
    numbers = values.to_numpy(dtype=float)
    if not np.all(np.mod(numbers, 1) == 0):
        return "regression"
    if len(np.unique(numbers)) > _MAX_CLASSES_FOR_INTEGERS:
        return "regression"
    return "classification"


def _sorted_classes(values: pd.Series) -> tuple[Any, ...]:
    if pd.api.types.is_numeric_dtype(values):
        return tuple(_plain(v) for v in np.unique(values.to_numpy()))
    return tuple(sorted({_plain(v) for v in values}, key=str))


def _plain(value: Any) -> Any:
    """numpy scalars as Python values, so classes are JSON-ready and hashable."""
    return value.item() if isinstance(value, np.generic) else value
