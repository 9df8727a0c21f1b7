"""The WSGI app called directly: body limits, and a model fault as the only 500."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest

from smtrain.ml.artifact import LoadedModel
from smtrain.ml.inference_errors import PayloadTooLargeError, RequestError
from smtrain.ml.wsgi import InferenceApp, read_body

from .invoke import ADELIE


class UnreadableStream:
    """A request body that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")


class BrokenPipeline:
    """Fails the way estimators do: quoting the offending input value."""

    def predict_proba(self, frame: Any) -> Any:
        raise RuntimeError(f"cannot use {frame.iloc[0, 0]!r}")


def _call(app: InferenceApp, environ: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    started: list[str] = []
    body = b"".join(app(environ, lambda status, headers: started.append(status)))
    return started[0], json.loads(body)


def test_a_declared_length_over_the_limit_is_refused_unread() -> None:
    environ = {"wsgi.input": UnreadableStream(), "CONTENT_LENGTH": "2048"}

    with pytest.raises(PayloadTooLargeError):
        read_body(environ, limit=1024)


def test_a_body_without_length_is_read_one_byte_past_the_limit() -> None:
    stream = io.BytesIO(b"x" * 5000)

    with pytest.raises(PayloadTooLargeError):
        read_body({"wsgi.input": stream}, limit=1024)
    assert stream.tell() == 1025


@pytest.mark.parametrize("declared", ["-1", "ten"])
def test_a_content_length_that_is_not_a_byte_count_is_400(declared: str) -> None:
    environ = {"wsgi.input": UnreadableStream(), "CONTENT_LENGTH": declared}

    with pytest.raises(RequestError, match="not a byte count"):
        read_body(environ, limit=1024)


def test_a_model_fault_is_the_only_500_and_is_logged_without_the_payload(
    penguins: LoadedModel, caplog: pytest.LogCaptureFixture
) -> None:
    broken = LoadedModel(pipeline=BrokenPipeline(), metadata=penguins.metadata)
    body = ADELIE.encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/invocations",
        "CONTENT_TYPE": "text/csv",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }

    with caplog.at_level(logging.ERROR, logger="smtrain.serve"):
        status, answer = _call(InferenceApp(broken), environ)

    assert status == "500 Internal Server Error"
    assert "see the server log" in answer["error"]
    assert "prediction failed with RuntimeError" in caplog.text
    assert "predict_proba" in caplog.text  # the frames locate the fault
    assert "Torgersen" not in caplog.text
