"""CrowdFlower's jobs through the HTTP API: create, list, show, update, copy, delete,
state actions, channels, tags, the account, keys, routing and the rate limit."""

from __future__ import annotations

import time as real_time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core import clock as clock_module
from mockserver.settings import Settings

KEY = "Rq7vT2mXc9LpW4sZb8Nd"
OTHER_KEY = "Hn4kB6yQw1Ej5Ua3Fo0G"
EPOCH_STAMP = "2014-07-22T12:56:09+00:00"
REFUSED_KEY = {"error": {"message": "Authorization failed, check your key."}}
NOT_FOUND = {"error": {"message": "We couldn't find what you were looking for."}}
FORM = {"content-type": "application/x-www-form-urlencoded"}
BASE_SETTINGS: dict[str, Any] = {
    "clock": "manual",
    "seed": 1,
    "epoch": "2014-07-22T12:56:09Z",
    "rate_limits": False,
}


@contextmanager
def serve(**changes: Any) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(**{**BASE_SETTINGS, **changes}))) as client:
        yield client


class CrowdFlower:
    """CrowdFlower's v1 API on the sandbox, spoken with one key."""

    def __init__(self, client: TestClient, key: str = KEY, prefix: str = "/crowdflower/v1"):
        self.client = client
        self.key = key
        self.prefix = prefix

    def call(
        self,
        method: str,
        path: str,
        *,
        key: str | None = None,
        anonymous: bool = False,
        **kwargs: Any,
    ) -> httpx.Response:
        url = self.prefix + path
        if not anonymous:
            url += ("&" if "?" in path else "?") + "key=" + (self.key if key is None else key)
        return self.client.request(method, url, **kwargs)

    def create(self, **attributes: Any) -> dict[str, Any]:
        data = {f"job[{name}]": value for name, value in attributes.items()}
        response = self.call("POST", "/jobs", data=data)
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        return job

    def job(self, ref: int | str) -> dict[str, Any]:
        response = self.call("GET", f"/jobs/{ref}")
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        return job

    def update(self, ref: int | str, query: str) -> httpx.Response:
        """``PUT /jobs/{ref}`` with a form body (``job[a]=1&job[b][]=x``, as typed)."""
        return self.call("PUT", f"/jobs/{ref}", content=query.encode(), headers=FORM)

    def ids(self, query: str = "") -> list[int]:
        response = self.call("GET", "/jobs" + query)
        assert response.status_code == 200, response.text
        return [job["id"] for job in response.json()]

    def advance(self, seconds: float) -> None:
        tenant = f"crowdflower:{self.key}"
        response = self.client.post(
            "/_mock/clock/advance", json={"seconds": seconds, "tenant": tenant}
        )
        assert response.status_code == 200, response.text


@pytest.fixture
def client() -> Iterator[TestClient]:
    with serve() as test_client:
        yield test_client


@pytest.fixture
def cf(client: TestClient) -> CrowdFlower:
    return CrowdFlower(client)


def register(client: TestClient, key: str, setup: dict[str, Any]) -> None:
    body = {"vendor": "crowdflower", "credential": key, "setup": setup}
    response = client.post("/_mock/tenants", json=body)
    assert response.status_code == 201, response.text


# -- listing -------------------------------------------------------------------------------


def test_jobs_are_listed_newest_first_ten_a_page_and_empty_past_the_end(cf: CrowdFlower) -> None:
    made = [cf.create(title=f"Job number {n}")["id"] for n in range(12)]

    assert cf.ids() == made[::-1][:10]
    assert cf.ids("?page=1") == made[::-1][:10]
    assert cf.ids("?page=2") == made[1::-1]
    assert cf.ids("?page=3") == []
    assert cf.ids("?page=40") == []


def test_a_new_account_lists_no_jobs(cf: CrowdFlower) -> None:
    response = cf.call("GET", "/jobs")

    assert response.status_code == 200
    assert response.json() == []


def test_the_list_filters_by_state(cf: CrowdFlower) -> None:
    made = [cf.create()["id"] for _ in range(3)]

    assert cf.ids("?state=unordered") == made[::-1]
    assert cf.ids("?state=running") == []


def test_the_list_filters_by_tags_every_tag_required(cf: CrowdFlower) -> None:
    both, only_a, neither = (cf.create()["id"] for _ in range(3))
    assert cf.call("POST", f"/jobs/{both}/tags?tags=alpha,beta").status_code == 200
    assert cf.call("POST", f"/jobs/{only_a}/tags?tags=alpha").status_code == 200

    assert cf.ids("?tags=alpha") == [only_a, both]
    assert cf.ids("?tags=alpha,beta") == [both]
    assert cf.ids("?tags[]=beta&tags[]=alpha") == [both]
    assert cf.ids("?tags=gamma") == []
    assert neither in cf.ids()


