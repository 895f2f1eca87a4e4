"""A loopback webhook receiver in its own process: counts and keeps what it is sent.

The threaded receiver of ``mockserver.testing`` would share the GIL with the load
generator and open a thread per connection; a uvicorn process keeps connections alive
and does not slow the client down, so deliveries/s measures the sandbox, not us.

``GET /received?since=N`` answers ``{"count", "bodies"}`` (bodies from the N-th on,
decoded as text); ``DELETE /received`` forgets them.
"""

from __future__ import annotations

import argparse

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

KEEP = 10_000
received: list[str] = []
count = 0


async def hook(request: Request) -> Response:
    global count
    body = await request.body()
    count += 1
    if len(received) < KEEP:
        received.append(body.decode("utf-8", "replace"))
    return Response(status_code=200)


async def show(request: Request) -> JSONResponse:
    since = int(request.query_params.get("since", "0"))
    return JSONResponse({"count": count, "bodies": received[since:]})


async def forget(request: Request) -> JSONResponse:
    global count
    received.clear()
    count = 0
    return JSONResponse({"count": 0})


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


app = Starlette(
    routes=[
        Route("/received", show, methods=["GET"]),
        Route("/received", forget, methods=["DELETE"]),
        Route("/_mock/health", health, methods=["GET"]),
        Route("/{path:path}", hook, methods=["POST", "PUT", "GET"]),
    ]
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,  # its fields are formatted per request even when not printed
        lifespan="off",
    )


if __name__ == "__main__":
    main()
