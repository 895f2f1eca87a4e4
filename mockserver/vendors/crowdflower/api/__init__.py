"""CrowdFlower API v1 routes; literal paths come before ``{job_id}`` patterns."""

from __future__ import annotations

from . import account, gold, jobs, ontology, orders, reports, units, workers

routes = [
    *units.routes,
    *account.routes,
    *reports.routes,
    *gold.routes,
    *workers.routes,
    *ontology.routes,
    *jobs.routes,
    *orders.routes,
]
