"""The ``mockserver`` command line.

The ``serve`` flags are generated from the fields of :class:`~mockserver.settings.Settings`,
so a new setting gets its flag, its help text and its environment variable at once.
Precedence is flag over ``MOCKSERVER_*`` environment variable over built-in default.

Only the standard library is imported at module level: ``--help`` and ``version`` must not
pay for Starlette, uvicorn or the vendors.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields
from typing import Any, Literal, NoReturn, get_args, get_origin, get_type_hints

from mockserver.settings import (
    ENV_PREFIX,
    Settings,
    number,
    settings_from_env,
    unknown_env,
    whole_number,
)

_TRUE = ("on", "true", "yes", "1")
_FALSE = ("off", "false", "no", "0")


class CliError(Exception):
    """A usage problem, reported as one ``mockserver: error: ...`` line and exit code 2."""


class _Stopped(Exception):
    """A stop signal, turned into the exit code of ``serve``."""


class _Parser(argparse.ArgumentParser):
    """Raises :class:`CliError` instead of printing the usage block and exiting."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see '{self.prog} --help')")


def flag_name(field_name: str) -> str:
    """The command-line flag of a Settings field: ``journal_size`` -> ``--journal-size``."""
    return "--" + field_name.replace("_", "-")


def env_name(field_name: str) -> str:
    """The environment variable of a Settings field, as read by ``settings_from_env``."""
    return ENV_PREFIX + field_name.upper()


def show_value(value: object) -> str:
    """A setting's value as a user types it (booleans are on/off)."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _on_off(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise argparse.ArgumentTypeError(f"must be on or off, not {raw!r}")


def _parsed_by(check: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse type from a settings check: its message, not ``invalid int value``."""

    def parse(raw: str) -> Any:
        try:
            return check(raw)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


_PARSERS: dict[type, Callable[[str], Any]] = {
    int: _parsed_by(whole_number),
    float: _parsed_by(number),
}


def _value_type(hint: Any) -> tuple[type, tuple[str, ...]]:
    """The type a field's flag parses to and, for a ``Literal`` field, its choices."""
    origin = get_origin(hint)
    if origin is Literal:
        return str, tuple(get_args(hint))
    if origin is types.UnionType:
        (inner,) = [arg for arg in get_args(hint) if arg is not type(None)]
        return _value_type(inner)
    return hint, ()


def _field_types() -> dict[str, tuple[type, tuple[str, ...]]]:
    hints = get_type_hints(Settings)
    return {f.name: _value_type(hints[f.name]) for f in fields(Settings)}


def _add_setting_flags(parser: argparse.ArgumentParser, defaults: Settings) -> None:
    types_by_field = _field_types()
    builtin = Settings()
    for f in fields(Settings):
        kind, choices = types_by_field[f.name]
        default = getattr(defaults, f.name)
        # Some help texts already say what their built-in default means.
        explained = "(default:" in f.metadata["help"] and default == getattr(builtin, f.name)
        shown = "" if default is None or explained else f"default: {show_value(default)}; "
        help_text = f"{f.metadata['help']} ({shown}env {env_name(f.name)})"
        options: dict[str, Any] = {
            "dest": f.name,
            "default": default,
            "help": help_text.replace("%", "%%"),
        }
        if kind is bool:
            # A bare ``--strict-auth`` means on; ``--rate-limits off`` can undo an env value.
            options.update(type=_on_off, nargs="?", const=True, metavar="on|off")
        elif choices:
            options.update(choices=choices, metavar="|".join(choices))
        else:
            metavar = {int: "N", float: "X"}.get(kind, f.name.upper())
            options.update(type=_PARSERS.get(kind, kind), metavar=metavar)
        parser.add_argument(flag_name(f.name), **options)


def build_parser(defaults: Settings) -> argparse.ArgumentParser:
    """The whole CLI; ``defaults`` are what the ``serve`` flags fall back to."""
    parser = _Parser(
        prog="mockserver",
        description="A stateful sandbox of crowdsourcing vendor APIs.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="store_true", help="print the installed version and exit"
    )
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    serve_parser = commands.add_parser(
        "serve",
        help="run the server",
        description="Run the server. Every flag falls back to its environment variable, "
        "then to its built-in default.",
    )
    _add_setting_flags(serve_parser, defaults)
    commands.add_parser("version", help="print the installed version")
    commands.add_parser(
        "health",
        help="exit 0 if the server of these settings answers /_mock/health, else 1",
        description="Probe http://127.0.0.1:<port>/_mock/health, the port as serve would "
        "take it from MOCKSERVER_PORT: the container's health check.",
    )
    openapi_parser = commands.add_parser(
        "openapi",
        help="print a vendor's OpenAPI document",
        description="Print the OpenAPI 3.1 document of one vendor, as JSON, with the server "
        "URL the serve settings give.",
    )
    openapi_parser.add_argument("vendor", help="the vendor's name, e.g. cloudfactory")
    # The top-level help explains every flag too, not only the sub-command names.
    parser.epilog = serve_parser.format_help()
    return parser


def _check_env_choices(settings: Settings) -> None:
    """Settings does not check every ``Literal`` field, and argparse checks only flags."""
    for name, (_, choices) in _field_types().items():
        value = getattr(settings, name)
        if choices and value not in choices:
            allowed = ", ".join(choices)
            raise ValueError(f"{env_name(name)} must be one of {allowed}, not {value!r}")


