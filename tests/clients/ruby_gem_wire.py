"""The requests CrowdFlower's official Ruby gem sends, byte for byte, and how it reads them.

The gem (``crowdflower`` 0.12.0, github ``CrowdFlower/ruby-crowdflower``) cannot run
here, so :class:`RubyGem` sends what its code builds, through the sandbox's ASGI app:

- the URL is ``"#{domain_base}/v#{version}/#{path}"`` and every path the gem passes
  starts with ``/``, so each request reads ``/v1//jobs...`` (``Connection#url``);
- ``key`` comes first in the query, then the call's own ``:query`` (``default_params``
  merged with it); HTTParty writes both queries and hash bodies with its
  ``HashConversions.to_params``: Rails brackets (``job[title]``, ``channels[]``),
  values escaped as ``ERB::Util.url_encode`` does (everything but ``A-Za-z0-9_.-~``,
  a space as ``%20``), ``nil`` as an empty value; keys escaped the same way since
  HTTParty 0.16, and written as they are (``job[title]=``) by the 0.13 of the gem's
  day, so both are replayed;
- a hash body goes as ``application/x-www-form-urlencoded``; an upload's body is the
  file's bytes with the content type the caller names; a POST or PUT without a body
  still says ``Content-Length: 0`` and the form type (Net::HTTP's doing);
- every request asks ``Accept: application/json`` (the class's ``headers``), and
  Net::HTTP adds its own ``User-Agent`` and ``Accept-Encoding``; ``Job.create``,
  ``Job#update``, ``Worker#reject``, ``#flag`` and ``#deflag`` also set
  ``Content-Length: 0``, which Net::HTTP overwrites with the real length whenever
  there is a body;
- answers are parsed as JSON whatever their type (``format :json``); ``create``,
  ``update``, ``copy`` and ``upload`` raise when the answer holds ``error``,
  ``errors`` or ``warning`` (``Base.verify_response``), the other calls hand the
  parsed answer back unchecked.

These facts were checked against the gem itself (its ``lib``, unmodified, on Ruby 3.1
and HTTParty 0.21) calling a running sandbox, whose journal held these very requests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx
from starlette.testclient import TestClient

NET_HTTP_HEADERS = {
    "user-agent": "Ruby",
    "accept-encoding": "gzip;q=1.0,deflate;q=0.6,identity;q=0.3",
}
FORM = "application/x-www-form-urlencoded"


class APIError(AssertionError):
    """``CrowdFlower::APIError`` / ``APIWarning``: what ``verify_response`` raises."""


def url_encode(text: str) -> str:
    """``ERB::Util.url_encode``: every byte but ``A-Za-z0-9_.-~`` as ``%XX``."""
    return quote(text, safe="")


def ruby_text(value: Any) -> str:
    """``value.to_s`` for the values the gem sends."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _keys(key: str, value: Any, modern: bool) -> list[tuple[str, Any]]:
    """HTTParty's ``normalize_keys``: a value's ``(bracketed key, scalar)`` pairs (an
    empty list is ``key[]=`` since 0.16, and nothing at all in 0.13)."""
    if isinstance(value, list):
        if not value:
            return [(f"{key}[]", "")] if modern else []
        return [pair for element in value for pair in _keys(f"{key}[]", element, modern)]
    if not isinstance(value, dict):
        return [(key, value)]
    pairs: list[tuple[str, Any]] = []
    stack = [(key, value)]
    for parent, mapping in stack:  # as in Ruby, hashes met on the way join the end
        for child, child_value in mapping.items():
            name = f"{parent}[{child}]"
            if isinstance(child_value, dict):
                stack.append((name, child_value))
            elif isinstance(child_value, list):
                for element in child_value:
                    pairs += _keys(f"{name}[]", element, modern)
            else:
                pairs += _keys(name, child_value, modern)
    return pairs


def to_params(mapping: dict[str, Any], *, escape_keys: bool = True) -> str:
    """``HTTParty::HashConversions.to_params`` (of 0.13 without ``escape_keys``)."""
    pairs = [pair for key, value in mapping.items() for pair in _keys(key, value, escape_keys)]
    return "&".join(
        f"{url_encode(k) if escape_keys else k}={url_encode(ruby_text(v))}" for k, v in pairs
    )


