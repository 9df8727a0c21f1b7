"""Turn botocore exceptions into smtrain errors whose message names the fix.

Every AWS call below the CLI runs inside ``aws_errors(action)``; the CLI then
prints one line and exits 3 instead of showing a botocore traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    HTTPClientError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
)
from botocore.exceptions import ConnectionError as BotoConnectionError
from botocore.parsers import ResponseParserError

from smtrain.errors import AwsError, CredentialsError

DOCS = "docs/running-on-sagemaker.md"
THROTTLING_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
        "RequestLimitExceeded",
    }
)
# A truncated or garbled answer is as likely to pass on a retry as a dropped one.
_TRANSIENT_ERRORS = (BotoConnectionError, HTTPClientError, ResponseParserError)
_EXPIRED_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired"})
_INVALID_KEY_CODES = frozenset(
    {"InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch"}
)
_DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException"})
_NOT_FOUND_CODES = frozenset({"ResourceNotFound", "ResourceNotFoundException"})
# SageMaker answers an unknown training job name with a ValidationException,
# "Requested resource not found." (moto: "Could not find training job ...").
_NOT_FOUND_MESSAGES = ("requested resource not found", "could not find")

_EXPIRED = (
    "{action}: the AWS credentials have expired ({message}). Static keys and "
    "session tokens do not renew themselves: use role-to-assume with GitHub OIDC, "
    "whose credentials refresh for as long as the job runs"
)
_INVALID_KEYS = (
    "{action}: AWS does not recognise these credentials ({message}); check the "
    "access key id and secret, or use role-to-assume"
)
_DENIED = (
    "{action}: access denied ({message}); grant the role the permission named "
    "above (the policy in " + DOCS + " lists every call smtrain makes)"
)
_BAD_AUDIENCE = (
    "{action}: AWS refused the GitHub OIDC token ({message}); the audience input "
    "must match the audience of the IAM OIDC provider (usually sts.amazonaws.com) "
    "and the role's trust policy must allow this repository"
)
NO_REGION = (
    "no AWS region: set aws-region in the job spec (or the action input), "
    "or AWS_REGION in the environment"
)
NO_CREDENTIALS = (
    "{action}: no AWS credentials found; give the action role-to-assume (GitHub "
    "OIDC) or access keys, run aws-actions/configure-aws-credentials first, or set "
    "AWS_PROFILE / AWS_ACCESS_KEY_ID locally"
)
_UNREACHABLE = (
    "{action}: could not reach AWS ({message}); check the network, and that the "
    "region (aws-region) is spelled right and offers the service"
)
_UNREADABLE = (
    "{action}: the answer could not be read as one from AWS; is a proxy or "
    "firewall between this machine and AWS answering in its place?"
)
_PASS_ROLE = (
    # Not a finding (B105): a message.
    "{action}: these credentials may not pass role-arn to SageMaker ({message}); "  # nosec B105
    "allow iam:PassRole on that role, with iam:PassedToService "
    "sagemaker.amazonaws.com (docs/iam-policy.json)"
)
_ROLE_TRUST = (
    "{action}: SageMaker cannot assume role-arn ({message}); check that the role "
    "exists in this account and that its trust policy allows "
    "sagemaker.amazonaws.com"
)


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def is_transient(error: Exception) -> bool:
    """Throttling, a 5xx or a dropped connection that outlasted botocore's retries.

    ``error`` is the AwsError ``aws_errors`` raised; its cause is botocore's.
    """
    cause = error.__cause__
    if isinstance(cause, ClientError):
        status = cause.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return error_code(cause) in THROTTLING_CODES or status >= 500
    return isinstance(cause, _TRANSIENT_ERRORS)


def is_not_found(error: BaseException | None) -> bool:
    """True when AWS said the named resource does not exist.

    Takes botocore's ``ClientError``, or the ``AwsError`` raised from one by
    ``aws_errors``. The error code decides; a ValidationException only counts
    when its message is one of SageMaker's "no such resource" wordings.
    """
    if isinstance(error, AwsError):
        error = error.__cause__
    if not isinstance(error, ClientError):
        return False
    code = error_code(error)
    if code in _NOT_FOUND_CODES:
        return True
    message = str(error.response.get("Error", {}).get("Message", "")).lower()
    return code == "ValidationException" and message.startswith(_NOT_FOUND_MESSAGES)


def translate(error: Exception, action: str) -> AwsError:
    """The smtrain error for a botocore exception raised while doing ``action``."""
    if isinstance(error, ClientError):
        return _translate_client_error(error, action)
    if isinstance(error, NoRegionError):
        return CredentialsError(NO_REGION)
    if isinstance(error, (NoCredentialsError, PartialCredentialsError)):
        return CredentialsError(NO_CREDENTIALS.format(action=action))
    if isinstance(error, EndpointConnectionError):
        return AwsError(_UNREACHABLE.format(action=action, message=error))
    if isinstance(error, ResponseParserError):
        return AwsError(_UNREADABLE.format(action=action))
    return AwsError(f"{action}: {error}")


def _translate_client_error(error: ClientError, action: str) -> AwsError:
    code = error_code(error)
    message = error.response.get("Error", {}).get("Message", "") or code
    fields = {"action": action, "message": f"{code}: {message}"}
    if code in _EXPIRED_CODES:
        return CredentialsError(_EXPIRED.format(**fields))
    if code == "InvalidIdentityToken":
        return CredentialsError(_BAD_AUDIENCE.format(**fields))
    if code in _INVALID_KEY_CODES:
        return CredentialsError(_INVALID_KEYS.format(**fields))
    if "iam:PassRole" in message:
        return AwsError(_PASS_ROLE.format(**fields))
    if code in _DENIED_CODES:
        return AwsError(_DENIED.format(**fields))
    if "could not assume role" in message.lower():
        return AwsError(_ROLE_TRUST.format(**fields))
    return AwsError(f"{action}: {code}: {message}")


@contextmanager
def aws_errors(action: str) -> Iterator[None]:
    """Re-raise any botocore exception from the block as an AwsError."""
    try:
        yield
    except (BotoCoreError, ClientError, ResponseParserError) as error:
        raise translate(error, action) from error
