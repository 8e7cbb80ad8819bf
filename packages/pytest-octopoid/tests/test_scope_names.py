import re

from pytest_octopoid import scope_for_test

SERVER_SCOPE_NAME = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def test_a_scope_name_reads_as_the_node_id_with_a_random_suffix():
    name = scope_for_test("tests/test_queue.py::test_claim[sqlite-1]")

    assert re.fullmatch(r"test-tests-test_queue\.py::test_claim-sqlite-1-[0-9a-f]{10}", name)


def test_the_same_node_id_gets_a_new_scope_every_time():
    assert scope_for_test("t.py::test_x") != scope_for_test("t.py::test_x")


def test_any_node_id_gives_a_name_the_server_accepts():
    for nodeid in ["", "t.py::test_x[ünïcødé / spaces ?&=]", "a/" * 200 + "t.py::test_long"]:
        assert SERVER_SCOPE_NAME.match(scope_for_test(nodeid)), nodeid
