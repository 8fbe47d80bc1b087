"""pytest plugin: one live sandbox per test session, and a fresh tenant for every test.

Installed with the package (entry point ``pytest11``), so a test only asks for ``sandbox``::

    def test_listing_invoices(sandbox):
        response = sandbox.client("rebilly").get("/invoices")
        assert response.status_code == 200

Every test gets new API keys (one per provider), so tests never see each other's data, need
no global reset, and run in parallel under ``pytest -n`` (each worker has its own server).

A sandbox already running elsewhere (one shared by many CI runners) is used instead of a
server per session when ``$INVOICE_SANDBOX_URL`` is set (``http://host:8000``), with
``$INVOICE_SANDBOX_ADMIN_TOKEN`` when its control API is guarded; tests then reach it over
HTTP only (``sandbox.live_client(...)``, ``sandbox.url(...)``).

Fixtures (override any of them in a ``conftest.py``):
    invoice_sandbox_config   session   the ``SandboxConfig`` of the live server
    invoice_sandbox_server   session   the running ``LiveServer`` (``base_url``, ``app``)
    invoice_sandbox_control  session   a ``ControlClient`` of its control API
    invoice_sandbox_options  function  how the test's tenant is made (default: the marker's)
    sandbox                  function  the test's ``SandboxHandle``

Marker (on a test, class or module; the closest wins per option)::

    @pytest.mark.invoice_sandbox(providers=["rebilly"], clock="2024-01-01T00:00:00Z", seed=1,
                                 fixtures=True, tenant="checkout")

``tenant`` fixes the tenant id (keys ``sk_sandbox_checkout``, ...): with ``seed`` and ``clock``
the ids a test creates are the same on every run. Such a tenant is reset after the test.
"""

from __future__ import annotations

import pytest

MARKER = "invoice_sandbox"
OPTIONS = ("providers", "clock", "seed", "fixtures", "tenant")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(providers=None, clock=None, seed=None, fixtures=True, tenant=None): how "
        "the test's sandbox tenant is made: which providers, a frozen clock, an id seed, "
        "default fixtures or empty, a fixed tenant id (for ids that repeat run to run).",
    )


def marker_options(node: pytest.Item) -> dict:
    """The marker's options for a test; a marker closer to the test wins per option."""
    options: dict = {}
    for marker in node.iter_markers(MARKER):  # closest first
        given = dict(marker.kwargs)
        if marker.args:
            given.setdefault("providers", list(marker.args))
        unknown = sorted(set(given) - set(OPTIONS))
        if unknown:
            raise pytest.UsageError(f"@pytest.mark.{MARKER}: unknown option(s) "
                                    f"{', '.join(unknown)}; known: {', '.join(OPTIONS)}")
        for name, value in given.items():
            options.setdefault(name, value)
    return options


@pytest.fixture(scope="session")
def invoice_sandbox_config():
    """The live server's configuration: every provider, system clock, random id seed."""
    from invoice_sandbox import SandboxConfig

    return SandboxConfig()


URL_ENV = "INVOICE_SANDBOX_URL"
TOKEN_ENV = "INVOICE_SANDBOX_ADMIN_TOKEN"


@pytest.fixture(scope="session")
def invoice_sandbox_server(invoice_sandbox_config):
    """A live sandbox for the session, or the external one ``$INVOICE_SANDBOX_URL`` names."""
    import os

    from invoice_sandbox.testing import LiveServer, RemoteServer

    if os.environ.get(URL_ENV):
        yield RemoteServer(os.environ[URL_ENV], os.environ.get(TOKEN_ENV) or None)
        return
    from invoice_sandbox import create_app

    with LiveServer(create_app(invoice_sandbox_config)) as server:
        yield server


@pytest.fixture(scope="session")
def invoice_sandbox_control(invoice_sandbox_server):
    from invoice_sandbox.testing import ControlClient

    control = ControlClient(invoice_sandbox_server.base_url, invoice_sandbox_server.admin_token)
    yield control
    control.close()


@pytest.fixture
def invoice_sandbox_options(request) -> dict:
    return marker_options(request.node)


@pytest.fixture
def sandbox(invoice_sandbox_server, invoice_sandbox_control, invoice_sandbox_options):
    """This test's own tenant; reset (and its clients closed) when the test ends."""
    from invoice_sandbox.testing import SandboxHandle

    handle = SandboxHandle.create(invoice_sandbox_server, invoice_sandbox_control,
                                  **invoice_sandbox_options)
    yield handle
    handle.close()
