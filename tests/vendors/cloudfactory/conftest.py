"""Shared fixtures of the CloudFactory tests: apps on a manual clock and a thin client.

Every app starts its tenants' clocks at :data:`EPOCH` with a fixed seed, so ids and
lifecycles repeat run after run. Rate limits are off unless a test turns them on,
so a test making many calls is never refused for its pace.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient
from world_kit import Context

from mockserver.app import create_app
from mockserver.core.clock import Clock, parse_instant
from mockserver.core.crowd import Crowd
from mockserver.core.rng import Rng
from mockserver.core.scheduler import Scheduler
from mockserver.core.vendor import Notification
from mockserver.settings import Settings
from mockserver.vendors.cloudfactory.backend import CloudFactoryWorld

EPOCH = "2024-01-01T00:00:00Z"
KEY = "loAwlMCCxv4TlpLWR8a2e6"
WORKSTREAM = "345d6802-0efa-46de-a73c-6c24f094dfcf"
USE_CASE = "rr3d6802-0efa-46de-a73c-6c24f094dfcf"
TASK_DEFINITION = "032d6802-0efa-46de-a73c-6c24f094dfcf"

SEED_QUALITY: dict[str, Any] = {
    "workstream_id": WORKSTREAM,
    "use_case_id": USE_CASE,
    "task_definition_id": TASK_DEFINITION,
    "dataset_id": "6c24f094dfcf",
    "asset_id": "6c24f094dfcf",
    "task_id": "032d6802-0efa-46de-a73c-6c24f094dfcf",
    "unique_id": "032d6802-0efa-46de-a73c-6c24f094dfcf",
    "replace_duplicate": True,
    "task_url": "https://taskus.com/annotate/123412",
    "task_completed_at": "2020-12-22T10:13:24.127Z",
    "worker_id": "test_worker@cf.com",
    "review_completed_at": "2020-12-22T10:13:24.127Z",
    "review_duration": 120,
    "reviewed_by": "test_worker@cf.com",
    "review_score": 0.78,
    "review_explanation": "Some of the fields are filled wrong",
    "errors": {"missing_label": 24, "incorrect_label": 12, "boundary_not_captured": 1},
    "review_type": "QA",
    "task_review_count": 120,
    "subtask_review_count": 240,
    "review_metadata": {
        "Person accuracy": "0.9",
        "Date accuracy": "1",
        "Organization accuracy": "0.85",
        "Address accuracy": "0.25",
        "Vendor accuracy": "0.9",
    },
    "review_measurements": {"attribute_1_count": 0.5, "attribute_1_label": "Header"},
}

THROUGHPUT: dict[str, Any] = {
    "worker_id": "john.doe@es.cloudfactory.com",
    "use_case_id": USE_CASE,
    "task_definition_id": TASK_DEFINITION,
    "task_started_at": "2020-12-22T09:13:24.127Z",
    "task_completed_at": "2020-12-22T10:13:24.127Z",
}


class CloudFactory:
    """A test client speaking CloudFactory's API and reading the sandbox's ``/_mock`` side."""

    def __init__(self, client: TestClient, prefix: str = "/cloudfactory", host: str = "") -> None:
        self.client = client
        self.prefix = prefix
        self.host = host
        self.key = KEY
        self.workstream = WORKSTREAM

    # -- the vendor API --------------------------------------------------------------------

    def call(
        self, method: str, path: str, *, key: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        headers.setdefault("x-api-key", self.key if key is None else key)
        if self.host:
            headers.setdefault("host", self.host)
        return self.client.request(method, self.prefix + path, headers=headers, **kwargs)

    def quality(self, body: Any, *, workstream: str | None = None, **kw: Any) -> httpx.Response:
        path = f"/v1/workstreams/{workstream or self.workstream}/task_reviewed"
        return self.call("POST", path, json=body, **kw)

    def throughput(self, body: Any, *, workstream: str | None = None, **kw: Any) -> httpx.Response:
        path = f"/v1/workstreams/{workstream or self.workstream}/task_completed"
        return self.call("POST", path, json=body, **kw)

    def upload_url(self, *, workstream: str | None = None, **kw: Any) -> httpx.Response:
        return self.call(
            "POST", f"/v1/workstreams/{workstream or self.workstream}/upload_url", **kw
        )

    def new_media(self, configuration_id: str = "cfg-1", **fields: Any) -> dict[str, Any]:
        key = fields.pop("key", None)
        response = self.call(
            "POST", "/v1/media", key=key, json={"configuration_id": configuration_id, **fields}
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    def uploaded_media(
        self, configuration_id: str = "cfg-1", data: bytes = b"\xff\xd8jpeg", **fields: Any
    ) -> str:
        """Asks for a media URL, PUTs ``data`` there and returns the media key."""
        media = self.new_media(configuration_id, content_type="image/jpeg", **fields)
        put = self.client.put(
            media["media_upload_url"], content=data, headers={"content-type": "image/jpeg"}
        )
        assert put.status_code == 200, put.text
        return str(media["media_key"])

    def submit(self, body: dict[str, Any], **kw: Any) -> httpx.Response:
        return self.call("POST", "/v1/tasks", json=body, **kw)

    def task(self, task_id: str, **kw: Any) -> httpx.Response:
        return self.call("GET", f"/v1/tasks/{task_id}", **kw)

    # -- the sandbox's side ------------------------------------------------------------------

    def tenant(self, key: str | None = None) -> str:
        return f"cloudfactory:{self.key if key is None else key}"

    def mock(self, path: str, key: str | None = None, **params: Any) -> Any:
        response = self.client.get(
            f"/_mock/cloudfactory{path}", params={"tenant": self.tenant(key), **params}
        )
        assert response.status_code == 200, response.text
        return response.json()

    def records(self, workstream: str | None = None, key: str | None = None) -> list[Any]:
        return list(
            self.mock(f"/workstreams/{workstream or self.workstream}/records", key)["records"]
        )

    def upload(self, file_key: str, key: str | None = None) -> dict[str, Any]:
        return dict(self.mock(f"/uploads/{file_key}", key))

    def advance(self, seconds: float, key: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"seconds": seconds}
        if key is not None:
            body["tenant"] = self.tenant(key)
        response = self.client.post("/_mock/clock/advance", json=body)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def register(self, key: str, setup: dict[str, Any], *, strict: bool = True) -> None:
        response = self.client.post(
            "/_mock/tenants",
            json={"vendor": "cloudfactory", "credential": key, "strict": strict, "setup": setup},
        )
        assert response.status_code == 201, response.text

    def state(self) -> dict[str, Any]:
        """Everything a client could observe of every tenant, to compare before and after."""
        tenants = self.client.get("/_mock/tenants").json()["tenants"]
        seen: dict[str, Any] = {"tenants": tenants}
        for tenant in tenants:
            params = {"tenant": tenant["id"]}
            workstreams = self.client.get("/_mock/cloudfactory/workstreams", params=params).json()
            seen[tenant["id"]] = {
                "workstreams": workstreams,
                "records": {
                    w["id"]: self.client.get(
                        f"/_mock/cloudfactory/workstreams/{w['id']}/records", params=params
                    ).json()
                    for w in workstreams["workstreams"]
                },
                "tasks": self.client.get("/_mock/cloudfactory/tasks", params=params).json(),
                "uploads": self.client.get("/_mock/cloudfactory/uploads", params=params).json(),
            }
        return seen

    def refused(
        self, send: Callable[[], httpx.Response], status: int, message: str | None = None
    ) -> httpx.Response:
        """Sends a request that must be refused with ``status`` and change nothing."""
        before = self.state()
        response = send()
        assert response.status_code == status, response.text
        if message is not None:
            assert response.json()["message"] == message
        assert self.state() == before
        return response


ClientFactory = Callable[..., TestClient]


@pytest.fixture
def make_client() -> Iterator[ClientFactory]:
    """Builds an app from settings overrides and opens a client on it (closed at teardown).

    ``transport`` replaces the network for the app's outgoing webhooks.
    """
    with ExitStack() as stack:

        def build(
            transport: httpx.AsyncBaseTransport | None = None, **overrides: Any
        ) -> TestClient:
            settings = {"clock": "manual", "seed": 1, "epoch": EPOCH, "rate_limits": False}
            settings.update(overrides)
            app = create_app(Settings(**settings), webhook_transport=transport)
            return stack.enter_context(TestClient(app))

        yield build


@pytest.fixture
def make_cf(make_client: ClientFactory) -> Callable[..., CloudFactory]:
    """A CloudFactory client on a new app: ``prefix``/``host`` choose the routing."""

    def build(prefix: str = "/cloudfactory", host: str = "", **settings: Any) -> CloudFactory:
        return CloudFactory(make_client(**settings), prefix=prefix, host=host)

    return build


@pytest.fixture
def cf(make_cf: Callable[..., CloudFactory]) -> CloudFactory:
    """A CloudFactory client on a fresh open-mode app, prefix-routed."""
    return make_cf()


@pytest.fixture
def seeded(cf: CloudFactory, seed_quality: dict[str, Any]) -> CloudFactory:
    """The client after one accepted quality record, so the key's tenant exists."""
    assert cf.quality(seed_quality).status_code == 202
    return cf


