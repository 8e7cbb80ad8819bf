"""A small JSON-over-HTTP client on the standard library, for the plugin's own calls."""

from __future__ import annotations

import json as jsonlib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Response:
    """One HTTP answer: ``status`` code, ``headers`` (lower-case names) and the raw ``body``."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def ok(self) -> bool:
        """True for a 2xx status."""
        return 200 <= self.status < 300

    def json(self) -> Any:
        """The body parsed as JSON; raises ``ValueError`` when it is not JSON."""
        return jsonlib.loads(self.body)


class OctopoidHTTPError(Exception):
    """A non-2xx answer where the caller needed a 2xx one; carries the ``response``."""

    def __init__(self, method: str, url: str, response: Response) -> None:
        self.response = response
        text = response.body.decode("utf-8", "replace")[:500]
        super().__init__(f"{method} {url} answered {response.status}: {text}")


def send(
    method: str,
    url: str,
    *,
    json: Any = None,
    params: dict[str, Any] | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> Response:
    """Send one request and return its answer whatever the status.

    ``json`` (any JSON value; ``None`` sends no body) is the request body, ``params`` are added
    to the query string. Raises ``urllib.error.URLError`` (an ``OSError``) when the server cannot
    be reached.
    """
    if params:
        separator = "&" if urllib.parse.urlsplit(url).query else "?"
        url = f"{url}{separator}{urllib.parse.urlencode(params)}"
    data = None if json is None else jsonlib.dumps(json).encode()
    headers = {"accept": "application/json"}
    if data is not None:
        headers["content-type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method.upper(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer:
            return Response(answer.status, _lower(answer.headers.items()), answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, _lower(error.headers.items()), error.read())


def send_ok(method: str, url: str, **kwargs: Any) -> Any:
    """Like :func:`send`, but returns the parsed JSON body and raises
    :class:`OctopoidHTTPError` on a non-2xx answer."""
    response = send(method, url, **kwargs)
    if not response.ok:
        raise OctopoidHTTPError(method, url, response)
    return response.json() if response.body else None


def _lower(items: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in items}
