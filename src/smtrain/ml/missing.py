"""Values that stand for missing ones in a channel's table.

A table is cleaned once, right after reading and before the target or any column
kind is looked at, so the target and the features of every channel follow the
same rules: a missing target drops its row, a missing feature is imputed.

- An infinity (``inf``, ``-inf``, or a number too large for a float) in a numeric
  column is missing: no model can learn from it, and scikit-learn refuses it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def clean_missing(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with those values as NaN, and one note per column changed."""
    cleaned = frame.copy()
    notes: list[str] = []
    for name in cleaned.columns:
        column = cleaned[name]
        if not _is_number_column(column):
            continue
        infinite = column.isin([np.inf, -np.inf])
        if infinite.any():
            cleaned[name] = column.mask(infinite)
            notes.append(
                f"column {name!r}: {int(infinite.sum())} infinite values read "
                "as missing"
            )
    return cleaned, notes


def _is_number_column(column: pd.Series) -> bool:
    return pd.api.types.is_float_dtype(column)
