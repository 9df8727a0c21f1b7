"""A shorter route through the fitted pipelines smtrain trains, for serving.

For one row, scikit-learn spends nearly all its time on per-call work rather
than arithmetic: the ColumnTransformer splits a DataFrame per branch and every
step validates its input again, and a forest validates the matrix and hands each
tree to joblib. ``compile_pipeline`` reads what the fitted steps learned (imputer
fill values, scaler means and scales, the one-hot encoder's output for every
category) once, at load, and applies it with numpy per request. Forests run
their trees in the loop scikit-learn's own single-threaded path runs, minus the
checks; any other estimator gets the matrix through its own method.

Only the steps ``build_preprocessor`` uses are compiled (imputers, scalers,
one-hot encoders, boolean parsing; date parts are not). The result is kept only
when it reproduces the pipeline's output bit for bit on probe rows holding every
category, missing, unseen and assorted numeric values; otherwise
``compile_pipeline`` returns None and requests go through the pipeline.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from smtrain.ml.feature_frame import as_frame, feature_columns
from smtrain.ml.payload import RawTable
from smtrain.ml.transformers import Booleans, boolean_value

Columns = dict[str, Any]
_FORESTS = (
    RandomForestClassifier,
    RandomForestRegressor,
    ExtraTreesClassifier,
    ExtraTreesRegressor,
)
# Raw request values that probe each kind of column, as a CSV body would send them.
_NUMBER_PROBES = ("", "0", "-1.5", "2.75", "1000000", "-0.001", "33.3")
_BOOLEAN_PROBES = ("true", "false", "", "yes", "0", "maybe")
_UNSEEN = "\x00smtrain-unseen-category"


@dataclass(frozen=True)
class _Elementwise:
    """Numeric or boolean columns: parsed, imputed, maybe scaled; one output each."""

    names: tuple[str, ...]
    parse: Callable[[Any], float] | None
    fill: np.ndarray[Any, Any]
    mean: np.ndarray[Any, Any] | None
    scale: np.ndarray[Any, Any] | None

    def transform(self, columns: Columns) -> np.ndarray[Any, Any]:
        parse = self.parse
        values = [
            [parse(v) for v in columns[name]] if parse else columns[name]
            for name in self.names
        ]
        matrix: np.ndarray[Any, Any] = np.array(values, dtype=np.float64).T.copy()
        # The same operations, in the same order, as SimpleImputer then
        # StandardScaler, so the floats come out identical.
        missing = np.isnan(matrix)
        if missing.any():
            matrix[missing] = np.broadcast_to(self.fill, matrix.shape)[missing]
        if self.mean is not None:
            matrix -= self.mean
        if self.scale is not None:
            matrix /= self.scale
        return matrix


@dataclass(frozen=True)
class _OneHot:
    """Text columns imputed then one-hot encoded, by looking each value up.

    Each column's output block depends on that column's value alone, so the
    branch's output is its output for a base row plus, per column, the change
    that column's value makes; every entry is 0 or 1, so the sum is exact.
    """

    names: tuple[str, ...]
    base: np.ndarray[Any, Any]
    codes: tuple[dict[str, int], ...]
    changes: tuple[np.ndarray[Any, Any], ...]

    def transform(self, columns: Columns) -> np.ndarray[Any, Any]:
        rows = len(columns[self.names[0]])
        matrix = np.tile(self.base, (rows, 1))
        for name, codes, changes in zip(
            self.names, self.codes, self.changes, strict=True
        ):
            # The last two rows of ``changes`` are for a missing and an unseen value.
            missing, unseen = len(changes) - 2, len(changes) - 1
            picked = [
                codes.get(v, unseen) if isinstance(v, str) else missing
                for v in columns[name]
            ]
            matrix += changes[picked]
        return matrix


_Branch = _Elementwise | _OneHot


@dataclass(frozen=True)
class FastPath:
    """A fitted pipeline's preprocessing and model, applied without its checks."""

    branches: tuple[_Branch, ...]
    estimator: Any

    def transform(self, columns: Columns) -> np.ndarray[Any, Any]:
        """What the pipeline's ColumnTransformer would output for these columns."""
        return np.hstack([branch.transform(columns) for branch in self.branches])

    def predict_proba(self, columns: Columns) -> np.ndarray[Any, Any]:
        """Class probabilities, as the pipeline's ``predict_proba`` gives them."""
        matrix = self.transform(columns)
        if not isinstance(self.estimator, _FORESTS):
            return np.asarray(self.estimator.predict_proba(matrix))
        return self._forest_mean("predict_proba", matrix)

    def predict(self, columns: Columns) -> np.ndarray[Any, Any]:
        """Regression values, as the pipeline's ``predict`` gives them."""
        matrix = self.transform(columns)
        if not isinstance(self.estimator, _FORESTS):
            return np.asarray(self.estimator.predict(matrix), dtype=float)
        return self._forest_mean("predict", matrix)

    def _forest_mean(
        self, method: str, matrix: np.ndarray[Any, Any]
    ) -> np.ndarray[Any, Any]:
        # As scikit-learn's forests do with n_jobs=1: float32 input, each tree's
        # output added in tree order into float64 zeros, then divided once. A
        # tree's own predict or predict_proba reads its ``tree_`` the same way
        # but first checks it is fitted, at a cost of 100 trees' worth of checks.
        forest = self.estimator
        inputs = np.ascontiguousarray(matrix, dtype=np.float32)
        if method == "predict_proba":
            total = np.zeros((len(inputs), forest.n_classes_), dtype=np.float64)
            for tree in forest.estimators_:
                total += tree.tree_.predict(inputs)[:, : tree.n_classes_]
        else:
            total = np.zeros(len(inputs), dtype=np.float64)
            for tree in forest.estimators_:
                total += tree.tree_.predict(inputs)[:, 0]
        total /= len(forest.estimators_)
        return total


