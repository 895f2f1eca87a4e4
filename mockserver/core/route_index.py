"""Finding the routes that could serve a path without trying every route.

Starlette's router tries each route's regular expression in turn, so a vendor with
eighty routes pays for eighty matches on its last one. Here routes are filed in a
tree by their path segments: a literal segment is a key, a segment holding a
parameter matches any one segment, and a route whose parameter may span segments
(``{name:path}``), or that is not a plain route, is a candidate for every path.
The candidates keep the routes' order, so the first that matches still wins, as in
Starlette.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from starlette.routing import BaseRoute, Route


@dataclass(slots=True)
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    any: _Node | None = None
    ends: list[int] = field(default_factory=list)  # indexes of routes ending here


class RouteIndex:
    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.routes = list(routes)
        self._root = _Node()
        self._everywhere: list[int] = []
        for index, route in enumerate(self.routes):
            path = route.path if isinstance(route, Route) else None
            if path is None or ":path}" in path:
                self._everywhere.append(index)
                continue
            node = self._root
            for segment in path.split("/")[1:]:
                if "{" in segment:
                    node.any = node.any or _Node()
                    node = node.any
                else:
                    node = node.literal.setdefault(segment, _Node())
            node.ends.append(index)

    def candidates(self, path: str) -> list[BaseRoute]:
        """The routes that may match ``path``, in their original order."""
        nodes = [self._root]
        for segment in path.split("/")[1:]:
            following: list[_Node] = []
            for node in nodes:
                exact = node.literal.get(segment)
                if exact is not None:
                    following.append(exact)
                if node.any is not None and segment:
                    following.append(node.any)
            nodes = following
            if not nodes:
                break
        indexes = [index for node in nodes for index in node.ends]
        indexes.extend(self._everywhere)
        return [self.routes[index] for index in sorted(indexes)]
