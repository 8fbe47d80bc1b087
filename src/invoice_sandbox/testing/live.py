"""A sandbox app served by uvicorn on a free loopback port, in a background thread."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn


class LiveServer:
    """``with LiveServer(app) as server: server.base_url``; the port is picked by the OS."""

    def __init__(self, app, host: str = "127.0.0.1", admin_token: str | None = None) -> None:
        self.app = app
        self.host = host
        sandbox = getattr(app, "sandbox", None)  # create_app's apps know their admin token
        self.admin_token = admin_token or (sandbox.config.admin_token if sandbox else None)
        self.port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("the server is not running; call start() first")
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> "LiveServer":
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((self.host, 0))  # bound before the thread starts: no race for the port
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name=f"invoice-sandbox:{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the sandbox did not start on {self.host}:{self.port}")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout)
        self._server = self._thread = None

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()


class RemoteServer:
    """A sandbox someone else runs (a shared one in CI): only its URL and admin token.

    In-process clients (``SandboxHandle.client``) need the app and are not available; use
    ``live_client`` or your own HTTP client with ``handle.url()`` and ``handle.headers()``.
    """

    app = None

    def __init__(self, base_url: str, admin_token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.admin_token = admin_token

    def __enter__(self) -> "RemoteServer":
        return self

    def __exit__(self, *_exc) -> None:
        pass
