"""A stateful sandbox of the CloudFactory, CrowdFlower, clickworker and ModelArts APIs."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed metadata only when asked for.

    importlib.metadata costs tens of milliseconds, which every start-up would pay.
    """
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mockserver")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0"
