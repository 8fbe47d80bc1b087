"""invoice-sandbox: an offline, stateful sandbox of billing providers' invoice APIs.

Public surface:
    create_app(config)  -> a Connexion app (AsyncApp by default, FlaskApp on request)
    SandboxConfig       -> everything create_app needs; built by the CLI or by tests
"""

import warnings

# Connexion imports Starlette's test client at import time, and Starlette >= 1.0 warns that
# its httpx backend is deprecated. Nothing here uses it in production; the notice is noise.
warnings.filterwarnings("ignore", message=".*starlette.testclient.*")

__all__ = ["SandboxConfig", "create_app"]
__version__ = "0.1.0"


def __getattr__(name: str):
    """Imported on first use, so loading the pytest plugin (``invoice_sandbox.pytest_plugin``,
    which pytest imports in every run) does not import Connexion."""
    if name == "SandboxConfig":
        from .config import SandboxConfig

        return SandboxConfig
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