# -- creating --------------------------------------------------------------------------------


def test_a_job_is_created_from_query_parameters_with_an_empty_body(cf: CrowdFlower) -> None:
    response = cf.call(
        "POST", "/jobs?job[title]=From+the+query&job[judgments_per_unit]=5", content=b""
    )

    assert response.status_code == 200
    job = response.json()
    assert (job["title"], job["judgments_per_unit"]) == ("From the query", 5)
    assert job["state"] == "unordered"
    assert job["created_at"] == job["updated_at"] == EPOCH_STAMP
    assert cf.job(job["id"]) == job


def test_a_job_is_created_from_a_form_body(cf: CrowdFlower) -> None:
    job = cf.create(title="From a form", instructions="Read carefully", payment_cents="25")

    assert (job["title"], job["instructions"], job["payment_cents"]) == (
        "From a form",
        "Read carefully",
        25,
    )


def test_a_job_is_created_from_a_json_body(cf: CrowdFlower) -> None:
    body = {
        "job": {
            "title": "From a JSON body",
            "judgments_per_unit": 4,
            "auto_order": True,
            "included_countries": ["US", "CA"],
            "options": {"req_ttl_in_seconds": 1800},
        }
    }

    response = cf.call("POST", "/jobs", json=body)

    assert response.status_code == 200
    job = response.json()
    assert job["title"] == "From a JSON body"
    assert job["judgments_per_unit"] == 4
    assert job["auto_order"] is True
    assert job["included_countries"] == ["US", "CA"]
    assert job["options"]["req_ttl_in_seconds"] == 1800
    assert job["options"]["after_gold"] == 10


def test_each_new_job_has_its_own_id_and_secret(cf: CrowdFlower) -> None:
    first, second = cf.create(), cf.create()

    assert first["id"] != second["id"]
    assert first["secret"] != second["secret"]
    assert len(first["secret"]) == len(second["secret"]) == 44


def test_a_refused_create_makes_no_job(cf: CrowdFlower) -> None:
    response = cf.call("POST", "/jobs", data={"job[title]": "Abc"})

    assert response.status_code == 422
    assert response.json() == {"errors": ["Title is too short (minimum is 5 characters)"]}
    assert cf.ids() == []


# -- keys ------------------------------------------------------------------------------------


def test_the_key_may_ride_in_the_form_body(cf: CrowdFlower) -> None:
    response = cf.call(
        "POST", "/jobs", anonymous=True, data={"key": KEY, "job[title]": "Keyed in the body"}
    )

    assert response.status_code == 200
    assert cf.ids() == [response.json()["id"]]


@pytest.mark.parametrize("header", [f"Token token={KEY}", f'Token token="{KEY}"'])
def test_the_key_may_ride_in_a_token_header(cf: CrowdFlower, header: str) -> None:
    response = cf.call("POST", "/jobs", anonymous=True, headers={"Authorization": header})

    assert response.status_code == 200
    assert cf.ids() == [response.json()["id"]]


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/jobs", {}),
        ("/jobs?key=", {}),
        ("/jobs?key=%20%20", {}),
        ("/jobs", {"Authorization": f"Bearer {KEY}"}),
        ("/jobs", {"Authorization": "Token token="}),
    ],
)
def test_a_missing_or_empty_key_is_refused_with_401(
    cf: CrowdFlower, path: str, headers: dict[str, str]
) -> None:
    response = cf.call("GET", path, anonymous=True, headers=headers)

    assert response.status_code == 401
    assert response.json() == REFUSED_KEY


def test_a_request_without_a_key_changes_nothing(cf: CrowdFlower) -> None:
    response = cf.call("POST", "/jobs", anonymous=True, data={"job[title]": "Nobody's job"})

    assert response.status_code == 401
    assert cf.ids() == []


def test_strict_mode_refuses_an_unregistered_key_and_serves_a_registered_one() -> None:
    with serve(strict_auth=True) as client:
        cf = CrowdFlower(client)
        refused = cf.call("GET", "/jobs")
        assert (refused.status_code, refused.json()) == (401, REFUSED_KEY)

        register(client, KEY, {})

        assert cf.call("GET", "/jobs").status_code == 200
        other = cf.call("GET", "/jobs", key=OTHER_KEY)
        assert (other.status_code, other.json()) == (401, REFUSED_KEY)


