"""Script mode through a whole run: the archive lands in S3 and the job points at it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from remote_support import BUCKET, make_spec
from sagemaker_double import SageMakerDouble

from recording import RecordingListener
from smtrain.aws.code import pack_source_dir
from smtrain.cancel import CancelToken
from smtrain.cli import main
from smtrain.errors import CancelledError, SpecError
from smtrain.remote import RequestBuilder, run_remote
from smtrain.render import render_training_job
from smtrain.spec import JobSpec


def _sources(root: Path) -> Path:
    root.mkdir()
    (root / "train.py").write_text("print('training')\n")
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "train.cpython-311.pyc").write_bytes(b"\0")
    return root


def test_source_dir_is_uploaded_and_named_in_the_request(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
    tmp_path: Path,
) -> None:
    source = _sources(tmp_path / "src")
    spec = make_spec(
        **{
            "job-name": "scripted",
            "source-dir": str(source),
            "entry-point": "train.py",
            "code-location": f"s3://{BUCKET}/code",
        }
    )

    run_remote(spec, listener, CancelToken(), builder=builder)

    key = "code/scripted/source/sourcedir.tar.gz"
    body = boto3.client("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert body == pack_source_dir(source).data
    hyperparameters = sagemaker_double.jobs["scripted"].request["HyperParameters"]
    # Framework containers read these JSON-encoded, as the SageMaker SDK sends them.
    submitted = json.loads(hyperparameters["sagemaker_submit_directory"])
    assert submitted == f"s3://{BUCKET}/{key}"
    assert json.loads(hyperparameters["sagemaker_program"]) == "train.py"


def test_changed_code_is_not_attached_to_the_old_job(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
    tmp_path: Path,
) -> None:
    source = _sources(tmp_path / "src")
    values = {"job-name": "evolving", "source-dir": str(source), "wait": False}
    run_remote(make_spec(**values), listener, CancelToken(), builder=builder)
    (source / "train.py").write_text("print('changed')\n")

    with pytest.raises(SpecError, match="was not started from this spec"):
        run_remote(make_spec(**values), listener, CancelToken(), builder=builder)


def test_cancel_during_submission_stops_the_new_job(
    sagemaker_double: SageMakerDouble, listener: RecordingListener
) -> None:
    token = CancelToken()

    def render_then_cancel(spec: JobSpec, name: str, **kwargs: Any) -> dict[str, Any]:
        if "tags" in kwargs:  # the submission's render, not the early check
            token.cancel("SIGINT")  # the signal arrives as the job is created
        return render_training_job(spec, name, **kwargs)

    builder = RequestBuilder(lambda spec: "unused", render_then_cancel)
    spec = make_spec(**{"job-name": "cancelled-early"})

    result = run_remote(spec, listener, token, builder=builder)

    assert result.exit_code == 130
    assert sagemaker_double.calls["StopTrainingJob"] == 1


def test_logs_follow_prints_to_the_end(
    sagemaker_double: SageMakerDouble, capsys: pytest.CaptureFixture[str]
) -> None:
    request = render_training_job(make_spec(**{"instance-count": 2}), "followed")
    boto3.client("sagemaker").create_training_job(**request)

    assert main(["logs", "followed", "--follow"]) == 0

    out = capsys.readouterr().out
    for host in (1, 2):
        for n in range(1, 6):
            assert out.count(f"[algo-{host}] followed algo-{host} line {n}\n") == 1


def test_cancel_before_submission_creates_nothing(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
) -> None:
    token = CancelToken()
    token.cancel("SIGINT")

    with pytest.raises(CancelledError, match="nothing is running") as caught:
        run_remote(make_spec(**{"job-name": "never"}), listener, token, builder=builder)

    assert caught.value.exit_code == 130
    assert sagemaker_double.calls["CreateTrainingJob"] == 0
