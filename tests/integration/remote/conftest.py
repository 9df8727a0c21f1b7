"""Fixtures for remote runs: the SageMaker double, a bucket, a recording listener."""

from __future__ import annotations

import pytest
from remote_support import sagemaker_double as sagemaker_double  # the fixture

from recording import RecordingListener
from smtrain.remote import RequestBuilder


@pytest.fixture
def builder() -> RequestBuilder:
    return RequestBuilder.from_spec_modules()


@pytest.fixture
def listener() -> RecordingListener:
    return RecordingListener()