def test_two_keys_are_two_separate_accounts(cf: CrowdFlower) -> None:
    other = CrowdFlower(cf.client, OTHER_KEY)
    mine = cf.create(title="Only mine", alias="shared-alias")

    assert other.ids() == []
    assert other.call("GET", f"/jobs/{mine['id']}").json() == NOT_FOUND
    assert other.call("GET", "/jobs/shared-alias").status_code == 404
    assert other.call("DELETE", f"/jobs/{mine['id']}").status_code == 404
    assert other.update(mine["id"], "job[title]=Taken+over").status_code == 404
    theirs = other.create(title="Only theirs")
    assert cf.ids() == [mine["id"]]
    assert other.ids() == [theirs["id"]]
    assert cf.job(mine["id"])["title"] == "Only mine"


# -- showing ----------------------------------------------------------------------------------


def test_a_job_is_shown_by_its_alias(cf: CrowdFlower) -> None:
    job = cf.create(title="Aliased job", alias="my-first-job")

    assert cf.job("my-first-job") == job
    assert cf.call("GET", "/jobs/my-first-job/ping").status_code == 200
    assert cf.call("GET", "/jobs/no-such-alias").json() == NOT_FOUND


def test_an_alias_follows_an_update(cf: CrowdFlower) -> None:
    job = cf.create(alias="before")

    assert cf.update(job["id"], "job[alias]=after").status_code == 200

    assert cf.job("after")["id"] == job["id"]
    assert cf.call("GET", "/jobs/before").status_code == 404


# -- updating ---------------------------------------------------------------------------------


def test_an_update_reads_text_integer_and_number_attributes(cf: CrowdFlower) -> None:
    job = cf.create(max_judgments_per_worker="9")
    cf.advance(60)

    response = cf.update(
        job["id"],
        "job[title]=A+new+title&job[instructions]=Do+it+well&job[judgments_per_unit]=7"
        "&job[payment_cents]=0&job[max_judgments_per_worker]=&job[min_unit_confidence]=0.7"
        "&job[webhook_uri]=https%3A%2F%2Fexample.com%2Fhook",
    )

    assert response.status_code == 200
    updated = response.json()
    assert updated["title"] == "A new title"
    assert updated["instructions"] == "Do it well"
    assert updated["judgments_per_unit"] == 7
    assert updated["payment_cents"] == 0
    assert updated["max_judgments_per_worker"] is None
    assert updated["min_unit_confidence"] == 0.7
    assert updated["webhook_uri"] == "https://example.com/hook"
    assert updated["created_at"] == EPOCH_STAMP
    assert updated["updated_at"] == "2014-07-22T12:57:09+00:00"
    assert cf.job(job["id"]) == updated


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("auto_order", "True", True),
        ("auto_order", "true", True),
        ("public_data", "1", True),
        ("require_worker_login", "false", False),
        ("send_judgments_webhook", "FALSE", False),
        ("units_remain_finalized", "0", False),
        ("require_worker_login", "", None),
    ],
)
def test_an_update_reads_booleans_as_clients_send_them(
    cf: CrowdFlower, name: str, raw: str, value: bool | None
) -> None:
    job = cf.create()

    response = cf.update(job["id"], f"job[{name}]={raw}")

    assert response.status_code == 200
    assert response.json()[name] is value
    assert cf.job(job["id"])[name] is value


@pytest.mark.parametrize(
    "query",
    [
        "job[included_countries][]=US&job[included_countries][]=gb",
        "job[included_countries][0]=US&job[included_countries][1]=GB",
        "job[included_countries][1]=GB&job[included_countries][0]=US",
        "job[included_countries]=US&job[included_countries]=GB",
        "job[included_countries]=US,GB",
    ],
)
def test_an_update_reads_lists_every_way_clients_send_them(cf: CrowdFlower, query: str) -> None:
    job = cf.create()

    response = cf.update(job["id"], query)

    assert response.status_code == 200
    assert response.json()["included_countries"] == ["US", "GB"]
    assert response.json()["excluded_countries"] == []


def test_an_update_can_swap_included_for_excluded_countries(cf: CrowdFlower) -> None:
    job = cf.create()
    assert cf.update(job["id"], "job[included_countries][]=US").status_code == 200

    response = cf.update(
        job["id"],
        "job[included_countries]=&job[excluded_countries][0]=DE&job[excluded_countries][1]=FR",
    )

    assert response.status_code == 200
    assert (response.json()["included_countries"], response.json()["excluded_countries"]) == (
        [],
        ["DE", "FR"],
    )


def test_an_update_merges_options_into_the_current_ones(cf: CrowdFlower) -> None:
    job = cf.create()

    response = cf.update(job["id"], "job[options][req_ttl_in_seconds]=600")
    response = cf.update(job["id"], "job[options][reject_at]=2")

    assert response.status_code == 200
    options = cf.job(job["id"])["options"]
    assert list(options) == [
        "logical_aggregation",
        "track_clones",
        "front_load",
        "after_gold",
        "req_ttl_in_seconds",
        "reject_at",
    ]
    assert (options["logical_aggregation"], options["after_gold"]) == (True, 10)


