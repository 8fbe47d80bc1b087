"""One folder per vendor; each exports ``PROVIDER`` for ``registry.py``."""
