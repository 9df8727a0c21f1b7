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
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
)

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
_UNREACHABLE = "{action}: could not reach AWS ({message}); check the network and region"


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


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
    if code in _DENIED_CODES:
        return AwsError(_DENIED.format(**fields))
    return AwsError(f"{action}: {code}: {message}")


@contextmanager
def aws_errors(action: str) -> Iterator[None]:
    """Re-raise any botocore exception from the block as an AwsError."""
    try:
        yield
    except (BotoCoreError, ClientError) as error:
        raise translate(error, action) from error
