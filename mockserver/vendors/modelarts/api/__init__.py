"""ModelArts Data Management (v2) and the IAM token call, as routes."""

from __future__ import annotations

from . import acceptance, datasets, iam, imports, labeling, labels, samples, versions, workforces

routes = [
    *iam.routes,
    *datasets.routes,
    *samples.routes,
    *labels.routes,
    *labeling.routes,
    *acceptance.routes,
    *workforces.routes,
    *versions.routes,
    *imports.routes,
]
