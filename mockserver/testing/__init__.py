"""Helpers for testing against the sandbox: a real server in a thread, a webhook receiver."""

from __future__ import annotations

from .receiver import ReceivedRequest, Receiver
from .server import ServerThread

__all__ = ["ReceivedRequest", "Receiver", "ServerThread"]
