"""A parsed payload matched to a model's input columns, values typed per feature.

Columns are matched by name (or by position when the client sent none); only the
columns the model uses must be present, extra ones are ignored. Empty values
become missing, which the model's imputers fill; unseen categories pass through
to the encoder, which ignores them. A value that cannot be a number in a numeric
column is refused, naming the column and row, rather than silently imputed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from smtrain.ml.inference_errors import RequestError
from smtrain.ml.missing import MISSING_MARKERS
from smtrain.ml.payload import RawTable

_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


def feature_columns(table: RawTable, metadata: dict[str, Any]) -> dict[str, Any]:
    """Every input column's values by name, in training order, typed per feature.

    Numeric columns are float arrays, boolean ones True/False (or the value as
    sent), categorical ones object arrays of stripped text, NaN where missing.
    """
    feature_names: list[str] = list(metadata["feature_names"])
    if table.may_have_header:
        table = _split_header(table, feature_names)
    if not table.rows:
        raise RequestError("the payload has no rows, only a header")
    columns = _column_names(table, feature_names)
    _check_required(columns, metadata["features"])
    position = {name: index for index, name in enumerate(columns)}
    used = {feature["name"]: feature for feature in metadata["features"]}
    # Plain Python per value: for the one-row requests that dominate endpoint
    # traffic, pandas' per-column machinery costs more than the values do.
    return {
        name: _typed(_column(table.rows, position.get(name)), used.get(name), name)
        for name in feature_names
    }


def _column(rows: list[list[Any]], index: int | None) -> list[Any]:
    if index is None:
        return [None] * len(rows)
    return [None if _is_blank(row[index]) else row[index] for row in rows]


def _split_header(table: RawTable, feature_names: Sequence[str]) -> RawTable:
    """A CSV table with its header row, if it has one, moved to ``columns``."""
    first = table.rows[0] if table.rows else []
    # Any model column name in the first row makes it a header: a data row
    # holding a value spelled like a column name is far less likely than a
    # header that lacks some columns (which then gets a "missing" error).
    if not any(field.strip() in feature_names for field in first):
        return table
    return RawTable([field.strip() for field in first], table.rows[1:])


def _column_names(table: RawTable, feature_names: Sequence[str]) -> list[str]:
    if table.columns is None:
        expected = f"expected {len(feature_names)} in this order: "
        _check_widths(
            table.rows, len(feature_names), expected + ", ".join(feature_names)
        )
        return list(feature_names)
    duplicated = sorted({c for c in table.columns if table.columns.count(c) > 1})
    if duplicated:
        raise RequestError("duplicate column names: " + ", ".join(duplicated))
    _check_widths(
        table.rows, len(table.columns), f"the header names {len(table.columns)}"
    )
    return table.columns


def _check_required(columns: list[str], features: list[dict[str, Any]]) -> None:
    present = set(columns)
    missing = [f["name"] for f in features if f["name"] not in present]
    if missing:
        raise RequestError(
            "missing columns: "
            + ", ".join(missing)
            + "; send them (empty values are allowed) or omit every column name"
            " to send values in the model's column order"
        )


def _check_widths(rows: list[list[Any]], width: int, expectation: str) -> None:
    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            raise RequestError(f"row {number} has {len(row)} values; {expectation}")


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _typed(values: list[Any], feature: dict[str, Any] | None, name: str) -> Any:
    kind = feature["kind"] if feature else None
    if kind == "numeric":
        return np.array([_number(v, name, row) for row, v in enumerate(values, 1)])
    if kind == "boolean":
        return [_boolean(value) for value in values]
    if kind == "categorical" and all(
        isinstance(c, str) for c in (feature or {}).get("categories") or []
    ):
        # A category sent as a JSON number still matches its text spelling. A
        # missing one is NaN in an object array: the imputer fills NaN whatever
        # else the column holds, but takes None in an all-None column for a
        # category, which is what a single row without one would give.
        return np.array(
            [math.nan if v is None else str(v).strip() for v in values], dtype=object
        )
    return values


def _number(value: Any, name: str, row: int) -> float:
    if value is None:
        return math.nan
    # The placeholders training reads as missing numbers are missing here too.
    if isinstance(value, str) and value.strip().lower() in MISSING_MARKERS:
        return math.nan
    # Booleans are numbers to Python; a numeric feature should not take them.
    if isinstance(value, bool):
        raise _not_a_number(name, row, value)
    try:
        number = float(value)
    except OverflowError:
        # A JSON integer too large for a float: infinite, as training reads it.
        number = math.inf
    except ValueError:
        raise _not_a_number(name, row, value) from None
    # Training reads infinities (1e999 included) as missing values; so does this.
    return number if math.isfinite(number) else math.nan


def _not_a_number(name: str, row: int, value: Any) -> RequestError:
    return RequestError(
        f"column {name!r} takes numbers; row {row} has {_preview(value)}"
    )


def _boolean(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return value


def _preview(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def as_frame(columns: dict[str, Any]) -> pd.DataFrame:
    """``feature_columns``' output as the frame the model pipeline takes."""
    frame: pd.DataFrame = pd.DataFrame(columns, columns=list(columns))
    return frame
