"""Values that mean missing: infinities and placeholder text, in every channel."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from sklearn.datasets import load_diabetes

from smtrain.ml.missing import clean_missing

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
