"""Time to submit a training job: smtrain, a boto3 script and the SageMaker SDK.

Each contender is a whole new process that packs a small source folder, uploads
it and calls CreateTrainingJob on the loopback SageMaker double (S3 and STS on
moto), then exits without waiting. Runs are interleaved (A B C, A B C, ...) so
a busy machine slows every contender alike; the headline is the ratio of medians.

    PYTHONPATH=src python bench/submit_time.py [--rounds 15] [--write]
    PYTHONPATH=src python bench/submit_time.py --sdk /work/sdkvenv/bin/python \\
        --sdk3 /work/sdk3venv/bin/python --write

Without --sdk the SDK columns are left out (see bench/README.md to make its
venv). Wall time is from fork to exit; CPU is the child's user + system time,
which a busy machine inflates less.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchdoc import markdown_table, median, write_section
from loopback import (
    BENCH,
    BUCKET,
    IMAGE,
    ROLE,
    loopback_aws,
    outside_attempts,
    tool_environment,
)

TRAIN_PY = "import sys\nprint('training', sys.argv[1:])\n"
SPEC = f"""\
job-name-prefix: bench
role-arn: {ROLE}
image-uri: {IMAGE}
source-dir: code
entry-point: train.py
instance-type: ml.m5.large
output-path: s3://{BUCKET}/out
hyperparameters:
  epochs: 3
wait: false
"""


@dataclass
class Contender:
    name: str
    command: list[str]
    with_src: bool = False
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def contenders(args: argparse.Namespace, workdir: Path) -> list[Contender]:
    found = [
        Contender(
            "smtrain run --no-wait",
            [sys.executable, "-m", "smtrain", "run", str(workdir / "job.yml")],
            with_src=True,
        ),
        Contender(
            "boto3 script",
            [sys.executable, str(BENCH / "contenders" / "submit_boto3.py")],
        ),
    ]
    if args.sdk:
        found.append(
            Contender(
                "SDK v2 Estimator.fit(wait=False)",
                [args.sdk, str(BENCH / "contenders" / "submit_sdk2.py")],
            )
        )
    if args.sdk3:
        found.append(
            Contender(
                "SDK v3 ModelTrainer.train(wait=False)",
                [args.sdk3, str(BENCH / "contenders" / "submit_sdk3.py")],
            )
        )
    return found


def run_once(contender: Contender, workdir: Path, number: int, guard: Path) -> None:
    name = f"bench-{number:03d}-{abs(hash(contender.name)) % 10_000:04d}"
    command = list(contender.command)
    if "smtrain" not in contender.name:
        command += [name, str(workdir / "code"), BUCKET, ROLE, IMAGE]
    else:
        command += ["--set", f"job-name={name}"]
    env = tool_environment(guard, with_src=contender.with_src)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=workdir, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        contender.failures.append(
            done.stderr.strip().splitlines()[-1:][0]
            if done.stderr.strip()
            else f"exit {done.returncode}"
        )
        return
    contender.walls.append(wall)
    contender.cpus.append(
        after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    )


def benchmark(args: argparse.Namespace) -> tuple[list[Contender], list[str], int]:
    with (
        tempfile.TemporaryDirectory(prefix="smtrain-submit-") as tmp,
        loopback_aws() as aws,
    ):
        workdir = Path(tmp)
        (workdir / "code").mkdir()
        (workdir / "code" / "train.py").write_text(TRAIN_PY)
        (workdir / "job.yml").write_text(SPEC)
        guard = workdir / "guard.log"
        field = contenders(args, workdir)
        for number in range(args.warmup + args.rounds):
            for contender in field:
                run_once(contender, workdir, number, guard)
                if number < args.warmup:
                    contender.walls.clear()
                    contender.cpus.clear()
        creates = aws.double.calls["CreateTrainingJob"]
        return field, outside_attempts(guard), creates


def table(field: list[Contender]) -> str:
    base = field[0]
    boto = field[1]
    rows = []
    for c in field:
        wall, cpu = median(c.walls), median(c.cpus)
        rows.append(
            [
                c.name,
                str(len(c.walls)),
                f"{wall:.2f} s",
                f"{cpu:.2f} s",
                f"{median(base.walls) / wall:.2f}x" if c is not base else "1.00x",
                f"{median(base.cpus) / cpu:.2f}x" if c is not base else "1.00x",
                f"{wall / median(boto.walls):.2f}x",
            ]
        )
    header = [
        "contender",
        "runs",
        "wall p50",
        "CPU p50",
        "smtrain / this (wall)",
        "smtrain / this (CPU)",
        "this / boto3 (wall)",
    ]
    return markdown_table(header, rows)


def verdicts(field: list[Contender]) -> list[str]:
    smtrain = field[0]
    lines = []
    for c in field[1:]:
        if not c.walls:
            continue
        ratio = median(smtrain.walls) / median(c.walls)
        cpu_ratio = median(smtrain.cpus) / median(c.cpus)
        if c.name == "boto3 script":
            target, met = "≤ 1.3x", ratio <= 1.3
        else:
            target, met = "< 0.25x", ratio < 0.25
        state = "met" if met else "missed"
        lines.append(
            f"smtrain / {c.name}: {ratio:.2f}x wall ({cpu_ratio:.2f}x CPU), "
            f"target {target}: {state}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--sdk", help="python of a venv with sagemaker v2")
    parser.add_argument("--sdk3", help="python of a venv with sagemaker v3")
    parser.add_argument(
        "--write", action="store_true", help="update docs/benchmarks.md"
    )
    args = parser.parse_args()
    field, outside, creates = benchmark(args)
    print(table(field))
    for line in verdicts(field):
        print(line)
    failures = {c.name: c.failures for c in field if c.failures}
    if failures:
        print("failures:", failures)
    print(f"CreateTrainingJob calls seen by the double: {creates}")
    print("refused non-loopback addresses:", ", ".join(outside) or "none")
    if args.write:
        command = "PYTHONPATH=src python bench/submit_time.py " + " ".join(sys.argv[1:])
        body = "\n\n".join(
            [
                NOTES.format(rounds=args.rounds, warmup=args.warmup),
                table(field),
                "\n".join(f"- {line}" for line in verdicts(field)),
                "Addresses outside 127.0.0.1 that a contender tried and the guard "
                f"refused: {', '.join(outside) or 'none'}.",
            ]
        )
        write_section("submit", "Time to submit", command, body)


NOTES = (
    "Each run is a new process: pack a one-file source folder, upload it to S3 "
    "(moto) and call CreateTrainingJob on the SageMaker double, both on 127.0.0.1, "
    "then exit without waiting. {rounds} interleaved rounds after {warmup} "
    "warm-up round(s); medians. smtrain also checks the credentials "
    "(GetCallerIdentity) and looks the job name up before creating (its "
    "submit-exactly-once rule), which the boto3 script does not do. CPU is the "
    "process's user + system time, less affected by other load on the machine."
)


if __name__ == "__main__":
    main()
