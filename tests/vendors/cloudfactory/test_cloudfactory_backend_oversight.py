"""CloudFactory's Oversight backend without HTTP: media, submitting, and a task's lifecycle.

The scheduler is run the way a tenant runs it (``WorldHarness.run``): each due event
fires with the clock moved to its due time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mockserver.core.errors import InvalidInput
from mockserver.vendors.cloudfactory.errors import SignatureMismatch, UploadExpired

HOOK = "https://receiver.example/cf"

MakeWorld = Callable[..., Any]


def fields_of(error: InvalidInput) -> list[str]:
    return [e.field for e in error.errors]


# -- Oversight: media -------------------------------------------------------------------------


def test_new_media_hands_out_a_registered_upload_and_a_typed_key(make_world: MakeWorld) -> None:
    h = make_world()
    oversight = h.world.oversight
    image = oversight.new_media("cfg-1", file_name=None, content_type="image/png", media_type=None)
    video = oversight.new_media(
        "cfg-1", file_name="clip.MOV", content_type=None, media_type="video"
    )
    assert h.uploads == {image.token, video.token}
    assert image.key.startswith("https://") and image.key.endswith(".png")
    assert video.key.endswith(".mov")
    assert (image.media_type, video.media_type) == ("image", "video")
    assert image.uploaded_at is None


def test_a_media_url_expires_after_an_hour_of_sim_time(make_world: MakeWorld) -> None:
    h = make_world()
    oversight = h.world.oversight
    on_time, late = (
        oversight.new_media("cfg-1", file_name=None, content_type="image/jpeg", media_type=None)
        for _ in range(2)
    )
    h.clock.advance(3600)
    assert (
        oversight.receive_media(on_time.token, "image/jpeg", 3, '"e"').uploaded_at == h.clock.now()
    )
    h.clock.advance(0.5)
    with pytest.raises(UploadExpired) as refused:
        oversight.receive_media(late.token, "image/jpeg", 3, '"e"')
    assert refused.value.status == 403
    assert late.uploaded_at is None


@pytest.mark.parametrize("sent", ["image/png", None])
def test_a_put_with_another_content_type_than_signed_is_refused(
    make_world: MakeWorld, sent: str | None
) -> None:
    h = make_world()
    media = h.world.oversight.new_media(
        "cfg-1", file_name=None, content_type="image/jpeg", media_type=None
    )
    with pytest.raises(SignatureMismatch):
        h.world.oversight.receive_media(media.token, sent, 3, '"e"')
    assert media.uploaded_at is None


def test_media_of_a_type_the_configuration_does_not_take_is_refused(make_world: MakeWorld) -> None:
    h = make_world({"configurations": [{"id": "cfg-1", "media_types": ["image"]}]})
    with pytest.raises(InvalidInput) as refused:
        h.world.oversight.new_media(
            "cfg-1", file_name=None, content_type="video/mp4", media_type=None
        )
    assert fields_of(refused.value) == ["media_type"]
    assert h.world.oversight.media == {} and h.uploads == set()


# -- Oversight: submitting ----------------------------------------------------------------------


def refuse(h: Any, body: dict[str, Any]) -> list[str]:
    """Submits a body that must be refused; checks nothing changed; returns the fields."""
    oversight = h.world.oversight
    configurations, pending = dict(oversight.configurations), len(h.scheduler)
    with pytest.raises(InvalidInput) as refused:
        oversight.submit(body)
    assert oversight.tasks == {}
    assert oversight.configurations == configurations
    assert len(h.scheduler) == pending
    return fields_of(refused.value)


def test_submit_refuses_media_not_uploaded_yet(make_world: MakeWorld) -> None:
    h = make_world()
    media = h.world.oversight.new_media("cfg-1", file_name=None, content_type=None, media_type=None)
    assert refuse(h, {"media_key": media.key, "configuration_id": "cfg-1"}) == ["media_key"]


def test_submit_refuses_media_of_another_configuration(make_world: MakeWorld) -> None:
    h = make_world()
    key = h.uploaded("cfg-1")
    assert refuse(h, {"media_key": key, "configuration_id": "cfg-2"}) == ["configuration_id"]


STRICT_SETUP = {"configurations": [{"id": "cfg-1"}], "buckets": ["bucket-1"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"media_key": "m", "configuration_id": "cfg-x", "bucket_id": "bucket-1"},
            "configuration_id",
        ),
        (
            {"media_key": "a/b.jpg", "configuration_id": "cfg-1", "bucket_id": "bucket-x"},
            "bucket_id",
        ),
        (
            {"media_key": "https://elsewhere.example/a.jpg", "configuration_id": "cfg-1"},
            "media_key",
        ),
    ],
)
def test_a_strict_tenant_refuses_what_was_not_provisioned(
    make_world: MakeWorld, body: dict[str, Any], field: str
) -> None:
    h = make_world(STRICT_SETUP, strict=True)
    assert refuse(h, body) == [field]
    h.world.oversight.submit(
        {"media_key": "a/b.jpg", "configuration_id": "cfg-1", "bucket_id": "bucket-1"}
    )
    assert len(h.world.oversight.tasks) == 1


def test_a_mounted_bucket_takes_images_only(make_world: MakeWorld) -> None:
    h = make_world()
    body = {
        "media_key": "a/b.mp4",
        "configuration_id": "cfg-new",
        "bucket_id": "b",
        "media_type": "video",
    }
    assert refuse(h, body) == ["media_type"]
    assert "cfg-new" not in h.world.oversight.configurations


def test_an_accepted_submit_creates_the_task_and_schedules_its_start(make_world: MakeWorld) -> None:
    h = make_world()
    task = h.world.oversight.submit({"media_key": h.uploaded(), "configuration_id": "cfg-1"})
    assert h.world.oversight.tasks == {task.id: task}
    assert (task.state, task.updated_inferences, task.history) == (
        "created",
        None,
        [("created", h.epoch)],
    )
    (event,) = h.scheduler.pending()
    assert (event.action, event.data) == ("task.start", {"id": task.id})
    assert 30 <= event.due - h.epoch <= 300


def test_a_task_waits_30_to_300_seconds_in_the_queue(make_world: MakeWorld) -> None:
    h = make_world()
    for _ in range(40):
        h.world.oversight.submit({"media_key": h.uploaded(), "configuration_id": "cfg-1"})
    waits = [event.due - h.epoch for event in h.scheduler.pending()]
    assert len(waits) == 40
    assert all(30 <= wait <= 300 for wait in waits)
    assert max(waits) - min(waits) > 100  # drawn, not fixed


# -- Oversight: the lifecycle -------------------------------------------------------------------

INFERENCES = [
    {
        "external_id": "inf-1",
        "classes": [{"class": "cat", "confidence_score": 0.9}],
        "bbox": [[10.0, 20.0, 110.0, 220.0]],
    }
]


def test_a_task_moves_created_in_progress_completed_with_reviewed_inferences(
    make_world: MakeWorld,
) -> None:
    h = make_world({"configurations": [{"id": "cfg-1", "webhook_secret": "cfg-secret"}]})
    tags = [{"value": "cat"}, {"value": "dog"}]
    task = h.world.oversight.submit(
        {
            "media_key": h.uploaded(),
            "configuration_id": "cfg-1",
            "callback_url": HOOK,
            "tags": tags,
            "inferences": INFERENCES,
        }
    )
    h.run_next()
    assert task.state == "in_progress" and task.worker_id
    assert task.updated_inferences is None and h.notes == []
    h.run_next()
    assert task.state == "completed"
    assert [state for state, _ in task.history] == ["created", "in_progress", "completed"]
    (inference,) = task.updated_inferences or []
    assert inference["external_id"] == "inf-1"
    assert [c["class"] for c in inference["classes"]] in (["cat"], ["dog"])
    (box,) = inference["bbox"]
    assert len(box) == 4 and all(isinstance(v, (int, float)) for v in box)
    assert all(abs(v - o) <= 2.0 for v, o in zip(box, INFERENCES[0]["bbox"][0], strict=True))
    (note,) = h.notes
    assert (note.url, note.event, note.secret) == (HOOK, "task.completed", "cfg-secret")
    assert set(note.payload) == {"event", "event_id", "created_at", "data"}
    assert note.payload["event"] == "task.completed"
    assert note.payload["created_at"].startswith("2024-01-01T")
    data = note.payload["data"]
    assert (data["task_id"], data["state"]) == (task.id, "completed")
    assert data["updated_inferences"] == {"inferences": task.updated_inferences}


def test_without_inferences_the_worker_annotates_with_the_tags_labels(
    make_world: MakeWorld,
) -> None:
    h = make_world()
    task = h.world.oversight.submit(
        {"media_key": h.uploaded(), "configuration_id": "cfg-1", "tags": [{"value": "truck"}]}
    )
    h.run(3600)
    assert task.state == "completed"
    assert 1 <= len(task.updated_inferences or []) <= 3
    for inference in task.updated_inferences or []:
        assert inference["classes"] == [{"confidence_score": 1.0, "class": "truck"}]
        ((x1, y1, x2, y2),) = inference["bbox"]
        assert x2 > x1 and y2 > y1


@pytest.mark.parametrize(
    ("setup", "secret"),
    [
        (
            {"configurations": [{"id": "cfg-1", "webhook_secret": "cfg"}], "webhook_secret": "all"},
            "cfg",
        ),
        ({"webhook_secret": "all"}, "all"),
        ({}, "key-1"),
    ],
)
def test_the_webhook_secret_is_the_configurations_else_the_setups_else_the_key(
    make_world: MakeWorld, setup: dict[str, Any], secret: str
) -> None:
    h = make_world(setup)
    h.world.oversight.submit(
        {"media_key": h.uploaded(), "configuration_id": "cfg-1", "callback_url": HOOK}
    )
    h.run(3600)
    assert [n.secret for n in h.notes] == [secret]


def test_the_setup_can_ask_for_bare_task_payloads_signed_over_the_body(
    make_world: MakeWorld,
) -> None:
    h = make_world({"webhook_payload": "task", "signature": "body"})
    task = h.world.oversight.submit(
        {"media_key": h.uploaded(), "configuration_id": "cfg-1", "callback_url": HOOK}
    )
    h.run(3600)
    (note,) = h.notes
    assert note.payload == {
        "task_id": task.id,
        "state": "completed",
        "updated_inferences": {"inferences": task.updated_inferences},
    }
    assert note.options == {"signature": "body"}


def test_empty_media_fails_the_task_and_announces_it(make_world: MakeWorld) -> None:
    h = make_world()
    task = h.world.oversight.submit(
        {"media_key": h.uploaded(size=0), "configuration_id": "cfg-1", "callback_url": HOOK}
    )
    h.run(3600)
    assert (task.state, task.updated_inferences) == ("failed", None)
    (note,) = h.notes
    assert note.event == note.payload["event"] == "task.failed"
    assert note.payload["data"]["state"] == "failed"


def test_without_a_callback_url_nothing_is_announced(make_world: MakeWorld) -> None:
    h = make_world()
    task = h.world.oversight.submit({"media_key": h.uploaded(), "configuration_id": "cfg-1"})
    h.run(3600)
    assert task.state == "completed"
    assert h.notes == []


def run_scenario(
    make_world: MakeWorld, seed: int
) -> list[tuple[str, str, Any, list[tuple[str, float]]]]:
    h = make_world(seed=seed)
    for n in range(3):
        h.world.oversight.submit(
            {
                "media_key": h.uploaded(),
                "configuration_id": "cfg-1",
                "tags": [{"value": "a"}, {"value": "b"}],
                "inferences": INFERENCES * n,
            }
        )
    h.run(4 * 3600)
    return [
        (t.id, t.state, t.updated_inferences, t.history) for t in h.world.oversight.tasks.values()
    ]


def test_the_same_seed_gives_the_same_tasks_and_results(make_world: MakeWorld) -> None:
    first = run_scenario(make_world, seed=5)
    assert first == run_scenario(make_world, seed=5)
    assert [state for _, state, _, _ in first] == ["completed"] * 3
    assert [task_id for task_id, *_ in run_scenario(make_world, seed=6)] != [
        task_id for task_id, *_ in first
    ]
