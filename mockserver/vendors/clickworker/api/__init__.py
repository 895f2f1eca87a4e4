"""clickworker Marketplace API v2 routes (customer side)."""

from __future__ import annotations

from . import customer

routes = [*customer.routes]
