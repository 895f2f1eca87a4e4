"""CrowdFlower units through the HTTP API: list, create, show, update, delete, cancel,
ping, split, copy, more judgments and a unit's judgments (U1 to U11)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

KEY = "Un7vT2mXc9LpW4sZb8Nd"
OTHER_KEY = "Ot4kB6yQw1Ej5Ua3Fo0G"
PREFIX = "/crowdflower/v1"
STAMP = "2014-07-22T12:56:09+00:00"
FORM = {"content-type": "application/x-www-form-urlencoded"}
NOT_FOUND = {"error": {"message": "We couldn't find what you were looking for."}}
MISSING = {"error": {"message": "Your request is missing required parameters."}}
UNIT_KEYS = (
    "id job_id data state judgments_count agreement missed_count difficulty created_at "
    "updated_at results"
).split()


class CrowdFlower:
    def __init__(self, client: TestClient, key: str = KEY) -> None:
        self.client = client
        self.key = key

    def call(self, method: str, path: str, *, form: str | None = None, **kw: Any) -> httpx.Response:
        url = PREFIX + path + ("&" if "?" in path else "?") + "key=" + self.key
        if form is not None:
            kw.update(content=form.encode(), headers=FORM)
        return self.client.request(method, url, **kw)

    def send(self, method: str, path: str, **kw: Any) -> Callable[[], httpx.Response]:
        """A request to send later (to compare the state before and after it)."""
        return lambda: self.call(method, path, **kw)

    def new_job(self, body: str = "text\nhello world\nsecond row\n") -> int:
        response = self.call(
            "POST", "/jobs/upload", content=body.encode(), headers={"content-type": "text/csv"}
        )
        assert response.status_code == 200, response.text
        return int(response.json()["id"])

    def create(self, job_id: int, form: str) -> dict[str, Any]:
        response = self.call("POST", f"/jobs/{job_id}/units", form=form)
        assert response.status_code == 200, response.text
        unit: dict[str, Any] = response.json()
        return unit

    def ids(self, job_id: int) -> list[str]:
        return list(self.units(job_id))

    def units(self, job_id: int) -> dict[str, Any]:
        found: dict[str, Any] = {}
        page = 1
        while True:
            response = self.call("GET", f"/jobs/{job_id}/units?page={page}")
            assert response.status_code == 200, response.text
            if not response.json():
                return found
            found.update(response.json())
            page += 1

    def unit(self, job_id: int, unit_id: int | str) -> dict[str, Any]:
        response = self.call("GET", f"/jobs/{job_id}/units/{unit_id}")
        assert response.status_code == 200, response.text
        unit: dict[str, Any] = response.json()
        return unit

    def job(self, job_id: int) -> dict[str, Any]:
        job: dict[str, Any] = self.call("GET", f"/jobs/{job_id}").json()
        return job

    def snapshot(self, *job_ids: int) -> Any:
        return [
            (
                self.call("GET", f"/jobs/{j}/units/ping").json(),
                self.units(j),
                [self.unit(j, u)["state"] for u in self.units(j)],
            )
            for j in job_ids
        ]

    def refused(
        self, send: Callable[[], httpx.Response], status: int, body: Any, *job_ids: int
    ) -> httpx.Response:
        before = self.snapshot(*job_ids)
        response = send()
        assert response.status_code == status, response.text
        if body is not None:
            assert response.json() == body
        assert self.snapshot(*job_ids) == before
        return response


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(clock="manual", seed=1, epoch="2014-07-22T12:56:09Z", rate_limits=False)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def cf(client: TestClient) -> CrowdFlower:
    return CrowdFlower(client)


def register(client: TestClient, key: str, setup: dict[str, Any]) -> CrowdFlower:
    response = client.post(
        "/_mock/tenants", json={"vendor": "crowdflower", "credential": key, "setup": setup}
    )
    assert response.status_code == 201, response.text
    return CrowdFlower(client, key)


# -- U1: listing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", ".json"])
def test_units_are_listed_as_an_object_of_source_rows(cf: CrowdFlower, suffix: str) -> None:
    job_id = cf.new_job("text,n\na,1\nb,2\n")
    response = cf.call("GET", f"/jobs/{job_id}/units{suffix}")
    assert response.status_code == 200
    listed = response.json()
    assert list(listed.values()) == [{"text": "a", "n": "1"}, {"text": "b", "n": "2"}]
    first = int(next(iter(listed)))
    assert list(listed) == [str(first), str(first + 1)]


def test_units_are_paged_a_thousand_at_a_time_until_an_empty_object(cf: CrowdFlower) -> None:
    job_id = cf.new_job("n\n" + "".join(f"{i}\n" for i in range(1005)))
    pages = [cf.call("GET", f"/jobs/{job_id}/units?page={p}").json() for p in (1, 2, 3)]
    assert [len(p) for p in pages] == [1000, 5, 0]
    assert pages[2] == {}
    assert list(pages[1].values())[-1] == {"n": "1004"}
    default = cf.call("GET", f"/jobs/{job_id}/units").json()
    assert default == pages[0]
    assert len(cf.call("GET", f"/jobs/{job_id}/units?limit=5000").json()) == 1000


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("limit=2", ["0", "1"]),
        ("limit=2&page=2", ["2", "3"]),
        ("limit=2&page=3", ["4"]),
        ("limit=2&page=4", []),
        ("limit=0&page=1", ["0", "1", "2", "3", "4"]),
        ("limit=x&page=x", ["0", "1", "2", "3", "4"]),
        ("page=0", ["0", "1", "2", "3", "4"]),
    ],
)
def test_a_limit_chooses_the_page_size(cf: CrowdFlower, query: str, expected: list[str]) -> None:
    job_id = cf.new_job("n\n0\n1\n2\n3\n4\n")
    listed = cf.call("GET", f"/jobs/{job_id}/units?{query}").json()
    assert [row["n"] for row in listed.values()] == expected


def test_units_of_an_unknown_job_are_not_found(cf: CrowdFlower) -> None:
    response = cf.call("GET", "/jobs/12345/units")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_an_empty_job_lists_an_empty_object(cf: CrowdFlower) -> None:
    job_id = cf.call("POST", "/jobs", form="job[title]=Nothing+yet").json()["id"]
    assert cf.call("GET", f"/jobs/{job_id}/units").json() == {}


def test_another_account_cannot_see_the_units(client: TestClient, cf: CrowdFlower) -> None:
    job_id = cf.new_job()
    response = CrowdFlower(client, OTHER_KEY).call("GET", f"/jobs/{job_id}/units")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


# -- U2: creating ---------------------------------------------------------------------------------


def test_a_created_unit_answers_200_with_the_unit_object(cf: CrowdFlower) -> None:
    job_id = cf.new_job()
    unit = cf.create(job_id, "unit[data][text]=a+new+row&unit[data][n]=7")
    assert list(unit) == UNIT_KEYS
    assert unit["job_id"] == job_id
    assert (unit["data"], unit["state"], unit["results"]) == (
        {"text": "a new row", "n": "7"},
        "new",
        {},
    )
    assert (unit["judgments_count"], unit["missed_count"], unit["difficulty"]) == (0, 0, 0)
    assert (unit["agreement"], unit["created_at"], unit["updated_at"]) == (None, STAMP, STAMP)
    assert str(unit["id"]) == cf.ids(job_id)[-1]
    assert int(cf.ids(job_id)[-2]) + 1 == unit["id"]


@pytest.mark.parametrize(
    "send",
    [
        lambda cf, j: cf.call("POST", f"/jobs/{j}/units", json={"unit": {"data": {"text": "x"}}}),
        lambda cf, j: cf.call("POST", f"/jobs/{j}/units.json?unit[data][text]=x"),
        lambda cf, j: cf.call("POST", f"/jobs/{j}/units", form="unit[data][text]=x"),
        lambda cf, j: cf.call("POST", f"/jobs/{j}/units", form='unit[data]={"text":"x"}'),
        lambda cf, j: cf.client.post(
            f"{PREFIX}/jobs/{j}/units", content=f"key={KEY}&unit[data][text]=x", headers=FORM
        ),
    ],
    ids=["json-body", "query", "form", "json-string", "key-in-form"],
)
def test_every_way_of_sending_a_unit_makes_the_same_unit(
    cf: CrowdFlower, send: Callable[[CrowdFlower, int], httpx.Response]
) -> None:
    job_id = cf.new_job()
    response = send(cf, job_id)
    assert response.status_code == 200, response.text
    assert (response.json()["data"], response.json()["state"]) == ({"text": "x"}, "new")
    assert cf.call("GET", f"/jobs/{job_id}/units/ping").json() == {"count": 3, "done": True}


@pytest.mark.parametrize(
    "form",
    [
        "unit[data][tags][]=a&unit[data][tags][]=b",
        "unit[data][tags][0]=a&unit[data][tags][1]=b",
        "unit[data][tags][0]=a&unit[data][tags][0]=b",
    ],
)
def test_lists_in_unit_data_arrive_in_every_form(cf: CrowdFlower, form: str) -> None:
    unit = cf.create(cf.new_job(), form + "&unit[data][text]=t")
    assert unit["data"] == {"tags": ["a", "b"], "text": "t"}


@pytest.mark.parametrize(
    "form",
    ["unit[golden]=true", "unit[data][_golden]=true", "unit[state]=golden", "unit[golden]=True"],
)
def test_each_gold_form_makes_a_test_question(cf: CrowdFlower, form: str) -> None:
    job_id = cf.new_job()
    unit = cf.create(job_id, "unit[data][text]=gold&" + form)
    assert (unit["state"], unit["data"]) == ("golden", {"text": "gold"})
    job = cf.job(job_id)
    assert (job["units_count"], job["golds_count"]) == (3, 1)


def test_a_hidden_test_question_can_be_created(cf: CrowdFlower) -> None:
    unit = cf.create(cf.new_job(), "unit[data][text]=g&unit[state]=hidden_gold")
    assert unit["state"] == "hidden_gold"


@pytest.mark.parametrize(
    "form",
    [
        "unit[state]=new",
        "unit[data]=",
        "unit[data]=not+json",
        "unit[data]=[1,2]",
        "unit[data][_golden]=true",
        "unit=plain",
        "other=1",
        "",
    ],
)
def test_a_unit_without_data_is_missing_parameters(cf: CrowdFlower, form: str) -> None:
    job_id = cf.new_job()
    send = cf.send("POST", f"/jobs/{job_id}/units", form=form)
    cf.refused(send, 400, MISSING, job_id)


def test_empty_json_data_is_missing_parameters(cf: CrowdFlower) -> None:
    job_id = cf.new_job()
    body = {"unit": {"data": {}}}
    cf.refused(cf.send("POST", f"/jobs/{job_id}/units", json=body), 400, MISSING, job_id)


def test_a_strict_tenant_refuses_json_strings_as_recorded(client: TestClient) -> None:
    cf = register(client, "St7vT2mXc9LpW4sZb8Nd", {"unit_data_json": "strict"})
    job_id = cf.new_job()
    form = 'unit[data]={"column1":"name2"}'
    cf.refused(cf.send("POST", f"/jobs/{job_id}/units", form=form), 400, MISSING, job_id)
    assert cf.create(job_id, "unit[data][column1]=name2")["data"] == {"column1": "name2"}


def test_an_unknown_state_is_a_validation_error(cf: CrowdFlower) -> None:
    job_id = cf.new_job()
    form = "unit[data][text]=x&unit[state]=judging"
    expected = {"errors": ["State must be one of new, golden, finalized, canceled, hidden_gold"]}
    cf.refused(cf.send("POST", f"/jobs/{job_id}/units", form=form), 422, expected, job_id)


def test_units_past_the_limit_are_refused(client: TestClient) -> None:
    cf = register(client, "Lm7vT2mXc9LpW4sZb8Nd", {"unit_limit": 3})
    job_id = cf.new_job("text\na\nb\n")
    cf.create(job_id, "unit[data][text]=c")
    expected = {"error": {"message": "This job has reached its limit of 3 units."}}
    send = cf.send("POST", f"/jobs/{job_id}/units", form="unit[data][text]=d")
    cf.refused(send, 422, expected, job_id)


def test_a_unit_for_an_unknown_job_is_not_found(cf: CrowdFlower) -> None:
    response = cf.call("POST", "/jobs/999/units", form="unit[data][text]=x")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


# -- U3: showing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", ".json"])
def test_a_unit_shows_its_row_and_state(cf: CrowdFlower, suffix: str) -> None:
    job_id = cf.new_job("text,_golden\ng,true\n")
    unit_id = cf.ids(job_id)[0]
    response = cf.call("GET", f"/jobs/{job_id}/units/{unit_id}{suffix}")
    assert response.status_code == 200
    unit = response.json()
    assert list(unit) == UNIT_KEYS
    assert (unit["id"], unit["data"], unit["state"]) == (int(unit_id), {"text": "g"}, "golden")


@pytest.mark.parametrize("unit_id", ["1", "abc", "ping2"])
def test_an_unknown_unit_is_not_found(cf: CrowdFlower, unit_id: str) -> None:
    job_id = cf.new_job()
    for method in ("GET", "PUT", "DELETE"):
        response = cf.call(method, f"/jobs/{job_id}/units/{unit_id}", form="unit[state]=new")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_a_unit_is_found_only_under_its_own_job(cf: CrowdFlower) -> None:
    first, second = cf.new_job(), cf.new_job()
    unit_id = cf.ids(first)[0]
    response = cf.call("GET", f"/jobs/{second}/units/{unit_id}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


# -- U4: updating ---------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["new", "golden", "finalized", "canceled", "hidden_gold"])
def test_every_settable_state_can_be_set(cf: CrowdFlower, state: str) -> None:
    job_id = cf.new_job()
    unit_id = cf.ids(job_id)[0]
    response = cf.call("PUT", f"/jobs/{job_id}/units/{unit_id}", form=f"unit[state]={state}")
    assert response.status_code == 200
    assert response.json()["state"] == state
    assert cf.unit(job_id, unit_id)["state"] == state


def test_an_update_merges_data_and_moves_the_time(client: TestClient, cf: CrowdFlower) -> None:
    job_id = cf.new_job("text,lang\nhello,en\n")
    unit_id = cf.ids(job_id)[0]
    advanced = client.post(
        "/_mock/clock/advance", json={"seconds": 90, "tenant": f"crowdflower:{KEY}"}
    )
    assert advanced.status_code == 200, advanced.text
    response = cf.client.put(
        f"{PREFIX}/jobs/{job_id}/units/{unit_id}.json",
        content=f"key={KEY}&unit[data][lang]=fr&unit[data][url]=u",
        headers=FORM,
    )
    assert response.status_code == 200, response.text
    unit = response.json()
    assert unit["data"] == {"text": "hello", "lang": "fr", "url": "u"}
    assert (unit["created_at"], unit["updated_at"]) == (STAMP, "2014-07-22T12:57:39+00:00")
    assert cf.units(job_id)[unit_id] == unit["data"]


def test_gold_can_be_given_and_taken_back(cf: CrowdFlower) -> None:
    job_id = cf.new_job()
    unit_id = cf.ids(job_id)[0]
    path = f"/jobs/{job_id}/units/{unit_id}"
    assert cf.call("PUT", path, form="unit[golden]=true").json()["state"] == "golden"
    assert cf.job(job_id)["golds_count"] == 1
    assert cf.call("PUT", path, form="unit[golden]=false").json()["state"] == "new"
    assert cf.call("PUT", path, json={"unit": {"data": {"_golden": "true"}}}).json()["state"] == (
        "golden"
    )
    assert cf.call("PUT", path, form="unit[state]=new").json()["state"] == "new"
    assert cf.unit(job_id, unit_id)["data"] == {"text": "hello world"}
    assert cf.job(job_id)["golds_count"] == 0


@pytest.mark.parametrize(
    ("form", "status", "body"),
    [
        (
            "unit[state]=judged&unit[data][text]=changed",
            422,
            {"errors": ["State must be one of new, golden, finalized, canceled, hidden_gold"]},
        ),
        ("", 400, MISSING),
        ("unit[data]=oops", 400, MISSING),
    ],
)
def test_a_refused_update_changes_nothing(
    cf: CrowdFlower, form: str, status: int, body: Any
) -> None:
    job_id = cf.new_job()
    path = f"/jobs/{job_id}/units/{cf.ids(job_id)[0]}"
    cf.refused(cf.send("PUT", path, form=form), status, body, job_id)


# -- U5: deleting ----------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", ".json"])
def test_a_deleted_unit_is_gone(cf: CrowdFlower, suffix: str) -> None:
    job_id = cf.new_job()
    unit_id, kept = cf.ids(job_id)
    response = cf.call("DELETE", f"/jobs/{job_id}/units/{unit_id}{suffix}")
    assert response.status_code == 200
    assert response.json() == {"message": {"success": f"Unit {unit_id} has been deleted."}}
    assert cf.ids(job_id) == [kept]
    assert cf.call("GET", f"/jobs/{job_id}/units/ping").json()["count"] == 1
    assert cf.call("GET", f"/jobs/{job_id}/units/{unit_id}").status_code == 404


# -- U6: canceling --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "PUT", "GET"])
@pytest.mark.parametrize("suffix", ["", ".json"])
def test_a_new_unit_is_canceled_with_a_flat_message(
    cf: CrowdFlower, method: str, suffix: str
) -> None:
    job_id = cf.new_job()
    unit_id = cf.ids(job_id)[0]
    response = cf.call(method, f"/jobs/{job_id}/units/{unit_id}/cancel{suffix}")
    assert (response.status_code, response.json()) == (
        200,
        {"success": f"Unit {unit_id} has been canceled."},
    )
    assert cf.unit(job_id, unit_id)["state"] == "canceled"


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ("unit[state]=canceled", "Unit {uid} has already been canceled."),
        (
            "unit[state]=golden",
            "Unit {uid} can't be canceled: only new or judgable units without judgments can be.",
        ),
        (
            "unit[state]=finalized",
            "Unit {uid} can't be canceled: only new or judgable units without judgments can be.",
        ),
    ],
)
def test_other_units_refuse_to_cancel_with_200(cf: CrowdFlower, form: str, error: str) -> None:
    job_id = cf.new_job()
    unit_id = cf.ids(job_id)[0]
    cf.call("PUT", f"/jobs/{job_id}/units/{unit_id}", form=form)
    send = cf.send("POST", f"/jobs/{job_id}/units/{unit_id}/cancel")
    cf.refused(send, 200, {"error": error.format(uid=unit_id)}, job_id)


def test_a_strict_tenant_refuses_cancels_with_422(client: TestClient) -> None:
    cf = register(client, "Sx7vT2mXc9LpW4sZb8Nd", {"state_errors": "422"})
    job_id = cf.new_job()
    unit_id = cf.ids(job_id)[0]
    cf.call("PUT", f"/jobs/{job_id}/units/{unit_id}", form="unit[state]=golden")
    send = cf.send("PUT", f"/jobs/{job_id}/units/{unit_id}/cancel")
    response = cf.refused(send, 422, None, job_id)
    assert "can't be canceled" in response.json()["error"]["message"]


# -- U7: ping --------------------------------------------------------------------------------------


def test_ping_counts_every_row(cf: CrowdFlower) -> None:
    job_id = cf.new_job("text,_golden\na,\nb,true\n")

    def ping() -> Any:
        return cf.call("GET", f"/jobs/{job_id}/units/ping.json").json()

    assert ping() == {"count": 2, "done": True}
    cf.create(job_id, "unit[data][text]=c")
    cf.call(
        "PUT",
        f"/jobs/{job_id}/upload",
        content=b"text\nd\ne\n",
        headers={"content-type": "text/csv"},
    )
    assert ping() == {"count": 5, "done": True}
    cf.call("DELETE", f"/jobs/{job_id}/units/{cf.ids(job_id)[0]}")
    assert ping() == {"count": 4, "done": True}


def test_ping_of_an_unknown_job_is_not_found(cf: CrowdFlower) -> None:
    response = cf.call("GET", "/jobs/77/units/ping")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


# -- U8: splitting --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "PUT", "POST"])
def test_split_makes_a_unit_of_every_piece(cf: CrowdFlower, method: str) -> None:
    job_id = cf.new_job("text,n\nred green,1\nblue,2\n")
    response = cf.call(method, f"/jobs/{job_id}/units/split.json?on=text")
    assert response.status_code == 200, response.text
    assert (response.json()["id"], response.json()["units_count"]) == (job_id, 3)
    assert list(cf.units(job_id).values()) == [
        {"text": "red", "n": "1"},
        {"text": "blue", "n": "2"},
        {"text": "green", "n": "1"},
    ]


def test_split_takes_a_separator_and_leaves_gold_alone(cf: CrowdFlower) -> None:
    job_id = cf.new_job('tags,_golden\n"a, b,c",\n"x,y",true\n')
    response = cf.call("PUT", f"/jobs/{job_id}/units/split", form="on=tags&with=,")
    assert response.status_code == 200, response.text
    assert [row["tags"] for row in cf.units(job_id).values()] == ["a", "x,y", "b", "c"]


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ("", 400, MISSING),
        ("on=", 400, MISSING),
    ],
)
def test_a_refused_split_changes_nothing(
    cf: CrowdFlower, query: str, status: int, body: Any
) -> None:
    job_id = cf.new_job("text\na b\n")
    send = cf.send("GET", f"/jobs/{job_id}/units/split?{query}")
    cf.refused(send, status, body, job_id)


def test_a_split_on_a_column_the_rows_lack_splits_nothing(cf: CrowdFlower) -> None:
    job_id = cf.new_job("text\na b\n")
    response = cf.call("GET", f"/jobs/{job_id}/units/split?on=colour")
    assert response.status_code == 200, response.text
    assert list(cf.units(job_id).values()) == [{"text": "a b"}]


def test_a_split_past_the_limit_changes_nothing(client: TestClient) -> None:
    cf = register(client, "Sp7vT2mXc9LpW4sZb8Nd", {"unit_limit": 2})
    job_id = cf.new_job("text\na b c\n")
    expected = {"error": {"message": "This job has reached its limit of 2 units."}}
    cf.refused(cf.send("GET", f"/jobs/{job_id}/units/split?on=text"), 422, expected, job_id)


# -- U9: copying ----------------------------------------------------------------------------------


def test_a_unit_is_copied_into_its_own_job_by_default(cf: CrowdFlower) -> None:
    job_id = cf.new_job()
    unit_id = cf.ids(job_id)[0]
    response = cf.call("GET", f"/jobs/{job_id}/units/{unit_id}/copy")
    assert response.status_code == 200, response.text
    copy = response.json()
    assert (copy["job_id"], copy["data"], copy["state"]) == (job_id, {"text": "hello world"}, "new")
    assert cf.ids(job_id)[-1] == str(copy["id"])
    assert copy["id"] != int(unit_id)


def test_a_unit_is_copied_into_another_job_with_overrides(cf: CrowdFlower) -> None:
    source, target = cf.new_job("text,_golden\ngold row,true\n"), cf.new_job()
    unit_id = cf.ids(source)[0]
    query = f"unit[job_id]={target}&unit[data][text]=changed"
    response = cf.call("GET", f"/jobs/{source}/units/{unit_id}/copy.json?{query}")
    assert response.status_code == 200, response.text
    copy = response.json()
    assert (copy["job_id"], copy["data"], copy["state"]) == (target, {"text": "changed"}, "golden")
    assert cf.call("GET", f"/jobs/{target}/units/ping").json()["count"] == 3
    assert cf.units(source) == {unit_id: {"text": "gold row"}}
    assert cf.job(target)["golds_count"] == 1
    again = cf.call(
        "POST", f"/jobs/{source}/units/{unit_id}/copy", json={"unit": {"job_id": target}}
    )
    assert (again.status_code, again.json()["job_id"]) == (200, target)
    assert again.json()["data"] == {"text": "gold row"}


def test_a_copy_into_a_job_of_another_account_is_not_found(
    client: TestClient, cf: CrowdFlower
) -> None:
    theirs = CrowdFlower(client, OTHER_KEY).new_job()
    job_id = cf.new_job()
    unit_id = cf.ids(job_id)[0]
    send = cf.send("GET", f"/jobs/{job_id}/units/{unit_id}/copy?unit[job_id]={theirs}")
    cf.refused(send, 404, NOT_FOUND, job_id)
    assert CrowdFlower(client, OTHER_KEY).call("GET", f"/jobs/{theirs}/units/ping").json() == {
        "count": 2,
        "done": True,
    }


def test_a_copy_past_the_limit_is_refused(client: TestClient) -> None:
    cf = register(client, "Cp7vT2mXc9LpW4sZb8Nd", {"unit_limit": 2})
    job_id = cf.new_job()
    unit_id = cf.ids(job_id)[0]
    expected = {"error": {"message": "This job has reached its limit of 2 units."}}
    send = cf.send("GET", f"/jobs/{job_id}/units/{unit_id}/copy")
    cf.refused(send, 422, expected, job_id)


# -- U10 and U11: more judgments, and a unit's judgments ------------------------------------------


def test_more_judgments_answer_the_unit(cf: CrowdFlower) -> None:
    job_id = cf.new_job()
    unit_id = cf.ids(job_id)[0]
    path = f"/jobs/{job_id}/units/{unit_id}/request_more_judgments.json?nb_judgments=2"
    response = cf.call("POST", path)
    assert response.status_code == 200, response.text
    assert (response.json()["id"], list(response.json())) == (int(unit_id), UNIT_KEYS)


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ("nb_judgments=0", 422, {"errors": ["Nb judgments must be a positive integer"]}),
        ("nb_judgments=many", 422, {"errors": ["Nb judgments must be a positive integer"]}),
    ],
)
def test_more_judgments_need_a_positive_count(
    cf: CrowdFlower, query: str, status: int, body: Any
) -> None:
    job_id = cf.new_job()
    path = f"/jobs/{job_id}/units/{cf.ids(job_id)[0]}/request_more_judgments?{query}"
    cf.refused(cf.send("POST", path), status, body, job_id)


def test_more_judgments_default_to_one_and_a_canceled_unit_stays_canceled(
    cf: CrowdFlower,
) -> None:
    job_id = cf.new_job()
    unit_id = cf.ids(job_id)[0]
    more = cf.call("POST", f"/jobs/{job_id}/units/{unit_id}/request_more_judgments")
    assert more.status_code == 200, more.text
    cf.call("POST", f"/jobs/{job_id}/units/{unit_id}/cancel")
    path = f"/jobs/{job_id}/units/{unit_id}/request_more_judgments?nb_judgments=1"
    response = cf.call("POST", path)
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "canceled"


@pytest.mark.parametrize("suffix", ["", ".json"])
def test_a_unit_without_judgments_lists_none(cf: CrowdFlower, suffix: str) -> None:
    job_id = cf.new_job()
    unit_id = cf.ids(job_id)[0]
    response = cf.call("GET", f"/jobs/{job_id}/units/{unit_id}/judgments{suffix}")
    assert (response.status_code, response.json()) == (200, [])
    missing = cf.call("GET", f"/jobs/{job_id}/units/{int(unit_id) + 99}/judgments")
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)


def test_a_unit_url_takes_no_post(cf: CrowdFlower) -> None:
    job_id = cf.new_job()
    response = cf.call("POST", f"/jobs/{job_id}/units/{cf.ids(job_id)[0]}")
    assert response.status_code == 405