def compile_pipeline(pipeline: Any, metadata: dict[str, Any]) -> FastPath | None:
    """The pipeline's fast path, or None when it cannot be compiled exactly."""
    if not (isinstance(pipeline, Pipeline) and len(pipeline.steps) == 2):
        return None
    preprocessor, estimator = pipeline.steps[0][1], pipeline.steps[1][1]
    if not isinstance(preprocessor, ColumnTransformer):
        return None
    if isinstance(estimator, _FORESTS) and estimator.n_outputs_ != 1:
        return None
    branches = _compile_branches(preprocessor)
    if branches is None:
        return None
    fast = FastPath(tuple(branches), estimator)
    return fast if _reproduces(fast, pipeline, metadata) else None


def probe_columns(metadata: dict[str, Any]) -> Columns:
    """Rows of values, typed as requests are, that exercise every column's steps."""
    names = list(metadata["feature_names"])
    probes: dict[str, list[str]] = {}
    for feature in metadata["features"]:
        kind, categories = feature["kind"], feature.get("categories") or []
        if kind == "numeric":
            probes[feature["name"]] = list(_NUMBER_PROBES)
        elif kind == "boolean":
            probes[feature["name"]] = list(_BOOLEAN_PROBES)
        elif kind == "categorical":
            probes[feature["name"]] = [str(c) for c in categories] + ["", _UNSEEN]
    rows = max((len(values) for values in probes.values()), default=1)
    cycled = {
        n: list(itertools.islice(itertools.cycle(v), rows)) for n, v in probes.items()
    }
    table = [[cycled.get(name, [""] * rows)[i] for name in names] for i in range(rows)]
    return feature_columns(RawTable(names, table), metadata)


