import shlex

import pytest

from pytest_octopoid import OctopoidScope
from pytest_octopoid.server import find_server_bin, start_server

from support import run_inner_session

SOURCE = """
    from pathlib import Path


    def test_passes(scoped_sdk, octopoid_scope):
        Path("passed-scope").write_text(octopoid_scope.name)
        scoped_sdk.create_task("t-1", "kept only if the test fails")


    def test_fails(scoped_sdk, octopoid_scope):
        Path("failed-scope").write_text(octopoid_scope.name)
        scoped_sdk.create_task("t-1", "kept only if the test fails")
        octopoid_scope.faults.add(method="GET", status=503)
        assert False, "the orchestrator did something wrong"
"""


def test_a_failing_test_keeps_its_scope_and_a_passing_test_purges_its_own(
    tmp_path, octopoid_server
):
    code, output = run_inner_session(tmp_path, SOURCE, f"--octopoid-url={octopoid_server.url}")
    passed = OctopoidScope(octopoid_server.url, (tmp_path / "passed-scope").read_text())
    failed = OctopoidScope(octopoid_server.url, (tmp_path / "failed-scope").read_text())

    assert code == 1, output
    assert "1 failed, 1 passed" in output
    assert passed.request("GET", "/tasks").json()["tasks"] == []
    assert [task["title"] for task in failed.call("GET", "/tasks")["tasks"]] == [
        "kept only if the test fails"
    ]
    # The kept scope answers its inspection: the failed test's fault rules are gone.
    assert failed.faults.list() == []
    failed.purge()


def test_the_failure_report_names_the_kept_scope_and_how_to_inspect_it(tmp_path, octopoid_server):
    code, output = run_inner_session(tmp_path, SOURCE, f"--octopoid-url={octopoid_server.url}")
    scope = (tmp_path / "failed-scope").read_text()
    OctopoidScope(octopoid_server.url, scope).purge()

    assert code == 1, output
    assert "octopoid kept scope" in output
    assert (
        f"kept scope {scope} of failed test test_inner.py::test_fails; "
        "inspect it while that server runs with" in output
    )
    assert f"curl '{octopoid_server.url}/api/v1/tasks?scope={scope.replace(':', '%3A')}'" in output
    assert f"{octopoid_server.url}/ui?scope=" in output
    assert "octopoid: kept scopes of failed tests" in output
    assert (tmp_path / "passed-scope").read_text() not in output


@pytest.fixture(scope="module")
def server_bin(pytestconfig):
    return find_server_bin(None, pytestconfig.rootpath)


def test_with_an_in_memory_database_the_report_says_the_data_ends_with_the_session(
    tmp_path, server_bin
):
    code, output = run_inner_session(tmp_path, SOURCE, f"--octopoid-server-bin={server_bin}")
    scope = (tmp_path / "failed-scope").read_text()

    assert code == 1, output
    assert (
        f"kept scope {scope} of failed test test_inner.py::test_fails; its data is in the "
        "session server's in-memory database, gone when the session ends; to keep it, pass "
        "--octopoid-db=FILE" in output
    )
    assert "curl" not in output
    assert "/ui?scope=" not in output


def test_with_a_file_database_the_report_gives_the_command_that_serves_it_again(
    tmp_path, server_bin
):
    database = tmp_path / "kept.db"

    code, output = run_inner_session(
        tmp_path, SOURCE, f"--octopoid-server-bin={server_bin}", f"--octopoid-db={database}"
    )
    scope = (tmp_path / "failed-scope").read_text()

    assert code == 1, output
    # The path of the CLI as started: an explicit one is resolved.
    command = shlex.join([str(server_bin.resolve()), "serve", "--db", str(database)])
    assert f"  {command}\n" in output
    assert f"  and open http://127.0.0.1:8787/ui?scope={scope.replace(':', '%3A')}" in output
    # The session's server is gone; a new one on that file still holds the kept scope.
    reopened = start_server(server_bin, database=str(database), log_dir=tmp_path)
    try:
        kept = OctopoidScope(reopened.url, scope)
        assert [task["title"] for task in kept.call("GET", "/tasks")["tasks"]] == [
            "kept only if the test fails"
        ]
    finally:
        reopened.stop()


def test_a_test_that_fails_before_writing_anything_reports_no_kept_scope(
    tmp_path, octopoid_server
):
    source = """
        import pytest


        def test_fails_at_once(octopoid_scope):
            assert False, "nothing written"


        @pytest.fixture
        def broken():
            raise RuntimeError("set-up failed")


        def test_errors_in_setup(octopoid_scope, broken):
            pass
    """
    code, output = run_inner_session(tmp_path, source, f"--octopoid-url={octopoid_server.url}")

    assert code == 1, output
    assert "1 failed, 1 error" in output
    assert "octopoid kept scope" not in output
    assert "octopoid: kept scopes of failed tests" not in output
