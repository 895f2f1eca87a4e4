"""Layering rules of the package, checked on the source so they hold before any code runs.

* a vendor's backend (its state machine) knows nothing of HTTP, nor of its own ``api``;
* ``mockserver.core`` knows no vendor; vendors do not know each other;
* no ``BaseHTTPMiddleware`` anywhere: middleware is plain ASGI, so context variables and
  streamed bodies pass through untouched;
* vendors start no threads or fire-and-forget tasks: work runs on the sim clock;
* vendors and ``/_mock`` parse no JSON and decode no base64 themselves: client input
  goes through the guarded readers of the core (``jsontext.loads``, ``decode``);
* no module grows past 600 lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "mockserver"
MAX_LINES = 600
HTTP_LIBRARIES = ("starlette", "httpx", "uvicorn", "requests", "aiohttp")
BACKGROUND_WORK = ("threading.Thread", "asyncio.create_task", "asyncio.ensure_future")
PLAIN_ASGI = "middleware must be plain ASGI"
RAW_READERS = {
    "json.loads": "core.jsontext.loads",
    "json.load": "core.jsontext.loads",
    "orjson.loads": "core.jsontext.loads",
    "base64.b64decode": "core.decode.base64_bytes",
    "base64.standard_b64decode": "core.decode.base64_bytes",
    "base64.decodebytes": "core.decode.base64_bytes",
    "binascii.a2b_base64": "core.decode.base64_bytes",
}
READ_BY_CORE = "read client input with"


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. mockserver.vendors.cloudfactory.backend
    is_package: bool  # an __init__.py
    source: str
    path: str = ""

    @property
    def parts(self) -> list[str]:
        return self.name.split(".")

    @property
    def where(self) -> str:
        return self.path or self.name

    def tree(self) -> ast.Module:
        return ast.parse(self.source, filename=self.where)


def load_modules(root: Path = ROOT) -> list[Module]:
    """Every module of the package on disk, whatever exists so far."""
    modules = []
    for path in sorted((root / PACKAGE).rglob("*.py")):
        relative = path.relative_to(root).with_suffix("")
        is_package = relative.name == "__init__"
        parts = relative.parts[:-1] if is_package else relative.parts
        source = path.read_text(encoding="utf-8")
        modules.append(Module(".".join(parts), is_package, source, str(path.relative_to(root))))
    return modules


def vendor_names(modules: Iterable[Module]) -> frozenset[str]:
    """Vendors are the packages directly under ``mockserver.vendors``."""
    return frozenset(
        m.parts[2]
        for m in modules
        if m.parts[:2] == [PACKAGE, "vendors"]
        and (len(m.parts) > 3 or (len(m.parts) == 3 and m.is_package))
    )


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def resolve_from(module: Module, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` reads from, relative levels resolved."""
    if node.level == 0:
        return node.module or ""
    package = module.parts if module.is_package else module.parts[:-1]
    if node.level - 1 >= len(package):
        raise ValueError(f"{module.where}:{node.lineno}: relative import beyond {PACKAGE}")
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports(module: Module) -> Iterator[tuple[int, str]]:
    """(line, absolute name) of everything imported.

    ``from a import b`` yields both ``a`` and ``a.b``, since ``b`` may be a submodule.
    """
    for node in ast.walk(module.tree()):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            source = resolve_from(module, node)
            yield node.lineno, source
            for alias in node.names:
                yield node.lineno, f"{source}.{alias.name}"


def qualified_references(module: Module) -> Iterator[tuple[int, str]]:
    """(line, ``module.attr``) of attribute reads on imported modules, aliases resolved."""
    tree = module.tree()
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                bound[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom):
            source = resolve_from(module, node)
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{source}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in bound:
                yield node.lineno, f"{bound[node.value.id]}.{node.attr}"
        elif isinstance(node, ast.Name) and node.id in bound:
            yield node.lineno, bound[node.id]


def is_backend(module: Module) -> bool:
    """``mockserver/vendors/<v>/backend.py`` or anything under ``.../<v>/backend/``."""
    return module.parts[:2] == [PACKAGE, "vendors"] and module.parts[3:4] == ["backend"]


