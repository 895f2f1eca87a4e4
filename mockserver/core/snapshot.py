"""Snapshots: the sandbox's whole state as bytes, and back.

A snapshot holds every tenant (its world, clock, event queue, seeded randomness, crowd
and rate-limit buckets) and the webhook delivery log, pending deliveries included.
Worlds are plain object graphs full of shared references (one view object behind many
samples), which is what pickle keeps and JSON would not, so the payload is a pickle.
In front of it, one JSON line names the format and its version: bytes from elsewhere,
or from a format this server does not know, are refused before anything is unpickled.

What belongs to the running process rather than to the state is referenced by name and
bound on load: the vendors (code), the tenant registry and the delivery machinery (its
HTTP client and the attempts in flight). So the bytes restore into any server that
serves the same vendors. The request journal and fault rules are not part of the state.

A pickle can run code when it is loaded: load only bytes this server wrote (its memory,
its own state file), never bytes received over the network.

Pickling recurses once per level of nesting, and Python's recursion limit (1,000) allows
some 400 levels of documents inside a world. Every document a client sends is read
through :func:`~.jsontext.loads`, which refuses more than 100 levels, so a world never
gets that deep; should one still fail to be written, the save is refused as
:class:`StateNotSaved`, and the state file on disk stays the previous one.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import pickle
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .clock import isoformat, wall_time
from .errors import MockError
from .tenancy import Tenants
from .vendor import Vendor
from .webhooks import Deliveries

if TYPE_CHECKING:
    from .sandbox import Sandbox

FORMAT = "mockserver-state"
# One more whenever the pickled classes change shape (5: CrowdFlower ontologies and bans,
# ModelArts OBS directories, lazily seeded generators; 6: a tenant is its world's context,
# its crowd and event queue are made when first used, and so are the CloudFactory and
# clickworker worlds' parts; 7: CrowdFlower's units, judgments and jobs count their changes
# and keep reports made from them, clickworker's products and templates and ModelArts' sample
# views keep their written answers; 8: clickworker's tasks keep their own interner).
VERSION = 8


class SnapshotError(ValueError):
    """Bytes that are not a snapshot this server can restore; nothing was changed."""


class StateNotSaved(MockError):
    """The state could not be written (answered by ``/_mock`` as JSON, status 500)."""

    status = 500
    message = "The state could not be saved"


@dataclass(frozen=True, slots=True)
class Header:
    """The readable first line of a snapshot."""

    format: str
    version: int
    taken_at: str
    tenants: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Pickler(pickle.Pickler):
    """Writes the process's own objects as references instead of their contents."""

    def __init__(self, file: io.BytesIO, tenants: Tenants, deliveries: Deliveries) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._tenants = tenants
        self._deliveries = deliveries

    def persistent_id(self, obj: Any) -> tuple[str, ...] | None:
        if isinstance(obj, Vendor):
            return ("vendor", obj.name)
        if obj is self._tenants:
            return ("tenants",)
        if obj is self._deliveries:
            return ("deliveries",)
        return None


class _Unpickler(pickle.Unpickler):
    """Binds the references written by :class:`_Pickler` to this process's objects."""

    def __init__(self, file: io.BytesIO, tenants: Tenants, deliveries: Deliveries) -> None:
        super().__init__(file)
        self._tenants = tenants
        self._deliveries = deliveries

    def persistent_load(self, pid: Any) -> Any:
        match pid:
            case ("vendor", str(name)):
                vendor = self._tenants.vendors.get(name)
                if vendor is None:
                    raise SnapshotError(
                        f"the snapshot has {name} tenants; this server has no {name}"
                    )
                return vendor
            case ("tenants",):
                return self._tenants
            case ("deliveries",):
                return self._deliveries
        raise SnapshotError(f"the snapshot refers to an unknown object {pid!r}")


def dump(tenants: Tenants, deliveries: Deliveries) -> bytes:
    """The tenants and the delivery log, behind a header line."""
    header = Header(FORMAT, VERSION, isoformat(wall_time()), len(tenants))
    buffer = io.BytesIO()
    buffer.write(json.dumps(header.as_dict()).encode() + b"\n")
    payload = {"tenants": tenants.__getstate__(), "deliveries": deliveries.__getstate__()}
    try:
        _Pickler(buffer, tenants, deliveries).dump(payload)
    except RecursionError:
        raise StateNotSaved("the state nests too deeply to be saved") from None
    return buffer.getvalue()


HEADER_LINE_MAX = 4096  # a header is one short JSON line; past this it is not one


def read_header(data: bytes) -> Header:
    """The header of ``data``; refuses anything but this format at this version."""
    line, newline, _ = data.partition(b"\n")
    try:
        fields = json.loads(line) if newline else None
    except ValueError:
        fields = None
    if not isinstance(fields, dict) or fields.get("format") != FORMAT:
        raise SnapshotError(f"not a {FORMAT} file")
    version = fields.get("version")
    if version != VERSION:
        raise SnapshotError(
            f"{FORMAT} version {version!r} is not supported (this server reads version {VERSION})"
        )
    try:
        return Header(FORMAT, VERSION, str(fields["taken_at"]), int(fields["tenants"]))
    except (KeyError, TypeError, ValueError):
        raise SnapshotError(f"the {FORMAT} header is incomplete") from None


