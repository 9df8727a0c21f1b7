"""The SageMaker Python SDK v2 following a training job with its logs.

    python watch_sdk2.py JOB_NAME

``Session.logs_for_job(job, wait=True, log_type="All")`` is what
``Estimator.fit(logs="All")`` and ``estimator.logs()`` run, with the SDK's
default poll of 10 s and its DescribeTrainingJob every 30 s. The benchmark runs
the SageMaker double on a fast clock, so this script gives the SDK's session
module the same fast clock: its sleeps and time stamps scaled by BENCH_TIME_SCALE.
"""

import os
import sys
import time as real_time
import types

import sagemaker.session
from sagemaker.session import Session

SCALE = float(os.environ["BENCH_TIME_SCALE"])
START = real_time.time()
clock = types.SimpleNamespace(
    time=lambda: START + (real_time.time() - START) * SCALE,
    sleep=lambda seconds: real_time.sleep(seconds / SCALE),
)
sagemaker.session.time = clock
session = Session()
# Imports done: the benchmark creates the job only now, so the SDK's slow
# start-up is not counted as log delay.
print("ready", flush=True)
sys.stdin.readline()
session.logs_for_job(sys.argv[1], wait=True, log_type="All")
