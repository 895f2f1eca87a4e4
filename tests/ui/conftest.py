"""The dashboard in a real headless Chromium, driven by Selenium, against a real server.

One browser, one server and one scenario per module: a browser takes a second or two
to start, and the views only read what the scenario made. Debian's ``chromium`` and
``chromium-driver`` provide the browser (``.ci/run`` installs them); without them the
tests skip, except on CI (``CI=true``), where a missing browser is a failure.

Screenshots of each view go to a temporary folder, or to ``DASHBOARD_SCREENSHOTS``
when set (``DASHBOARD_SCREENSHOTS=docs/ui pytest tests/ui`` remakes the README's).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from mockserver.settings import Settings
from mockserver.testing import Receiver, ServerThread

EPOCH = "2024-05-01T10:00:00Z"
CF_KEY = "V7TIDI7C8CZ5NF1794"
CF_CONFIGURATION = "e3404e84-db35-43a4-9144-d3588a4beb28"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _browser_binaries() -> tuple[str, str]:
    driver = shutil.which("chromedriver")
    browser = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    if driver is None or browser is None:
        reason = "no headless Chromium: install Debian's chromium and chromium-driver"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true, so the dashboard's browser tests must run)")
        pytest.skip(reason)
    return browser, driver


def start_browser() -> webdriver.Chrome:
    browser, driver = _browser_binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=1400,1000")
    return webdriver.Chrome(options=options, service=Service(driver))


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    chrome = start_browser()
    try:
        yield chrome
    finally:
        chrome.quit()


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(Settings(clock="manual", seed=7, epoch=EPOCH)) as running:
        yield running


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("DASHBOARD_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cloudfactory_task_with_a_failing_webhook(server: ServerThread, receiver: Receiver) -> None:
    """A CloudFactory task whose completion webhook the receiver answers 500 once: the
    delivery keeps its failed attempt and waits an hour for its retry."""
    receiver.respond(500, 200)
    with (
        httpx.Client(base_url=server.url) as mock,
        httpx.Client(base_url=f"{server.url}/cloudfactory", headers={"x-api-key": CF_KEY}) as api,
    ):
        mock.post(
            "/_mock/tenants",
            json={
                "vendor": "cloudfactory",
                "credential": CF_KEY,
                "setup": {"configurations": [{"id": CF_CONFIGURATION, "webhook_secret": "s"}]},
            },
        ).raise_for_status()
        media = api.post(
            "/v1/media", json={"configuration_id": CF_CONFIGURATION, "content_type": "image/png"}
        ).json()
        httpx.put(
            media["media_upload_url"], content=b"\x89PNG", headers={"Content-Type": "image/png"}
        ).raise_for_status()
        api.post(
            "/v1/tasks",
            json={
                "media_key": media["media_key"],
                "configuration_id": CF_CONFIGURATION,
                "callback_url": f"{receiver.url}/hooks/cf",
                "media_type": "image",
            },
        ).raise_for_status()
        tenant = f"cloudfactory:{CF_KEY}"
        for _ in range(18):  # ten-minute steps: a step never reaches the hourly retry
            if receiver.requests:
                break
            mock.post("/_mock/clock/advance", json={"seconds": 600, "tenant": tenant})
    assert len(receiver.requests) == 1, "the task's webhook was not sent"


@pytest.fixture(scope="module")
def scenario(server: ServerThread, receiver: Receiver) -> ServerThread:
    """A running CrowdFlower job, a CloudFactory task with a failed webhook and a
    clickworker task waiting for its buyoff, as a contract test would leave them."""
    for fixture in ("crowdflower-running-job", "clickworker-buyoff"):
        httpx.post(f"{server.url}/_mock/fixtures/{fixture}").raise_for_status()
    cloudfactory_task_with_a_failing_webhook(server, receiver)
    return server
