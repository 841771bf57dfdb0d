"""The real client address of a request, behind the reverse proxies we trust and no others.

``X-Forwarded-For`` is a list every hop appends to, so only its right end can be believed: it
is read right to left, skipping the addresses of ``TRUSTED_PROXIES``, and the first address
that is not a trusted proxy is the client. A request that does not come from a trusted proxy
is answered by its own ``REMOTE_ADDR``: then the header is whatever the client chose to send.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _parse_networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def trusted_networks() -> tuple[Network, ...]:
    value = getattr(settings, "TRUSTED_PROXIES", ())
    if isinstance(value, str):
        value = value.split(",")
    return _parse_networks(tuple(value))


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in trusted_networks())


def client_ip(request: HttpRequest) -> str:
    """The client's address as a string ("" only if not even ``REMOTE_ADDR`` parses)."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return ""
    if not _is_trusted(remote):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # A malformed entry: nothing left of it can be believed; the last good hop answers.
            return str(remote)
        if not _is_trusted(address):
            return str(address)
        remote = address
    return str(remote)
