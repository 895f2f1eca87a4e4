"""CrowdFlower API v1 routes; literal paths come before ``{job_id}`` patterns."""

from __future__ import annotations

from . import account, jobs, orders, reports, units

routes = [*units.routes, *account.routes, *reports.routes, *jobs.routes, *orders.routes]
