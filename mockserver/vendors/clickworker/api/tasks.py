"""``customer/tasks``: create, list, show, update and cancel tasks.

FOUND: ``POST customer/tasks`` with a ``<task>`` (``customer_ref``, a ``template``
link, ``input`` items, ``notifications`` subscriptions) answers ``task_response``;
the list filters by ``state`` and by ``from``/``to`` on the creation date
(``dd.mm.yyyy``); ``show_cloned_task=true`` on the show route gives the results of
a task that was cloned; ``DELETE`` on a task's URI. Timestamps are ISO 8601 with an
offset; amounts are decimal strings.

INFERRED: a ``customer_ref`` filter (exact match); ``page``/``per_page`` paging only
when asked (``per_page`` 50 by default, at most 100); ``created_at`` in UTC;
``PUT`` changes ``customer_ref`` and, through ``state``, only cancels; ``DELETE``
cancels and answers the cancelled task; ``cloned_task`` holds a link to the clone;
``results`` sit inside ``task``. With ``show_cloned_task=true`` the original's
``id``, ``link`` and ``customer_ref`` stay and the rest is the newest clone's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Scope

from mockserver.core.clock import iso_seconds
from mockserver.core.contract import contract
from mockserver.core.errors import InvalidInput
from mockserver.core.numbers import MAX_NATURAL, natural, positive
from mockserver.core.validation import validate

from ..backend.ordering import Item, Order, Subscription
from ..backend.pricing import Quote
from ..backend.tasks import Task, TaskNotFound
from ..envelope import (
    CONTEXT,
    Site,
    about,
    as_list,
    base_url,
    envelope,
    prerendered,
    read_entity,
    respond,
    site,
)
from .common import money, world_of

SUBSCRIPTION_FIELDS = ("event", "callback_url", "callback_method", "payload_format")
CANCEL = frozenset({"cancelled", "canceled", "deleted"})
TRUE = frozenset({"true", "1", "yes"})
PER_PAGE, MAX_PER_PAGE = 50, 100
DAY = 86400.0
DAY_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")
# Written answers kept, per kind; the least recently used go first. Each is three objects
# for every full garbage collection to walk, and polling clients ask about few tasks at once.
ANSWERS_KEPT = 1024


def text(value: Any) -> str | None:
    """A scalar of either format as a string; ``None`` when missing or not a scalar."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return str(value["text"])  # an XML element that also carries attributes
    return None


