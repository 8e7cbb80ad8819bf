import pytest

from pytest_octopoid.server import ServerNotFoundError, find_server_bin


def executable(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_an_explicit_path_comes_first(tmp_path):
    explicit = executable(tmp_path / "custom" / "octopoid-server")
    executable(tmp_path / "node_modules" / ".bin" / "octopoid-server")

    assert find_server_bin(str(explicit), tmp_path, path="") == explicit


def test_an_explicit_path_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(ServerNotFoundError, match="not found at .*OCTOPOID_SERVER_BIN"):
        find_server_bin(str(tmp_path / "missing"), tmp_path, path="")


def test_node_modules_bin_is_found_in_the_rootdir_or_above(tmp_path):
    installed = executable(tmp_path / "node_modules" / ".bin" / "octopoid-server")
    rootdir = tmp_path / "services" / "orchestrator"
    rootdir.mkdir(parents=True)

    assert find_server_bin(None, rootdir, path="") == installed


def test_path_is_the_last_resort(tmp_path):
    on_path = executable(tmp_path / "bin" / "octopoid-server")
    rootdir = tmp_path / "project"
    rootdir.mkdir()

    assert find_server_bin(None, rootdir, path=str(tmp_path / "bin")) == on_path


def test_nothing_found_names_every_place_looked(tmp_path):
    with pytest.raises(ServerNotFoundError) as missing:
        find_server_bin(None, tmp_path, path=str(tmp_path))

    message = str(missing.value)
    assert "--octopoid-server-bin" in message
    assert "OCTOPOID_SERVER_BIN" in message
    assert f"node_modules/.bin/octopoid-server in {tmp_path}" in message
    assert "on PATH" in message
    assert "--octopoid-url" in message
