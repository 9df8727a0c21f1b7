"""Transformers of our own that the preprocessing pipeline needs.

They live in their own module because saved models name them by import path
(``smtrain.ml.transformers.DateParts``) in the artifact's trusted-types list.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

DATE_PARTS = ("year", "month", "day", "weekday")
# Text spellings of booleans, as CSV files and inference requests send them.
_BOOLEAN_TEXT = {"true": 1.0, "yes": 1.0, "1": 1.0, "false": 0.0, "no": 0.0, "0": 0.0}


class DateParts(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Turn ISO 8601 date columns into numeric year, month, day and weekday.

    Values that do not parse become NaN, so an imputer after this step fills them.
    """

    def fit(self, frame: pd.DataFrame, y: Any = None) -> DateParts:
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.n_features_in_ = frame.shape[1]
        return self

    def transform(self, frame: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.float64]]:
        parts = []
        for name in self.feature_names_in_:
            dates = pd.to_datetime(
                frame[name], format="ISO8601", errors="coerce", utc=True
            )
            parts += [
                dates.dt.year,
                dates.dt.month,
                dates.dt.day,
                dates.dt.day_of_week,
            ]
        return np.column_stack(
            [p.to_numpy(dtype=float, na_value=np.nan) for p in parts]
        )

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray[Any, Any]:
        names = [f"{n}_{part}" for n in self.feature_names_in_ for part in DATE_PARTS]
        return np.asarray(names, dtype=object)


class Booleans(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Boolean columns as 1.0/0.0; text spellings (true/no/1...) understood.

    Anything else becomes NaN, so an imputer after this step fills it.
    """

    def fit(self, frame: pd.DataFrame, y: Any = None) -> Booleans:
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.n_features_in_ = frame.shape[1]
        return self

    def transform(self, frame: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.float64]]:
        columns = [frame[name].map(boolean_value) for name in self.feature_names_in_]
        return np.column_stack([c.to_numpy(dtype=float) for c in columns])

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray[Any, Any]:
        return np.asarray(self.feature_names_in_, dtype=object)


def boolean_value(value: Any) -> float:
    """1.0, 0.0, or NaN for a value that is neither spelling of a boolean."""
    if isinstance(value, (bool, np.bool_)):
        return float(value)
    return _BOOLEAN_TEXT.get(str(value).strip().lower(), np.nan)
