"""Production serving: the app under gunicorn with several worker processes.

`assess serve --production` calls `serve_production`. The equivalent by hand is

    ASSESS_PRODUCTION=1 gunicorn --workers 5 --timeout 60 --preload 'assess:create_app()'

with the secret key made first (`assess serve` once, or $ASSESS_SECRET_KEY). Every worker opens
its own SQLite connection after the fork, so nothing is shared across it but the loaded
questionnaires and the settings.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from typing import Any

from assess.core.settings import Settings, ensure_secret_key

MAX_WORKERS = 8
"""SQLite takes one writer at a time: past a few processes more workers only add memory."""

TIMEOUT_SECONDS = 60
"""A worker silent this long is restarted: longer than SQLite's busy timeout and a document pack."""

ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


def default_workers(cores: int | None = None) -> int:
    """Return gunicorn's usual 2 x cores + 1 worker processes, at most MAX_WORKERS."""
    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(2, min(2 * cores + 1, MAX_WORKERS))


ALL_INTERFACES = ("0.0.0.0", "::", "")  # nosec B104 - names to recognize in --host, nothing binds here
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def lan_address() -> str | None:
    """Return this machine's address on its local network (the one its default route uses), or None.

    A UDP socket "connected" to a documentation address sends nothing; it only makes the system
    choose the outgoing interface, whose address it then reports.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = str(probe.getsockname()[0])
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address  # nosec B104 - a comparison


def http_address(host: str, port: int) -> str:
    """Return http://host:port for a host name or address (IPv6 literals in brackets)."""
    return f"http://{bind_address(host, port)}"


def start_message(host: str, port: int, public_url: str, data: str) -> list[str]:
    """Return the lines the server prints at start: where it listens and which address to give people."""
    here = http_address("127.0.0.1" if host in ALL_INTERFACES else host, port)
    lines = [f"assess is running on {here}/  (data: {data})"]
    lan = lan_address() if host in ALL_INTERFACES else None
    if host in ALL_INTERFACES and (not lan or public_url != http_address(lan, port)):
        lines.append(
            f"Listening on every network interface; on the local network: {http_address(lan, port)}/"
            if lan
            else "Listening on every network interface (no local network address found)."
        )
    if public_url:
        lines.append(f"Give people this address (join links, QR codes and invitations use it): {public_url}/")
    elif host in LOOPBACK_HOSTS:
        lines.append(
            "Only this machine can open it. For phones in a room: assess serve --host 0.0.0.0 "
            "(and --public-url http://<this machine's address>:" + str(port) + " if the address shown is not right)."
        )
    return lines


def default_public_url(host: str, port: int) -> str:
    """Return the address join links use when none is configured: the local network address when the
    server listens on every interface, else "" (each request's own address)."""
    if host not in ALL_INTERFACES:
        return ""
    lan = lan_address()
    return http_address(lan, port) if lan else ""


def bind_address(host: str, port: int) -> str:
    """Return gunicorn's bind string; IPv6 literals get brackets."""
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def gunicorn_options(
    host: str, port: int, workers: int | None = None, threads: int = 1, access_log: bool = False
) -> dict[str, Any]:
    """Return the gunicorn settings used for production (and by the benchmark for any WSGI app)."""
    options: dict[str, Any] = {
        "bind": bind_address(host, port),
        "workers": workers or default_workers(),
        "worker_class": "gthread" if threads > 1 else "sync",
        "threads": threads,
        "timeout": TIMEOUT_SECONDS,
        "graceful_timeout": 20,
        "keepalive": 5,
        # Load the app once in the master: a configuration error stops the start with its own
        # message instead of a loop of failing workers, and the workers share the loaded pages.
        "preload_app": True,
        "accesslog": "-" if access_log else None,
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        # gunicorn >= 24 listens on a control socket in ~/.gunicorn by default; one per user
        # would make a second server on the same machine (the benchmark's) collide with the first.
        "control_socket_disable": True,
    }
    return options


def run_gunicorn(app_factory: Callable[[], Any], options: dict[str, Any]) -> None:
    """Serve the WSGI app that `app_factory` returns under gunicorn with `options`; returns when stopped."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings and value is not None:  # settings an older gunicorn lacks are skipped
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return app_factory()

    Server().run()


def serve_production(
    settings: Settings, host: str, port: int, workers: int | None = None, threads: int = 1, access_log: bool = False
) -> None:
    """Run the app with these settings under gunicorn, creating the instance's secret key first if needed.

    The app is made once in the master (preload) and forked into the workers, so every worker has
    the same settings without any passed through the environment. Raises ConfigurationError.
    """
    from assess.web.app import create_app

    if not settings.secret_key:
        ensure_secret_key(settings.instance)
    settings = settings.with_secret_key().with_public_address()
    run_gunicorn(lambda: create_app(settings=settings), gunicorn_options(host, port, workers, threads, access_log))
