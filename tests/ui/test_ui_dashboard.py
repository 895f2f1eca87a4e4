"""``/_mock/ui`` after a contract test's worth of traffic: what a person sees and can do."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from conftest import CF_KEY
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from mockserver.settings import Settings
from mockserver.testing import Receiver, ServerThread

T = TypeVar("T")
WAIT = 10.0
SIZES = {"wide": (1400, 1000), "narrow": (420, 1000)}
CF_KEY_CROWD = "crowdflower-fixture-key"
TENANTS = {
    "crowdflower:crowdflower-fixture-key": ("crowdflower", "****-key"),
    f"cloudfactory:{CF_KEY}": ("cloudfactory", "****1794"),
    "clickworker:fixture-customer": ("clickworker", "****omer"),
}


# The visible elements holding text whose colour and background fall below WCAG's 4.5:1
# (the background is the nearest one painted; the page's is white).
LOW_CONTRAST = """
const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
  .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
const ground = (node) => { for (; node; node = node.parentElement) {
  const c = rgb(getComputedStyle(node).backgroundColor); if (c.length < 4 || c[3] > 0) return c; }
  return [255, 255, 255]; };
return Array.from(document.querySelectorAll("body *")).filter((node) =>
  node.offsetParent !== null && Array.from(node.childNodes).some(
    (c) => c.nodeType === Node.TEXT_NODE && c.textContent.trim())
).map((node) => { const [a, b] = [lum(rgb(getComputedStyle(node).color)), lum(ground(node))];
  return [node.outerHTML.slice(0, 80), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]; }
).filter(([, ratio]) => ratio < 4.5);
"""


def wait(browser: webdriver.Chrome, condition: Callable[[webdriver.Chrome], T]) -> T:
    """Waits for ``condition``, read again when a poll replaced what it was reading."""
    return WebDriverWait(browser, WAIT, ignored_exceptions=[StaleElementReferenceException]).until(
        condition
    )


def show(browser: webdriver.Chrome, server: ServerThread, view: str, ready: str) -> None:
    """Loads the page afresh on ``view`` and waits for an element ``ready`` names (a CSS
    selector). Going to the URL already shown would only move to its fragment."""
    browser.get("about:blank")
    browser.get(f"{server.url}/_mock/ui#{view}")
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ready))


def shoot(browser: webdriver.Chrome, folder: Path, view: str) -> None:
    """Saves the view at each size, as a reader of the README sees it; at each, the page
    fits the width (nothing to scroll sideways to)."""
    for size, (width, height) in SIZES.items():
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        wide = browser.execute_script("return document.documentElement.scrollWidth")
        assert wide <= width, f"{view} is {wide} px wide at {width} px"
        browser.save_screenshot(str(folder / f"{view}-{size}.png"))
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def texts(elements: list[WebElement]) -> list[str]:
    return [element.text for element in elements]


def test_tenants_show_vendor_masked_credential_and_clock(
    browser: webdriver.Chrome, scenario: ServerThread, screenshots: Path
) -> None:
    show(browser, scenario, "tenants", "#tenant-rows tr[data-tenant]")
    rows = {
        row.get_attribute("data-tenant"): row
        for row in browser.find_elements(By.CSS_SELECTOR, "#tenant-rows tr[data-tenant]")
    }
    assert set(rows) == set(TENANTS)
    for tenant, (vendor, credential) in TENANTS.items():
        assert rows[tenant].find_element(By.TAG_NAME, "strong").text == vendor
        assert rows[tenant].find_element(By.CSS_SELECTOR, ".credential").text == credential
    assert "(manual" in rows[f"cloudfactory:{CF_KEY}"].find_element(By.CSS_SELECTOR, ".clock").text
    shoot(browser, screenshots, "tenants")


def test_advancing_a_clock_from_the_page_moves_it(
    browser: webdriver.Chrome, scenario: ServerThread
) -> None:
    tenant = "crowdflower:crowdflower-fixture-key"
    before = httpx.get(f"{scenario.url}/_mock/clock", params={"tenant": tenant}).json()
    show(browser, scenario, "tenants", f'#tenant-rows tr[data-tenant="{tenant}"]')
    row = browser.find_element(By.CSS_SELECTOR, f'#tenant-rows tr[data-tenant="{tenant}"]')
    seconds = row.find_element(By.CSS_SELECTOR, "input[name=seconds]")
    assert seconds.get_attribute("aria-label") == f"Seconds to advance the clock of {tenant}"
    seconds.clear()
    seconds.send_keys("7200")
    row.find_element(By.CSS_SELECTOR, f'button[aria-label="Advance the clock of {tenant}"]').click()

    def moved(_: webdriver.Chrome) -> dict[str, object] | None:
        clock = httpx.get(f"{scenario.url}/_mock/clock", params={"tenant": tenant}).json()
        return clock if clock["epoch_seconds"] != before["epoch_seconds"] else None

    after = wait(browser, moved)
    assert after["epoch_seconds"] == before["epoch_seconds"] + 7200
    shown = f'#tenant-rows tr[data-tenant="{tenant}"] .clock'
    wait(browser, lambda b: str(after["now"]) in b.find_element(By.CSS_SELECTOR, shown).text)


def test_journal_lists_newest_first_filters_and_opens_an_entry(
    browser: webdriver.Chrome, scenario: ServerThread, screenshots: Path
) -> None:
    show(browser, scenario, "journal", "#journal-rows tr.entry")
    ids = [
        int(i)
        for i in texts(browser.find_elements(By.CSS_SELECTOR, "#journal-rows td:first-child"))
    ]
    assert ids == sorted(ids, reverse=True) and len(ids) > 10
    vendors = set(texts(browser.find_elements(By.CSS_SELECTOR, "#journal-rows td:nth-child(3)")))
    assert {"crowdflower", "cloudfactory", "clickworker"} <= vendors

    filters = browser.find_element(By.ID, "journal-filters")
    Select(filters.find_element(By.CSS_SELECTOR, "select[name=vendor]")).select_by_value(
        "clickworker"
    )
    filters.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    def only_clickworker(b: webdriver.Chrome) -> list[str] | None:
        shown = texts(b.find_elements(By.CSS_SELECTOR, "#journal-rows td:nth-child(3)"))
        return shown if shown and set(shown) == {"clickworker"} else None

    wait(browser, only_clickworker)
    browser.find_element(By.CSS_SELECTOR, "#journal-rows tr.entry").click()
    entry = wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, "#entry .response .body"))
    assert '\n  "' in entry.text, "the JSON response body is not pretty-printed"
    assert "****" in browser.find_element(By.CSS_SELECTOR, "#entry .request pre").text
    shoot(browser, screenshots, "journal")


def test_the_journal_pages_back_and_forth(
    browser: webdriver.Chrome, scenario: ServerThread
) -> None:
    for _ in range(60):  # more than a page, whatever the scenario left
        httpx.get(f"{scenario.url}/crowdflower/v1/jobs.json", params={"key": CF_KEY_CROWD})
    total = httpx.get(f"{scenario.url}/_mock/journal", params={"limit": 0}).json()["matched"]
    show(browser, scenario, "journal", "#journal-rows tr.entry")
    first = [
        int(i)
        for i in texts(browser.find_elements(By.CSS_SELECTOR, "#journal-rows td:first-child"))
    ]
    assert len(first) == 50 and first[0] == total
    assert browser.find_element(By.ID, "journal-page").text == f"1–50 of {total}"
    browser.find_element(By.ID, "older").click()
    wait(browser, lambda b: b.find_element(By.ID, "journal-page").text.startswith("51–"))
    older = [
        int(i)
        for i in texts(browser.find_elements(By.CSS_SELECTOR, "#journal-rows td:first-child"))
    ]
    assert older == list(range(first[-1] - 1, max(first[-1] - 51, 0), -1))
    browser.find_element(By.ID, "newer").click()
    wait(browser, lambda b: b.find_element(By.ID, "journal-page").text == f"1–50 of {total}")


def test_a_journal_of_thousands_is_shown_a_page_at_a_time(browser: webdriver.Chrome) -> None:
    with ServerThread(Settings(clock="manual", journal_size=5000)) as running:
        with httpx.Client(base_url=running.url) as client:
            for n in range(3120):
                key = "few" if n % 26 == 0 else "many"  # 120 of them
                client.get("/cloudfactory/v1/tasks", headers={"x-api-key": key})
        show(browser, running, "journal", "#journal-rows tr.entry")
        page = browser.find_element(By.ID, "journal-page")
        assert page.text == "1–50 of 3120"
        assert len(browser.find_elements(By.CSS_SELECTOR, "#journal-rows tr.entry")) == 50
        browser.find_element(By.ID, "older").click()
        wait(browser, lambda b: b.find_element(By.ID, "journal-page").text == "51–100 of 3120")
        tenant = browser.find_element(By.CSS_SELECTOR, "#journal-filters input[name=tenant]")
        tenant.send_keys("cloudfactory:few")
        browser.find_element(By.CSS_SELECTOR, "#journal-filters button[type=submit]").click()
        for shown in ("1–50 of 120", "51–100 of 120", "101–120 of 120"):
            wait(browser, lambda b, s=shown: b.find_element(By.ID, "journal-page").text == s)
            older = browser.find_element(By.ID, "older")
            assert older.is_enabled() == (shown != "101–120 of 120")
            if older.is_enabled():
                older.click()


def test_the_journal_follows_new_requests_live(
    browser: webdriver.Chrome, scenario: ServerThread
) -> None:
    show(browser, scenario, "journal", "#journal-rows tr.entry")
    httpx.get(f"{scenario.url}/clickworker/api/marketplace/v2/customer/live-check")
    newest = httpx.get(f"{scenario.url}/_mock/journal", params={"limit": 1}).json()["entries"][0]
    top = "#journal-rows tr.entry:first-child"
    wait(
        browser,
        lambda b: (
            b.find_element(By.CSS_SELECTOR, top).get_attribute("data-entry") == str(newest["id"])
        ),
    )
    assert "live-check" in browser.find_element(By.CSS_SELECTOR, top).text


def test_a_failed_delivery_shows_its_attempt_and_replay_delivers_it(
    browser: webdriver.Chrome, scenario: ServerThread, receiver: Receiver, screenshots: Path
) -> None:
    show(browser, scenario, "deliveries", "article.delivery")
    [card] = browser.find_elements(By.CSS_SELECTOR, "article.delivery")
    assert card.find_element(By.CSS_SELECTOR, ".state").text == "pending"
    assert texts(card.find_elements(By.CSS_SELECTOR, "tr.attempt td:nth-child(3)")) == ["500"]
    assert "next retry due: 2024-05-01T" in card.text
    shoot(browser, screenshots, "deliveries")

    card.find_element(By.CSS_SELECTOR, "button[aria-label^='Replay delivery']").click()
    wait(
        browser,
        lambda b: b.find_element(By.CSS_SELECTOR, "article.delivery .state").text == "delivered",
    )
    assert len(receiver.requests) == 2
    assert receiver.requests[1].path == "/hooks/cf"
    statuses = browser.find_elements(By.CSS_SELECTOR, "article.delivery tr.attempt td:nth-child(3)")
    assert texts(statuses) == ["500", "200"]


def test_a_fault_rule_is_added_counted_and_removed_from_the_page(
    browser: webdriver.Chrome, scenario: ServerThread, screenshots: Path
) -> None:
    show(browser, scenario, "faults", "#fault-rows tr")
    form = browser.find_element(By.ID, "fault-form")
    Select(form.find_element(By.NAME, "vendor")).select_by_value("crowdflower")
    form.find_element(By.NAME, "path").send_keys("jobs")
    form.find_element(By.NAME, "status").send_keys("503")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    row = wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, "#fault-rows tr[data-fault]"))
    assert "answer 503" in row.text and "crowdflower" in row.text
    [rule] = httpx.get(f"{scenario.url}/_mock/faults").json()["faults"]
    assert (rule["vendor"], rule["path"], rule["status"]) == ("crowdflower", "jobs", 503)

    jobs = httpx.get(f"{scenario.url}/crowdflower/v1/jobs.json", params={"key": CF_KEY_CROWD})
    assert jobs.status_code == 503
    hits = "#fault-rows tr[data-fault] .hits"
    wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, hits).text == "1")  # polled
    shoot(browser, screenshots, "faults")

    remove = f"button[aria-label='Remove fault rule {rule['id']}']"
    browser.find_element(By.CSS_SELECTOR, remove).click()
    wait(browser, lambda b: not b.find_elements(By.CSS_SELECTOR, "#fault-rows tr[data-fault]"))
    assert httpx.get(f"{scenario.url}/_mock/faults").json()["faults"] == []


def test_rate_limits_show_the_policies_and_who_is_limited_now(
    browser: webdriver.Chrome, scenario: ServerThread
) -> None:
    tenant = "crowdflower:crowdflower-fixture-key"
    policy = {"name": "per_hour", "limit": 1, "window": 3600, "burst": 1}
    body = {"vendor": "crowdflower", "tenant": tenant, "policies": [policy]}
    httpx.put(f"{scenario.url}/_mock/ratelimits", json=body).raise_for_status()
    httpx.get(f"{scenario.url}/crowdflower/v1/jobs.json", params={"key": CF_KEY_CROWD})
    show(browser, scenario, "faults", f'li[data-limits="{tenant}"]')
    assert browser.find_element(By.CSS_SELECTOR, f'li[data-limits="{tenant}"] .limited')
    others = browser.find_elements(By.CSS_SELECTOR, "li[data-limits] .limited")
    assert len(others) == 1
    cloudfactory = browser.find_element(By.CSS_SELECTOR, 'div[data-vendor="cloudfactory"]')
    assert "per_second: 10 per 1 s, burst 20" in cloudfactory.text


def test_a_snapshot_taken_from_the_page_restores_the_tenants(
    browser: webdriver.Chrome, scenario: ServerThread, screenshots: Path
) -> None:
    show(browser, scenario, "snapshots", "#snapshot-rows tr")
    assert "No state file" in browser.find_element(By.ID, "state-file").text
    name = browser.find_element(By.CSS_SELECTOR, "#snapshot-form input[name=name]")
    name.clear()
    name.send_keys("three-tenants")
    browser.find_element(By.CSS_SELECTOR, "#snapshot-form button[type=submit]").click()
    row = wait(
        browser, lambda b: b.find_element(By.CSS_SELECTOR, '[data-snapshot="three-tenants"]')
    )
    assert row.find_element(By.CSS_SELECTOR, "td:nth-child(3)").text == "3"
    shoot(browser, screenshots, "snapshots")

    httpx.post(f"{scenario.url}/_mock/reset").raise_for_status()
    assert httpx.get(f"{scenario.url}/_mock/tenants").json()["tenants"] == []
    browser.find_element(
        By.CSS_SELECTOR, "button[aria-label='Restore snapshot three-tenants']"
    ).click()

    def restored(_: webdriver.Chrome) -> set[str] | None:
        tenants = httpx.get(f"{scenario.url}/_mock/tenants").json()["tenants"]
        return {t["id"] for t in tenants} or None

    assert wait(browser, restored) == set(TENANTS)


@pytest.mark.parametrize(
    ("view", "ready"),
    [
        ("tenants", "#tenant-rows tr[data-tenant]"),
        ("journal", "#journal-rows tr"),
        ("deliveries", "article.delivery"),
        ("faults", "li[data-limits]"),
        ("snapshots", "#snapshot-rows tr"),
    ],
)
def test_every_control_is_named_and_all_text_is_readable(
    browser: webdriver.Chrome, scenario: ServerThread, view: str, ready: str
) -> None:
    show(browser, scenario, view, ready)
    controls = [
        control
        for control in browser.find_elements(By.CSS_SELECTOR, "input, select, button")
        if control.is_displayed()
    ]
    assert len(controls) > 1
    unnamed = [c.get_attribute("outerHTML") for c in controls if not c.accessible_name.strip()]
    assert unnamed == []
    assert browser.execute_script(LOW_CONTRAST) == []


@pytest.fixture(scope="module")
def guarded() -> Iterator[ServerThread]:
    with ServerThread(Settings(clock="manual", admin_token="ui-token")) as running:
        yield running


def test_with_an_admin_token_the_page_is_refused_without_it(guarded: ServerThread) -> None:
    refused = httpx.get(f"{guarded.url}/_mock/ui")
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Basic ")
    assert httpx.get(f"{guarded.url}/_mock/ui/dashboard.js").status_code == 401
    assert httpx.get(f"{guarded.url}/_mock/ui", auth=("anyone", "ui-token")).status_code == 200


def test_a_browser_given_the_token_as_password_reads_the_api(
    browser: webdriver.Chrome, guarded: ServerThread
) -> None:
    httpx.post(
        f"{guarded.url}/_mock/tenants",
        json={"vendor": "crowdflower", "credential": "guarded-key"},
        headers={"X-Admin-Token": "ui-token"},
    ).raise_for_status()
    browser.get(f"http://anyone:ui-token@127.0.0.1:{guarded.port}/_mock/ui#tenants")
    rows = wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#tenant-rows tr[data-tenant]"))
    assert [row.get_attribute("data-tenant") for row in rows] == ["crowdflower:guarded-key"]


def test_the_snapshots_view_shows_what_the_state_file_holds(
    browser: webdriver.Chrome, tmp_path: Path
) -> None:
    state_file = tmp_path / "state.bin"
    with ServerThread(Settings(clock="manual", state_file=str(state_file))) as running:
        show(browser, running, "snapshots", "#state-file code")
        assert "nothing written yet" in browser.find_element(By.ID, "state-file").text
        httpx.post(
            f"{running.url}/_mock/tenants", json={"vendor": "crowdflower", "credential": "kept"}
        ).raise_for_status()
        httpx.post(f"{running.url}/_mock/snapshot").raise_for_status()
        show(browser, running, "snapshots", "#state-file code")
        shown = browser.find_element(By.ID, "state-file").text
        assert str(state_file) in shown
        assert f"1 tenants, {state_file.stat().st_size} bytes" in shown
