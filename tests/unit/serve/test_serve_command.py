"""``smtrain serve`` refuses bad settings and bad models before it listens."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from smtrain.cli import main


def _serve(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["serve", *argv])
    return code, capsys.readouterr().err


def test_a_missing_model_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _serve([str(tmp_path / "absent")], capsys)

    assert code == 2
    assert "absent is neither a folder nor a .tar.gz" in err
    assert "Traceback" not in err


def test_a_tampered_model_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "metadata.json").write_text('{"schema_version": 99}')

    code, err = _serve([str(tmp_path)], capsys)

    assert code == 2
    assert "schema_version 99" in err


def test_an_s3_model_that_cannot_be_fetched_exits_3(
    aws_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _serve(["s3://no-such-bucket/model.tar.gz"], capsys)

    assert code == 3
    assert "cannot download the model s3://no-such-bucket/model.tar.gz" in err


@pytest.mark.parametrize(
    ("argv", "variable", "value", "reason"),
    [
        ([], "SAGEMAKER_BIND_TO_PORT", "http", "SAGEMAKER_BIND_TO_PORT='http'"),
        ([], "SAGEMAKER_BIND_TO_PORT", "70000", "--port must be between 1 and 65535"),
        ([], "SAGEMAKER_MODEL_SERVER_WORKERS", "0", "--workers must be between"),
        (
            ["--max-payload-mb", "0"],
            None,
            None,
            "--max-payload-mb must be between 0.001 and 1024",
        ),
        ([], "SMTRAIN_MAX_PAYLOAD_MB", "six", "SMTRAIN_MAX_PAYLOAD_MB='six'"),
        (["--timeout", "0"], None, None, "--timeout must be between 1 and 3600"),
    ],
)
def test_bad_settings_exit_2_naming_the_option_or_variable(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    penguins_dir: Path,
    argv: list[str],
    variable: str | None,
    value: str | None,
    reason: str,
) -> None:
    if variable and value:
        monkeypatch.setenv(variable, value)

    code, err = _serve([str(penguins_dir), *argv], capsys)

    assert code == 2
    assert reason in err


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_a_busy_port_exits_2_with_one_line_naming_it(
    busy_port: int, penguins_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _serve([str(penguins_dir), "--port", str(busy_port)], capsys)

    assert code == 2
    assert err.strip().splitlines() == [
        f"smtrain: error: port {busy_port} on 127.0.0.1 is already in use; stop what "
        "listens there or choose another --port (or SAGEMAKER_BIND_TO_PORT)"
    ]


def test_a_host_that_is_not_this_machine_exits_2(
    penguins_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # TEST-NET-1 (RFC 5737): never an address of this machine; nothing is sent.
    code, err = _serve([str(penguins_dir), "--host", "192.0.2.1"], capsys)

    assert code == 2
    assert "--host 192.0.2.1 is not an address of this machine" in err
