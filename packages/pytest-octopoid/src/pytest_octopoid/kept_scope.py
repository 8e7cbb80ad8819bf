"""What a failed test reports about the scope kept for it."""

from __future__ import annotations

import shlex
import urllib.parse

SECTION_TITLE = "octopoid kept scope"


def kept_scope_report(scope: str, nodeid: str, server_url: str, data_until: str) -> str:
    """The report section of a failed test: the kept ``scope``, how long its data lives
    (``data_until``, a sentence fragment such as ``"this session ends"``) and how to look at it
    (a ``curl`` line and the dashboard link)."""
    query = urllib.parse.urlencode({"scope": scope})
    return (
        f"kept scope {scope} of failed test {nodeid} until {data_until}; inspect it with\n"
        f"  curl {shlex.quote(f'{server_url}/api/v1/tasks?{query}')}\n"
        f"  or open {server_url}/ui?{query}"
    )
