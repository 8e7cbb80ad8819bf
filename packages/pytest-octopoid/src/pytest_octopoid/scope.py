"""One test's scope on the server: its name, requests in it, its fault rules and its clock."""

from __future__ import annotations

import re
import secrets
import urllib.parse
from typing import Any

from .http import OctopoidHTTPError, Response, send, send_ok

API_PREFIX = "/api/v1"
# The server accepts 1-128 characters of letters, digits and ._:- (packages/api ScopeName).
_NOT_IN_SCOPE_NAME = re.compile(r"[^a-z0-9._:-]+")
_READABLE_MAX = 100


def scope_for_test(nodeid: str) -> str:
    """A unique scope name for one test, readable from its node id.

    ``tests/test_queue.py::test_claim[sqlite]`` gives
    ``test-tests-test_queue.py::test_claim-sqlite-3f9a1c02be``: lower-cased, runs of characters
    the server refuses in a scope name become ``-``, cut to 100 characters, then a random
    10-hex-digit suffix so two runs (or two workers) of the same test never share a scope.
    """
    readable = _NOT_IN_SCOPE_NAME.sub("-", nodeid.lower()).strip("-")[:_READABLE_MAX]
    return f"test-{readable or 'unnamed'}-{secrets.token_hex(5)}"


class Faults:
    """The scope's fault rules (``/api/v1/test/faults``): a matching request of this scope
    answers an error, or is delayed, instead of reaching the route."""

    def __init__(self, scope: OctopoidScope) -> None:
        self._scope = scope

    def add(self, **rule: Any) -> dict[str, Any]:
        """Add a rule and return it with its ``id`` and ``fired`` count.

        Fields as the server reads them: ``method``, ``path`` (glob: ``*`` one segment, ``**``
        any run), ``pathRegex``, ``status`` (400-599), ``body``, ``delayMs`` (ms, ≤ 60 000),
        ``times``, ``probability``. Raises :class:`~pytest_octopoid.http.OctopoidHTTPError`
        (400 naming the field) for a rule the server refuses.
        """
        return self._scope.call("POST", "/test/faults", json=rule)

    def list(self) -> list[dict[str, Any]]:
        """The rules in match order, each with how often it ``fired``."""
        return self._scope.call("GET", "/test/faults")["rules"]

    def clear(self) -> int:
        """Remove every rule of the scope; returns how many there were."""
        return self._scope.call("DELETE", "/test/faults")["cleared"]


class Clock:
    """The scope's clock (``/api/v1/test/clock``): advancing it moves only this scope's time."""

    def __init__(self, scope: OctopoidScope) -> None:
        self._scope = scope

    def advance(self, by: str | int) -> dict[str, Any]:
        """Move the scope's time forward by ``by``: milliseconds, or a duration such as
        ``"30s"``, ``"10m"``, ``"1h30m"``, ``"2d"``. Leases that ran out meanwhile go back to
        their queues before it returns. Returns ``{scope, now, offsetMs, expiredLeases}``."""
        return self._scope.call("POST", "/test/clock", json={"advance": by})

    def now(self) -> dict[str, Any]:
        """The scope's time: ``{scope, now, offsetMs}`` (``now`` ISO-8601 UTC, offset in ms)."""
        return self._scope.call("GET", "/test/clock")

    def reset(self) -> dict[str, Any]:
        """Put the scope back on real time; returns ``{scope, now, offsetMs: 0}``."""
        return self._scope.call("DELETE", "/test/clock")


class OctopoidScope:
    """A scope on a running server, named ``name``, on the server at ``url``.

    Every request made through it names the scope (``?scope=``), so nothing it does can reach
    another test's data. Needs a server started with ``--test-mode`` for ``faults`` and
    ``clock``.
    """

    def __init__(self, url: str, name: str) -> None:
        self.url = url.rstrip("/")
        self.name = name
        self.faults = Faults(self)
        self.clock = Clock(self)

    def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Response:
        """Send a request in this scope and return the answer, whatever its status.

        ``path`` is an API path: ``/api/v1/tasks``, or the same without the ``/api/v1``
        prefix (``/tasks``). ``json`` is the body; ``params`` the query, to which the scope is
        added. Raises ``OSError`` only when the server cannot be reached.
        """
        return send(
            method, self._url_of(path), json=json, params={**(params or {}), "scope": self.name}
        )

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """Like :meth:`request`, but returns the parsed JSON body and raises
        :class:`~pytest_octopoid.http.OctopoidHTTPError` on a non-2xx answer."""
        params = {**(kwargs.pop("params", None) or {}), "scope": self.name}
        return send_ok(method, self._url_of(path), params=params, **kwargs)

    def purge(self) -> None:
        """Delete everything in the scope (entities, fault rules, clock offset). A scope that
        holds no entity answers 404, its rules and clock forgotten all the same: not an error.
        Raises :class:`~pytest_octopoid.http.OctopoidHTTPError` for any other non-2xx answer."""
        url = self._scope_url()
        response = send("DELETE", url)
        if not response.ok and response.status != 404:
            raise OctopoidHTTPError("DELETE", url, response)

    def holds_data(self) -> bool:
        """Whether the scope holds any entity (``GET /api/v1/scopes/:scope``: a 404, or zero in
        every count, is no). Raises :class:`~pytest_octopoid.http.OctopoidHTTPError` for any
        other non-2xx answer and ``OSError`` when the server cannot be reached."""
        url = self._scope_url()
        response = send("GET", url)
        if response.status == 404:
            return False
        if not response.ok:
            raise OctopoidHTTPError("GET", url, response)
        return any(response.json()["counts"].values())

    def _scope_url(self) -> str:
        return f"{self.url}{API_PREFIX}/scopes/{urllib.parse.quote(self.name, safe='')}"

    def _url_of(self, path: str) -> str:
        if not path.startswith("/"):
            raise ValueError(f"path must start with /, got {path!r}")
        return f"{self.url}{path if path.startswith('/api/') else API_PREFIX + path}"

    def __repr__(self) -> str:
        return f"OctopoidScope(name={self.name!r}, url={self.url!r})"
