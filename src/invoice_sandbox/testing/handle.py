"""One test's own tenant: fresh API keys per provider, and everything a test does with them.

A handle talks to the sandbox only through its public surface (the providers' APIs and the
control API over HTTP), so it works against any sandbox a ``LiveServer``-like object points
at; only the in-process clients need the app object itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import httpx
import yaml

from .control import ControlClient

if TYPE_CHECKING:
    from .lifecycle import Moves


class SandboxHandle:
    """A tenant in every provider it was created for (``id`` is shared by its keys)."""

    def __init__(self, server, control: ControlClient, tenant: dict) -> None:
        self.server = server
        self.control = control
        self.id: str = tenant["id"]
        self._providers: dict[str, dict] = tenant["providers"]
        self.clock = TenantClock(self)
        self._clients: list[httpx.Client] = []

    @classmethod
    def create(cls, server, control: ControlClient | None = None, *,
               providers: Iterable[str] | None = None, fixtures: bool = True,
               clock: str | datetime | None = None, seed: int | None = None,
               tenant: str | None = None) -> "SandboxHandle":
        """A new tenant: with ``clock`` its clock is frozen there, with ``seed`` its ids follow
        that seed, both before its fixtures load; ``fixtures=False`` starts it empty.
        ``tenant`` fixes its id (keys ``sk_sandbox_<tenant>``...), so seeded ids repeat."""
        control = control or ControlClient(server.base_url, server.admin_token)
        body: dict = {"fixtures": fixtures}
        if tenant is not None:
            body["id"] = tenant
        if providers is not None:
            body["providers"] = list(providers)
        if clock is not None:
            body["clock"] = clock.isoformat() if isinstance(clock, datetime) else clock
        if seed is not None:
            body["seed"] = seed
        return cls(server, control, control.call("POST", "/tenants", body=body))

    # -- where and how to call ---------------------------------------------------------------
    @property
    def providers(self) -> tuple[str, ...]:
        return tuple(self._providers)

    def url(self, provider: str) -> str:
        """The provider's base URL on the live server (``http://127.0.0.1:PORT/rebilly``)."""
        return self.server.base_url + self._tenant(provider)["basePath"]

    def api_key(self, provider: str) -> str:
        return self._tenant(provider)["key"]

    def headers(self, provider: str) -> dict[str, str]:
        """The authentication header(s) the provider expects, with this tenant's key."""
        return dict(self._tenant(provider)["headers"])

    def client(self, provider: str) -> httpx.Client:
        """An httpx-compatible client calling the app in-process (no socket), authenticated,
        with the provider's base URL as its base: ``client.get("/invoices")``."""
        app = self._app()
        client = app.test_client(base_url="http://testserver" + self._tenant(provider)["basePath"],
                                 headers=self.headers(provider))
        self._clients.append(client)
        return client

    def live_client(self, provider: str) -> httpx.Client:
        """Like ``client`` but over the live server's port, as a real client would be."""
        client = httpx.Client(base_url=self.url(provider), headers=self.headers(provider))
        self._clients.append(client)
        return client

    def asgi_transport(self) -> httpx.ASGITransport:
        """For ``httpx.AsyncClient(transport=...)``: the app in-process, no socket."""
        return httpx.ASGITransport(app=self._app())

    def invoices(self, provider: str) -> "Moves":
        """The common lifecycle moves in this provider's own calls: ``issue``, ``pay``,
        ``void``, ``advance_past_due`` (``testing/lifecycle.py``)."""
        from .lifecycle import MOVES

        if provider not in MOVES:
            raise KeyError(f"no lifecycle moves for {provider!r} (have: {', '.join(MOVES)})")
        in_process = getattr(self.server, "app", None) is not None
        client = self.client(provider) if in_process else self.live_client(provider)
        return MOVES[provider](self, client)

    # -- data --------------------------------------------------------------------------------
    def seed(self, provider: str, data_or_path: dict | str | Path) -> dict[str, int]:
        """Load fixture data (a dict, or a fixture YAML/JSON file) into this tenant."""
        data = data_or_path
        if isinstance(data_or_path, (str, Path)):
            data = yaml.safe_load(Path(data_or_path).read_text(encoding="utf-8")) or {}
        if isinstance(data, dict) and isinstance(data.get("data"), dict):
            data = data["data"]  # a whole fixture document: keys/default/data
        answer = self.control.call("POST", "/fixtures", body={"data": data},
                                   params=self._address(provider))
        return answer["loaded"]

    def reset(self) -> None:
        """Forget this tenant's data and settings; its next request reloads the fixtures."""
        for provider in self._providers:
            self.control.call("POST", "/reset", params=self._address(provider))

    def set_id_seed(self, seed: int) -> None:
        """Ids generated from now on in this tenant follow ``seed``."""
        for provider in self._providers:
            self.control.call("PUT", "/seed", params=self._address(provider), body={"seed": seed})

    # -- journal -----------------------------------------------------------------------------
    def journal(self, provider: str | None = None, operation: str | None = None,
                status: int | None = None) -> list[dict]:
        """This tenant's recorded requests, oldest first: method, path, operationId, status,
        body (parsed JSON), time (sandbox clock)."""
        entries = []
        for name in self._selected(provider):
            params = {**self._address(name), "operation": operation, "status": status}
            entries += self.control.call("GET", "/journal", params=params)["entries"]
        return sorted(entries, key=lambda entry: entry["seq"])

    def clear_journal(self, provider: str | None = None) -> None:
        for name in self._selected(provider):
            self.control.call("DELETE", "/journal", params=self._address(name))

    # -- faults ------------------------------------------------------------------------------
    def fail_next(self, provider: str, operation: str | None, status: int,
                  times: int = 1) -> dict:
        """The next ``times`` requests to ``operation`` (an operationId; None: any) answer
        ``status`` in the vendor's error shape."""
        rule = {"operation": operation, "action": "status", "status": status, "times": times}
        return self.control.call("POST", "/faults", params=self._address(provider), body=rule)

    def schedule_fault(self, provider: str, **rule) -> dict:
        """Any fault rule: ``operation``, ``action`` (status, delay, drop), ``status``,
        ``delay_ms``, ``times`` or ``fraction`` (see ``POST /_sandbox/faults``)."""
        return self.control.call("POST", "/faults", params=self._address(provider), body=rule)

    def rate_limits(self, provider: str, enabled: bool = True, limit: int | None = None,
                    window_seconds: int | None = None) -> dict:
        """Switch the vendor's rate limit on (or off) for this tenant."""
        body = {"enabled": enabled, "limit": limit, "window_seconds": window_seconds}
        return self.control.call("PUT", "/rate-limits", params=self._address(provider), body=body)

    # -- plumbing ----------------------------------------------------------------------------
    def close(self, *, reset: bool = True) -> None:
        for client in self._clients:
            client.close()
        self._clients.clear()
        if reset:
            self.reset()

    def _tenant(self, provider: str) -> dict:
        try:
            return self._providers[provider]
        except KeyError:
            have = ", ".join(self._providers)
            raise KeyError(f"this tenant has no {provider!r} key (it has: {have}); "
                           "list it in @pytest.mark.invoice_sandbox(providers=[...])") from None

    def _address(self, provider: str) -> dict[str, str]:
        return {"provider": provider, "key": self.api_key(provider)}

    def _selected(self, provider: str | None) -> list[str]:
        return [provider] if provider is not None else list(self._providers)

    def _app(self):
        app = getattr(self.server, "app", None)
        if app is None:
            raise RuntimeError("in-process clients need the app; this sandbox is remote")
        return app


