"""Entry point for `flask --app app run`: Flask finds the factory and calls it."""

from assess import create_app

__all__ = ["create_app"]
