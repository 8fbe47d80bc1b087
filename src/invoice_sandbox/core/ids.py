"""Seeded, stateless id generation.

An id is a pure function of (seed, namespace, sequence number); the sequence number comes
from the store, so ids are deterministic per tenant no matter how other tenants' requests
interleave, and a shared store (Redis) only has to provide an atomic counter.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def random_seed() -> int:
    return secrets.randbits(63)


class IdSource:
    def __init__(self, seed: int) -> None:
        self.seed = seed

    def _digest(self, namespace: str, number: int) -> int:
        data = f"{self.seed}:{namespace}:{number}".encode()
        return int.from_bytes(hashlib.blake2b(data, digest_size=32).digest(), "big")

    def chars(self, namespace: str, number: int, alphabet: str, length: int) -> str:
        """``length`` characters of ``alphabet`` determined by the seed, namespace and number."""
        value = self._digest(namespace, number)
        base = len(alphabet)
        if base == 32:  # the digits divmod would give, lowest first, read off by shifting
            return "".join([alphabet[(value >> shift) & 31] for shift in range(0, 5 * length, 5)])
        out = []
        for _ in range(length):
            value, index = divmod(value, base)
            out.append(alphabet[index])
        return "".join(out)

    def ulid(self, namespace: str, number: int, instant: datetime) -> str:
        """A ULID (26 Crockford base-32 chars): 48-bit millisecond time, 80 seeded bits."""
        millis = int(instant.timestamp() * 1000) & ((1 << 48) - 1)
        time_part = "".join([CROCKFORD[(millis >> shift) & 31] for shift in range(45, -1, -5)])
        return time_part + self.chars(namespace, number, CROCKFORD, 16)
