"""Run the handler functions in the order the SageMaker inference toolkit does."""

from __future__ import annotations

import json
from typing import Any

from smtrain.ml.artifact import LoadedModel
from smtrain.ml.inference import input_fn, output_fn, predict_fn

HEADER = "island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year"
ADELIE = "Torgersen,39.1,18.7,181,3750,male,2007"
GENTOO = "Biscoe,46.1,13.2,211,4500,female,2007"


def invoke(
    model: LoadedModel,
    body: bytes | str,
    content_type: str | None,
    accept: str | None = "application/json",
) -> tuple[str, str]:
    data = input_fn(body, content_type)
    prediction = predict_fn(data, model)
    return output_fn(prediction, accept)


def predictions(model: LoadedModel, body: bytes | str, content_type: str) -> list[Any]:
    text, media = invoke(model, body, content_type)
    assert media == "application/json"
    found: list[Any] = json.loads(text)["predictions"]
    return found


def labels(model: LoadedModel, body: bytes | str, content_type: str) -> list[str]:
    return [p["label"] for p in predictions(model, body, content_type)]
