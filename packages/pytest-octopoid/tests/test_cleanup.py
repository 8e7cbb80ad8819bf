from pytest_octopoid import OctopoidScope

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
        f"kept scope {scope} of failed test test_inner.py::test_fails until that server stops"
        in output
    )
    assert f"curl '{octopoid_server.url}/api/v1/tasks?scope={scope.replace(':', '%3A')}'" in output
    assert f"{octopoid_server.url}/ui?scope=" in output
    assert "octopoid: kept scopes of failed tests" in output
    assert (tmp_path / "passed-scope").read_text() not in output
