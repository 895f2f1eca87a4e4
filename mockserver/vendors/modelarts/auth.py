"""Two ways in, as the service accepts: an IAM token, or an AK/SK-signed request.

The project comes from the path (``/v2/{project_id}/...``), or for the IAM token
call from the body's scope. A token must belong to that project (else 403
``ModelArts.0210``) and be unexpired on the project's clock; a signature is checked
for real against the AK's secret, over the raw path as sent. INFERRED: an
``X-Sdk-Date`` more than 15 minutes from the wall clock is refused (the gateway's
replay window). A strict project issues tokens only to the IAM users of its setup's
``users``, by name and password; an open one to any user.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from datetime import UTC, datetime
from typing import Any, cast

from starlette.requests import Request

from mockserver.core.clock import wall_time
from mockserver.core.context import body_of, route_path, sandbox_of
from mockserver.core.errors import InvalidInput
from mockserver.core.jsontext import NotJSON, loads
from mockserver.core.tenancy import Tenant
from mockserver.core.vendor import Lookup

from . import signing
from .backend import ModelArtsWorld
from .backend.access import project_of_token
from .errors import (
    BadAuthHeader,
    NoAuthHeader,
    ProjectMismatch,
    SignatureRefused,
    TokenExpired,
    TokenInvalid,
)

PROJECT_PATH = re.compile(r"^/v2/([^/]+)(?:/|$)")
TOKENS_PATH = "/v3/auth/tokens"
PROJECT_LISTS = ("/v3/projects", "/v3/auth/projects")
VENDOR = "modelarts"
DATE_SKEW = 15 * 60.0


def authenticate(request: Request, lookup: Lookup) -> Tenant:
    path = route_path(request.scope)
    if path.rstrip("/") == TOKENS_PATH:
        return _token_scope(request, lookup)
    headers = _first_values(request)
    match = PROJECT_PATH.match(path)
    project = match.group(1) if match else _text(headers.get(b"x-project-id", b""))
    token = headers.get(b"x-auth-token")
    if token:
        return _by_token(_text(token), project, lookup)
    authorization = headers.get(b"authorization")
    if not authorization:  # FOUND: 401 ModelArts.0205 (error-code appendix)
        raise NoAuthHeader()
    if not project and path.rstrip("/") in PROJECT_LISTS:
        project = _project_of_key(request, _text(authorization))
    return _by_signature(request, headers, _text(authorization), project, lookup)


def _project_of_key(request: Request, authorization: str) -> str:
    """The project a signed IAM project list is asked for, which names none.

    FOUND: huaweicloudsdkcore, given a region and no project id, signs
    ``GET /v3/projects?name=<region>`` with neither a project in the path nor an
    ``X-Project-Id``. INFERRED: the project is the one the access key was registered
    for (``/_mock/modelarts/credentials``), else the project named like the region.
    """
    signed = signing.parse_authorization(authorization)
    if signed is not None:
        for tenant in sandbox_of(request.scope).tenants:
            if tenant.vendor.name == VENDOR and signed.access_key in world(tenant).access.keys:
                return tenant.credential
    name = request.query_params.get("name")
    return project_id_of_name(name) if name else ""


def _first_values(request: Request) -> dict[bytes, bytes]:
    """Each header's first value by name, as ``request.headers.get`` reads it, raw.

    One dict answers the several headers a call is checked for, where each
    ``headers.get`` would scan the whole list (and raise and catch for an absent one);
    only the values read are decoded.
    """
    return dict(reversed(request.scope["headers"]))


def _text(raw: bytes) -> str:
    return raw.decode("latin-1")


def _by_token(value: str, project: str, lookup: Lookup) -> Tenant:
    owner = project_of_token(value)
    tenant = lookup(owner) if owner else None
    token = world(tenant).access.token(value) if tenant is not None else None
    if tenant is None or token is None:  # FOUND: 401 ModelArts.0203 Invalid token (appendix)
        raise TokenInvalid()
    if world(tenant).access.expired(token):  # FOUND: 24 h validity; 401 ModelArts.0202
        raise TokenExpired()
    if project and project != owner:  # FOUND: 403 ModelArts.0210, URL project != token's
        raise ProjectMismatch()
    return tenant


def _by_signature(
    request: Request, headers: dict[bytes, bytes], authorization: str, project: str, lookup: Lookup
) -> Tenant:
    signed = signing.parse_authorization(authorization)
    # FOUND: the header format (SDK signer; the appendix's 0206 "incorrect format", 401).
    # INFERRED: ``host`` and ``x-sdk-date`` are signed and the date is within 15 minutes,
    # as API gateways demand; the SDK always signs both with the current time.
    if signed is None or "host" not in signed.signed_headers:
        raise BadAuthHeader()
    date = _text(headers.get(b"x-sdk-date", b""))
    # INFERRED: the gateway's replay window (15 min); the SDK signs its current time
    if "x-sdk-date" not in signed.signed_headers or not _fresh(date):
        raise SignatureRefused("The X-Sdk-Date header is missing, malformed or stale.")
    tenant = lookup(project) if project else None
    if tenant is None:  # FOUND: 403 ModelArts.0206 Invalid AK/SK (appendix)
        raise SignatureRefused()
    secret = world(tenant).access.secret_of(signed.access_key, strict=tenant.strict)
    if secret is None or not signing.verify(signed, secret, date, _canonical(request, signed)):
        raise SignatureRefused()  # FOUND: 403 ModelArts.0206 Invalid AK/SK (appendix)
    header_project = _text(headers.get(b"x-project-id", b""))
    if header_project and header_project != project:  # FOUND: 403 ModelArts.0210
        raise ProjectMismatch()
    return tenant


def _canonical(request: Request, signed: signing.SignedRequest) -> str:
    """The request as it was signed: the raw path, and a repeated header's last value."""
    raw_path = request.scope.get("raw_path") or request.scope["path"].encode()
    raw_headers = request.scope["headers"]  # in order: a later value replaces an earlier one
    return signing.canonical_request(
        request.method,
        raw_path.decode("latin-1").split("?", 1)[0],
        request.scope.get("query_string", b"").decode("latin-1"),
        {name.decode("latin-1"): value.decode("latin-1") for name, value in raw_headers},
        signed.signed_headers,
        body_of(request.scope),
    )


