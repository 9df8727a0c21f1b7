"""A bare HTTP client for the tests: status, headers and body, no retries."""

from __future__ import annotations

import http.client
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: str


def request(
    url: str,
    method: str,
    path: str,
    body: bytes | Iterable[bytes] | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port, timeout=30
    )
    try:
        chunked = body is not None and not isinstance(body, bytes)
        connection.request(
            method, path, body=body, headers=headers or {}, encode_chunked=chunked
        )
        response = connection.getresponse()
        text = response.read().decode()
        return Reply(response.status, response.getheader("Content-Type", ""), text)
    finally:
        connection.close()


def invoke(
    url: str, body: bytes | str, content_type: str, accept: str | None = None
) -> Reply:
    headers = {"Content-Type": content_type}
    if accept is not None:
        headers["Accept"] = accept
    data = body.encode() if isinstance(body, str) else body
    return request(url, "POST", "/invocations", data, headers)
