"""The pytest plugin: options, fixtures and report hooks (registered as ``pytest11``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .http import OctopoidHTTPError, send
from .kept_scope import (
    LOST_WITH_SESSION,
    SECTION_TITLE,
    inspect_after_session,
    inspect_on_running_server,
    kept_scope_report,
)
from .remote_guard import RemoteServerRefused, check_server_url
from .scope import OctopoidScope, scope_for_test
from .sdk_factory import INI_NAME, SdkFactoryError, load_factory
from .server import (
    BIN_ENV,
    OctopoidServer,
    ServerNotFoundError,
    ServerStartError,
    find_server_bin,
    start_server,
)

URL_ENV = "OCTOPOID_TEST_SERVER_URL"
ALLOW_REMOTE_ENV = "OCTOPOID_TEST_ALLOW_REMOTE"
DATABASE_ENV = "OCTOPOID_TEST_DATABASE"

_reports_key = pytest.StashKey[dict[str, pytest.TestReport]]()
_scope_key = pytest.StashKey[OctopoidScope]()
# How the report of a kept scope says to inspect it, given the scope's name.
_inspection_key = pytest.StashKey[Callable[[str], str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """The ``--octopoid-*`` options (each with its environment variable) and the
    ``octopoid_sdk_factory`` ini option."""
    group = parser.getgroup("octopoid", "Octopoid test server")
    group.addoption(
        "--octopoid-server-bin",
        default=os.environ.get(BIN_ENV),
        help=f"the octopoid-server CLI to start (also {BIN_ENV}); default: "
        "node_modules/.bin/octopoid-server in the rootdir or above, then PATH",
    )
    group.addoption(
        "--octopoid-url",
        default=os.environ.get(URL_ENV),
        help=f"use this running server instead of starting one (also {URL_ENV}); "
        "it must be on a loopback address",
    )
    group.addoption(
        "--octopoid-allow-remote",
        action="store_true",
        default=os.environ.get(ALLOW_REMOTE_ENV) == "1",
        help=f"allow a non-loopback --octopoid-url (also {ALLOW_REMOTE_ENV}=1)",
    )
    group.addoption(
        "--octopoid-db",
        default=os.environ.get(DATABASE_ENV, ":memory:"),
        help=f"database of the started server: :memory: (default), a SQLite file or a "
        f"postgres:// URL (also {DATABASE_ENV})",
    )
    parser.addini(
        INI_NAME,
        "package.module:callable building the client for scoped_sdk, called with "
        "server_url= and scope= (default: octopoid_sdk:OctopoidSDK)",
        default="",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Registers the ``octopoid_faults`` marker and the kept-scopes summary; refuses (usage
    error, exit code 4) a non-loopback ``--octopoid-url`` and a ``--octopoid-db`` the server
    cannot open. Starts nothing: the fixtures do, when a test asks for them."""
    config.addinivalue_line(
        "markers",
        "octopoid_faults(*rules): fault rules (dicts, as for octopoid_scope.faults.add) armed "
        "in the test's scope before it runs",
    )
    config.pluginmanager.register(KeptScopesSummary(), "octopoid-kept-scopes")
    if config.getoption("octopoid_db") == "postgres":
        raise pytest.UsageError(
            f"--octopoid-db / {DATABASE_ENV}: give a postgres:// URL of an existing database; "
            "the plugin does not create one"
        )
    url = config.getoption("octopoid_url")
    if url:
        try:
            check_server_url(url, config.getoption("octopoid_allow_remote"))
        except (RemoteServerRefused, ValueError) as error:
            raise pytest.UsageError(f"--octopoid-url / {URL_ENV}: {error}") from error


