"""The command line as a user runs it: a real server process on a free loopback port."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from invoice_sandbox.cli import config_from, main, parser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_options_become_the_config():
    args = parser().parse_args([
        "serve", "--provider", "rebilly", "--seed", "3", "--clock", "2024-01-01T00:00:00Z",
        "--flavor", "flask", "--api-key", "rebilly=my-key"])
    config = config_from(args)
    assert config.providers == ("rebilly",) and config.seed == 3 and config.flavor == "flask"
    assert config.api_keys == {"rebilly": ("my-key",)}


@pytest.mark.parametrize("argv, message", [
    (["serve", "--api-key", "nope"], "--api-key wants PROVIDER=KEY"),
    (["serve", "--clock", "yesterday"], "not an RFC 3339 instant"),
])
def test_bad_options_exit_2_with_one_line(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


SPEC = Path(__file__).parents[1] / "openapi" / "rebilly.yaml"


def _fixture(folder: Path, text: str) -> Path:
    (folder / "rebilly").mkdir()
    (folder / "rebilly" / "default.yaml").write_text(text)
    return folder


@pytest.mark.parametrize("make_argv, message", [
    (lambda tmp: ["--fixtures", str(tmp / "missing")], "no such folder"),
    (lambda tmp: ["--fixtures", str(_fixture(tmp, "data: [unclosed\n"))], "cannot be read"),
    (lambda tmp: ["--fixtures", str(_fixture(tmp, "default: true\ndata:\n  invoices:\n"
                                                  "    - {customerId: c}\n"))],
     "'id' is a required property"),
    (lambda tmp: ["--specs", str(tmp)] if (tmp / "rebilly.yaml").write_text(
        SPEC.read_text().replace("#/components/schemas/InvoiceTaxItem", "#/components/x"))
        else [], "a $ref that leads nowhere"),
    (lambda tmp: ["--specs", str(tmp)] if (tmp / "rebilly.yaml").write_text(
        SPEC.read_text().replace("operationId: GetInvoice\n", "operationId: GetInvoiceX\n"))
        else [], "no rebilly handler for operation(s) GetInvoiceX"),
    (lambda tmp: ["--workers", "2"], "needs a shared store"),
    (lambda tmp: ["--store", "postgres://x"], "--store wants 'memory' or a redis:// URL"),
    (lambda tmp: ["--store", "redis://127.0.0.1:1/0"], "cannot reach Redis at 127.0.0.1:1"),
])
def test_start_up_problems_exit_2_with_one_line_and_serve_nothing(tmp_path, capsys, make_argv,
                                                                 message):
    assert main(["serve", "--provider", "rebilly", *make_argv(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_busy_port_exits_2_before_any_banner(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["serve", "--port", str(taken.getsockname()[1])]) == 2
    captured = capsys.readouterr()
    assert "Address already in use" in captured.err and captured.out == ""


def test_broken_spec_folder_exits_2_without_a_traceback(tmp_path, capsys):
    (tmp_path / "rebilly.yaml").write_text("openapi: 3.0.3\npaths: {}\n")
    assert main(["serve", "--provider", "rebilly", "--specs", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "rebilly.yaml is not valid OpenAPI" in err and "Traceback" not in err


@pytest.mark.parametrize("flavor", ["async", "flask"])
def test_serve_prints_url_key_and_draft_invoice_and_answers_requests(tmp_path, flavor):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "invoice_sandbox.cli", "serve", "--port", str(port),
         "--flavor", flavor, "--seed", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        banner = [process.stdout.readline() for _ in range(3)]
        rebilly = next(line for line in banner if line.strip().startswith("rebilly"))
        fields = rebilly.split()
        key, invoice = fields[fields.index("key") + 1], fields[-1]
        assert f"http://127.0.0.1:{port}/rebilly" in rebilly
        response = _wait_for(f"http://127.0.0.1:{port}/rebilly/invoices/{invoice}",
                             {"REB-APIKEY": key})
        assert response.status_code == 200 and response.json()["status"] == "draft"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for(url: str, headers: dict) -> httpx.Response:
    deadline = time.monotonic() + 20
    while True:
        try:
            return httpx.get(url, headers=headers, timeout=2)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "sandbox.internal"])
def test_a_non_loopback_host_without_an_admin_token_exits_2(capsys, monkeypatch, host):
    monkeypatch.delenv("INVOICE_SANDBOX_ADMIN_TOKEN", raising=False)
    assert main(["serve", "--host", host]) == 2
    err = capsys.readouterr().err
    assert "--admin-token" in err and err.count("\n") == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_hosts_need_no_admin_token(monkeypatch, host):
    monkeypatch.delenv("INVOICE_SANDBOX_ADMIN_TOKEN", raising=False)
    assert config_from(parser().parse_args(["serve", "--host", host])).admin_token is None


def test_the_admin_token_comes_from_the_option_or_the_environment(monkeypatch):
    args = ["serve", "--host", "0.0.0.0", "--admin-token", "s3cret"]
    assert config_from(parser().parse_args(args)).admin_token == "s3cret"
    monkeypatch.setenv("INVOICE_SANDBOX_ADMIN_TOKEN", "from-env")
    from_env = config_from(parser().parse_args(["serve", "--host", "0.0.0.0"]))
    assert from_env.admin_token == "from-env"


def test_the_banner_names_the_control_api():
    from invoice_sandbox import SandboxConfig, create_app
    from invoice_sandbox.cli import banner

    text = banner(create_app(SandboxConfig(seed=1, admin_token="t")), "127.0.0.1", 8000)
    control = text.splitlines()[-1]
    assert "http://127.0.0.1:8000/_sandbox" in control and "admin token" in control
