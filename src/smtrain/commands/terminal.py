"""A ``RunListener`` that prints to the terminal, for the CLI."""

from __future__ import annotations

import sys

from smtrain.result import JobResult, StatusTransition


class TerminalListener:
    def __init__(self, *, verbose: bool = False) -> None:
        self.verbose = verbose

    def info(self, message: str) -> None:
        print(message, flush=True)

    def warning(self, message: str) -> None:
        print(f"warning: {message}", file=sys.stderr, flush=True)

    def debug(self, message: str) -> None:
        if self.verbose:
            print(f"debug: {message}", file=sys.stderr, flush=True)

    def status(self, transition: StatusTransition) -> None:
        stamp = transition.time.strftime("%H:%M:%S")
        text = f"{stamp} {transition.status} - {transition.secondary_status}"
        if transition.message:
            text += f": {transition.message}"
        print(text, flush=True)

    def log(self, host: str, line: str) -> None:
        print(f"[{host}] {line}", flush=True)

    def result(self, result: JobResult) -> None:
        print(f"{result.job_name}: {result.status}", flush=True)
        if result.failure_reason:
            print(f"failure reason: {result.failure_reason}", file=sys.stderr)
        if result.traceback_tail:
            print(result.traceback_tail, file=sys.stderr)
        if result.model_artifacts:
            print(f"model: {result.model_artifacts}")
        for name, value in result.metrics.items():
            print(f"metric {name} = {value:g}")
        if result.best_training_job_name:
            print(f"best trial: {result.best_training_job_name}")
            for name, text in sorted(result.best_hyperparameters.items()):
                print(f"  {name} = {text}")
