"""A fault-injecting HTTP proxy on 127.0.0.1, in front of the SageMaker double and moto.

Point boto3 at ``proxy.url`` (``AWS_ENDPOINT_URL`` and ``AWS_ENDPOINT_URL_SAGEMAKER``).
Requests whose ``X-Amz-Target`` starts with ``SageMaker.`` go to the ``sagemaker``
upstream, everything else to ``default``. Per operation the proxy can answer with
a fault instead of the upstream's reply:

``throttle``     400 ``ThrottlingException`` as SageMaker and CloudWatch Logs send it
``unavailable``  503 ``ServiceUnavailable`` (S3 and STS get their XML shape)
``reset``        a TCP reset before the request is forwarded (the server never saw it)
``reset-after``  forwarded, the upstream answered, then the client gets a reset
                 (the server did the work but its answer was lost)
``slow``         forwarded after a delay of ``slow_seconds``

``answer`` queues a chosen JSON error instead (AccessDenied with a message, say).

Faults come from a queue per operation (``queue``; ``pass`` lets one call
through), or at random from seeded,
per-operation generators (``randomly``), never more than ``max_consecutive`` in a
row for one operation. ``hold`` blocks an operation until released, to land a
signal at a known phase. ``injected`` counts what was done, ``forwarded`` what
reached an upstream, ``bodies`` keeps every forwarded request body.
"""

from __future__ import annotations

import json
import random
import socket
import struct
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler
from typing import Any

from oidc_servers import LoopbackServer

KINDS = ("throttle", "unavailable", "reset", "reset-after", "slow")
_HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "host"}
_XML_ERROR = (
    "<ErrorResponse><Error><Type>Receiver</Type><Code>{code}</Code>"
    "<Message>injected by the fault proxy</Message></Error>"
    "<RequestId>fault-proxy</RequestId></ErrorResponse>"
)


@dataclass
class _RandomRule:
    kinds: tuple[str, ...]
    rate: float
    generator: random.Random


def operation_of(method: str, path: str, headers: Any, body: bytes) -> str:
    """``CreateTrainingJob``, ``FilterLogEvents``, ``AssumeRole``, ``S3.PUT``."""
    target = headers.get("X-Amz-Target", "")
    if target:
        return str(target).partition(".")[2]
    form = dict(urllib.parse.parse_qsl(body.decode("latin-1")))
    if "Action" in form:
        return form["Action"]
    return f"S3.{method}"


