"""Personal data encrypted at rest: AES-GCM with a key derived from FIELD_ENCRYPTION_KEY.

Values are stored as ``v1:<base64 nonce+ciphertext>``. The key id prefix leaves room for key
rotation (a later ``v2`` with a new key, old rows still readable). Encrypted fields cannot be
searched or filtered; store a separate hash where equality lookups are needed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

PREFIX = "v1:"


def _key() -> bytes:
    return hashlib.sha256(
        ("securityunion-field-v1:" + settings.FIELD_ENCRYPTION_KEY).encode()
    ).digest()


def encrypt_bytes(plain: bytes) -> bytes:
    """``plain`` sealed with AES-GCM: the nonce, then the ciphertext and its tag."""
    nonce = os.urandom(12)
    return nonce + AESGCM(_key()).encrypt(nonce, plain, PREFIX.encode())


def decrypt_bytes(sealed: bytes) -> bytes:
    return AESGCM(_key()).decrypt(sealed[:12], sealed[12:], PREFIX.encode())


def encrypt_text(plain: str) -> str:
    return PREFIX + base64.b64encode(encrypt_bytes(plain.encode())).decode()


def decrypt_text(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("Unknown encryption version")
    return decrypt_bytes(base64.b64decode(stored[len(PREFIX) :])).decode()


class EncryptedJSONField(models.TextField):
    """A JSON value stored encrypted in a text column."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return self.get_default() if not self.null else None
        return json.loads(decrypt_text(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(PREFIX):
            return json.loads(decrypt_text(value))
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return encrypt_text(json.dumps(value, sort_keys=True, separators=(",", ":")))

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj))
