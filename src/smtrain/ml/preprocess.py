"""Preprocessing: which columns the model uses, and the pipeline that prepares them.

Columns are sorted into kinds once, on the training data. Empty, constant and
identifier-like columns are dropped and reported. The resulting scikit-learn
``ColumnTransformer`` is fitted inside the model pipeline, so validation, test and
inference data go through exactly what training fitted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from smtrain.ml.errors import HyperparameterError
from smtrain.ml.transformers import Booleans, DateParts

# Text columns with more distinct values than this share of rows identify rows.
_ID_SHARE = 0.5
# Unique whole numbers spanning at most this many times the row count are ids.
_ID_SPAN = 2
# Below this many rows, uniqueness says nothing about a column.
_MIN_ROWS_FOR_ID = 20
_MAX_CATEGORIES = 30
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class ColumnPlan:
    """Feature columns by kind, in input order, and the dropped ones with reasons."""

    names: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    dropped: list[dict[str, str]] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[str]:
        return [name for name in self.names if self.kinds[name] in kinds]


def plan_columns(features: pd.DataFrame, drop_columns: tuple[str, ...]) -> ColumnPlan:
    """Sort every column into numeric, categorical, boolean or datetime, or drop it."""
    plan = ColumnPlan()
    for name in features.columns:
        column = features[name]
        reason = (
            "listed in drop-columns" if name in drop_columns else _drop_reason(column)
        )
        if reason:
            plan.dropped.append({"name": str(name), "reason": reason})
            continue
        plan.names.append(str(name))
        plan.kinds[str(name)] = _kind(column)
    return plan


def check_drop_columns(
    drop_columns: tuple[str, ...], features: pd.DataFrame, target: str
) -> None:
    """Refuse names in ``drop-columns`` that are not feature columns.

    A misspelt name would otherwise leave the column in the model, unnoticed.
    """
    if target in drop_columns:
        raise HyperparameterError(
            f"hyperparameter 'drop-columns' names the target {target!r}; the "
            "target is never a feature, so remove it from drop-columns"
        )
    unknown = [name for name in drop_columns if name not in features.columns]
    if unknown:
        raise HyperparameterError(
            "hyperparameter 'drop-columns' names columns that are not in the "
            f"training data: {', '.join(unknown)}; columns: "
            + ", ".join(map(str, features.columns))
        )


def build_preprocessor(plan: ColumnPlan, scale: bool) -> ColumnTransformer:
    """The ColumnTransformer for ``plan``; ``scale`` standardises numeric parts."""
    numeric_steps: list[tuple[str, Any]] = [
        ("impute", SimpleImputer(strategy="median", keep_empty_features=True))
    ]
    if scale:
        numeric_steps.append(("scale", StandardScaler()))
    categorical = Pipeline(
        [
            (
                "impute",
                SimpleImputer(strategy="most_frequent", keep_empty_features=True),
            ),
            (
                "encode",
                OneHotEncoder(
                    handle_unknown="infrequent_if_exist",
                    max_categories=_MAX_CATEGORIES,
                    sparse_output=False,
                ),
            ),
        ]
    )
    dates = Pipeline([("parts", DateParts()), *numeric_steps])
    booleans = Pipeline(
        [
            ("parse", Booleans()),
            (
                "impute",
                SimpleImputer(strategy="most_frequent", keep_empty_features=True),
            ),
        ]
    )
    branches = [
        ("numeric", Pipeline(numeric_steps), plan.of_kind("numeric")),
        ("categorical", categorical, plan.of_kind("categorical")),
        ("boolean", booleans, plan.of_kind("boolean")),
        ("datetime", dates, plan.of_kind("datetime")),
    ]
    return ColumnTransformer(
        [branch for branch in branches if branch[2]], remainder="drop"
    )


def describe_features(
    plan: ColumnPlan, fitted: ColumnTransformer, frame: pd.DataFrame
) -> list[dict[str, Any]]:
    """Each used feature's name, kind, input dtype and, if categorical, categories."""
    categories: dict[str, list[Any]] = {
        name: [False, True] for name in plan.of_kind("boolean")
    }
    if "categorical" in fitted.named_transformers_:
        encoder = fitted.named_transformers_["categorical"].named_steps["encode"]
        columns = plan.of_kind("categorical")
        categories |= {
            name: [_plain(v) for v in values]
            for name, values in zip(columns, encoder.categories_, strict=True)
        }
    return [
        {
            "name": name,
            "kind": plan.kinds[name],
            "dtype": str(frame[name].dtype),
            "categories": categories.get(name),
        }
        for name in plan.names
    ]


def _drop_reason(column: pd.Series) -> str | None:
    present = column.dropna()
    if present.empty:
        return "every value is missing"
    if column.nunique(dropna=False) <= 1:
        return "constant: a single value in every row"
    rows = len(column)
    if rows < _MIN_ROWS_FOR_ID:
        return None
    row_number = _row_number(present)
    if row_number:
        return f"identifier-like: a unique whole number per row ({row_number})"
    is_text = (
        not pd.api.types.is_numeric_dtype(column) and _kind(column) == "categorical"
    )
    if is_text and present.nunique() > _ID_SHARE * rows:
        return f"identifier-like: {present.nunique()} distinct values in {rows} rows"
    return None


def _row_number(values: pd.Series) -> str | None:
    """How a column of unique whole numbers gives itself away as a row number.

    Neither test needs consecutive values, so an id column still counts after
    rows were dropped (a missing target) or the file holds a sample of rows.
    Measured values are rarely unique whole numbers filling their range, and an
    id that follows file order leaks whatever order the file has (often by class).
    """
    if not _is_whole_numbers(values) or not values.is_unique:
        return None
    if values.max() - values.min() + 1 <= _ID_SPAN * len(values):
        return f"{values.min():g} to {values.max():g}"
    if values.is_monotonic_increasing or values.is_monotonic_decreasing:
        return "ordered as the file's rows are"
    return None


def _is_whole_numbers(values: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(values):
        return False
    if pd.api.types.is_integer_dtype(values):
        return True
    if not pd.api.types.is_float_dtype(values):
        return False
    return bool((values % 1 == 0).all())


def _kind(column: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(column):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(column):
        return "datetime"
    if pd.api.types.is_numeric_dtype(column):
        return "numeric"
    present = column.dropna()
    if present.map(lambda v: isinstance(v, bool)).all():
        return "boolean"
    if present.astype(str).str.match(_ISO_DATE).mean() >= 0.9:
        return "datetime"
    return "categorical"


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
