"""The local web dashboard (``secorder dashboard``), built on Streamlit.

Install with the ``web`` extra. :func:`launch` starts the server on localhost and returns
its process; nothing here imports Streamlit, so the rest of the package never needs it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).with_name("app.py")
UPLOAD_LIMIT_MB = 5  # the server's own cap; the page refuses files above inputs.MAX_UPLOAD_BYTES


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def server_command(port: int, host: str = "127.0.0.1") -> list[str]:
    """The command that serves the dashboard (headless: no browser, no usage statistics)."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.port", str(port), "--server.address", host, "--server.headless", "true",
        "--server.maxUploadSize", str(UPLOAD_LIMIT_MB), "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
        "--client.showErrorDetails", "none", "--theme.base", "light",
    ]


def launch(port: int | None = None, host: str = "127.0.0.1", data_dir: str | Path | None = None,
           **popen: object) -> tuple[subprocess.Popen, str]:
    """Start the dashboard server; returns the process and its address."""
    try:
        import streamlit  # noqa: F401
    except ImportError:
        from secorder.errors import InputError

        raise InputError([("dashboard", "needs the web extra: pip install 'secorder[web]'")]) from None
    port = port or free_port(host)
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "") if env.get("PYTHONPATH") else src
    if data_dir is not None:
        env["SECORDER_DATA_DIR"] = str(data_dir)
    proc = subprocess.Popen(server_command(port, host), env=env, **popen)  # noqa: S603
    return proc, f"http://{host}:{port}"
