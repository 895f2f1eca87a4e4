"""A stateful sandbox of the CloudFactory, CrowdFlower, clickworker and ModelArts APIs."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mockserver")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0.0.0"