def test_options_sent_as_form_values_keep_their_json_types(cf: CrowdFlower) -> None:
    job = cf.create()

    response = cf.update(
        job["id"],
        "job[options][after_gold]=5&job[options][front_load]=true"
        "&job[options][req_ttl_in_seconds]=600",
    )

    options = response.json()["options"]
    assert options["after_gold"] == 5
    assert options["front_load"] is True
    assert options["req_ttl_in_seconds"] == 600


def test_a_json_update_replaces_the_minimum_requirements(cf: CrowdFlower) -> None:
    job = cf.create()
    wanted = {"priority": 2, "skill_scores": {"level_2_contributors": 1}, "min_score": 1}

    response = cf.call("PUT", f"/jobs/{job['id']}", json={"job": {"minimum_requirements": wanted}})

    assert response.status_code == 200
    assert cf.job(job["id"])["minimum_requirements"] == wanted


def test_the_misspelt_auto_order_timout_sets_auto_order_timeout(cf: CrowdFlower) -> None:
    job = cf.create()

    response = cf.update(job["id"], "job[auto_order_timout]=300")

    assert response.status_code == 200
    assert response.json()["auto_order_timeout"] == 300
    assert "auto_order_timout" not in response.json()


def test_unknown_and_read_only_attributes_are_ignored(cf: CrowdFlower) -> None:
    job = cf.create(title="Stays the same")

    response = cf.update(
        job["id"],
        "job[bogus]=1&job[id]=1&job[state]=running&job[units_count]=5&job[secret]=x"
        "&job[created_at]=2001-01-01&job[completed]=true",
    )

    assert response.status_code == 200
    assert response.json() == job
    assert "bogus" not in response.json()
    assert cf.ids() == [job["id"]]


def test_an_update_without_job_parameters_changes_no_attribute(cf: CrowdFlower) -> None:
    job = cf.create(title="Nothing to change")

    response = cf.call("PUT", f"/jobs/{job['id']}")

    assert response.status_code == 200
    assert response.json() == job


def test_an_update_of_an_unknown_job_is_404(cf: CrowdFlower) -> None:
    response = cf.update(99999999, "job[title]=Nobody+home")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("job[title]=Abcd", ["Title is too short (minimum is 5 characters)"]),
        ("job[title]=" + "x" * 256, ["Title is too long (maximum is 255 characters)"]),
        ("job[judgments_per_unit]=three", ["Judgments per unit must be an integer"]),
        ("job[judgments_per_unit]=2.5", ["Judgments per unit must be an integer"]),
        ("job[judgments_per_unit]=0", ["Judgments per unit must be greater than 0"]),
        ("job[units_per_assignment]=-1", ["Units per assignment must be greater than 0"]),
        (
            "job[payment_cents]=-5",
            ["Payment cents must be greater than or equal to 0"],
        ),
        (
            "job[included_countries][]=U5A",
            ["Included countries must be a list of ISO 3166 country codes"],
        ),
        (
            "job[excluded_countries][]=1",
            ["Excluded countries must be a list of ISO 3166 country codes"],
        ),
        (
            "&".join(f"job[included_countries][]={a}{b}" for a in "ABC" for b in "ABCDEFG"),
            ["Included countries can hold at most 20"],
        ),
        (
            "&".join(f"job[excluded_countries][]={a}{b}" for a in "AB" for b in "ABCDEFGH"),
            ["Excluded countries can hold at most 15"],
        ),
        (
            "job[included_countries][]=US&job[excluded_countries][]=DE",
            ["Included countries and excluded countries cannot both be set"],
        ),
        (
            "job[variable_judgments_mode]=sometimes",
            ["Variable judgments mode must be one of none, auto_confidence, external"],
        ),
        (
            "job[title]=Abc&job[judgments_per_unit]=x",
            [
                "Judgments per unit must be an integer",
                "Title is too short (minimum is 5 characters)",
            ],
        ),
    ],
)
def test_an_invalid_update_is_422_naming_the_attribute_and_changes_nothing(
    cf: CrowdFlower, query: str, errors: list[str]
) -> None:
    job = cf.create(title="The original title", judgments_per_unit="3")
    cf.advance(60)

    # A valid change rides along with each invalid one: it must not stick either.
    extra = "&job[instructions]=Should+not+stick" if query.startswith("job[") else ""
    response = cf.update(job["id"], query + extra)

    assert response.status_code == 422
    assert response.json() == {"errors": errors}
    assert cf.job(job["id"]) == job


