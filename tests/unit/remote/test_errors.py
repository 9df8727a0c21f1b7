"""botocore errors become smtrain errors whose message names the fix."""

from __future__ import annotations

import pytest
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
)

from smtrain.aws.errors import aws_errors, translate
from smtrain.errors import AwsError, CredentialsError


def _client_error(code: str, message: str = "msg") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "Operation")


@pytest.mark.parametrize(
    ("error", "kind", "fragment"),
    [
        (_client_error("ExpiredToken"), CredentialsError, "use role-to-assume"),
        (_client_error("InvalidIdentityToken"), CredentialsError, "audience input"),
        (_client_error("InvalidClientTokenId"), CredentialsError, "access key id"),
        (_client_error("AccessDeniedException"), AwsError, "running-on-sagemaker.md"),
        (_client_error("ResourceLimitExceeded", "quota"), AwsError, "quota"),
        (NoRegionError(), CredentialsError, "set aws-region"),
        (NoCredentialsError(), CredentialsError, "role-to-assume"),
        (EndpointConnectionError(endpoint_url="http://x"), AwsError, "could not reach"),
    ],
)
def test_each_error_gets_its_own_message(
    error: Exception, kind: type[AwsError], fragment: str
) -> None:
    translated = translate(error, "submitting")

    assert type(translated) is kind
    assert fragment in str(translated)
    assert translated.exit_code == 3


def test_context_keeps_the_cause_and_names_the_action() -> None:
    expected = r"^uploading the code: Boom: msg$"
    with (
        pytest.raises(AwsError, match=expected) as caught,
        aws_errors("uploading the code"),
    ):
        raise _client_error("Boom")

    assert isinstance(caught.value.__cause__, ClientError)
