"""The host-name shim and what torchrun would export."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from smtrain.local.hosts import torchrun_variables, write_host_shim


def _python(code: str, pythonpath: list[Path], hosts: str) -> str:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(map(str, pythonpath)),
        "SM_HOSTS": hosts,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()


def test_job_hosts_resolve_to_loopback_and_others_do_not(tmp_path: Path) -> None:
    shim = write_host_shim(tmp_path)
    code = (
        "import socket\n"
        "print(socket.gethostbyname('algo-2'), socket.gethostbyname_ex('algo-1')[2],"
        " socket.getaddrinfo('algo-1', 80)[0][4][0])\n"
        "try:\n    socket.gethostbyname('algo-3')\n"
        "except OSError:\n    print('algo-3 unknown')\n"
    )
    out = _python(code, [shim], '["algo-1","algo-2"]')
    assert out.splitlines() == ["127.0.0.1 ['127.0.0.1'] 127.0.0.1", "algo-3 unknown"]


def test_a_sitecustomize_the_shim_shadows_still_runs(tmp_path: Path) -> None:
    (tmp_path / "job").mkdir()
    shim = write_host_shim(tmp_path / "job")
    other = tmp_path / "other"
    other.mkdir()
    (other / "sitecustomize.py").write_text("import builtins\nbuiltins.MARK = 'ran'\n")
    out = _python("print(MARK)", [shim, other], '["algo-1"]')
    assert out == "ran"


def test_torchrun_variables_number_the_hosts_from_zero() -> None:
    assert torchrun_variables(1, 2, 29500) == {
        "MASTER_ADDR": "127.0.0.1",
        "MASTER_PORT": "29500",
        "WORLD_SIZE": "2",
        "RANK": "1",
        "LOCAL_RANK": "0",
        "LOCAL_WORLD_SIZE": "1",
        "GROUP_RANK": "1",
        "ROLE_RANK": "1",
        "ROLE_WORLD_SIZE": "2",
    }
