"""ModelArts refusals: ``{"error_code": "ModelArts.xxxx", "error_msg": "..."}``.

FOUND: that body, with 401/403/404 as the pages say and **400** for almost every
business-rule failure, "does not exist" included (the error-code appendix).
INFERRED (the appendix lists some codes under two statuses): a missing or malformed
auth header is 401 ``ModelArts.0205``/``0206``, a bad signature or unknown AK 403
``ModelArts.0206``, a bad or expired token 401 ``ModelArts.0203``/``0202``, a URL
project that is not the credential's 403 ``ModelArts.0210``; a body that is not
JSON is 400 ``ModelArts.0104`` (parameter error), one over the size limit 413
``ModelArts.4104``, a request over the rate limit 429 ``ModelArts.4395`` and
anything unexpected 500 ``ModelArts.0010``.
"""

from __future__ import annotations

from typing import ClassVar

from mockserver.core.errors import (
    Forbidden,
    InvalidInput,
    MalformedBody,
    MethodNotAllowed,
    MockError,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    Unauthenticated,
    UnsupportedMediaType,
)


class ModelArtsError(MockError):
    """A refusal with its documented code."""

    code: ClassVar[str] = "ModelArts.0101"


class NoAuthHeader(Unauthenticated):
    code = "ModelArts.0205"
    message = "The request has no authorization header or token."


class BadAuthHeader(Unauthenticated):
    code = "ModelArts.0206"
    message = "The authorization header is malformed."


class TokenInvalid(Unauthenticated):
    code = "ModelArts.0203"
    message = "The token is invalid."


class TokenExpired(Unauthenticated):
    code = "ModelArts.0202"
    message = "The token has expired."


class SignatureRefused(Forbidden):
    code = "ModelArts.0206"
    message = "Invalid AK/SK."


class ProjectMismatch(Forbidden):
    code = "ModelArts.0210"
    message = "The project id in the URL does not match the credential's project."


class DatasetMissing(ModelArtsError):
    status = 400
    code = "ModelArts.4352"
    message = "The dataset does not exist."


class DatasetExists(ModelArtsError):
    status = 400
    code = "ModelArts.4351"
    message = "The dataset already exists."


CODES: dict[type[MockError], str] = {
    InvalidInput: "ModelArts.0104",
    MalformedBody: "ModelArts.0104",
    UnsupportedMediaType: "ModelArts.0104",
    NotFound: "ModelArts.0104",
    MethodNotAllowed: "ModelArts.0104",
    PayloadTooLarge: "ModelArts.4104",
    RateLimited: "ModelArts.4395",
}


def error_body(error: MockError) -> tuple[int, dict[str, str]]:
    code = getattr(error, "code", None) or next(
        (c for kind, c in CODES.items() if isinstance(error, kind)), "ModelArts.0010"
    )
    message = error.detail
    if isinstance(error, InvalidInput):
        message = "; ".join(f"{e.field}: {e.message}" for e in error.errors) or message
    status = error.status
    if isinstance(error, NotFound) and not isinstance(error, ModelArtsError):
        status = 404  # an unknown route, not a missing resource
    return status, {"error_code": code, "error_msg": message}


class ParameterInvalid(ModelArtsError):
    """A field breaks a documented content rule; the message names the field."""

    status = 400
    code = "ModelArts.4396"
    message = "The parameter is invalid."


class ObsPathInvalid(ModelArtsError):
    status = 400
    code = "ModelArts.4313"
    message = "The OBS path is invalid."


class SubDirectoryRequired(ModelArtsError):
    status = 400
    code = "ModelArts.4205"
    message = "A sub-directory must be given as the dataset input or output path."


class DatasetVersionMissing(ModelArtsError):
    status = 400
    code = "ModelArts.4353"
    message = "The dataset version does not exist."


class LabelMissing(ModelArtsError):
    status = 400
    code = "ModelArts.4410"
    message = "The label does not exist."


class LabelExists(ModelArtsError):
    status = 400
    code = "ModelArts.4411"
    message = "The label already exists."


class SampleMissing(ModelArtsError):
    status = 400
    code = "ModelArts.4420"
    message = "The sample does not exist."


