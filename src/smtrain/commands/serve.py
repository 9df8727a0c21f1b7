"""``smtrain serve [MODEL]``: answer SageMaker inference requests for a model.

Defaults follow the SageMaker serving contract: the model in /opt/ml/model,
port 8080 or ``SAGEMAKER_BIND_TO_PORT``, one worker per CPU or
``SAGEMAKER_MODEL_SERVER_WORKERS``, the request timeout from
``SAGEMAKER_MODEL_SERVER_TIMEOUT``. The ML stack is imported only here, when the
command runs.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from smtrain import contract
from smtrain.errors import EXIT_INVALID_INPUT, EXIT_OK, AwsError, SmtrainError

DEFAULT_MODEL = str(contract.BASE_DIR / contract.MODEL_DIR)


class ServeError(SmtrainError):
    """The model cannot be served: missing, tampered with, or a bad setting."""

    exit_code = EXIT_INVALID_INPUT


@dataclass(frozen=True)
class Setting:
    """A number taken from its option, else its variable, else the default."""

    option: str
    variable: str
    default: Callable[[], float]
    parse: Callable[[str], Any]
    low: float
    high: float

    def resolve(self, given: Any, environ: Mapping[str, str]) -> Any:
        value = given
        text = environ.get(self.variable, "").strip()
        if value is None and text:
            try:
                value = self.parse(text)
            except ValueError:
                raise ServeError(
                    f"{self.variable}={text!r} is not a valid {self.option} value; "
                    "unset it or fix it"
                ) from None
        if value is None:
            value = self.default()
        if not self.low <= value <= self.high:
            raise ServeError(
                f"{self.option} must be between {self.low:g} and {self.high:g}, "
                f"got {value:g}"
            )
        return value


# Keyed by the ServerOptions field each one fills.
SETTINGS = {
    "port": Setting("--port", "SAGEMAKER_BIND_TO_PORT", lambda: 8080, int, 1, 65535),
    "workers": Setting(
        "--workers",
        "SAGEMAKER_MODEL_SERVER_WORKERS",
        lambda: os.cpu_count() or 1,
        int,
        1,
        64,
    ),
    "timeout_seconds": Setting(
        "--timeout", "SAGEMAKER_MODEL_SERVER_TIMEOUT", lambda: 60, int, 1, 3600
    ),
    "max_payload_mb": Setting(
        "--max-payload-mb", "SMTRAIN_MAX_PAYLOAD_MB", lambda: 6.0, float, 0.001, 1024
    ),
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("serve", help="serve a trained model over HTTP")
    parser.add_argument(
        "model",
        nargs="?",
        default=DEFAULT_MODEL,
        help="model folder or model.tar.gz, local or s3:// (default: %(default)s)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="default: %(default)s")
    helps = {
        "port": ("PORT", "port to listen on", "8080"),
        "workers": ("N", "worker processes", "one per CPU"),
        "timeout_seconds": ("SECONDS", "time limit per request", "60"),
        "max_payload_mb": ("MB", "largest request body", "6"),
    }
    for name, setting in SETTINGS.items():
        metavar, what, default = helps[name]
        parser.add_argument(
            setting.option,
            dest=name,
            type=setting.parse,
            metavar=metavar,
            help=f"{what} (default: ${setting.variable}, else {default})",
        )
    parser.set_defaults(handler=run)


_PORT_FIX = "choose another --port (or SAGEMAKER_BIND_TO_PORT)"
_BIND_PROBLEMS = {
    errno.EADDRINUSE: "port {port} on {host} is already in use; stop what "
    "listens there or " + _PORT_FIX,
    errno.EACCES: "not allowed to listen on port {port} on {host}; ports below "
    "1024 need root: " + _PORT_FIX,
    errno.EADDRNOTAVAIL: "--host {host} is not an address of this machine; use "
    "127.0.0.1, 0.0.0.0 or one of its addresses",
}


def check_can_listen(host: str, port: int) -> None:
    """Bind ``host:port`` once, as gunicorn will, to refuse a busy port clearly.

    Without it gunicorn logs its own retries and errors, then exits 1.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror:
        raise ServeError(f"--host {host} does not resolve; fix the name") from None
    with socket.socket(family, kind, proto) as probe:
        # As gunicorn binds: a port left in TIME_WAIT by a past server is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            template = _BIND_PROBLEMS.get(
                error.errno or 0, "cannot listen on {host}:{port} ({reason})"
            )
            reason = error.strerror or str(error)
            message = template.format(host=host, port=port, reason=reason)
            raise ServeError(message) from None


def run(args: argparse.Namespace) -> int:
    values = {
        name: setting.resolve(getattr(args, name), os.environ)
        for name, setting in SETTINGS.items()
    }
    check_can_listen(args.host, values["port"])
    try:
        from smtrain.ml.errors import ArtifactError
        from smtrain.ml.model_source import ModelDownloadError
        from smtrain.ml.server import ServerOptions, serve
    except ImportError as error:
        raise ServeError(
            f"serving needs the serve extra ({error.name} is missing): "
            "pip install 'smtrain[serve]'"
        ) from None
    options = ServerOptions(model=args.model, host=args.host, **values)
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