def test_a_job_given_flat_or_as_one_json_string_is_read_leniently(cf: CrowdFlower) -> None:
    job = cf.create(title="The original title")

    flat = cf.update(job["id"], "job=flat")
    assert flat.status_code == 200, flat.text
    assert flat.json()["title"] == "The original title"

    as_json = cf.update(job["id"], 'job={"title":"Sent as one JSON string"}')
    assert as_json.status_code == 200, as_json.text
    assert cf.job(job["id"])["title"] == "Sent as one JSON string"


def test_country_codes_of_two_or_three_letters_are_accepted(cf: CrowdFlower) -> None:
    job = cf.create()

    response = cf.update(job["id"], "job[included_countries][]=us&job[included_countries][]=DEU")

    assert response.status_code == 200, response.text
    assert response.json()["included_countries"] == ["US", "DEU"]


def test_twenty_included_countries_are_accepted(cf: CrowdFlower) -> None:
    job = cf.create()
    codes = [f"{a}{b}" for a in "ABCD" for b in "ABCDE"]

    response = cf.update(job["id"], "&".join(f"job[included_countries][]={c}" for c in codes))

    assert response.status_code == 200
    assert response.json()["included_countries"] == codes


def test_a_boolean_that_is_neither_true_nor_false_is_422(cf: CrowdFlower) -> None:
    job = cf.create()

    response = cf.update(job["id"], "job[auto_order]=maybe")

    assert response.status_code == 422
    assert response.json() == {"errors": ["Auto order must be true or false"]}


# -- paths ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/jobs/{id}",
        "/jobs/{id}.json",
        "/jobs/{id}/",
        "/jobs/{id}.json/",
    ],
)
def test_a_job_is_shown_with_or_without_json_and_a_trailing_slash(
    cf: CrowdFlower, path: str
) -> None:
    job = cf.create(title="Many addresses")

    response = cf.call("GET", path.format(id=job["id"]))

    assert response.status_code == 200
    assert response.json() == job


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/jobs.json"),
        ("GET", "/jobs/"),
        ("GET", "/jobs.json/"),
        ("GET", "/jobs.json/?page=1"),
        ("GET", "/jobs/{id}.json/ping.json"),
        ("GET", "/jobs/{id}/ping/"),
        ("GET", "/jobs/{id}.json/channels"),
        ("GET", "/jobs/{id}/tags.json"),
        ("GET", "/jobs/{id}/copy.json/"),
        ("PUT", "/jobs/{id}/pause.json"),
        ("GET", "/account.json"),
        ("GET", "/account/"),
    ],
)
def test_json_suffixes_and_trailing_slashes_are_accepted_anywhere(
    cf: CrowdFlower, method: str, path: str
) -> None:
    job = cf.create()

    response = cf.call(method, path.format(id=job["id"]))

    assert response.status_code == 200, response.text


def test_a_job_is_created_at_jobs_json(cf: CrowdFlower) -> None:
    response = cf.call("POST", "/jobs.json", data={"job[title]": "Created with .json"})

    assert response.status_code == 200
    assert cf.job(response.json()["id"])["title"] == "Created with .json"


@pytest.mark.parametrize("path", ["/no_such_resource", "/jobs/1/no_such_action/2", "/v2"])
def test_an_unknown_route_is_the_recorded_404(cf: CrowdFlower, path: str) -> None:
    response = cf.call("GET", path)

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_an_unknown_route_without_a_key_is_refused_first(cf: CrowdFlower) -> None:
    response = cf.call("GET", "/no_such_resource", anonymous=True)

    assert (response.status_code, response.json()) == (401, REFUSED_KEY)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PATCH", "/jobs/{id}", {"GET", "PUT", "POST", "DELETE"}),
        ("DELETE", "/jobs", {"GET", "POST"}),
        ("DELETE", "/jobs/{id}/ping", {"GET"}),
        ("POST", "/account", {"GET"}),
    ],
)
def test_a_wrong_method_is_405(cf: CrowdFlower, method: str, path: str, allowed: set[str]) -> None:
    job = cf.create()

    response = cf.call(method, path.format(id=job["id"]))

    assert response.status_code == 405
    assert response.json() == {"error": {"message": "Method Not Allowed"}}
    assert allowed <= {m.strip() for m in response.headers["allow"].split(",")}
    assert cf.ids() == [job["id"]]


# -- copy and delete --------------------------------------------------------------------------


