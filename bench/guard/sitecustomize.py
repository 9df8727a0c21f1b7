"""Keep a benchmark process on 127.0.0.1: refuse every other address.

Put this folder first on PYTHONPATH and Python imports it at start-up, before the
code under test. A name that resolves to anything but loopback is refused with
OSError, as if the network were down, and recorded (host and port, one a line)
in the file named by BENCH_GUARD_LOG, so a benchmark can report that a tool
tried to reach the outside instead of silently reaching it.
"""

from __future__ import annotations

import ipaddress
import os
import socket

_real_getaddrinfo = socket.getaddrinfo


def _is_loopback(host: object) -> bool:
    if host in (None, "localhost"):
        return True
    text = host.decode() if isinstance(host, bytes) else str(host)
    try:
        return ipaddress.ip_address(text.split("%")[0]).is_loopback
    except ValueError:
        return text == "localhost" or text.endswith(".localhost")


def _record(host: object, port: object) -> None:
    path = os.environ.get("BENCH_GUARD_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{host}:{port}\n")


def _guarded_getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
    if not _is_loopback(host):
        _record(host, port)
        raise OSError(f"bench guard: {host}:{port} is not loopback")
    return _real_getaddrinfo(host, port, *args, **kwargs)


_real_connect = socket.socket.connect


def _guarded_connect(self, address):  # type: ignore[no-untyped-def]
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(
        address[0]
    ):
        _record(address[0], address[1])
        raise OSError(f"bench guard: {address[0]} is not loopback")
    return _real_connect(self, address)


socket.getaddrinfo = _guarded_getaddrinfo
socket.socket.connect = _guarded_connect  # type: ignore[method-assign]


def _count_calls(path: str) -> None:
    """Append "seconds operation" for every AWS API call this process makes."""
    import time

    import botocore.client

    real_call = botocore.client.BaseClient._make_api_call

    def counted(self, operation_name, api_params):  # type: ignore[no-untyped-def]
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{time.time():.3f} {operation_name}\n")
        return real_call(self, operation_name, api_params)

    botocore.client.BaseClient._make_api_call = counted


if os.environ.get("BENCH_CALL_LOG"):
    _count_calls(os.environ["BENCH_CALL_LOG"])
