"""Install weight: the action image's dependency set next to the SageMaker SDK's.

Each set is first downloaded into a wheel folder (not timed), then installed
into a fresh venv from that folder alone (``--no-index``), timed; the venv's
size and package count are measured after. Download time is left out, so the
figure is the install itself, as on a runner with a warm cache.

    python bench/install_weight.py [--write]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchdoc import markdown_table, write_section
from loopback import BENCH, ROOT

SETS = {
    "smtrain action image (requirements/action.lock)": [
        "--require-hashes",
        "--no-deps",
        "-r",
        str(ROOT / "requirements" / "action.lock"),
    ],
    "SageMaker SDK v2 (bench/requirements-sdk.txt)": [
        "-r",
        str(BENCH / "requirements-sdk.txt"),
    ],
    "SageMaker SDK v3 (bench/requirements-sdk3.txt)": [
        "-r",
        str(BENCH / "requirements-sdk3.txt"),
    ],
}


def du_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def measure(name: str, requirement_args: list[str], tmp: Path) -> list[str]:
    wheels = tmp / f"wheels-{len(list(tmp.iterdir()))}"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "download", "-d", str(wheels), *requirement_args], check=True)
    venv = tmp / f"venv-{wheels.name}"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    empty = du_mib(venv)
    before = set(_packages(venv))
    started = time.perf_counter()
    subprocess.run(
        [
            str(venv / "bin" / "pip"),
            "install",
            "-q",
            "--no-cache-dir",
            "--no-index",
            "--find-links",
            str(wheels),
            *requirement_args,
        ],
        check=True,
    )
    seconds = time.perf_counter() - started
    added = set(_packages(venv)) - before
    download = du_mib(wheels)
    return [
        name,
        str(len(added)),
        f"{download:.0f} MiB",
        f"{du_mib(venv) - empty:.0f} MiB",
        f"{seconds:.1f} s",
    ]


def _packages(venv: Path) -> list[str]:
    done = subprocess.run(
        [str(venv / "bin" / "pip"), "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--write", action="store_true", help="update docs/benchmarks.md"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="smtrain-install-") as tmp:
        rows = [measure(name, req, Path(tmp)) for name, req in SETS.items()]
    header = ["dependency set", "packages", "wheels", "installed size", "install time"]
    text = markdown_table(header, rows)
    print(text)
    if args.write:
        body = (
            "Fresh venv per set, installed with `pip install --no-index --find-links "
            "WHEELS` from wheels downloaded beforehand (download not timed). "
            "smtrain itself adds under 1 MiB on top of its lock file.\n\n" + text
        )
        command = "python bench/install_weight.py " + " ".join(sys.argv[1:])
        write_section("install", "Install weight", command, body)


if __name__ == "__main__":
    main()
