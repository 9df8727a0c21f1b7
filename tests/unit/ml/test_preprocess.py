"""Column planning and the preprocessing pipeline."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from smtrain.ml.preprocess import build_preprocessor, describe_features, plan_columns


def _frame(rows: int = 40) -> pd.DataFrame:
    index = np.arange(rows)
    return pd.DataFrame(
        {
            "row_id": index + 1000,
            "customer": [f"c-{i}" for i in index],
            "same": ["x"] * rows,
            "nothing": [np.nan] * rows,
            "size": np.where(index % 2 == 0, np.nan, index * 1.5),
            "colour": np.where(index % 3 == 0, "red", "blue"),
            "member": index % 2 == 0,
            "joined": [f"2024-01-{1 + i % 28:02d}" for i in index],
        }
    )


def test_plan_drops_and_reports_useless_columns() -> None:
    plan = plan_columns(_frame(), drop_columns=("colour",))

    reasons = {item["name"]: item["reason"] for item in plan.dropped}
    assert reasons["row_id"].startswith("identifier-like")
    assert reasons["customer"].startswith("identifier-like")
    assert reasons["same"].startswith("constant")
    assert reasons["nothing"] == "every value is missing"
    assert reasons["colour"] == "listed in drop-columns"
    assert plan.kinds == {"size": "numeric", "member": "boolean", "joined": "datetime"}


def test_small_tables_keep_unique_columns() -> None:
    plan = plan_columns(_frame(rows=8), drop_columns=())

    assert "row_id" in plan.names
    assert "customer" in plan.names


def test_pipeline_imputes_encodes_and_splits_dates() -> None:
    frame = _frame()
    plan = plan_columns(frame, drop_columns=())
    fitted = build_preprocessor(plan, scale=True).fit(frame)

    unseen = frame.head(2).assign(colour=["purple", None], joined=["bad", None])
    transformed = fitted.transform(unseen)

    assert not np.isnan(transformed).any()
    names = list(fitted.get_feature_names_out())
    assert "datetime__joined_month" in names
    features = {f["name"]: f for f in describe_features(plan, fitted, frame)}
    assert features["colour"]["categories"] == ["blue", "red"]
    assert features["member"]["categories"] == [False, True]
    assert features["size"]["categories"] is None


def test_scaling_only_when_asked() -> None:
    frame = _frame()
    plan = plan_columns(frame, drop_columns=())

    scaled = build_preprocessor(plan, scale=True).fit_transform(frame)
    unscaled = build_preprocessor(plan, scale=False).fit_transform(frame)

    assert abs(scaled[:, 0].mean()) < 1e-9
    assert unscaled[:, 0].max() > 10


def _with(values: Any, rows: int = 40) -> pd.DataFrame:
    index = np.arange(rows)
    return pd.DataFrame({"candidate": values, "size": index * 1.5 % 7})


_SHUFFLED = np.random.default_rng(0).permutation(40)


@pytest.mark.parametrize(
    "ids",
    [
        # Row numbers after rows with a missing target were dropped.
        np.delete(np.arange(1, 44), [3, 17, 30]),
        # A shuffled sample of row numbers, as a train/test split leaves them.
        _SHUFFLED * 2 + 100,
        # Whole numbers read as floats because one id is missing.
        np.where(np.arange(40) == 5, np.nan, np.arange(40.0)),
        # Sparse, but increasing with the file's rows.
        np.arange(40) * 10 + 1000,
        np.arange(40)[::-1] * 7,
    ],
)
def test_identifier_columns_are_dropped_with_gaps_and_shuffles(ids: Any) -> None:
    plan = plan_columns(_with(ids), drop_columns=())

    assert [item["name"] for item in plan.dropped] == ["candidate"]
    assert plan.dropped[0]["reason"].startswith("identifier-like: a unique whole")


@pytest.mark.parametrize(
    "values",
    [
        # Unique measurements, not whole numbers.
        np.random.default_rng(1).normal(size=40),
        # Unique whole numbers spread thinly over their range, in no order.
        np.random.default_rng(2).choice(100_000, size=40, replace=False),
        # Whole numbers that repeat.
        np.arange(40) % 25,
    ],
)
def test_numeric_features_are_not_identifiers(values: Any) -> None:
    plan = plan_columns(_with(values), drop_columns=())

    assert plan.kinds["candidate"] == "numeric"
