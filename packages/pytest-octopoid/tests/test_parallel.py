import importlib.util

from support import INNER_TIMEOUT_S, inner_session

# Each test creates task t-1 in its own scope, then waits until the other test has created
# its t-1 as well, so both exist at once on the one server before each reads its own back.
SOURCE = """
    import os
    import time
    from pathlib import Path

    import pytest


    def meet(me, other):
        meeting = Path(os.environ["MEETING_POINT"])
        (meeting / me).touch()
        deadline = time.monotonic() + 60
        while not (meeting / other).exists():
            assert time.monotonic() < deadline, f"test {other} never created its task"
            time.sleep(0.02)


    @pytest.mark.parametrize(
        "me, other", [pytest.param("a", "b", id="first"), pytest.param("b", "a", id="second")]
    )
    def test_same_task_id(scoped_sdk, me, other):
        scoped_sdk.create_task("t-1", f"written by {me}")
        meet(me, other)
        assert scoped_sdk.get_task("t-1")["title"] == f"written by {me}"
        assert [task["id"] for task in scoped_sdk.list_tasks()] == ["t-1"]
"""


def test_two_tests_creating_the_same_task_id_at_once_never_collide(tmp_path, octopoid_server):
    url = [f"--octopoid-url={octopoid_server.url}"]
    env = {"MEETING_POINT": str(tmp_path)}
    if importlib.util.find_spec("xdist"):
        runs = {"xdist": ["-n", "2", "-p", "xdist.plugin"]}
    else:
        # Without xdist, two sessions run at the same time, one test each.
        runs = {"first": ["-k", "first"], "second": ["-k", "second"]}
    sessions = {}
    for name, args in runs.items():
        (tmp_path / f"session-{name}").mkdir()
        sessions[name] = inner_session(tmp_path / f"session-{name}", SOURCE, *args, *url, env=env)
    codes = {name: session.wait(INNER_TIMEOUT_S) for name, session in sessions.items()}
    outputs = {name: (tmp_path / f"session-{name}" / "output.txt").read_text() for name in sessions}

    assert codes == {name: 0 for name in sessions}, outputs
    assert sum(output.count("PASSED") for output in outputs.values()) == 2, outputs