def test_a_copy_keeps_settings_and_tags_under_a_new_id(cf: CrowdFlower) -> None:
    source = cf.create(
        title="The original",
        instructions="Look closely",
        judgments_per_unit="5",
        alias="original",
    )
    cf.update(source["id"], "job[excluded_countries][]=DE&job[options][req_ttl_in_seconds]=60")
    cf.call("POST", f"/jobs/{source['id']}/tags?tags=red,blue")
    source = cf.job(source["id"])
    cf.advance(120)

    response = cf.call("GET", f"/jobs/{source['id']}/copy?all_units=false&gold=false")

    assert response.status_code == 200
    body = response.json()
    copy = {k: v for k, v in body.items() if k != "message"}
    assert copy["id"] not in (source["id"], None)
    assert copy["secret"] != source["secret"]
    assert copy["alias"] is None
    assert copy["created_at"] == copy["updated_at"] == "2014-07-22T12:58:09+00:00"
    kept = {"id", "secret", "alias", "created_at", "updated_at", "copied_from"}
    assert {k: v for k, v in copy.items() if k not in kept} == {
        k: v for k, v in source.items() if k not in kept
    }
    tags = cf.call("GET", f"/jobs/{copy['id']}/tags").json()
    assert tags == [{"name": "red"}, {"name": "blue"}]
    assert cf.ids() == [copy["id"], source["id"]]
    assert cf.job(source["id"]) == source


def test_a_copy_may_be_asked_for_with_post_and_python_booleans(cf: CrowdFlower) -> None:
    source = cf.create(title="Copy by POST")

    response = cf.call("POST", f"/jobs/{source['id']}/copy.json?all_units=True")

    assert response.status_code == 200
    assert response.json()["title"] == "Copy by POST"
    assert response.json()["message"] == {
        "notice": "Job successfully copied. You may add data using one of three methods above."
    }
    assert len(cf.ids()) == 2


def test_a_copy_of_an_unknown_job_is_404(cf: CrowdFlower) -> None:
    response = cf.call("GET", "/jobs/424242/copy")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert cf.ids() == []


def test_a_deleted_job_is_gone(cf: CrowdFlower) -> None:
    kept, gone = cf.create(alias="kept"), cf.create(alias="gone")

    response = cf.call("DELETE", "/jobs/gone")

    assert response.status_code == 200
    assert response.json() == {"message": {"success": f"Job {gone['id']} has been deleted."}}
    assert cf.call("GET", f"/jobs/{gone['id']}").json() == NOT_FOUND
    assert cf.call("GET", f"/jobs/{gone['id']}/ping").status_code == 404
    assert cf.call("DELETE", f"/jobs/{gone['id']}").status_code == 404
    assert cf.ids() == [kept["id"]]


# -- pause, resume, cancel --------------------------------------------------------------------

REFUSALS = {
    "pause": "You can't pause a job that hasn't been launched.",
    "resume": "You can only resume jobs that are paused or complete.",
    "cancel": "You can't cancel a job that hasn't been launched.",
}


@pytest.mark.parametrize("method", ["GET", "PUT", "POST"])
@pytest.mark.parametrize("action", list(REFUSALS))
def test_a_state_action_on_an_unordered_job_is_200_with_a_flat_error(
    cf: CrowdFlower, action: str, method: str
) -> None:
    job = cf.create()

    response = cf.call(method, f"/jobs/{job['id']}/{action}")

    assert response.status_code == 200
    assert response.json() == {"error": REFUSALS[action]}
    assert cf.job(job["id"]) == job


@pytest.mark.parametrize("action", list(REFUSALS))
def test_a_tenant_may_ask_for_state_refusals_as_422(client: TestClient, action: str) -> None:
    register(client, KEY, {"state_errors": "422"})
    cf = CrowdFlower(client)
    job = cf.create()

    response = cf.call("PUT", f"/jobs/{job['id']}/{action}.json")

    assert response.status_code == 422
    assert response.json() == {"error": {"message": REFUSALS[action]}}
    assert cf.job(job["id"])["state"] == "unordered"


def test_a_tenant_set_up_for_200_keeps_the_recorded_refusal(client: TestClient) -> None:
    register(client, KEY, {"state_errors": "200"})
    cf = CrowdFlower(client)
    job = cf.create()

    response = cf.call("GET", f"/jobs/{job['id']}/pause")

    assert (response.status_code, response.json()) == (200, {"error": REFUSALS["pause"]})


@pytest.mark.parametrize("action", list(REFUSALS))
def test_a_state_action_on_an_unknown_job_is_404(cf: CrowdFlower, action: str) -> None:
    response = cf.call("GET", f"/jobs/31337/{action}")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


# -- channels ---------------------------------------------------------------------------------