def href_of(value: Any) -> str | None:
    """The ``href`` of a ``{"link": [...]}`` reference (or a bare href string)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for entry in as_list(value.get("link")):
            if isinstance(entry, dict) and entry.get("href"):
                return text(entry["href"])
    return None


def items_of(value: Any) -> list[tuple[str | None, str | None]]:
    """``code``/``content`` pairs of an ``{"items": [...]}`` block."""
    if not isinstance(value, dict):
        return []
    return [
        (text(i.get("code")), text(i.get("content"))) if isinstance(i, dict) else (None, None)
        for i in as_list(value.get("items"))
    ]


def items_view(items: Iterable[Item]) -> list[dict[str, str]]:
    return [{"code": code, "content": content} for code, content in items]


def task_id_of(request: Request) -> int:
    raw = request.path_params["task_id"]
    task_id = natural(raw)
    if task_id is None:
        raise TaskNotFound(f"No task {raw}")
    return task_id


@lru_cache(maxsize=ANSWERS_KEPT)
def template_ref(where: Site, code: str, product: str) -> Any:
    """A task's ``template``: links to its template and product, written once for each,
    as the tasks made from one template share it."""
    return prerendered(
        where.media_type,
        "template",
        {
            "link": where.links(f"customer/task_templates/{quote(code, safe='')}", "task_template"),
            "product": {"link": where.links(f"products/{product}", "product")},
        },
    )


class TaskShown(NamedTuple):
    """All that an answer shows of a task, and nothing else: equal values are the same
    answer, so each is written once (:func:`task_answer`) and kept while they hold."""

    site: Site
    id: int
    customer_ref: str
    template: str
    product: str
    price: Quote
    state: str
    input: tuple[Item, ...]
    created_at: float
    cloned_task: int | None
    results: tuple[Item, ...] | None
    subscriptions: tuple[Subscription, ...]


def shown(where: Site, task: Task, newest: Task | None = None) -> TaskShown:
    """What the answer about ``task`` shows; ``newest`` is the clone whose state and
    results stand in for it."""
    source = newest or task
    clone = source.id if newest is not None and newest is not task else task.cloned_task
    results = None if source.results is None else tuple(source.results)
    return TaskShown(  # by position: every poll builds one, and keywords double its cost
        where,
        task.id,
        task.customer_ref,
        source.template.code,
        source.template.product,
        source.price,
        source.state,
        tuple(task.input),
        task.created_at,
        clone,
        results,
        tuple(task.subscriptions),
    )


@lru_cache(maxsize=ANSWERS_KEPT)
def task_answer(task: TaskShown) -> Any:
    """The ``task`` of an answer, written for each distinct :class:`TaskShown` once:
    clients poll tasks far more often than tasks change."""
    return prerendered(task.site.media_type, "task", task_view(task))


def task_view(task: TaskShown) -> dict[str, Any]:
    where = task.site
    view: dict[str, Any] = {
        "link": where.links(f"customer/tasks/{task.id}"),
        "id": task.id,
        "customer_ref": task.customer_ref,
        "template": template_ref(where, task.template, task.product),
        "amount": money(task.price.gross),
        "net_amount": money(task.price.net),
        "tax_amount": money(task.price.tax),
        "currency": task.price.currency,
        "state": task.state,
        "input": {"items": items_view(task.input)},
        "created_at": iso_seconds(task.created_at),
    }
    if task.cloned_task is not None:
        view["cloned_task"] = {"link": where.links(f"customer/tasks/{task.cloned_task}", "task")}
    if task.results is not None:
        view["results"] = items_view(task.results)
    view["notifications"] = [
        {
            "event": s.event,
            "callback_url": s.callback_url,
            "callback_method": s.callback_method,
            "payload_format": s.payload_format,
        }
        for s in task.subscriptions
    ]
    return view


def answer(scope: Scope, task: Task, newest: Task | None = None) -> Response:
    """``task_response`` about ``task`` (see :func:`shown` for ``newest``)."""
    return respond(scope, "task", task_answer(shown(site(scope), task, newest)))


def entry_view(scope: Scope, task: Task) -> dict[str, Any]:
    """FOUND: a list entry's fields."""
    where = site(scope)
    return {
        "link": where.links(f"customer/tasks/{task.id}", "task"),
        "customer_ref": task.customer_ref,
        "template": template_ref(where, task.template.code, task.template.product),
        "state": task.state,
        "created_at": iso_seconds(task.created_at),
    }


def read_order(request: Request) -> Order:
    body = read_entity(request, "task")
    validate("clickworker", "task", body)
    return Order(
        customer_ref=text(body.get("customer_ref")),
        template_href=href_of(body.get("template")),
        items=items_of(body.get("input")),
        subscriptions=[
            {k: text(n.get(k)) for k in SUBSCRIPTION_FIELDS} if isinstance(n, dict) else {}
            for n in as_list(body.get("notifications"))
        ],
    )


@contract(body="task", wrap="task")
async def create_task(request: Request) -> Response:
    about(request, "task")
    order = read_order(request)
    task = world_of(request).tasks.create(order, base_url(request.scope))
    return answer(request.scope, task)