def check_module(module: Module, vendors: frozenset[str]) -> list[str]:
    """Every rule broken by one module, as ``where:line: ...``, one per line and rule."""
    found: dict[tuple[int, str], str] = {}  # (line, rule) -> the first offending name

    in_vendors = module.parts[:2] == [PACKAGE, "vendors"] and len(module.parts) >= 3
    own_vendor = module.parts[2] if in_vendors and module.parts[2] in vendors else None
    banned: list[tuple[str, str]] = [("starlette.middleware.base", PLAIN_ASGI)]
    if within(module.name, f"{PACKAGE}.core"):
        banned.append((f"{PACKAGE}.vendors", "the core must not know the vendors"))
    if own_vendor is not None:
        banned += [
            (f"{PACKAGE}.vendors.{other}", f"vendor {own_vendor} imports vendor {other}")
            for other in sorted(vendors - {own_vendor})
        ]
        if is_backend(module):
            banned += [(lib, "a backend must not speak HTTP") for lib in HTTP_LIBRARIES]
            api = f"{PACKAGE}.vendors.{own_vendor}.api"
            banned.append((api, "a backend must not import its own api"))

    for line, name in imports(module):
        if name.endswith(".BaseHTTPMiddleware"):
            found.setdefault((line, PLAIN_ASGI), f"imports {name}")
        for prefix, why in banned:
            if within(name, prefix):
                found.setdefault((line, why), f"imports {name}")

    if in_vendors:
        for line, name in [*imports(module), *qualified_references(module)]:
            if name in BACKGROUND_WORK:
                found.setdefault((line, "work runs on the sim clock"), f"uses {name}")

    if in_vendors or within(module.name, f"{PACKAGE}.admin"):
        for line, name in qualified_references(module):
            if name in RAW_READERS:
                why = f"{READ_BY_CORE} {PACKAGE}.{RAW_READERS[name]}"
                found.setdefault((line, why), f"calls {name}")

    problems = [
        f"{module.where}:{line}: {what} ({why})" for (line, why), what in sorted(found.items())
    ]
    lines = len(module.source.splitlines())
    if lines > MAX_LINES:
        problems.append(f"{module.where}: {lines} lines, more than {MAX_LINES}")
    return problems


def check_tree(modules: list[Module]) -> list[str]:
    vendors = vendor_names(modules)
    return [problem for module in modules for problem in check_module(module, vendors)]


# --- the real tree -------------------------------------------------------------------------


def test_the_package_follows_the_rules() -> None:
    problems = check_tree(load_modules())
    assert not problems, "\n".join(problems)


# --- the checker itself, on small in-memory trees --------------------------------------------

CF = "mockserver.vendors.cf"
CF_PACKAGE = Module(CF, True, "")
CF_API = Module(f"{CF}.api", False, "")
OTHER_VENDOR = Module("mockserver.vendors.cw", True, "")


def _problems(name: str, source: str, *, is_package: bool = False) -> list[str]:
    module = Module(name, is_package, source)
    return check_tree([CF_PACKAGE, CF_API, OTHER_VENDOR, module])


@pytest.mark.parametrize(
    ("name", "source", "is_package"),
    [
        (f"{CF}.backend", "import starlette", False),
        (f"{CF}.backend", "from starlette.responses import JSONResponse", False),
        (f"{CF}.backend", "import httpx as h", False),
        (f"{CF}.backend.store", "import uvicorn.config", False),
        (f"{CF}.backend", "from requests import get", False),
        (f"{CF}.backend.runs", "import aiohttp", False),
        (f"{CF}.backend", "from . import api", False),
        (f"{CF}.backend", "from .api import routes", False),
        (f"{CF}.backend", "from mockserver.vendors.cf.api import routes", False),
        (f"{CF}.backend", "from .. import api", True),
        (f"{CF}.backend.store", "from ..api import routes", False),
        ("mockserver.core.tenancy", "from mockserver.vendors import cf", False),
        ("mockserver.core.tenancy", "import mockserver.vendors.cf.backend", False),
        ("mockserver.core.tenancy", "from .. import vendors", False),
        ("mockserver.core.tenancy", "from ..vendors.cf import VENDOR", False),
        ("mockserver.core", "from ..vendors import cf", True),
        (f"{CF}.models", "from mockserver.vendors.cw import models", False),
        (f"{CF}.models", "from ...vendors.cw.models import Job", False),
        (f"{CF}.models", "from mockserver.vendors import cw", False),
        ("mockserver.app", "from starlette.middleware.base import BaseHTTPMiddleware", False),
        ("mockserver.admin.x", "import starlette.middleware.base", False),
        ("mockserver.admin.x", "from starlette.middleware import base", False),
        ("mockserver.core.x", "from .compat import BaseHTTPMiddleware", False),
        (f"{CF}.api", "import threading\nthreading.Thread(target=print).start()", False),
        (f"{CF}.api", "from threading import Thread", False),
        (f"{CF}.api", "import asyncio as aio\naio.create_task(f())", False),
        (f"{CF}.backend", "import asyncio\nasyncio.ensure_future(f())", False),
        (f"{CF}.backend", "from asyncio import create_task as spawn\nspawn(f())", False),
        ("mockserver.vendors.common", "import threading\nthreading.Thread()", False),
        ("mockserver.core.big", "x = 1\n" * (MAX_LINES + 1), False),
        (f"{CF}.api", "import json\njson.loads(body)", False),
        (f"{CF}.backend.store", "from json import loads\nloads(text)", False),
        (f"{CF}.wire", "import orjson as fast\nfast.loads(body)", False),
        (f"{CF}.auth", "import base64\nbase64.b64decode(header)", False),
        (f"{CF}.auth", "from base64 import b64decode as unpack\nunpack(header)", False),
        (f"{CF}.auth", "import binascii\nbinascii.a2b_base64(header)", False),
        ("mockserver.admin.journal", "import json\njson.loads(text)", False),
    ],
)
def test_checker_reports(name: str, source: str, is_package: bool) -> None:
    assert _problems(name, source, is_package=is_package)


