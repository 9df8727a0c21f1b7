"""Which credentials a remote run uses, as the CLI or the GitHub action fills them.

Order: explicit inputs first (``role_to_assume`` with GitHub OIDC, or access keys,
or both to assume a role from keys; outside GitHub Actions ``role_to_assume``
alone is assumed from boto3's chain), then boto3's normal chain (environment
variables exported by aws-actions/configure-aws-credentials, profiles, instance
roles). ``open_session`` checks that credentials exist and fetches an assumed
role's; every call translates a refusal into a message that names the fix, and the
first call of a run (looking the job name up) comes before anything is uploaded.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import (
    AssumeRoleCredentialFetcher,
    CredentialProvider,
    DeferredRefreshableCredentials,
)
from botocore.parsers import ResponseParserError

from smtrain.aws.errors import NO_CREDENTIALS, NO_REGION, aws_errors
from smtrain.aws.models import data_loader
from smtrain.aws.oidc import (
    GITHUB_OIDC_AUDIENCE,
    REQUEST_URL_VAR,
    GitHubTokenLoader,
    web_identity_fetcher,
)
from smtrain.errors import CredentialsError

_HALF_KEYS = (
    "access-key-id and secret-access-key must be given together; "
    "set both, or neither and use role-to-assume"
)


@dataclass(frozen=True)
class AuthInputs:
    """Credential inputs; all empty means boto3's normal credential chain."""

    role_to_assume: str | None = None
    role_session_name: str = "smtrain"
    role_duration_seconds: int = 3600
    audience: str = GITHUB_OIDC_AUDIENCE
    access_key_id: str | None = None
    # Kept out of repr() so a logged or printed AuthInputs never shows a secret.
    secret_access_key: str | None = field(default=None, repr=False)
    session_token: str | None = field(default=None, repr=False)

    @property
    def has_keys(self) -> bool:
        return bool(self.access_key_id or self.secret_access_key)


class _FixedCredentialsProvider(CredentialProvider):  # type: ignore[misc]
    """Hands botocore credentials we built, ahead of its own chain."""

    METHOD = "smtrain"

    def __init__(self, credentials: DeferredRefreshableCredentials) -> None:
        self._credentials = credentials

    def load(self) -> DeferredRefreshableCredentials:
        return self._credentials


def retry_config() -> Config:
    """botocore's standard retry mode: jittered exponential backoff on throttling.

    The number of attempts stays botocore's (``AWS_MAX_ATTEMPTS``, default 3).
    """
    return Config(retries={"mode": "standard"})


def open_session(
    auth: AuthInputs,
    region: str | None,
    on_new_credentials: Callable[[list[str]], None] | None = None,
) -> boto3.Session:
    """A boto3 session with working credentials and a region, or a CredentialsError.

    ``on_new_credentials`` receives the key, secret and token of every set of
    role credentials smtrain obtains, the first and each refresh, so the action
    can mask them before anything could print them.
    """
    core = botocore.session.get_session()
    core.register_component("data_loader", data_loader())
    core.register("after-call", refuse_foreign_answers)
    if region:
        core.set_config_variable("region", region)
    if not core.get_config_variable("region"):
        raise CredentialsError(NO_REGION)
    credentials = _explicit_credentials(auth, core, on_new_credentials)
    if credentials is not None:
        resolver = core.get_component("credential_provider")
        resolver.insert_before("env", _FixedCredentialsProvider(credentials))
    session = boto3.Session(botocore_session=core)
    _check_credentials(session)
    return session


_HTML_STARTS = (b"<!doctype html", b"<html")


def refuse_foreign_answers(http_response: Any, **_: Any) -> None:
    """Refuse a successful answer whose body is a web page, not AWS's JSON or XML.

    A captive portal or a rewriting proxy answers 200 with HTML; botocore would
    parse that as an empty result, and a missing field would surface far from
    its cause.
    """
    # By the body, not the Content-Type: some servers label empty answers text/html.
    start = (http_response.content or b"")[:64].lstrip().lower()
    if http_response.status_code < 300 and start.startswith(_HTML_STARTS):
        raise ResponseParserError("the answer is a web page, not an AWS response")