@contract(query=("task_filters",))
async def list_tasks(request: Request) -> Response:
    about(request, "tasks")
    query = request.query_params
    # FOUND: ``state`` filters (``feedback``, ``finished``); INFERRED: any case, and a
    # state no task has lists nothing.
    state = (query.get("state") or "").strip().lower() or None
    since = _day(query.get("from"), "from")
    until = _day(query.get("to"), "to")
    found = world_of(request).tasks.listing(
        state=state,
        since=since,
        until=None if until is None else until + DAY,
        customer_ref=query.get("customer_ref"),
    )
    if "page" in query or "per_page" in query:
        page = _positive(query.get("page", "1"), "page", None)
        per_page = _positive(query.get("per_page", str(PER_PAGE)), "per_page", MAX_PER_PAGE)
        found = found[(page - 1) * per_page : page * per_page]
    entries = [entry_view(request.scope, t) for t in found]
    return envelope(request.scope, "tasks", {"tasks": entries})


@contract(query=("clones",))
async def show_task(request: Request) -> Response:
    about(request, "task")
    tasks = world_of(request).tasks
    task = tasks.get(task_id_of(request))
    return answer(request.scope, task, tasks.newest(task) if follows_clones(request) else None)


async def update_task(request: Request) -> Response:
    about(request, "task")
    tasks = world_of(request).tasks
    task = tasks.get(task_id_of(request))
    body = read_entity(request, "task")
    customer_ref = text(body.get("customer_ref"))
    if "customer_ref" in body and body["customer_ref"] is not None and customer_ref is None:
        # bound: a JSON object or list where the reference goes has no text to keep
        raise InvalidInput.one("customer_ref", "must be a string")
    state = (text(body.get("state")) or "").strip().lower()
    # INFERRED, kept as safe: the customer's one state change is cancelling (no client
    # or document sets another).
    if state and state != task.state and state not in CANCEL:
        raise InvalidInput.one("state", "can only be changed to cancelled")
    if state in CANCEL and task.state != "cancelled":
        tasks.cancel(task.id)
    if customer_ref is not None:
        tasks.rename(task.id, customer_ref)
    return answer(request.scope, task)


async def delete_task(request: Request) -> Response:
    about(request, "task")
    tasks = world_of(request).tasks
    task = tasks.cancel(task_id_of(request))
    return answer(request.scope, task)


def follows_clones(request: Request) -> bool:
    """Whether ``show_cloned_task`` asks for the newest clone. Polls seldom carry a
    query, and one without any is not parsed."""
    if not request.scope.get("query_string"):
        return False
    return request.query_params.get("show_cloned_task", "").strip().lower() in TRUE


def _day(value: str | None, name: str) -> float | None:
    """FOUND: ``from``/``to`` are written dd.mm.yyyy; INFERRED: yyyy-mm-dd is read too,
    and a date in neither form is refused (kept as safe: ignoring it would list more
    than asked for, silently)."""
    if not value:
        return None
    for written in DAY_FORMATS:
        try:
            return datetime.strptime(value.strip(), written).replace(tzinfo=UTC).timestamp()
        except ValueError:
            continue
    raise InvalidInput.one(name, "must be a date written dd.mm.yyyy")


def _positive(value: str, name: str, most: int | None) -> int:
    """INFERRED, kept as safe: paging is the sandbox's own offer (nothing documents
    one), so only a client that asks for it can be refused a page it cannot have."""
    number = positive(value.strip(), most=MAX_NATURAL if most is None else most)
    if number is None:
        limit = f" up to {most}" if most is not None else ""
        raise InvalidInput.one(name, f"must be a whole number from 1{limit}")
    return number


routes = [
    Route(f"{CONTEXT}/customer/tasks", create_task, methods=["POST"]),
    Route(f"{CONTEXT}/customer/tasks", list_tasks, methods=["GET"]),
    Route(f"{CONTEXT}/customer/tasks/{{task_id}}", show_task, methods=["GET"]),
    Route(f"{CONTEXT}/customer/tasks/{{task_id}}", update_task, methods=["PUT"]),
    Route(f"{CONTEXT}/customer/tasks/{{task_id}}", delete_task, methods=["DELETE"]),
]
