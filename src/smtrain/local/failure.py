"""Why a job failed, said the way SageMaker says it.

A script may write its own reason to ``output/failure``. When it does not, the
training toolkit writes one for it (``ExecuteUserScriptError`` with the exit code,
the last error line and the command), and SageMaker reports the file's text as
``FailureReason``, prefixed ``AlgorithmError:`` and cut to 1024 characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from smtrain import contract
from smtrain.local.layout import HostTree
from smtrain.local.logs import LogTail

FAILURE_REASON_LIMIT = 1024


@dataclass(frozen=True)
class FailureReport:
    reason: str
    traceback: str


def failure_report(
    tree: HostTree,
    exit_code: int,
    tail: LogTail,
    command: str,
    kind: str = "ExecuteUserScriptError",
) -> FailureReport:
    """Read (or, like the toolkit, write) the host's failure file and report it.

    ``kind`` is the toolkit's error class: ``InstallRequirementsError`` when pip
    failed, ``ExecuteUserScriptError`` when the script did.
    """
    failure_file = tree.path(contract.FAILURE_FILE)
    written = failure_file.read_text().strip() if failure_file.is_file() else ""
    if not written:
        error_line = tail.last_error_line()
        written = toolkit_failure_message(kind, exit_code, error_line, command)
        failure_file.write_text(written)
    reason = f"AlgorithmError: {written}"[:FAILURE_REASON_LIMIT]
    return FailureReport(reason=reason, traceback=tail.traceback())


def toolkit_failure_message(
    kind: str, exit_code: int, error_line: str, command: str
) -> str:
    return (
        f"{kind}:\n"
        f"ExitCode {exit_code}\n"
        f'ErrorMessage "{error_line}"\n'
        f'Command "{command}"'
    )
