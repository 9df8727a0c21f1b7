"""A job root the runtime reads as /opt/ml, and the outcome of one training run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from smtrain.ml.train import main


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    root: Path

    @property
    def failure(self) -> str:
        return (self.root / "output" / "failure").read_text()


@dataclass(frozen=True)
class JobRoot:
    root: Path
    capsys: pytest.CaptureFixture[str]

    def channel(self, name: str = "train") -> Path:
        folder = self.root / "input" / "data" / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def train(self, *argv: str) -> Outcome:
        self.capsys.readouterr()
        code = main(list(argv))
        captured = self.capsys.readouterr()
        return Outcome(code, captured.out, captured.err, self.root)
