"""The inference handler: the four functions SageMaker's framework containers call.

Name this module as the inference script of the SageMaker scikit-learn
container (or any container built on the SageMaker inference toolkit) and it
serves a model folder written by ``smtrain.ml``; ``smtrain serve`` calls the same
functions. The toolkit calls, in order::

    model = model_fn(model_dir)
    data = input_fn(request_body, request_content_type)
    prediction = predict_fn(data, model)
    body, content_type = output_fn(prediction, accept)

Client mistakes raise ``RequestError`` subclasses carrying a 400, 406, 413 or
415 status (see ``inference_errors``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import sklearn

from smtrain.ml.artifact import LoadedModel, load_model
from smtrain.ml.fast_path import compile_pipeline
from smtrain.ml.feature_frame import as_frame, feature_columns
from smtrain.ml.payload import RawTable, parse_payload
from smtrain.ml.responses import Prediction, choose_format, encode

__all__ = ["input_fn", "model_fn", "output_fn", "predict_fn"]


def model_fn(model_dir: str) -> LoadedModel:
    """Load the model folder, checked against its sha256 and trusted types.

    Also compiles the pipeline's fast path for serving, kept only if it gives
    the pipeline's own outputs exactly (see ``fast_path``).
    """
    model = load_model(Path(model_dir))
    _one_thread_per_request(model.pipeline)
    fast_path = compile_pipeline(model.pipeline, model.metadata)
    return dataclasses.replace(model, fast_path=fast_path)


def input_fn(request_body: bytes | str, request_content_type: str | None) -> RawTable:
    """Parse a CSV, JSON or JSON lines body; a bad one raises ``RequestError``."""
    return parse_payload(request_body, request_content_type)


def predict_fn(input_data: RawTable, model: LoadedModel) -> Prediction:
    """Match the rows to the model's columns and predict them."""
    columns = feature_columns(input_data, model.metadata)
    fast = model.fast_path
    # feature_columns has refused infinities and imputers take NaN, so
    # scikit-learn's per-step finiteness scans are skipped.
    with sklearn.config_context(assume_finite=True):
        if model.classes is None:
            values = fast.predict(columns) if fast else model.predict(as_frame(columns))
            return Prediction(None, np.asarray(values, dtype=float))
        # Labels come from the probabilities (their argmax, as the classifiers'
        # own predict does), so each request runs the model once.
        probabilities = (
            fast.predict_proba(columns)
            if fast
            else model.predict_proba(as_frame(columns))
        )
    return Prediction(model.classes, np.asarray(probabilities, dtype=float))


def output_fn(prediction: Prediction, accept: str | None) -> tuple[str, str]:
    """The body and its content type; ``*/*`` or no Accept answers JSON."""
    media = choose_format(accept)
    return encode(prediction, media), media


def _one_thread_per_request(pipeline: Any) -> None:
    # A server runs one request per worker process; starting a thread pool for
    # each small request costs more than it saves, and workers already use
    # every core.
    params = pipeline.get_params()
    threaded = {name: 1 for name in params if name.endswith("n_jobs")}
    if threaded:
        pipeline.set_params(**threaded)
