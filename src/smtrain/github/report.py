"""Report a run to GitHub (outputs and job summary) when running inside Actions."""

from __future__ import annotations

from smtrain.github.outputs import result_outputs, write_outputs
from smtrain.github.summary import append_summary, render_error_summary, render_summary
from smtrain.result import JobResult


def report_result(result: JobResult) -> None:
    """Write step outputs and the summary; does nothing outside GitHub Actions."""
    write_outputs(result_outputs(result))
    append_summary(render_summary(result))


ERROR_STATUS = "Error"


def report_error(message: str) -> None:
    """Outputs and summary of a run that ended in an error before its result.

    ``status`` is ``Error`` (never a SageMaker status), so a later step can test
    ``steps.<id>.outputs.status == 'Completed'`` on every path.
    """
    write_outputs({"status": ERROR_STATUS, "failure-reason": message})
    append_summary(render_error_summary(message))
