"""IAM: ``POST /v3/auth/tokens`` with a password identity and a project scope.

FOUND: 201 Created; the token only in the ``X-Subject-Token`` header; the body's
``token`` holds ``expires_at`` and ``issued_at`` (ISO 8601 UTC with microseconds),
``methods``, ``project``, ``user`` and ``roles``; ``nocatalog=true`` drops the
catalog. INFERRED: any user and password are accepted in open mode.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.validation import validate
from mockserver.core.wire import read_json_object

from .common import answer, world_of


def _iso(instant: float) -> str:
    return datetime.fromtimestamp(instant, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@contract(body="auth_tokens", anonymous=True)
async def issue_token(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate("modelarts", "auth_tokens", body)
    user = body["auth"]["identity"]["password"]["user"]
    domain = user.get("domain", {}).get("name", user.get("domain", {}).get("id", "domain"))
    world = world_of(request)
    token = world.access.issue_token(user["name"], domain)
    scope = body["auth"]["scope"]["project"]
    project: dict[str, Any] = {
        "id": world.project_id,
        "name": scope.get("name", world.project_id),
        "domain": {"id": world.project_id[:16], "name": domain},
    }
    document: dict[str, Any] = {
        "token": {
            "expires_at": _iso(token.expires_at),
            "issued_at": _iso(token.issued_at),
            "methods": ["password"],
            "project": project,
            "roles": [{"id": "0", "name": "op_service"}],
            "user": {
                "id": world.project_id[::-1],
                "name": token.user,
                "domain": project["domain"],
                "password_expires_at": "",
            },
        }
    }
    if request.query_params.get("nocatalog", "").lower() != "true":
        document["token"]["catalog"] = []
    return answer(request, document, 201, **{"X-Subject-Token": token.value})


routes = [Route("/v3/auth/tokens", issue_token, methods=["POST"])]
