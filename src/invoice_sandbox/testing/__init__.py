"""Driving a sandbox from tests: a live server in a thread, the control API, a per-test handle,
a real Redis server for store tests; the pytest plugin (``pytest_plugin.py``) is built from
these. They work without pytest too::

    with LiveServer(create_app(SandboxConfig())) as server:
        handle = SandboxHandle.create(server)
        httpx.get(handle.url("rebilly") + "/invoices", headers=handle.headers("rebilly"))

Names load on first use, so pytest loading the plugin imports none of their dependencies.
"""

from importlib import import_module

_HOMES = {
    "ControlClient": ".control", "ControlError": ".control", "SandboxHandle": ".handle",
    "TenantClock": ".handle", "LiveServer": ".live", "RemoteServer": ".live",
    "RedisServer": ".redis_server", "Moves": ".lifecycle", "MoveRefused": ".lifecycle",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES[name], __name__), name)