class RubyGem:
    """``CrowdFlower::Connection`` and the calls of ``Job``, ``Unit``, ``Judgment``,
    ``Order`` and ``Worker``, each sending what the gem's method sends."""

    def __init__(
        self,
        client: TestClient,
        key: str,
        *,
        advance: Callable[[float], None],
        escape_keys: bool = True,
    ) -> None:
        self.client = client
        self.key = key
        self.escape_keys = escape_keys
        self.advance = advance  # the sim clock stands in for the gem's and its test's sleeps
        self.sent: list[httpx.Request] = []

    # -- Connection ----------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, Any] | None = None,
        body: dict[str, Any] | bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        assert path.startswith("/")
        sent = {**NET_HTTP_HEADERS, "accept": "application/json", **(headers or {})}
        content: bytes | None = None
        if isinstance(body, dict):
            content = to_params(body, escape_keys=self.escape_keys).encode()
            sent.setdefault("content-type", FORM)
        elif body is not None:
            content = body
        if content is not None:
            sent["content-length"] = str(len(content))
        elif method in ("POST", "PUT"):
            sent.setdefault("content-type", FORM)
            sent["content-length"] = "0"
        query_string = to_params({"key": self.key, **(query or {})}, escape_keys=self.escape_keys)
        url = f"/v1/{path}?{query_string}"
        response = self.client.request(method, url, content=content, headers=sent)
        self.sent.append(response.request)
        return response

    @staticmethod
    def parsed(response: httpx.Response) -> Any:
        """HTTParty's ``format :json``: the body as JSON, whatever its content type."""
        return json.loads(response.content) if response.content.strip() else None

    def verified(self, response: httpx.Response) -> Any:
        """``Base.verify_response``, then the parsed answer."""
        answer = self.parsed(response)
        if isinstance(answer, dict):
            problem = answer.get("errors") or answer.get("error") or answer.get("warning")
            if problem:
                raise APIError(f"{response.request.url}: {problem!r}")
        elif response.status_code == 401 or response.status_code >= 500:
            raise APIError(f"{response.request.url}: {response.status_code} {response.text}")
        return answer

    def get(self, path: str, **options: Any) -> Any:
        return self.parsed(self.request("GET", path, **options))

    # -- Job -------------------------------------------------------------------------------------

    def job_all(self, page: int = 1, limit: int = 10) -> Any:
        return self.get("/jobs", query={"limit": limit, "page": page})

    def job_create(self, title: str) -> dict[str, Any]:
        response = self.request(
            "POST",
            "/jobs.json",
            query={"job": {"title": title}},
            headers={"content-length": "0"},
        )
        answer: dict[str, Any] = self.verified(response)
        return answer

    def job_upload(
        self, data: bytes, content_type: str, job: int | None = None, **opts: Any
    ) -> int:
        """``Job.upload``: ``"/jobs/#{job_uri}/upload".squeeze("/")``, the file as the body."""
        path = f"/jobs/{job}/upload" if job is not None else "/jobs/upload"
        response = self.request(
            "POST", path, body=data, headers={"content-type": content_type}, query=opts
        )
        answer = self.verified(response)
        return job if job is not None else int(answer["id"])

    def job_get(self, job: int | str) -> Any:
        return self.get(f"/jobs/{job}")

    def job_copy(self, job: int, **opts: Any) -> int:
        answer = self.verified(self.request("GET", f"/jobs/{job}/copy", query=opts))
        return int(answer["id"])

    def job_status(self, job: int) -> Any:
        return self.get(f"/jobs/{job}/ping")

    def job_legend(self, job: int) -> Any:
        return self.get(f"/jobs/{job}/legend")

    def download_csv(self, job: int, kind: str = "full") -> httpx.Response:
        """Asks again, ten (sim) seconds later, while the answer is 202."""
        for _ in range(30):
            response = self.request("GET", f"/jobs/{job}.csv", query={"type": kind})
            if response.status_code == 200:
                return response
            self.verified(response)  # a 202's notice passes; an error raises
            if response.status_code != 202:
                return response
            self.advance(10)
        raise AssertionError(f"the {kind} report of job {job} was never ready")

    def job_pause(self, job: int) -> Any:
        return self.get(f"/jobs/{job}/pause")

    def job_resume(self, job: int) -> Any:
        return self.get(f"/jobs/{job}/resume")

    def job_cancel(self, job: int) -> Any:
        return self.get(f"/jobs/{job}/cancel")

    def job_update(self, job: int, data: dict[str, Any]) -> Any:
        response = self.request(
            "PUT", f"/jobs/{job}.json", body={"job": data}, headers={"content-length": "0"}
        )
        return self.verified(response)

    def job_delete(self, job: int) -> Any:
        return self.parsed(self.request("DELETE", f"/jobs/{job}.json"))

    def channels(self, job: int) -> Any:
        return self.get(f"/jobs/{job}/channels")

    def enable_channels(self, job: int, channels: str | list[str]) -> Any:
        return self.parsed(
            self.request("POST", f"/jobs/{job}/channels", body={"channels": channels})
        )

    def disable_channel(self, job: int, name: str) -> Any:
        return self.parsed(
            self.request("POST", f"/jobs/{job}/disable_channel", body={"channel_name": name})
        )

    def tags(self, job: int) -> Any:
        return self.get(f"/jobs/{job}/tags")

    def update_tags(self, job: int, tags: list[str]) -> Any:
        return self.parsed(self.request("PUT", f"/jobs/{job}/tags", body={"tags": tags}))

    def add_tags(self, job: int, tags: list[str]) -> Any:
        return self.parsed(self.request("POST", f"/jobs/{job}/tags", body={"tags": tags}))

    def remove_tags(self, job: int, tags: list[str]) -> Any:
        return self.parsed(self.request("DELETE", f"/jobs/{job}/tags", body={"tags": tags}))

    # -- Unit ------------------------------------------------------------------------------------

    def units_all(self, job: int, page: int = 1, limit: int = 1000) -> Any:
        return self.get(f"/jobs/{job}/units", query={"limit": limit, "page": page})

    def unit_get(self, job: int, unit: int | str, simple: bool = False) -> Any:
        return self.get(f"/jobs/{job}/units/{unit}", query={"simple": True} if simple else {})

    def units_ping(self, job: int) -> Any:
        return self.get(f"/jobs/{job}/units/ping")

    def unit_judgments(self, job: int, unit: int | str) -> Any:
        return self.get(f"/jobs/{job}/units/{unit}/judgments")

    def unit_create(self, job: int, data: dict[str, Any], gold: bool = False) -> Any:
        """``data.to_json``: the row as a JSON string, compact as Ruby writes it."""
        row = json.dumps(data, separators=(",", ":"))
        body = {"unit": {"data": row, "golden": gold}}
        return self.parsed(self.request("POST", f"/jobs/{job}/units", body=body))

    def unit_copy(
        self, job: int, unit: int | str, job_id: int, data: dict[str, Any] | None = None
    ) -> Any:
        query = {"unit": {"job_id": job_id, "data": data or {}}}
        return self.get(f"/jobs/{job}/units/{unit}/copy", query=query)

    def units_split(self, job: int, on: str, with_: str = " ") -> Any:
        return self.get(f"/jobs/{job}/units/split", query={"on": on, "with": with_})

    def unit_update(self, job: int, unit: int | str, params: dict[str, Any]) -> Any:
        return self.parsed(self.request("PUT", f"/jobs/{job}/units/{unit}", body={"unit": params}))

    def make_gold(self, job: int, unit: int | str) -> Any:
        return self.unit_update(job, unit, {"golden": "true"})

    def unit_cancel(self, job: int, unit: int | str) -> Any:
        return self.parsed(self.request("POST", f"/jobs/{job}/units/{unit}/cancel.json"))

    def unit_delete(self, job: int, unit: int | str) -> Any:
        return self.parsed(self.request("DELETE", f"/jobs/{job}/units/{unit}"))

    def request_more_judgments(self, job: int, unit: int | str, count: int = 1) -> Any:
        path = f"/jobs/{job}/units/{unit}/request_more_judgments.json"
        return self.parsed(self.request("POST", path, body={"nb_judgments": count}))

    # -- Judgment, Order, Worker -------------------------------------------------------------------

    def judgments_all(self, job: int, page: int = 1, limit: int = 100, latest: bool = True) -> Any:
        query = {"limit": limit, "page": page, "latest": latest}
        return self.get(f"/jobs/{job}/judgments", query=query)

    def judgment_get(self, job: int, judgment: int | str) -> Any:
        return self.get(f"/jobs/{job}/judgments/{judgment}")

    def debit(self, job: int, units_count: int = 1, channels: list[str] | None = None) -> Any:
        body = {"debit": {"units_count": units_count}, "channels": channels or ["on_demand"]}
        return self.parsed(self.request("POST", f"/jobs/{job}/orders.json", body=body))

    def bonus(self, job: int, worker: int, amount: int, reason: str | None = None) -> Any:
        body = {"amount": amount, "reason": reason}
        return self.parsed(self.request("POST", f"/jobs/{job}/workers/{worker}/bonus", body=body))

    def reject(self, job: int, worker: int) -> Any:
        path = f"/jobs/{job}/workers/{worker}/reject"
        return self.parsed(self.request("PUT", path, headers={"content-length": "0"}))

    def notify(self, job: int, worker: int, message: str) -> Any:
        path = f"/jobs/{job}/workers/{worker}/notify"
        return self.parsed(self.request("POST", path, body={"message": message}))

    def flag(self, job: int, worker: int, reason: str | None = None, persist: bool = False) -> Any:
        path = f"/jobs/{job}/workers/{worker}/flag"
        body = {"reason": reason, "persist": persist}
        return self.parsed(self.request("PUT", path, body=body, headers={"content-length": "0"}))

    def deflag(self, job: int, worker: int, reason: str) -> Any:
        path = f"/jobs/{job}/workers/{worker}/deflag"
        body = {"reason": reason}
        return self.parsed(self.request("PUT", path, body=body, headers={"content-length": "0"}))

    # -- the integration test's helper ---------------------------------------------------------

    def wait_until(self, condition: Callable[[], bool]) -> None:
        """``wait_until``: ten tries, five (sim) seconds apart."""
        for _ in range(10):
            if condition():
                return
            self.advance(5)
        raise AssertionError("Condition not met in a reasonable time period")
