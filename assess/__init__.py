"""assess: self-assessment against ISO 10001, 10002 and 10003, with scores, gaps and Word policies.

The package is in wings, imports running only downward: `core` (plain domain), `formats` (files
in and out), `store` (all SQL), `documents` (templates to HTML and .docx), `services` (one function
per use case), and on top `web` (the Flask app) and `cli` (the `assess` command).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def create_app(test_config: Any = None, **kwargs: Any) -> Any:
    """Return the Flask app (see `assess.web.app.create_app`); the name gunicorn and Flask look for."""
    from assess.web.app import create_app as factory

    return factory(test_config, **kwargs)
