"""The action's inputs, read from ``INPUT_*`` exactly as the runner sets them.

The runner upper-cases the input name and keeps its hyphens
(``job-name`` -> ``INPUT_JOB-NAME``) and passes every declared input, with the
empty string for one the workflow left unset.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from smtrain.aws.auth import AuthInputs
from smtrain.errors import Problem, SpecError
from smtrain.spec import spec_keys

CONFIG_INPUT = "config"
AUTH_INPUTS: dict[str, str] = {
    "role-to-assume": "Role ARN to assume with the workflow's GitHub OIDC token.",
    "role-session-name": "Session name of the assumed role; default smtrain.",
    "role-duration-seconds": "Lifetime of the assumed role's credentials; "
    "default 3600 (refreshed while the job runs).",
    "audience": "Audience of the GitHub OIDC token; default sts.amazonaws.com.",
    "aws-access-key-id": "Access key id, instead of (or to assume) a role.",
    "aws-secret-access-key": "Secret access key going with aws-access-key-id.",
    "aws-session-token": "Session token of temporary access keys.",
}
SECRET_INPUTS = ("aws-access-key-id", "aws-secret-access-key", "aws-session-token")


def env_name(input_name: str) -> str:
    return "INPUT_" + input_name.upper()


@dataclass(frozen=True)
class ActionInputs:
    """What the workflow asked for: the config file, spec keys and credentials."""

    config: Path | None
    spec_inputs: dict[str, str]
    auth: AuthInputs


def secret_values(env: Mapping[str, str] | None = None) -> list[str]:
    """Every secret input's value, to mask before anything else is printed."""
    env = os.environ if env is None else env
    return [v for v in (env.get(env_name(n), "") for n in SECRET_INPUTS) if v]


def read_inputs(env: Mapping[str, str] | None = None) -> ActionInputs:
    """Parse the inputs; a malformed auth input raises ``SpecError``."""
    env = os.environ if env is None else env

    def value(name: str) -> str:
        return env.get(env_name(name), "").strip()

    spec_inputs = {key: env.get(env_name(key), "") for key in spec_keys()}
    config = value(CONFIG_INPUT)
    return ActionInputs(
        config=Path(config) if config else None,
        spec_inputs={k: v for k, v in spec_inputs.items() if v != ""},
        auth=_auth_inputs(value),
    )


def _auth_inputs(value: Callable[[str], str]) -> AuthInputs:
    defaults = AuthInputs()
    return AuthInputs(
        role_to_assume=value("role-to-assume") or None,
        role_session_name=value("role-session-name") or defaults.role_session_name,
        role_duration_seconds=_duration(value("role-duration-seconds")),
        audience=value("audience") or defaults.audience,
        access_key_id=value("aws-access-key-id") or None,
        secret_access_key=value("aws-secret-access-key") or None,
        session_token=value("aws-session-token") or None,
    )


def _duration(text: str) -> int:
    if not text:
        return AuthInputs().role_duration_seconds
    if text.isdigit() and 900 <= int(text) <= 43200:
        return int(text)
    problem = Problem(
        "role-duration-seconds",
        f"expected whole seconds between 900 and 43200, got {text!r}",
        "input role-duration-seconds",
        "AWS allows 15 minutes to 12 hours, and the role's own maximum",
    )
    raise SpecError([problem])
