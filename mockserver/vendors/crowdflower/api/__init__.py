"""CrowdFlower API v1 routes; literal paths come before ``{job_id}`` patterns."""

from __future__ import annotations

from . import account, jobs

routes = [*account.routes, *jobs.routes]
