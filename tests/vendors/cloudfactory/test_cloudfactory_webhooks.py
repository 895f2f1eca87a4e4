"""CloudFactory's webhooks, received in process: signature, payload, retries and replay.

The app's outgoing HTTP goes to an ``httpx.MockTransport``; the receiver answers
with the statuses a test queues (200 once the queue is empty). Retries happen on
the sim clock only, so each one is reached by advancing it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

import httpx
import pytest

HOOK = "https://receiver.example/cloudfactory"
KEY = "loAwlMCCxv4TlpLWR8a2e6"
SECRET = "whsec-configuration-1"


class Receiver:
    """Records every webhook and answers with the queued statuses, then 200."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.answers: list[int] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.answers.pop(0) if self.answers else 200)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests]


def signature_parts(request: httpx.Request) -> tuple[int, str]:
    timestamp, v1 = request.headers["x-cf-signature"].split(";")
    name, value = timestamp.split("=")
    assert name == "t"
    assert v1.startswith("v1=")
    return int(value), v1.removeprefix("v1=")


def hmac_hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def epoch_of(instant: str) -> float:
    return datetime.fromisoformat(instant).timestamp()


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
def hooked(make_cf: Any, receiver: Receiver) -> Any:
    """A client whose app delivers its webhooks to ``receiver``."""
    return make_cf(transport=httpx.MockTransport(receiver))


def submit(cf: Any, *, data: bytes = b"jpeg", **fields: Any) -> str:
    media_key = cf.uploaded_media(data=data)
    body = {"media_key": media_key, "configuration_id": "cfg-1", "callback_url": HOOK, **fields}
    response = cf.submit(body)
    assert response.status_code == 200, response.text
    return str(response.json()["task_id"])


def deliveries(cf: Any) -> list[dict[str, Any]]:
    response = cf.client.get("/_mock/webhooks/deliveries", params={"tenant": cf.tenant()})
    return list(response.json()["deliveries"])


def now(cf: Any) -> float:
    return float(
        cf.client.get("/_mock/clock", params={"tenant": cf.tenant()}).json()["epoch_seconds"]
    )


def test_a_completed_task_is_posted_signed_with_the_configurations_secret(
    hooked: Any, receiver: Receiver
) -> None:
    hooked.register(KEY, {"configurations": [{"id": "cfg-1", "webhook_secret": SECRET}]})
    task_id = submit(hooked)
    hooked.advance(1800)
    (request,) = receiver.requests
    assert (request.method, str(request.url)) == ("POST", HOOK)
    assert request.headers["content-type"] == "application/json"
    t, v1 = signature_parts(request)
    assert v1 == hmac_hex(SECRET, f"{t}.".encode() + request.content)
    assert v1 != hmac_hex(KEY, f"{t}.".encode() + request.content)
    (delivery,) = deliveries(hooked)
    (attempt,) = delivery["attempts"]
    assert t == int(epoch_of(attempt["at"]))
    body = json.loads(request.content)
    assert body["event"] == "task.completed"
    assert body["data"]["task_id"] == task_id
    assert body["data"]["state"] == "completed"
    polled = hooked.task(task_id).json()
    assert body["data"]["updated_inferences"] == polled["updated_inferences"]
    assert body["event_id"] and body["created_at"] == attempt["at"]
    assert (delivery["state"], delivery["event"], attempt["status"]) == (
        "delivered",
        "task.completed",
        200,
    )


def test_without_a_provisioned_secret_the_api_key_signs(hooked: Any, receiver: Receiver) -> None:
    submit(hooked)
    hooked.advance(1800)
    (request,) = receiver.requests
    t, v1 = signature_parts(request)
    assert v1 == hmac_hex(KEY, f"{t}.".encode() + request.content)


def test_the_setup_can_choose_bare_task_bodies_signed_over_the_body_alone(
    hooked: Any, receiver: Receiver
) -> None:
    setup = {"webhook_secret": SECRET, "webhook_payload": "task", "signature": "body"}
    hooked.register(KEY, setup, strict=False)
    task_id = submit(hooked)
    hooked.advance(1800)
    (request,) = receiver.requests
    _, v1 = signature_parts(request)
    assert v1 == hmac_hex(SECRET, request.content)
    assert json.loads(request.content) == hooked.task(task_id).json()


