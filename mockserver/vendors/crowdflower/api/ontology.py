"""J28: a job's ontology, as JSON (``/ontology``) or CSV (``/ontology.csv``).

FOUND (Appen's OpenAPI document): ``GET`` answers the JSON array, ``.csv`` the same as
CSV text; ``PUT`` takes the JSON array, or a CSV file as the ``file`` part of a
multipart form (the documented curl sends that one to ``/ontology`` too), and answers
200. Appen served these from api-proxy.appen.com. The documented JSON example is sent
with curl's ``--data-raw``, so it arrives labelled as a urlencoded form: any body that is
not a file (multipart or CSV) is read as the JSON array. INFERRED: a PUT answers the
ontology it stored, and a CSV body may also come raw (``text/csv``).
"""

from __future__ import annotations

import csv
import io

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from mockserver.core.context import body_of
from mockserver.core.contract import contract
from mockserver.core.errors import PayloadTooLarge
from mockserver.core.jsontext import loads
from mockserver.core.wire import media_type

from ..backend.ontology import csv_rows, from_rows, read_classes
from ..errors import MissingParameters
from ..rows import CSV_TYPES, TooManyRows, read_upload
from .common import answer, job_of

MAX_CLASSES = 100_000  # bound: an ontology far past any real one is refused as too many rows


async def show(request: Request) -> Response:
    return answer(job_of(request).ontology)


@contract(produces=("text/plain",))
async def show_csv(request: Request) -> Response:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(csv_rows(job_of(request).ontology))
    return PlainTextResponse(out.getvalue())


@contract(body="ontology")
async def replace(request: Request) -> Response:
    job = job_of(request)
    body = body_of(request.scope)
    if not body.strip():
        raise MissingParameters()  # FOUND: the request body is required
    kind = media_type(request)
    if kind.startswith("multipart/") or kind in CSV_TYPES:
        try:
            upload, _ = read_upload(
                request.headers.get("content-type", ""), body, max_rows=MAX_CLASSES
            )
        except TooManyRows:
            raise PayloadTooLarge(
                MAX_CLASSES, f"An ontology holds at most {MAX_CLASSES:,} classes."
            ) from None
        job.ontology = from_rows(upload.rows)
    else:
        job.ontology = read_classes(loads(body))
    return answer(job.ontology)


routes = [
    Route("/v1/jobs/{job_id}/ontology", show, methods=["GET"]),
    Route("/v1/jobs/{job_id}/ontology", replace, methods=["PUT"]),
    Route("/v1/jobs/{job_id}/ontology.csv", show_csv, methods=["GET"]),
    Route("/v1/jobs/{job_id}/ontology.csv", replace, methods=["PUT"]),
]
