"""clickworker's own WordPress plugin, replayed request for request.

The plugin (github.com/clickworker/Wordpress-SEO-Text-Plugin, v0.97, commit
36428af66565e23363f1376f92b02a3617023633) is PHP and needs a WordPress install, so
it cannot run here. :class:`Plugin` re-types what its files do, one method per PHP
function or page, and sends exactly what they send: ``cw_command`` in
``clickworkerseo.php`` (the URL ``https://CW_SERVER/api/marketplace/v2/`` + path,
its five headers, the body as PHP's ``json_encode`` writes it; anything but 200 is a
failure, and 401 asks for the credentials again), the order page
(``sites/order.php``: a price check, then a template and a task), the status page
(``sites/status.php``: the task list, each waiting task's job found through
``customer/jobs/``, the buyoff, the delete) and the dashboard
(``sites/dashboard.php``: the balance, read flat on ``customer``). Answers are read
the way the PHP reads them, by the same keys and positions.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from hooks_kit import Hooks
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

CW_SERVER = "api.clickworker.com"  # the plugin's default; the sandbox serves this host
API_PATH = "/api/marketplace/v2/"
USERNAME, PASSWORD = "wp-shop", "wp-secret"
TENANT = f"clickworker:{USERNAME}"
USER_AGENT = "WordPress/3.5.1; http://blog.example"  # what wp_remote_request names itself
DAY = 86400.0


def php_json_encode(value: Any) -> bytes:
    """PHP's ``json_encode`` with no flags: compact, ``/`` escaped as ``\\/``, anything
    beyond ASCII as ``\\uXXXX``; PHP integers stay numbers, ``$_POST`` values strings."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/").encode()


