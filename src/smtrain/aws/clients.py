"""The three AWS clients a remote run needs, built from one session when first used.

Building a client loads its service model, so a run that never reads logs
(``wait: false``) or uploads no code never pays for those clients.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import boto3

from smtrain.aws.auth import retry_config


class RemoteClients:
    def __init__(self, session: boto3.Session) -> None:
        self._session = session
        self.region: str = session.region_name or ""

    @classmethod
    def from_session(cls, session: boto3.Session) -> RemoteClients:
        return cls(session)

    @cached_property
    def sagemaker(self) -> Any:
        return self._session.client("sagemaker", config=retry_config())

    @cached_property
    def logs(self) -> Any:
        return self._session.client("logs", config=retry_config())

    @cached_property
    def s3(self) -> Any:
        return self._session.client("s3", config=retry_config())
