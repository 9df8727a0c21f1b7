"""Why an inference request was refused, each reason carrying its HTTP status.

The tree::

    RequestError (400)             the payload cannot be read or does not fit the model
    ├── UnsupportedContentTypeError (415)   Content-Type is not CSV, JSON or JSON lines
    ├── UnsupportedAcceptError (406)        Accept names no format we can answer in
    └── PayloadTooLargeError (413)          the body is over the configured limit

Every one is the client's mistake: the server answers with the status and the
message, never a 500. The messages name the column, row or header at fault and
never quote the payload beyond a single offending value.
"""

from __future__ import annotations


class RequestError(Exception):
    """The request body cannot be turned into model input."""

    status = 400


class UnsupportedContentTypeError(RequestError):
    """The Content-Type is not one the handler reads."""

    status = 415


class UnsupportedAcceptError(RequestError):
    """The Accept header asks only for formats the handler cannot write."""

    status = 406


class PayloadTooLargeError(RequestError):
    """The body is larger than the server's limit."""

    status = 413
