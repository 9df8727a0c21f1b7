"""Fixtures shared by every test: a clean AWS environment and a moto server.

Every test runs with dummy credentials and the instance-metadata lookup disabled,
so no boto3 client can reach a real AWS host or 169.254.169.254.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from safe_env import SAFE_AWS_ENV

# Anything that could point a client at a real account or endpoint.
_UNSAFE_PREFIXES = ("AWS_", "GITHUB_", "ACTIONS_", "INPUT_", "RUNNER_", "SM_")


@pytest.fixture(autouse=True)
def safe_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for name in list(os.environ):
        if name.startswith(_UNSAFE_PREFIXES):
            monkeypatch.delenv(name)
    for name, value in SAFE_AWS_ENV.items():
        monkeypatch.setenv(name, value)
    home = tmp_path_factory.mktemp("home")
    # No ~/.aws/config or credentials file of the developer's may be read.
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """A real moto server on 127.0.0.1 for the whole session; yields its URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws_endpoint(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point every boto3 client of this test at the moto server, with fresh state."""
    import urllib.request

    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    reset = urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST")
    urllib.request.urlopen(reset, timeout=10).close()
    yield moto_server
