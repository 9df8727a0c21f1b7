"""The inference app fuzzed: any content type, accept header and body gets a 2xx
or a 4xx with a JSON reason, never a 500, and no body is read past the limit.

The app is called directly (WSGI), so thousands of requests cost seconds; the
HTTP-level limits (chunked bodies, declared lengths) are tested in
tests/integration/serve/test_serve_http.py.
"""

from __future__ import annotations

import io
import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smtrain.ml.artifact import LoadedModel
from smtrain.ml.wsgi import InferenceApp

from .invoke import ADELIE, HEADER

LIMIT = 4096
_PROFILE = {
    "max_examples": 300 if os.environ.get("HYPOTHESIS_PROFILE") != "thorough" else 5000,
    "deadline": None,
    "derandomize": os.environ.get("HYPOTHESIS_PROFILE") != "thorough",
    # The session-scoped model is loaded once; nothing per example is reset.
    "suppress_health_check": [HealthCheck.function_scoped_fixture],
}
_MEDIA = [
    "text/csv",
    "application/json",
    "application/jsonlines",
    "application/x-npy",
    "application/x-parquet",
    "text/plain",
    "",
]
_CONTENT_TYPES = (
    st.sampled_from(_MEDIA)
    | st.sampled_from(_MEDIA).map(lambda m: m + "; charset=latin-1")
    | st.text(max_size=40)
)
_CSV = st.lists(
    st.sampled_from([HEADER, ADELIE, "", ",,,", "a,b", "1e999,nan,-inf", '"x']),
    max_size=6,
).map(lambda rows: "\n".join(rows).encode())
_JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["instances", "inputs", "island", "x"]), inner
        )
    ),
    max_leaves=10,
).map(lambda value: json.dumps(value).encode())
_BODIES = _CSV | _JSON | st.binary(max_size=600) | st.binary(min_size=LIMIT + 1)


class _CountingStream(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.largest_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.largest_read = max(self.largest_read, self.tell())
        return chunk


def _post(
    app: InferenceApp, body: bytes, content_type: str, accept: str, declare: bool
) -> tuple[int, dict[str, Any], _CountingStream]:
    stream = _CountingStream(body)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/invocations",
        "CONTENT_TYPE": content_type,
        "HTTP_ACCEPT": accept,
        "wsgi.input": stream,
    }
    if declare:
        environ["CONTENT_LENGTH"] = str(len(body))
    started: list[str] = []
    raw = b"".join(app(environ, lambda status, headers: started.append(status)))
    status = int(started[0].split()[0])
    payload = json.loads(raw) if status >= 400 else {}
    return status, payload, stream


@settings(**_PROFILE)
@given(
    body=_BODIES,
    content_type=_CONTENT_TYPES,
    accept=st.sampled_from(["application/json", "text/csv", "*/*", "", "image/png"])
    | st.text(max_size=30),
    declare=st.booleans(),
)
def test_any_request_is_answered_without_a_500_or_reading_past_the_limit(
    penguins: LoadedModel, body: bytes, content_type: str, accept: str, declare: bool
) -> None:
    app = InferenceApp(penguins, max_payload_bytes=LIMIT)

    status, payload, stream = _post(app, body, content_type, accept, declare)

    assert status < 500, payload
    if status >= 400:
        assert payload["error"]
    assert stream.largest_read <= LIMIT + 1
    if len(body) > LIMIT:
        # 413, unless the headers were refused first (406, 415) unread.
        assert status in (406, 413, 415)
