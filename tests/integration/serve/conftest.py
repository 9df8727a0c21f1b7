"""``smtrain serve`` started as a real gunicorn server on 127.0.0.1 per session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from safe_env import SAFE_AWS_ENV

from .trained_models import diabetes_model, penguins_model

SRC = Path(__file__).resolve().parents[3] / "src"
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Server:
    url: str
    log: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _environment() -> dict[str, str]:
    unsafe = ("AWS_", "SM_", "SAGEMAKER_", "GITHUB_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(unsafe)}
    env.update(SAFE_AWS_ENV, PYTHONPATH=str(SRC), OMP_NUM_THREADS="1")
    return env


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"smtrain serve exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/ping", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError(f"smtrain serve did not answer /ping:\n{log.read_text()}")


def serve_model(
    model: Path, log: Path, options: list[str], settings: dict[str, str]
) -> Iterator[Server]:
    """Run ``smtrain serve`` until the caller is done, then stop it by its pid."""
    command = [sys.executable, "-m", "smtrain", "serve", str(model), *options]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**_environment(), **settings},
        )
    port = options[options.index("--port") + 1] if "--port" in options else None
    url = f"http://127.0.0.1:{port or settings['SAGEMAKER_BIND_TO_PORT']}"
    try:
        _wait_until_ready(url, process, log)
        yield Server(url, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def classifier_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Settings from options: two workers, a 0.5 MB limit."""
    base = tmp_path_factory.mktemp("serve")
    options = ["--host", "127.0.0.1", "--port", str(free_port()), "--workers", "2"]
    options += ["--max-payload-mb", "0.5"]
    yield from serve_model(penguins_model(base), base / "classifier.log", options, {})


@pytest.fixture(scope="session")
def regressor_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Settings from the SageMaker variables, as in a serving container."""
    base = tmp_path_factory.mktemp("serve")
    settings = {
        "SAGEMAKER_BIND_TO_PORT": str(free_port()),
        "SAGEMAKER_MODEL_SERVER_WORKERS": "1",
        "SMTRAIN_MAX_PAYLOAD_MB": "3",
    }
    options = ["--host", "127.0.0.1"]
    yield from serve_model(
        diabetes_model(base), base / "regressor.log", options, settings
    )
