"""``smtrain render FILE``: print the exact request ``run`` would send.

With a ``tuning`` section that is CreateHyperParameterTuningJob, else
CreateTrainingJob.

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
from smtrain.errors import EXIT_OK, Problem, SpecError
from smtrain.loader import load_spec
from smtrain.names import deterministic_job_name
from smtrain.render import OPERATION, render_training_job
from smtrain.render_tuning import TUNING_OPERATION, render_tuning_job
from smtrain.rules import find_warnings
from smtrain.spec import JobSpec
from smtrain.tuning_names import tuning_job_name


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "render",
        help="print the CreateTrainingJob (or CreateHyperParameterTuningJob) request",
    )
    add_spec_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    spec = _remote_spec(args)
    for warning in find_warnings(spec):
        print(f"warning: {warning}", file=sys.stderr)
    if spec.tuning is not None:
        name = tuning_job_name(spec, deterministic=True)
        rendered = {TUNING_OPERATION: render_tuning_job(spec, name)}
    else:
        name = spec.job_name or deterministic_job_name(spec)
        rendered = {OPERATION: render_training_job(spec, name)}
    print(json.dumps(rendered, indent=2))
    return EXIT_OK


def _remote_spec(args: argparse.Namespace) -> JobSpec:
    """The spec as SageMaker would run it; a local-only spec is told what it lacks."""
    try:
        return load_spec(args.file, overrides=[*args.overrides, "local=false"])
    except SpecError as remote_error:
        try:
            local = load_spec(args.file, overrides=args.overrides).local
        except SpecError:
            local = False
        if not local:
            raise
        lead = Problem(
            "local",
            "is true, but render prints the request SageMaker would get, "
            "which needs what follows",
            hint="add it to the file, or give it with --set KEY=VALUE",
        )
        # "...or local: true" is no advice for a file that already says so.
        problems = [
            Problem(p.key, p.message, p.source, None)
            if "local: true" in (p.hint or "")
            else p
            for p in remote_error.problems
        ]
        raise SpecError([lead, *problems]) from None
