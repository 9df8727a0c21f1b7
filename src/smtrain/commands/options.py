"""Arguments several commands share."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_spec_arguments(parser: argparse.ArgumentParser) -> None:
    """FILE and repeatable ``--set KEY=VALUE``."""
    parser.add_argument("file", type=Path, help="job spec YAML file")
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a spec key, e.g. --set hyperparameters.lr=0.1 (repeatable)",
    )
