import pytest

from pytest_octopoid import OctopoidHTTPError, OctopoidScope


def test_scoped_sdk_is_the_configured_client_bound_to_the_test_scope(scoped_sdk, octopoid_scope):
    scoped_sdk.create_task("t-1", "Write the README")

    assert scoped_sdk.scope == octopoid_scope.name
    assert scoped_sdk.server_url == octopoid_scope.url
    assert [task["id"] for task in octopoid_scope.request("GET", "/tasks").json()["tasks"]] == [
        "t-1"
    ]


def test_a_scope_is_named_after_the_test_node_id(octopoid_scope):
    # The node id starts with the path from the rootdir, which depends on where pytest runs.
    assert octopoid_scope.name.startswith("test-")
    assert "-tests-test_scope_fixtures.py::test_a_scope_is_named_after_the_test_node_id-" in (
        octopoid_scope.name
    )


def test_request_names_the_scope_so_other_scopes_see_nothing(octopoid_scope, octopoid_server):
    created = octopoid_scope.request(
        "POST", "/api/v1/tasks", json={"id": "t-1", "file_path": "tasks/t-1.md", "branch": "main"}
    )
    other = OctopoidScope(octopoid_server.url, f"{octopoid_scope.name}-other")

    assert created.status == 201
    assert octopoid_scope.request("GET", "/tasks/t-1").json()["id"] == "t-1"
    assert other.request("GET", "/tasks/t-1").status == 404


def test_request_passes_params_and_returns_errors_as_answers(octopoid_scope):
    answer = octopoid_scope.request("POST", "/tasks", json={"id": "t-1"})
    listed = octopoid_scope.request("GET", "/tasks", params={"queue": "incoming"})

    assert answer.status == 400
    assert {detail["field"] for detail in answer.json()["details"]} >= {"file_path"}
    assert listed.json()["tasks"] == []


def test_fault_rules_answer_only_in_their_own_scope(scoped_sdk, octopoid_scope, octopoid_server):
    rule = octopoid_scope.faults.add(method="POST", path="/api/v1/tasks", status=503, times=1)
    other = OctopoidScope(octopoid_server.url, f"{octopoid_scope.name}-other")

    faulted = octopoid_scope.request(
        "POST", "/tasks", json={"id": "t-1", "file_path": "t.md", "branch": "main"}
    )
    elsewhere = other.request(
        "POST", "/tasks", json={"id": "t-1", "file_path": "t.md", "branch": "main"}
    )
    scoped_sdk.create_task("t-1", "after the fault")
    other.purge()

    assert faulted.status == 503
    assert faulted.headers["x-octopoid-fault"] == rule["id"]
    assert elsewhere.status == 201
    assert [(r["id"], r["fired"]) for r in octopoid_scope.faults.list()] == [(rule["id"], 1)]
    assert octopoid_scope.faults.clear() == 1


def test_a_rule_the_server_refuses_raises_naming_the_field(octopoid_scope):
    with pytest.raises(OctopoidHTTPError) as refused:
        octopoid_scope.faults.add(method="POST", status=200)

    assert refused.value.response.status == 400
    assert "status" in {detail["field"] for detail in refused.value.response.json()["details"]}


@pytest.mark.octopoid_faults(
    {"method": "GET", "path": "/api/v1/tasks/*", "status": 500, "times": 1}
)
def test_the_octopoid_faults_marker_arms_rules_before_the_test(scoped_sdk, octopoid_scope):
    scoped_sdk.create_task("t-1", "marked")

    with pytest.raises(OctopoidHTTPError) as failed:
        scoped_sdk.get_task("t-1")

    assert failed.value.response.status == 500
    assert scoped_sdk.get_task("t-1")["title"] == "marked"


def test_advancing_the_clock_expires_leases_in_this_scope_only(
    scoped_sdk, octopoid_scope, octopoid_server
):
    other_client = type(scoped_sdk)(
        server_url=octopoid_server.url, scope=f"{octopoid_scope.name}-other"
    )
    for client in (scoped_sdk, other_client):
        client.create_task("t-1", "leased")
        client.claim_task(lease_duration_seconds=60)

    advanced = octopoid_scope.clock.advance("10m")
    mine, theirs = scoped_sdk.get_task("t-1"), other_client.get_task("t-1")
    OctopoidScope(octopoid_server.url, other_client.scope).purge()

    assert advanced["offsetMs"] == 600_000
    assert advanced["expiredLeases"] == 1
    assert mine["queue"] == "incoming"
    assert theirs["queue"] == "claimed"
    assert octopoid_scope.clock.now()["offsetMs"] == 600_000
    assert octopoid_scope.clock.reset()["offsetMs"] == 0


def test_the_session_server_reports_its_start_up(octopoid_server):
    assert octopoid_server.url.startswith("http://127.0.0.1:")
    assert octopoid_server.pid is not None
    assert octopoid_server.startup_ms > 0
