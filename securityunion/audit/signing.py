"""Ed25519 keys for audit seals: the private key lives in the environment, never in the database.

A database owner can rewrite events and recompute every hash of the chain, but cannot sign the
recomputed seals: verification with the public key names the first seal whose signature fails.

Keys are given as base64 of the raw 32 bytes (the private key's seed, or the public key), or as
a PEM file (``openssl genpkey -algorithm ed25519``). A key's id is the first 16 hex digits of the
SHA-256 of its raw public key; every seal records the id of the key that signed it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SIGNED_FORMAT = "securityunion-audit-seal:v1"


class BadKey(ValueError):
    """A key that cannot be read."""


def _raw_32(text: str, what: str) -> bytes:
    cleaned = "".join(text.split())
    padded = cleaned + "=" * (-len(cleaned) % 4)
    for altchars in (b"+/", b"-_"):
        try:
            raw = base64.b64decode(padded, altchars=altchars, validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(raw) != 32:
            raise BadKey(f"{what} must be base64 of exactly 32 bytes, got {len(raw)} bytes")
        return raw
    raise BadKey(f"{what} is not base64")


def raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public(public_key)).hexdigest()[:16]


def public_key_text(public_key: Ed25519PublicKey) -> str:
    """The value to give verifiers as ``AUDIT_VERIFY_KEY``."""
    return base64.b64encode(raw_public(public_key)).decode()


def parse_private_key(data: str | bytes, what: str = "AUDIT_SIGNING_KEY") -> Ed25519PrivateKey:
    text = data.decode("ascii", errors="replace") if isinstance(data, bytes) else data
    if "-----BEGIN" in text:
        try:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        except (ValueError, TypeError) as error:
            raise BadKey(f"{what} is not a readable PEM private key") from error
        if not isinstance(key, Ed25519PrivateKey):
            raise BadKey(f"{what} is not an Ed25519 key")
        return key
    return Ed25519PrivateKey.from_private_bytes(_raw_32(text, what))


def parse_public_key(data: str | bytes, what: str = "AUDIT_VERIFY_KEY") -> Ed25519PublicKey:
    text = data.decode("ascii", errors="replace") if isinstance(data, bytes) else data
    if "-----BEGIN" in text:
        try:
            key = serialization.load_pem_public_key(text.encode())
        except (ValueError, TypeError) as error:
            raise BadKey(f"{what} is not a readable PEM public key") from error
        if not isinstance(key, Ed25519PublicKey):
            raise BadKey(f"{what} is not an Ed25519 key")
        return key
    return Ed25519PublicKey.from_public_bytes(_raw_32(text, what))


def load_verify_key(value: str) -> Ed25519PublicKey:
    """A public key given on the command line: base64, or the path of a file holding one."""
    candidate = Path(value)
    if "\n" not in value and len(value) < 4096 and candidate.is_file():
        return parse_public_key(candidate.read_text(), what=str(candidate))
    return parse_public_key(value, what="the verify key")


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    key_id: str

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private.sign(message)).decode()


def signing_key() -> SigningKey:
    """The configured signing key (``AUDIT_SIGNING_KEY_FILE`` wins over ``AUDIT_SIGNING_KEY``)."""
    path = getattr(settings, "AUDIT_SIGNING_KEY_FILE", "")
    try:
        if path:
            try:
                data = Path(path).read_bytes()
            except OSError as error:
                raise BadKey(f"AUDIT_SIGNING_KEY_FILE {path} cannot be read: {error}") from error
            private = parse_private_key(data, what=f"AUDIT_SIGNING_KEY_FILE {path}")
        else:
            private = parse_private_key(settings.AUDIT_SIGNING_KEY)
    except BadKey as error:
        raise ImproperlyConfigured(str(error)) from error
    return SigningKey(private=private, key_id=key_id(private.public_key()))


def configured_verify_keys() -> dict[str, Ed25519PublicKey]:
    """Verify keys by id: ``AUDIT_VERIFY_KEY`` (comma-separated, for rotation) or else the
    public half of the signing key."""
    values = [v for v in getattr(settings, "AUDIT_VERIFY_KEY", "").split(",") if v.strip()]
    if values:
        try:
            keys = [parse_public_key(v) for v in values]
        except BadKey as error:
            raise ImproperlyConfigured(str(error)) from error
    else:
        keys = [signing_key().public]
    return {key_id(k): k for k in keys}


def signed_message(
    *, seal_id: int, last_event_id: int, watermark: int, seal_hash: str, key_id: str
) -> bytes:
    """What a seal's signature covers: its head (``seal_hash`` chains every earlier seal)."""
    return (
        f"{SIGNED_FORMAT}\n{seal_id}\n{last_event_id}\n{watermark}\n{seal_hash}\n{key_id}"
    ).encode()


def signature_valid(public_key: Ed25519PublicKey, signature: str, message: bytes) -> bool:
    try:
        public_key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