class Plugin:
    """The plugin's PHP, re-typed: each method sends what its PHP counterpart sends."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.warnings: list[str] = []
        self.sent: list[httpx.Request] = []

    # -- clickworkerseo.php ------------------------------------------------------------------

    def cw_command(self, url: str, method: str, data: bytes = b"", longurl: bool = False) -> str:
        """``cw_command()``: the body on HTTP 200, ``""`` (and a warning) otherwise."""
        if longurl and not url.startswith(("http://", "https://")):
            # WP_Http::request: wp_parse_url finds no scheme (the status page's job URL
            # starts with a space), so "A valid URL was not provided." and nothing is sent.
            self.warnings.append("http_request_failed A valid URL was not provided.")
            return ""
        target = url if longurl else f"https://{CW_SERVER}{API_PATH}{url}"
        credentials = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        headers = {
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/json; charset=utf-8",
            "HTTP-ACCEPT": "application/json",
            "Accept": "application/json",
            "Accept-Language": "en-us",
            "User-Agent": USER_AGENT,
        }
        response = self.client.request(method, target, content=data or None, headers=headers)
        self.sent.append(response.request)
        if response.status_code != 200:
            if response.status_code == 401:
                self.warnings.append("Your Clickworker login information appears to be incorrect.")
            else:
                self.warnings.append(
                    f"{CW_SERVER} encountered a problem: {response.status_code} "
                    f"{response.reason_phrase}"
                )
            return ""
        return response.text

    def customer_check(self) -> dict[str, Any]:
        """``customer_check()``: the account, and the balance read flat on ``customer``."""
        customer: dict[str, Any] = json.loads(self.cw_command("customer", "GET") or "null") or {}
        if customer:
            balance = customer["customer_response"]["customer"]["balance_amount"]
            if float(balance) < 10:
                self.warnings.append("The balance on your Clickworker account is running low.")
        return customer

    # -- sites/order.php ---------------------------------------------------------------------

    @staticmethod
    def template(form: dict[str, str], time: int) -> dict[str, Any]:
        """The ``$template`` array of the order page, built from the posted form."""
        min_words, max_words = form["cw_seotext_words"].split("#")
        keywords = [k.strip() for k in form["cw_seotext_keywords"].split(",")]
        language = form["cw_language"]
        quality = "textcreate_proof_yes" if "qualityControl" in form else "textcreate_proof_no"
        elements: list[dict[str, Any]] = [
            {
                "type": "text_field",
                "titles": {"en": "Title", "de": "Titel"},
                "item_code": "title",
                "is_output": False,
                "is_mandatory": True,
                "options": [
                    {"code": "min_length", "value": 5},
                    {"code": "max_length", "value": 100},
                ],
            },
            {
                "type": "text_area",
                "titles": {"en": "Your Text", "de": "Ihr Text"},
                "item_code": "seotext",
                "is_output": True,
                "is_mandatory": True,
                "options": [
                    {"code": "min_length", "value": min_words},
                    {"code": "max_length", "value": max_words},
                ],
            },
        ]
        # Keyword C's titles are array('en' => ..., 'en' => ...): PHP keeps one key.
        titles = [{"en": "Keyword A", "de": "Keyword A"}, {"en": "Keyword B", "de": "Keyword B"},
                  {"en": "Keyword C"}]  # fmt: skip
        for letter, keyword, title in zip("abc", keywords, titles, strict=False):
            if keyword:
                elements.append(
                    {
                        "type": "keyword",
                        "titles": title,
                        "item_code": f"keyword_{letter}",
                        "is_output": False,
                        "is_mandatory": True,
                        "options": [
                            {"code": "reference_slug", "value": "seotext"},
                            {"code": "min_occurrence_ref", "value": f"keyword_{letter}_min"},
                            {"code": "max_occurrence_ref", "value": f"keyword_{letter}_max"},
                        ],
                    }
                )
        return {
            "task_template": {
                "code": f"tpl_text_create_keywords_{language}_{time}",
                "name": f"Wordpress APIClient SEO-Text ({language})",
                "titles": {"en": form["cw_seotext_topic"], "de": form["cw_seotext_topic"]},
                "descriptions": {
                    "en": form["cw_seotext_description"],
                    "de": form["cw_seotext_description"],
                },
                "product": {
                    "link": {
                        "href": "/api/marketplace/v2/products/TextCreateWithKeywords",
                        "rel": "product",
                        "type": "application/json",
                    },
                    "attributes": [
                        {"code": "textcreatewithkeywords_language", "value": language},
                        {
                            "code": "textcreatewithkeywords_text_length",
                            "value": form["cw_seotext_words"],
                        },
                        {"code": "textcreatewithkeywords_proof_read", "value": quality},
                    ],  # fmt: skip
                },
                "form": {"elements": elements},
            }
        }

    @staticmethod
    def task(form: dict[str, str], time: int) -> dict[str, Any]:
        """The ``$task`` array of the order page."""
        keywords = [k.strip() for k in form["cw_seotext_keywords"].split(",")]
        items = [{"code": "title", "content": form["cw_seotext_topic"]}]
        for letter, keyword in zip("abc", keywords, strict=False):
            if keyword:
                items += [
                    {"code": f"keyword_{letter}", "content": keyword},
                    {"code": f"keyword_{letter}_min", "content": form["cw_seotext_keywords_min"]},
                    {"code": f"keyword_{letter}_max", "content": form["cw_seotext_keywords_max"]},
                ]
        return {
            "task": {
                "customer_ref": f"{form['cw_seotext_topic']} {time}",
                "template": {
                    "link": {
                        "href": "/api/marketplace/v2/customer/task_templates/"
                        f"tpl_text_create_keywords_{form['cw_language']}_{time}",
                        "rel": "task_template",
                        "type": "application/json",
                    }
                },
                "input": {"items": items},
                "notifications": {
                    "event": "CUSTOMER_INPUT_REQUIRED",
                    "callback_url": "http://notification.example.com",
                    "callback_method": "POST",
                    "payload_format": "JSON",
                },
            }
        }

    def price_check(self, form: dict[str, str], time: int) -> dict[str, str]:
        """The "Check Price" button: the quote the page shows as Total."""
        result = self.cw_command(
            "prices/create/", "POST", php_json_encode(self.template(form, time))
        )
        if not result:
            return {"after_tax": "error", "currency": ""}
        price: dict[str, str] = json.loads(result)["price_response"]["price"]
        return price

    def place_order(self, form: dict[str, str], time: int) -> bool:
        """The "Place Order" button: a template, then a task on it; "Order placed!"."""
        result = self.cw_command(
            "customer/task_templates/", "POST", php_json_encode(self.template(form, time))
        )
        if not result:
            return False
        json.loads(result)["task_template_response"]["task_template"]["link"][0]["href"]
        data = self.cw_command("customer/tasks/", "POST", php_json_encode(self.task(form, time)))
        return bool(data)

    # -- sites/status.php --------------------------------------------------------------------

    def status_page(self) -> list[dict[str, str]]:
        """The Order Status table: each task's customer_ref, state, and for a task in
        ``feedback`` what ``get_link_to_accept`` shows for review."""
        call = self.cw_command("customer/tasks/", "GET")
        rows = []
        for the_task in json.loads(call)["tasks_response"]["tasks"] if call else []:
            task_id = the_task["link"][0]["href"].split("/")[-1]
            row = {"customer_ref": the_task["customer_ref"], "state": the_task["state"],
                   "task_id": task_id}  # fmt: skip
            if the_task["state"] == "feedback":
                row.update(self.get_link_to_accept(task_id))
            rows.append(row)
        return rows

    def get_link_to_accept(self, task_id: str) -> dict[str, str]:
        """``get_link_to_accept()``: every job read by its href, the task's one shown:
        ``items[0]`` as the title, ``items[1]`` as the "Result" text, and the job's href
        kept in a hidden field written ``value=' <href>'`` (with a space)."""
        shown: dict[str, str] = {}
        call = self.cw_command("customer/jobs/", "GET")
        for job in json.loads(call)["jobs_response"]["jobs"] if call else []:
            arr = json.loads(self.cw_command(job["link"][0]["href"], "GET", longurl=True))
            if job["task"]["link"][0]["href"].split("/")[-1] != task_id:
                continue
            the_job = arr["job_response"]["job"]
            shown = {
                "post_title": the_job["items"][0]["content"],
                "post_content": the_job["items"][1]["content"],
                "job_id": " " + the_job["link"][0]["href"],
            }
        return shown

    @staticmethod
    def buyoff(
        accept: bool, scores: tuple[str, str, str] = ("2", "2", "2"), comment: str = ""
    ) -> bytes:
        """The ``$job_template`` of the status page's Accept and Reject buttons."""
        spelling, style, topic = scores
        return php_json_encode(
            {
                "job": {
                    "input": {
                        "items": [
                            {"code": "signoff", "content": "yes"},
                            {"code": "accepted", "content": 1 if accept else 0},
                            {"code": "spelling", "content": spelling},
                            {"code": "style", "content": style},
                            {"code": "topic", "content": topic},
                            {"code": "comment", "content": comment},
                        ]
                    }
                }
            }
        )

    def press(self, job_id: str, accept: bool, comment: str = "") -> str:
        """Accept or Reject: ``cw_command($_POST['job_id'], "PUT", ..., true)``."""
        return self.cw_command(job_id, "PUT", self.buyoff(accept, comment=comment), longurl=True)

    def delete(self, task_path: str) -> str:
        """The delete action: read the task's template, delete the task, then the
        template ("a Task Template can't be deleted unless it isn't in use")."""
        arr = json.loads(self.cw_command(task_path, "GET"))
        template = arr["task_response"]["task"]["template"]["link"][0]["href"]
        self.cw_command(task_path, "DELETE")
        return self.cw_command(template, "DELETE", longurl=True)


