"""Predictions written as JSON, CSV or JSON lines, chosen from the Accept header.

Classification answers carry the label, a probability per class and the
confidence (the largest probability); regression answers carry the value. CSV
has no header so Batch Transform can join its lines to the input records:
``label,confidence,<probability per class in metadata order>`` or ``value``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from smtrain.ml.inference_errors import UnsupportedAcceptError
from smtrain.ml.payload import CONTENT_TYPES, CSV, JSON, JSON_LINES, media_type

# Wildcards a client may send, and the format each one gets.
_WILDCARDS = {"*/*": JSON, "application/*": JSON, "text/*": CSV}


@dataclass(frozen=True)
class Prediction:
    """Model output for a batch of rows.

    ``outputs`` holds one probability per class (rows x classes) when
    ``classes`` is set, else one regression value per row.
    """

    classes: list[Any] | None
    outputs: np.ndarray[Any, Any]

    def records(self) -> list[dict[str, Any]]:
        """One JSON-ready object per row."""
        if self.classes is None:
            return [{"value": value} for value in self.outputs.tolist()]
        labels = self.labels()
        confidences = self.outputs.max(axis=1).tolist()
        return [
            {
                "label": label,
                "probabilities": dict(zip(self.classes, row, strict=True)),
                "confidence": confidence,
            }
            for label, row, confidence in zip(
                labels, self.outputs.tolist(), confidences, strict=True
            )
        ]

    def labels(self) -> list[Any]:
        if self.classes is None:
            raise ValueError("a regression prediction has no labels")
        return [self.classes[i] for i in self.outputs.argmax(axis=1).tolist()]


def choose_format(accept: str | None) -> str:
    """The response media type for an Accept header; JSON when any will do."""
    if not (accept or "").strip():
        return JSON
    for offer in _ranked_media_ranges(accept or ""):
        chosen = CONTENT_TYPES.get(offer) or _WILDCARDS.get(offer)
        if chosen:
            return chosen
    raise UnsupportedAcceptError(
        f"cannot answer in {accept!r}; accept one of {JSON}, {CSV} or "
        f"{JSON_LINES} (or */*)"
    )


def _ranked_media_ranges(accept: str) -> list[str]:
    ranked: list[tuple[float, str]] = []
    for part in accept.split(","):
        media, _, params = part.partition(";")
        quality = _quality(params)
        if media.strip() and quality > 0:
            ranked.append((quality, media_type(media)))
    # sorted() is stable, so equal qualities keep the client's order.
    return [media for _, media in sorted(ranked, key=lambda item: -item[0])]


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 1.0
    return 1.0


def encode(prediction: Prediction, media: str) -> str:
    """The response body for ``media``, one of the types ``choose_format`` returns."""
    if media == CSV:
        return _csv(prediction)
    if media == JSON_LINES:
        return "".join(json.dumps(r) + "\n" for r in prediction.records())
    return json.dumps({"predictions": prediction.records()})


def _csv(prediction: Prediction) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if prediction.classes is None:
        writer.writerows([value] for value in prediction.outputs.tolist())
        return buffer.getvalue()
    confidences = prediction.outputs.max(axis=1).tolist()
    for label, confidence, row in zip(
        prediction.labels(), confidences, prediction.outputs.tolist(), strict=True
    ):
        writer.writerow([label, confidence, *row])
    return buffer.getvalue()
