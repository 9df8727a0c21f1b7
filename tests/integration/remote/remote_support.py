"""Helpers shared by the remote-run tests (fixtures live in conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smtrain.result import StatusTransition
from smtrain.spec import JobSpec

BUCKET = "smtrain-remote-tests"
ROLE = "arn:aws:iam::123456789012:role/smtrain-training"


@dataclass
class RecordingListener:
    infos: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    transitions: list[StatusTransition] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)

    def info(self, message: str) -> None:
        self.infos.append(message)

    def warning(self, message: str) -> None:
        self.warnings.append(message)

    def debug(self, message: str) -> None:
        pass

    def status(self, transition: StatusTransition) -> None:
        self.transitions.append(transition)

    def log(self, host: str, line: str) -> None:
        self.lines.append((host, line))


def make_spec(**values: Any) -> JobSpec:
    base: dict[str, Any] = {
        "role-arn": ROLE,
        "image-uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1",
        "output-path": f"s3://{BUCKET}/out",
    }
    return JobSpec.model_validate({**base, **values})
