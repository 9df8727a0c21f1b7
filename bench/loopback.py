"""Loopback AWS for the benchmarks: moto for S3/STS/Logs, the SageMaker double.

Every benchmark that talks to "AWS" starts these in its own process, points
boto3 at them with AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_SAGEMAKER, and runs
the tools it measures with ``tool_environment()``: dummy credentials, the
telemetry opt-out of the SageMaker SDK, and the guard in ``bench/guard`` that
refuses any address but 127.0.0.1.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/bench"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/bench:1"
BUCKET = "bench"

sys.path.insert(0, str(ROOT / "tests" / "integration" / "remote"))

SAFE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_RETRY_MODE": "standard",
    # Nothing on loopback needs a retry; one attempt keeps a call that moto does
    # not serve (v3's IAM check) from adding back-off sleeps to its time.
    "AWS_MAX_ATTEMPTS": "1",
    # The SageMaker SDK's telemetry (a GET to an AWS-hosted bucket per call) is
    # switched off by its documented TelemetryOptOut key, read from these files.
    "SAGEMAKER_USER_CONFIG_OVERRIDE": str(BENCH / "sdk" / "config.yaml"),
    "SAGEMAKER_ADMIN_CONFIG_OVERRIDE": str(BENCH / "sdk" / "config.yaml"),
    "SAGEMAKER_SUPPRESS_V2_WARNING": "1",
    # v3 checks the role with iam:SimulatePrincipalPolicy, which moto does not
    # serve; its documented switch turns that check off.
    "SAGEMAKER_VALIDATE_ROLE": "false",
}


@dataclass
class Loopback:
    moto_url: str
    double: Any  # sagemaker_double.SageMakerDouble

    @property
    def sagemaker_url(self) -> str:
        return str(self.double.url)


@contextmanager
def loopback_aws(phase_seconds: float = 60.0, **plan: Any) -> Iterator[Loopback]:
    """moto and the double on 127.0.0.1, this process's environment aimed at them."""
    from moto.server import ThreadedMotoServer
    from sagemaker_double import JobPlan, SageMakerDouble

    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    moto_url = f"http://{host}:{port}"
    os.environ.update(SAFE_AWS, AWS_ENDPOINT_URL=moto_url)
    double = SageMakerDouble(moto_url, phase_seconds=phase_seconds)
    double.default_plan = JobPlan(**plan)
    double.start()
    os.environ["AWS_ENDPOINT_URL_SAGEMAKER"] = double.url
    try:
        import boto3

        boto3.client("s3").create_bucket(Bucket=BUCKET)
        yield Loopback(moto_url, double)
    finally:
        double.stop()
        moto.stop()


def tool_environment(guard_log: Path, *, with_src: bool = False) -> dict[str, str]:
    """The environment a measured process gets: loopback only, nothing inherited
    that could point it elsewhere (no AWS profile, no proxies)."""
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "SYSTEMROOT")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(SAFE_AWS)
    for key in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SAGEMAKER"):
        env[key] = os.environ[key]
    paths = [str(BENCH / "guard")] + ([str(ROOT / "src")] if with_src else [])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["BENCH_GUARD_LOG"] = str(guard_log)
    env["NO_PROXY"] = "*"
    return env


def outside_attempts(guard_log: Path) -> list[str]:
    """Hosts a measured process tried to reach and the guard refused."""
    if not guard_log.exists():
        return []
    return sorted(set(guard_log.read_text().split()))
