"""Seal heads written outside the database, where its owner cannot reach them.

Each seal's head (seal id, last event id, watermark, chained hash, signature, key id) is
appended as one JSON line to ``AUDIT_HEADS_FILE`` and/or sent as one syslog line to
``AUDIT_HEADS_SYSLOG``. ``audit_verify --heads FILE`` then catches what the database alone
cannot show: the newest seals deleted together with their events, or both tables emptied.
A syslog extract works as a heads file too: each line is read from its first ``{``.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

SYSLOG_TAG = "securityunion-audit-head"


@dataclass(frozen=True)
class Head:
    seal_id: int
    last_event_id: int
    watermark: int
    seal_hash: str
    signature: str
    key_id: str

    def as_json(self) -> str:
        return json.dumps(
            {
                "seal": self.seal_id,
                "last_event": self.last_event_id,
                "watermark": self.watermark,
                "hash": self.seal_hash,
                "signature": self.signature,
                "key_id": self.key_id,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Head:
        head = cls(
            seal_id=data["seal"],
            last_event_id=data["last_event"],
            watermark=data["watermark"],
            seal_hash=data["hash"],
            signature=data.get("signature") or "",
            key_id=data.get("key_id") or "",
        )
        ids = (head.seal_id, head.last_event_id, head.watermark)
        if not all(type(v) is int and 0 <= v < 2**63 for v in ids):
            raise ValueError("ids must be integers a database id can hold")
        if not all(isinstance(v, str) for v in (head.seal_hash, head.signature, head.key_id)):
            raise ValueError("hash, signature and key id must be strings")
        return head


def _append_to_file(path: str, line: str) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _syslog_handler(address: str) -> logging.handlers.SysLogHandler:
    """``/dev/log`` (a local socket path), ``udp://host:514`` or ``tcp://host:514``."""
    if "://" not in address:
        return logging.handlers.SysLogHandler(
            address=address, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV
        )
    parts = urlsplit(address)
    if parts.scheme not in ("udp", "tcp") or not parts.hostname:
        raise ValueError(f"AUDIT_HEADS_SYSLOG {address!r}: use a socket path, udp:// or tcp://")
    return logging.handlers.SysLogHandler(
        address=(parts.hostname, parts.port or 514),
        facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV,
        socktype=socket.SOCK_STREAM if parts.scheme == "tcp" else socket.SOCK_DGRAM,
    )


def _send_to_syslog(address: str, line: str) -> None:
    handler = _syslog_handler(address)
    try:
        record = logging.LogRecord(SYSLOG_TAG, logging.INFO, __file__, 0, line, None, None)
        handler.setFormatter(logging.Formatter(f"{SYSLOG_TAG}: %(message)s"))
        handler.emit(record)
    finally:
        handler.close()


def publish(head: Head) -> None:
    """Write one head to every configured place. A failure is logged, never raised: the seal
    is committed already, and the next seal's head still chains over it."""
    line = head.as_json()
    path = getattr(settings, "AUDIT_HEADS_FILE", "")
    address = getattr(settings, "AUDIT_HEADS_SYSLOG", "")
    if path:
        try:
            _append_to_file(path, line)
        except OSError:
            logger.exception("audit seal #%s: head not written to %s", head.seal_id, path)
    if address:
        try:
            _send_to_syslog(address, line)
        except (OSError, ValueError):
            logger.exception("audit seal #%s: head not sent to syslog %s", head.seal_id, address)


def read(path: str | Path) -> Iterator[tuple[int, Head | None]]:
    """``(line number, head)`` for each non-empty line; ``head`` is ``None`` when unreadable."""
    with open(path, encoding="utf-8", errors="replace") as lines:
        for number, raw in enumerate(lines, start=1):
            text = raw.strip()
            if not text:
                continue
            start = text.find("{")
            try:
                data = json.loads(text[start:]) if start >= 0 else None
                yield number, Head.from_json(data) if isinstance(data, dict) else None
            except (ValueError, KeyError, TypeError):
                yield number, None
