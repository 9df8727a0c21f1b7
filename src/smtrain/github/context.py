"""The GitHub Actions run smtrain is part of, read from the runner's variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

TAG_PREFIX = "smtrain:"
_TAG_VALUE_LIMIT = 256
_TAG_VALUE_EXTRA = frozenset("_.:/=+-@ ")


@dataclass(frozen=True)
class GitHubRun:
    repository: str
    commit: str
    workflow: str
    run_id: str
    run_attempt: str
    ref: str

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> GitHubRun | None:
        """The current run, or None outside GitHub Actions."""
        env = os.environ if env is None else env
        if env.get("GITHUB_ACTIONS") != "true" or not env.get("GITHUB_RUN_ID"):
            return None
        return cls(
            repository=env.get("GITHUB_REPOSITORY", ""),
            commit=env.get("GITHUB_SHA", ""),
            workflow=env.get("GITHUB_WORKFLOW", ""),
            run_id=env["GITHUB_RUN_ID"],
            run_attempt=env.get("GITHUB_RUN_ATTEMPT", "1"),
            ref=env.get("GITHUB_REF", ""),
        )

    def tags(self) -> dict[str, str]:
        """Tags that lead from a training job back to the run that started it."""
        values = {
            "repository": self.repository,
            "commit": self.commit,
            "workflow": self.workflow,
            "run-id": self.run_id,
            "run-attempt": self.run_attempt,
            "ref": self.ref,
        }
        return {TAG_PREFIX + k: tag_value(v) for k, v in values.items() if v}


def tag_value(text: str) -> str:
    """``text`` within SageMaker's tag-value alphabet and length."""
    kept = (c if c.isalnum() or c in _TAG_VALUE_EXTRA else "_" for c in text)
    return "".join(kept)[:_TAG_VALUE_LIMIT]
