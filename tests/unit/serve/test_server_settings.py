"""gunicorn settings: what the access log may show, one thread per library, no GC."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from threadpoolctl import (  # type: ignore[import-untyped]
    threadpool_info,
    threadpool_limits,
)

from smtrain.ml import server
from smtrain.ml.server import ServerOptions, gunicorn_settings


def test_the_access_log_never_shows_query_strings_or_headers() -> None:
    log_format = gunicorn_settings(ServerOptions(model="m"))["access_log_format"]

    # r: request line with query; q: query; i/o: header values; a: user agent.
    for atom in ("%(r)s", "%(q)s", "%({", "%(a)s", "%(f)s"):
        assert atom not in log_format
    assert "%(U)s" in log_format
    assert "%(s)s" in log_format


def test_options_reach_gunicorn() -> None:
    options = ServerOptions(model="m", host="0.0.0.0", port=9000, workers=3)

    settings = gunicorn_settings(options)

    assert settings["bind"] == ["0.0.0.0:9000"]
    assert settings["workers"] == 3
    assert settings["preload_app"] is True


def test_each_worker_limits_thread_pools_to_one() -> None:
    post_fork = gunicorn_settings(ServerOptions(model="m"))["post_fork"]

    # The context restores this process's limits afterwards.
    with threadpool_limits(limits=None):
        post_fork(None, None)
        pools = threadpool_info()

    assert pools
    assert {pool["num_threads"] for pool in pools} == {1}


def test_the_loaded_model_is_frozen_out_of_garbage_collection(
    penguins_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen: list[int] = []

    def run(self: server._Gunicorn) -> None:
        frozen.append(gc.get_freeze_count())
        self._settings["on_exit"](None)

    monkeypatch.setattr(server._Gunicorn, "run", run)

    try:
        server.serve(ServerOptions(model=str(penguins_dir)))
    finally:
        gc.unfreeze()

    # A full collection would otherwise walk every library and model object,
    # pausing whichever request it lands on.
    assert frozen and frozen[0] > 0
