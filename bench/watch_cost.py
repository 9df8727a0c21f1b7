"""Cost of watching a job with its logs: smtrain attach next to the SageMaker SDK.

A 1-instance and a 4-instance job each run 10 simulated minutes on the loopback
SageMaker double (Starting, Downloading, Training, Uploading: 2.5 minutes each;
40 log lines per instance over the last two phases), watched with logs by
``smtrain attach`` and by the SDK v2's ``logs_for_job(wait=True)`` (what
``fit(logs="All")`` runs). The double's clock runs fast; both watchers get the
same speed-up (smtrain through SMTRAIN_POLL_INTERVAL, the SDK through a scaled
clock in its session module), so calls per simulated minute are what a real job
of that shape costs. Each process counts its own AWS calls (bench/guard).

    PYTHONPATH=src python bench/watch_cost.py [--sdk /work/sdkvenv/bin/python] [--write]

Then 20 four-instance jobs are watched at once by 20 smtrain processes while the
double throttles one DescribeTrainingJob in five; the run passes when every
watcher exits 0 and none prints a throttling error.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from benchdoc import markdown_table, median, write_section
from loopback import BENCH, BUCKET, IMAGE, ROLE, loopback_aws, tool_environment

MINUTE = 1.0  # real seconds per simulated minute
SCALE = 60 / MINUTE
PHASE_MINUTES = 2.5
JOB_MINUTES = 4 * PHASE_MINUTES
_LINE = re.compile(r"(\S+) (algo-\d+) line (\d+)")
LOG_OPERATIONS = {"GetLogEvents", "DescribeLogStreams", "FilterLogEvents"}


@dataclass
class Watch:
    tool: str
    instances: int
    calls: Counter[str] = field(default_factory=Counter)
    seen: dict[str, float] = field(default_factory=dict)
    exit_code: int = 0
    stderr: str = ""

    def row(self, written: dict[str, float]) -> list[str]:
        status = self.calls["DescribeTrainingJob"]
        logs = sum(n for op, n in self.calls.items() if op in LOG_OPERATIONS)
        total = sum(self.calls.values())
        lags = [(self.seen[k] - written[k]) * SCALE for k in self.seen if k in written]
        return [
            self.tool,
            str(self.instances),
            str(status),
            str(logs),
            f"{total / JOB_MINUTES:.1f}",
            f"{total / JOB_MINUTES / self.instances:.1f}",
            f"{len(self.seen)}/{len(written)}",
            f"{median(lags):.0f} s / {max(lags, default=float('nan')):.0f} s",
        ]


def create_job(name: str, instances: int) -> None:
    boto3.client("sagemaker").create_training_job(
        TrainingJobName=name,
        RoleArn=ROLE,
        AlgorithmSpecification={"TrainingImage": IMAGE, "TrainingInputMode": "File"},
        OutputDataConfig={"S3OutputPath": f"s3://{BUCKET}/out"},
        ResourceConfig={
            "InstanceType": "ml.m5.large",
            "InstanceCount": instances,
            "VolumeSizeInGB": 30,
        },
        StoppingCondition={"MaxRuntimeInSeconds": 86400},
    )


# smtrain attach, imported up front and started on a go from stdin, as the SDK is.
_SMTRAIN_WATCHER = """
import sys
import smtrain.commands.attach, smtrain.remote
from smtrain.cli import main
print("ready", flush=True)
sys.stdin.readline()
sys.exit(main(["attach", sys.argv[1]]))
"""


def watcher_command(tool: str, name: str, sdk: str | None) -> list[str]:
    if tool == "smtrain attach":
        return [sys.executable, "-c", _SMTRAIN_WATCHER, name]
    assert sdk is not None
    return [sdk, str(BENCH / "contenders" / "watch_sdk2.py"), name]


def watch(tool: str, name: str, instances: int, sdk: str | None, tmp: Path) -> Watch:
    """Start the job, watch it to the end, note when each log line shows."""
    result = Watch(tool, instances)
    calls = tmp / f"{name}.calls"
    env = tool_environment(tmp / "guard.log", with_src=tool.startswith("smtrain"))
    env.update(
        BENCH_CALL_LOG=str(calls),
        BENCH_TIME_SCALE=str(SCALE),
        SMTRAIN_POLL_INTERVAL=str(5 / SCALE),
        PYTHONUNBUFFERED="1",
    )
    process = subprocess.Popen(
        watcher_command(tool, name, sdk),
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin and process.stdout
    while process.stdout.readline().strip() != "ready":
        if process.poll() is not None:
            break
    create_job(name, instances)
    process.stdin.write("go\n")
    process.stdin.close()
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.append(process.stderr.read()))  # type: ignore[union-attr]
    reader.start()
    for line in process.stdout:  # type: ignore[union-attr]
        match = _LINE.search(line)
        if match:
            result.seen.setdefault(match.group(0), time.time())
    result.exit_code = process.wait(timeout=300)
    reader.join()
    result.stderr = "".join(errors)
    if calls.exists():
        result.calls.update(line.split()[1] for line in calls.read_text().splitlines())
    return result


def written_times(name: str) -> dict[str, float]:
    """When the double wrote each line: its CloudWatch Logs event time stamp."""
    logs = boto3.client("logs")
    stamps: dict[str, float] = {}
    streams = logs.describe_log_streams(
        logGroupName="/aws/sagemaker/TrainingJobs", logStreamNamePrefix=name + "/"
    )["logStreams"]
    for stream in streams:
        events = logs.get_log_events(
            logGroupName="/aws/sagemaker/TrainingJobs",
            logStreamName=stream["logStreamName"],
            startFromHead=True,
        )["events"]
        for event in events:
            match = _LINE.search(event["message"])
            if match:
                stamps[match.group(0)] = event["timestamp"] / 1000
    return stamps


def crowd(jobs: int, tmp: Path, double: Any) -> tuple[int, int, int]:
    """``jobs`` smtrain watchers at once under injected throttling.

    Returns watchers that failed, throttling errors they printed, and the
    throttled answers the double gave.
    """
    names = [f"crowd-{n:02d}" for n in range(jobs)]
    for name in names:
        create_job(name, 4)
    double.flaky("DescribeTrainingJob", "ThrottlingException", every=5)
    processes = []
    for name in names:
        env = tool_environment(tmp / "guard.log", with_src=True)
        # Botocore's own default of 3 attempts, as users run it.
        env.update(AWS_MAX_ATTEMPTS="3", SMTRAIN_POLL_INTERVAL=str(5 / CROWD_SCALE))
        command = [sys.executable, "-m", "smtrain", "attach", name]
        processes.append(
            subprocess.Popen(
                command,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    failed = throttled_errors = 0
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        failed += process.returncode != 0
        throttled_errors += stderr.count("Throttling")
    double.flaky_operations.clear()
    injected = double.calls["DescribeTrainingJob"] // 5
    return failed, throttled_errors, injected


CROWD_MINUTE = 4.0
CROWD_SCALE = 60 / CROWD_MINUTE
HEADER = [
    "watcher",
    "instances",
    "status checks",
    "log calls",
    "calls per job-minute",
    "per instance-minute",
    "lines shown",
    "line delay p50 / max",
]


def verdicts(rows: dict[tuple[str, int], Watch]) -> list[str]:
    lines = []
    for instances in (1, 4):
        ours = rows.get(("smtrain attach", instances))
        sdk = rows.get(("SDK v2 logs_for_job", instances))
        if not ours or not sdk:
            continue
        ratio = sum(ours.calls.values()) / sum(sdk.calls.values())
        state = "met" if ratio <= 0.5 else "missed"
        lines.append(
            f"{instances}-instance job: smtrain makes {ratio:.2f}x the SDK's calls "
            f"(target ≤ 0.5x): {state}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdk", help="python of a venv with sagemaker v2")
    parser.add_argument(
        "--crowd", type=int, default=20, help="jobs watched at once (0: skip)"
    )
    parser.add_argument(
        "--write", action="store_true", help="update docs/benchmarks.md"
    )
    args = parser.parse_args()
    tools = ["smtrain attach"] + (["SDK v2 logs_for_job"] if args.sdk else [])
    phase = PHASE_MINUTES * MINUTE
    rows: dict[tuple[str, int], Watch] = {}
    table_rows = []
    with tempfile.TemporaryDirectory(prefix="smtrain-watch-") as tmp_name:
        tmp = Path(tmp_name)
        with loopback_aws(phase_seconds=phase, lines_per_host=40) as aws:
            for instances in (1, 4):
                for number, tool in enumerate(tools):
                    name = f"watch-{instances}-{number}"
                    result = watch(tool, name, instances, args.sdk, tmp)
                    if result.exit_code != 0:
                        print(
                            f"{tool} exited {result.exit_code}: {result.stderr[-500:]}"
                        )
                    rows[(tool, instances)] = result
                    table_rows.append(result.row(written_times(name)))
            text = markdown_table(HEADER, table_rows)
            print(text)
            for line in verdicts(rows):
                print(line)
        crowd_line = ""
        if args.crowd:
            with loopback_aws(
                phase_seconds=PHASE_MINUTES * CROWD_MINUTE, lines_per_host=40
            ) as aws:
                failed, shown, injected = crowd(args.crowd, tmp, aws.double)
            crowd_line = (
                f"{args.crowd} four-instance jobs watched at once by {args.crowd} "
                f"smtrain processes, the double answering ThrottlingException to "
                f"one DescribeTrainingJob in five ({injected} throttled answers): "
                f"{failed} watcher(s) failed, {shown} throttling error(s) shown."
            )
            print(crowd_line)
    if args.write:
        command = "PYTHONPATH=src python bench/watch_cost.py " + " ".join(sys.argv[1:])
        body = "\n\n".join(
            [NOTES, text, "\n".join(f"- {line}" for line in verdicts(rows)), crowd_line]
        )
        write_section("watch", "Cost of watching a job", command, body)


NOTES = (
    f"One simulated minute is {MINUTE:g} s of real time (speed-up {SCALE:g}x); "
    f"each job runs {JOB_MINUTES:g} simulated minutes. Calls are counted inside "
    "each watcher process (every botocore API call). Line delay is how long "
    "after CloudWatch Logs received a line the watcher printed it, in simulated "
    "seconds. The SDK reads every stream each 10 s and checks the status each "
    "30 s; smtrain checks the status each 5-30 s (adaptive) and reads a stream "
    "each 5 s while it talks, less often once it is quiet."
)


if __name__ == "__main__":
    main()
