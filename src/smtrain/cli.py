"""The ``smtrain`` command line: runs a command and maps errors to exit codes.

This is the only layer that prints to the terminal or decides the exit code. Each
command lives in ``smtrain.commands.<name>`` and exposes ``register(subparsers)``;
the command function returns an exit code or raises an ``SmtrainError``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Callable, Sequence

from smtrain import __version__
from smtrain.errors import EXIT_CANCELLED, SmtrainError

# Only the command being run is imported, so `smtrain validate` never pays for
# boto3 or the ML stack, and `smtrain run` not for the action's modules.
COMMAND_MODULES = (
    "validate",
    "render",
    "schema",
    "run",
    "status",
    "logs",
    "stop",
    "attach",
    "serve",
    "action",
)

Handler = Callable[[argparse.Namespace], int]


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: just its command's, or every command's for help."""
    parser = argparse.ArgumentParser(
        prog="smtrain",
        description="Run SageMaker training jobs from a YAML file, or locally.",
    )
    parser.add_argument("--version", action="version", version=f"smtrain {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _commands_to_register(argv):
        module = importlib.import_module(f"smtrain.commands.{name}")
        module.register(subparsers)
    return parser


def _commands_to_register(argv: Sequence[str] | None) -> Sequence[str]:
    args = sys.argv[1:] if argv is None else argv
    first = next((arg for arg in args if not arg.startswith("-")), None)
    # Top-level options (--help, --version) come before any command; with one of
    # them, or a misspelt command, argparse needs every command to answer.
    if first in COMMAND_MODULES and args[0] == first:
        return (first,)
    if first is None and "--version" in args:
        return ()
    return COMMAND_MODULES


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except SmtrainError as error:
        print(f"smtrain: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("smtrain: cancelled", file=sys.stderr)
        return EXIT_CANCELLED
    except BrokenPipeError:
        # The reader went away (`smtrain render job.yml | head`): not an error of
        # ours. Point stdout at /dev/null so the interpreter's final flush is quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception:
        # A bug in smtrain, not the user's fault: keep the report short unless asked.
        if os.environ.get("SMTRAIN_DEBUG"):
            traceback.print_exc()
        else:
            kind, value, _ = sys.exc_info()
            name = kind.__name__ if kind else "Exception"
            print(
                f"smtrain: internal error: {name}: {value}\n"
                "Set SMTRAIN_DEBUG=1 for the traceback and report it as a bug.",
                file=sys.stderr,
            )
        return 1


if __name__ == "__main__":
    sys.exit(main())
