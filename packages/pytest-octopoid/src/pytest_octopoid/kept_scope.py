"""What a failed test reports about the scope kept for it."""

from __future__ import annotations

import shlex
import urllib.parse
from pathlib import Path

SECTION_TITLE = "octopoid kept scope"
# Where `octopoid-server serve` listens without --host and --port (the repository README).
DEFAULT_SERVE_URL = "http://127.0.0.1:8787"


def kept_scope_report(scope: str, nodeid: str, how_to_inspect: str) -> str:
    """The report section of a failed test: the kept ``scope`` and ``how_to_inspect`` it, one
    of the sentences below."""
    return f"kept scope {scope} of failed test {nodeid}; {how_to_inspect}"


def inspect_on_running_server(scope: str, server_url: str) -> str:
    """For a server that outlives the session (``--octopoid-url``): a ``curl`` line and the
    dashboard link, good while that server runs."""
    query = urllib.parse.urlencode({"scope": scope})
    return (
        "inspect it while that server runs with\n"
        f"  curl {shlex.quote(f'{server_url}/api/v1/tasks?{query}')}\n"
        f"  or open {server_url}/ui?{query}"
    )


def inspect_after_session(scope: str, bin_path: Path, database: str) -> str:
    """For a started server with a file or PostgreSQL ``database``: the server stops with the
    session, so the command that serves that database again and the dashboard link then."""
    query = urllib.parse.urlencode({"scope": scope})
    command = shlex.join([str(bin_path), "serve", "--db", database])
    return (
        "the session's server stops when the session ends; to look at the scope after, run\n"
        f"  {command}\n"
        f"  and open {DEFAULT_SERVE_URL}/ui?{query}"
    )


# For a started server on an in-memory database: the data goes with the session.
LOST_WITH_SESSION = (
    "its data is in the session server's in-memory database, gone when the session ends; "
    "to keep it, pass --octopoid-db=FILE (a SQLite file, or a postgres:// URL)"
)