def _explicit_credentials(
    auth: AuthInputs,
    core: botocore.session.Session,
    report: Callable[[list[str]], None] | None,
) -> DeferredRefreshableCredentials | None:
    if auth.has_keys and not (auth.access_key_id and auth.secret_access_key):
        raise CredentialsError(_HALF_KEYS)
    if auth.role_to_assume and (auth.has_keys or not _oidc_expected()):
        return _assume_role_from(auth, core, report)
    if auth.role_to_assume:
        return _assume_role_with_oidc(auth, core, report)
    if auth.has_keys:
        core.set_credentials(
            auth.access_key_id, auth.secret_access_key, auth.session_token
        )
    return None


def _assume_role_with_oidc(
    auth: AuthInputs,
    core: botocore.session.Session,
    report: Callable[[list[str]], None] | None,
) -> DeferredRefreshableCredentials:
    loader = GitHubTokenLoader.from_environment(auth.audience)
    fetcher = web_identity_fetcher(
        core.create_client, loader, auth.role_to_assume or "", _role_args(auth)
    )
    # Refreshed whenever they near expiry, re-fetching a fresh GitHub token, so a
    # job longer than role-duration-seconds keeps being watched.
    return DeferredRefreshableCredentials(
        refresh_using=_reporting(fetcher.fetch_credentials, report),
        method="assume-role-with-web-identity",
    )


def _oidc_expected() -> bool:
    """Inside GitHub Actions, or wherever GitHub's token endpoint is offered."""
    return os.environ.get("GITHUB_ACTIONS") == "true" or bool(
        os.environ.get(REQUEST_URL_VAR)
    )


def _assume_role_from(
    auth: AuthInputs,
    core: botocore.session.Session,
    report: Callable[[list[str]], None] | None,
) -> DeferredRefreshableCredentials:
    """AssumeRole with the given keys, or else boto3's own chain (role chaining)."""
    source = botocore.session.get_session()
    source.set_config_variable("region", core.get_config_variable("region"))
    if auth.has_keys:
        source.set_credentials(
            auth.access_key_id, auth.secret_access_key, auth.session_token
        )
    if source.get_credentials() is None:
        raise CredentialsError(NO_CREDENTIALS.format(action="assuming role-to-assume"))
    fetcher = AssumeRoleCredentialFetcher(
        client_creator=source.create_client,
        source_credentials=source.get_credentials(),
        role_arn=auth.role_to_assume,
        extra_args=_role_args(auth),
    )
    return DeferredRefreshableCredentials(
        refresh_using=_reporting(fetcher.fetch_credentials, report),
        method="assume-role",
    )


def _reporting(
    fetch: Callable[[], dict[str, Any]], report: Callable[[list[str]], None] | None
) -> Callable[[], dict[str, Any]]:
    """``fetch``, handing each new set of credentials to ``report`` first."""
    if report is None:
        return fetch

    def fetch_and_report() -> dict[str, Any]:
        values = fetch()
        report([str(values[k]) for k in ("access_key", "secret_key", "token")])
        return values

    return fetch_and_report


def _role_args(auth: AuthInputs) -> dict[str, object]:
    return {
        "RoleSessionName": auth.role_session_name,
        "DurationSeconds": auth.role_duration_seconds,
    }


def _check_credentials(session: boto3.Session) -> None:
    with aws_errors("checking the AWS credentials"):
        credentials = session.get_credentials()
        if credentials is None:
            raise CredentialsError(
                NO_CREDENTIALS.format(action="checking the AWS credentials")
            )
        # An assumed role is fetched now, so a refused GitHub token or role fails
        # here. Static keys are not sent anywhere yet: their first use (the name
        # lookup before any upload) reports expired or unknown keys just as
        # clearly, without a GetCallerIdentity call on every run.
        credentials.get_frozen_credentials()
