"""Count AWS calls per job-minute while smtrain watches a job on the loopback double.

The double's clock and smtrain's polling are sped up by the same factor, so the
number of calls per (simulated) minute is what a real job would cost. One phase of
the double (Starting, Downloading, Training...) stands for one minute.

    PYTHONPATH=src:tests/integration/remote python bench/poll_calls.py

Prints one line per scenario: instances, simulated minutes, status checks, log
calls, and calls per job-minute. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from smtrain.cancel import CancelToken
from smtrain.events import SilentListener
from smtrain.remote import RequestBuilder, run_remote
from smtrain.spec import JobSpec

PHASE_SECONDS = 1.0  # one simulated minute
REAL_MIN_INTERVAL = 5.0
_COUNTS = re.compile(r"(\d+) status checks, (\d+) log calls")


class CountingListener(SilentListener):
    def __init__(self) -> None:
        self.status_checks = 0
        self.log_calls = 0

    def debug(self, message: str) -> None:
        match = _COUNTS.search(message)
        if match:
            self.status_checks, self.log_calls = map(int, match.groups())


def _safe_environment(moto_url: str) -> None:
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_ENDPOINT_URL=moto_url,
        SMTRAIN_POLL_INTERVAL=str(REAL_MIN_INTERVAL * PHASE_SECONDS / 60),
    )


def _spec(name: str, instances: int) -> JobSpec:
    return JobSpec.model_validate(
        {
            "job-name": name,
            "role-arn": "arn:aws:iam::123456789012:role/bench",
            "image-uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/bench:1",
            "output-path": "s3://bench/out",
            "instance-count": instances,
        }
    )


def _watch(name: str, instances: int, builder: RequestBuilder) -> dict[str, Any]:
    listener = CountingListener()
    started = time.monotonic()
    run_remote(_spec(name, instances), listener, CancelToken(), builder=builder)
    minutes = (time.monotonic() - started) / PHASE_SECONDS
    calls = listener.status_checks + listener.log_calls
    return {
        "scenario": name,
        "instances": instances,
        "minutes": round(minutes, 1),
        "status_checks": listener.status_checks,
        "log_calls": listener.log_calls,
        "calls_per_job_minute": round(calls / minutes, 1),
    }


def main() -> None:
    from sagemaker_double import JobPlan, SageMakerDouble

    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    _safe_environment(f"http://{host}:{port}")
    double = SageMakerDouble(f"http://{host}:{port}", phase_seconds=PHASE_SECONDS)
    double.default_plan = JobPlan(lines_per_host=40)
    double.start()
    os.environ["AWS_ENDPOINT_URL_SAGEMAKER"] = double.url
    try:
        boto3.client("s3").create_bucket(Bucket="bench")
        builder = RequestBuilder.from_spec_modules()
        # Only algo-1 is chatty in the last scenario, as in much distributed
        # training where rank 0 does the logging.
        double.plans["bench-4-one-talks"] = JobPlan(
            lines_per_host=40, lines_by_host={2: 1, 3: 1, 4: 1}
        )
        for name, instances in (
            ("bench-1", 1),
            ("bench-4", 4),
            ("bench-4-one-talks", 4),
        ):
            print(_watch(name, instances, builder), flush=True)
    finally:
        double.stop()
        moto.stop()


if __name__ == "__main__":
    os.chdir(Path(__file__).resolve().parents[1])
    main()