class FaultProxy(LoopbackServer):
    def __init__(self, default: str, sagemaker: str | None = None) -> None:
        self.upstreams = {"default": default, "sagemaker": sagemaker or default}
        self.slow_seconds = 0.3
        self.max_consecutive = 2
        self.injected: Counter[tuple[str, str]] = Counter()
        self.forwarded: Counter[str] = Counter()
        self.bodies: list[tuple[str, bytes]] = []
        self.held: dict[str, threading.Event] = {}
        self.holding: Counter[str] = Counter()
        self.answers: dict[str, list[tuple[int, str, str]]] = {}
        self._queues: dict[str, list[str]] = {}
        self._rules: dict[str, _RandomRule] = {}
        self._streak: Counter[str] = Counter()
        self._lock = threading.Lock()
        super().__init__(_handler_for(self))
        # A held request must not keep the process alive past the test.
        self._server.daemon_threads = True

    def __enter__(self) -> FaultProxy:
        super().__enter__()
        return self

    def __exit__(self, *_: object) -> None:
        for gate in self.held.values():
            gate.set()
        super().__exit__()

    # -- what to inject ---------------------------------------------------------

    def queue(self, operation: str, *kinds: str) -> None:
        """Answer the next calls of ``operation`` with these faults, in order."""
        with self._lock:
            self._queues.setdefault(operation, []).extend(kinds)

    def answer(self, operation: str, status: int, code: str, message: str) -> None:
        """Answer the next call of ``operation`` with this JSON error."""
        with self._lock:
            self.answers.setdefault(operation, []).append((status, code, message))

    def randomly(
        self, operations: list[str], kinds: tuple[str, ...], rate: float, seed: int
    ) -> None:
        """Fault each call of these operations with probability ``rate``."""
        with self._lock:
            for operation in operations:
                generator = random.Random(f"{seed}-{operation}")
                self._rules[operation] = _RandomRule(kinds, rate, generator)

    def calm(self) -> None:
        """No more faults from now on (queued ones included)."""
        with self._lock:
            self._rules.clear()
            self._queues.clear()

    def hold(self, operation: str) -> threading.Event:
        """Block calls of ``operation`` until the returned event is set."""
        gate = threading.Event()
        self.held[operation] = gate
        return gate

    def total_injected(self, operation: str | None = None) -> int:
        return sum(n for (op, _), n in self.injected.items() if operation in (None, op))

    def choose(self, operation: str) -> str | None:
        with self._lock:
            kind = self._next_fault(operation)
            if kind and self._streak[operation] >= self.max_consecutive:
                kind = None
            self._streak[operation] = self._streak[operation] + 1 if kind else 0
            if kind:
                self.injected[(operation, kind)] += 1
            return kind

    def _next_fault(self, operation: str) -> str | None:
        queued = self._queues.get(operation)
        if queued:
            kind = queued.pop(0)
            return None if kind == "pass" else kind
        rule = self._rules.get(operation)
        if rule and rule.generator.random() < rule.rate:
            return rule.generator.choice(rule.kinds)
        return None

    def wait_if_held(self, operation: str) -> None:
        gate = self.held.get(operation)
        if gate is None:
            return
        with self._lock:
            self.holding[operation] += 1
        gate.wait(30)

    def forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        target = headers.get("X-Amz-Target", "")
        which = "sagemaker" if target.startswith("SageMaker.") else "default"
        upstream = urllib.parse.urlsplit(self.upstreams[which])
        connection = HTTPConnection(upstream.hostname, upstream.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            return response.status, response.getheaders(), data
        finally:
            connection.close()


def fault_reply(kind: str, operation: str, json_protocol: bool) -> tuple[int, bytes]:
    code = "ThrottlingException" if kind == "throttle" else "ServiceUnavailable"
    status = 400 if kind == "throttle" else 503
    if json_protocol:
        body = json.dumps({"__type": code, "message": "Rate exceeded"}).encode()
    else:
        body = _XML_ERROR.format(code="SlowDown" if status == 503 else code).encode()
    return status, body


def _handler_for(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._relay()

        def do_POST(self) -> None:
            self._relay()

        def do_PUT(self) -> None:
            self._relay()

        def do_HEAD(self) -> None:
            self._relay()

        def do_DELETE(self) -> None:
            self._relay()

        def _relay(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length) if length else b""
            operation = operation_of(self.command, self.path, self.headers, body)
            proxy.wait_if_held(operation)
            with proxy._lock:
                answers = proxy.answers.get(operation)
                answer = answers.pop(0) if answers else None
            if answer:
                status, code, message = answer
                data = json.dumps({"__type": code, "message": message}).encode()
                self._reply(status, [("Content-Type", "application/json")], data)
                return
            kind = proxy.choose(operation)
            if kind == "reset":
                self._reset()
                return
            if kind in ("throttle", "unavailable"):
                json_protocol = "X-Amz-Target" in self.headers
                status, data = fault_reply(kind, operation, json_protocol)
                self._reply(status, [("Content-Type", "application/json")], data)
                return
            if kind == "slow":
                time.sleep(proxy.slow_seconds)
            headers = {
                k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS
            }
            status, reply_headers, data = proxy.forward(
                self.command, self.path, headers, body
            )
            with proxy._lock:
                proxy.forwarded[operation] += 1
                proxy.bodies.append((operation, body))
            if kind == "reset-after":
                self._reset()
                return
            self._reply(status, reply_headers, data)

        def _reply(
            self, status: int, headers: list[tuple[str, str]], data: bytes
        ) -> None:
            self.send_response(status)
            for name, value in headers:
                if name.lower() not in _HOP_HEADERS | {"content-length", "date"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _reset(self) -> None:
            # SO_LINGER with a zero timeout: close() sends RST, not FIN.
            linger = struct.pack("ii", 1, 0)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            self.close_connection = True
            self.connection.close()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