class TenantClock:
    """The tenant's sandbox clock, in every provider of the tenant at once."""

    def __init__(self, handle: SandboxHandle) -> None:
        self._handle = handle

    def freeze(self, instant: str | datetime | None = None) -> datetime:
        """Stop the clock at ``instant`` (default: where it stands)."""
        body = {} if instant is None else {
            "now": instant.isoformat() if isinstance(instant, datetime) else instant}
        return self._each("PUT", "/clock", body)

    def unfreeze(self) -> datetime:
        """Let the clock run on from where it stands."""
        return self._each("PUT", "/clock", {"frozen": False})

    def advance(self, seconds: float | timedelta) -> datetime:
        if isinstance(seconds, timedelta):
            seconds = seconds.total_seconds()
        return self._each("POST", "/clock/advance", {"seconds": seconds})

    def now(self) -> datetime:
        provider = self._handle.providers[0]
        return _instant(self._handle.control.call(
            "GET", "/clock", params=self._handle._address(provider)))

    def _each(self, method: str, path: str, body: dict) -> datetime:
        answer = {}
        for provider in self._handle.providers:
            answer = self._handle.control.call(method, path, body=body,
                                               params=self._handle._address(provider))
        return _instant(answer)


def _instant(clock: dict) -> datetime:
    return datetime.fromisoformat(clock["now"].replace("Z", "+00:00"))
