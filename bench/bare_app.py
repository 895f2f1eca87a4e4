"""The stack's ceiling: Starlette + uvicorn answering a small JSON, nothing else.

Every mockserver figure is divided by this app's figure from the same run, so the
ratio says what the sandbox costs on top of the framework, whatever the machine.
It serves ``/_mock/health`` too, so start-up is timed the same way for both.

Run as ``python bench/bare_app.py --port P`` (one uvicorn worker, loopback only).
"""

from __future__ import annotations

import argparse
import json

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

ITEM = {"id": "0b6f2d1c", "state": "created", "count": 1, "tags": ["a", "b"]}


async def item(request: Request) -> JSONResponse:
    """A GET answered from a constant: the least any JSON endpoint can do."""
    return JSONResponse(ITEM)


async def create(request: Request) -> JSONResponse:
    """A POST that reads and parses its body, as any validated endpoint must."""
    body = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        json.loads(body or b"{}")
    return JSONResponse({"received": len(body)}, status_code=201)


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


app = Starlette(
    routes=[
        Route("/item", item, methods=["GET"]),
        Route("/item", create, methods=["POST"]),
        Route("/_mock/health", health, methods=["GET"]),
    ]
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args()
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_level=args.log_level,
        access_log=args.log_level in ("trace", "debug", "info"),  # as mockserver serves
        lifespan="on",
    )


if __name__ == "__main__":
    main()
