"""Personal data encrypted at rest: AES-GCM under a key ring read from ``FIELD_ENCRYPTION_KEY``.

The key ring
    ``FIELD_ENCRYPTION_KEY`` holds one or more secrets, comma-separated, newest first. New values
    are always sealed with the newest key; a value is opened with whichever key of the ring it
    names. Each secret is stretched with HKDF (SHA-256) into the AES-256 key; a second HKDF
    output with its own label is the key id, so the id names a key without revealing it.

Formats
    text (model fields): ``v2:<key id>:<base64 nonce + ciphertext + tag>``
    bytes (stored documents): ``SUe2`` + 8-byte key id + 12-byte nonce + ciphertext + tag

    The associated data binds every value to its *context*: for a model field the model's label
    and the field's name (``<app>.<model>.<field>``), for a stored document its
    kind and id. A value copied into another column, or another export's row, does not open.

Old values
    ``v1:`` text and headerless bytes (SHA-256 of a fixed label and the secret as the key, the
    version as associated data, no context) stay readable under any key of the ring. They are
    not bound to their column: run ``manage.py reencrypt_fields`` once after upgrading, which
    rewrites every value under the newest key in the current format.

Rotation
    Put the new secret first and keep the old one after it (``new,old``), deploy, run
    ``manage.py reencrypt_fields`` (batched, idempotent, safe to re-run or interrupt), then drop
    the old secret. Renaming a model or an encrypted field changes the context: re-encrypt in the
    same migration or pass the old name as ``context=``.

Encrypted fields cannot be searched or filtered; store a separate keyed hash where equality
lookups are needed.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

TEXT_PREFIX = "v2:"
LEGACY_TEXT_PREFIX = "v1:"
BYTES_MAGIC = b"SUe2"
KEY_ID_BYTES = 8
NONCE_BYTES = 12

# Migrations name the fields by this stable public path (see ``securityunion.casework.fields``).
FIELDS_PATH = "securityunion.casework.fields"


class DecryptionError(ValueError):
    """No key of the ring opens the value for this context (wrong key, wrong column, tampering)."""


def _hkdf(secret: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(secret)


@dataclass(frozen=True)
class Key:
    key_id: bytes
    aead: AESGCM
    legacy_aead: AESGCM  # the key the ``v1`` format derived from the same secret

    @property
    def key_id_hex(self) -> str:
        return self.key_id.hex()


def _make_key(secret: str) -> Key:
    raw = secret.encode()
    return Key(
        key_id=_hkdf(raw, b"securityunion field encryption key id", KEY_ID_BYTES),
        aead=AESGCM(_hkdf(raw, b"securityunion field encryption v2", 32)),
        legacy_aead=AESGCM(hashlib.sha256(b"securityunion-field-v1:" + raw).digest()),
    )


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[Key, ...]

    @property
    def newest(self) -> Key:
        return self.keys[0]

    def by_id(self, key_id: bytes) -> Key | None:
        return next((k for k in self.keys if k.key_id == key_id), None)


@functools.lru_cache(maxsize=8)
def _ring_for(setting: str) -> KeyRing:
    secrets = [s.strip() for s in setting.split(",") if s.strip()]
    if not secrets:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY holds no key.")
    keys = tuple(_make_key(s) for s in secrets)
    if len({k.key_id for k in keys}) != len(keys):
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY names the same key twice.")
    return KeyRing(keys)


def key_ring() -> KeyRing:
    """The ring for the current ``FIELD_ENCRYPTION_KEY`` (newest key first)."""
    return _ring_for(settings.FIELD_ENCRYPTION_KEY)


# --- bytes ------------------------------------------------------------------------------------


def _bytes_aad(key_id: bytes, context: str) -> bytes:
    return BYTES_MAGIC + key_id + b"|" + context.encode()


def encrypt_bytes(plain: bytes, *, context: str) -> bytes:
    """``plain`` sealed under the newest key and bound to ``context``."""
    key = key_ring().newest
    nonce = os.urandom(NONCE_BYTES)
    sealed = key.aead.encrypt(nonce, plain, _bytes_aad(key.key_id, context))
    return BYTES_MAGIC + key.key_id + nonce + sealed


def _open_legacy(sealed: bytes) -> bytes:
    for key in key_ring().keys:
        try:
            return key.legacy_aead.decrypt(
                sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], LEGACY_TEXT_PREFIX.encode()
            )
        except InvalidTag:
            continue
    raise DecryptionError("No key of FIELD_ENCRYPTION_KEY opens this value.")


def decrypt_bytes(sealed: bytes, *, context: str) -> bytes:
    """Open a value sealed by :func:`encrypt_bytes` (or the old headerless format)."""
    header = len(BYTES_MAGIC) + KEY_ID_BYTES
    if sealed.startswith(BYTES_MAGIC) and len(sealed) > header + NONCE_BYTES:
        key_id = sealed[len(BYTES_MAGIC) : header]
        key = key_ring().by_id(key_id)
        if key is not None:
            nonce, body = sealed[header : header + NONCE_BYTES], sealed[header + NONCE_BYTES :]
            try:
                return key.aead.decrypt(nonce, body, _bytes_aad(key_id, context))
            except InvalidTag:
                raise DecryptionError("The value does not open in this context.") from None
    return _open_legacy(sealed)


def bytes_key_is_current(sealed: bytes) -> bool:
    """Whether ``sealed`` is in the current format under the newest key."""
    return sealed.startswith(BYTES_MAGIC + key_ring().newest.key_id)


# --- text -------------------------------------------------------------------------------------


def current_text_prefix() -> str:
    return f"{TEXT_PREFIX}{key_ring().newest.key_id_hex}:"


def encrypt_text(plain: str, *, context: str) -> str:
    key = key_ring().newest
    nonce = os.urandom(NONCE_BYTES)
    head = f"{TEXT_PREFIX}{key.key_id_hex}:"
    sealed = key.aead.encrypt(nonce, plain.encode(), (head + context).encode())
    return head + base64.b64encode(nonce + sealed).decode()


def decrypt_text(stored: str, *, context: str) -> str:
    try:
        if stored.startswith(TEXT_PREFIX):
            key_id_hex, _, body = stored[len(TEXT_PREFIX) :].partition(":")
            key = key_ring().by_id(bytes.fromhex(key_id_hex))
            if key is None:
                raise DecryptionError(f"The value names key {key_id_hex}, not in the ring.")
            raw = base64.b64decode(body, validate=True)
            head = f"{TEXT_PREFIX}{key_id_hex}:"
            try:
                return key.aead.decrypt(
                    raw[:NONCE_BYTES], raw[NONCE_BYTES:], (head + context).encode()
                ).decode()
            except InvalidTag:
                raise DecryptionError("The value does not open in this context.") from None
        if stored.startswith(LEGACY_TEXT_PREFIX):
            raw = base64.b64decode(stored[len(LEGACY_TEXT_PREFIX) :], validate=True)
            return _open_legacy(raw).decode()
    except (binascii.Error, ValueError) as exc:
        if isinstance(exc, DecryptionError):
            raise
        raise DecryptionError("The stored value is not an encrypted value.") from exc
    raise DecryptionError("Unknown encryption version.")


def is_encrypted_text(value: Any) -> bool:
    return isinstance(value, str) and value.startswith((TEXT_PREFIX, LEGACY_TEXT_PREFIX))


# --- model fields -----------------------------------------------------------------------------


class EncryptedFieldMixin:
    """Stores its value encrypted in a text column, bound to ``<app.model>.<field>``.

    ``context`` overrides the binding (keep the old one when renaming a model or field).
    """

    def __init__(self, *args: Any, context: str | None = None, **kwargs: Any) -> None:
        self._encryption_context = context
        super().__init__(*args, **kwargs)

    @property
    def encryption_context(self) -> str:
        if self._encryption_context:
            return self._encryption_context
        return f"{self.model._meta.label_lower}.{self.name}"  # type: ignore[attr-defined]

    def deconstruct(self) -> tuple[Any, ...]:
        name, _path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        if self._encryption_context:
            kwargs["context"] = self._encryption_context
        return name, f"{FIELDS_PATH}.{type(self).__name__}", args, kwargs

    # Each concrete field (text, JSON) says how its Python value becomes the plain text that is
    # encrypted, and back; this mixin is never a field on its own.
    def encode(self, value: Any) -> str:
        raise NotImplementedError(f"{type(self).__name__} must define encode()")

    def decode(self, text: str) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define decode()")

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return self.get_default() if not self.null else None  # type: ignore[attr-defined]
        return self.decode(decrypt_text(value, context=self.encryption_context))

    def to_python(self, value: Any) -> Any:
        """Python values pass through; a stored value of this column (``v1:``/``v2:``) opens.

        Text that merely looks like a stored value (typed by someone) stays as typed.
        """
        if is_encrypted_text(value):
            try:
                return self.decode(decrypt_text(value, context=self.encryption_context))
            except DecryptionError:
                return value
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return encrypt_text(self.encode(value), context=self.encryption_context)


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """A text value stored encrypted."""

    def encode(self, value: Any) -> str:
        return str(value)

    def decode(self, text: str) -> str:
        return text


class EncryptedJSONField(EncryptedFieldMixin, models.TextField):
    """A JSON value stored encrypted in a text column."""

    def encode(self, value: Any) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"))

    def decode(self, text: str) -> Any:
        return json.loads(text)

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj))


def encrypted_fields(model: type[models.Model]) -> list[EncryptedFieldMixin]:
    """The encrypted concrete fields of ``model``."""
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
