"""A small client of the control API (``/_sandbox``), as any user of the sandbox would write."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import httpx

from ..errors import InvoiceSandboxError


class ControlError(InvoiceSandboxError):
    """The control API refused a request; ``problem`` is its problem-details body."""

    def __init__(self, status: int, problem: dict) -> None:
        detail = problem.get("detail") or problem.get("title") or "request refused"
        super().__init__(f"control API answered {status}: {detail}")
        self.status = status
        self.problem = problem


def jsonable(value):
    """JSON for fixture data read from YAML or built in Python: instants as RFC 3339 text,
    Decimals as whole numbers or exact decimal strings (never floats)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class ControlClient:
    def __init__(self, base_url: str, admin_token: str | None = None,
                 timeout: float = 30.0) -> None:
        headers = {"Authorization": f"Bearer {admin_token}"} if admin_token else {}
        self._http = httpx.Client(base_url=base_url.rstrip("/") + "/_sandbox", headers=headers,
                                  timeout=timeout)

    def call(self, method: str, path: str, *, params: dict | None = None,
             body: dict | None = None) -> dict:
        """The JSON answer; raises ``ControlError`` for any 4xx/5xx."""
        params = {k: v for k, v in (params or {}).items() if v is not None}
        content = json.dumps(body, default=jsonable).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if content is not None else {}
        response = self._http.request(method, path, params=params, content=content,
                                      headers=headers)
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {"detail": response.text}
            raise ControlError(response.status_code, problem)
        return response.json()

    def close(self) -> None:
        self._http.close()