def load(data: bytes, tenants: Tenants, deliveries: Deliveries) -> Header:
    """Replaces the tenants and the delivery log with those of ``data``.

    Everything is read before anything changes, so a refused snapshot leaves the state
    as it was. An attempt that was on the wire when the snapshot was taken has no event
    left in its tenant's queue; it is planned again, as a vendor retries after a crash.
    """
    header = read_header(data)
    payload = io.BytesIO(data.partition(b"\n")[2])
    try:
        state = _Unpickler(payload, tenants, deliveries).load()
    except SnapshotError:
        raise
    except Exception as exc:
        raise SnapshotError(f"the {FORMAT} payload cannot be read: {exc}") from None
    if not isinstance(state, dict) or set(state) != {"tenants", "deliveries"}:
        raise SnapshotError(f"the {FORMAT} payload is not a sandbox state")
    tenants.__setstate__(state["tenants"])
    deliveries.__setstate__(state["deliveries"])
    _plan_unfinished_attempts(tenants, deliveries)
    return header


def _plan_unfinished_attempts(tenants: Tenants, deliveries: Deliveries) -> None:
    for tenant in tenants:
        planned = {
            e.data.get("delivery") for e in tenant.scheduler.pending() if e.target == "webhook"
        }
        for delivery in deliveries.listing(tenant=tenant.id):
            if delivery.state == "pending" and delivery.id not in planned:
                due = delivery.next_attempt_at
                tenant.scheduler.at(
                    tenant.clock.now() if due is None else due,
                    "webhook",
                    "attempt",
                    delivery=delivery.id,
                )


def read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SnapshotError(f"cannot read {path}: {exc.strerror or exc}") from None


def peek_file(path: str) -> tuple[Header, int] | None:
    """The header and size of the snapshot file at ``path``, read from its first line
    alone (the file can be large, and a page showing it asks again every few seconds);
    ``None`` when there is no such file yet."""
    try:
        with open(path, "rb") as file:
            line = file.readline(HEADER_LINE_MAX)
            size = os.fstat(file.fileno()).st_size
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SnapshotError(f"cannot read {path}: {exc.strerror or exc}") from None
    return read_header(line), size


def write_file(path: str, data: bytes) -> None:
    """Writes ``data`` to a temporary file beside ``path``, then renames it over ``path``,
    so a crash or a full disk mid-write never leaves a truncated state file behind: the
    previous file stays whole until the new one is."""
    target = Path(path)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def check_writable(path: str) -> None:
    """Refuses a state file the server could not write, before it serves anything.

    The directory is tried by creating (and removing) a temporary file in it, the way
    :func:`write_file` will, rather than by reading permission bits, which say nothing
    to a superuser or about a read-only mount. Raises :class:`SnapshotError`.
    """
    target = Path(path)
    if target.is_dir():
        raise SnapshotError(f"state file {path} cannot be written: it is a directory")
    try:
        with tempfile.TemporaryFile(dir=target.parent, prefix=f".{target.name}."):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SnapshotError(
            f"state file {path} cannot be written: {target.parent}: {reason}"
        ) from None


@dataclass(frozen=True, slots=True)
class Stored:
    """A snapshot kept in memory under a name."""

    name: str
    data: bytes
    header: Header

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "size": len(self.data),
            "tenants": self.header.tenants,
            "taken_at": self.header.taken_at,
        }


class Snapshots:
    """One sandbox's named snapshots, in memory, and its state file (if it has one).

    Restoring reads only what this store holds or the file the server was started
    with: snapshot bytes never come in over HTTP.
    """

    def __init__(self, sandbox: Sandbox, state_file: str | None = None) -> None:
        self.sandbox = sandbox
        self.state_file = state_file
        self._stored: dict[str, Stored] = {}
        self._writing = asyncio.Lock()  # saves land on disk in the order they were taken

    def listing(self) -> list[Stored]:
        return list(self._stored.values())

    async def take(self, name: str) -> Stored:
        """Keeps the state under ``name`` (replacing one of that name) and in the state file.

        Raises :class:`StateNotSaved`, keeping nothing, when the state file cannot be
        written: a snapshot that answers success is on disk too.
        """
        async with self._writing:
            data = await self.sandbox.snapshot()
            await self._write(data)
        stored = Stored(name, data, read_header(data))
        self._stored[name] = stored
        return stored

    def restore(self, name: str) -> Stored | None:
        """Restores the snapshot called ``name``; ``None`` when there is none."""
        stored = self._stored.get(name)
        if stored is not None:
            self.sandbox.restore(stored.data)
        return stored

    def state_file_saved(self) -> dict[str, Any] | None:
        """What the state file on disk holds now: its header and size, ``{"problem": ...}``
        when it is not a state this server reads, ``None`` when nothing is written yet or
        the server has no state file."""
        if self.state_file is None:
            return None
        try:
            peeked = peek_file(self.state_file)
        except SnapshotError as exc:
            return {"problem": str(exc)}
        if peeked is None:
            return None
        header, size = peeked
        return {"taken_at": header.taken_at, "tenants": header.tenants, "size": size}

    def restore_state_file(self) -> Header:
        if self.state_file is None:
            raise SnapshotError("the server runs without a state file (--state-file)")
        return self.sandbox.restore(read_file(self.state_file))

    async def save_state_file(self) -> None:
        """Writes the state file (when there is one); raises :class:`StateNotSaved`."""
        async with self._writing:
            await self._write(await self.sandbox.snapshot())

    async def _write(self, data: bytes) -> None:
        """Writes the state file off the event loop; the state was read on it (by
        ``sandbox.snapshot``), where nothing changes it halfway."""
        if self.state_file is None:
            return
        try:
            await asyncio.to_thread(write_file, self.state_file, data)
        except OSError as exc:
            raise StateNotSaved(
                f"state file {self.state_file} not saved ({exc.strerror or exc}); "
                "the previous file is unchanged"
            ) from None
