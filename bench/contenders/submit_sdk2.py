"""The SageMaker Python SDK v2: ``Estimator(...).fit(wait=False)``.

    python submit_sdk2.py JOB_NAME SOURCE_DIR BUCKET ROLE IMAGE

Run with the SDK's venv (bench/requirements-sdk.txt). The image and role are
given, so the SDK looks neither up; telemetry is off through the config file
that SAGEMAKER_USER_CONFIG_OVERRIDE names.
"""

import sys

from sagemaker.estimator import Estimator
from sagemaker.session import Session

name, source_dir, bucket, role, image = sys.argv[1:6]
estimator = Estimator(
    image_uri=image,
    role=role,
    entry_point="train.py",
    source_dir=source_dir,
    instance_count=1,
    instance_type="ml.m5.large",
    output_path=f"s3://{bucket}/out",
    code_location=f"s3://{bucket}/code",
    hyperparameters={"epochs": 3},
    sagemaker_session=Session(default_bucket=bucket),
)
estimator.fit(wait=False, job_name=name)
print(name)
