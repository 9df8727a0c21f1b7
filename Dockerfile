# The smtrain GitHub Action: the orchestrator only (boto3, pyyaml, pydantic,
# structlog, packaging), installed from the hash-pinned requirements/action.lock.
# No SageMaker SDK, ML or test libraries: the training itself runs on SageMaker.
# GitHub runs container actions as root so the step can write the file-command
# files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) the runner mounts; no USER here.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /opt/smtrain
# Dependencies first: this layer stays cached while only smtrain's code changes.
COPY requirements/action.lock requirements/action.lock
RUN pip install --require-hashes --no-deps -r requirements/action.lock

COPY pyproject.toml README.md LICENSE ./
COPY src ./src
RUN pip install --no-deps . && rm -rf /opt/smtrain/src /opt/smtrain/build

COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
