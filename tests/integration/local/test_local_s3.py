"""S3 channels, output and checkpoints, against a moto server on 127.0.0.1."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest

from recording import RecordingListener
from smtrain.cancel import CancelToken
from smtrain.errors import EXIT_INVALID_INPUT, CredentialsError, SpecError
from smtrain.local import run_local
from smtrain.result import COMPLETED
from smtrain.spec import JobSpec

BUCKET = "smtrain-local-tests"
SRC = Path(__file__).resolve().parents[3] / "src"


@pytest.fixture
def bucket(aws_endpoint: str, iris_dir: Path) -> Any:
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    client.upload_file(str(iris_dir / "iris.csv"), BUCKET, "data/train/iris.csv")
    client.put_object(Bucket=BUCKET, Key="checkpoints/run/step-1.txt", Body=b"1\n")
    return client


def test_s3_channel_is_downloaded_and_outputs_uploaded(
    bucket: Any, make_spec: Callable[..., JobSpec]
) -> None:
    spec = make_spec(
        "contract",
        inputs={"train": f"s3://{BUCKET}/data/train"},
        output_path=f"s3://{BUCKET}/output",
        checkpoint_s3_uri=f"s3://{BUCKET}/checkpoints/run",
    )
    result = run_local(spec, RecordingListener(), CancelToken())

    assert result.status == COMPLETED, result.failure_reason
    prefix = f"output/{result.job_name}/output"
    assert result.model_artifacts == f"s3://{BUCKET}/{prefix}/model.tar.gz"
    model = bucket.get_object(Bucket=BUCKET, Key=f"{prefix}/model.tar.gz")
    with tarfile.open(fileobj=io.BytesIO(model["Body"].read())) as archive:
        assert archive.getnames() == ["model-algo-1.txt"]
    bucket.head_object(Bucket=BUCKET, Key=f"{prefix}/output.tar.gz")
    root = Path(spec.local_root, result.job_name, "algo-1")
    assert (root / "input" / "data" / "train" / "iris.csv").is_file()
    assert (root / "checkpoints" / "step-1.txt").read_text() == "1\n"


def test_sharded_s3_channel_splits_objects_between_hosts(
    bucket: Any, make_spec: Callable[..., JobSpec]
) -> None:
    for part in range(4):
        bucket.put_object(Bucket=BUCKET, Key=f"shards/part-{part}.csv", Body=b"x\n")
    spec = make_spec(
        "requirements",
        instance_count=2,
        inputs={
            "train": {"uri": f"s3://{BUCKET}/shards/", "distribution": "ShardedByS3Key"}
        },
    )
    result = run_local(spec, RecordingListener(), CancelToken())

    job_dir = Path(spec.local_root, result.job_name)
    names = {
        host: sorted(p.name for p in (job_dir / host / "input/data/train").iterdir())
        for host in ("algo-1", "algo-2")
    }
    assert names == {
        "algo-1": ["part-0.csv", "part-2.csv"],
        "algo-2": ["part-1.csv", "part-3.csv"],
    }


def test_s3_without_credentials_is_a_credentials_error(
    aws_endpoint: str,
    make_spec: Callable[..., JobSpec],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    spec = make_spec("requirements", inputs={"train": f"s3://{BUCKET}/data/train"})

    with pytest.raises(CredentialsError, match="only for S3"):
        run_local(spec, RecordingListener(), CancelToken())


@pytest.mark.parametrize("prefix", ["nothing/", "data/train/iris.csv.bak"])
def test_s3_channel_without_objects_is_refused_before_the_job_root(
    bucket: Any, make_spec: Callable[..., JobSpec], prefix: str
) -> None:
    # A folder marker is not data: SageMaker finds no objects under it either.
    bucket.put_object(Bucket=BUCKET, Key="nothing/", Body=b"")
    spec = make_spec(
        "contract",
        inputs={
            "train": f"s3://{BUCKET}/data/train",
            "validation": f"s3://{BUCKET}/{prefix}",
        },
    )
    listener = RecordingListener()

    with pytest.raises(SpecError) as raised:
        run_local(spec, listener, CancelToken())

    assert raised.value.exit_code == EXIT_INVALID_INPUT
    [problem] = raised.value.problems
    assert problem.key == "inputs.validation.uri"
    assert f"no S3 objects found under s3://{BUCKET}/{prefix}" in problem.message
    assert not Path(spec.local_root).exists()
    assert listener.transitions == [] and listener.lines == []


def test_cli_run_with_an_empty_s3_prefix_exits_2_naming_the_channel(
    bucket: Any, tmp_path: Path
) -> None:
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "train.py").write_text("print('script ran')\n")
    (tmp_path / "job.yml").write_text(
        f"local: true\nsource-dir: code\nentry-point: train.py\n"
        f"inputs:\n  train: s3://{BUCKET}/nothing/\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}

    done = subprocess.run(
        [sys.executable, "-m", "smtrain", "run", "job.yml"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 2, done.stdout + done.stderr
    assert f"inputs.train.uri: no S3 objects found under s3://{BUCKET}/nothing/" in (
        done.stderr
    )
    assert "script ran" not in done.stdout
    assert "Traceback" not in done.stderr