@pytest.mark.parametrize(
    ("name", "source", "is_package"),
    [
        (f"{CF}.backend", "import json\nfrom dataclasses import dataclass", False),
        (f"{CF}.backend", "from ..models import Job\nfrom . import store", True),
        (f"{CF}.backend.store", "from .. import models\nfrom mockserver.core import clock", False),
        (f"{CF}.backend", "from mockserver.core.errors import NotFound", False),
        (
            f"{CF}.api",
            "from starlette.responses import JSONResponse\nfrom .backend import X",
            False,
        ),
        (f"{CF}.api", "from . import backend", False),
        (f"{CF}", "from .api import routes\nfrom .backend import Backend", True),
        (f"{CF}.api", "from mockserver.vendors import common", False),
        ("mockserver.app", "from mockserver.vendors import cf, cw\nimport threading", False),
        ("mockserver.app", "import asyncio\nasyncio.create_task(f())", False),
        ("mockserver.core.tenancy", "from . import clock\nfrom ..settings import Settings", False),
        ("mockserver.core.pipeline", "from starlette.types import ASGIApp", False),
        (f"{CF}.api", "import asyncio\nasync def f():\n    await asyncio.sleep(0)", False),
        ("mockserver.core.big", "x = 1\n" * MAX_LINES, False),
        (f"{CF}.api", "import json\njson.dumps(body)", False),
        (f"{CF}.api", "from mockserver.core.jsontext import loads\nloads(body)", False),
        (f"{CF}.api", "import base64\nbase64.b64encode(raw)", False),
        ("mockserver.core.jsontext", "import json\njson.loads(text)", False),
        ("mockserver.fixtures", "import json\njson.loads(text)", True),
    ],
)
def test_checker_allows(name: str, source: str, is_package: bool) -> None:
    assert _problems(name, source, is_package=is_package) == []


def test_relative_imports_resolve_against_the_package() -> None:
    store = Module(f"{CF}.backend.store", False, "from ..x import y\nfrom . import z")
    package = Module(f"{CF}.backend", True, "from ..x import y\nfrom . import z")
    assert [name for _, name in imports(store)] == [
        f"{CF}.x",
        f"{CF}.x.y",
        f"{CF}.backend",
        f"{CF}.backend.z",
    ]
    assert [name for _, name in imports(package)] == [
        f"{CF}.x",
        f"{CF}.x.y",
        f"{CF}.backend",
        f"{CF}.backend.z",
    ]


def test_relative_import_beyond_the_package_is_an_error() -> None:
    with pytest.raises(ValueError, match="beyond"):
        list(imports(Module("mockserver.app", False, "from ... import x")))


def test_vendors_are_the_packages_under_vendors() -> None:
    modules = [
        CF_PACKAGE,
        Module("mockserver.vendors.cw.api", False, ""),
        Module("mockserver.vendors.common", False, ""),
        Module("mockserver.vendors", True, ""),
    ]
    assert vendor_names(modules) == {"cf", "cw"}


def test_problems_name_the_file_and_line() -> None:
    module = Module(f"{CF}.backend", False, "import json\nimport httpx", f"{CF}/backend.py")
    assert check_module(module, frozenset({"cf"})) == [
        f"{CF}/backend.py:2: imports httpx (a backend must not speak HTTP)"
    ]