def channels(cf: CrowdFlower, job_id: int) -> dict[str, Any]:
    response = cf.call("GET", f"/jobs/{job_id}/channels")
    assert response.status_code == 200, response.text
    shown: dict[str, Any] = response.json()
    return shown


def test_a_new_job_has_no_enabled_channel(cf: CrowdFlower) -> None:
    job = cf.create()

    shown = channels(cf, job["id"])

    assert list(shown) == ["available_channels", "enabled_channels"]
    assert {"on_demand", "cf_internal"} <= set(shown["available_channels"])
    assert shown["enabled_channels"] == []


@pytest.mark.parametrize(
    ("query", "kwargs", "enabled"),
    [
        ("", {"data": {"channels[]": "on_demand"}}, ["on_demand"]),
        ("", {"data": {"channels[0]": "cf_internal"}}, ["cf_internal"]),
        ("", {"data": {"channels": "on_demand"}}, ["on_demand"]),
        ("?channels=on_demand", {}, ["on_demand"]),
        ("?channels[]=cf_internal&channels[]=on_demand", {}, ["cf_internal", "on_demand"]),
        ("?channels[0]=cf_internal&channels[0]=on_demand", {}, ["cf_internal", "on_demand"]),
        ("", {"json": {"channels": ["on_demand"]}}, ["on_demand"]),
    ],
)
def test_channels_are_enabled_every_way_clients_name_them(
    cf: CrowdFlower, query: str, kwargs: dict[str, Any], enabled: list[str]
) -> None:
    job = cf.create()

    response = cf.call("POST", f"/jobs/{job['id']}/channels{query}", **kwargs)

    assert response.status_code == 200
    assert response.json()["enabled_channels"] == enabled
    assert channels(cf, job["id"])["enabled_channels"] == enabled


def test_enabling_channels_adds_to_the_enabled_ones_once(cf: CrowdFlower) -> None:
    job = cf.create()
    cf.call("POST", f"/jobs/{job['id']}/channels", data={"channels[]": "on_demand"})

    response = cf.call(
        "PUT",
        f"/jobs/{job['id']}/channels",
        data={"channels[0]": "cf_internal", "channels[1]": "on_demand"},
    )

    assert response.status_code == 200
    assert response.json()["enabled_channels"] == ["on_demand", "cf_internal"]


def test_any_channel_name_is_enabled_and_then_available(cf: CrowdFlower) -> None:
    """The Ruby gem's own test enables ``4x4bux_com`` and ``bitcoinget``: channel names
    depend on the account, so none is refused."""
    job = cf.create()

    response = cf.call(
        "POST", f"/jobs/{job['id']}/channels", data={"channels[]": ["on_demand", "4x4bux_com"]}
    )

    assert response.status_code == 200, response.text
    assert response.json()["enabled_channels"] == ["on_demand", "4x4bux_com"]
    assert "4x4bux_com" in channels(cf, job["id"])["available_channels"]


def test_enabling_no_channel_changes_nothing(cf: CrowdFlower) -> None:
    job = cf.create()
    cf.call("POST", f"/jobs/{job['id']}/channels", data={"channels": "cf_internal"})

    response = cf.call("POST", f"/jobs/{job['id']}/channels")

    assert response.status_code == 200, response.text
    assert response.json()["enabled_channels"] == ["cf_internal"]


def test_a_channel_is_disabled_by_name(cf: CrowdFlower) -> None:
    job = cf.create()
    cf.call(
        "POST", f"/jobs/{job['id']}/channels", data={"channels[]": ["on_demand", "cf_internal"]}
    )

    response = cf.call(
        "POST", f"/jobs/{job['id']}/disable_channel", data={"channel_name": "on_demand"}
    )

    assert response.status_code == 200
    assert response.json()["enabled_channels"] == ["cf_internal"]
    assert channels(cf, job["id"])["enabled_channels"] == ["cf_internal"]


def test_disabling_no_channel_changes_nothing(cf: CrowdFlower) -> None:
    job = cf.create()
    cf.call("POST", f"/jobs/{job['id']}/channels", data={"channels": "cf_internal"})

    response = cf.call("POST", f"/jobs/{job['id']}/disable_channel")

    assert response.status_code == 200, response.text
    assert response.json()["enabled_channels"] == ["cf_internal"]


# -- tags -------------------------------------------------------------------------------------


def tag_names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [tag["name"] for tag in response.json()]


