"""Hostile input, generated: any job file or action input ends in exit 0 or 2 (or 3
where AWS is asked and refuses), never a traceback, and nothing is sent when 2.

The CLI runs in-process against a loopback endpoint that records every request
and refuses it, so a spec that passes validation ends at its first AWS call.
Example counts are kept small and derandomized so CI stays fast and repeatable;
``HYPOTHESIS_PROFILE=thorough`` runs many more.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from action_runner import declared_inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from remote_support import BUCKET, ROLE

from smtrain.cli import main
from smtrain.spec import spec_keys

settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    derandomize=True,
    # The autouse environment fixtures are set up once per test, on purpose.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "thorough",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

BASE = {
    "job-name": "hostile",
    "role-arn": ROLE,
    "image-uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1",
    "output-path": f"s3://{BUCKET}/out",
}
# `local: true` would run the job on this machine; these tests send it nowhere.
_KEYS = [k for k in spec_keys() if k not in ("local", "local-root")]
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=30,
)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | _TEXT
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(_KEYS) | _TEXT, inner, max_size=3)
    ),
    max_leaves=8,
)


# AccessDenied as the JSON protocols (SageMaker, Logs) and the XML ones (STS,
# S3) send it.
_REFUSALS = {
    True: (
        b'{"__type": "AccessDeniedException", "message": "recorded"}',
        "application/x-amz-json-1.1",
    ),
    False: (
        b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
        b"<Message>recorded</Message></Error><RequestId>r</RequestId></ErrorResponse>",
        "text/xml",
    ),
}


class _Recorder(BaseHTTPRequestHandler):
    """Counts every request and refuses it as AWS would refuse a stranger."""

    count = 0
    lock = threading.Lock()
    # Answer 200 with a web page, as a captive portal or a rewriting proxy does.
    portal = False

    def _refuse(self) -> None:
        with _Recorder.lock:
            _Recorder.count += 1
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        body, kind = _REFUSALS["X-Amz-Target" in self.headers]
        if _Recorder.portal:
            body, kind = b"<html><body>Sign in<br></body></html>", "text/html"
        self.send_response(200 if _Recorder.portal else 403)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_HEAD = _refuse

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def recorder() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


def _main(argv: list[str]) -> tuple[int, str, str, int]:
    """Exit code, stdout, stderr and the requests the recorder saw."""
    before = _Recorder.count
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue(), _Recorder.count - before


def _assert_clean(code: int, err: str, allowed: set[int]) -> None:
    assert code in allowed, err
    assert "internal error" not in err
    assert "Traceback" not in err


def _write(folder: str, text: str) -> str:
    path = Path(folder, "job.yml")
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture(autouse=True)
def _point_at_the_recorder(recorder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", recorder)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")


def _mutated(replacements: dict[str, Any]) -> str:
    return yaml.safe_dump({**BASE, **replacements}, allow_unicode=True)


@given(text=st.text(max_size=300))
def test_any_text_as_a_job_file_validates_or_exits_2(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        code, _, err, sent = _main(["validate", _write(folder, text)])

    _assert_clean(code, err, {0, 2})
    assert sent == 0


@given(replacements=st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=4))
def test_any_values_in_a_job_file_validate_or_exit_2(
    replacements: dict[str, Any],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        job = _write(folder, _mutated(replacements))
        code, _, err, sent = _main(["validate", job])
        render_code, _, render_err, render_sent = _main(["render", job])

    _assert_clean(code, err, {0, 2})
    # render and validate agree on what is valid, and neither calls AWS.
    _assert_clean(render_code, render_err, {code})
    assert sent == render_sent == 0


@given(replacements=st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=3))
def test_run_sends_nothing_when_it_exits_2(replacements: dict[str, Any]) -> None:
    replacements["local"] = False
    with tempfile.TemporaryDirectory() as folder:
        job = _write(folder, _mutated(replacements))
        code, _, err, sent = _main(["run", job])

    # 3: the spec was valid and the recorder refused the first AWS call.
    _assert_clean(code, err, {2, 3})
    if code == 2:
        assert sent == 0
    else:
        assert sent > 0


_ACTION_INPUTS = sorted(set(declared_inputs()) - {"config", "local", "local-root"})


@given(inputs=st.dictionaries(st.sampled_from(_ACTION_INPUTS), _TEXT, max_size=4))
def test_any_action_inputs_exit_2_with_nothing_sent_or_reach_aws(
    inputs: dict[str, str],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = _write(folder, _mutated({}))
        env = {f"INPUT_{name.upper()}": "" for name in declared_inputs()}
        env |= {f"INPUT_{k.upper()}": v for k, v in inputs.items()}
        env |= {"INPUT_CONFIG": config, "INPUT_LOCAL": "false"}
        with _environment(env):
            code, out, err, sent = _main(["action"])

    _assert_clean(code, err, {2, 3})
    assert "Traceback" not in out
    if code == 2:
        assert sent == 0
        assert "::error" in out


def _bomb(levels: int) -> str:
    """A "billion laughs" document: nine to the power ``levels`` values."""
    nine = ",".join(['"x"'] * 9)
    lines = [yaml.safe_dump(BASE).strip(), f"l0: &l0 [{nine}]"]
    for level in range(1, levels):
        refs = ",".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{refs}]")
    lines.append(f"hyperparameters: {{bomb: *l{levels - 1}}}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"role-arn: \xff\xfe\n", "is not UTF-8 text (byte 11)"),
        ("role-arn: x\n".encode("utf-16"), "is not UTF-8 text (byte 1)"),
        (b"job-name: a\x1fb\n", "character #x001f is not allowed"),
        (_bomb(6).encode(), "expands to more than 10,000 values"),
        (b"hyperparameters: {x: " + b"[" * 60 + b"]" * 60 + b"}\n", "nested more"),
        (b"hyperparameters: {x: " + b"[" * 5000 + b"}\n", "nested more"),
    ],
)
def test_unreadable_job_files_exit_2_naming_the_problem(
    tmp_path: Path, content: bytes, message: str
) -> None:
    job = tmp_path / "job.yml"
    job.write_bytes(content)

    code, _, err, sent = _main(["run", str(job)])

    _assert_clean(code, err, {2})
    assert message in err
    assert sent == 0


def test_a_web_page_instead_of_an_aws_answer_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_Recorder, "portal", True)
    job = _write(str(tmp_path), _mutated({}))

    code, _, err, _ = _main(["run", job])

    _assert_clean(code, err, {3})
    assert "could not be read as one from AWS" in err
