"""Digests of spec texts known to be valid OpenAPI: the built-in specs, as shipped.

``load_spec`` only parses a text listed here; it validates every other one (a user's
``--specs`` folder, an edited built-in spec). ``tests/specs/test_specs.py`` validates each
built-in spec in full and checks that this list holds exactly their digests, so changing a
spec means updating its line here: the failing test prints the new digest.
"""

VALID_SPEC_DIGESTS = frozenset({
    "d4b034b20c971aee85da3b9fa349b1bce1dcfc2b16f34dcccd7b6cdf6d05ec9f",  # billingrails.yaml
    "ccfa9c1d4cdc635b2de56c63b8426d339c6984cc798246cf7bba5655fd998f30",  # control.yaml
    "8e8ffef398a9b4f2d3f89a3fd2735b86e13c6f46400b69b847d69d72f89dbbf3",  # lineitems.yaml
    "bb735fd109c688181618807bd18040277f6ffcdf8d4e17111b76c9596fe9beb0",  # rebilly.yaml
})
