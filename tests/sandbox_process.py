"""The sandbox's command line as real processes: ``invoice-sandbox serve`` with its workers.

``SandboxProcess`` runs ``python -m invoice_sandbox.cli serve ...`` in a process group of its
own (so the parent, its uvicorn workers and multiprocessing's helper can be killed together,
as a crash would), with stdout and stderr in a log file, and finds its worker processes
through ``/proc`` (Linux) without psutil. Always ``close()`` it (in ``finally``): that ends the
whole group, whatever state it is in.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

SRC = Path(__file__).resolve().parent.parent / "src"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (``/proc/<pid>/task/*/children``)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return sorted(set(found))


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def alive(pid: int) -> bool:
    """Running, and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _tcp_sockets(port: int, state: str) -> list[str]:
    """Inodes of the sockets on local 127.0.0.1:``port`` in ``state`` (``/proc/net/tcp``)."""
    local = f"0100007F:{port:04X}"
    return [fields[9] for fields in (line.split() for line in
                                     Path("/proc/net/tcp").read_text().splitlines()[1:])
            if fields[1] == local and fields[3] == state]


def listening_inodes(port: int) -> list[str]:
    """The sockets listening on 127.0.0.1:``port``: one per worker (``workers.py``)."""
    return _tcp_sockets(port, "0A")  # 0A: LISTEN


def accepted_inodes(port: int) -> list[str]:
    """The server ends of the connections established to 127.0.0.1:``port``."""
    return _tcp_sockets(port, "01")  # 01: ESTABLISHED


def socket_inodes(pid: int) -> set[str]:
    """Inodes of the sockets ``pid`` holds open."""
    found = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                found.add(target[len("socket:["):-1])
    except OSError:
        pass
    return found


def polls_socket(pid: int, inode: str) -> bool:
    """Whether ``pid`` has the socket ``inode`` registered in one of its epoll instances: an
    asyncio server accepting on it (a uvicorn worker that is serving)."""
    fd_dir = Path(f"/proc/{pid}/fd")
    socket_fds, epoll_fds = set(), []
    try:
        for fd in fd_dir.iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target == f"socket:[{inode}]":
                socket_fds.add(fd.name)
            elif target == "anon_inode:[eventpoll]":
                epoll_fds.append(fd.name)
        for fd in epoll_fds:
            info = Path(f"/proc/{pid}/fdinfo/{fd}").read_text()
            watched = {line.split()[1] for line in info.splitlines() if line.startswith("tfd:")}
            if watched & socket_fds:
                return True
    except OSError:
        return False
    return False


class SandboxProcess:
    """``invoice-sandbox serve --port P --store STORE --workers N --seed S *extra``."""

    def __init__(self, store: str | None, *, workers: int = 2, seed: int = 1,
                 port: int | None = None, extra: tuple[str, ...] = (),
                 log_dir: str | Path | None = None) -> None:
        self.store, self.workers, self.seed, self.extra = store, workers, seed, extra
        self.port = port or free_port()
        self.log_path = Path(log_dir or tempfile.mkdtemp(prefix="isb-sandbox-")) / \
            f"sandbox-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def command(self) -> list[str]:
        command = [sys.executable, "-m", "invoice_sandbox.cli", "serve",
                   "--port", str(self.port), "--workers", str(self.workers)]
        if self.store is not None:
            command += ["--store", self.store]
        if self.seed is not None:
            command += ["--seed", str(self.seed)]
        return command + list(self.extra)

    @staticmethod
    def environment() -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("INVOICE_SANDBOX_STORE", "INVOICE_SANDBOX_ADMIN_TOKEN")}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
        env["PYTHONUNBUFFERED"] = "1"
        return env

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self, timeout: float = 60) -> "SandboxProcess":
        """Start, and wait until every worker accepts connections."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=self.environment(), start_new_session=True)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        """Until an HTTP request is answered and all ``workers`` workers poll the socket."""
        deadline = time.monotonic() + timeout
        answered = False
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the sandbox exited ({self.process.returncode}) before it "
                                   f"was ready:\n{self.log_tail()}")
            if not answered:
                try:
                    answered = httpx.get(f"{self.base_url}/rebilly/openapi.json",
                                         timeout=2).status_code == 200
                except httpx.TransportError:
                    pass
            if answered and len(self.serving_workers()) >= self.workers:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the sandbox on port {self.port} was not ready in "
                                   f"{timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.1)

    def worker_pids(self) -> list[int]:
        """The uvicorn worker processes (multiprocessing spawn children) alive now."""
        return [pid for pid in children(self.pid)
                if b"spawn_main" in cmdline(pid) and alive(pid)]

    def serving_workers(self) -> list[int]:
        """The processes accepting connections: the workers, or with ``--workers 1`` the
        sandbox process itself."""
        inodes = listening_inodes(self.port)
        candidates = self.worker_pids() if self.workers > 1 else [self.pid]
        return [pid for pid in candidates if any(polls_socket(pid, inode) for inode in inodes)]

    def connections_per_worker(self) -> dict[int, int]:
        """How many of the connections established to the sandbox each worker holds."""
        accepted = set(accepted_inodes(self.port))
        return {pid: len(socket_inodes(pid) & accepted) for pid in self.worker_pids()}

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM to the parent (as a service manager stops it); its exit status."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def kill_group(self) -> None:
        """SIGKILL to every process of the group at once, as in a crash of the host."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)

    def group_alive(self) -> list[int]:
        """Pids still alive in this sandbox's process group."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == self.pid and alive(int(entry.name)):
                        pids.append(int(entry.name))
                except OSError:
                    continue
        return pids

    def wait_group_gone(self, timeout: float = 15) -> list[int]:
        """Wait until no process of the group is left; those still there at the timeout."""
        deadline = time.monotonic() + timeout
        while (left := self.group_alive()) and time.monotonic() < deadline:
            time.sleep(0.05)
        return left

    def close(self) -> None:
        """End the whole group, whatever its state: SIGTERM, then SIGKILL after a grace."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.pid, signal.SIGKILL)  # stragglers: workers, resource tracker
        except ProcessLookupError:
            pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            pass

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def __enter__(self) -> "SandboxProcess":
        return self.start() if self.process is None else self

    def __exit__(self, *exc_info) -> None:
        self.close()
