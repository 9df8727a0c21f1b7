"""The SageMaker container contract as a small WSGI application.

``GET /ping`` answers 200 once the model is loaded, ``POST /invocations`` runs
the inference handler, and ``GET /execution-parameters`` tells Batch Transform
how to batch. Client mistakes get their 4xx status and a JSON ``{"error": ...}``
body naming the fix; only a fault of ours is a 500. Nothing here logs a payload,
a refusal's text or an exception's message (either may quote a value): the
access log has the status, the error log a fault's type and traceback.

Plain WSGI rather than a framework: one request per call, three routes, and
the least work between the socket and the model.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from smtrain.ml.artifact import LoadedModel
from smtrain.ml.inference import input_fn, output_fn, predict_fn
from smtrain.ml.inference_errors import PayloadTooLargeError, RequestError
from smtrain.ml.responses import choose_format

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Environ = dict[str, Any]

MEGABYTE = 1024 * 1024
# SageMaker real-time endpoints refuse bigger payloads themselves.
DEFAULT_MAX_PAYLOAD_MB = 6
_REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
}
_log = logging.getLogger("smtrain.serve")


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class InferenceApp:
    """WSGI callable serving one loaded model."""

    model: LoadedModel
    max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_MB * MEGABYTE
    # Batch Transform runs this many requests at once against the container.
    max_concurrent_transforms: int = 1

    def __call__(
        self, environ: Environ, start_response: StartResponse
    ) -> Iterable[bytes]:
        response = self._route(environ)
        headers = [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(response.body))),
            *response.headers,
        ]
        start_response(f"{response.status} {_REASONS[response.status]}", headers)
        return [response.body]

    def _route(self, environ: Environ) -> Response:
        routes: dict[str, tuple[str, Callable[[Environ], Response]]] = {
            "/ping": ("GET", self._ping),
            "/invocations": ("POST", self._invoke),
            "/execution-parameters": ("GET", self._execution_parameters),
        }
        path = environ.get("PATH_INFO", "")
        if path not in routes:
            return _error(404, f"no route {path!r}; use /ping or /invocations")
        method, handler = routes[path]
        if environ.get("REQUEST_METHOD") != method:
            return _error(405, f"{path} takes {method}", (("Allow", method),))
        return handler(environ)

    def _ping(self, environ: Environ) -> Response:
        return Response(200, b"{}", "application/json")

    def _execution_parameters(self, environ: Environ) -> Response:
        parameters = {
            "MaxConcurrentTransforms": self.max_concurrent_transforms,
            "BatchStrategy": "MULTI_RECORD",
            "MaxPayloadInMB": max(1, self.max_payload_bytes // MEGABYTE),
        }
        return Response(200, json.dumps(parameters).encode(), "application/json")

    def _invoke(self, environ: Environ) -> Response:
        try:
            # Refuse an unanswerable Accept before reading or predicting anything.
            choose_format(environ.get("HTTP_ACCEPT"))
            body = read_body(environ, self.max_payload_bytes)
            data = input_fn(body, environ.get("CONTENT_TYPE"))
            prediction = predict_fn(data, self.model)
            text, media = output_fn(prediction, environ.get("HTTP_ACCEPT"))
        except RequestError as error:
            return _error(error.status, str(error))
        except Exception as error:
            # The message may quote request values; the type and frames locate
            # the fault without them.
            frames = "".join(traceback.format_tb(error.__traceback__))
            _log.error("prediction failed with %s:\n%s", type(error).__name__, frames)
            return _error(500, "the model failed on this request; see the server log")
        return Response(200, text.encode(), media)


def read_body(environ: Environ, limit: int) -> bytes:
    """The request body, refused unread when its length is over ``limit``."""
    stream = environ["wsgi.input"]
    declared = environ.get("CONTENT_LENGTH") or ""
    if not declared.strip():
        # Chunked uploads have no length: read one byte past the limit to tell.
        body: bytes = stream.read(limit + 1)
        if len(body) > limit:
            raise _too_large(limit)
        return body
    try:
        length = int(declared)
    except ValueError:
        length = -1
    if length < 0:
        raise RequestError(f"Content-Length {declared!r} is not a byte count")
    if length > limit:
        raise _too_large(limit)
    data: bytes = stream.read(length)
    return data


def _too_large(limit: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(
        f"the payload is over the {limit / MEGABYTE:g} MB limit; split it into "
        "smaller requests (Batch Transform: lower MaxPayloadInMB)"
    )


def _error(
    status: int, message: str, headers: tuple[tuple[str, str], ...] = ()
) -> Response:
    body = json.dumps({"error": message}).encode()
    return Response(status, body, "application/json", headers)
