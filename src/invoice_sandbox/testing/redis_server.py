"""A real ``redis-server`` (or ``valkey-server``) on a free local port, for tests.

The Redis store is tested against the real server, not a fake, so Lua, WATCH/MULTI, expiry and
persistence behave as in production. Nothing is saved to disk unless asked::

    with RedisServer() as server:
        store = RedisStore.from_url(server.url)

``stop()``/``kill()`` then ``start()`` restart it on the same port and directory (with
``"--appendonly", "yes"`` among the arguments, data survives the restart).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import redis

DEFAULT_ARGS = ("--save", "", "--appendonly", "no")
"""A throwaway server: no RDB snapshots, no append-only file."""


def redis_server_binary() -> str | None:
    """The path of ``redis-server``, else of ``valkey-server``; None when neither is installed."""
    return shutil.which("redis-server") or shutil.which("valkey-server")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """One server process; ``args`` are added after (so override) the defaults."""

    def __init__(self, *args: str, port: int | None = None, directory: str | Path | None = None,
                 binary: str | None = None, startup_timeout: int = 10) -> None:
        self.binary = binary or redis_server_binary()
        if self.binary is None:
            raise FileNotFoundError("neither redis-server nor valkey-server is on PATH")
        self.args = DEFAULT_ARGS + tuple(args)
        self._own_directory = directory is None
        self.directory = Path(directory or tempfile.mkdtemp(prefix="isb-redis-"))
        self._fixed_port = port
        self.port = port or _free_port()
        self.startup_timeout = startup_timeout
        self._process: subprocess.Popen | None = None
        self._started_once = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def log_path(self) -> Path:
        return self.directory / "redis-server.log"

    def start(self) -> "RedisServer":
        """Start (again) and wait until it answers PING; a taken free port is replaced once."""
        if self._process is not None:
            raise RuntimeError(f"redis-server is already running (pid {self.pid})")
        try:
            self._launch()
        except RuntimeError:
            if self._fixed_port is not None or self._started_once:
                raise
            self.port = _free_port()  # someone took the port between probe and bind
            self._launch()
        self._started_once = True
        return self

    def _launch(self) -> None:
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                   "--dir", str(self.directory), "--daemonize", "no", *self.args]
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL)
        try:
            self._wait_until_ready()
        except RuntimeError:
            self.kill()
            raise

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)
        try:
            while time.monotonic() < deadline:
                if self._process.poll() is not None:
                    break
                try:
                    if client.ping():
                        return
                except redis.exceptions.BusyLoadingError:
                    pass  # replaying its append-only file; ready soon
                except redis.ConnectionError:
                    pass
                time.sleep(0.02)
        finally:
            client.close()
        raise RuntimeError(f"redis-server on port {self.port} did not start; "
                           f"log {self.log_path}:\n{self._log_tail()}")

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-20:])
        except OSError:
            return "(no log)"

    def stop(self, timeout: int = 10) -> None:
        """Shut down cleanly (SIGTERM: the server flushes its append-only file, if any)."""
        if self._process is None:
            return
        self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def kill(self) -> None:
        """Die at once (SIGKILL), as in a crash: only what was already written to disk remains."""
        if self._process is None:
            return
        self._process.kill()
        self._process.wait()
        self._process = None

    def close(self) -> None:
        """Stop, and remove the directory if this object created it."""
        self.stop()
        if self._own_directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> "RedisServer":
        return self.start() if self._process is None else self

    def __exit__(self, *exc_info) -> None:
        self.close()
