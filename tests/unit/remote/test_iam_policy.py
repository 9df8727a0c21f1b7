"""The documented IAM policy grants exactly the calls a remote run makes.

Local mode (``smtrain/local``) runs on the developer's machine with their own
credentials and is left out: it reads inputs from and writes outputs to S3 only.
So is ``smtrain/ml``: it runs in the training or serving container under that
container's role (``smtrain serve`` may read a model from S3), never the CI role.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[3]
POLICY = ROOT / "docs" / "iam-policy.json"
SOURCES = ROOT / "src" / "smtrain"
# Clients the orchestrator builds, by the IAM prefix of their service.
SERVICES = {"sagemaker": "sagemaker", "logs": "logs", "s3": "s3", "sts": "sts"}
# Allowed without any IAM permission, or granted by the role's trust policy.
NEEDS_NO_PERMISSION = {
    "sts:GetCallerIdentity",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRole",
}
# Checked by AWS on CreateTrainingJob itself: tags on create, passing the role.
IMPLIED_BY_CREATE = {"sagemaker:AddTags", "iam:PassRole"}
# Calls on a client variable (``sagemaker.``, ``self._logs.``, ``s3.``), on a
# client built inline (``...).get_caller_identity(``), paginated ones, and the
# calls a ``JobKind`` names for ``Submitter`` (``create="create_training_job"``).
_CALLS = (
    re.compile(r"(?:sagemaker|logs|s3|\))\.([a-z][a-z0-9_]+)\("),
    re.compile(r'get_paginator\("(\w+)"\)'),
    re.compile(r'(?:describe|create)="([a-z_]+)"'),
)


def _actions_called_in_source() -> set[str]:
    names: set[str] = set()
    for path in SOURCES.rglob("*.py"):
        if {"local", "ml"} & set(path.relative_to(SOURCES).parts):
            continue
        text = path.read_text()
        for pattern in _CALLS:
            names |= set(pattern.findall(text))
    actions: set[str] = set()
    for service, prefix in SERVICES.items():
        client = boto3.client(service, region_name="us-east-1")
        mapping = client.meta.method_to_api_mapping
        actions |= {f"{prefix}:{mapping[n]}" for n in names if n in mapping}
    return actions


def _actions_in_policy() -> set[str]:
    document = json.loads(POLICY.read_text())
    actions: set[str] = set()
    for statement in document["Statement"]:
        value = statement["Action"]
        actions |= {value} if isinstance(value, str) else set(value)
    return actions


def test_policy_grants_every_call_the_code_makes() -> None:
    needed = _actions_called_in_source() - NEEDS_NO_PERMISSION

    assert needed - _actions_in_policy() == set()


def test_policy_grants_nothing_the_code_does_not_need() -> None:
    used = _actions_called_in_source() | IMPLIED_BY_CREATE

    assert _actions_in_policy() - used == set()


def test_source_scan_finds_the_calls_we_know_of() -> None:
    # Guards the scan itself: a regex that matched nothing would pass the above.
    assert {"sagemaker:CreateTrainingJob", "logs:GetLogEvents", "s3:PutObject"} <= (
        _actions_called_in_source()
    )
