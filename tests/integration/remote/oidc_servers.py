"""Loopback stand-ins for GitHub's OIDC token endpoint and a refusing STS.

The token endpoint answers like ``ACTIONS_ID_TOKEN_REQUEST_URL`` does: a GET with
the request token as bearer and ``audience`` in the query, a JSON ``value`` back.
The token it mints names its audience, so the refusing STS can reject a wrong
one the way AWS does, with InvalidIdentityToken.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

REQUEST_TOKEN = "runner-request-token"


class LoopbackServer:
    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.requests: list[dict[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.owner = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    def reply(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    @property
    def owner(self) -> Any:
        return self.server.owner  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        pass


class TokenEndpoint(_Handler):
    def do_GET(self) -> None:
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        auth = self.headers.get("Authorization", "")
        self.owner.requests.append(
            {"audience": query.get("audience", ""), "auth": auth}
        )
        if auth != f"Bearer {REQUEST_TOKEN}":
            self.reply(403, b'{"message": "bad request token"}', "application/json")
            return
        token = f"github-oidc-token-for-{query.get('audience', '')}"
        self.reply(200, json.dumps({"value": token}).encode(), "application/json")


_STS_ERROR = (
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
    "<Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
    "<RequestId>refusing-sts</RequestId></ErrorResponse>"
)


class RefusingSts(_Handler):
    """Refuses tokens minted for a wrong audience, and expired static keys."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        self.owner.requests.append(form)
        if form.get("Action") == "GetCallerIdentity":
            error = (
                "ExpiredToken",
                "The security token included in the request is expired",
            )
        else:
            error = ("InvalidIdentityToken", "Incorrect token audience")
        body = _STS_ERROR.format(code=error[0], message=error[1]).encode()
        self.reply(400, body, "text/xml")
