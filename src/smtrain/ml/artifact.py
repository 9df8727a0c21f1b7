"""The model folder format shared by training and the inference server.

A model folder (``/opt/ml/model``, packed by SageMaker into ``model.tar.gz``) holds:

``model.skops``
    The fitted scikit-learn ``Pipeline`` (steps ``preprocess`` then ``model``)
    saved with skops. It takes a ``pandas.DataFrame`` whose columns are
    ``metadata["feature_names"]`` and, for classification, predicts class
    *indices* (0..n-1); ``metadata["target"]["classes"]`` maps them back.

``metadata.json``
    ``schema_version`` (int, currently 1)
    ``artifact``: ``{"file", "format": "skops", "sha256", "trusted_types"}``
    ``problem_type``: ``binary``, ``multiclass`` or ``regression``
    ``target``: ``{"name", "classes"}`` (``classes`` is null for regression)
    ``feature_names``: every input column but the target, in order; rows given
    as lists follow it (header-less CSV: ``column_2``...)
    ``features``: the columns the model uses, ``[{"name", "kind", "dtype",
    "categories"}]`` with ``kind`` one of ``numeric``, ``categorical``,
    ``boolean``, ``datetime``; only these must be present at inference
    ``dropped_columns``: ``[{"name", "reason"}]``, columns ignored by the model
    ``model``: ``{"name", "params"}``; ``metrics``: ``{"cv:accuracy": 0.97, ...}``
    ``data``: per channel ``{"rows", "columns", "dropped_rows", "files":
    [{"name", "bytes", "sha256"}]}``; ``versions``: library versions;
    ``hyperparameters``; ``training_seconds``; ``created_at`` (UTC ISO 8601);
    ``source``: ``{"commit", "run"}`` from GITHUB_SHA / GITHUB_RUN_ID, or nulls.

Loading checks the schema version and the sha256 before reading the model, and
refuses any type outside ``TRUSTED_TYPES`` (skops already trusts scikit-learn's
own types); nothing is unpickled unchecked.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import skops.io as sio

from smtrain.ml.errors import ArtifactError

SCHEMA_VERSION = 1
MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"

# Types our pipelines contain that skops does not trust by default. Any other
# type in a model file is refused on load, and refused on save so we never write
# a model that cannot be loaded again.
TRUSTED_TYPES: frozenset[str] = frozenset(
    {
        "collections.OrderedDict",
        "numpy.dtype",
        "lightgbm.basic.Booster",
        "lightgbm.sklearn.LGBMClassifier",
        "lightgbm.sklearn.LGBMRegressor",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.tree._tree.Tree",
        "smtrain.ml.transformers.Booleans",
        "smtrain.ml.transformers.DateParts",
        "xgboost.core.Booster",
        "xgboost.sklearn.XGBClassifier",
        "xgboost.sklearn.XGBRegressor",
    }
)


@dataclass(frozen=True)
class LoadedModel:
    """A model folder read back: the fitted pipeline and its metadata."""

    pipeline: Any
    metadata: dict[str, Any]
    # The serving shortcut ``model_fn`` compiles (see ``fast_path``); None means
    # predictions go through the pipeline.
    fast_path: Any = None

    @property
    def problem_type(self) -> str:
        return str(self.metadata["problem_type"])

    @property
    def feature_names(self) -> list[str]:
        return list(self.metadata["feature_names"])

    @property
    def classes(self) -> list[Any] | None:
        classes = self.metadata["target"]["classes"]
        return None if classes is None else list(classes)

    def to_frame(self, rows: Sequence[Any]) -> pd.DataFrame:
        """Rows as dicts (by name) or lists (in ``feature_names`` order) to a frame.

        Numeric features are converted from text, as CSV requests send them.
        """
        names = self.feature_names
        frame = pd.DataFrame(list(rows))
        if rows and not isinstance(rows[0], Mapping):
            if frame.shape[1] != len(names):
                raise ValueError(
                    f"each row needs {len(names)} values, in this order: "
                    + ", ".join(names)
                )
            frame.columns = pd.Index(names)
        return self.prepare(frame)

    def prepare(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The input columns in training order, numeric ones as numbers.

        Only the columns the model uses must be present; the others are ignored.
        """
        used = [feature["name"] for feature in self.metadata["features"]]
        missing = [name for name in used if name not in frame.columns]
        if missing:
            raise ValueError("missing feature columns: " + ", ".join(missing))
        prepared: pd.DataFrame = frame.reindex(columns=self.feature_names)
        for feature in self.metadata["features"]:
            name = feature["name"]
            if feature["kind"] == "numeric":
                prepared[name] = pd.to_numeric(prepared[name], errors="coerce")
        return prepared

    def predict(self, frame: pd.DataFrame) -> np.ndarray[Any, Any]:
        """Predicted values, or class labels (not indices) for classification."""
        predicted = self.pipeline.predict(self.prepare(frame))
        if self.classes is None:
            return np.asarray(predicted, dtype=float)
        labels: np.ndarray[Any, Any] = np.asarray(self.classes, dtype=object)
        chosen: np.ndarray[Any, Any] = labels[np.asarray(predicted, dtype=int)]
        return chosen

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray[Any, Any]:
        """Class probabilities, one column per entry of ``classes``."""
        if self.classes is None:
            raise ValueError("a regression model has no class probabilities")
        return np.asarray(self.pipeline.predict_proba(self.prepare(frame)))