ORDER = {
    "cw_language": "en",
    "cw_seotext_topic": "Garden tips",
    "cw_seotext_words": "50#110",
    "cw_seotext_keywords": "roses, tulips",
    "cw_seotext_keywords_min": "1",
    "cw_seotext_keywords_max": "3",
    "cw_seotext_description": "Write a friendly text about spring gardening for beginners.",
    "qualityControl": "1",
}


@pytest.fixture
def hooks() -> Hooks:
    return Hooks()


@pytest.fixture
def client(hooks: Hooks) -> TestClient:
    settings = Settings(clock="manual", seed=7, rate_limits=False)
    app = create_app(settings, webhook_transport=httpx.MockTransport(hooks))
    return TestClient(app, base_url=f"https://{CW_SERVER}")


@pytest.fixture
def plugin(client: TestClient) -> Plugin:
    return Plugin(client)


def advance(client: TestClient, seconds: float) -> None:
    response = client.post("/_mock/clock/advance", json={"seconds": seconds, "tenant": TENANT})
    assert response.status_code == 200, response.text


def test_the_plugin_sends_the_template_as_php_writes_it(plugin: Plugin) -> None:
    """The encoder is PHP's: escaped slashes, compact, PHP integers as numbers."""
    body = php_json_encode(Plugin.template(ORDER, 1700000000))
    assert body.startswith(
        b'{"task_template":{"code":"tpl_text_create_keywords_en_1700000000",'
        b'"name":"Wordpress APIClient SEO-Text (en)","titles":{"en":"Garden tips",'
    )
    assert b'"href":"\\/api\\/marketplace\\/v2\\/products\\/TextCreateWithKeywords"' in body
    assert b'{"code":"min_length","value":5},{"code":"max_length","value":100}' in body
    assert b'{"code":"min_length","value":"50"},{"code":"max_length","value":"110"}' in body


