"""``smtrain serve``: the inference app behind gunicorn, with worker processes.

The model is fetched and loaded once in the gunicorn master, before the
workers fork, so every worker shares it and a broken model stops the server
before it listens. The access log has method, path, status, size and time;
never a query string, header value or payload.
"""

from __future__ import annotations

import gc
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from smtrain.ml.inference import model_fn
from smtrain.ml.model_source import resolve_model
from smtrain.ml.wsgi import DEFAULT_MAX_PAYLOAD_MB, MEGABYTE, InferenceApp

ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
_log = logging.getLogger("smtrain.serve")


@dataclass(frozen=True)
class ServerOptions:
    """How ``smtrain serve`` was asked to run."""

    model: str
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    max_payload_mb: float = DEFAULT_MAX_PAYLOAD_MB
    timeout_seconds: int = 60


def serve(options: ServerOptions) -> None:
    """Load the model, then serve until gunicorn is stopped (SIGTERM or SIGINT)."""
    workdir = Path(tempfile.mkdtemp(prefix="smtrain-model-"))
    try:
        app = build_app(options, workdir)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    _log.info(
        "serving %s model %s on http://%s:%d with %d workers",
        app.model.problem_type,
        options.model,
        options.host,
        options.port,
        options.workers,
    )
    # Everything loaded so far (libraries, the model) lives as long as the
    # server: frozen, the collector stops re-scanning it, whose full passes
    # otherwise land on some request, and forked workers share its pages.
    gc.collect()
    gc.freeze()
    settings = gunicorn_settings(options)
    # Only the master runs on_exit, so a worker exiting never removes the folder.
    settings["on_exit"] = lambda server: shutil.rmtree(workdir, ignore_errors=True)
    _Gunicorn(app, settings).run()


def build_app(options: ServerOptions, workdir: Path) -> InferenceApp:
    model = model_fn(str(resolve_model(options.model, workdir)))
    return InferenceApp(
        model=model,
        max_payload_bytes=int(options.max_payload_mb * MEGABYTE),
        max_concurrent_transforms=options.workers,
    )


def gunicorn_settings(options: ServerOptions) -> dict[str, Any]:
    return {
        "bind": [f"{options.host}:{options.port}"],
        "workers": options.workers,
        # Threaded workers keep connections alive between requests, which
        # spares single-row callers a TCP handshake each time.
        "worker_class": "gthread",
        "threads": 1,
        "timeout": options.timeout_seconds,
        "graceful_timeout": 10,
        "keepalive": 5,
        "preload_app": True,
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "proc_name": "smtrain-serve",
        "post_fork": _one_thread_per_library,
    }


def _one_thread_per_library(server: Any, worker: Any) -> None:
    # Workers already use every core; OpenMP or BLAS pools in each would
    # oversubscribe them (model_fn sets n_jobs=1 for the same reason).
    threadpool_limits(limits=1)


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn run from code with our settings, serving an app already built."""

    def __init__(self, app: InferenceApp, settings: dict[str, Any]) -> None:
        self._app = app
        self._settings = settings
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._settings.items():
            self.cfg.set(name, value)
        # gunicorn 23+ opens a control socket under $HOME by default; a
        # container's user may have no writable home, and nothing here uses it.
        if "control_socket_disable" in self.cfg.settings:
            self.cfg.set("control_socket_disable", True)

    def load(self) -> InferenceApp:
        return self._app
