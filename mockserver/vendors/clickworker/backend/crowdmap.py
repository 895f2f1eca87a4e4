"""How many clickworkers live around a place: ``count_in_radius``.

FOUND: the count of clickworkers within ``r`` km of a point; the radius is at least
10 km (smaller values are raised to 10); a count of 0 is a normal answer; nothing
about individual workers is given away. INFERRED: the sandbox has no real crowd
map, so each one-degree cell of the globe gets a density drawn from a hash of the
account and the cell (a quarter of the cells are empty, like seas and deserts), and
the count is that density times the circle's area, capped at the crowd's size.
Asking twice gives the same number, and a wider circle never gives fewer.
"""

from __future__ import annotations

import hashlib
import math

MIN_RADIUS_KM = 10.0
MAX_RADIUS_KM = 20_038.0  # half the equator: a circle this wide covers the globe
CROWD_SIZE = 2_500_000  # INFERRED: the order of magnitude clickworker advertises
EMPTY_SHARE = 0.25
MAX_DENSITY = 1.5  # clickworkers per km² in the busiest cells


def radius(r: float) -> float:
    """``r`` raised to the minimum, and held to a circle covering the globe, past which a
    wider one holds no more (and its area would overflow)."""
    return min(max(MIN_RADIUS_KM, r), MAX_RADIUS_KM)


def density(seed: str, latitude: float, longitude: float) -> float:
    """Clickworkers per km² in the one-degree cell holding the point."""
    cell = f"{seed}:{math.floor(latitude)}:{math.floor(longitude)}"
    digest = hashlib.sha256(cell.encode()).digest()
    empty, level = (int.from_bytes(digest[i : i + 4], "big") / 2**32 for i in (0, 4))
    if empty < EMPTY_SHARE:
        return 0.0
    return 0.002 + MAX_DENSITY * level**2


def count_in_radius(seed: str, latitude: float, longitude: float, r: float) -> int:
    area = math.pi * radius(r) ** 2
    return min(CROWD_SIZE, int(density(seed, latitude, longitude) * area))
