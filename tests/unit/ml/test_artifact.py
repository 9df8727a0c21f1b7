"""The model folder: round trip, checksum and trusted-types checks."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from smtrain.ml.artifact import METADATA_FILE, MODEL_FILE, load_model, save_model
from smtrain.ml.errors import ArtifactError
from smtrain.ml.models import build_pipeline
from smtrain.ml.preprocess import describe_features, plan_columns


class Unvetted(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    def fit(self, frame: Any, y: Any = None) -> Unvetted:
        return self

    def transform(self, frame: Any) -> Any:
        return frame


def _wine_model() -> tuple[Pipeline, pd.DataFrame, dict[str, Any]]:
    frame, target = load_wine(return_X_y=True, as_frame=True)
    pipeline = Pipeline(
        [("preprocess", StandardScaler()), ("model", LogisticRegression(max_iter=500))]
    ).fit(frame, target)
    names = list(frame.columns)
    metadata = {
        "problem_type": "multiclass",
        "target": {"name": "class", "classes": ["a", "b", "c"]},
        "feature_names": names,
        "features": [{"name": n, "kind": "numeric"} for n in names],
    }
    return pipeline, frame, metadata


def test_round_trip_predicts_labels_and_probabilities(tmp_path: Path) -> None:
    pipeline, frame, metadata = _wine_model()
    save_model(tmp_path, pipeline, metadata)

    loaded = load_model(tmp_path)

    assert loaded.classes == ["a", "b", "c"]
    expected = np.array(["a", "b", "c"], dtype=object)[pipeline.predict(frame)]
    assert list(loaded.predict(frame)) == list(expected)
    assert np.allclose(loaded.predict_proba(frame), pipeline.predict_proba(frame))
    stored = json.loads((tmp_path / METADATA_FILE).read_text())
    assert stored["schema_version"] == 1
    digest = hashlib.sha256((tmp_path / MODEL_FILE).read_bytes()).hexdigest()
    assert stored["artifact"]["sha256"] == digest


def test_rows_as_text_lists_become_numeric_features(tmp_path: Path) -> None:
    pipeline, frame, metadata = _wine_model()
    save_model(tmp_path, pipeline, metadata)
    loaded = load_model(tmp_path)

    rows = [[str(v) for v in row] for row in frame.head(3).to_numpy()]

    assert list(loaded.predict(loaded.to_frame(rows))) == list(
        loaded.predict(frame.head(3))
    )
    with pytest.raises(ValueError, match="needs 13 values"):
        loaded.to_frame([["1", "2"]])


def test_tampered_model_file_is_refused(tmp_path: Path) -> None:
    pipeline, _, metadata = _wine_model()
    save_model(tmp_path, pipeline, metadata)
    model_file = tmp_path / MODEL_FILE
    model_file.write_bytes(model_file.read_bytes() + b"\0")

    with pytest.raises(ArtifactError, match="does not match the sha256"):
        load_model(tmp_path)


def test_untrusted_type_is_refused_on_save_and_on_load(tmp_path: Path) -> None:
    pipeline = Pipeline([("preprocess", Unvetted()), ("model", LogisticRegression())])
    with pytest.raises(ArtifactError, match="Unvetted"):
        save_model(tmp_path, pipeline, {})

    data = sio.dumps(pipeline)
    (tmp_path / MODEL_FILE).write_bytes(data)
    artifact = {"file": MODEL_FILE, "sha256": hashlib.sha256(data).hexdigest()}
    metadata = {"schema_version": 1, "artifact": artifact}
    (tmp_path / METADATA_FILE).write_text(json.dumps(metadata))

    with pytest.raises(ArtifactError, match=r"untrusted types.*Unvetted"):
        load_model(tmp_path)


def test_missing_folder_and_other_schema_versions_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="cannot read"):
        load_model(tmp_path)
    (tmp_path / METADATA_FILE).write_text(json.dumps({"schema_version": 99}))
    with pytest.raises(ArtifactError, match="schema_version 99"):
        load_model(tmp_path)


def test_text_booleans_and_numbers_from_requests_match_typed_values(
    tmp_path: Path,
) -> None:
    rng = np.random.default_rng(0)
    member = rng.integers(0, 2, 60).astype(bool)
    frame = pd.DataFrame({"member": member, "spend": rng.normal(size=60)})
    target = (member ^ (rng.random(60) < 0.1)).astype(int)
    plan = plan_columns(frame, drop_columns=())
    pipeline = build_pipeline(plan, "linear", "binary", {}, seed=0).fit(frame, target)
    metadata = {
        "problem_type": "binary",
        "target": {"name": "y", "classes": [0, 1]},
        "feature_names": ["member", "spend"],
        "features": describe_features(plan, pipeline.named_steps["preprocess"], frame),
    }
    save_model(tmp_path, pipeline, metadata)
    loaded = load_model(tmp_path)

    as_text = loaded.to_frame([["true", "0.5"], ["no", "-1"], ["1", "2"]])
    typed = pd.DataFrame({"member": [True, False, True], "spend": [0.5, -1.0, 2.0]})

    assert np.allclose(loaded.predict_proba(as_text), loaded.predict_proba(typed))


def test_model_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    pipeline, _, metadata = _wine_model()
    save_model(tmp_path / "model", pipeline, metadata)
    stored = json.loads((tmp_path / "model" / METADATA_FILE).read_text())
    stored["artifact"]["file"] = "../elsewhere.skops"
    (tmp_path / "model" / METADATA_FILE).write_text(json.dumps(stored))

    with pytest.raises(ArtifactError, match="outside the folder"):
        load_model(tmp_path / "model")
