"""A SageMaker double on 127.0.0.1 for what moto does not model.

It speaks SageMaker's JSON protocol (``X-Amz-Target: SageMaker.<Operation>``)
for CreateTrainingJob, DescribeTrainingJob, StopTrainingJob, ListTags and AddTags,
and runs each job on a fast clock: Starting, Downloading, Training, Uploading,
then Completed or Failed, or Stopping then Stopped. While a job trains, a ticker
thread writes its instances' log lines into moto's CloudWatch Logs. See README.md.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
from sagemaker_jobs import DoubleError, Job, JobPlan, describe

LOG_GROUP = "/aws/sagemaker/TrainingJobs"
_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
_PHASES = ("Starting", "Downloading", "Training", "Uploading")
_MESSAGES = {
    "Starting": "Preparing the instances for training",
    "Downloading": "Downloading input data",
    "Training": "Training image download completed. Training in progress.",
    "Uploading": "Uploading generated training model",
    "Completed": "Training job completed",
    "Failed": "Training job failed",
    "Stopping": "Stopping the training job",
    "Stopped": "Training job stopped",
}


class SageMakerDouble:
    """Call ``start()``, then point clients at ``url`` (AWS_ENDPOINT_URL_SAGEMAKER)."""

    def __init__(self, logs_endpoint: str, *, phase_seconds: float = 0.3) -> None:
        self.phase_seconds = phase_seconds
        self.default_plan = JobPlan()
        self.plans: dict[str, JobPlan] = {}
        self.calls: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.jobs: dict[str, Job] = {}
        self.faults: dict[str, list[tuple[str, int]]] = {}
        self.flaky_operations: dict[str, tuple[str, int, int]] = {}
        self.held: dict[str, threading.Event] = {}
        self.holding = 0
        self.stops_while_holding = 0
        self.lose_create_response = False
        self._lock = threading.RLock()
        self._logs = boto3.client(
            "logs", endpoint_url=logs_endpoint, region_name="us-east-1"
        )
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._running = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> None:
        self._running.set()
        for target in (self._serve, self._tick_forever):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self) -> None:
        self._server.serve_forever(poll_interval=0.05)

    def wait_for(self, job_name: str, status: str, timeout: float = 20.0) -> None:
        """Block until the job reaches this secondary status (bounded)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                job = self.jobs.get(job_name)
                if job and any(t["Status"] == status for t in job.transitions):
                    return
            time.sleep(0.02)
        raise TimeoutError(f"{job_name} never reached {status}")

    def stop(self) -> None:
        self._running.clear()
        self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def fail_next(
        self, operation: str, code: str, status: int = 400, times: int = 1
    ) -> None:
        """Answer the next ``times`` calls of ``operation`` with this error."""
        with self._lock:
            self.faults.setdefault(operation, []).extend([(code, status)] * times)

    def flaky(
        self, operation: str, code: str, status: int = 400, every: int = 2
    ) -> None:
        """From now on, fail every ``every``-th call of ``operation`` (1: all)."""
        with self._lock:
            self.flaky_operations[operation] = (code, status, every)

    def hold(self, operation: str) -> threading.Event:
        """Block calls of ``operation`` until the returned event is set (max 20 s)."""
        gate = threading.Event()
        self.held[operation] = gate
        return gate

    def _wait_if_held(self, operation: str) -> None:
        gate = self.held.get(operation)
        if gate is None:
            return
        with self._lock:
            self.holding += 1
        gate.wait(20)
        with self._lock:
            self.holding -= 1

    # -- the protocol -----------------------------------------------------------

    def handle(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        self._wait_if_held(operation)
        with self._lock:
            self.calls[operation] += 1
            self.requests.append((operation, body))
            faults = self.faults.get(operation)
            if faults:
                code, status = faults.pop(0)
                raise DoubleError(code, f"injected {code}", status)
            if operation in self.flaky_operations:
                code, status, every = self.flaky_operations[operation]
                if self.calls[operation] % every == 0:
                    raise DoubleError(code, f"injected {code}", status)
            method = getattr(self, f"_op_{operation}", None)
            if method is None:
                raise DoubleError("UnknownOperationException", operation)
            result: dict[str, Any] = method(body)
            return result

    def _op_CreateTrainingJob(self, body: dict[str, Any]) -> dict[str, Any]:
        name = body["TrainingJobName"]
        if not _NAME.match(name):
            raise DoubleError("ValidationException", f"invalid name {name}")
        if name in self.jobs:
            raise DoubleError("ResourceInUse", f"Training job {name} already exists")
        arn = f"arn:aws:sagemaker:us-east-1:123456789012:training-job/{name.lower()}"
        job = Job(body, self.plans.get(name, self.default_plan), time.monotonic(), arn)
        job.tags = {t["Key"]: t["Value"] for t in body.get("Tags", [])}
        self._advance(job, time.monotonic())
        self.jobs[name] = job
        if self.lose_create_response:
            self.lose_create_response = False
            raise DoubleError("InternalFailure", "connection lost after create", 500)
        return {"TrainingJobArn": arn}

    def _op_DescribeTrainingJob(self, body: dict[str, Any]) -> dict[str, Any]:
        job = self._job(body["TrainingJobName"])
        return describe(job)

    def _op_StopTrainingJob(self, body: dict[str, Any]) -> dict[str, Any]:
        job = self._job(body["TrainingJobName"])
        if job.status in ("Completed", "Failed", "Stopped", "Stopping"):
            raise DoubleError("ValidationException", f"job is {job.status}")
        job.stop_requested = time.monotonic()
        self.stops_while_holding += 1 if self.holding else 0
        self._push(job, "Stopping")
        return {}

    def _op_ListTags(self, body: dict[str, Any]) -> dict[str, Any]:
        job = self._job_by_arn(body["ResourceArn"])
        return {"Tags": [{"Key": k, "Value": v} for k, v in job.tags.items()]}

    def _op_AddTags(self, body: dict[str, Any]) -> dict[str, Any]:
        job = self._job_by_arn(body["ResourceArn"])
        job.tags.update({t["Key"]: t["Value"] for t in body["Tags"]})
        return {"Tags": body["Tags"]}

    def _job(self, name: str) -> Job:
        if name not in self.jobs:
            raise DoubleError("ValidationException", "Requested resource not found.")
        return self.jobs[name]

    def _job_by_arn(self, arn: str) -> Job:
        for job in self.jobs.values():
            if job.arn == arn:
                return job
        raise DoubleError("ValidationException", "Requested resource not found.")

    # -- the clock ----------------------------------------------------------------

    def _tick_forever(self) -> None:
        while self._running.is_set():
            with self._lock:
                now = time.monotonic()
                for job in self.jobs.values():
                    self._advance(job, now)
            time.sleep(self.phase_seconds / 10)

    def _advance(self, job: Job, now: float) -> None:
        if job.stop_requested is not None:
            if (
                job.status == "Stopping"
                and now - job.stop_requested >= self.phase_seconds
            ):
                self._push(job, "Stopped")
            return
        if job.status in ("Completed", "Failed", "Stopped"):
            return
        phase = int((now - job.created) / self.phase_seconds)
        for name in _PHASES[: phase + 1]:
            if not any(t["Status"] == name for t in job.transitions):
                self._push(job, name)
        if job.status in ("Training", "Uploading"):
            self._write_logs(job, now)
        self._finish_if_due(job, phase, now)

    def _finish_if_due(self, job: Job, phase: int, now: float) -> None:
        if job.plan.endless or phase < len(_PHASES):
            return
        if not self._all_logs_written(job):
            return
        if job.plan.outcome == "Failed":
            self._write_closing_lines(job, now)
        self._push(job, job.plan.outcome)

    def _push(self, job: Job, status: str) -> None:
        stamp = time.time()
        if job.transitions:
            job.transitions[-1]["EndTime"] = stamp
        job.transitions.append(
            {"Status": status, "StartTime": stamp, "StatusMessage": _MESSAGES[status]}
        )

    # -- the logs -------------------------------------------------------------------

    def _write_logs(self, job: Job, now: float) -> None:
        training_start = job.created + 2 * self.phase_seconds
        span = 2 * self.phase_seconds
        for host in range(1, job.request["ResourceConfig"]["InstanceCount"] + 1):
            begin = training_start + job.plan.late_hosts.get(host, 0.0)
            if now < begin:
                continue
            due = min(
                job.plan.lines_for(host),
                int((now - begin) / span * job.plan.lines_for(host)) + 1,
            )
            self._write_host(job, host, due)

    def _write_host(self, job: Job, host: int, due: int) -> None:
        done = job.written.get(host, 0)
        if due <= done:
            return
        name = job.request["TrainingJobName"]
        lines = [f"{name} algo-{host} line {n}" for n in range(done + 1, due + 1)]
        self._put(job, host, lines)
        job.written[host] = due

    def _write_closing_lines(self, job: Job, now: float) -> None:
        if job.plan.closing_lines:
            self._put(job, 1, job.plan.closing_lines)

    def _all_logs_written(self, job: Job) -> bool:
        count = job.request["ResourceConfig"]["InstanceCount"]
        return all(
            job.written.get(h, 0) >= job.plan.lines_for(h) for h in range(1, count + 1)
        )

    def _put(self, job: Job, host: int, lines: list[str]) -> None:
        stream = job.streams.get(host)
        if stream is None:
            stream = f"{job.request['TrainingJobName']}/algo-{host}-{int(time.time())}"
            _ensure_group(self._logs)
            self._logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
            job.streams[host] = stream
        stamp = int(time.time() * 1000)
        events = [{"timestamp": stamp, "message": line} for line in lines]
        self._logs.put_log_events(
            logGroupName=LOG_GROUP, logStreamName=stream, logEvents=events
        )


def _ensure_group(logs: Any) -> None:
    with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_group(logGroupName=LOG_GROUP)


def _handler_for(double: SageMakerDouble) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            operation = self.headers.get("X-Amz-Target", "").partition(".")[2]
            try:
                self._reply(200, double.handle(operation, body))
            except DoubleError as error:
                self._reply(error.status, {"__type": error.code, "message": str(error)})

        def _reply(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("x-amzn-RequestId", "double-request")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
