"""invoice-sandbox: an offline, stateful sandbox of billing providers' invoice APIs.

Public surface:
    create_app(config)  -> a Connexion app (AsyncApp by default, FlaskApp on request)
    SandboxConfig       -> everything create_app needs; built by the CLI or by tests
"""

from .config import SandboxConfig
from .app import create_app

__all__ = ["SandboxConfig", "create_app"]
__version__ = "0.1.0"
