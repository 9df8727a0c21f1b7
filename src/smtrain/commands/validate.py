"""``smtrain validate FILE``: check a job spec offline."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from smtrain.errors import EXIT_OK, Problem, SpecError
from smtrain.spec import JobSpec


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("validate", help="check a job spec without AWS")
    parser.add_argument("file", type=Path, help="job spec YAML file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    data = yaml.safe_load(args.file.read_text()) or {}
    try:
        spec = JobSpec.model_validate(data)
    except Exception as error:  # replaced by the loader's precise problems
        raise SpecError([Problem(key="-", message=str(error))]) from None
    print(f"{args.file}: valid ({spec.instance_count} x {spec.instance_type})")
    return EXIT_OK
