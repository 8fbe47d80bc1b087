"""Pure vocabulary every other part speaks: money, ids, instants, and who a request is for.

Nothing here does I/O or imports another part of the sandbox.
"""
