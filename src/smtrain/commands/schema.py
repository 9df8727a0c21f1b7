"""``smtrain schema``: print the JSON Schema of the job spec."""

from __future__ import annotations

import argparse
import json
from typing import Any

from smtrain.errors import EXIT_OK
from smtrain.schema import spec_schema


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("schema", help="print the job spec JSON Schema")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    print(json.dumps(spec_schema(), indent=2))
    return EXIT_OK
