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
