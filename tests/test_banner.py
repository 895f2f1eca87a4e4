"""The start-up banner's URLs, in both mounting modes (the served one is in the e2e tests)."""

from __future__ import annotations

from mockserver.app import VENDORS
from mockserver.banner import lines
from mockserver.settings import Settings


def test_one_vendor_at_the_root_is_shown_there_and_alone() -> None:
    settings = Settings(vendor="crowdflower", port=9100, clock="manual")
    shown = lines(settings, VENDORS, state="in memory", fixtures="none")
    vendors = [line.split()[0] for line in shown[1:-4]]
    assert vendors == ["crowdflower"]
    assert shown[0] == "mockserver on http://127.0.0.1:9100"
    assert "http://127.0.0.1:9100/v1 (or Host: api.crowdflower.com)" in shown[1]
    assert shown[-2:] == ["  fixtures     none", "  state        in memory"]


def test_an_ipv6_host_is_bracketed() -> None:
    shown = lines(Settings(host="::1", port=9101), VENDORS, state="-", fixtures="-")
    assert shown[0].startswith("mockserver on http://[::1]:9101 ")
    assert "http://[::1]:9101/clickworker/api/marketplace/v2" in "\n".join(shown)


def test_every_vendor_mounted_says_the_bare_root_serves_each() -> None:
    shown = lines(Settings(port=9102), VENDORS, state="-", fixtures="-")
    assert shown[0] == (
        "mockserver on http://127.0.0.1:9102 (each vendor also at this root, known by its paths)"
    )
