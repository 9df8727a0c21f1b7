"""Local mode overhead: ``smtrain run --local`` against running the script by hand.

The same training script (about a second of pure-Python work, a 1 MB input
file, a small model written) runs, interleaved, as ``python train.py`` in a
prepared folder and as ``smtrain run job.yml --local``, each a new process.
Overhead is smtrain's median minus the hand run's; the target is under
0.5 s plus 5 % of the hand run.

    PYTHONPATH=src python bench/local_overhead.py [--rounds 10] [--write]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchdoc import markdown_table, median, write_section
from loopback import ROOT

TRAIN_PY = """\
import os, sys
data = os.environ.get("SM_CHANNEL_TRAIN", "data")
rows = open(os.path.join(data, "train.csv")).read().splitlines()
total = 0
for _ in range(40):
    for row in rows:
        total += len(row)
model = os.environ.get("SM_MODEL_DIR", "model")
os.makedirs(model, exist_ok=True)
open(os.path.join(model, "model.txt"), "w").write(str(total))
print("trained", total, sys.argv[1:])
"""
SPEC = """\
job-name-prefix: local-bench
source-dir: code
entry-point: train.py
inputs:
  train: data
hyperparameters:
  epochs: 3
local: true
"""


def prepare(workdir: Path) -> None:
    (workdir / "code").mkdir()
    (workdir / "code" / "train.py").write_text(TRAIN_PY)
    (workdir / "data").mkdir()
    rows = "\n".join(f"{n},{n * 7 % 13},{n % 2}" for n in range(80_000))
    (workdir / "data" / "train.csv").write_text(rows)
    (workdir / "job.yml").write_text(SPEC)


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--write", action="store_true", help="update docs/benchmarks.md"
    )
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    hand, ours = [], []
    with tempfile.TemporaryDirectory(prefix="smtrain-local-") as tmp:
        workdir = Path(tmp)
        prepare(workdir)
        by_hand = [sys.executable, "code/train.py", "--epochs", "3"]
        smtrain = [sys.executable, "-m", "smtrain", "run", "job.yml", "--local"]
        for number in range(args.rounds + 1):
            h, o = timed(by_hand, workdir, env), timed(smtrain, workdir, env)
            if number:  # the first round warms the file cache
                hand.append(h)
                ours.append(o)
    overhead = median(ours) - median(hand)
    allowed = 0.5 + 0.05 * median(hand)
    state = "met" if overhead < allowed else "missed"
    rows = [
        ["python train.py (by hand)", f"{median(hand):.2f} s", "", ""],
        [
            "smtrain run --local",
            f"{median(ours):.2f} s",
            f"{overhead:+.2f} s",
            f"< {allowed:.2f} s: {state}",
        ],
    ]
    text = markdown_table(["run", "wall p50", "overhead", "target"], rows)
    print(text)
    if args.write:
        body = (
            f"{args.rounds} interleaved rounds after one warm-up, medians. The smtrain "
            "run builds the job root (config files, a copy of the code, the input "
            "channel), runs the script with the SM_* environment, and packs "
            "model.tar.gz and output.tar.gz.\n\n" + text
        )
        command = "PYTHONPATH=src python bench/local_overhead.py " + " ".join(
            sys.argv[1:]
        )
        write_section("local", "Local mode overhead", command, body)


if __name__ == "__main__":
    main()