class SampleUploadFailed(ModelArtsError):
    status = 400
    code = "ModelArts.4421"
    message = "Failed to upload the sample."


class SampleExists(ModelArtsError):
    status = 400
    code = "ModelArts.4422"
    message = "The sample already exists."


class WorkforceMissing(ModelArtsError):
    status = 400
    code = "ModelArts.4601"
    message = "The workforce does not exist."


class WorkforceExists(ModelArtsError):
    status = 400
    code = "ModelArts.4602"
    message = "The workforce already exists."


class WorkerMissing(ModelArtsError):
    status = 400
    code = "ModelArts.4604"
    message = "The worker does not exist."


class WorkerExists(ModelArtsError):
    status = 400
    code = "ModelArts.4605"
    message = "The worker already exists."


class WorkerHasTask(ModelArtsError):
    status = 400
    code = "ModelArts.4628"
    message = "A worker who has a task cannot be deleted."


class VersionPublishLimited(ModelArtsError):
    status = 400
    code = "ModelArts.4370"
    message = "Only one version of a dataset can be released per minute."


class DatasetVersionExists(ModelArtsError):
    status = 400
    code = "ModelArts.4371"
    message = "The dataset version already exists."


class ImportTaskRunning(ModelArtsError):
    status = 400
    code = "ModelArts.4356"
    message = "The dataset already has a running import task."


class ImportTaskMissing(ModelArtsError):
    status = 400
    code = "ModelArts.4612"
    message = "The task does not exist."


class WorkforceTaskMissing(ModelArtsError):
    status = 400
    code = "ModelArts.4619"
    message = "The workforce task does not exist."


class WorkforceTaskExists(ModelArtsError):
    status = 400
    code = "ModelArts.4620"
    message = "The workforce task already exists."


class WorkforceTaskStartFailed(ModelArtsError):
    status = 400
    code = "ModelArts.4621"
    message = "Failed to start the team labeling task."


class SampleAlreadyReviewed(ModelArtsError):
    """Listed with HTTP 200 in the error-code appendix."""

    status = 200
    code = "ModelArts.4606"
    message = "The sample has already been reviewed."


class WorkforceTaskUnfinished(ModelArtsError):
    status = 400
    code = "ModelArts.4615"
    message = "The workforce task is unfinished."


class AcceptanceRunning(ModelArtsError):
    status = 400
    code = "ModelArts.4623"
    message = "The workforce task is being checked."


class AcceptanceNotRunning(ModelArtsError):
    status = 400
    code = "ModelArts.4624"
    message = "The member task is not checked."


class NoUncheckedSamples(ModelArtsError):
    status = 400
    code = "ModelArts.4625"
    message = "There are no unchecked samples."


class CheckingTaskMissing(ModelArtsError):
    status = 400
    code = "ModelArts.4631"
    message = "The task does not exist."


class ExportPathInvalid(ModelArtsError):
    status = 400
    code = "ModelArts.4358"
    message = "The export path is invalid."


class ExportTaskMissing(ModelArtsError):
    status = 400
    code = "ModelArts.4359"
    message = "The export task does not exist."


class ExportParameterInvalid(ModelArtsError):
    status = 400
    code = "ModelArts.4384"
    message = "The export parameter is invalid."


class AutoLabelingNeedsLabels(ModelArtsError):
    status = 400
    code = "ModelArts.4405"
    message = "Auto-labeling needs the dataset's labels."


class AutoLabelingTaskExists(ModelArtsError):
    status = 501
    code = "ModelArts.4386"
    message = "An auto-labeling task already exists."


class PreLabelingTaskExists(ModelArtsError):
    status = 501
    code = "ModelArts.4387"
    message = "A pre-labeling task already exists."


class AutoLabelingTaskMissing(ModelArtsError):
    status = 400
    code = "ModelArts.4612"
    message = "The task does not exist."


class ProcessorTaskMissing(ModelArtsError):
    status = 400
    code = "ModelArts.4612"
    message = "The processing task does not exist."


class ProcessorVersionMissing(ModelArtsError):
    status = 400
    code = "ModelArts.4612"
    message = "The processing task version does not exist."
