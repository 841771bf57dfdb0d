"""The hasher for company API client secrets.

Passwords are chosen by people and need a slow, memory-hard hash (Argon2). A client secret is
not a password: the centre generates it (``secrets.token_urlsafe(48)``: 384 random bits), so
there is nothing to guess and key stretching only makes every wrong secret cost the server
0.5-1 s of CPU and ~100 MB, which turns the token endpoint into a lever for exhausting it.
A salted SHA-256 is preimage-resistant far beyond 384 bits of entropy; it is what the secret
needs, and a wrong secret is rejected in microseconds.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop as _


class ClientSecretSHA256Hasher(BasePasswordHasher):
    """``client_sha256$<salt>$<sha256(salt + secret)>``; for generated secrets only."""

    algorithm = "client_sha256"

    def salt(self) -> str:
        return secrets.token_hex(16)

    def encode(self, password: str, salt: str) -> str:
        self._check_encode_args(password, salt)
        digest = hashlib.sha256((salt + password).encode()).hexdigest()
        return f"{self.algorithm}${salt}${digest}"

    def decode(self, encoded: str) -> dict:
        algorithm, salt, digest = encoded.split("$", 2)
        if algorithm != self.algorithm:
            raise ValueError("not a client secret hash")
        return {"algorithm": algorithm, "hash": digest, "salt": salt}

    def verify(self, password: str, encoded: str) -> bool:
        try:
            decoded = self.decode(encoded)
        except ValueError:
            return False
        return constant_time_compare(encoded, self.encode(password, decoded["salt"]))

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("salt"): mask_hash(decoded["salt"], show=2),
            _("hash"): mask_hash(decoded["hash"]),
        }

    def must_update(self, encoded: str) -> bool:
        return False

    def harden_runtime(self, password: str, encoded: str) -> None:
        return None