def test_a_failed_task_is_announced_as_task_failed(hooked: Any, receiver: Receiver) -> None:
    task_id = submit(hooked, data=b"")
    hooked.advance(1800)
    (body,) = receiver.bodies()
    assert (body["event"], body["data"]["task_id"], body["data"]["state"]) == (
        "task.failed",
        task_id,
        "failed",
    )


def test_a_task_without_callback_url_sends_nothing(hooked: Any, receiver: Receiver) -> None:
    media_key = hooked.uploaded_media()
    assert hooked.submit({"media_key": media_key, "configuration_id": "cfg-1"}).status_code == 200
    hooked.advance(1800)
    assert receiver.requests == []
    assert deliveries(hooked) == []


def test_a_failed_attempt_is_retried_an_hour_later_not_before(
    hooked: Any, receiver: Receiver
) -> None:
    receiver.answers = [500]
    submit(hooked)
    hooked.advance(1800)
    (delivery,) = deliveries(hooked)
    assert delivery["state"] == "pending"
    assert [a["status"] for a in delivery["attempts"]] == [500]
    first_at = epoch_of(delivery["attempts"][0]["at"])
    retry_at = epoch_of(delivery["next_attempt_at"])
    assert round(retry_at - first_at) == 3600
    hooked.advance(retry_at - now(hooked) - 1)
    assert len(receiver.requests) == 1
    assert [a["status"] for a in deliveries(hooked)[0]["attempts"]] == [500]
    hooked.advance(2)
    assert len(receiver.requests) == 2
    (delivery,) = deliveries(hooked)
    assert [a["status"] for a in delivery["attempts"]] == [500, 200]
    assert (delivery["state"], delivery["next_attempt_at"]) == ("delivered", None)
    first, second = (signature_parts(r)[0] for r in receiver.requests)
    assert second - first == 3600
    assert receiver.requests[0].content == receiver.requests[1].content


def test_a_204_answer_is_a_failure_since_cloudfactory_requires_200(
    hooked: Any, receiver: Receiver
) -> None:
    receiver.answers = [204]
    submit(hooked)
    hooked.advance(1800)
    (delivery,) = deliveries(hooked)
    assert [a["status"] for a in delivery["attempts"]] == [204]
    assert delivery["state"] == "pending" and delivery["next_attempt_at"] is not None


def test_after_five_failed_attempts_the_delivery_fails_and_replay_sends_it_again(
    hooked: Any, receiver: Receiver
) -> None:
    receiver.answers = [500] * 5
    submit(hooked)
    hooked.advance(1800)
    for attempts, backoff in enumerate((3600, 7200, 14400, 28800), start=2):
        assert deliveries(hooked)[0]["state"] == "pending"
        hooked.advance(backoff)
        assert len(deliveries(hooked)[0]["attempts"]) == attempts
    (delivery,) = deliveries(hooked)
    assert [a["status"] for a in delivery["attempts"]] == [500] * 5
    assert (delivery["state"], delivery["next_attempt_at"]) == ("failed", None)
    hooked.advance(7 * 24 * 3600)
    assert len(receiver.requests) == 5

    response = hooked.client.post(f"/_mock/webhooks/deliveries/{delivery['id']}/replay")
    assert response.status_code == 200
    replayed = response.json()
    assert (replayed["attempt"]["status"], replayed["attempt"]["replay"]) == (200, True)
    assert replayed["delivery"]["state"] == "delivered"
    assert len(receiver.requests) == 6
    assert receiver.requests[5].content == receiver.requests[0].content
    shown = hooked.client.get(f"/_mock/webhooks/deliveries/{delivery['id']}").json()
    assert (shown["state"], len(shown["attempts"])) == ("delivered", 6)


def test_an_unreachable_receiver_is_logged_and_retried(make_cf: Any) -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    hooked = make_cf(transport=httpx.MockTransport(unreachable))
    submit(hooked)
    hooked.advance(1800)
    (delivery,) = deliveries(hooked)
    (attempt,) = delivery["attempts"]
    assert attempt["status"] is None
    assert "connection refused" in attempt["error"]
    assert delivery["state"] == "pending"
