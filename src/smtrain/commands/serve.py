"""``smtrain serve [MODEL]``: answer SageMaker inference requests for a model.

Defaults follow the SageMaker serving contract: the model in /opt/ml/model,
port 8080 or ``SAGEMAKER_BIND_TO_PORT``, one worker per CPU or
``SAGEMAKER_MODEL_SERVER_WORKERS``, the request timeout from
``SAGEMAKER_MODEL_SERVER_TIMEOUT``.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Callable, Mapping
from typing import Any

from smtrain import contract
from smtrain.errors import EXIT_INVALID_INPUT, EXIT_OK, AwsError, SmtrainError

PORT_ENV = "SAGEMAKER_BIND_TO_PORT"
WORKERS_ENV = "SAGEMAKER_MODEL_SERVER_WORKERS"
TIMEOUT_ENV = "SAGEMAKER_MODEL_SERVER_TIMEOUT"
MAX_PAYLOAD_ENV = "SMTRAIN_MAX_PAYLOAD_MB"
DEFAULT_MODEL = str(contract.BASE_DIR / contract.MODEL_DIR)


class ServeError(SmtrainError):
    """The model cannot be served: missing, tampered with, or a bad setting."""

    exit_code = EXIT_INVALID_INPUT


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("serve", help="serve a trained model over HTTP")
    parser.add_argument(
        "model",
        nargs="?",
        default=DEFAULT_MODEL,
        help="model folder or model.tar.gz, local or s3:// (default: %(default)s)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="default: %(default)s")
    parser.add_argument("--port", type=int, help=f"default: ${PORT_ENV} or 8080")
    parser.add_argument(
        "--workers", type=int, help=f"default: ${WORKERS_ENV} or one per CPU"
    )
    parser.add_argument(
        "--max-payload-mb",
        type=float,
        help=f"largest request body; default: ${MAX_PAYLOAD_ENV} or 6",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        help=f"seconds per request; default: ${TIMEOUT_ENV} or 60",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    environ = os.environ
    port = _setting(args.port, environ, PORT_ENV, 8080, int, "--port")
    workers = _setting(
        args.workers, environ, WORKERS_ENV, os.cpu_count() or 1, int, "--workers"
    )
    try:
        from smtrain.ml.errors import ArtifactError
        from smtrain.ml.model_source import ModelDownloadError
        from smtrain.ml.server import ServerOptions, serve
    except ImportError as error:
        raise ServeError(
            f"serving needs the serve extra ({error.name} is missing): "
            "pip install 'smtrain[serve]'"
        ) from None
    options = ServerOptions(
        model=args.model,
        host=args.host,
        port=_in_range(port, 1, 65535, "--port"),
        workers=_in_range(workers, 1, 64, "--workers"),
        max_payload_mb=_positive(
            _setting(
                args.max_payload_mb,
                environ,
                MAX_PAYLOAD_ENV,
                6.0,
                float,
                "--max-payload-mb",
            ),
            "--max-payload-mb",
        ),
        timeout_seconds=_in_range(
            _setting(args.timeout, environ, TIMEOUT_ENV, 60, int, "--timeout"),
            1,
            3600,
            "--timeout",
        ),
    )
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s"
    )
    try:
        serve(options)
    except ModelDownloadError as error:
        raise AwsError(str(error)) from None
    except ArtifactError as error:
        raise ServeError(str(error)) from None
    return EXIT_OK


def _setting(
    given: Any,
    environ: Mapping[str, str],
    variable: str,
    default: Any,
    parse: Callable[[str], Any],
    option: str,
) -> Any:
    """The option if given, else the environment variable, else the default."""
    if given is not None:
        return given
    text = environ.get(variable, "").strip()
    if not text:
        return default
    try:
        return parse(text)
    except ValueError:
        raise ServeError(
            f"{variable}={text!r} is not a valid {option} value; unset it or fix it"
        ) from None


def _in_range(value: int, low: int, high: int, option: str) -> int:
    if not low <= value <= high:
        raise ServeError(f"{option} must be between {low} and {high}, got {value}")
    return value


def _positive(value: float, option: str) -> float:
    if value <= 0:
        raise ServeError(f"{option} must be a positive number, got {value:g}")
    return value
