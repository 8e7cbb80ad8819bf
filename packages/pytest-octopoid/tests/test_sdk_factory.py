import pytest

from pytest_octopoid.sdk_factory import SdkFactoryError, load_factory

from octopoid_client import OctopoidClient
from support import run_inner_session


def test_a_factory_is_named_module_colon_callable():
    assert load_factory("octopoid_client:OctopoidClient") is OctopoidClient
    assert load_factory("octopoid_client:OctopoidClient.list_tasks") is OctopoidClient.list_tasks


@pytest.mark.parametrize(
    "spec, message",
    [
        ("octopoid_client.OctopoidClient", "is not of the form package.module:callable"),
        ("no_such_module:make", "cannot import no_such_module"),
        ("octopoid_client:NoSuchClient", "octopoid_client has no NoSuchClient"),
        ("support:PACKAGE_ROOT", "is not callable"),
    ],
)
def test_a_factory_that_cannot_be_loaded_says_how_to_configure_one(spec, message):
    with pytest.raises(SdkFactoryError, match=message) as refused:
        load_factory(spec)

    assert "octopoid_sdk_factory = package.module:callable" in str(refused.value)


def test_without_a_factory_or_the_octopoid_sdk_scoped_sdk_says_how_to_configure_one(
    tmp_path, octopoid_server
):
    source = """
        def test_needs_a_client(scoped_sdk):
            pass
    """
    code, output = run_inner_session(
        tmp_path, source, f"--octopoid-url={octopoid_server.url}", ini=""
    )

    assert code == 1, output
    assert (
        "scoped_sdk needs a client: the default, octopoid_sdk:OctopoidSDK, is not importable"
        in output
    )
    assert "octopoid_sdk_factory = package.module:callable" in output
    # Its scope never held anything: there is nothing to keep or to point at.
    assert "octopoid kept scope" not in output


def test_the_factory_is_called_with_the_server_url_and_the_scope(tmp_path, octopoid_server):
    (tmp_path / "recording_factory.py").write_text("def make(**kwargs):\n    return kwargs\n")
    source = """
        def test_gets_its_client(scoped_sdk, octopoid_scope):
            assert scoped_sdk == {"server_url": octopoid_scope.url, "scope": octopoid_scope.name}
    """
    code, output = run_inner_session(
        tmp_path,
        source,
        f"--octopoid-url={octopoid_server.url}",
        ini="octopoid_sdk_factory = recording_factory:make",
    )

    assert code == 0, output
