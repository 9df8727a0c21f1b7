"""Which runner a job spec goes to: here or on SageMaker, one job or a tuning job.

The CLI's ``run`` and ``smtrain action`` both come through here, so a spec key
means the same thing whichever way the job is started. Runners are imported
when chosen: a local run never loads the remote code, nor the reverse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smtrain.cancel import CancelToken
from smtrain.events import RunListener
from smtrain.result import JobResult
from smtrain.spec import JobSpec

if TYPE_CHECKING:
    import boto3


def run_job(
    spec: JobSpec,
    listener: RunListener,
    token: CancelToken,
    *,
    session: boto3.Session | None = None,
) -> JobResult:
    """Run ``spec`` as it asks; ``session`` is used for a run on SageMaker."""
    if spec.local and spec.tuning:
        from smtrain.local.search import run_local_search

        return run_local_search(spec, listener, token)
    if spec.local:
        from smtrain.local import run_local

        return run_local(spec, listener, token)
    if spec.tuning:
        from smtrain.tuning_remote import run_remote_tuning

        return run_remote_tuning(spec, listener, token, session=session)
    from smtrain.remote import run_remote

    return run_remote(spec, listener, token, session=session)


def check_request(spec: JobSpec) -> None:
    """Render the request SageMaker would get, so a bad one fails before any call."""
    if spec.tuning:
        from smtrain.render_tuning import render_tuning_job
        from smtrain.tuning_names import tuning_job_name

        render_tuning_job(spec, tuning_job_name(spec), region=spec.aws_region)
        return
    from smtrain.names import default_job_name
    from smtrain.render import render_training_job

    name = spec.job_name or default_job_name(spec)
    render_training_job(spec, name, region=spec.aws_region)
