"""pytest-octopoid: a real Octopoid server for the session and a scope of its own per test.

Fixtures (see ``docs/pytest.md``): ``octopoid_server`` (session), ``octopoid_scope`` and
``scoped_sdk`` (per test). The plugin module is :mod:`pytest_octopoid.plugin`.
"""

from .http import OctopoidHTTPError, Response
from .scope import Clock, Faults, OctopoidScope, scope_for_test
from .server import OctopoidServer

__all__ = [
    "Clock",
    "Faults",
    "OctopoidHTTPError",
    "OctopoidScope",
    "OctopoidServer",
    "Response",
    "scope_for_test",
]
