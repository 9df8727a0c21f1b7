"""GitHub OIDC: fetch the workflow's id token and trade it for AWS credentials.

GitHub exposes ``ACTIONS_ID_TOKEN_REQUEST_URL`` and ``ACTIONS_ID_TOKEN_REQUEST_TOKEN``
only to jobs granted ``permissions: id-token: write``. The token is fetched anew on
every refresh because it is valid for minutes, far less than a training job.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.credentials import AssumeRoleWithWebIdentityCredentialFetcher

from smtrain.errors import CredentialsError

GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com"
REQUEST_URL_VAR = "ACTIONS_ID_TOKEN_REQUEST_URL"
# Not a finding (B105): the variable's name, not a token.
REQUEST_TOKEN_VAR = "ACTIONS_ID_TOKEN_REQUEST_TOKEN"  # nosec B105
_TIMEOUT_SECONDS = 10

_NO_ID_TOKEN_PERMISSION = (
    # Not a finding (B105): a message.
    "role-to-assume needs a GitHub OIDC token, but ACTIONS_ID_TOKEN_REQUEST_URL is "  # nosec B105
    "not set: add `permissions: id-token: write` to the workflow job (outside "
    "GitHub Actions, use access keys or an AWS profile instead)"
)
_NOT_A_WEB_URL = "{var} is not an http(s) URL; it is set by the GitHub runner"
_TOKEN_REFUSED = (
    # Not a finding (B105): a message.
    "GitHub refused the OIDC token request ({detail}); check that the job has "  # nosec B105
    "`permissions: id-token: write` and that audience is right"
)


@dataclass(frozen=True)
class GitHubTokenLoader:
    """Callable that returns a fresh GitHub OIDC token for ``audience``."""

    request_url: str
    request_token: str
    audience: str = GITHUB_OIDC_AUDIENCE

    @classmethod
    def from_environment(cls, audience: str) -> GitHubTokenLoader:
        url = os.environ.get(REQUEST_URL_VAR, "")
        token = os.environ.get(REQUEST_TOKEN_VAR, "")
        if not url or not token:
            raise CredentialsError(_NO_ID_TOKEN_PERMISSION)
        # The bearer token must only ever go to a web server, never file:// etc.
        if urllib.parse.urlsplit(url).scheme not in ("https", "http"):
            raise CredentialsError(_NOT_A_WEB_URL.format(var=REQUEST_URL_VAR))
        return cls(url, token, audience or GITHUB_OIDC_AUDIENCE)

    def __call__(self) -> str:
        request = urllib.request.Request(
            self._url_with_audience(),
            headers={"Authorization": f"Bearer {self.request_token}"},
        )
        try:
            # Not a finding (B310): from_environment admits only http(s) URLs.
            with urllib.request.urlopen(  # nosec B310
                request, timeout=_TIMEOUT_SECONDS
            ) as response:
                body: Any = json.load(response)
        except urllib.error.HTTPError as error:
            raise CredentialsError(
                _TOKEN_REFUSED.format(detail=f"HTTP {error.code}")
            ) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise CredentialsError(_TOKEN_REFUSED.format(detail=str(error))) from None
        value = body.get("value") if isinstance(body, dict) else None
        if not isinstance(value, str) or not value:
            raise CredentialsError(_TOKEN_REFUSED.format(detail="no token in reply"))
        return value

    def _url_with_audience(self) -> str:
        parts = urllib.parse.urlsplit(self.request_url)
        query = urllib.parse.parse_qsl(parts.query)
        query.append(("audience", self.audience))
        return urllib.parse.urlunsplit(
            parts._replace(query=urllib.parse.urlencode(query))
        )


def web_identity_fetcher(
    client_creator: Callable[..., Any],
    token_loader: Callable[[], str],
    role_arn: str,
    extra_args: dict[str, object],
) -> AssumeRoleWithWebIdentityCredentialFetcher:
    """botocore's own AssumeRoleWithWebIdentity fetcher, fed by our token loader."""
    return AssumeRoleWithWebIdentityCredentialFetcher(
        client_creator=client_creator,
        web_identity_token_loader=token_loader,
        role_arn=role_arn,
        extra_args=extra_args,
    )
