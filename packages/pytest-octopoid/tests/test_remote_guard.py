import pytest

from pytest_octopoid.remote_guard import RemoteServerRefused, check_server_url, is_loopback_url

from support import run_inner_session

USES_A_SCOPE = """
    def test_uses_a_scope(octopoid_scope):
        pass
"""


@pytest.mark.parametrize(
    "url", ["http://localhost:8787", "http://127.0.0.1:1", "http://127.9.8.7", "http://[::1]:8787/"]
)
def test_loopback_urls_are_accepted(url):
    assert is_loopback_url(url)
    check_server_url(url, allow_remote=False)


@pytest.mark.parametrize(
    "url", ["http://192.0.2.10:8787", "https://queue.example.com", "http://0.0.0.0:8787"]
)
def test_other_urls_are_refused_unless_remote_servers_are_allowed(url):
    with pytest.raises(RemoteServerRefused, match="--octopoid-allow-remote"):
        check_server_url(url, allow_remote=False)
    check_server_url(url, allow_remote=True)


@pytest.mark.parametrize("url", ["127.0.0.1:8787", "ftp://127.0.0.1", "http://"])
def test_something_that_is_no_http_url_is_refused(url):
    with pytest.raises(ValueError, match="not an http"):
        check_server_url(url, allow_remote=True)


def test_a_session_given_a_remote_url_refuses_to_start(tmp_path):
    code, output = run_inner_session(
        tmp_path, USES_A_SCOPE, "--octopoid-url=http://192.0.2.10:8787"
    )

    assert code == pytest.ExitCode.USAGE_ERROR, output
    assert "refusing to run tests against http://192.0.2.10:8787" in output


def test_the_environment_variable_is_guarded_too(tmp_path):
    env = {"OCTOPOID_TEST_SERVER_URL": "https://queue.example.com"}

    code, output = run_inner_session(tmp_path, USES_A_SCOPE, env=env)

    assert code == pytest.ExitCode.USAGE_ERROR, output
    assert "refusing to run tests against https://queue.example.com" in output


def test_a_loopback_url_is_used_instead_of_starting_a_server(tmp_path, octopoid_server):
    source = """
        def test_uses_the_given_server(octopoid_server):
            assert octopoid_server.pid is None
            print("server at", octopoid_server.url)
    """
    code, output = run_inner_session(
        tmp_path, source, "-s", env={"OCTOPOID_TEST_SERVER_URL": octopoid_server.url}
    )

    assert code == 0, output
    assert f"server at {octopoid_server.url}" in output
