"""Who is calling and what is theirs: API keys to tenants, their settings, their fixtures."""

from .fixtures import FixtureDocument, FixtureFileError, load_fixture_documents
from .settings import ClockSetting, Settings
from .tenancy import Tenancy

__all__ = ["ClockSetting", "FixtureDocument", "FixtureFileError", "Settings", "Tenancy",
           "load_fixture_documents"]
