"""``smtrain render FILE``: print the exact request ``run`` would send.

Always the SageMaker request, even for a spec with ``local: true``. Without a
job-name the name is the one ``run`` would use in GitHub Actions, and elsewhere
``<job-name-prefix>-<12 hex digits of the spec's digest>``, so the same spec
always renders the same output.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from smtrain.commands.options import add_spec_arguments
from smtrain.errors import EXIT_OK
from smtrain.loader import load_spec
from smtrain.names import deterministic_job_name
from smtrain.render import OPERATION, render_training_job
from smtrain.rules import find_warnings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "render", help="print the CreateTrainingJob request as JSON"
    )
    add_spec_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    spec = load_spec(args.file, overrides=[*args.overrides, "local=false"])
    for warning in find_warnings(spec):
        print(f"warning: {warning}", file=sys.stderr)
    name = spec.job_name or deterministic_job_name(spec)
    request = render_training_job(spec, name)
    print(json.dumps({OPERATION: request}, indent=2))
    return EXIT_OK
