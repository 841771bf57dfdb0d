"""The real client address of a request: see ``securityunion.lib.network``."""

from securityunion.lib.network import client_ip

__all__ = ["client_ip"]
