"""Production serving: the app under gunicorn with several worker processes.

`assess serve --production` calls `serve_production`. The equivalent by hand is

    ASSESS_PRODUCTION=1 gunicorn --workers 5 --timeout 60 --preload 'assess:create_app()'

with the secret key made first (`assess serve` once, or $ASSESS_SECRET_KEY). Every worker opens
its own SQLite connection after the fork, so nothing is shared across it but the loaded
questionnaires and the settings.
"""

from __future__ import annotations

import os
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
    settings = settings.with_secret_key()
    run_gunicorn(lambda: create_app(settings=settings), gunicorn_options(host, port, workers, threads, access_log))