@pytest.fixture
def seed_quality() -> dict[str, Any]:
    """The Quality example of CloudFactory's documentation, as a fresh copy."""
    return copy.deepcopy(SEED_QUALITY)


@pytest.fixture
def throughput() -> dict[str, Any]:
    """A minimal valid Throughput report, as a fresh copy."""
    return copy.deepcopy(THROUGHPUT)


@pytest.fixture
def ids() -> dict[str, str]:
    """The ids of the documentation's examples."""
    return {
        "key": KEY,
        "workstream": WORKSTREAM,
        "use_case": USE_CASE,
        "task_definition": TASK_DEFINITION,
        "epoch": EPOCH,
    }


# -- the backend alone ----------------------------------------------------------------------------


@dataclass
class WorldHarness:
    """A world built by hand, with what it asked for (webhooks, upload URLs) collected."""

    world: CloudFactoryWorld
    clock: Clock
    scheduler: Scheduler
    notes: list[Notification]
    uploads: set[str]
    credential: str
    epoch: float

    def run(self, seconds: float) -> None:
        """Fires what falls due within ``seconds``, the clock at each event's due time."""
        until = self.clock.now() + seconds
        while (event := self.scheduler.pop_due(until)) is not None:
            self.clock.move_to(event.due)
            self.world.handle(event)
        self.clock.move_to(until)

    def run_next(self) -> None:
        due = self.scheduler.next_due()
        assert due is not None, "nothing is scheduled"
        self.run(due - self.clock.now())

    def uploaded(self, configuration_id: str = "cfg-1", size: int = 10) -> str:
        """A media key whose bytes (``size`` of them) have been received."""
        media = self.world.oversight.new_media(
            configuration_id, file_name=None, content_type="image/jpeg", media_type=None
        )
        self.world.oversight.receive_media(media.token, "image/jpeg", size, '"etag"')
        return media.key


@pytest.fixture
def make_world() -> Callable[..., WorldHarness]:
    """Builds a CloudFactory world on a manual clock at :data:`EPOCH`."""

    def build(
        setup: dict[str, Any] | None = None, *, strict: bool = False, seed: int = 1
    ) -> WorldHarness:
        credential = "key-1"
        epoch = parse_instant(EPOCH)
        clock = Clock(mode="manual", start=epoch)
        scheduler = Scheduler()
        rng = Rng(f"{seed}:cloudfactory:{credential}")
        notes: list[Notification] = []
        uploads: set[str] = set()
        context = Context(
            tenant_id=f"cloudfactory:{credential}",
            credential=credential,
            clock=clock,
            scheduler=scheduler,
            rng=rng,
            crowd=Crowd(rng.child("crowd")),
            notify=notes.append,
            register_upload=uploads.add,
            strict=strict,
            setup=setup or {},
        )
        world = CloudFactoryWorld(context)
        return WorldHarness(world, clock, scheduler, notes, uploads, credential, epoch)

    return build