@pytest.fixture(scope="session")
def octopoid_server(
    pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OctopoidServer]:
    """The session's Octopoid server (one per xdist worker): the running one given by
    ``--octopoid-url``, or ``octopoid-server serve --test-mode`` started on a free loopback
    port with the production migrations, stopped when the session ends (interrupted too)."""
    url = pytestconfig.getoption("octopoid_url")
    if url:
        _require_healthy(url.rstrip("/"))
        server = OctopoidServer(url.rstrip("/"))
        pytestconfig.stash[_inspection_key] = lambda scope: inspect_on_running_server(
            scope, server.url
        )
        yield server
        return
    database = pytestconfig.getoption("octopoid_db")
    try:
        bin_path = find_server_bin(
            pytestconfig.getoption("octopoid_server_bin"), pytestconfig.rootpath
        )
        process = start_server(
            bin_path, database=database, log_dir=tmp_path_factory.mktemp("octopoid-server")
        )
    except (ServerNotFoundError, ServerStartError) as error:
        message = str(error)
    else:
        message = None
    if message is not None:
        pytest.fail(message, pytrace=False)
    pytestconfig.stash[_inspection_key] = (
        (lambda scope: LOST_WITH_SESSION)
        if database == ":memory:"
        else (lambda scope: inspect_after_session(scope, bin_path, database))
    )
    try:
        yield OctopoidServer(process.url, process.pid, process.startup_ms)
    finally:
        process.stop()


@pytest.fixture
def octopoid_scope(
    octopoid_server: OctopoidServer, request: pytest.FixtureRequest
) -> Iterator[OctopoidScope]:
    """A fresh scope for this test, named from its node id. Purged after a passing test;
    kept after a failing one (its fault rules cleared), with a report section saying how to
    inspect it."""
    scope = OctopoidScope(octopoid_server.url, scope_for_test(request.node.nodeid))
    request.node.stash[_scope_key] = scope
    for marker in request.node.iter_markers("octopoid_faults"):
        for rule in marker.args:
            scope.faults.add(**rule)
    yield scope
    reports = request.node.stash.get(_reports_key, {})
    if any(report.failed for report in reports.values()):
        # A kept scope is there to be looked at; armed rules would answer the inspection.
        scope.faults.clear()
    else:
        scope.purge()


@pytest.fixture
def scoped_sdk(octopoid_scope: OctopoidScope, pytestconfig: pytest.Config) -> Any:
    """The suite's client bound to this test's scope, built by ``octopoid_sdk_factory``
    (default ``octopoid_sdk.OctopoidSDK``) as ``factory(server_url=..., scope=...)``."""
    try:
        factory = load_factory(pytestconfig.getini(INI_NAME))
    except SdkFactoryError as error:
        message = str(error)
    else:
        return factory(server_url=octopoid_scope.url, scope=octopoid_scope.name)
    pytest.fail(message, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keeps each phase's report on the item, for ``octopoid_scope`` to choose purge or keep,
    and adds the kept-scope section to a failed setup or call of a test whose scope holds data
    (a test that failed before writing anything has nothing to look at)."""
    report: pytest.TestReport = yield
    item.stash.setdefault(_reports_key, {})[report.when] = report
    scope = item.stash.get(_scope_key, None)
    if (
        scope is not None
        and report.failed
        and report.when in ("setup", "call")
        and _holds_data(scope)
    ):
        how_to_inspect = item.config.stash[_inspection_key](scope.name)
        report.sections.append(
            (SECTION_TITLE, kept_scope_report(scope.name, item.nodeid, how_to_inspect))
        )
    return report


class KeptScopesSummary:
    """Lists the kept scopes at the end of the session. It reads them from the reports, not
    the items, so the kept scopes of xdist workers are listed too."""

    def __init__(self) -> None:
        self.kept: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.kept.extend(content for title, content in report.sections if title == SECTION_TITLE)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.kept:
            terminalreporter.section("octopoid: kept scopes of failed tests")
            for content in self.kept:
                terminalreporter.write_line(content)


def _holds_data(scope: OctopoidScope) -> bool:
    try:
        return scope.holds_data()
    except (OSError, OctopoidHTTPError):
        # Unknown is reported: a kept scope left unmentioned would be lost from sight.
        return True


def _require_healthy(url: str) -> None:
    try:
        problem = None if send("GET", f"{url}/api/health", timeout_s=5).ok else "is not healthy"
    except OSError as error:
        problem = f"cannot be reached: {error}"
    if problem:
        pytest.fail(
            f"the Octopoid server at {url} (--octopoid-url / {URL_ENV}) {problem}", pytrace=False
        )
