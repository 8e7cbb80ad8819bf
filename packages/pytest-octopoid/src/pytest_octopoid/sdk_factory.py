"""Building the suite's own client for a test's scope."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

INI_NAME = "octopoid_sdk_factory"
DEFAULT_FACTORY = "octopoid_sdk:OctopoidSDK"


class SdkFactoryError(Exception):
    """The configured factory cannot be loaded, or no factory is configured and the default
    ``octopoid_sdk`` package is not installed."""


def load_factory(spec: str | None) -> Callable[..., Any]:
    """The callable named by ``spec`` (``package.module:callable``, attributes may be dotted),
    or ``octopoid_sdk.OctopoidSDK`` when ``spec`` is empty.

    Either is called as ``factory(server_url=..., scope=...)``. Raises
    :class:`SdkFactoryError` saying how to configure ``octopoid_sdk_factory``.
    """
    how = (
        f"Set `{INI_NAME} = package.module:callable` under [pytest] (pytest.ini) or "
        "[tool.pytest.ini_options] (pyproject.toml); it is called with server_url= and scope= "
        "and returns your client."
    )
    module_name, _, attribute = (spec or DEFAULT_FACTORY).partition(":")
    if not module_name or not attribute:
        raise SdkFactoryError(
            f"{INI_NAME} = {spec!r} is not of the form package.module:callable. {how}"
        )
    try:
        target: Any = importlib.import_module(module_name)
    except ImportError as error:
        if not spec:
            raise SdkFactoryError(
                f"scoped_sdk needs a client: the default, {DEFAULT_FACTORY}, is not importable "
                f"({error}). Install the octopoid SDK, or tell the plugin how to build yours. {how}"
            ) from error
        raise SdkFactoryError(
            f"{INI_NAME} = {spec!r}: cannot import {module_name} ({error}). {how}"
        ) from error
    for name in attribute.split("."):
        try:
            target = getattr(target, name)
        except AttributeError as error:
            raise SdkFactoryError(
                f"{INI_NAME} = {spec!r}: {module_name} has no {attribute}. {how}"
            ) from error
    if not callable(target):
        raise SdkFactoryError(f"{INI_NAME} = {spec!r} is not callable. {how}")
    return target
