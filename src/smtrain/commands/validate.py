"""``smtrain validate FILE``: check a job spec offline, nothing sent to AWS."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from smtrain.commands.options import add_spec_arguments
from smtrain.errors import EXIT_OK
from smtrain.loader import load_spec
from smtrain.rules import find_warnings
from smtrain.spec import JobSpec


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("validate", help="check a job spec without AWS")
    add_spec_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    spec = load_spec(args.file, overrides=args.overrides)
    for warning in find_warnings(spec):
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{args.file}: valid, {summary(spec)}")
    return EXIT_OK


def summary(spec: JobSpec) -> str:
    """``2 x ml.g5.xlarge, pytorch 2.3.0, spot, on SageMaker``."""
    image = (
        f"{spec.framework} {spec.framework_version}"
        if spec.framework
        else spec.image_uri
    )
    parts = [f"{spec.instance_count} x {spec.instance_type}"]
    parts += [image] if image else []
    parts += [f"script {spec.entry_point}"] if spec.entry_point else []
    parts += ["spot"] if spec.use_spot else []
    parts.append("local" if spec.local else "on SageMaker")
    return ", ".join(parts)
