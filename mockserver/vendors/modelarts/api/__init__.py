"""ModelArts Data Management (v2) and the IAM token call, as routes."""

from __future__ import annotations

from . import datasets, iam, imports, labels, samples, versions, workforces

routes = [
    *iam.routes,
    *datasets.routes,
    *samples.routes,
    *labels.routes,
    *workforces.routes,
    *versions.routes,
    *imports.routes,
]
