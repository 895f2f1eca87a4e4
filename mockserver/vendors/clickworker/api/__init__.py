"""clickworker Marketplace API v2 routes (customer side)."""

from __future__ import annotations

from . import customer, jobs, misc, notifications, products, tasks, templates

routes = [
    *customer.routes,
    *products.routes,
    *templates.routes,
    *misc.routes,
    *tasks.routes,
    *jobs.routes,
    *notifications.routes,
]
