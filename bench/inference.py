"""Latency and throughput of ``smtrain serve`` on loopback.

Trains the penguins example's model (``examples/penguins/job.yml``
hyperparameters) unless ``--model`` names one, starts ``smtrain serve`` on a free
127.0.0.1 port, and sends sequential requests over one keep-alive connection:
one row and 1,000-row batches, as CSV and as JSON. Each scenario stops after
``--requests`` (single rows) or ``--batches`` requests, or ``--seconds``,
whichever comes first. Reports p50/p99 latency and rows per second.

    PYTHONPATH=src python bench/inference.py [--workers 1] [--write]

``--set model=hist-gradient-boosting --set n-estimators=`` trains a variant
(``NAME=`` drops one of the example's hyperparameters). ``--write`` replaces
this benchmark's section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "penguins"
DOC = ROOT / "docs" / "benchmarks.md"
START = "<!-- bench:inference:start -->"
END = "<!-- bench:inference:end -->"
TARGET_P99_MS = 10.0


@dataclass(frozen=True)
class Scenario:
    name: str
    content_type: str
    body: bytes
    rows: int


@dataclass(frozen=True)
class Result:
    scenario: Scenario
    latencies_ms: list[float]
    seconds: float
    handler_ms: float

    def row(self) -> dict[str, Any]:
        latencies = np.asarray(self.latencies_ms)
        return {
            "scenario": self.scenario.name,
            "requests": len(latencies),
            "p50 ms": float(np.percentile(latencies, 50)),
            "p99 ms": float(np.percentile(latencies, 99)),
            "requests/s": len(latencies) / self.seconds,
            "rows/s": len(latencies) * self.scenario.rows / self.seconds,
            "handler p50 ms": self.handler_ms,
        }


def train_example_model(workdir: Path, overrides: list[str]) -> Path:
    from smtrain.ml.environment import ROOT_ENV, TrainingEnvironment
    from smtrain.ml.hyperparameters import build_settings
    from smtrain.ml.train import train

    job = yaml.safe_load((EXAMPLE / "job.yml").read_text())
    hyperparameters = {k: str(v) for k, v in job["hyperparameters"].items()}
    for item in overrides:
        name, _, value = item.partition("=")
        hyperparameters[name] = value
    # NAME= drops a hyperparameter the other model family does not take.
    hyperparameters = {k: v for k, v in hyperparameters.items() if v}
    environment = TrainingEnvironment.from_environ(
        {ROOT_ENV: str(workdir), "SM_CHANNEL_TRAIN": str(EXAMPLE / "data")}
    )
    with threadpool_limits(limits=1):
        train(environment, build_settings(hyperparameters), hyperparameters, print)
    return environment.model_dir


def scenarios(model_dir: Path) -> list[Scenario]:
    names = json.loads((model_dir / "metadata.json").read_text())["feature_names"]
    data = pd.read_csv(EXAMPLE / "data" / "penguins.csv")[names]
    rows = data.sample(n=1000, replace=True, random_state=0)
    records = json.loads(rows.to_json(orient="records"))
    csv_row = rows.head(1).to_csv(index=False, header=False).encode()
    return [
        Scenario("1 row, CSV", "text/csv", csv_row, 1),
        Scenario("1 row, JSON", "application/json", json.dumps(records[0]).encode(), 1),
        Scenario(
            "1,000 rows, CSV", "text/csv", rows.to_csv(index=False).encode(), 1000
        ),
        Scenario(
            "1,000 rows, JSON",
            "application/json",
            json.dumps({"instances": records}).encode(),
            1000,
        ),
    ]


def start_server(model_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1"}
    env.update(AWS_EC2_METADATA_DISABLED="true", AWS_ACCESS_KEY_ID="bench")
    env.update(AWS_SECRET_ACCESS_KEY="bench")
    command = [sys.executable, "-m", "smtrain", "serve", str(model_dir)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("smtrain serve did not start within 60 seconds")


def measure(
    port: int, scenario: Scenario, requests: int, seconds: float, handler_ms: float
) -> Result:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": scenario.content_type, "Accept": "application/json"}
    for _ in range(min(20, requests)):
        _post(connection, scenario.body, headers)
    latencies: list[float] = []
    started = time.perf_counter()
    while len(latencies) < requests and time.perf_counter() - started < seconds:
        sent = time.perf_counter()
        _post(connection, scenario.body, headers)
        latencies.append((time.perf_counter() - sent) * 1000)
    elapsed = time.perf_counter() - started
    connection.close()
    return Result(scenario, latencies, elapsed, handler_ms)


def handler_p50_ms(model_dir: Path, scenario: Scenario, requests: int) -> float:
    """The handler functions alone, in this process: the server's floor."""
    from smtrain.ml.inference import input_fn, model_fn, output_fn, predict_fn

    model = model_fn(str(model_dir))
    timings = []
    with threadpool_limits(limits=1):
        for _ in range(min(requests, 200)):
            started = time.perf_counter()
            data = input_fn(scenario.body, scenario.content_type)
            output_fn(predict_fn(data, model), "application/json")
            timings.append((time.perf_counter() - started) * 1000)
    return float(np.percentile(timings, 50))


