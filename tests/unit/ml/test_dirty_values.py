"""Values that mean missing: infinities and placeholder text, in every channel."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_diabetes, load_iris

from smtrain.ml.artifact import load_model
from smtrain.ml.feature_frame import as_frame, feature_columns
from smtrain.ml.missing import clean_missing
from smtrain.ml.payload import RawTable

from .job_root import JobRoot

FAST = ("--folds", "2", "--plots", "false")


def _diabetes() -> pd.DataFrame:
    features, target = load_diabetes(return_X_y=True, as_frame=True)
    return features.assign(progression=target).head(120)


def test_infinities_in_features_and_target_are_missing_values() -> None:
    frame = _diabetes()
    frame.loc[[1, 4, 7], "bmi"] = [np.inf, -np.inf, np.inf]
    frame.loc[9, "progression"] = -np.inf

    cleaned, notes = clean_missing(frame)

    assert int(cleaned["bmi"].isna().sum()) == 3
    assert int(cleaned["progression"].isna().sum()) == 1
    assert not np.isinf(cleaned.to_numpy()).any()
    assert notes == [
        "column 'bmi': 3 infinite values read as missing",
        "column 'progression': 1 infinite values read as missing",
    ]


def test_training_on_infinities_imputes_features_and_drops_targets(
    job_root: JobRoot,
) -> None:
    frame = _diabetes()
    frame.loc[[2, 3], "bmi"] = np.inf
    frame.loc[5, "s1"] = -np.inf
    frame.loc[[6, 8], "progression"] = np.inf
    # ``inf`` as CSV writes it; 1e400 overflows a float, which pandas reads as inf.
    frame.to_csv(job_root.channel() / "d.csv", index=False)
    text = (job_root.channel() / "d.csv").read_text()
    (job_root.channel() / "d.csv").write_text(text.replace("-inf", "-1e400"))
    frame.head(30).to_csv(job_root.channel("test") / "t.csv", index=False)

    outcome = job_root.train(
        "--target", "progression", "--model", "random-forest", *FAST
    )

    assert outcome.exit_code == 0, outcome.stderr
    assert "channel train: column 'bmi': 2 infinite values" in outcome.stdout
    assert "channel train: column 's1': 1 infinite values" in outcome.stdout
    assert "channel test: column 'bmi': 2 infinite values" in outcome.stdout
    assert "dropped 2 rows whose target is missing" in outcome.stdout
    metadata = json.loads((job_root.root / "model" / "metadata.json").read_text())
    assert metadata["data"]["train"]["dropped_rows"] == 2
    assert "test:r2" in metadata["metrics"]


def _iris_with_placeholders() -> pd.DataFrame:
    frame = load_iris(as_frame=True).frame
    length = frame["sepal length (cm)"].astype(object)
    length[::7] = "?"
    length[3] = " n/a "
    length[4] = "-"
    return frame.assign(**{"sepal length (cm)": length})


def test_numbers_with_a_few_placeholders_are_a_numeric_column() -> None:
    frame = _iris_with_placeholders()

    cleaned, notes = clean_missing(frame)

    column = cleaned["sepal length (cm)"]
    assert pd.api.types.is_float_dtype(column)
    assert int(column.isna().sum()) == 24
    assert column[1] == frame["sepal length (cm)"][1]
    assert notes == [
        "column 'sepal length (cm)': read as numbers; "
        "22 '?', 1 ' n/a ', 1 '-' as missing"
    ]


@pytest.mark.parametrize(
    "values",
    [
        # Text besides placeholders: a categorical column, "?" one of its values.
        ["Biscoe", "Dream", "?", "Torgersen"] * 10,
        # Mostly placeholders: too little evidence that the column is numeric.
        ["?", "?", "-", "3.5"] * 10,
        # Numbers as text without placeholders, as a JSON writer chose to send them.
        ["01", "02", "10", "11"] * 10,
    ],
)
def test_other_text_columns_are_left_as_they_are(values: list[str]) -> None:
    frame = pd.DataFrame({"code": values, "y": range(len(values))})

    cleaned, notes = clean_missing(frame)

    assert cleaned["code"].tolist() == values
    assert notes == []


def test_placeholder_column_trains_as_numeric_and_serves(job_root: JobRoot) -> None:
    _iris_with_placeholders().to_csv(job_root.channel() / "iris.csv", index=False)

    outcome = job_root.train("--target", "target", "--model", "linear", *FAST)

    assert outcome.exit_code == 0, outcome.stderr
    assert "read as numbers; 22 '?', 1 ' n/a ', 1 '-' as missing" in outcome.stdout
    model = load_model(job_root.root / "model")
    kinds = {f["name"]: f["kind"] for f in model.metadata["features"]}
    assert kinds["sepal length (cm)"] == "numeric"
    rows = RawTable(None, [["?", "3.5", "1.4", "0.2"], ["-", "3.0", "5.1", "1.8"]])
    frame = as_frame(feature_columns(rows, model.metadata))
    assert frame["sepal length (cm)"].isna().all()