def save_model(model_dir: Path, pipeline: Any, metadata: Mapping[str, Any]) -> Path:
    """Write ``model.skops`` and ``metadata.json`` into ``model_dir``; return it."""
    data = sio.dumps(pipeline)
    found = set(sio.get_untrusted_types(data=data))
    unknown = sorted(found - TRUSTED_TYPES)
    if unknown:
        raise ArtifactError(
            "the model contains types outside the trusted list: " + ", ".join(unknown)
        )
    model_dir.mkdir(parents=True, exist_ok=True)
    (model_dir / MODEL_FILE).write_bytes(data)
    record = {
        "schema_version": SCHEMA_VERSION,
        **metadata,
        "artifact": {
            "file": MODEL_FILE,
            "format": "skops",
            "sha256": hashlib.sha256(data).hexdigest(),
            "trusted_types": sorted(found),
        },
    }
    text = json.dumps(record, indent=2, sort_keys=True, default=_json_value)
    (model_dir / METADATA_FILE).write_text(text + "\n", encoding="utf-8")
    return model_dir


def load_model(model_dir: Path) -> LoadedModel:
    """Read a model folder, refusing a changed file or an untrusted type."""
    metadata = _read_metadata(Path(model_dir))
    artifact = metadata.get("artifact") or {}
    file_name = str(artifact.get("file", MODEL_FILE))
    if Path(file_name).name != file_name:
        # The model must sit in the folder, not anywhere the metadata points.
        raise ArtifactError(f"{METADATA_FILE} names a model file outside the folder")
    model_path = Path(model_dir) / file_name
    try:
        data = model_path.read_bytes()
    except OSError as error:
        raise ArtifactError(
            f"cannot read the model file {model_path}: {error}"
        ) from error
    if hashlib.sha256(data).hexdigest() != artifact.get("sha256"):
        raise ArtifactError(
            f"{model_path.name} does not match the sha256 in {METADATA_FILE}: "
            "the model folder was changed after training; retrain or restore it"
        )
    untrusted = set(sio.get_untrusted_types(data=data))
    refused = sorted(untrusted - TRUSTED_TYPES)
    if refused:
        raise ArtifactError(
            f"{model_path.name} contains untrusted types, refusing to load it: "
            + ", ".join(refused)
        )
    pipeline = sio.loads(data, trusted=sorted(untrusted))
    return LoadedModel(pipeline=pipeline, metadata=metadata)


def _read_metadata(model_dir: Path) -> dict[str, Any]:
    path = model_dir / METADATA_FILE
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ArtifactError(f"cannot read {path}: {error}") from error
    version = metadata.get("schema_version") if isinstance(metadata, dict) else None
    if version != SCHEMA_VERSION:
        raise ArtifactError(
            f"{path} has schema_version {version!r}; this smtrain reads "
            f"version {SCHEMA_VERSION}"
        )
    return dict(metadata)


def _json_value(value: Any) -> Any:
    """numpy scalars and arrays, which metrics and params often are, as JSON."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)
