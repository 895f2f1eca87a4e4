"""Sending one outbound request (a webhook attempt) and reading what came back.

Two senders answer the same question, "status, error, body?". On the network it is
aiohttp: its client keeps thousands of small requests a second flowing over kept-alive
connections, where httpx's async pool manages a few hundred and slows down as more
requests queue. Tests that want no receiver on a port hand the app an httpx
transport (``httpx.MockTransport``), which the httpx sender takes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from .vendor import OutboundRequest

if TYPE_CHECKING:
    import aiohttp
    import httpx

RESPONSE_CAP = 2048
CONNECTIONS = 64

Outcome = tuple[int | None, str | None, str]  # status, error, the start of the body


class Sender(Protocol):
    async def send(self, outbound: OutboundRequest, timeout: float) -> Outcome: ...

    async def aclose(self) -> None: ...


class NetworkSender:
    """aiohttp over real sockets, imported and connected on the first webhook.

    Its pool holds ``connections``; the caller sends no more at once, so no request
    waits inside aiohttp, where the wait would count against its timeout.
    """

    def __init__(self, connections: int = CONNECTIONS) -> None:
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    async def send(self, outbound: OutboundRequest, timeout: float) -> Outcome:
        import aiohttp

        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                skip_auto_headers=("Accept",),
            )
        try:
            async with self._session.request(
                outbound.method,
                outbound.url,
                headers=dict(outbound.headers),
                data=outbound.body,
                timeout=aiohttp.ClientTimeout(total=timeout),
                allow_redirects=False,
            ) as response:
                body = await response.content.read(RESPONSE_CAP)
                return response.status, None, body.decode("utf-8", errors="replace")
        except TimeoutError:  # what aiohttp raises when ``total`` runs out
            return None, f"timed out after {timeout:g}s", ""
        except (aiohttp.ClientError, ValueError) as exc:
            return None, f"{type(exc).__name__}: {exc}", ""

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class HttpxSender:
    """httpx over the transport a test supplies (an ``httpx.MockTransport``, say)."""

    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    async def send(self, outbound: OutboundRequest, timeout: float) -> Outcome:
        import httpx

        if self._client is None:
            self._client = httpx.AsyncClient(transport=self._transport, follow_redirects=False)
        try:
            response = await self._client.request(
                outbound.method,
                outbound.url,
                headers=dict(outbound.headers),
                content=outbound.body,
                timeout=timeout,
            )
        except httpx.TimeoutException:
            return None, f"timed out after {timeout:g}s", ""
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}", ""
        return response.status_code, None, response.text[:RESPONSE_CAP]

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def sender_for(
    transport: httpx.AsyncBaseTransport | None, connections: int = CONNECTIONS
) -> Sender:
    return NetworkSender(connections) if transport is None else HttpxSender(transport)
