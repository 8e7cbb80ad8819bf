"""Refusing a server URL outside this machine unless the run opted in."""

from __future__ import annotations

import ipaddress
import urllib.parse


class RemoteServerRefused(Exception):
    """The server URL is not a loopback address and remote servers were not allowed."""


def is_loopback_url(url: str) -> bool:
    """True for ``http(s)://`` URLs on ``localhost``, ``127.0.0.0/8`` or ``::1``.

    Raises ``ValueError`` for something that is not an http(s) URL with a host.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def check_server_url(url: str, allow_remote: bool) -> None:
    """Accept ``url`` as the test server, or raise :class:`RemoteServerRefused` (not loopback,
    ``allow_remote`` false) or ``ValueError`` (not a URL), so a test run never writes to a
    shared or production queue by accident."""
    if not is_loopback_url(url) and not allow_remote:
        raise RemoteServerRefused(
            f"refusing to run tests against {url}: it is not a loopback address "
            "(localhost, 127.x.x.x, [::1]). Pass --octopoid-allow-remote (or set "
            "OCTOPOID_TEST_ALLOW_REMOTE=1) if this server really is a test server."
        )
