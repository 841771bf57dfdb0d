"""Validation of the company reporting API's payloads: plain functions, no database.

A payload is checked completely before anything is stored; the result is either a normalised
report or a dict of field errors in the API's error format. Anything that carries file content
is refused: the centre never accepts media.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from securityunion.accounts.countries import COUNTRIES

COUNTRY_CODES = frozenset(code for code, _ in COUNTRIES)
ABUSE_TYPES = ("csam", "solicitation")
ITEM_KINDS = ("image", "video", "url", "text", "account")
VISUAL_KINDS = ("image", "video", "url")
HASH_PATTERNS = {
    "md5": re.compile(r"^[0-9a-f]{32}$"),
    "sha1": re.compile(r"^[0-9a-f]{40}$"),
    "sha256": re.compile(r"^[0-9a-f]{64}$"),
    "pdq": re.compile(r"^[0-9a-f]{64}$"),
    "photodna": re.compile(r"^[A-Za-z0-9+/=,]{16,400}$"),
}
HASH_HINTS = {
    "md5": "32 hexadecimal characters",
    "sha1": "40 hexadecimal characters",
    "sha256": "64 hexadecimal characters",
    "pdq": "64 hexadecimal characters (256 bits)",
    "photodna": (
        "its 144 bytes as base64, hexadecimal or comma-separated values 0-255 "
        "(at most 400 characters)"
    ),
}
REPORT_FIELDS = {
    "provider_reference",
    "abuse_type",
    "incident_at",
    "service",
    "urgent",
    "urgency_reason",
    "countries",
    "reported_user",
    "items",
    "notes",
}
USER_FIELDS = {"account_id", "username", "email", "ip_events"}
ITEM_FIELDS = {
    "kind",
    "hashes",
    "url",
    "provider_item_id",
    "publicly_available",
    "removed_by_provider",
}
MEDIA_FIELDS = {
    "content",
    "file",
    "files",
    "data",
    "media",
    "image",
    "image_data",
    "video",
    "video_data",
    "attachment",
    "attachments",
    "blob",
    "base64",
    "bytes",
    "upload",
    "thumbnail",
    "body",
}
MEDIA_MESSAGE = (
    "The centre never accepts media. Send hashes, URLs and your item id only; remove this field."
)
MAX_ITEMS = 1000
MAX_TEXT = 10_000
# Sensible lengths for what each text field says it is.
MAX_REFERENCE = 200
MAX_ITEM_ID = 128
MAX_SERVICE = 200
MAX_URGENCY_REASON = 2000
MAX_URL = 2048
MAX_URL_QUERY = 512
MAX_ACCOUNT_ID = 128
MAX_USERNAME = 150
MAX_EMAIL = 254
PHOTODNA_BYTES = 144
OPAQUE_MESSAGE = (
    "Looks like encoded data (a long run of base64 or hexadecimal): the centre never accepts "
    "media or file content. Describe in words; send hashes and URLs in items."
)

# "No media, ever": ways file content was smuggled through text. A data: URI anywhere; a long
# unbroken run of the base64/base64url alphabet; base64 or hex split over commas, spaces or
# lines (joined again by dropping separators) betrays itself by its length and entropy:
# natural language stays under ~4.8 bits per character, random base64 is ~5.7.
_DATA_URI = re.compile(
    r"\bdata:\s*(?:[a-z0-9.+-]+/[a-z0-9.+-]+)?(?:\s*;\s*[a-z0-9=._-]+)*\s*,", re.IGNORECASE
)
_RUN = re.compile(r"[A-Za-z0-9+/=_-]+")
_HEX_RUN = re.compile(r"[0-9A-Fa-f]{256,}")
_SEPARATORS = re.compile(r"[\s,;:|.\"'`()\[\]{}<>\\]+")
_ITEM_ID = re.compile(r"^[A-Za-z0-9._:@/#-]+$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
OPAQUE_WINDOW = 256
OPAQUE_ENTROPY = 5.2  # bits per character
MAX_RUN_FREE_TEXT = 128
MAX_RUN_SHORT = 64


@dataclass
class CleanItem:
    kind: str
    hashes: dict[str, str]
    url: str
    url_sha256: str
    provider_item_id: str
    publicly_available: bool | None
    removed_by_provider: bool | None


@dataclass
class CleanReport:
    provider_reference: str
    abuse_type: str
    incident_at: datetime | None
    service: str
    urgent: bool
    urgency_reason: str
    countries: list[str]
    reported_user: dict[str, Any]
    items: list[CleanItem]
    notes: str
    body_sha256: str
    errors: dict[str, Any] = field(default_factory=dict)


def canonical_sha256(payload: Any) -> str:
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def normalise_url(url: str) -> str:
    parts = urlsplit(url.strip())
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def url_sha256(url: str) -> str:
    return hashlib.sha256(normalise_url(url).encode()).hexdigest()


def photodna_sha256(value: str) -> str:
    return hashlib.sha256(value.strip().encode()).hexdigest()


def clean_hash(algorithm: str, value: str) -> str | None:
    """The hash in its stored form (hex lower-cased, PhotoDNA as sent), None if malformed."""
    text = value.strip()
    if algorithm != "photodna":
        text = text.lower()
    if not HASH_PATTERNS[algorithm].match(text):
        return None
    return clean_photodna(text) if algorithm == "photodna" else text


def is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _entropy(text: str) -> float:
    counts = Counter(text)
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def has_data_uri(value: str) -> bool:
    match = _DATA_URI.search(value)
    return bool(match) and ("/" in match.group(0) or "base64" in match.group(0).lower())


def is_opaque(value: str, *, max_run: int = MAX_RUN_FREE_TEXT) -> bool:
    """Does ``value`` carry encoded data (see above) rather than what a person writes?"""
    if has_data_uri(value):
        return True
    if any(len(run) > max_run for run in _RUN.findall(value)):
        return True
    squeezed = _SEPARATORS.sub("", value)
    if len(squeezed) < OPAQUE_WINDOW:
        return False
    if _HEX_RUN.search(squeezed):
        return True
    for run in _RUN.findall(squeezed):
        if len(run) < OPAQUE_WINDOW:
            continue
        step = OPAQUE_WINDOW // 4
        for start in range(0, len(run) - OPAQUE_WINDOW + 1, step):
            if _entropy(run[start : start + OPAQUE_WINDOW]) >= OPAQUE_ENTROPY:
                return True
        if _entropy(run[-OPAQUE_WINDOW:]) >= OPAQUE_ENTROPY:
            return True
    return False


def _looks_like_media(value: Any) -> bool:
    return isinstance(value, str) and has_data_uri(value)


def clean_photodna(text: str) -> str | None:
    """A PhotoDNA hash is 144 bytes: as base64, hexadecimal or 144 values 0-255."""
    if "," in text:
        parts = text.split(",")
        if len(parts) != PHOTODNA_BYTES or not all(
            p.strip().isdigit() and int(p) < 256 for p in parts
        ):
            return None
        return text
    if re.fullmatch(f"[0-9a-fA-F]{{{2 * PHOTODNA_BYTES}}}", text):
        return text
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return text if len(raw) == PHOTODNA_BYTES else None


def _unknown(obj: dict, allowed: set[str], errors: dict, prefix: str = "") -> None:
    for key in obj:
        if key in MEDIA_FIELDS:
            errors[prefix + key] = [MEDIA_MESSAGE]
        elif key not in allowed:
            errors[prefix + key] = ["Unknown field."]


def _text(
    value: Any,
    name: str,
    errors: dict,
    *,
    required: bool = False,
    limit: int = 200,
    max_run: int = MAX_RUN_SHORT,
) -> str:
    """A text field: a string of at most ``limit`` characters that carries no encoded data
    (``max_run``: the longest unbroken run of the base64 alphabet a person would write)."""
    if value is None or value == "":
        if required:
            errors[name] = ["This field is required."]
        return ""
    if not isinstance(value, str):
        errors[name] = ["Must be a string."]
        return ""
    if "\x00" in value:
        errors[name] = ["Must not contain NUL characters."]
        return ""
    if _looks_like_media(value):
        errors[name] = [MEDIA_MESSAGE]
        return ""
    if len(value) > limit:
        errors[name] = [f"At most {limit} characters."]
        return ""
    if is_opaque(value, max_run=max_run):
        errors[name] = [OPAQUE_MESSAGE]
        return ""
    return value.strip()


def _url(value: Any, name: str, errors: dict) -> str:
    """An http(s) URL whose query string is short and carries no encoded data."""
    url = _text(value, name, errors, limit=MAX_URL, max_run=MAX_RUN_FREE_TEXT)
    if not url:
        return ""
    if not is_web_url(url):
        errors[name] = ["Must be an http or https URL."]
        return ""
    parts = urlsplit(url)
    decoded = unquote(url)
    if has_data_uri(decoded) or is_opaque(decoded, max_run=MAX_RUN_FREE_TEXT):
        errors[name] = [OPAQUE_MESSAGE]
        return ""
    if len(parts.query) > MAX_URL_QUERY:
        errors[name] = [f"The query string is longer than {MAX_URL_QUERY} characters."]
        return ""
    if parts.query and is_opaque(unquote(parts.query), max_run=MAX_RUN_SHORT):
        errors[name] = [OPAQUE_MESSAGE]
        return ""
    return url


def _item_id(value: Any, name: str, errors: dict) -> str:
    """Your id of the item: letters, digits and ``. _ : @ / # -``, at most 128 characters."""
    item_id = _text(value, name, errors, limit=MAX_ITEM_ID)
    if item_id and not _ITEM_ID.match(item_id):
        errors[name] = ["Only letters, digits and . _ : @ / # - are allowed."]
        return ""
    return item_id


