"""Driving a sandbox from tests: a live server in a thread, the control API, a per-test handle.

The pytest plugin (``invoice_sandbox.pytest_plugin``) is built from these; they work without
pytest too::

    with LiveServer(create_app(SandboxConfig())) as server:
        handle = SandboxHandle.create(server)
        httpx.get(handle.url("rebilly") + "/invoices", headers=handle.headers("rebilly"))
"""

from .control import ControlClient, ControlError
from .handle import SandboxHandle, TenantClock
from .live import LiveServer

__all__ = ["ControlClient", "ControlError", "LiveServer", "SandboxHandle", "TenantClock"]