def _fresh(date: str) -> bool:
    moment = _signed_at(date)
    return moment is not None and abs(moment - wall_time()) <= DATE_SKEW


@functools.lru_cache(maxsize=256)
def _signed_at(date: str) -> float | None:
    """The instant an ``X-Sdk-Date`` names (None if malformed).

    An SDK signs with the current second, so a busy client sends each date many times:
    parsing it once is most of what checking it costs.
    """
    try:
        moment = datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return moment.timestamp()


def _token_scope(request: Request, lookup: Lookup) -> Tenant:
    """The project a token is asked for: ``scope.project.id``, or one named by its name.

    FOUND (IAM "Obtaining a User Token"): the scope is a project or a domain, each by
    id or name. INFERRED: a domain-scoped token, or an unscoped one (Keystone's answer
    to no scope), belongs to a project named after that domain, or the user's domain.
    """
    try:
        document = loads(body_of(request.scope) or b"{}")
        scope = document["auth"].get("scope") or {}
    except (NotJSON, KeyError, TypeError, AttributeError):  # FOUND: the body is {"auth": ...}
        raise InvalidInput.one("auth", "an auth object is required") from None
    if not isinstance(scope, dict):  # FOUND: scope is an object (project or domain)
        raise InvalidInput.one("auth.scope", "must be an object")
    project_id = _scoped_project(scope)
    if project_id is None:
        domain = scope.get("domain") or _member(
            document, "auth", "identity", "password", "user", "domain"
        )
        project_id = project_id_of_name("domain:" + _id_or_name(domain))
    tenant = lookup(project_id)
    if tenant is None:  # INFERRED: strict mode knows only registered projects; 401 as Keystone
        raise TokenInvalid("The project is unknown.")
    if tenant.strict:
        _check_identity(document, tenant)
    return tenant


def _scoped_project(scope: dict[str, Any]) -> str | None:
    """The project id a project scope names (None for a domain scope, or none)."""
    if "project" not in scope:
        return None
    project = scope["project"]
    # FOUND (IAM "Obtaining a User Token"): a project scope names its id or its name
    if not isinstance(project, dict) or not (project.get("id") or project.get("name")):
        raise InvalidInput.one("auth.scope.project", "needs an id or a name")
    return str(project.get("id") or project_id_of_name(str(project["name"])))


def _id_or_name(reference: Any) -> str:
    if isinstance(reference, dict):
        return str(reference.get("id") or reference.get("name") or "")
    return ""


def _check_identity(document: Any, tenant: Tenant) -> None:
    """A strict project's token goes to a user of its setup, with that user's password.

    INFERRED: a user or password IAM does not accept is 401, as Keystone answers it;
    IAM's own body is not confirmed, so it is this API's invalid-credential code. An
    identity that is not a name and a password is left to the body's validation (400).
    """
    user = _member(document, "auth", "identity", "password", "user")
    name, password = _member(user, "name"), _member(user, "password")
    if not (isinstance(name, str) and isinstance(password, str)):
        return
    registered = tenant.setup.get("users", {}).get(name)
    if registered is None or not hmac.compare_digest(
        registered.encode("utf-8", "surrogatepass"), password.encode("utf-8", "surrogatepass")
    ):
        raise TokenInvalid("The username or password is wrong.")


def _member(value: Any, *path: str) -> Any:
    """``value[path[0]][path[1]]...``, or None where a step is not an object."""
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def project_id_of_name(name: str) -> str:
    """INFERRED: a project named like a region gets a stable 32-hex id."""
    return hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()


def world(tenant: Tenant) -> ModelArtsWorld:
    return cast(ModelArtsWorld, tenant.world)