def _compile_branches(preprocessor: ColumnTransformer) -> list[_Branch] | None:
    if getattr(preprocessor, "sparse_output_", False):
        return None
    branches: list[_Branch] = []
    for _, transformer, columns in preprocessor.transformers_:
        if isinstance(transformer, str) and transformer == "drop":
            continue
        if not isinstance(transformer, Pipeline) or not _names(columns):
            return None
        steps = [step for _, step in transformer.steps]
        branch = _elementwise(steps, columns) or _one_hot(transformer, columns)
        if branch is None:
            return None
        branches.append(branch)
    return branches


def _names(columns: Any) -> bool:
    return (
        isinstance(columns, list)
        and len(columns) > 0
        and all(isinstance(c, str) for c in columns)
    )


def _elementwise(steps: list[Any], columns: list[str]) -> _Elementwise | None:
    parse = None
    if steps and isinstance(steps[0], Booleans):
        parse, steps = boolean_value, steps[1:]
    if not steps or len(steps) > 2 or not _plain_imputer(steps[0]):
        return None
    scaler = steps[1] if len(steps) == 2 else None
    if scaler is not None and not isinstance(scaler, StandardScaler):
        return None
    fill = np.asarray(steps[0].statistics_)
    if fill.dtype.kind != "f" or np.isnan(fill).any():
        return None
    mean = scaler.mean_ if scaler is not None and scaler.with_mean else None
    scale = scaler.scale_ if scaler is not None and scaler.with_std else None
    return _Elementwise(tuple(columns), parse, fill, mean, scale)


def _plain_imputer(step: Any) -> bool:
    return (
        isinstance(step, SimpleImputer)
        and not step.add_indicator
        and isinstance(step.missing_values, float)
        and np.isnan(step.missing_values)
    )


def _one_hot(branch: Pipeline, columns: list[str]) -> _OneHot | None:
    steps = [step for _, step in branch.steps]
    if len(steps) != 2 or not _plain_imputer(steps[0]):
        return None
    encoder = steps[1]
    if not isinstance(encoder, OneHotEncoder) or encoder.sparse_output:
        return None
    categories = [list(values) for values in encoder.categories_]
    if not all(isinstance(c, str) for c in itertools.chain(*categories)):
        return None
    # Row 0 is the base row; then, per column, one row per category, a missing
    # value and an unseen one, the other columns keeping the base row's values.
    base = {name: values[0] for name, values in zip(columns, categories, strict=True)}
    rows = [dict(base)]
    for name, values in zip(columns, categories, strict=True):
        rows += [{**base, name: value} for value in [*values, None, _UNSEEN]]
    outputs = np.asarray(branch.transform(pd.DataFrame(rows, columns=columns)))
    changes, start = [], 1
    for values in categories:
        stop = start + len(values) + 2
        changes.append(outputs[start:stop] - outputs[0])
        start = stop
    codes = tuple({value: i for i, value in enumerate(values)} for values in categories)
    return _OneHot(tuple(columns), outputs[0].copy(), codes, tuple(changes))


def _reproduces(fast: FastPath, pipeline: Pipeline, metadata: dict[str, Any]) -> bool:
    probes = probe_columns(metadata)
    # pandas types a column by what it holds, so a lone row, with every value
    # missing, is checked on its own too.
    names = list(metadata["feature_names"])
    empty = feature_columns(RawTable(names, [[""] * len(names)]), metadata)
    return _same(fast, pipeline, probes, metadata) and _same(
        fast, pipeline, empty, metadata
    )


def _same(
    fast: FastPath, pipeline: Pipeline, probes: Columns, metadata: dict[str, Any]
) -> bool:
    frame = as_frame(probes)
    expected = np.asarray(pipeline.steps[0][1].transform(frame))
    got = fast.transform(probes)
    if got.shape != expected.shape or not np.array_equal(got, expected):
        return False
    if metadata["target"]["classes"] is None:
        return bool(np.array_equal(fast.predict(probes), pipeline.predict(frame)))
    return bool(
        np.array_equal(fast.predict_proba(probes), pipeline.predict_proba(frame))
    )