def _bool(value: Any, name: str, errors: dict, *, default: bool | None = None) -> bool | None:
    if value is None:
        return default
    if not isinstance(value, bool):
        errors[name] = ["Must be true or false."]
        return default
    return value


def _datetime(value: Any, name: str, errors: dict) -> datetime | None:
    if value in (None, ""):
        return None
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        errors[name] = ["Must be a date and time in ISO 8601, e.g. 2026-11-01T10:00:00Z."]
        return None
    if timezone.is_naive(parsed):
        errors[name] = ["Must include a time zone (e.g. Z for UTC)."]
        return None
    if parsed > timezone.now() + timezone.timedelta(hours=1):
        errors[name] = ["Must not be in the future."]
        return None
    return parsed


def _reported_user(value: Any, errors: dict) -> dict[str, Any]:
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        errors["reported_user"] = ["Must be an object."]
        return {}
    _unknown(value, USER_FIELDS, errors, "reported_user.")
    clean: dict[str, Any] = {}
    limits = {"account_id": MAX_ACCOUNT_ID, "username": MAX_USERNAME, "email": MAX_EMAIL}
    for key, limit in limits.items():
        text = _text(value.get(key), f"reported_user.{key}", errors, limit=limit)
        if text:
            clean[key] = text
    if clean.get("email") and not _EMAIL.match(clean["email"]):
        errors["reported_user.email"] = ["Must be an e-mail address."]
        clean.pop("email")
    events = value.get("ip_events") or []
    if not isinstance(events, list) or len(events) > 100:
        errors["reported_user.ip_events"] = ["Must be a list of at most 100 events."]
        return clean
    clean_events = []
    for i, event in enumerate(events):
        prefix = f"reported_user.ip_events[{i}]"
        if not isinstance(event, dict):
            errors[prefix] = ["Must be an object with ip and at."]
            continue
        _unknown(event, {"ip", "at", "port", "event"}, errors, prefix + ".")
        try:
            ip = str(ipaddress.ip_address(str(event.get("ip", ""))))
        except ValueError:
            errors[prefix + ".ip"] = ["Must be an IPv4 or IPv6 address."]
            continue
        port = event.get("port")
        if port is not None and (
            not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535
        ):
            errors[prefix + ".port"] = ["Must be a port number (0-65535)."]
        _text(event.get("event"), prefix + ".event", errors, limit=64)
        at = _datetime(event.get("at"), prefix + ".at", errors)
        clean_events.append({"ip": ip, "at": at.isoformat() if at else None})
    if clean_events:
        clean["ip_events"] = clean_events
    return clean


