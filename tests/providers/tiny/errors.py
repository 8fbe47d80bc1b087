"""One error shape: {"error": message}."""

from invoice_sandbox.providers.base import known_status

_KNOWN = frozenset({400, 401, 404, 405, 413, 415, 422, 500})


def render_error(error):
    status = known_status(error.status, _KNOWN)
    return {"error": error.message or "error"}, status, {}