def test_the_dashboard_shows_the_balance(plugin: Plugin) -> None:
    customer = plugin.customer_check()
    account = customer["customer_response"]["customer"]
    assert (account["balance_amount"], account["currency_code"]) == ("1000.00", "EUR")
    assert plugin.warnings == []


def test_every_request_carries_the_plugins_headers(plugin: Plugin) -> None:
    plugin.customer_check()
    assert plugin.place_order(ORDER, 1700000000)
    for request in plugin.sent:
        assert request.url.host == CW_SERVER and request.url.scheme == "https"
        assert request.headers["accept"] == "application/json"
        assert request.headers["content-type"] == "application/json; charset=utf-8"
        assert request.headers["http-accept"] == "application/json"
        assert request.headers["accept-language"] == "en-us"
    assert [(r.method, r.url.path) for r in plugin.sent] == [
        ("GET", "/api/marketplace/v2/customer"),
        ("POST", "/api/marketplace/v2/customer/task_templates/"),
        ("POST", "/api/marketplace/v2/customer/tasks/"),
    ]


def test_a_price_check_shows_a_total(plugin: Plugin) -> None:
    price = plugin.price_check(ORDER, 1700000000)
    assert float(price["after_tax"]) > 0 and price["currency"] == "EUR"
    assert plugin.warnings == []


def test_orders_placed_one_after_another_are_all_taken(plugin: Plugin) -> None:
    """Every template the plugin makes has the same name ("Wordpress APIClient SEO-Text
    (en)"); only the code (its time stamp) differs."""
    for time in (1700000000, 1700000060, 1700000120):
        assert plugin.place_order(ORDER, time), plugin.warnings
    one_keyword = {**ORDER, "cw_seotext_keywords": "roses"}
    three_keywords = {**ORDER, "cw_seotext_keywords": "roses, tulips, daisies"}
    assert plugin.place_order(one_keyword, 1700000180), plugin.warnings
    assert plugin.place_order(three_keywords, 1700000240), plugin.warnings
    assert plugin.warnings == []
    rows = plugin.status_page()
    assert [r["state"] for r in rows] == ["new"] * 5
    assert rows[0]["customer_ref"] == "Garden tips 1700000000"


def test_the_status_page_shows_the_topic_and_the_written_text_for_review(
    plugin: Plugin, client: TestClient
) -> None:
    assert plugin.place_order(ORDER, 1700000000)
    advance(client, DAY)
    (row,) = plugin.status_page()
    assert row["state"] == "feedback"  # the page shows "review needed"
    assert row["post_title"] == "Garden tips"  # items[0]: the form's first element, the title
    text = row["post_content"]  # items[1]: the text the clickworker wrote
    assert "roses" in text and "tulips" in text
    assert 50 <= len(text.split()) <= 110
    assert row["job_id"].startswith(f" https://{CW_SERVER}/api/marketplace/v2/customer/jobs/")