def _item(value: Any, i: int, errors: dict) -> CleanItem | None:
    prefix = f"items[{i}]"
    if not isinstance(value, dict):
        errors[prefix] = ["Must be an object."]
        return None
    before = len(errors)
    _unknown(value, ITEM_FIELDS, errors, prefix + ".")
    kind = value.get("kind")
    if kind not in ITEM_KINDS:
        errors[prefix + ".kind"] = [f"Must be one of: {', '.join(ITEM_KINDS)}."]
    hashes_in = value.get("hashes") or {}
    hashes: dict[str, str] = {}
    if not isinstance(hashes_in, dict):
        errors[prefix + ".hashes"] = ["Must be an object of algorithm: value."]
    else:
        for algorithm, raw in hashes_in.items():
            name = f"{prefix}.hashes.{algorithm}"
            if algorithm not in HASH_PATTERNS:
                errors[name] = [f"Unknown algorithm; use {', '.join(HASH_PATTERNS)}."]
                continue
            if raw in (None, ""):
                continue
            text = clean_hash(algorithm, raw) if isinstance(raw, str) else None
            if text is None:
                errors[name] = [f"Malformed {algorithm} hash: expected {HASH_HINTS[algorithm]}."]
                continue
            hashes[algorithm] = text
    url = _url(value.get("url"), prefix + ".url", errors)
    item_id = _item_id(value.get("provider_item_id"), prefix + ".provider_item_id", errors)
    if kind in ("image", "video") and not hashes_in and not url:
        errors.setdefault(prefix + ".hashes", []).append(
            "An image or video item needs at least one hash or a URL."
        )
    if kind == "url" and not url:
        errors.setdefault(prefix + ".url", []).append("A url item needs its URL.")
    if kind in ("text", "account") and not (item_id or url or hashes):
        errors.setdefault(prefix + ".provider_item_id", []).append(
            "A text or account item needs your item id, a URL or a hash."
        )
    public = _bool(value.get("publicly_available"), prefix + ".publicly_available", errors)
    removed = _bool(value.get("removed_by_provider"), prefix + ".removed_by_provider", errors)
    if len(errors) > before:
        return None
    return CleanItem(
        kind=kind,
        hashes=hashes,
        url=url,
        url_sha256=url_sha256(url) if url else "",
        provider_item_id=item_id,
        publicly_available=public,
        removed_by_provider=removed,
    )


