"""Local mode: run a job's entry point on this machine under the SageMaker contract.

See ``docs/local-mode.md``. The package is split by purpose: ``layout`` (the job
root), ``config`` and ``environment`` (what the script is told), ``channels`` and
``s3`` (input data), ``program`` and ``launch`` (starting and watching the
processes), ``logs`` and ``failure`` (what is read back), ``artifacts``
(packing the outputs) and ``runner`` (the whole run).
"""

from smtrain.local.runner import run_local

__all__ = ["run_local"]
