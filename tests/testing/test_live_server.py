import socket

import httpx

from invoice_sandbox import SandboxConfig, create_app
from invoice_sandbox.testing import LiveServer


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_a_live_server_answers_on_a_free_loopback_port_until_stopped():
    with LiveServer(create_app(SandboxConfig(providers=("lineitems",)))) as server:
        response = httpx.get(server.base_url + "/lineitems/invoices",
                             headers={"Authorization": "Bearer sk_sandbox_live"})
        assert response.status_code == 200 and server.base_url.startswith("http://127.0.0.1:")
        port = server.port
    assert not port_is_open(port)


def test_a_live_server_knows_the_apps_admin_token():
    server = LiveServer(create_app(SandboxConfig(providers=("lineitems",), admin_token="t")))
    assert server.admin_token == "t"
