"""instance-count: N runs N processes, algo-1..algo-N, resolvable on this machine."""

from __future__ import annotations

import importlib.util
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from recording import RecordingListener
from smtrain.cancel import CancelToken
from smtrain.local import run_local
from smtrain.result import COMPLETED
from smtrain.spec import JobSpec


def test_two_instances_each_see_their_own_host(
    make_spec: Callable[..., JobSpec], iris_dir: Path
) -> None:
    spec = make_spec("contract", instance_count=2, inputs={"train": str(iris_dir)})
    listener = RecordingListener()
    result = run_local(spec, listener, CancelToken())

    assert result.status == COMPLETED
    job_dir = Path(spec.local_root, result.job_name)
    for host in ("algo-1", "algo-2"):
        seen_file = job_dir / host / "output" / "data" / f"seen-{host}.json"
        seen = json.loads(seen_file.read_text())
        assert seen["env"]["SM_CURRENT_HOST"] == host
        assert seen["env"]["SM_HOSTS"] == '["algo-1","algo-2"]'
        assert seen["configs"]["resourceconfig.json"]["current_host"] == host
        assert seen["resolved"] == {"algo-1": "127.0.0.1", "algo-2": "127.0.0.1"}
        assert seen["cwd"] == str(job_dir / host / "code")
    assert {host for host, _ in listener.lines} == {"algo-1", "algo-2"}
    with tarfile.open(result.model_artifacts) as archive:
        assert sorted(archive.getnames()) == ["model-algo-1.txt", "model-algo-2.txt"]


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is None, reason="torch is not installed"
)
def test_torchrun_gloo_all_reduce_runs_across_the_hosts(
    make_spec: Callable[..., JobSpec],
) -> None:
    spec = make_spec("distributed", instance_count=2, distribution="torchrun")
    listener = RecordingListener()
    result = run_local(spec, listener, CancelToken())

    assert result.status == COMPLETED, result.traceback_tail
    assert ("algo-1", "rank 0 of 2: all-reduce sum 3") in listener.lines
    assert ("algo-2", "rank 1 of 2: all-reduce sum 3") in listener.lines
    with tarfile.open(result.model_artifacts) as archive:
        assert sorted(archive.getnames()) == ["sum-algo-1.txt", "sum-algo-2.txt"]
