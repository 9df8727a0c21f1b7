"""gunicorn settings: what the access log may show, and one thread per library."""

from __future__ import annotations

from threadpoolctl import (  # type: ignore[import-untyped]
    threadpool_info,
    threadpool_limits,
)

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
