"""Values that stand for missing ones in a channel's table.

A table is cleaned once, right after reading and before the target or any column
kind is looked at, so the target and the features of every channel follow the
same rules: a missing target drops its row, a missing feature is imputed.

- A text column whose values are numbers except for a minority of placeholders
  (``?``, ``-``, ``n/a``... see ``MISSING_MARKERS``) is numeric, the placeholders
  missing. Otherwise one ``?`` would make the whole column categorical, one
  category per number. A column with any other text, or mostly placeholders,
  stays as it is.
- An infinity (``inf``, ``-inf``, or a number too large for a float) in a numeric
  column is missing: no model can learn from it, and scikit-learn refuses it.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

# How data files spell a missing number, compared stripped and lower-cased.
# pandas already reads empty fields, NA, N/A, null, NaN and None as missing.
MISSING_MARKERS = frozenset(
    {"", "?", "-", "--", ".", "na", "n/a", "nan", "null", "none", "missing"}
)


def clean_missing(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with those values as NaN, and one note per column changed."""
    cleaned = frame.copy()
    notes: list[str] = []
    for name in cleaned.columns:
        numbers = _numbers_with_markers(cleaned[name])
        if numbers is not None:
            cleaned[name], markers = numbers
            notes.append(f"column {name!r}: read as numbers; {markers} as missing")
        infinite = _infinities(cleaned[name])
        if infinite.any():
            cleaned[name] = cleaned[name].mask(infinite)
            count = int(infinite.sum())
            notes.append(f"column {name!r}: {count} infinite values read as missing")
    return cleaned, notes


def _numbers_with_markers(column: pd.Series) -> tuple[pd.Series, str] | None:
    """The column as floats, and its placeholders counted, if it is numeric."""
    if pd.api.types.is_numeric_dtype(column):
        return None
    if pd.api.types.is_datetime64_any_dtype(column):
        return None
    present = column.dropna()
    text = present.astype(str).str.strip()
    is_marker = text.str.lower().isin(MISSING_MARKERS)
    # Numeric text without placeholders was written as text on purpose (JSON).
    if not is_marker.any() or 2 * int(is_marker.sum()) >= len(text):
        return None
    numbers = pd.to_numeric(text[~is_marker], errors="coerce")
    if numbers.isna().any():
        return None
    converted = pd.Series(np.nan, index=column.index, dtype=float)
    converted[numbers.index] = numbers.astype(float)
    counts = Counter(present[is_marker].astype(str))
    spelled = ", ".join(f"{count} {value!r}" for value, count in counts.most_common())
    return converted, spelled


def _infinities(column: pd.Series) -> pd.Series:
    infinite: pd.Series = column.isin([np.inf, -np.inf])
    return infinite
