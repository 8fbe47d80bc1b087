"""invoice-sandbox: an offline, stateful sandbox of billing providers' invoice APIs.

Public surface:
    create_app(config)  -> a Connexion app (AsyncApp by default, FlaskApp on request)
    SandboxConfig       -> everything create_app needs; built by the CLI or by tests
"""

import warnings

# Connexion imports Starlette's test client at import time, and Starlette >= 1.0 warns that
# its httpx backend is deprecated. Nothing here uses it in production; the notice is noise.
warnings.filterwarnings("ignore", message=".*starlette.testclient.*")

from .config import SandboxConfig  # noqa: E402
from .app import create_app  # noqa: E402

__all__ = ["SandboxConfig", "create_app"]
__version__ = "0.1.0"
