import os
import signal
from pathlib import Path

import pytest

from pytest_octopoid.server import find_server_bin

from support import INNER_TIMEOUT_S, inner_session, process_exists, run_inner_session, wait_until

# The test records the server's pid, then blocks until a signal arrives.
BLOCKING_SOURCE = """
    import signal
    from pathlib import Path


    def test_runs_until_interrupted(octopoid_server, scoped_sdk):
        scoped_sdk.create_task("t-1", "in flight")
        Path("server.pid").write_text(str(octopoid_server.pid))
        signal.pause()
"""


@pytest.fixture(scope="module")
def server_bin(pytestconfig):
    return str(find_server_bin(None, pytestconfig.rootpath))


def test_the_session_server_is_stopped_when_the_session_ends(tmp_path, server_bin):
    source = """
        from pathlib import Path


        def test_uses_the_server(octopoid_server, scoped_sdk):
            scoped_sdk.create_task("t-1", "one")
            Path("server.pid").write_text(str(octopoid_server.pid))


        def test_shares_it(octopoid_server, scoped_sdk):
            assert Path("server.pid").read_text() == str(octopoid_server.pid)
            assert scoped_sdk.list_tasks() == []
    """
    code, output = run_inner_session(tmp_path, source, f"--octopoid-server-bin={server_bin}")

    assert code == 0, output
    assert not process_exists(int((tmp_path / "server.pid").read_text()))


@pytest.mark.parametrize(
    "interrupt, exit_code",
    [(signal.SIGINT, pytest.ExitCode.INTERRUPTED), (signal.SIGKILL, -signal.SIGKILL)],
    ids=["ctrl-c", "killed"],
)
def test_the_session_server_is_stopped_when_the_session_is_interrupted(
    tmp_path, server_bin, interrupt, exit_code
):
    # Only pytest gets the signal, not its process group: the plugin itself must stop the server.
    session = inner_session(tmp_path, BLOCKING_SOURCE, f"--octopoid-server-bin={server_bin}")
    pid_file = tmp_path / "server.pid"
    server_pid = int(
        wait_until("the inner test started", lambda: pid_file.exists() and pid_file.read_text())
    )

    session.send_signal(interrupt)
    code = session.wait(INNER_TIMEOUT_S)

    assert code == exit_code
    wait_until(f"server {server_pid} exited", lambda: not process_exists(server_pid))


def test_a_session_whose_tests_use_no_fixture_starts_no_server(tmp_path):
    source = """
        def test_plain():
            assert True
    """
    missing = str(tmp_path / "no-such-octopoid-server")

    code, output = run_inner_session(tmp_path, source, f"--octopoid-server-bin={missing}")

    assert code == 0, output


def test_a_missing_server_cli_fails_the_test_saying_where_it_looked(tmp_path):
    source = """
        def test_needs_a_server(octopoid_scope):
            pass
    """
    code, output = run_inner_session(tmp_path, source, env={"PATH": str(Path(os.__file__).parent)})

    assert code == 1, output
    assert "cannot find the octopoid-server CLI" in output
    assert "--octopoid-server-bin" in output
    assert "OCTOPOID_SERVER_BIN" in output
    assert "node_modules/.bin/octopoid-server" in output
    assert "on PATH" in output
    assert "`npm run pack` in a clone" in output
    assert "node_modules/.bin/octopoid-server (after `npm install` there)" in output
    assert "npm install --save-dev @octopoid/server" not in output


def test_a_server_that_cannot_start_fails_the_test_with_its_log(tmp_path, server_bin):
    source = """
        def test_needs_a_server(octopoid_scope):
            pass
    """
    unreachable = "postgres://postgres@127.0.0.1:1/octopoid"

    code, output = run_inner_session(
        tmp_path, source, f"--octopoid-server-bin={server_bin}", f"--octopoid-db={unreachable}"
    )

    assert code == 1, output
    assert "octopoid-server exited (1) before listening; its log" in output


def test_the_database_must_be_a_location_the_server_opens(tmp_path):
    code, output = run_inner_session(tmp_path, "", env={"OCTOPOID_TEST_DATABASE": "postgres"})

    assert code == pytest.ExitCode.USAGE_ERROR, output
    assert "give a postgres:// URL of an existing database" in output
