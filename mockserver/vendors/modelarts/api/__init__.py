"""ModelArts Data Management (v2) and the IAM token call, as routes."""

from __future__ import annotations

from . import (
    acceptance,
    autolabel,
    datasets,
    exports,
    iam,
    imports,
    labeling,
    labels,
    processing,
    samples,
    sync,
    team_notify,
    team_samples,
    versions,
    workforces,
)

routes = [
    *iam.routes,
    *team_notify.routes,
    *sync.routes,
    *datasets.routes,
    *samples.routes,
    *labels.routes,
    *labeling.routes,
    *team_samples.routes,
    *acceptance.routes,
    *workforces.routes,
    *versions.routes,
    *imports.routes,
    *exports.routes,
    *autolabel.routes,
    *processing.routes,
]
