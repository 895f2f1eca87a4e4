"""IAM: tokens (``POST /v3/auth/tokens``), Keystone version discovery (``GET /v3``) and
the caller's projects (``GET /v3/projects``, ``GET /v3/auth/projects``).

FOUND [Huawei IAM API reference, "Obtaining a User Token"]: 201 Created; the token
only in the ``X-Subject-Token`` header; the body's ``token`` holds ``expires_at`` and
``issued_at`` (ISO 8601 UTC with microseconds), ``methods``, ``project`` (a project
scope) or ``domain`` (a domain scope), ``user`` and ``roles``; ``nocatalog=true``
drops the catalog. FOUND [KeystoneShowVersion]: ``GET /v3`` needs no credential and
answers 200 ``{"version": {"id", "status", "updated", "links", "media-types"}}``,
its ``self`` link being the ``/v3/`` URL the client called; ``GET /`` answers 300
``{"versions": {"values": [...]}}`` [KeystoneListVersions]. FOUND [KeystoneListProjects,
KeystoneListAuthProjects]: 200 ``{"links": {"self", "previous", "next"}, "projects":
[{"id", "name", "domain_id", "parent_id", "enabled", "is_domain", "description",
"links"}]}``, ``name`` filtering; huaweicloudsdkcore's ``BasicCredentials`` built with
a region and no project id asks ``GET /v3/projects?name=<region>`` (AK/SK-signed) and
takes the one project answered (none: "Failed to get project id").

INFERRED: any user and password are accepted in open mode; a project is the caller's
own (its token's, or the one its access key was registered for), under whatever name
was asked; a domain-scoped or unscoped token belongs to a project of its own, so it
is refused (403) on a ModelArts project's calls.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.validation import validate
from mockserver.core.wire import JSONBody, read_json_object

from .common import answer, world_of

KEYSTONE_VERSION = "v3.6"
KEYSTONE_UPDATED = "2016-04-04T00:00:00Z"


def _iso(instant: float) -> str:
    return datetime.fromtimestamp(instant, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _v3_url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/v3"


@contract(body="auth_tokens", anonymous=True)
async def issue_token(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate("modelarts", "auth_tokens", body)
    user = body["auth"]["identity"]["password"]["user"]
    domain = user.get("domain", {}).get("name", user.get("domain", {}).get("id", "domain"))
    world = world_of(request)
    token = world.access.issue_token(user["name"], domain)
    account = {"id": world.project_id[:16], "name": domain}
    document: dict[str, Any] = {
        "token": {
            "expires_at": _iso(token.expires_at),
            "issued_at": _iso(token.issued_at),
            "methods": ["password"],
            "roles": [{"id": "0", "name": "op_service"}],
            "user": {
                "id": world.project_id[::-1],
                "name": token.user,
                "domain": account,
                "password_expires_at": "",
            },
        }
    }
    scope = body["auth"].get("scope") or {}
    if "project" in scope:
        project = scope["project"]
        name = project.get("name", world.project_id) if isinstance(project, dict) else None
        document["token"]["project"] = {"id": world.project_id, "name": name, "domain": account}
    elif "domain" in scope:
        document["token"]["domain"] = account
    if request.query_params.get("nocatalog", "").lower() != "true":
        document["token"]["catalog"] = []
    return answer(request, document, 201, **{"X-Subject-Token": token.value})


def _version(request: Request) -> dict[str, Any]:
    return {
        "id": KEYSTONE_VERSION,
        "status": "stable",
        "updated": KEYSTONE_UPDATED,
        "links": [{"rel": "self", "href": _v3_url(request) + "/"}],
        "media-types": [
            {"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}
        ],
    }


def show_version(request: Request) -> Response:
    """Keystone's version document, asked for before any credential exists."""
    return JSONBody({"version": _version(request)})


def list_versions(request: Request) -> Response:
    """Keystone's root: the versions it serves, as 300 Multiple Choices (FOUND:
    KeystoneListVersions). OpenStack clients given the bare IAM URL read it first, and
    keystoneauth never returns when it is refused."""
    return JSONBody({"versions": {"values": [_version(request)]}}, status_code=300)


async def list_projects(request: Request) -> Response:
    world = world_of(request)
    name = request.query_params.get("name") or world.project_id
    link = f"{_v3_url(request)}/projects"
    project = {
        "id": world.project_id,
        "name": name,
        "domain_id": world.project_id[:16],
        "parent_id": world.project_id[:16],
        "enabled": True,
        "is_domain": False,
        "description": "",
        "links": {"self": f"{link}/{world.project_id}"},
    }
    links = {"self": str(request.url), "previous": None, "next": None}
    return answer(request, {"links": links, "projects": [project]})


public_paths = {"": list_versions, "/": list_versions, "/v3": show_version, "/v3/": show_version}
routes = [
    Route("/v3/auth/tokens", issue_token, methods=["POST"]),
    Route("/v3/projects", list_projects, methods=["GET"]),
    Route("/v3/auth/projects", list_projects, methods=["GET"]),
]