def test_tags_are_listed_added_replaced_and_removed(cf: CrowdFlower) -> None:
    job = cf.create()
    path = f"/jobs/{job['id']}/tags"

    assert cf.call("GET", path).json() == []
    assert tag_names(cf.call("POST", path, data={"tags": "glitter, sparkle"})) == [
        "glitter",
        "sparkle",
    ]
    assert tag_names(cf.call("POST", path + "?tags[]=shine&tags[]=glitter")) == [
        "glitter",
        "sparkle",
        "shine",
    ]
    assert tag_names(cf.call("PUT", path, data={"tags[]": ["matte", "dull"]})) == [
        "matte",
        "dull",
    ]
    assert tag_names(cf.call("DELETE", path, data={"tags": "matte"})) == ["dull"]
    assert cf.call("GET", path + ".json").json() == [{"name": "dull"}]


def test_tags_of_an_unknown_job_are_404(cf: CrowdFlower) -> None:
    response = cf.call("POST", "/jobs/777/tags", data={"tags": "lost"})

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


# -- account ----------------------------------------------------------------------------------


def test_the_account_shows_its_balance_in_cents(cf: CrowdFlower) -> None:
    response = cf.call("GET", "/account")

    assert response.status_code == 200
    account = response.json()
    assert isinstance(account["balance"], int)
    assert account["balance"] == 100_000
    assert account["auth_key"] == KEY
    assert account["created_at"] == EPOCH_STAMP
    assert isinstance(account["id"], int)


def test_a_registered_account_shows_its_configured_balance_and_email(client: TestClient) -> None:
    register(
        client,
        KEY,
        {"account": {"balance_cents": 2_550, "email": "lab@example.org", "first_name": "Ada"}},
    )

    account = CrowdFlower(client).call("GET", "/account").json()

    assert account["balance"] == 2_550
    assert (account["email"], account["first_name"]) == ("lab@example.org", "Ada")
    assert CrowdFlower(client, OTHER_KEY).call("GET", "/account").json()["balance"] == 100_000


def test_an_invalid_account_setup_is_refused(client: TestClient) -> None:
    body = {
        "vendor": "crowdflower",
        "credential": KEY,
        "setup": {"account": {"balance_cents": -1}},
    }

    assert client.post("/_mock/tenants", json=body).status_code == 400


# -- rate limits ------------------------------------------------------------------------------


class FrozenTime:
    """Stands in for the ``time`` module of the sandbox's clock: monotonic time stands still."""

    def __init__(self) -> None:
        self.monotonic_now = 1000.0

    def monotonic(self) -> float:
        return self.monotonic_now

    def time(self) -> float:
        return real_time.time()


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> FrozenTime:
    fake = FrozenTime()
    monkeypatch.setattr(clock_module, "time", fake)
    return fake


def test_the_41st_immediate_request_is_429(frozen: FrozenTime) -> None:
    with serve(rate_limits=True) as client:
        cf = CrowdFlower(client)
        statuses = [cf.call("GET", "/jobs").status_code for _ in range(40)]
        assert statuses == [200] * 40

        refused = cf.call("POST", "/jobs", data={"job[title]": "One too many"})

        assert refused.status_code == 429
        assert refused.json() == {"error": {"message": "Too many requests"}}
        assert refused.headers["retry-after"] == "1"
        assert CrowdFlower(client, OTHER_KEY).call("GET", "/jobs").status_code == 200
        frozen.monotonic_now += 1.0
        assert cf.ids() == []


def test_without_rate_limits_a_burst_is_served(frozen: FrozenTime, cf: CrowdFlower) -> None:
    assert [cf.call("GET", "/jobs").status_code for _ in range(60)] == [200] * 60


# -- routing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["api.crowdflower.com", "api.figure-eight.com", "API.CrowdFlower.com:443"]
)
def test_the_vendor_is_chosen_by_its_host(cf: CrowdFlower, host: str) -> None:
    job = cf.create(title="Reached by host")
    by_host = CrowdFlower(cf.client, prefix="/v1")

    response = by_host.call("GET", f"/jobs/{job['id']}.json", headers={"host": host})

    assert response.status_code == 200
    assert response.json() == job


def test_v1_jobs_without_a_vendor_host_or_prefix_is_crowdflower_at_the_root(
    cf: CrowdFlower,
) -> None:
    """Every vendor mounted, ``/v1/jobs`` is CrowdFlower's by its resource."""
    job = cf.create(title="Under the prefix")
    root = CrowdFlower(cf.client, prefix="/v1")

    assert root.job(job["id"]) == job
    assert root.ids() == [job["id"]]


def test_single_vendor_mode_serves_crowdflower_at_the_root() -> None:
    with serve(vendor="crowdflower") as client:
        root = CrowdFlower(client, prefix="/v1")
        job = root.create(title="At the root")

        assert root.job(job["id"]) == job
        assert root.ids() == [job["id"]]
        prefixed = CrowdFlower(client).call("GET", "/jobs.json")
        assert prefixed.status_code == 404