def _env_defaults(environ: Mapping[str, str]) -> Settings:
    for name in unknown_env(environ):
        print(f"mockserver: warning: {name} {_no_such_setting(name)}", file=sys.stderr)
    try:
        settings = settings_from_env(environ)
        _check_env_choices(settings)
    except ValueError as exc:
        raise CliError(f"environment: {exc}") from None
    return settings


def _no_such_setting(variable: str) -> str:
    """Why a ``MOCKSERVER_*`` variable is ignored, with the setting it may have meant."""
    import difflib

    # Compared without the prefix, which every name shares.
    known = [f.name.upper() for f in fields(Settings)]
    close = difflib.get_close_matches(variable.removeprefix(ENV_PREFIX), known, n=1)
    hint = f"; did you mean {ENV_PREFIX}{close[0]}?" if close else ""
    return f"names no setting and is ignored{hint}"


def _check_epoch(epoch: str | None) -> None:
    if epoch is None:
        return
    from mockserver.core.clock import parse_instant

    try:
        parse_instant(epoch)
    except ValueError:
        raise CliError(f"epoch must be an ISO 8601 date-time, not {epoch!r}") from None


def _check_vendor(vendor: str | None) -> None:
    if vendor is None:
        return
    from mockserver.app import vendor_names

    names = vendor_names()
    if vendor not in names:
        raise CliError(f"vendor must be one of {', '.join(names)}, not {vendor!r}")


def _settings_from_args(args: argparse.Namespace) -> Settings:
    try:
        settings = Settings(**{f.name: getattr(args, f.name) for f in fields(Settings)})
    except ValueError as exc:
        raise CliError(str(exc)) from None
    _check_epoch(settings.epoch)
    _check_vendor(settings.vendor)
    return settings


def build_settings(argv: Sequence[str], environ: Mapping[str, str]) -> Settings:
    """The settings ``mockserver serve <argv>`` runs with; raises :class:`CliError`."""
    args = build_parser(_env_defaults(environ)).parse_args(["serve", *argv])
    return _settings_from_args(args)


@contextlib.contextmanager
def _stop_signals_end_serving() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`_Stopped` instead of ending the process.

    uvicorn catches both while it serves, shuts down gracefully, then restores these
    handlers and raises the signal again: without them the process would die of the
    signal, and its exit status could not say whether the state was saved.
    """
    stops = (signal.SIGINT, signal.SIGTERM)

    def stop(signum: int, frame: object) -> None:
        raise _Stopped(signum)

    previous = {sig: signal.signal(sig, stop) for sig in stops}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def serve(settings: Settings) -> int:
    """Runs the server until it is stopped; returns the exit code.

    The app is built before uvicorn starts, so what only the app can check (an unknown
    fixture, a state file that is not a state or cannot be written) is a usage error,
    not a failed start-up. Stopped by a signal, the command exits 0 once the state is
    saved, 1 if saving it failed.
    """
    import gc

    import uvicorn

    from mockserver.app import create_app
    from mockserver.logs import log_config

    # What the imports made (about 29,000 objects: modules, classes, functions) lives as
    # long as the process, so the collector is told to stop walking it: every full
    # collection of a long-running server would visit it all again, with the event loop
    # stopped. Frozen before the app is built, so no tenant state is ever frozen and a
    # reset's garbage is collected as usual.
    gc.freeze()
    try:
        app = create_app(settings)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    with contextlib.suppress(_Stopped), _stop_signals_end_serving():
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_config=log_config(
                settings.log_level, settings.log_format, access_log=settings.access_log
            ),
            log_level=settings.log_level,
            access_log=settings.access_log,
            lifespan="on",
        )
    return 1 if app.state_lost else 0


def print_openapi(vendor: str, settings: Settings) -> int:
    """Prints the vendor's document, served from its prefix on the configured address."""
    import json

    from mockserver import __version__
    from mockserver.app import VENDORS
    from mockserver.core.openapi import vendor_document

    _check_vendor(vendor)
    (found,) = [ref.load() for ref in VENDORS if ref.name == vendor]
    server = f"http://{settings.host}:{settings.port}/{vendor}"
    print(json.dumps(vendor_document(found, version=__version__, server=server), indent=2))
    return 0


def probe_health(settings: Settings) -> int:
    """0 when the server on this machine at the settings' port answers its health URL.

    Only the standard library: an image's health check runs every few seconds.
    """
    import urllib.error
    import urllib.request

    url = f"http://127.0.0.1:{settings.port}/_mock/health"
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            healthy = answer.status == 200
    except (urllib.error.URLError, OSError) as exc:
        print(f"mockserver: {url}: {exc}", file=sys.stderr)
        return 1
    return 0 if healthy else 1


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``mockserver`` script; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        defaults = _env_defaults(os.environ)
        parser = build_parser(defaults)
        args = parser.parse_args(argv)
        if args.version and args.command is None:
            args.command = "version"
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        if args.command == "version":
            from mockserver import __version__

            print(f"mockserver {__version__}")
            return 0
        if args.command == "health":
            return probe_health(defaults)
        if args.command == "openapi":
            return print_openapi(args.vendor, defaults)
        settings = _settings_from_args(args)
        return serve(settings)
    except CliError as exc:
        print(f"mockserver: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
