"""The three AWS clients a remote run needs, built once from one session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3

from smtrain.aws.auth import retry_config


@dataclass(frozen=True)
class RemoteClients:
    sagemaker: Any
    logs: Any
    s3: Any
    region: str

    @classmethod
    def from_session(cls, session: boto3.Session) -> RemoteClients:
        config = retry_config()
        return cls(
            sagemaker=session.client("sagemaker", config=config),
            logs=session.client("logs", config=config),
            s3=session.client("s3", config=config),
            region=session.region_name or "",
        )