def validate_report(payload: Any) -> CleanReport | dict[str, Any]:
    """A clean report, or the field errors (``{"field": ["message"]}``)."""
    errors: dict[str, Any] = {}
    if not isinstance(payload, dict):
        return {"non_field_errors": ["A report must be a JSON object."]}
    _unknown(payload, REPORT_FIELDS, errors)
    reference = _text(
        payload.get("provider_reference"),
        "provider_reference",
        errors,
        required=True,
        limit=MAX_REFERENCE,
    )
    abuse_type = payload.get("abuse_type")
    if abuse_type not in ABUSE_TYPES:
        errors["abuse_type"] = [f"Must be one of: {', '.join(ABUSE_TYPES)}."]
    incident_at = _datetime(payload.get("incident_at"), "incident_at", errors)
    service = _text(payload.get("service"), "service", errors, limit=MAX_SERVICE)
    urgent = _bool(payload.get("urgent"), "urgent", errors, default=False)
    urgency_reason = _text(
        payload.get("urgency_reason"),
        "urgency_reason",
        errors,
        limit=MAX_URGENCY_REASON,
        max_run=MAX_RUN_FREE_TEXT,
    )
    if urgent and not urgency_reason:
        errors["urgency_reason"] = ["Say why the report is urgent."]
    countries_in = payload.get("countries") or []
    countries: list[str] = []
    if not isinstance(countries_in, list):
        errors["countries"] = ["Must be a list of ISO 3166 alpha-2 codes."]
    else:
        unknown = [
            c for c in countries_in if not isinstance(c, str) or c.upper() not in COUNTRY_CODES
        ]
        if unknown:
            errors["countries"] = [f"Unknown country code(s): {', '.join(map(str, unknown))}."]
        else:
            countries = list(dict.fromkeys(c.upper() for c in countries_in))
    reported_user = _reported_user(payload.get("reported_user"), errors)
    notes = _text(payload.get("notes"), "notes", errors, limit=MAX_TEXT, max_run=MAX_RUN_FREE_TEXT)
    items_in = payload.get("items")
    items: list[CleanItem] = []
    if not isinstance(items_in, list) or not items_in:
        errors["items"] = ["A report needs at least one item."]
    elif len(items_in) > MAX_ITEMS:
        errors["items"] = [f"At most {MAX_ITEMS} items per report."]
    else:
        for i, raw in enumerate(items_in):
            item = _item(raw, i, errors)
            if item:
                items.append(item)
        if (
            abuse_type == "csam"
            and not any(i.kind in VISUAL_KINDS for i in items)
            and not any(k.startswith("items") and k != "items" for k in errors)
        ):
            errors["items"] = ["A csam report needs at least one image, video or url item."]
    if errors:
        return errors
    return CleanReport(
        provider_reference=reference,
        abuse_type=abuse_type,
        incident_at=incident_at,
        service=service,
        urgent=bool(urgent),
        urgency_reason=urgency_reason,
        countries=countries,
        reported_user=reported_user,
        items=items,
        notes=notes,
        body_sha256=canonical_sha256(payload),
    )
