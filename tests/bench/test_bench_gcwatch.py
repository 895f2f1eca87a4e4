"""bench/gcwatch.py: a watched process logs each full collection, and the soak reads it back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import gcwatch  # noqa: E402

# two full collections and a young one, then out without the interpreter's own at exit
WATCHED = (
    "import gc, os, sys; from bench import gcwatch; gcwatch.watch(); "
    "gc.collect(0); gc.collect(); gc.collect(); sys.stderr.flush(); os._exit(0)"
)


def test_each_full_collection_of_a_watched_process_is_logged_and_read_back() -> None:
    done = subprocess.run(
        [sys.executable, "-c", WATCHED], cwd=ROOT, capture_output=True, text=True, check=True
    )
    found = gcwatch.longest(done.stderr)
    assert found["full_collections"] == 2  # the young collection is not logged
    assert found["longest_gc_ms"] > 0 and found["longest_gc_objects"] > 0
    assert found == gcwatch.longest(done.stderr + "some other line\n")


def test_a_log_without_collections_reads_as_none() -> None:
    assert gcwatch.longest("INFO started\n") == {
        "full_collections": 0,
        "longest_gc_ms": 0.0,
        "longest_gc_cpu_ms": 0.0,
        "longest_gc_objects": 0,
    }