def test_the_callback_reaches_the_plugins_url(
    plugin: Plugin, client: TestClient, hooks: Hooks
) -> None:
    assert plugin.place_order(ORDER, 1700000000)
    advance(client, DAY)
    (request,) = hooks.requests
    assert str(request.url).rstrip("/") == "http://notification.example.com"
    assert request.method == "POST"
    assert json.loads(request.content)["notification"]["event"] == "CUSTOMER_INPUT_REQUIRED"


def test_accepting_as_the_plugin_does_never_reaches_the_server_and_the_job_is_approved_in_7_days(
    plugin: Plugin, client: TestClient
) -> None:
    """The job's href goes through a hidden field written with a leading space, and
    WordPress refuses a URL without a scheme before sending it; the documented 7-day
    automatic approval is what finishes the task."""
    assert plugin.place_order(ORDER, 1700000000)
    advance(client, DAY)
    (row,) = plugin.status_page()
    sent = len(plugin.sent)
    assert plugin.press(row["job_id"], accept=True) == ""
    assert len(plugin.sent) == sent
    advance(client, 7 * DAY)
    assert [r["state"] for r in plugin.status_page()] == ["finished"]


def test_the_plugins_acceptance_sent_to_the_jobs_href_finishes_the_task(
    plugin: Plugin, client: TestClient
) -> None:
    """The same PUT to the href without its space: the old grade items (signoff,
    spelling, style, topic) ride along and are ignored on an approval."""
    assert plugin.place_order(ORDER, 1700000000)
    advance(client, DAY)
    (row,) = plugin.status_page()
    answer = plugin.press(row["job_id"].strip(), accept=True)
    assert json.loads(answer)["job_response"]["job"]["state"] == "accepted"
    (finished,) = plugin.status_page()
    assert finished["state"] == "finished"
    task = json.loads(plugin.cw_command(f"customer/tasks/{row['task_id']}", "GET"))
    results = task["task_response"]["task"]["results"]
    assert results == [{"code": "seotext", "content": row["post_content"]}]


def test_the_plugins_rejection_lacks_the_documented_grades_and_is_refused(
    plugin: Plugin, client: TestClient
) -> None:
    """Rejecting TextCreateWithKeywords needs the seven documented grades (Table 1 of
    the order walkthrough); the plugin sends its own three, so the page warns."""
    assert plugin.place_order(ORDER, 1700000000)
    advance(client, DAY)
    (row,) = plugin.status_page()
    assert plugin.press(row["job_id"].strip(), accept=False, comment="Too short") == ""
    (warning,) = plugin.warnings
    assert warning.startswith(f"{CW_SERVER} encountered a problem: 422 ")
    assert [r["state"] for r in plugin.status_page()] == ["feedback"]


def test_deleting_an_order_deletes_its_task_then_its_template(plugin: Plugin) -> None:
    assert plugin.place_order(ORDER, 1700000000)
    (row,) = plugin.status_page()
    answer = plugin.delete(f"customer/tasks/{row['task_id']}")
    assert json.loads(answer)["task_template_response"]["request_status"]["status_code"] == 200
    assert plugin.warnings == []
    assert [r["state"] for r in plugin.status_page()] == ["cancelled"]
    templates = json.loads(plugin.cw_command("customer/task_templates", "GET"))
    assert templates["task_templates_response"]["task_templates"] == []


def test_wrong_credentials_ask_for_them_again(client: TestClient) -> None:
    created = client.post(
        "/_mock/tenants",
        json={"vendor": "clickworker", "credential": USERNAME, "setup": {"password": "other"}},
    )
    assert created.status_code in (200, 201), created.text
    plugin = Plugin(client)
    assert plugin.customer_check() == {}
    assert plugin.warnings == ["Your Clickworker login information appears to be incorrect."]
