"""Encrypted model fields: the stable import path (and the path migrations name them by).

The implementation and its key ring live in :mod:`securityunion.lib.encryption`.
"""

from securityunion.lib.encryption import (
    DecryptionError,
    EncryptedJSONField,
    EncryptedTextField,
    decrypt_bytes,
    decrypt_text,
    encrypt_bytes,
    encrypt_text,
)

__all__ = [
    "DecryptionError",
    "EncryptedJSONField",
    "EncryptedTextField",
    "decrypt_bytes",
    "decrypt_text",
    "encrypt_bytes",
    "encrypt_text",
]
