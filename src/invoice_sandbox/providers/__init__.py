"""The vendors: one folder each (see ``base.py`` for the files every folder has), listed in
``registry.py``."""
