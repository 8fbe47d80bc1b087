"""invoice-sandbox: an offline, stateful sandbox of billing providers' invoice APIs.

Public surface:
    create_app(config)  -> a Connexion app (AsyncApp by default, FlaskApp on request)
    SandboxConfig       -> everything create_app needs; built by the CLI or by tests
    errors              -> every exception a user can meet (``invoice_sandbox.errors``)

Importing the package changes no global state and imports nothing heavy: ``create_app``
(and Connexion with it) loads on first use, so the pytest plugin costs nothing until used.
"""

__all__ = ["SandboxConfig", "create_app"]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name == "SandboxConfig":
        from .config import SandboxConfig

        return SandboxConfig
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