def _post(connection: http.client.HTTPConnection, body: bytes, headers: Any) -> None:
    connection.request("POST", "/invocations", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"the server answered {response.status}")


def describe_model(model_dir: Path) -> str:
    from smtrain.ml.inference import model_fn

    model = json.loads((model_dir / "metadata.json").read_text())["model"]
    trees = model["params"].get("n_estimators")
    # Which route predict_fn takes changes single-row latency tenfold.
    route = "the fast path" if model_fn(str(model_dir)).fast_path else "the pipeline"
    return (
        str(model["name"])
        + (f", {trees} trees" if trees else "")
        + (f", served through {route} (docs/inference.md, Speed)")
    )


def verdict(rows: list[dict[str, Any]]) -> str:
    worst = max(r["p99 ms"] for r in rows if r["scenario"].startswith("1 row"))
    met = "met" if worst < TARGET_P99_MS else "missed"
    return f"Single-row p99 target ({TARGET_P99_MS:g} ms): {met} ({worst:.2f} ms)."


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| scenario | requests | p50 ms | p99 ms | requests/s | rows/s "
        "| handler p50 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['scenario']} | {r['requests']} | {r['p50 ms']:.2f} | "
            f"{r['p99 ms']:.2f} | {r['requests/s']:.0f} | {r['rows/s']:.0f} | "
            f"{r['handler p50 ms']:.2f} |"
        )
    return "\n".join(lines)


def machine() -> str:
    names = ("scikit-learn", "pandas", "numpy", "gunicorn")
    versions = ", ".join(f"{n} {metadata.version(n)}" for n in names)
    # Other jobs share the machine; the load says how much they took.
    load = os.getloadavg()[0]
    return (
        f"{platform.platform()}, {os.cpu_count()} CPUs (shared, load average "
        f"{load:.2f} at the end), Python {platform.python_version()}; {versions}"
    )


def write_section(rows: list[dict[str, Any]], command: str, notes: str) -> None:
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = "\n".join(
        [
            START,
            "## Inference server (`smtrain serve`)",
            "",
            f"Command: `{command}`  ",
            f"Machine: {machine()}  ",
            f"Date: {today}",
            "",
            notes,
            "",
            table(rows),
            END,
        ]
    )
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if START in text:
        before, rest = text.split(START, 1)
        text = before + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="model folder (default: train one)")
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override one of the example's hyperparameters (NAME= drops it)",
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--requests", type=int, default=2000, help="single-row requests"
    )
    parser.add_argument("--batches", type=int, default=100, help="1,000-row requests")
    parser.add_argument("--seconds", type=float, default=60, help="cap per scenario")
    parser.add_argument(
        "--write", action="store_true", help="update docs/benchmarks.md"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="smtrain-bench-") as workdir:
        model_dir = args.model or train_example_model(Path(workdir), args.overrides)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        description = describe_model(model_dir)
        server = start_server(model_dir, port, args.workers)
        try:
            results = []
            for scenario in scenarios(model_dir):
                count = args.requests if scenario.rows == 1 else args.batches
                floor = handler_p50_ms(model_dir, scenario, count)
                results.append(measure(port, scenario, count, args.seconds, floor))
        finally:
            server.terminate()
            server.wait(timeout=30)
    rows = [result.row() for result in results]
    print(table(rows))
    if args.write:
        command = "PYTHONPATH=src python bench/inference.py " + " ".join(sys.argv[1:])
        notes = (
            f"One client, sequential requests on one keep-alive connection to "
            f"{args.workers} gunicorn worker(s), libraries single-threaded; "
            f"Accept: application/json. The model: {description}, trained on the "
            "penguins example's data. Latency is measured at the client: "
            "request, prediction and response over loopback. Handler p50 is "
            "input_fn, predict_fn and output_fn called in one process, without "
            "HTTP: the part scikit-learn and smtrain's parsing take. " + verdict(rows)
        )
        write_section(rows, command.strip(), notes)


if __name__ == "__main__":
    main()
