"""Every vendor at the root of the multi-vendor server, told apart by its paths' shape.

A client whose base URL is the bare server (``http://localhost:8080``) sends the paths
its vendor's host is sent, and the vendors' paths mostly differ from their first
segments on, so the path alone names the vendor, as one edge port serves every AWS
service by its paths. Each vendor declares the leading segments its paths start with
(``VendorRef.root_shapes``: literal segments, ``{name}`` for any one segment), and a
path under exactly one vendor's shape is that vendor's, served at the root path.

Vendors may share a shape (two vendors' APIs both start with ``/v1``). Then the
segment after it, the resource, decides: a vendor owns the resources its own routes
start with, after its own path rewrites (so ``/v1/jobs.json`` is ``/v1/jobs``). That
takes the vendors' route tables, so the first request under a shared shape imports
the vendors sharing it (start-up imports none). A path still either vendor's (an
unknown resource, or one both have) goes by the form of the credential sent
(``VendorRef.credentials``: a header, a header's scheme, a query parameter). A
credential in the body is not looked at: reading the body is the vendor's. Still
undecided, the request is an :class:`Ambiguity`, a 404 that names the candidates and
how to choose between them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qsl

from starlette.types import Scope

from .vendor import Vendor


@dataclass(frozen=True, slots=True)
class Credential:
    """One form a vendor's credential takes on the wire: a header, or a query parameter.

    ``scheme`` narrows a header many vendors use (``Authorization``) to values that start
    with that word (``Token``).
    """

    header: str = ""
    scheme: str = ""
    query: str = ""

    def sent_in(self, scope: Scope, query: frozenset[str]) -> bool:
        if self.query:
            return self.query in query
        name = self.header.lower().encode("latin-1")
        for key, value in scope["headers"]:
            if key == name and value.strip():
                word = value.split(None, 1)[0].decode("latin-1")
                return not self.scheme or word.lower() == self.scheme.lower()
        return False

    def __str__(self) -> str:
        if self.query:
            return f"query parameter {self.query}"
        return f"header {self.header}" + (f": {self.scheme} ..." if self.scheme else "")


class Shaped(Protocol):
    """What root routing needs of a vendor before its code is loaded."""

    @property
    def name(self) -> str: ...

    @property
    def root_shapes(self) -> tuple[str, ...]: ...

    @property
    def credentials(self) -> tuple[Credential, ...]: ...


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """A path several vendors may serve, and a credential that chose none of them."""

    path: str
    candidates: tuple[Shaped, ...]

    def body(self) -> dict[str, Any]:
        names = [ref.name for ref in self.candidates]
        either = _either([f"{name}'s" for name in names])
        forms = "; ".join(
            f"{ref.name}: {_either([str(c) for c in ref.credentials]) or 'none known'}"
            for ref in self.candidates
        )
        prefixed = _either([f"/{name}{self.path}" for name in names])
        message = (
            f"Not Found: {self.path} could be {either}. Send the credential in the form of "
            f"the vendor meant ({forms}), or call {prefixed}."
        )
        return {"message": message, "candidates": names}


def _either(words: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c`` (``""`` for none)."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"


@dataclass(slots=True)
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    any: _Node | None = None
    names: list[str] = field(default_factory=list)  # vendors whose shape ends here


def _segments(template: str) -> list[str]:
    return template.strip("/").split("/")


def _matches(template: Sequence[str], segments: Sequence[str]) -> bool:
    """Whether a path of ``template`` may start with ``segments`` (a ``{name}`` part is
    any one segment)."""
    return len(template) >= len(segments) and all(
        (part.startswith("{") and bool(segment)) or part == segment
        for part, segment in zip(template, segments, strict=False)
    )


class RootPaths:
    """Which served vendor a path at the root is, by its shape (see the module).

    What the path's leading segments decide (a vendor, none, or the vendors the
    credential must choose between) is remembered by those segments: as many as the
    longest shape has, one more where vendors share a shape (``v1/jobs``), so the ids
    further down a path do not multiply what is remembered. A request known by its
    leading segments costs one dictionary lookup.
    """

    REMEMBERED = 1024  # leading segments; past this the memory starts over

    def __init__(self, refs: Sequence[Shaped], vendors: Mapping[str, Vendor]) -> None:
        self.refs = {ref.name: ref for ref in refs}
        self.vendors = vendors
        self._root = _Node()
        shaped: dict[tuple[str, ...], list[str]] = {}
        for ref in refs:
            for shape in ref.root_shapes:
                parts = tuple(_segments(shape))
                shaped.setdefault(parts, []).append(ref.name)
                node = self._root
                for part in parts:
                    if part.startswith("{"):
                        node.any = node.any or _Node()
                        node = node.any
                    else:
                        node = node.literal.setdefault(part, _Node())
                node.names.append(ref.name)
        self._depth = max(
            (len(parts) + (len(names) > 1) for parts, names in shaped.items()), default=0
        )
        self._decided: dict[str, str | tuple[str, ...] | None] = {}

    def vendor_of(self, scope: Scope) -> str | Ambiguity | None:
        """The vendor the path is shaped like; ``None`` for no vendor's shape."""
        path: str = scope["path"]
        leading = "/".join(path[1:].split("/", self._depth)[: self._depth])
        try:
            decided = self._decided[leading]
        except KeyError:
            if len(self._decided) >= self.REMEMBERED:
                self._decided.clear()
            decided = self._decided[leading] = self._decide(leading)
        if decided is None or isinstance(decided, str):
            return decided
        query = frozenset(key for key, _ in parse_qsl(scope["query_string"].decode("latin-1")))
        sent = [
            name
            for name in decided
            if any(form.sent_in(scope, query) for form in self.refs[name].credentials)
        ]
        if len(sent) == 1:
            return sent[0]
        return Ambiguity(path, tuple(self.refs[name] for name in sent or decided))

    def _decide(self, leading: str) -> str | tuple[str, ...] | None:
        """The vendor of paths starting with ``leading``, or the vendors the credential
        chooses between: those of the shape that own the resource, else all of them."""
        candidates = self._shaped(leading.split("/"))
        if len(candidates) < 2:
            return candidates[0] if candidates else None
        owners = tuple(name for name in candidates if _owns(self.vendors[name], "/" + leading))
        return owners[0] if len(owners) == 1 else owners or candidates

    def _shaped(self, segments: list[str]) -> tuple[str, ...]:
        """The vendors whose shape starts the path."""
        found: list[str] = []
        nodes = [self._root]
        for segment in segments:
            nodes = [
                child
                for node in nodes
                for child in (node.literal.get(segment), node.any if segment else None)
                if child is not None
            ]
            found += [name for node in nodes for name in node.names]
        return tuple(dict.fromkeys(found))


def _owns(vendor: Vendor, resource: str) -> bool:
    """Whether one of the vendor's paths starts like ``resource`` as the vendor reads it."""
    for pattern, replacement in vendor.path_rewrites:
        resource = pattern.sub(replacement, resource)
    wanted = _segments(resource)
    paths = [getattr(route, "path", "") for route in vendor.routes]
    return any(_matches(_segments(path), wanted) for path in [*paths, *vendor.public_paths])
