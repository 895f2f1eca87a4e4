"""bench/heap.py: the soak's end state, built in one process, and what the collector walks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_small_end_state_is_built_and_counted() -> None:
    done = subprocess.run(
        [sys.executable, "bench/heap.py", "--keys", "20", "--writes", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    end = re.search(r"^end: ([\d,]+) tracked objects .*?, ([\d,]+) tenants", done.stdout, re.M)
    assert end is not None, done.stdout
    prepared = re.search(r"^prepared: .*?, (\d+) tenants", done.stdout, re.M)
    assert prepared is not None
    assert int(end.group(2).replace(",", "")) == int(prepared.group(1)) + 20  # one per key
