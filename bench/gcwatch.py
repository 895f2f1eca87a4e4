"""``mockserver serve`` with each full garbage collection timed, for the soak.

Run as ``python bench/gcwatch.py serve --port ...`` (the arguments of ``mockserver``).
The soak's longest health-probe wait is the event loop's longest stall whatever caused
it, and on a shared machine the other processes' turns on the CPU cause the most. This
tells the collector's part apart: it writes one line to stderr for each collection of
the oldest generation (the only ones long enough to matter), with its wall and CPU
milliseconds and the tracked objects it left (counted after the timing, so the count's
own few milliseconds are not in it), which :func:`longest` reads back from the
server's log.
"""

from __future__ import annotations

import gc
import re
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``mockserver`` importable from here
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LINE = "full collection: {wall:.1f} ms, {cpu:.1f} ms of CPU, {objects} objects tracked"
PATTERN = re.compile(
    r"^full collection: ([\d.]+) ms, ([\d.]+) ms of CPU, (\d+) objects tracked$", re.MULTILINE
)


def watch() -> None:
    """Times every collection of the oldest generation from now on."""
    started = [0.0, 0.0]

    def timed(phase: str, info: dict[str, Any]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            started[:] = time.perf_counter(), time.process_time()
            return
        wall = (time.perf_counter() - started[0]) * 1000
        cpu = (time.process_time() - started[1]) * 1000
        objects = len(gc.get_objects())
        print(LINE.format(wall=wall, cpu=cpu, objects=objects), file=sys.stderr, flush=True)

    gc.callbacks.append(timed)


def longest(log: str) -> dict[str, Any]:
    """The full collections a watched server logged: how many, and the longest's times
    and the objects it left tracked."""
    pauses = [(float(wall), float(cpu), int(n)) for wall, cpu, n in PATTERN.findall(log)]
    wall, cpu, objects = max(pauses, default=(0.0, 0.0, 0))
    return {
        "full_collections": len(pauses),
        "longest_gc_ms": wall,
        "longest_gc_cpu_ms": cpu,
        "longest_gc_objects": objects,
    }


if __name__ == "__main__":
    watch()
    from mockserver.cli import main

    sys.exit(main(sys.argv[1:]))
