"""mockserver built as ``mockserver serve`` builds it, for granian to serve.

``granian --interface asgi --factory bench.granian_app:app`` calls :func:`app`: the
settings come from the benchmark's flags and the ``MOCKSERVER_*`` environment, as
the command line reads them, and the import-time objects are frozen out of the
garbage collector's walks first, as ``mockserver serve`` does. What differs from
``serve`` is only the HTTP server (and its logging set-up).
"""

from __future__ import annotations

import gc
import os

from mockserver.app import MockServer, create_app
from mockserver.cli import build_settings

from .servers import MOCK_FLAGS


def app() -> MockServer:
    gc.freeze()
    return create_app(build_settings(list(MOCK_FLAGS), os.environ))
