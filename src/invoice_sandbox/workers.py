"""``--workers N``: N worker processes, each listening on its own socket of one port.

uvicorn's supervisor hands every worker the same listening socket. Whichever worker's event
loop wakes first then accepts every connection waiting: a client that opens its connections
at once (a load test, a CI job's pool) often lands all of them on one worker while the others
idle. Here each worker opens its own listening socket on the port with ``SO_REUSEPORT``, and
the kernel spreads new connections over the listening sockets (on Linux). The supervisor first
checks that the port is free (a plain bind: another sandbox's workers must not share it), then
keeps it bound (so ``--port 0`` has one number) but does not listen on it, so
no connection waits on a socket nobody accepts from; a worker that dies takes its socket
with it, and its replacement opens a new one.

Everything else (health checks, restarts, signals) is uvicorn's ``Multiprocess``.
"""

from __future__ import annotations

import socket
import sys

from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess
from uvicorn.supervisors.multiprocess import Process, logger

REUSE_PORT = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")
"""Only Linux spreads connections over the sockets of a ``SO_REUSEPORT`` group; elsewhere the
workers share the supervisor's socket, as uvicorn does."""


def open_socket(host: str, port: int, *, reuse_port: bool = False,
                listen: bool = True) -> socket.socket:
    """A TCP socket bound to ``host:port`` (``ValueError`` naming the problem if it cannot)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    address = (host.strip("[]"), port)
    if reuse_port:  # the port must be free first: another sandbox's workers would share it
        probe = _bound(family, address, host, reuse_port=False)
        address = probe.getsockname()  # the number --port 0 drew
        probe.close()
    sock = _bound(family, address, host, reuse_port=reuse_port)
    if listen:
        sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _bound(family: int, address: tuple, host: str, *, reuse_port: bool) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ValueError(f"cannot listen on {host}:{address[1]}: {exc.strerror}") from None
    return sock


class _OwnSocketProcess(Process):
    """A worker that serves its own ``SO_REUSEPORT`` socket on the supervisor's port."""

    def target(self, sockets=None) -> None:  # pragma: no cover (runs in the child)
        inherited = sockets[0]
        own = socket.socket(inherited.family, socket.SOCK_STREAM)
        try:
            own.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            own.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            own.bind(inherited.getsockname())  # the whole address (an IPv6 scope included)
            own.listen(2048)
        except OSError as exc:  # would fail the same way again: the supervisor stops
            logger.error(f"worker cannot listen on {inherited.getsockname()}: {exc}")
            sys.exit(STARTUP_FAILURE)
        for socket_ in sockets:
            socket_.close()
        super().target([own])


class ReusePortMultiprocess(Multiprocess):
    """uvicorn's ``Multiprocess``, each worker on its own socket (see the module docstring).
    ``sockets`` is the supervisor's one socket, bound with ``SO_REUSEPORT``, not listening."""

    def init_processes(self) -> None:
        for _ in range(self.processes_num):
            self.processes.append(self._started())

    def restart_all(self) -> None:
        for index, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._started()
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck,
                                        self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    logger.error(f"New child process [{new.pid}] was not ready in time; "
                                 f"keeping worker [{old.pid}] and aborting the restart.")
                return
            old.terminate()
            old.join()
            self.processes[index] = new

    def keep_subprocess_alive(self) -> None:
        """As uvicorn's: a hung worker is killed, a dead one replaced, and a worker that could
        not start stops the supervisor (it would fail the same way again)."""
        if self.should_exit.is_set():
            return
        for index, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                logger.error(f"Child process [{process.pid}] failed to start, "
                             "stopping the parent process.")
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            logger.info(f"Child process [{process.pid}] died")
            self.processes[index] = self._started()

    def handle_ttin(self) -> None:
        logger.info("Received SIGTTIN, increasing the number of processes.")
        self.processes_num += 1
        self.processes.append(self._started())

    def _started(self) -> Process:
        process = _OwnSocketProcess(self.config, self.sockets)
        process.start()
        return process
