"""The dummy AWS environment every test and every subprocess a test starts runs with.

A module of its own, not conftest.py: several folders have a conftest module, and
``from conftest import ...`` would pick whichever one sys.path lists first.
"""

from __future__ import annotations

SAFE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_RETRY_MODE": "standard",
    "AWS_MAX_ATTEMPTS": "3",
}
